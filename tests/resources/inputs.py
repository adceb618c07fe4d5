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

ORGANIZATION: dict[str, Any] = {
    "name": "Acme Corp",
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
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

CARD: dict[str, Any] = {
    "number": "4111111111111111",
    "expiration": {"month": 12.0, "year": 2031.0},
    "cvv": "123",
}

BILLING_ADDRESS: dict[str, Any] = {
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
}

ORDER: dict[str, Any] = {
    "product": "document_signing_org_1",
    "organization_id": 1001.0,
    "validity_years": 1.0,
    "subject": {"name": "Signing Desk", "email": "signing@example.com"},
    "cs_provisioning_method": "client_app",
    "payment_method": "balance",
    "alternative_order_id": "pdabc123",
}

LINK: dict[str, Any] = {
    "billing_account_api_key": "BILLINGKEY0123456789",
    "partner_api_key": "PARTNERKEY0123456789",
}

CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"
