"""A sandbox account with a bit of everything the doctor reads, full of distinctive values.

Everything is placed through the sandbox's public API (plain HTTP, as DigiCert documents it)
and its control API, not through the provider's client. ``Planted.sensitive`` lists every key,
email address, card-like number and object name placed, for the scans that prove none of them
reaches a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from pulumi_digicert.sandbox import SandboxServer

CARD_NUMBER = "4111111111111111"

ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "name": "Quillfeather Zyxwv Holdings",
        "assumed_name": "Quillzy",
        "address": "17 Vexbourne Crescent",
        "address2": "Floor 9 Ostrander Suite",
        "city": "Lehi",
        "state": "Utah",
        "zip": "84043",
        "country": "us",
        "telephone": "801-555-0177",
        "organization_contact": {
            "first_name": "Perpetua",
            "last_name": "Wolfsbane",
            "email": "perpetua.wolfsbane@quillzy.example",
            "job_title": "Chief Signer",
            "telephone": "801-555-0178",
        },
    },
    {
        "name": "Ombrelune Fabrication",
        "address": "4 Larkspur Wynd",
        "city": "Provo",
        "state": "Utah",
        "zip": "84601",
        "country": "us",
        "organization_contact": {
            "first_name": "Thaddeus",
            "last_name": "Marchbanks",
            "email": "t.marchbanks@ombrelune.example",
        },
    },
    {
        "name": "Vintergatan Kvarn",
        "address": "Kvarngatan 12",
        "city": "Uppsala",
        "state": "Uppsala",
        "zip": "75320",
        "country": "se",
    },
]

TECHNICAL_CONTACT = {
    "first_name": "Isolde",
    "last_name": "Brightwater",
    "email": "isolde.brightwater@quillzy.example",
    "job_title": "PKI Lead",
    "telephone": "801-555-0199",
    "contact_type": "technical_contact",
}

DOMAINS = [
    ("signing.quillzy.example", 0, "dns-txt-token"),
    ("docs.ombrelune.example", 1, "dns-cname-token"),
    ("kvarn.vintergatan.example", 2, "http-token"),
]

SUBJECT = {
    "name": "Quillzy Document Desk",
    "job_title": "Records Officer",
    "phone": "801-555-0123",
    "email": "records.desk@quillzy.example",
}

ALTERNATIVE_ORDER_IDS = ["quillzyorder1aa7", "ombreluneorder2bb8", "vintergatanorder3cc9"]


@dataclass
class Planted:
    organization_ids: list[int] = field(default_factory=list)
    domain_ids: list[int] = field(default_factory=list)
    order_ids: list[int] = field(default_factory=list)
    sensitive: set[str] = field(default_factory=set)
    """Keys, emails, card-like numbers, names, addresses, tokens, alternative ids."""


def _strings(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) else set()


def plant(planted_server: SandboxServer) -> Planted:
    """Three organizations (one with a technical contact and a completed OV validation), three
    domains (one validated) and three document signing orders (one issued, one approved), each
    with an alternative order id."""
    planted = Planted()
    planted.sensitive |= {planted_server.api_key, planted_server.partner_api_key, CARD_NUMBER}
    api = httpx.Client(
        base_url=planted_server.services_url,
        headers={"X-DC-DEVKEY": planted_server.api_key},
        timeout=10,
    )
    with api:
        for organization in ORGANIZATIONS:
            created = api.post("/organization", json=organization)
            assert created.status_code == 201, created.text
            planted.organization_ids.append(created.json()["id"])
            planted.sensitive |= _strings(organization) - {"us", "se"}
        first = planted.organization_ids[0]
        contact = api.put(f"/organization/{first}/contact", json={"contacts": [TECHNICAL_CONTACT]})
        assert contact.status_code == 204, contact.text
        planted.sensitive |= _strings(TECHNICAL_CONTACT) - {"technical_contact"}
        planted_server.control.complete_org_validation(first, "ov")

        for name, owner, method in DOMAINS:
            added = api.post(
                "/domain",
                json={
                    "name": name,
                    "organization": {"id": planted.organization_ids[owner]},
                    "validations": [{"type": "ov"}],
                    "dcv_method": method,
                },
            )
            assert added.status_code == 201, added.text
            planted.domain_ids.append(added.json()["id"])
            planted.sensitive.add(name)
            planted.sensitive |= _strings(added.json().get("dcv_token") or {}) - {"pending"}
        planted_server.control.complete_dcv(planted.domain_ids[0])

        for index, alternative_id in enumerate(ALTERNATIVE_ORDER_IDS):
            body = {
                "certificate": {"signature_hash": "sha256"},
                "order_validity": {"years": 1 + index},
                "organization": {"id": planted.organization_ids[index]},
                "payment_method": "balance",
                "subject": SUBJECT,
                "alternative_order_id": alternative_id,
                "comments": f"purchase order against card {CARD_NUMBER}",
            }
            placed = api.post(f"/order/certificate/document_signing_org_{1 + index % 2}", json=body)
            assert placed.status_code == 201, placed.text
            planted.order_ids.append(placed.json()["id"])
            planted.sensitive.add(alternative_id)
        planted.sensitive |= _strings(SUBJECT)
        planted_server.control.advance_order(planted.order_ids[0], "approve")
        planted_server.control.advance_order(planted.order_ids[0], "issue")
        planted_server.control.advance_order(planted.order_ids[1], "approve")
        for order_id in planted.order_ids:
            info = api.get(f"/order/certificate/{order_id}").json()
            certificate = info.get("certificate") or {}
            planted.sensitive |= {
                value
                for value in (certificate.get("serial_number"), certificate.get("thumbprint"))
                if value
            }
        user = api.get("/user/me").json()
        planted.sensitive |= {user["email"], user["username"], user["container"]["name"]}
    return planted
