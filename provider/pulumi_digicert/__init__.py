"""Pulumi dynamic resources for DigiCert CertCentral.

    import pulumi_digicert as digicert

    org = digicert.Organization("acme", name="Acme Corp", ...)

The resource classes load on first use, so the sandbox and the client do not import Pulumi.

The package's parts, each depending only on those listed before it: the root's private modules
(``_exceptions`` the errors, ``_version``, ``_notice`` the one logger and stderr notices,
``_engine_values`` the engine's value conventions, ``_numbers`` whole numbers however
they were sent), the settings (``config``), the HTTP client
(``client``), the resources (``resources``); beside them the test engine (``testing``), the
stand-in API (``sandbox``) and the account checker (``doctor``). No part of the package imports
this module (it loads the resources); programs do. What does not belong in the package: the
campaign, the benchmarks and the tests, which prove it and do not ship.
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
