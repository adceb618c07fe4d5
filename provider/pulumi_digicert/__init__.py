"""Pulumi dynamic resources for DigiCert CertCentral.

    import pulumi_digicert as digicert

    org = digicert.Organization("acme", name="Acme Corp", ...)

The resource classes load on first use, so the sandbox and the client do not import Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pulumi_digicert._version import __version__

if TYPE_CHECKING:
    from pulumi_digicert.resources import (
        BillingAccountLink,
        DocumentSigningOrder,
        DomainValidation,
        DomainValidationCheck,
        Organization,
    )

__all__ = [
    "BillingAccountLink",
    "DocumentSigningOrder",
    "DomainValidation",
    "DomainValidationCheck",
    "Organization",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "__version__":
        return getattr(importlib.import_module("pulumi_digicert.resources"), name)
    raise AttributeError(f"module 'pulumi_digicert' has no attribute {name!r}")
