"""View balance (API.md D1) and the Partner Subscriptions billing link (API.md E1)."""

from __future__ import annotations

import httpx

from pulumi_digicert.sandbox import SandboxServer

from .builders import PRODUCT, create_organization, error_codes, order_body


def test_balance_shape_money_as_strings(services_api: httpx.Client) -> None:
    response = services_api.get("/finance/balance")
    assert response.status_code == 200
    assert response.json() == {
        "balance": "100000.00",
        "currency": "USD",
        "unpaid_invoice_balance": "0.00",
        "negative_balance_limit": "2000.00",
        "used_credit_from_other_containers": "0.00",
        "total_available_funds": "102000.00",
    }


def test_balance_container_id(services_api: httpx.Client) -> None:
    container_id = services_api.post(
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
    container = services_api.get(f"/organization/{container_id}").json()["container"]["id"]
    assert (
        services_api.get("/finance/balance", params={"container_id": container}).status_code == 200
    )
    wrong = services_api.get("/finance/balance", params={"container_id": 1})
    assert error_codes(wrong) == ["not_found|container"]
    assert error_codes(services_api.get("/finance/balance", params={"division": 1})) == [
        "invalid_field|division"
    ]


def test_control_sets_balance(services_api: httpx.Client, clean_sandbox: SandboxServer) -> None:
    clean_sandbox.control.set_balance("-1000.70", negative_balance_limit="5000.00")
    body = services_api.get("/finance/balance").json()
    assert body["balance"] == "-1000.70"
    assert body["total_available_funds"] == "3999.30"
    assert clean_sandbox.control.balance()["balance"] == "-1000.70"


def test_unlimited_negative_balance_is_reported_without_limit_or_total(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    # View balance: unlimited_negative_balance is present only when true, and then
    # negative_balance_limit and total_available_funds are absent (API.md D1).
    clean_sandbox.control.set_balance("-250000.00", unlimited_negative_balance=True)
    body = services_api.get("/finance/balance").json()
    assert body == {
        "balance": "-250000.00",
        "currency": "USD",
        "unpaid_invoice_balance": "0.00",
        "used_credit_from_other_containers": "0.00",
        "unlimited_negative_balance": True,
    }
    organization_id = create_organization(services_api)
    placed = services_api.post(f"/order/certificate/{PRODUCT}", json=order_body(organization_id))
    assert placed.status_code == 201, placed.text  # nothing limits the spend
    assert services_api.get("/finance/balance").json()["balance"] == "-250499.00"
    clean_sandbox.control.set_balance("-250499.00", unlimited_negative_balance=False)
    limited = services_api.get("/finance/balance").json()
    assert "unlimited_negative_balance" not in limited
    assert limited["negative_balance_limit"] == "2000.00"


# ---------------------------------------------------------------- account link


def link(
    partner_api: httpx.Client, partner_key: str | None, dev_key: str | None, **kwargs: object
) -> httpx.Response:
    headers = {}
    if partner_key is not None:
        headers["X-PARTNER-APIKEY"] = partner_key
    if dev_key is not None:
        headers["X-DC-DEVKEY"] = dev_key
    return partner_api.put("/finance/account-link", headers=headers, **kwargs)  # type: ignore[arg-type]


def test_link_resolves_the_devkey_to_its_account(
    partner_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    billing = clean_sandbox.control.create_account("Billing Co")
    response = link(partner_api, clean_sandbox.partner_api_key, billing["api_key"])
    assert response.status_code == 204
    assert response.content == b""
    [row] = clean_sandbox.control.account_links()["links"]
    assert row["billing_account_id"] == billing["account_id"]
    other = clean_sandbox.control.create_account("Other Co")
    assert link(partner_api, clean_sandbox.partner_api_key, other["api_key"]).status_code == 204
    [row] = clean_sandbox.control.account_links()["links"]
    assert row["billing_account_id"] == other["account_id"]


def test_subaccount_links_with_its_own_key(
    partner_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    billing = clean_sandbox.control.create_account("Billing")
    sub = clean_sandbox.control.create_partner_subaccount("Team A")
    assert link(partner_api, sub["partner_api_key"], billing["api_key"]).status_code == 204
    links = clean_sandbox.control.account_links()["links"]
    assert links == [
        {
            "partner_account_id": sub["account_id"],
            "billing_account_id": billing["account_id"],
            "date_linked": links[0]["date_linked"],
        }
    ]


def test_link_errors(partner_api: httpx.Client, clean_sandbox: SandboxServer) -> None:
    no_partner_key = link(partner_api, None, clean_sandbox.api_key)
    assert no_partner_key.status_code == 401
    wrong_partner_key = link(partner_api, "not-a-key", clean_sandbox.api_key)
    assert wrong_partner_key.status_code == 401
    certcentral_key_as_partner_key = link(partner_api, clean_sandbox.api_key, clean_sandbox.api_key)
    assert certcentral_key_as_partner_key.status_code == 401
    no_devkey = link(partner_api, clean_sandbox.partner_api_key, None)
    assert no_devkey.status_code == 400
    assert error_codes(no_devkey) == ["missing_header|X-DC-DEVKEY"]
    unknown_devkey = link(partner_api, clean_sandbox.partner_api_key, "unknown-key")
    assert unknown_devkey.status_code == 400
    assert error_codes(unknown_devkey) == ["invalid_api_key|X-DC-DEVKEY"]
    assert "unknown-key" not in unknown_devkey.text
    with_body = link(
        partner_api, clean_sandbox.partner_api_key, clean_sandbox.api_key, json={"account_id": 1}
    )
    assert error_codes(with_body) == ["invalid_field|account_id"]
    assert clean_sandbox.control.account_links()["links"] == []
    assert partner_api.get("/finance/account-link").status_code == 401
    read = partner_api.get(
        "/finance/account-link", headers={"X-PARTNER-APIKEY": clean_sandbox.partner_api_key}
    )
    assert error_codes(read) == ["not_found|route"]  # there is no read endpoint
