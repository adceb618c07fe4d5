"""Request bodies and small steps written from API.md, shared by the sandbox tests."""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from pulumi_digicert.sandbox import SandboxServer

ORGANIZATION: dict[str, Any] = {
    "name": "Acme Widgets",
    "address": "2801 N Thanksgiving Way",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
    "telephone": "801-555-0100",
    "organization_contact": {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "job_title": "CTO",
        "telephone": "801-555-0101",
    },
}

# seed 003: subject and its four fields are required
SUBJECT: dict[str, Any] = {
    "name": "Rene Pierce",
    "job_title": "Signing Desk",
    "phone": "801-555-0102",
    "email": "rene@example.com",
}

CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"
PRODUCT = "document_signing_org_1"

# The sandbox speaks plain HTTP; one TLS context for every test client saves httpx from loading
# the CA bundle again for each one.
TLS = ssl.create_default_context()


def order_body(organization_id: int, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "certificate": {"signature_hash": "sha256"},
        "order_validity": {"years": 1},
        "organization": {"id": organization_id},
        "subject": SUBJECT,
        "payment_method": "balance",
    }
    body.update(extra)
    return body


def error_codes(response: httpx.Response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def create_organization(services_api: httpx.Client, **changes: Any) -> int:
    response = services_api.post("/organization", json={**ORGANIZATION, **changes})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def domain_body(organization_id: int, name: str = "example.com", **extra: Any) -> dict[str, Any]:
    """A ``POST /domain`` body (API.md B1) for an OV domain; no ``dcv_method`` unless given."""
    return {
        "name": name,
        "organization": {"id": organization_id},
        "validations": [{"type": "ov"}],
        **extra,
    }


def add_domain(
    services_api: httpx.Client,
    organization_id: int,
    name: str = "example.com",
    method: str = "dns-txt-token",
    **extra: Any,
) -> dict[str, Any]:
    response = services_api.post(
        "/domain", json=domain_body(organization_id, name, dcv_method=method, **extra)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def place_order(services_api: httpx.Client, organization_id: int, **extra: Any) -> dict[str, Any]:
    response = services_api.post(
        f"/order/certificate/{PRODUCT}", json=order_body(organization_id, **extra)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def issued_order(
    services_api: httpx.Client, sandbox: SandboxServer, organization_id: int, **extra: Any
) -> int:
    """An order placed and issued (the control API stands in for DigiCert)."""
    order_id = int(place_order(services_api, organization_id, **extra)["id"])
    sandbox.control.advance_order(order_id, "issue")
    return order_id


def balance(services_api: httpx.Client) -> str:
    return str(services_api.get("/finance/balance").json()["balance"])
