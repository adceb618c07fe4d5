"""Valid inputs per resource, as the engine hands them to a provider (numbers as floats)."""

from __future__ import annotations

from typing import Any

CONTACT: dict[str, Any] = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "job_title": "CTO",
    "telephone": "+1 555 0100",
}

ADDRESS: dict[str, Any] = {
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
}


def declared_organization(name: str, **extra: Any) -> dict[str, Any]:
    """An Organization's arguments as a program declares them: the required ones only."""
    return {"name": name, **ADDRESS, "organization_contact": CONTACT, **extra}


ORGANIZATION: dict[str, Any] = {
    "name": "Acme Corp",
    **ADDRESS,
    "telephone": "+1 555 0100",
    "organization_contact": CONTACT,
    "validations": [{"type": "ov"}],
}

DOMAIN: dict[str, Any] = {
    "domain_name": "example.com",
    "organization_id": 1001.0,
    "validations": ["ov"],
    "dcv_method": "dns-txt-token",
}

# The order page's card object (seed 003); numbers arrive from the engine as floats.
CARD: dict[str, Any] = {
    "number": "4111111111111111",
    "expiration_month": 12.0,
    "expiration_year": 2031.0,
    "cvv": 123.0,
    "cardholder_name": "Ada Lovelace",
}

BILLING_ADDRESS: dict[str, Any] = {
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
}

SUBJECT: dict[str, Any] = {
    "name": "Signing Desk",
    "job_title": "Release Engineering",
    "phone": "+1 555 0102",
    "email": "signing@example.com",
}

ORDER: dict[str, Any] = {
    "product": "document_signing_org_1",
    "organization_id": 1001.0,
    "validity_years": 1.0,
    "subject": SUBJECT,
    "cs_provisioning_method": "client_app",
    "payment_method": "balance",
    "alternative_order_id": "pdabc123",
}

LINK: dict[str, Any] = {
    "billing_account_api_key": "BILLINGKEY0123456789",
    "partner_api_key": "PARTNERKEY0123456789",
}

CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"
