"""The resources, one module each; the registry below is the complete list.

What belongs here: each resource's module (its field table, Args model, provider and resource
class; the provider's module and class names are pickled into users' state and never change),
and the machinery they share, in private modules named by what they hold: the provider base and
field-table diff (``_provider``), argument types and parsing (``_args``), secret fingerprints
(``_fingerprints``), the serializer guard (``_pickling``), and the document signing order's
parts (``_order_args``, ``_order_lookup``, ``_order_placement``, ``_order_retirement``,
``_certificate``). What does not: HTTP (``pulumi_digicert.client``), settings
(``pulumi_digicert.config``), the engine's value conventions (``pulumi_digicert._engine_values``)
and the errors (``pulumi_digicert._exceptions``), which the harness and the client share.
"""

from __future__ import annotations

from pulumi_digicert.resources.billing_account_link import (
    BillingAccountLink,
    BillingAccountLinkProvider,
)
from pulumi_digicert.resources.document_signing_order import (
    DocumentSigningOrder,
    DocumentSigningOrderProvider,
    derive_alternative_order_id,
)
from pulumi_digicert.resources.domain_validation import DomainValidation, DomainValidationProvider
from pulumi_digicert.resources.domain_validation_check import (
    DomainValidationCheck,
    DomainValidationCheckProvider,
)
from pulumi_digicert.resources.organization import Organization, OrganizationProvider

RESOURCES = (
    Organization,
    DomainValidation,
    DomainValidationCheck,
    DocumentSigningOrder,
    BillingAccountLink,
)
PROVIDERS = (
    OrganizationProvider,
    DomainValidationProvider,
    DomainValidationCheckProvider,
    DocumentSigningOrderProvider,
    BillingAccountLinkProvider,
)

__all__ = [
    "PROVIDERS",
    "RESOURCES",
    "BillingAccountLink",
    "BillingAccountLinkProvider",
    "DocumentSigningOrder",
    "DocumentSigningOrderProvider",
    "DomainValidation",
    "DomainValidationCheck",
    "DomainValidationCheckProvider",
    "DomainValidationProvider",
    "Organization",
    "OrganizationProvider",
    "derive_alternative_order_id",
]
