"""Valid inputs per resource, as the engine hands them to a provider (numbers as floats), made
from the one set of scenarios (:mod:`qa.scenarios`)."""

from __future__ import annotations

from typing import Any

from qa import scenarios
from qa.scenarios import BILLING_ADDRESS, CONTACT, CSR, SUBJECT, as_the_engine_sends

__all__ = [
    "BILLING_ADDRESS",
    "CARD",
    "CONTACT",
    "CSR",
    "DOMAIN",
    "LINK",
    "ORDER",
    "ORGANIZATION",
    "SUBJECT",
    "declared_organization",
    "order_inputs",
    "signing_order",
]

ORGANIZATION: dict[str, Any] = {**scenarios.ORGANIZATION, "validations": [{"type": "ov"}]}


def declared_organization(name: str, **extra: Any) -> dict[str, Any]:
    """An Organization's arguments as a program declares them: the required ones only."""
    return {"name": name, **scenarios.ADDRESS, "organization_contact": CONTACT, **extra}


DOMAIN: dict[str, Any] = {
    "domain_name": "example.com",
    "organization_id": 1001.0,
    "validations": ["ov"],
    "dcv_method": "dns-txt-token",
}

# The order page's card object (seed 003); numbers arrive from the engine as floats.
CARD: dict[str, Any] = as_the_engine_sends(scenarios.card())

ORDER: dict[str, Any] = {
    "product": "document_signing_org_1",
    "organization_id": 1001.0,
    "validity_years": 1.0,
    "subject": SUBJECT,
    "cs_provisioning_method": "client_app",
    "payment_method": "balance",
    "alternative_order_id": "pdabc123",
}


def order_inputs(organization_id: float, alternative_order_id: str, **extra: Any) -> dict[str, Any]:
    """:data:`ORDER` for an organization, under its own ``alternative_order_id``."""
    return {
        **ORDER,
        "organization_id": organization_id,
        "alternative_order_id": alternative_order_id,
        **extra,
    }


LINK: dict[str, Any] = {
    "billing_account_api_key": "BILLINGKEY0123456789",
    "partner_api_key": "PARTNERKEY0123456789",
}


def signing_order(name: str, organization_id: Any, **extra: Any) -> Any:
    """Declare, inside a program, the plainest document signing order: one year of
    ``document_signing_org_1`` for :data:`SUBJECT`; ``extra`` adds or overrides arguments."""
    import pulumi_digicert as digicert

    return digicert.DocumentSigningOrder(
        name,
        **{
            "product": "document_signing_org_1",
            "organization_id": organization_id,
            "validity_years": 1,
            "subject": SUBJECT,
            **extra,
        },
    )
