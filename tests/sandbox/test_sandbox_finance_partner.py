"""View balance (API.md D1) and the Partner Subscriptions billing link (API.md E1)."""

from __future__ import annotations

import httpx

from pulumi_digicert.sandbox import SandboxServer

from .builders import PRODUCT, create_organization, error_codes, order_body


def test_balance_shape_money_as_strings(api: httpx.Client) -> None:
    response = api.get("/finance/balance")
    assert response.status_code == 200
    assert response.json() == {
        "balance": "100000.00",
        "currency": "USD",
        "unpaid_invoice_balance": "0.00",
        "negative_balance_limit": "2000.00",
        "used_credit_from_other_containers": "0.00",
        "total_available_funds": "102000.00",
    }


def test_balance_container_id(api: httpx.Client) -> None:
    container_id = api.post(
        "/organization",
        json={
            "name": "C",
            "address": "a",
            "city": "c",
            "state": "s",
            "zip": "1",
            "country": "us",
        },
    ).json()["id"]
    container = api.get(f"/organization/{container_id}").json()["container"]["id"]
    assert api.get("/finance/balance", params={"container_id": container}).status_code == 200
    wrong = api.get("/finance/balance", params={"container_id": 1})
    assert error_codes(wrong) == ["not_found|container"]
    assert error_codes(api.get("/finance/balance", params={"division": 1})) == [
        "invalid_field|division"
    ]


def test_control_sets_balance(api: httpx.Client, sb: SandboxServer) -> None:
    sb.control.set_balance("-1000.70", negative_balance_limit="5000.00")
    body = api.get("/finance/balance").json()
    assert body["balance"] == "-1000.70"
    assert body["total_available_funds"] == "3999.30"
    assert sb.control.balance()["balance"] == "-1000.70"


def test_unlimited_negative_balance_is_reported_without_limit_or_total(
    api: httpx.Client, sb: SandboxServer
) -> None:
    # View balance: unlimited_negative_balance is present only when true, and then
    # negative_balance_limit and total_available_funds are absent (API.md D1).
    sb.control.set_balance("-250000.00", unlimited_negative_balance=True)
    body = api.get("/finance/balance").json()
    assert body == {
        "balance": "-250000.00",
        "currency": "USD",
        "unpaid_invoice_balance": "0.00",
        "used_credit_from_other_containers": "0.00",
        "unlimited_negative_balance": True,
    }
    organization_id = create_organization(api)
    placed = api.post(f"/order/certificate/{PRODUCT}", json=order_body(organization_id))
    assert placed.status_code == 201, placed.text  # nothing limits the spend
    assert api.get("/finance/balance").json()["balance"] == "-250499.00"
    sb.control.set_balance("-250499.00", unlimited_negative_balance=False)
    limited = api.get("/finance/balance").json()
    assert "unlimited_negative_balance" not in limited
    assert limited["negative_balance_limit"] == "2000.00"


# ---------------------------------------------------------------- account link


def link(
    partner: httpx.Client, partner_key: str | None, dev_key: str | None, **kwargs: object
) -> httpx.Response:
    headers = {}
    if partner_key is not None:
        headers["X-PARTNER-APIKEY"] = partner_key
    if dev_key is not None:
        headers["X-DC-DEVKEY"] = dev_key
    return partner.put("/finance/account-link", headers=headers, **kwargs)  # type: ignore[arg-type]


def test_link_resolves_the_devkey_to_its_account(partner: httpx.Client, sb: SandboxServer) -> None:
    billing = sb.control.create_account("Billing Co")
    response = link(partner, sb.partner_api_key, billing["api_key"])
    assert response.status_code == 204
    assert response.content == b""
    [row] = sb.control.account_links()["links"]
    assert row["billing_account_id"] == billing["account_id"]
    other = sb.control.create_account("Other Co")
    assert link(partner, sb.partner_api_key, other["api_key"]).status_code == 204
    [row] = sb.control.account_links()["links"]
    assert row["billing_account_id"] == other["account_id"]


def test_subaccount_links_with_its_own_key(partner: httpx.Client, sb: SandboxServer) -> None:
    billing = sb.control.create_account("Billing")
    sub = sb.control.create_partner_subaccount("Team A")
    assert link(partner, sub["partner_api_key"], billing["api_key"]).status_code == 204
    links = sb.control.account_links()["links"]
    assert links == [
        {
            "partner_account_id": sub["account_id"],
            "billing_account_id": billing["account_id"],
            "date_linked": links[0]["date_linked"],
        }
    ]


def test_link_errors(partner: httpx.Client, sb: SandboxServer) -> None:
    no_partner_key = link(partner, None, sb.api_key)
    assert no_partner_key.status_code == 401
    wrong_partner_key = link(partner, "not-a-key", sb.api_key)
    assert wrong_partner_key.status_code == 401
    certcentral_key_as_partner_key = link(partner, sb.api_key, sb.api_key)
    assert certcentral_key_as_partner_key.status_code == 401
    no_devkey = link(partner, sb.partner_api_key, None)
    assert no_devkey.status_code == 400
    assert error_codes(no_devkey) == ["missing_header|X-DC-DEVKEY"]
    unknown_devkey = link(partner, sb.partner_api_key, "unknown-key")
    assert unknown_devkey.status_code == 400
    assert error_codes(unknown_devkey) == ["invalid_api_key|X-DC-DEVKEY"]
    assert "unknown-key" not in unknown_devkey.text
    with_body = link(partner, sb.partner_api_key, sb.api_key, json={"account_id": 1})
    assert error_codes(with_body) == ["invalid_field|account_id"]
    assert sb.control.account_links()["links"] == []
    assert partner.get("/finance/account-link").status_code == 401
    read = partner.get("/finance/account-link", headers={"X-PARTNER-APIKEY": sb.partner_api_key})
    assert error_codes(read) == ["not_found|route"]  # there is no read endpoint
