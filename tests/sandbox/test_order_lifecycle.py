"""An order after it is placed: approval requests, cancel, revoke, the control API's steps,
expiry by the clock and downloads (API.md C3, C6, C7, C10):
:mod:`pulumi_digicert.sandbox.order_lifecycle`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer

from .builders import CSR, PRODUCT, balance, error_codes, issued_order, place_order

# ---------------------------------------------------------------- requests


def test_request_info_and_approval(services_api: httpx.Client, organization_id: int) -> None:
    created = place_order(services_api, organization_id, comments="please")
    request_id = created["requests"][0]["id"]
    request = services_api.get(f"/request/{request_id}").json()
    assert request["id"] == request_id
    assert request["type"] == "new_request"
    assert request["status"] == "pending"
    assert request["order"]["id"] == created["id"]
    assert request["comments"] == "please"
    assert "date_processed" not in request
    approved = services_api.put(
        f"/request/{request_id}/status", json={"status": "approved", "processor_comment": "ok"}
    )
    assert approved.status_code == 204
    request = services_api.get(f"/request/{request_id}").json()
    assert request["status"] == "approved"
    assert request["processor_comment"] == "ok"
    assert "date_processed" in request
    again = services_api.put(f"/request/{request_id}/status", json={"status": "rejected"})
    assert error_codes(again) == ["invalid_request_status"]


def test_rejecting_the_request_rejects_the_order_and_refunds(
    services_api: httpx.Client, organization_id: int
) -> None:
    before = balance(services_api)
    created = place_order(services_api, organization_id)
    assert balance(services_api) != before
    request_id = created["requests"][0]["id"]
    assert (
        services_api.put(f"/request/{request_id}/status", json={"status": "rejected"}).status_code
        == 204
    )
    assert services_api.get(f"/order/certificate/{created['id']}").json()["status"] == "rejected"
    assert balance(services_api) == before


def test_request_errors(services_api: httpx.Client, organization_id: int) -> None:
    created = place_order(services_api, organization_id)
    request_id = created["requests"][0]["id"]
    assert error_codes(services_api.get("/request/6999999")) == ["not_found|request"]
    assert (
        services_api.get(f"/request/{created['id']}").status_code == 404
    )  # an order id is not a request id
    bad = services_api.put(f"/request/{request_id}/status", json={"status": "APPROVED"})
    assert error_codes(bad) == ["invalid_field|status"]
    submitted = services_api.put(f"/request/{request_id}/status", json={"status": "submitted"})
    assert submitted.status_code == 204
    assert services_api.get(f"/request/{request_id}").json()["status"] == "submitted"


# ---------------------------------------------------------------- cancel


def test_cancel_a_pending_order_needs_a_note(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    before = balance(services_api)
    created = place_order(services_api, organization_id, skip_approval=True)
    url = f"/order/certificate/{created['id']}/status"
    no_note = services_api.put(url, json={"status": "canceled"})
    assert error_codes(no_note) == ["missing_field|note"]
    canceled = services_api.put(url, json={"status": "canceled", "note": "ordered by mistake"})
    assert canceled.status_code == 204
    assert services_api.get(f"/order/certificate/{created['id']}").json()["status"] == "canceled"
    assert balance(services_api) == before


def test_cancel_is_refused_for_orders_not_pending(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    waiting = place_order(services_api, organization_id)
    refused = services_api.put(
        f"/order/certificate/{waiting['id']}/status", json={"status": "canceled", "note": "x"}
    )
    assert error_codes(refused) == ["invalid_order_status"]
    order_id = issued_order(services_api, clean_sandbox, organization_id, skip_approval=True)
    refused = services_api.put(
        f"/order/certificate/{order_id}/status", json={"status": "canceled", "note": "x"}
    )
    assert error_codes(refused) == ["invalid_order_status"]
    case = services_api.put(
        f"/order/certificate/{order_id}/status", json={"status": "CANCELED", "note": "x"}
    )
    assert error_codes(case) == ["invalid_field|status"]
    renewed = services_api.put(f"/order/certificate/{order_id}/status", json={"status": "renewed"})
    assert error_codes(renewed) == ["invalid_order_status"]
    assert (
        services_api.put(
            "/order/certificate/5999999/status", json={"status": "canceled", "note": "x"}
        )
    ).status_code == 404


def test_canceling_a_reissue_pending_order_cancels_the_reissue(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    # ORDER-STATUS: canceled on reissue_pending cancels the reissue; the order is issued again
    # and the reissue request is rejected with the note as its processor comment.
    order_id = issued_order(services_api, clean_sandbox, organization_id, skip_approval=True)
    assert clean_sandbox.control.advance_order(order_id, "reissue")["status"] == "reissue_pending"
    url = f"/order/certificate/{order_id}"
    reissue = next(r for r in services_api.get(url).json()["requests"] if r["type"] == "reissue")
    assert reissue["status"] == "pending"
    canceled = services_api.put(
        f"{url}/status", json={"status": "canceled", "note": "not this time"}
    )
    assert canceled.status_code == 204
    assert services_api.get(url).json()["status"] == "issued"
    request = services_api.get(f"/request/{reissue['id']}").json()
    assert (request["status"], request["processor_comment"]) == ("rejected", "not this time")


# ---------------------------------------------------------------- revoke


def test_revoke_with_skip_approval_is_204_and_immediate(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    order_id = issued_order(services_api, clean_sandbox, organization_id, skip_approval=True)
    response = services_api.put(
        f"/order/certificate/{order_id}/revoke",
        json={"skip_approval": True, "comments": "key lost", "revocation_reason": "keyCompromise"},
    )
    assert response.status_code == 204
    assert services_api.get(f"/order/certificate/{order_id}").json()["status"] == "revoked"


def test_revoke_without_skip_approval_is_a_pending_request(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    order_id = issued_order(services_api, clean_sandbox, organization_id, skip_approval=True)
    response = services_api.put(f"/order/certificate/{order_id}/revoke", json={"comments": "done"})
    assert response.status_code == 201
    request = response.json()
    assert request["type"] == "revoke"
    assert request["status"] == "pending"
    assert request["comments"] == "done"
    assert set(request["requester"]) >= {"id", "first_name", "last_name", "email"}
    assert services_api.get(f"/order/certificate/{order_id}").json()["status"] == "issued"
    approve = services_api.put(f"/request/{request['id']}/status", json={"status": "approved"})
    assert approve.status_code == 204
    assert services_api.get(f"/order/certificate/{order_id}").json()["status"] == "revoked"


def test_revoke_refused_unless_issued(services_api: httpx.Client, organization_id: int) -> None:
    created = place_order(services_api, organization_id)
    refused = services_api.put(f"/order/certificate/{created['id']}/revoke", json={})
    assert error_codes(refused) == ["invalid_order_status"]
    unknown = services_api.put(f"/order/certificate/{created['id']}/revoke", json={"reason": "x"})
    assert error_codes(unknown) == ["invalid_field|reason"]


# ---------------------------------------------------------------- control API


def test_control_lists_and_advances_orders(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    created = place_order(services_api, organization_id, alternative_order_id="ctl1")
    [summary] = clean_sandbox.control.orders()
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
    approved = clean_sandbox.control.advance_order(created["id"], "approve")
    assert (approved["status"], approved["request_status"]) == ("pending", "approved")
    issued = clean_sandbox.control.advance_order(created["id"], "issue")
    assert issued["status"] == "issued"
    assert isinstance(issued["certificate_id"], int)
    with pytest.raises(httpx.HTTPStatusError) as refused:
        clean_sandbox.control.advance_order(created["id"], "cancel")
    assert refused.value.response.status_code == 409
    assert clean_sandbox.control.advance_order(created["id"], "revoke")["status"] == "revoked"


def test_control_reject_cancel_and_expire(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    rejected = place_order(services_api, organization_id)
    result = clean_sandbox.control.advance_order(rejected["id"], "reject")
    assert (result["status"], result["request_status"]) == ("rejected", "rejected")
    canceled = place_order(services_api, organization_id)
    assert clean_sandbox.control.advance_order(canceled["id"], "cancel")["status"] == "canceled"
    expired = place_order(services_api, organization_id)
    clean_sandbox.control.advance_order(expired["id"], "issue")
    assert clean_sandbox.control.advance_order(expired["id"], "expire")["status"] == "expired"


def test_issued_orders_expire_with_the_clock(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    created = place_order(services_api, organization_id)
    clean_sandbox.control.advance_order(created["id"], "issue")
    clean_sandbox.control.advance_clock(366 * 86400)
    assert services_api.get(f"/order/certificate/{created['id']}").json()["status"] == "expired"


# ---------------------------------------------------------------- downloads


def download(
    services_api: httpx.Client, order_id: int, format_type: str = "pem_all"
) -> httpx.Response:
    return services_api.get(f"/certificate/download/order/{order_id}/format/{format_type}")


def test_a_certificate_issued_to_an_hsm_downloads_as_one_pem_bundle(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    order_id = issued_order(
        services_api,
        clean_sandbox,
        organization_id,
        cs_provisioning_method="email",
        certificate={"signature_hash": "sha256", "csr": CSR},
    )
    bundle = download(services_api, order_id)
    assert bundle.status_code == 200
    assert bundle.headers["content-type"] == "application/x-pem-file"
    assert bundle.text.count("-----BEGIN CERTIFICATE-----") == 3
    assert (
        download(services_api, order_id, "pem_noroot").text.count("-----BEGIN CERTIFICATE-----")
        == 2
    )
    refused = download(services_api, order_id, "p12")
    assert refused.status_code == 400
    assert error_codes(refused) == ["invalid_field|format_type"]


@pytest.mark.parametrize("method", ["ship_token", "client_app"])
def test_a_token_certificate_is_not_downloaded_and_its_init_code_is_in_order_info(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int, method: str
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
    order_id = issued_order(services_api, clean_sandbox, organization_id, **extra)
    refused = download(services_api, order_id)
    assert refused.status_code == 404
    assert error_codes(refused) == ["not_found|certificate"]
    info = services_api.get(f"/order/certificate/{order_id}").json()
    assert isinstance(info["hardware_init_code"], str)
    assert info["hardware_init_code"]


def test_an_order_not_issued_has_no_certificate_to_download(
    services_api: httpx.Client, organization_id: int
) -> None:
    order_id = int(
        place_order(
            services_api,
            organization_id,
            cs_provisioning_method="email",
            certificate={"signature_hash": "sha256", "csr": CSR},
        )["id"]
    )
    refused = download(services_api, order_id)
    assert refused.status_code == 404
    assert "hardware_init_code" not in services_api.get(f"/order/certificate/{order_id}").json()
