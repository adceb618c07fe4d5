"""The resources, one module each; the registry below is the complete list."""

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
