"""Placing and reading document signing orders, their contacts and renewals (API.md C1-C5, C8,
D1): :mod:`pulumi_digicert.sandbox.orders`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer
from support.seeds import example_account_api, example_order_body

from .builders import (
    CSR,
    PRODUCT,
    TLS,
    balance,
    create_organization,
    error_codes,
    issued_order,
    order_body,
    place_order,
)

# seed 003: exactly these five fields, all required; month, year and cvv are integers
CARD = {
    "number": "4111111111111111",
    "expiration_month": 12,
    "expiration_year": 2030,
    "cvv": 123,
    "cardholder_name": "Ada Lovelace",
}
BILLING = {
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
}


def post_order(
    services_api: httpx.Client, body: dict[str, Any], product: str = PRODUCT
) -> httpx.Response:
    return services_api.post(f"/order/certificate/{product}", json=body)


# ---------------------------------------------------------------- placing an order


def test_order_needs_approval_by_default(services_api: httpx.Client, organization_id: int) -> None:
    created = place_order(services_api, organization_id, comments="for the legal team")
    assert set(created) == {"id", "requests"}
    assert created["requests"][0]["status"] == "pending"
    order = services_api.get(f"/order/certificate/{created['id']}").json()
    assert order["status"] == "needs_approval"
    assert order["product_name_id"] == PRODUCT
    assert order["product"]["name_id"] == PRODUCT
    assert order["organization"]["id"] == organization_id
    assert order["requests"] == [
        {
            "id": created["requests"][0]["id"],
            "date": order["date_created"],
            "type": "new_request",
            "status": "pending",
            "comments": "for the legal team",
        }
    ]
    assert order["payment_method"] == "balance"
    assert order["price"] == "499.00"
    assert order["validity_years"] == 1
    assert "id" not in order["certificate"]
    assert order["certificate"]["signature_hash"] == "sha256"
    assert order["certificate"]["server_platform"]["id"] == -1


def test_skip_approval_goes_straight_to_pending(
    services_api: httpx.Client, organization_id: int
) -> None:
    created = place_order(services_api, organization_id, skip_approval=True)
    assert created["requests"][0]["status"] == "approved"
    assert services_api.get(f"/order/certificate/{created['id']}").json()["status"] == "pending"


def test_immediate_issuance_returns_certificate_id(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    clean_sandbox.control.update_settings(auto_issue_after=0)
    created = place_order(services_api, organization_id, skip_approval=True)
    assert isinstance(created["certificate_id"], int)
    order = services_api.get(f"/order/certificate/{created['id']}").json()
    assert order["status"] == "issued"
    assert order["certificate"]["id"] == created["certificate_id"]
    assert order["certificate"]["valid_till"] > order["certificate"]["valid_from"]


def test_issued_by_time_after_approval(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    clean_sandbox.control.update_settings(auto_issue_after=3600)
    created = place_order(services_api, organization_id)
    clean_sandbox.control.advance_clock(7200)
    # still waiting for an approver: time alone does not approve
    assert (
        services_api.get(f"/order/certificate/{created['id']}").json()["status"] == "needs_approval"
    )
    request_id = created["requests"][0]["id"]
    assert (
        services_api.put(f"/request/{request_id}/status", json={"status": "approved"}).status_code
        == 204
    )
    assert services_api.get(f"/order/certificate/{created['id']}").json()["status"] == "pending"
    clean_sandbox.control.advance_clock(3601)
    order = services_api.get(f"/order/certificate/{created['id']}").json()
    assert order["status"] == "issued"
    assert isinstance(order["certificate"]["id"], int)


def test_order_requires_approval_setting_off(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    clean_sandbox.control.update_settings(order_requires_approval=False)
    created = place_order(services_api, organization_id)
    assert created["requests"][0]["status"] == "approved"


def test_order_info_by_serial_number(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    created = place_order(services_api, organization_id)
    clean_sandbox.control.advance_order(created["id"], "issue")
    serial = services_api.get(f"/order/certificate/{created['id']}").json()["certificate"][
        "serial_number"
    ]
    assert services_api.get(f"/order/certificate/{serial}").json()["id"] == created["id"]
    assert error_codes(services_api.get("/order/certificate/5999999")) == ["not_found|order"]
    assert services_api.get("/order/certificate/nosuchserial").status_code == 404


def test_unknown_product_is_404(services_api: httpx.Client, organization_id: int) -> None:
    response = post_order(services_api, order_body(organization_id), "ssl_plus")
    assert response.status_code == 404
    assert error_codes(response) == ["not_found|product"]


@pytest.mark.parametrize(
    ("change", "codes"),
    [
        ({"order_validity": {"years": 4}}, ["invalid_field|order_validity.years"]),
        ({"order_validity": {"years": 0}}, ["invalid_field|order_validity.years"]),
        (
            {"order_validity": {"days": 30}},
            ["missing_field|order_validity.years", "invalid_field|order_validity.days"],
        ),
        ({"order_validity": None}, ["missing_field|order_validity"]),
        (
            {"certificate": {"signature_hash": "sha384"}},
            ["invalid_field|certificate.signature_hash"],
        ),
        ({"certificate": {}}, ["missing_field|certificate.signature_hash"]),
        ({"payment_method": "wire_transfer"}, ["invalid_field|payment_method"]),
        (
            {"payment_method": "card"},
            ["missing_field|credit_card", "missing_field|billing_address"],
        ),
        ({"credit_card": CARD}, ["invalid_field|credit_card"]),
        ({"cs_provisioning_method": "email"}, ["missing_field|certificate.csr"]),
        ({"cs_provisioning_method": "usb"}, ["invalid_field|cs_provisioning_method"]),
        ({"alternative_order_id": "has-dash"}, ["invalid_field|alternative_order_id"]),
        ({"alternative_order_id": "a" * 65}, ["invalid_field|alternative_order_id"]),
        ({"validity_years": 2}, ["invalid_field|validity_years"]),
        ({"organization": {"id": "3000001"}}, ["invalid_field|organization.id"]),
        ({"organization": {"id": 3000001.0}}, ["invalid_field|organization.id"]),
        ({"skip_approval": "true"}, ["invalid_field|skip_approval"]),
        (
            {"ship_info": {"name": "A"}},
            [
                "missing_field|ship_info.addr1",
                "missing_field|ship_info.city",
                "missing_field|ship_info.state",
                "missing_field|ship_info.zip",
                "missing_field|ship_info.country",
                "missing_field|ship_info.method",
            ],
        ),
        ({"product": {"name_id": PRODUCT}}, ["invalid_field|product"]),
        ({"common_name": "x"}, ["invalid_field|common_name"]),
    ],
)
def test_order_body_is_validated(
    services_api: httpx.Client, organization_id: int, change: dict[str, Any], codes: list[str]
) -> None:
    body = order_body(organization_id)
    body.update(change)
    response = post_order(services_api, body)
    assert response.status_code == 400
    assert sorted(error_codes(response)) == sorted(codes)
    assert services_api.get("/order/alternate/anything").status_code == 404  # nothing was placed


def test_required_sections_missing(services_api: httpx.Client) -> None:
    response = post_order(services_api, {})
    assert sorted(error_codes(response)) == [
        "missing_field|certificate",
        "missing_field|organization",
        "missing_field|subject",
    ]


def test_order_validity_or_the_deprecated_validity_years(
    services_api: httpx.Client, organization_id: int
) -> None:
    without_either = order_body(organization_id)
    del without_either["order_validity"]
    assert error_codes(post_order(services_api, without_either)) == ["missing_field|order_validity"]
    # The page's own example sends only the deprecated validity_years.
    deprecated = post_order(services_api, {**without_either, "validity_years": 2})
    assert deprecated.status_code == 201, deprecated.text
    order = services_api.get(f"/order/certificate/{deprecated.json()['id']}").json()
    assert order["order_validity"] == {"years": 2}
    both = post_order(
        services_api, {**without_either, "validity_years": 1, "order_validity": {"years": 1}}
    )
    assert both.status_code == 201


@pytest.mark.parametrize("field", ["name", "job_title", "phone", "email"])
def test_subject_needs_all_four_fields(
    services_api: httpx.Client, organization_id: int, field: str
) -> None:
    body = order_body(organization_id)
    body["subject"] = {k: v for k, v in body["subject"].items() if k != field}
    assert error_codes(post_order(services_api, body)) == [f"missing_field|subject.{field}"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        # the shape this project once sent: refused, as DigiCert would
        (
            {"expiration": {"month": 12, "year": 2030}},
            "invalid_field|credit_card.expiration",
        ),
        ({"name": "Ada Lovelace"}, "invalid_field|credit_card.name"),
        ({"cvv": "123"}, "invalid_field|credit_card.cvv"),
        ({"expiration_month": "12"}, "invalid_field|credit_card.expiration_month"),
        ({"expiration_year": 2030.0}, "invalid_field|credit_card.expiration_year"),
        ({"expiration_year": 30}, "invalid_field|credit_card.expiration_year"),
        ({"expiration_month": 13}, "invalid_field|credit_card.expiration_month"),
        ({"number": 4111111111111111}, "invalid_field|credit_card.number"),
    ],
)
def test_card_must_be_exactly_the_documented_object(
    services_api: httpx.Client, organization_id: int, change: dict[str, Any], code: str
) -> None:
    card = {**CARD, **change}
    response = post_order(
        services_api,
        order_body(
            organization_id, payment_method="card", credit_card=card, billing_address=BILLING
        ),
    )
    assert response.status_code == 400
    assert code in error_codes(response)
    assert "4111111111111111" not in response.text
    assert "Ada Lovelace" not in response.text


@pytest.mark.parametrize("missing", sorted(CARD))
def test_every_card_field_is_required(
    services_api: httpx.Client, organization_id: int, missing: str
) -> None:
    card = {k: v for k, v in CARD.items() if k != missing}
    response = post_order(
        services_api,
        order_body(
            organization_id, payment_method="card", credit_card=card, billing_address=BILLING
        ),
    )
    assert error_codes(response) == [f"missing_field|credit_card.{missing}"]


@pytest.mark.parametrize(
    ("value", "accepted"), [(1, True), (0, True), (True, False), ("1", False), (2, False)]
)
def test_enable_guest_access_is_the_documented_integer(
    services_api: httpx.Client, organization_id: int, value: object, accepted: bool
) -> None:
    response = post_order(services_api, order_body(organization_id, enable_guest_access=value))
    if accepted:
        assert response.status_code == 201, response.text
    else:
        assert error_codes(response) == ["invalid_field|enable_guest_access"]


def test_billing_state_and_zip_are_optional_for_some_countries(
    services_api: httpx.Client, organization_id: int
) -> None:
    billing = {"address": "1 Rue de Rivoli", "city": "Paris", "country": "fr"}
    response = post_order(
        services_api,
        order_body(
            organization_id, payment_method="card", credit_card=CARD, billing_address=billing
        ),
    )
    assert response.status_code == 201, response.text


def test_card_payment_with_card_and_billing_address(
    services_api: httpx.Client, organization_id: int
) -> None:
    before = balance(services_api)
    created = place_order(
        services_api,
        organization_id,
        payment_method="card",
        credit_card=CARD,
        billing_address=BILLING,
    )
    order = services_api.get(f"/order/certificate/{created['id']}").json()
    assert order["payment_method"] == "card"
    assert "4111111111111111" not in str(order)
    assert balance(services_api) == before
    bad_card = post_order(
        services_api,
        order_body(
            organization_id,
            payment_method="card",
            credit_card={**CARD, "number": "4111111111111112"},
            billing_address=BILLING,
        ),
    )
    assert error_codes(bad_card) == ["invalid_field|credit_card.number"]
    assert "4111111111111112" not in bad_card.text


def test_email_provisioning_with_csr_and_ship_token_with_ship_info(
    services_api: httpx.Client, organization_id: int
) -> None:
    place_order(
        services_api,
        organization_id,
        cs_provisioning_method="email",
        certificate={"signature_hash": "sha256", "csr": CSR, "server_platform": {"id": 21}},
    )
    bad_csr = post_order(
        services_api,
        order_body(
            organization_id,
            cs_provisioning_method="email",
            certificate={"signature_hash": "sha256", "csr": "not a csr"},
        ),
    )
    assert error_codes(bad_csr) == ["csr_invalid"]
    ship_info = {
        "name": "Ada Lovelace",
        "addr1": "1 Main St",
        "city": "Lehi",
        "state": "Utah",
        "zip": "84043",
        "country": "us",
        "method": "EXPEDITED",
    }
    shipped = place_order(
        services_api, organization_id, cs_provisioning_method="ship_token", ship_info=ship_info
    )
    order = services_api.get(f"/order/certificate/{shipped['id']}").json()
    assert order["ship_info"]["method"] == "EXPEDITED"
    assert order["price"] == "524.00"  # expedited shipping costs more
    wrong = post_order(
        services_api,
        order_body(organization_id, cs_provisioning_method="client_app", ship_info=ship_info),
    )
    assert error_codes(wrong) == ["invalid_field|ship_info"]


def test_organization_must_exist_and_be_active(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    missing = post_order(services_api, order_body(3999999))
    assert error_codes(missing) == ["invalid_organization"]
    clean_sandbox.control.set_organization_status(organization_id, "inactive")
    inactive = post_order(services_api, order_body(organization_id))
    assert error_codes(inactive) == ["invalid_organization"]
    assert "not active" in inactive.json()["errors"][0]["message"]


def test_another_accounts_organization_is_not_usable(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    other = clean_sandbox.control.create_account("Other")
    with httpx.Client(
        verify=TLS, base_url=clean_sandbox.services_url, headers={"X-DC-DEVKEY": other["api_key"]}
    ) as other_api:
        response = other_api.post(f"/order/certificate/{PRODUCT}", json=order_body(organization_id))
        assert error_codes(response) == ["invalid_organization"]
        assert other_api.get(f"/organization/{organization_id}").status_code == 404


# ---------------------------------------------------------------- alternative order ids


def test_alternative_order_id_lookup_lists_every_match(
    services_api: httpx.Client, organization_id: int
) -> None:
    assert error_codes(services_api.get("/order/alternate/run42")) == ["not_found|order"]
    first = place_order(services_api, organization_id, alternative_order_id="run42")
    second = place_order(services_api, organization_id, alternative_order_id="run42")
    listed = services_api.get("/order/alternate/run42").json()
    assert [o["order_id"] for o in listed["orders"]] == [first["id"], second["id"]]
    assert listed["orders"][0]["status"] == "needs_approval"
    assert listed["page"] == {"total": 2, "limit": 1000, "offset": 0}
    paged = services_api.get("/order/alternate/run42", params={"limit": 1, "offset": 1}).json()
    assert [o["order_id"] for o in paged["orders"]] == [second["id"]]
    assert (
        services_api.get(f"/order/certificate/{first['id']}").json()["alternative_order_id"]
        == "run42"
    )


def test_unique_alternative_order_ids_when_the_account_requires_them(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    clean_sandbox.control.update_settings(require_unique_alternative_order_ids=True)
    place_order(services_api, organization_id, alternative_order_id="once")
    before = balance(services_api)
    again = post_order(services_api, order_body(organization_id, alternative_order_id="once"))
    assert again.status_code == 400
    assert "alternative_order_id" in error_codes(again)[0]
    assert balance(services_api) == before
    assert len(services_api.get("/order/alternate/once").json()["orders"]) == 1


# ---------------------------------------------------------------- balance


def test_balance_paid_orders_debit_the_balance_by_product_and_years(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    clean_sandbox.control.set_balance("1000.00", negative_balance_limit="0.00")
    place_order(services_api, organization_id, order_validity={"years": 1})
    assert balance(services_api) == "501.00"
    post_order(
        services_api,
        order_body(organization_id, order_validity={"years": 3}),
        "document_signing_org_2",
    )
    refused = post_order(services_api, order_body(organization_id, order_validity={"years": 2}))
    assert error_codes(refused) == ["insufficient_funds"]
    assert balance(services_api) == "501.00"


# ---------------------------------------------------------------- order contacts


def order_contact(contact_type: str, **fields: Any) -> dict[str, Any]:
    return {"contact_type": contact_type, **fields}


GRACE = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"}


def test_order_contacts_are_replaced_added_and_kept_but_never_removed(
    services_api: httpx.Client, organization_id: int
) -> None:
    created = place_order(services_api, organization_id)
    url = f"/order/certificate/{created['id']}"
    inherited = services_api.get(url).json()["organization_contact"]
    assert inherited["first_name"] == "Ada"  # the organization's, until the order has its own
    response = services_api.put(
        f"{url}/contact",
        json={
            "contacts": [
                order_contact("organization_contact", **GRACE, job_title="CISO", language_id="1"),
                order_contact("technical_contact", **GRACE, telephone="801-555-0199"),
            ]
        },
    )
    assert response.status_code == 204
    assert response.content == b""
    order = services_api.get(url).json()
    assert order["organization_contact"]["first_name"] == "Grace"
    assert order["organization_contact"]["job_title"] == "CISO"
    assert order["technical_contact"]["telephone"] == "801-555-0199"
    # Optional fields left out keep their values; the type left out is untouched.
    same_person = services_api.put(
        f"{url}/contact",
        json={"contacts": [order_contact("organization_contact", **GRACE, telephone="1")]},
    )
    assert same_person.status_code == 204
    order = services_api.get(url).json()
    assert order["organization_contact"]["job_title"] == "CISO"
    assert order["organization_contact"]["telephone"] == "1"
    assert order["technical_contact"]["telephone"] == "801-555-0199"
    # No removal: a contact without its required fields is refused.
    removal = services_api.put(
        f"{url}/contact", json={"contacts": [{"contact_type": "technical_contact"}]}
    )
    assert sorted(error_codes(removal)) == [
        "missing_field|contacts.0.email",
        "missing_field|contacts.0.first_name",
        "missing_field|contacts.0.last_name",
    ]
    twice = services_api.put(
        f"{url}/contact",
        json={
            "contacts": [
                order_contact("technical_contact", **GRACE),
                order_contact("technical_contact", **GRACE),
            ]
        },
    )
    assert error_codes(twice) == ["contact_type_duplicate"]
    assert error_codes(services_api.put(f"{url}/contact", json={"contacts": []})) == [
        "invalid_field|contacts"
    ]
    unknown = services_api.put(
        "/order/certificate/5999999/contact",
        json={"contacts": [order_contact("technical_contact", **GRACE)]},
    )
    assert error_codes(unknown) == ["not_found|order"]


# ---------------------------------------------------------------- statuses seen only in examples


def test_control_puts_an_order_in_a_status_seen_only_in_examples(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    created = place_order(services_api, organization_id)
    assert clean_sandbox.control.set_order_status(created["id"], "approved")["status"] == "approved"
    assert services_api.get(f"/order/certificate/{created['id']}").json()["status"] == "approved"
    listed = services_api.get(f"/order/alternate/{created['id']}")
    assert listed.status_code == 404  # no alternative id was given


def test_the_pages_example_body_is_accepted_as_it_stands(clean_sandbox: SandboxServer) -> None:
    """The request body of the French copy of the order page (seed 004), byte for byte apart
    from the JSON parse: organization 334455 in container 221122, validity_years only."""
    body = example_order_body()
    with example_account_api(clean_sandbox, body, verify=TLS) as example_api:
        response = example_api.post("/order/certificate/document_signing_org_1", json=body)
        assert response.status_code == 201, response.text
        created = response.json()
        assert created["requests"][0]["status"] == "approved"  # skip_approval: true
        order = example_api.get(f"/order/certificate/{created['id']}").json()
    assert order["organization"]["id"] == 334455
    assert order["container"]["id"] == 221122
    assert order["order_validity"] == {"years": body["validity_years"]}
    assert order["certificate"]["server_platform"]["id"] == 21
    assert order["ship_info"]["method"] == "standard"


# ---------------------------------------------------------------- renewals


def test_a_renewal_names_the_order_it_renews_and_each_side_says_so(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    first = issued_order(services_api, clean_sandbox, organization_id, alternative_order_id="first")
    renewal = place_order(
        services_api, organization_id, alternative_order_id="renewal", renewal_of_order_id=first
    )
    renewed = services_api.get(f"/order/certificate/{first}").json()
    assert (renewed["is_renewed"], renewed["renewed_order_id"]) == (True, renewal["id"])
    info = services_api.get(f"/order/certificate/{renewal['id']}").json()
    assert (info["is_renewal"], info["renewal_of_order_id"]) == (True, first)
    request = services_api.get(f"/request/{renewal['requests'][0]['id']}").json()
    assert request["order"]["renewal_of_order_valid_till"] == renewed["certificate"]["valid_till"]
    # The renewed certificate is untouched.
    assert renewed["status"] == "issued"


def test_a_canceled_renewal_renews_nothing(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    first = issued_order(services_api, clean_sandbox, organization_id)
    renewal = place_order(services_api, organization_id, renewal_of_order_id=first)
    clean_sandbox.control.advance_order(renewal["id"], "cancel")
    renewed = services_api.get(f"/order/certificate/{first}").json()
    assert renewed["is_renewed"] is False
    assert "renewed_order_id" not in renewed


@pytest.mark.parametrize("target", ["pending", "canceled", "unknown", "other_account"])
def test_only_an_issued_or_expired_order_of_the_account_can_be_renewed(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int, target: str
) -> None:
    if target == "unknown":
        renewed = 5_999_999
    elif target == "other_account":
        other = clean_sandbox.control.create_account("Other")
        with httpx.Client(
            base_url=clean_sandbox.services_url,
            headers={"X-DC-DEVKEY": other["api_key"]},
            verify=TLS,
        ) as other_api:
            renewed = issued_order(other_api, clean_sandbox, create_organization(other_api))
    else:
        renewed = int(place_order(services_api, organization_id, skip_approval=True)["id"])
        if target == "canceled":
            clean_sandbox.control.advance_order(renewed, "cancel")
    before = balance(services_api)
    response = post_order(services_api, order_body(organization_id, renewal_of_order_id=renewed))
    assert response.status_code == 400, response.text
    assert error_codes(response) == ["invalid_field|renewal_of_order_id"]
    assert balance(services_api) == before, "a refused renewal buys nothing"


def test_an_expired_order_can_be_renewed(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    first = issued_order(services_api, clean_sandbox, organization_id)
    clean_sandbox.control.advance_order(first, "expire")
    response = post_order(services_api, order_body(organization_id, renewal_of_order_id=first))
    assert response.status_code == 201, response.text


def test_days_remaining_follow_the_sandbox_clock(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    order_id = issued_order(services_api, clean_sandbox, organization_id)
    before = services_api.get(f"/order/certificate/{order_id}").json()["certificate"][
        "days_remaining"
    ]
    clean_sandbox.control.advance_clock(10 * 86_400)
    after = services_api.get(f"/order/certificate/{order_id}").json()["certificate"][
        "days_remaining"
    ]
    assert before - after == 10
