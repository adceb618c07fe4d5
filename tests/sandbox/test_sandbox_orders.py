"""Document signing orders, requests, cancel and revoke (API.md C1-C13, D1)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer
from support.seeds import example_order_body

from .builders import CSR, PRODUCT, TLS, create_organization, error_codes, order_body, place_order

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


@pytest.fixture
def organization_id(api: httpx.Client) -> int:
    return create_organization(api)


def post_order(api: httpx.Client, body: dict[str, Any], product: str = PRODUCT) -> httpx.Response:
    return api.post(f"/order/certificate/{product}", json=body)


def balance(api: httpx.Client) -> str:
    return str(api.get("/finance/balance").json()["balance"])


# ---------------------------------------------------------------- placing an order


def test_order_needs_approval_by_default(api: httpx.Client, organization_id: int) -> None:
    created = place_order(api, organization_id, comments="for the legal team")
    assert set(created) == {"id", "requests"}
    assert created["requests"][0]["status"] == "pending"
    order = api.get(f"/order/certificate/{created['id']}").json()
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


def test_skip_approval_goes_straight_to_pending(api: httpx.Client, organization_id: int) -> None:
    created = place_order(api, organization_id, skip_approval=True)
    assert created["requests"][0]["status"] == "approved"
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "pending"


def test_immediate_issuance_returns_certificate_id(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    sb.control.update_settings(auto_issue_after=0)
    created = place_order(api, organization_id, skip_approval=True)
    assert isinstance(created["certificate_id"], int)
    order = api.get(f"/order/certificate/{created['id']}").json()
    assert order["status"] == "issued"
    assert order["certificate"]["id"] == created["certificate_id"]
    assert order["certificate"]["valid_till"] > order["certificate"]["valid_from"]


def test_issued_by_time_after_approval(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    sb.control.update_settings(auto_issue_after=3600)
    created = place_order(api, organization_id)
    sb.control.advance_clock(7200)
    # still waiting for an approver: time alone does not approve
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "needs_approval"
    request_id = created["requests"][0]["id"]
    assert api.put(f"/request/{request_id}/status", json={"status": "approved"}).status_code == 204
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "pending"
    sb.control.advance_clock(3601)
    order = api.get(f"/order/certificate/{created['id']}").json()
    assert order["status"] == "issued"
    assert isinstance(order["certificate"]["id"], int)


def test_order_requires_approval_setting_off(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    sb.control.update_settings(order_requires_approval=False)
    created = place_order(api, organization_id)
    assert created["requests"][0]["status"] == "approved"


def test_order_info_by_serial_number(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    created = place_order(api, organization_id)
    sb.control.advance_order(created["id"], "issue")
    serial = api.get(f"/order/certificate/{created['id']}").json()["certificate"]["serial_number"]
    assert api.get(f"/order/certificate/{serial}").json()["id"] == created["id"]
    assert error_codes(api.get("/order/certificate/5999999")) == ["not_found|order"]
    assert api.get("/order/certificate/nosuchserial").status_code == 404


def test_unknown_product_is_404(api: httpx.Client, organization_id: int) -> None:
    response = post_order(api, order_body(organization_id), "ssl_plus")
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
    api: httpx.Client, organization_id: int, change: dict[str, Any], codes: list[str]
) -> None:
    body = order_body(organization_id)
    body.update(change)
    response = post_order(api, body)
    assert response.status_code == 400
    assert sorted(error_codes(response)) == sorted(codes)
    assert api.get("/order/alternate/anything").status_code == 404  # nothing was placed


def test_required_sections_missing(api: httpx.Client) -> None:
    response = post_order(api, {})
    assert sorted(error_codes(response)) == [
        "missing_field|certificate",
        "missing_field|organization",
        "missing_field|subject",
    ]


def test_order_validity_or_the_deprecated_validity_years(
    api: httpx.Client, organization_id: int
) -> None:
    without_either = order_body(organization_id)
    del without_either["order_validity"]
    assert error_codes(post_order(api, without_either)) == ["missing_field|order_validity"]
    # The page's own example sends only the deprecated validity_years.
    deprecated = post_order(api, {**without_either, "validity_years": 2})
    assert deprecated.status_code == 201, deprecated.text
    order = api.get(f"/order/certificate/{deprecated.json()['id']}").json()
    assert order["order_validity"] == {"years": 2}
    both = post_order(api, {**without_either, "validity_years": 1, "order_validity": {"years": 1}})
    assert both.status_code == 201


@pytest.mark.parametrize("field", ["name", "job_title", "phone", "email"])
def test_subject_needs_all_four_fields(api: httpx.Client, organization_id: int, field: str) -> None:
    body = order_body(organization_id)
    body["subject"] = {k: v for k, v in body["subject"].items() if k != field}
    assert error_codes(post_order(api, body)) == [f"missing_field|subject.{field}"]


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
    api: httpx.Client, organization_id: int, change: dict[str, Any], code: str
) -> None:
    card = {**CARD, **change}
    response = post_order(
        api,
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
    api: httpx.Client, organization_id: int, missing: str
) -> None:
    card = {k: v for k, v in CARD.items() if k != missing}
    response = post_order(
        api,
        order_body(
            organization_id, payment_method="card", credit_card=card, billing_address=BILLING
        ),
    )
    assert error_codes(response) == [f"missing_field|credit_card.{missing}"]


@pytest.mark.parametrize(
    ("value", "accepted"), [(1, True), (0, True), (True, False), ("1", False), (2, False)]
)
def test_enable_guest_access_is_the_documented_integer(
    api: httpx.Client, organization_id: int, value: object, accepted: bool
) -> None:
    response = post_order(api, order_body(organization_id, enable_guest_access=value))
    if accepted:
        assert response.status_code == 201, response.text
    else:
        assert error_codes(response) == ["invalid_field|enable_guest_access"]


def test_billing_state_and_zip_are_optional_for_some_countries(
    api: httpx.Client, organization_id: int
) -> None:
    billing = {"address": "1 Rue de Rivoli", "city": "Paris", "country": "fr"}
    response = post_order(
        api,
        order_body(
            organization_id, payment_method="card", credit_card=CARD, billing_address=billing
        ),
    )
    assert response.status_code == 201, response.text


def test_card_payment_with_card_and_billing_address(
    api: httpx.Client, organization_id: int
) -> None:
    before = balance(api)
    created = place_order(
        api, organization_id, payment_method="card", credit_card=CARD, billing_address=BILLING
    )
    order = api.get(f"/order/certificate/{created['id']}").json()
    assert order["payment_method"] == "card"
    assert "4111111111111111" not in str(order)
    assert balance(api) == before
    bad_card = post_order(
        api,
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
    api: httpx.Client, organization_id: int
) -> None:
    place_order(
        api,
        organization_id,
        cs_provisioning_method="email",
        certificate={"signature_hash": "sha256", "csr": CSR, "server_platform": {"id": 21}},
    )
    bad_csr = post_order(
        api,
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
        api, organization_id, cs_provisioning_method="ship_token", ship_info=ship_info
    )
    order = api.get(f"/order/certificate/{shipped['id']}").json()
    assert order["ship_info"]["method"] == "EXPEDITED"
    assert order["price"] == "524.00"  # expedited shipping costs more
    wrong = post_order(
        api, order_body(organization_id, cs_provisioning_method="client_app", ship_info=ship_info)
    )
    assert error_codes(wrong) == ["invalid_field|ship_info"]


def test_organization_must_exist_and_be_active(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    missing = post_order(api, order_body(3999999))
    assert error_codes(missing) == ["invalid_organization"]
    sb.control.set_organization_status(organization_id, "inactive")
    inactive = post_order(api, order_body(organization_id))
    assert error_codes(inactive) == ["invalid_organization"]
    assert "not active" in inactive.json()["errors"][0]["message"]


def test_another_accounts_organization_is_not_usable(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    other = sb.control.create_account("Other")
    with httpx.Client(
        verify=TLS, base_url=sb.services_url, headers={"X-DC-DEVKEY": other["api_key"]}
    ) as other_api:
        response = other_api.post(f"/order/certificate/{PRODUCT}", json=order_body(organization_id))
        assert error_codes(response) == ["invalid_organization"]
        assert other_api.get(f"/organization/{organization_id}").status_code == 404


# ---------------------------------------------------------------- alternative order ids


def test_alternative_order_id_lookup_lists_every_match(
    api: httpx.Client, organization_id: int
) -> None:
    assert error_codes(api.get("/order/alternate/run42")) == ["not_found|order"]
    first = place_order(api, organization_id, alternative_order_id="run42")
    second = place_order(api, organization_id, alternative_order_id="run42")
    listed = api.get("/order/alternate/run42").json()
    assert [o["order_id"] for o in listed["orders"]] == [first["id"], second["id"]]
    assert listed["orders"][0]["status"] == "needs_approval"
    assert listed["page"] == {"total": 2, "limit": 1000, "offset": 0}
    paged = api.get("/order/alternate/run42", params={"limit": 1, "offset": 1}).json()
    assert [o["order_id"] for o in paged["orders"]] == [second["id"]]
    assert api.get(f"/order/certificate/{first['id']}").json()["alternative_order_id"] == "run42"


def test_unique_alternative_order_ids_when_the_account_requires_them(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    sb.control.update_settings(require_unique_alternative_order_ids=True)
    place_order(api, organization_id, alternative_order_id="once")
    before = balance(api)
    again = post_order(api, order_body(organization_id, alternative_order_id="once"))
    assert again.status_code == 400
    assert "alternative_order_id" in error_codes(again)[0]
    assert balance(api) == before
    assert len(api.get("/order/alternate/once").json()["orders"]) == 1


# ---------------------------------------------------------------- balance


def test_balance_paid_orders_debit_the_balance_by_product_and_years(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    sb.control.set_balance("1000.00", negative_balance_limit="0.00")
    place_order(api, organization_id, order_validity={"years": 1})
    assert balance(api) == "501.00"
    post_order(
        api, order_body(organization_id, order_validity={"years": 3}), "document_signing_org_2"
    )
    refused = post_order(api, order_body(organization_id, order_validity={"years": 2}))
    assert error_codes(refused) == ["insufficient_funds"]
    assert balance(api) == "501.00"


# ---------------------------------------------------------------- requests


def test_request_info_and_approval(api: httpx.Client, organization_id: int) -> None:
    created = place_order(api, organization_id, comments="please")
    request_id = created["requests"][0]["id"]
    request = api.get(f"/request/{request_id}").json()
    assert request["id"] == request_id
    assert request["type"] == "new_request"
    assert request["status"] == "pending"
    assert request["order"]["id"] == created["id"]
    assert request["comments"] == "please"
    assert "date_processed" not in request
    approved = api.put(
        f"/request/{request_id}/status", json={"status": "approved", "processor_comment": "ok"}
    )
    assert approved.status_code == 204
    request = api.get(f"/request/{request_id}").json()
    assert request["status"] == "approved"
    assert request["processor_comment"] == "ok"
    assert "date_processed" in request
    again = api.put(f"/request/{request_id}/status", json={"status": "rejected"})
    assert error_codes(again) == ["invalid_request_status"]


def test_rejecting_the_request_rejects_the_order_and_refunds(
    api: httpx.Client, organization_id: int
) -> None:
    before = balance(api)
    created = place_order(api, organization_id)
    assert balance(api) != before
    request_id = created["requests"][0]["id"]
    assert api.put(f"/request/{request_id}/status", json={"status": "rejected"}).status_code == 204
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "rejected"
    assert balance(api) == before


def test_request_errors(api: httpx.Client, organization_id: int) -> None:
    created = place_order(api, organization_id)
    request_id = created["requests"][0]["id"]
    assert error_codes(api.get("/request/6999999")) == ["not_found|request"]
    assert (
        api.get(f"/request/{created['id']}").status_code == 404
    )  # an order id is not a request id
    bad = api.put(f"/request/{request_id}/status", json={"status": "APPROVED"})
    assert error_codes(bad) == ["invalid_field|status"]
    submitted = api.put(f"/request/{request_id}/status", json={"status": "submitted"})
    assert submitted.status_code == 204
    assert api.get(f"/request/{request_id}").json()["status"] == "submitted"


# ---------------------------------------------------------------- cancel


def test_cancel_a_pending_order_needs_a_note(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    before = balance(api)
    created = place_order(api, organization_id, skip_approval=True)
    url = f"/order/certificate/{created['id']}/status"
    no_note = api.put(url, json={"status": "canceled"})
    assert error_codes(no_note) == ["missing_field|note"]
    canceled = api.put(url, json={"status": "canceled", "note": "ordered by mistake"})
    assert canceled.status_code == 204
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "canceled"
    assert balance(api) == before


def test_cancel_is_refused_for_orders_not_pending(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    waiting = place_order(api, organization_id)
    refused = api.put(
        f"/order/certificate/{waiting['id']}/status", json={"status": "canceled", "note": "x"}
    )
    assert error_codes(refused) == ["invalid_order_status"]
    issued = place_order(api, organization_id, skip_approval=True)
    sb.control.advance_order(issued["id"], "issue")
    refused = api.put(
        f"/order/certificate/{issued['id']}/status", json={"status": "canceled", "note": "x"}
    )
    assert error_codes(refused) == ["invalid_order_status"]
    case = api.put(
        f"/order/certificate/{issued['id']}/status", json={"status": "CANCELED", "note": "x"}
    )
    assert error_codes(case) == ["invalid_field|status"]
    renewed = api.put(f"/order/certificate/{issued['id']}/status", json={"status": "renewed"})
    assert error_codes(renewed) == ["invalid_order_status"]
    assert (
        api.put("/order/certificate/5999999/status", json={"status": "canceled", "note": "x"})
    ).status_code == 404


def test_canceling_a_reissue_pending_order_cancels_the_reissue(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    # ORDER-STATUS: canceled on reissue_pending cancels the reissue; the order is issued again
    # and the reissue request is rejected with the note as its processor comment.
    created = place_order(api, organization_id, skip_approval=True)
    sb.control.advance_order(created["id"], "issue")
    assert sb.control.advance_order(created["id"], "reissue")["status"] == "reissue_pending"
    url = f"/order/certificate/{created['id']}"
    reissue = next(r for r in api.get(url).json()["requests"] if r["type"] == "reissue")
    assert reissue["status"] == "pending"
    canceled = api.put(f"{url}/status", json={"status": "canceled", "note": "not this time"})
    assert canceled.status_code == 204
    assert api.get(url).json()["status"] == "issued"
    request = api.get(f"/request/{reissue['id']}").json()
    assert (request["status"], request["processor_comment"]) == ("rejected", "not this time")


# ---------------------------------------------------------------- order contacts


def order_contact(contact_type: str, **fields: Any) -> dict[str, Any]:
    return {"contact_type": contact_type, **fields}


GRACE = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"}


def test_order_contacts_are_replaced_added_and_kept_but_never_removed(
    api: httpx.Client, organization_id: int
) -> None:
    created = place_order(api, organization_id)
    url = f"/order/certificate/{created['id']}"
    inherited = api.get(url).json()["organization_contact"]
    assert inherited["first_name"] == "Ada"  # the organization's, until the order has its own
    response = api.put(
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
    order = api.get(url).json()
    assert order["organization_contact"]["first_name"] == "Grace"
    assert order["organization_contact"]["job_title"] == "CISO"
    assert order["technical_contact"]["telephone"] == "801-555-0199"
    # Optional fields left out keep their values; the type left out is untouched.
    same_person = api.put(
        f"{url}/contact",
        json={"contacts": [order_contact("organization_contact", **GRACE, telephone="1")]},
    )
    assert same_person.status_code == 204
    order = api.get(url).json()
    assert order["organization_contact"]["job_title"] == "CISO"
    assert order["organization_contact"]["telephone"] == "1"
    assert order["technical_contact"]["telephone"] == "801-555-0199"
    # No removal: a contact without its required fields is refused.
    removal = api.put(f"{url}/contact", json={"contacts": [{"contact_type": "technical_contact"}]})
    assert sorted(error_codes(removal)) == [
        "missing_field|contacts.0.email",
        "missing_field|contacts.0.first_name",
        "missing_field|contacts.0.last_name",
    ]
    twice = api.put(
        f"{url}/contact",
        json={
            "contacts": [
                order_contact("technical_contact", **GRACE),
                order_contact("technical_contact", **GRACE),
            ]
        },
    )
    assert error_codes(twice) == ["contact_type_duplicate"]
    assert error_codes(api.put(f"{url}/contact", json={"contacts": []})) == [
        "invalid_field|contacts"
    ]
    unknown = api.put(
        "/order/certificate/5999999/contact",
        json={"contacts": [order_contact("technical_contact", **GRACE)]},
    )
    assert error_codes(unknown) == ["not_found|order"]


# ---------------------------------------------------------------- statuses seen only in examples


def test_control_puts_an_order_in_a_status_seen_only_in_examples(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    created = place_order(api, organization_id)
    assert sb.control.set_order_status(created["id"], "approved")["status"] == "approved"
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "approved"
    listed = api.get(f"/order/alternate/{created['id']}")
    assert listed.status_code == 404  # no alternative id was given


def test_the_pages_example_body_is_accepted_as_it_stands(sb: SandboxServer) -> None:
    """The request body of the French copy of the order page (seed 004), byte for byte apart
    from the JSON parse: organization 334455 in container 221122, validity_years only."""
    body = example_order_body()
    account = sb.control.create_account("Example Account", container_id=221122)
    sb.control.import_organization(
        id=334455,
        account_id=account["account_id"],
        name="Example Org",
        address="360 Taylor Street",
        city="Richmond",
        state="va",
        zip="69662",
        country="us",
    )
    with httpx.Client(
        base_url=sb.services_url, headers={"X-DC-DEVKEY": account["api_key"]}, verify=TLS
    ) as example_api:
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


# ---------------------------------------------------------------- revoke


def test_revoke_with_skip_approval_is_204_and_immediate(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    created = place_order(api, organization_id, skip_approval=True)
    sb.control.advance_order(created["id"], "issue")
    response = api.put(
        f"/order/certificate/{created['id']}/revoke",
        json={"skip_approval": True, "comments": "key lost", "revocation_reason": "keyCompromise"},
    )
    assert response.status_code == 204
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "revoked"


def test_revoke_without_skip_approval_is_a_pending_request(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    created = place_order(api, organization_id, skip_approval=True)
    sb.control.advance_order(created["id"], "issue")
    response = api.put(f"/order/certificate/{created['id']}/revoke", json={"comments": "done"})
    assert response.status_code == 201
    request = response.json()
    assert request["type"] == "revoke"
    assert request["status"] == "pending"
    assert request["comments"] == "done"
    assert set(request["requester"]) >= {"id", "first_name", "last_name", "email"}
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "issued"
    approve = api.put(f"/request/{request['id']}/status", json={"status": "approved"})
    assert approve.status_code == 204
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "revoked"


def test_revoke_refused_unless_issued(api: httpx.Client, organization_id: int) -> None:
    created = place_order(api, organization_id)
    refused = api.put(f"/order/certificate/{created['id']}/revoke", json={})
    assert error_codes(refused) == ["invalid_order_status"]
    unknown = api.put(f"/order/certificate/{created['id']}/revoke", json={"reason": "x"})
    assert error_codes(unknown) == ["invalid_field|reason"]


# ---------------------------------------------------------------- control API


def test_control_lists_and_advances_orders(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    created = place_order(api, organization_id, alternative_order_id="ctl1")
    [summary] = sb.control.orders()
    assert summary == {
        "id": created["id"],
        "account_id": summary["account_id"],
        "alternative_order_id": "ctl1",
        "status": "needs_approval",
        "product": PRODUCT,
        "organization_id": organization_id,
        "request_id": created["requests"][0]["id"],
        "request_status": "pending",
        "certificate_id": None,
        "renewal_of_order_id": None,
    }
    approved = sb.control.advance_order(created["id"], "approve")
    assert (approved["status"], approved["request_status"]) == ("pending", "approved")
    issued = sb.control.advance_order(created["id"], "issue")
    assert issued["status"] == "issued"
    assert isinstance(issued["certificate_id"], int)
    with pytest.raises(httpx.HTTPStatusError) as refused:
        sb.control.advance_order(created["id"], "cancel")
    assert refused.value.response.status_code == 409
    assert sb.control.advance_order(created["id"], "revoke")["status"] == "revoked"


def test_control_reject_cancel_and_expire(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    rejected = place_order(api, organization_id)
    result = sb.control.advance_order(rejected["id"], "reject")
    assert (result["status"], result["request_status"]) == ("rejected", "rejected")
    canceled = place_order(api, organization_id)
    assert sb.control.advance_order(canceled["id"], "cancel")["status"] == "canceled"
    expired = place_order(api, organization_id)
    sb.control.advance_order(expired["id"], "issue")
    assert sb.control.advance_order(expired["id"], "expire")["status"] == "expired"


def test_issued_orders_expire_with_the_clock(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    created = place_order(api, organization_id)
    sb.control.advance_order(created["id"], "issue")
    sb.control.advance_clock(366 * 86400)
    assert api.get(f"/order/certificate/{created['id']}").json()["status"] == "expired"


# ---------------------------------------------------------------- renewals and downloads


def issued_order(api: httpx.Client, sb: SandboxServer, organization_id: int, **extra: Any) -> int:
    order_id = int(place_order(api, organization_id, **extra)["id"])
    sb.control.advance_order(order_id, "issue")
    return order_id


def test_a_renewal_names_the_order_it_renews_and_each_side_says_so(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    first = issued_order(api, sb, organization_id, alternative_order_id="first")
    renewal = place_order(
        api, organization_id, alternative_order_id="renewal", renewal_of_order_id=first
    )
    renewed = api.get(f"/order/certificate/{first}").json()
    assert (renewed["is_renewed"], renewed["renewed_order_id"]) == (True, renewal["id"])
    info = api.get(f"/order/certificate/{renewal['id']}").json()
    assert (info["is_renewal"], info["renewal_of_order_id"]) == (True, first)
    request = api.get(f"/request/{renewal['requests'][0]['id']}").json()
    assert request["order"]["renewal_of_order_valid_till"] == renewed["certificate"]["valid_till"]
    # The renewed certificate is untouched.
    assert renewed["status"] == "issued"


def test_a_canceled_renewal_renews_nothing(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    first = issued_order(api, sb, organization_id)
    renewal = place_order(api, organization_id, renewal_of_order_id=first)
    sb.control.advance_order(renewal["id"], "cancel")
    renewed = api.get(f"/order/certificate/{first}").json()
    assert renewed["is_renewed"] is False
    assert "renewed_order_id" not in renewed


@pytest.mark.parametrize("target", ["pending", "canceled", "unknown", "other_account"])
def test_only_an_issued_or_expired_order_of_the_account_can_be_renewed(
    api: httpx.Client, sb: SandboxServer, organization_id: int, target: str
) -> None:
    if target == "unknown":
        renewed = 5_999_999
    elif target == "other_account":
        other = sb.control.create_account("Other")
        with httpx.Client(
            base_url=sb.services_url, headers={"X-DC-DEVKEY": other["api_key"]}, verify=TLS
        ) as other_api:
            renewed = issued_order(other_api, sb, create_organization(other_api))
    else:
        renewed = int(place_order(api, organization_id, skip_approval=True)["id"])
        if target == "canceled":
            sb.control.advance_order(renewed, "cancel")
    before = balance(api)
    response = post_order(api, order_body(organization_id, renewal_of_order_id=renewed))
    assert response.status_code == 400, response.text
    assert error_codes(response) == ["invalid_field|renewal_of_order_id"]
    assert balance(api) == before, "a refused renewal buys nothing"


def test_an_expired_order_can_be_renewed(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    first = issued_order(api, sb, organization_id)
    sb.control.advance_order(first, "expire")
    response = post_order(api, order_body(organization_id, renewal_of_order_id=first))
    assert response.status_code == 201, response.text


def test_days_remaining_follow_the_sandbox_clock(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    order_id = issued_order(api, sb, organization_id)
    before = api.get(f"/order/certificate/{order_id}").json()["certificate"]["days_remaining"]
    sb.control.advance_clock(10 * 86_400)
    after = api.get(f"/order/certificate/{order_id}").json()["certificate"]["days_remaining"]
    assert before - after == 10


def download(api: httpx.Client, order_id: int, format_type: str = "pem_all") -> httpx.Response:
    return api.get(f"/certificate/download/order/{order_id}/format/{format_type}")


def test_a_certificate_issued_to_an_hsm_downloads_as_one_pem_bundle(
    api: httpx.Client, sb: SandboxServer, organization_id: int
) -> None:
    order_id = issued_order(
        api,
        sb,
        organization_id,
        cs_provisioning_method="email",
        certificate={"signature_hash": "sha256", "csr": CSR},
    )
    bundle = download(api, order_id)
    assert bundle.status_code == 200
    assert bundle.headers["content-type"] == "application/x-pem-file"
    assert bundle.text.count("-----BEGIN CERTIFICATE-----") == 3
    assert download(api, order_id, "pem_noroot").text.count("-----BEGIN CERTIFICATE-----") == 2
    refused = download(api, order_id, "p12")
    assert refused.status_code == 400
    assert error_codes(refused) == ["invalid_field|format_type"]


@pytest.mark.parametrize("method", ["ship_token", "client_app"])
def test_a_token_certificate_is_not_downloaded_and_its_init_code_is_in_order_info(
    api: httpx.Client, sb: SandboxServer, organization_id: int, method: str
) -> None:
    extra: dict[str, Any] = {"cs_provisioning_method": method}
    if method == "ship_token":
        extra["ship_info"] = {
            "name": "Erin Guerra",
            "addr1": "360 Taylor Street",
            "city": "Richmond",
            "state": "va",
            "zip": "69662",
            "country": "us",
            "method": "standard",
        }
    order_id = issued_order(api, sb, organization_id, **extra)
    refused = download(api, order_id)
    assert refused.status_code == 404
    assert error_codes(refused) == ["not_found|certificate"]
    info = api.get(f"/order/certificate/{order_id}").json()
    assert isinstance(info["hardware_init_code"], str)
    assert info["hardware_init_code"]


def test_an_order_not_issued_has_no_certificate_to_download(
    api: httpx.Client, organization_id: int
) -> None:
    order_id = int(
        place_order(
            api,
            organization_id,
            cs_provisioning_method="email",
            certificate={"signature_hash": "sha256", "csr": CSR},
        )["id"]
    )
    refused = download(api, order_id)
    assert refused.status_code == 404
    assert "hardware_init_code" not in api.get(f"/order/certificate/{order_id}").json()
