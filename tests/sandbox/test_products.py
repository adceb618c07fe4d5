"""User info, products, the order list and partner account settings, as DigiCert's examples
show them ("User info", "Product list", "Product info", API.md C8 and E2)."""

from __future__ import annotations

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer

from .builders import create_organization, error_codes, place_order

LEGACY_PRODUCTS = {"document_signing_org_1", "document_signing_org_2"}


def test_user_me_names_the_keys_user_and_its_administrator_role(services_api: httpx.Client) -> None:
    response = services_api.get("/user/me")
    assert response.status_code == 200
    user = response.json()
    for field, kind in {
        "id": int,
        "username": str,
        "account_id": int,
        "first_name": str,
        "last_name": str,
        "email": str,
        "status": str,
        "container": dict,
        "access_roles": list,
    }.items():
        assert isinstance(user[field], kind), field
    # The glossary's user access role 1 is Administrator; every sandbox key acts as one.
    assert user["access_roles"] == [{"id": 1, "name": "Administrator"}]
    assert user["status"] == "active"


def test_user_me_answers_for_the_account_of_the_key(
    clean_sandbox: SandboxServer, services_api: httpx.Client
) -> None:
    other = clean_sandbox.control.create_account("Other")
    response = httpx.get(
        clean_sandbox.services_url + "/user/me",
        headers={"X-DC-DEVKEY": other["api_key"]},
        timeout=10,
    )
    assert response.json()["account_id"] == other["account_id"]
    assert response.json()["account_id"] != services_api.get("/user/me").json()["account_id"]


def test_user_me_needs_a_key(clean_sandbox: SandboxServer) -> None:
    response = httpx.get(clean_sandbox.services_url + "/user/me", timeout=10)
    assert response.status_code in (401, 403)


def test_product_list_offers_the_legacy_document_signing_products(
    services_api: httpx.Client,
) -> None:
    response = services_api.get("/product")
    assert response.status_code == 200
    products = {p["name_id"]: p for p in response.json()["products"]}
    assert set(products) == LEGACY_PRODUCTS
    container_id = services_api.get("/user/me").json()["container"]["id"]
    for product in products.values():
        assert product["group_name"] == "document_signing"
        assert product["allowed_order_validity_years"] == [1, 2, 3]
        assert product["allowed_validity_years"] == [1, 2, 3]
        assert product["allowed_container_ids"] == [container_id]
        assert product["signature_hash_types"]["default_hash_type_id"] == "sha256"


@pytest.mark.parametrize("name_id", sorted(LEGACY_PRODUCTS))
def test_product_info_adds_validation_type_and_limits(
    services_api: httpx.Client, name_id: str
) -> None:
    response = services_api.get(f"/product/{name_id}")
    assert response.status_code == 200
    info = response.json()
    assert info["name_id"] == name_id
    assert info["allowed_order_validity_years"] == [1, 2, 3]
    assert info["validation_type"] == "DS"
    assert info["duplicates_allowed"] is False


def test_product_info_of_an_unknown_product_is_not_found(services_api: httpx.Client) -> None:
    response = services_api.get("/product/ds_org")
    assert response.status_code == 404
    assert error_codes(response) == ["not_found|product"]


def test_product_info_refuses_unknown_parameters_and_foreign_containers(
    services_api: httpx.Client,
) -> None:
    assert error_codes(services_api.get("/product/document_signing_org_1", params={"x": "1"})) == [
        "invalid_field|x"
    ]
    assert error_codes(
        services_api.get("/product/document_signing_org_1", params={"container_id": 999999})
    ) == ["not_found|container"]


def test_order_list_pages_and_filters_the_accounts_orders(
    clean_sandbox: SandboxServer, services_api: httpx.Client
) -> None:
    organization_id = create_organization(services_api)
    placed = [place_order(services_api, organization_id)["id"] for _ in range(3)]
    clean_sandbox.control.advance_order(placed[0], "approve")
    other = clean_sandbox.control.create_account("Other")
    other_api = httpx.Client(
        base_url=clean_sandbox.services_url, headers={"X-DC-DEVKEY": other["api_key"]}, timeout=10
    )
    with other_api:
        assert other_api.get("/order/certificate").json()["orders"] == []

    listing = services_api.get("/order/certificate").json()
    assert [o["id"] for o in listing["orders"]] == placed
    assert listing["page"] == {"total": 3, "limit": 1000, "offset": 0}
    entry = listing["orders"][1]
    assert entry["status"] == "needs_approval"
    assert entry["product_name_id"] == "document_signing_org_1"
    assert entry["product"]["name_id"] == "document_signing_org_1"
    assert entry["organization"]["id"] == organization_id

    second = services_api.get("/order/certificate", params={"limit": 1, "offset": 1}).json()
    assert [o["id"] for o in second["orders"]] == [placed[1]]
    assert second["page"] == {"total": 3, "limit": 1, "offset": 1}

    newest_first = services_api.get("/order/certificate", params={"sort": "-id"}).json()
    assert [o["id"] for o in newest_first["orders"]] == placed[::-1]
    pending = services_api.get("/order/certificate", params={"filters[status]": "pending"}).json()
    assert [o["id"] for o in pending["orders"]] == [placed[0]]
    other_product = services_api.get(
        "/order/certificate", params={"filters[product_name_id]": "document_signing_org_2"}
    ).json()
    assert other_product["orders"] == []
    assert error_codes(
        services_api.get("/order/certificate", params={"filters[status]": "lost"})
    ) == ["invalid_field|filters[status]"]


def test_partner_account_settings_answer_the_partner_key(
    clean_sandbox: SandboxServer, partner_api: httpx.Client
) -> None:
    response = partner_api.get(
        "/account/settings", headers={"X-PARTNER-APIKEY": clean_sandbox.partner_api_key}
    )
    assert response.status_code == 200
    settings = response.json()["settings"]
    assert {s["name"] for s in settings} == {"auto_renew_subscription"}
    assert all(isinstance(s["is_default"], bool) for s in settings)
    refused = partner_api.get("/account/settings", headers={"X-PARTNER-APIKEY": "not-a-key"})
    assert refused.status_code in (401, 403)
