"""DocumentSigningOrder provider methods against a real sandbox: never buy twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from tests.resources.inputs import BILLING_ADDRESS, CARD, ORDER, ORGANIZATION

from pulumi_digicert.resources import DocumentSigningOrderProvider, OrganizationProvider
from pulumi_digicert.resources._common import ResourceError


@pytest.fixture
def organization_id(configured: Callable[..., Any]) -> float:
    provider: OrganizationProvider = configured(OrganizationProvider)
    return float(provider.create(dict(ORGANIZATION)).id)


@pytest.fixture
def orders(configured: Callable[..., Any]) -> DocumentSigningOrderProvider:
    provider: DocumentSigningOrderProvider = configured(DocumentSigningOrderProvider)
    return provider


def order_inputs(organization_id: float, alternative_order_id: str, **extra: Any) -> dict[str, Any]:
    return {
        **ORDER,
        "organization_id": organization_id,
        "alternative_order_id": alternative_order_id,
        **extra,
    }


def orders_with(sandbox: Any, alternative_order_id: str) -> list[dict[str, Any]]:
    return [
        o for o in sandbox.control.orders() if o.get("alternative_order_id") == alternative_order_id
    ]


def test_create_places_one_order_with_its_alternative_order_id(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    result = orders.create(order_inputs(organization_id, "placeone"))
    assert result.outs is not None
    assert result.outs["order_id"] == int(result.id)
    assert result.outs["alternative_order_id"] == "placeone"
    assert result.outs["adopted"] is False
    assert result.outs["status"] == "needs_approval"
    assert result.outs["request_id"]
    assert len(orders_with(sandbox, "placeone")) == 1


def test_create_again_adopts_the_live_order_instead_of_buying_twice(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    first = orders.create(order_inputs(organization_id, "retried"))
    second = orders.create(order_inputs(organization_id, "retried"))
    assert second.id == first.id
    assert second.outs is not None
    assert second.outs["adopted"] is True
    assert len(orders_with(sandbox, "retried")) == 1


def test_create_after_the_response_was_lost_adopts_the_order_it_placed(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    sandbox.control.inject_fault(
        kind="drop_response", method="POST", path_regex="/order/certificate/", count=1
    )
    result = orders.create(order_inputs(organization_id, "lostresponse"))
    placed = orders_with(sandbox, "lostresponse")
    assert [o["id"] for o in placed] == [int(result.id)]


def test_create_after_a_server_error_that_changed_nothing_places_exactly_one(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    sandbox.control.inject_fault(
        kind="fail", method="POST", path_regex="/order/certificate/", status=503, count=1
    )
    result = orders.create(order_inputs(organization_id, "servererror"))
    assert [o["id"] for o in orders_with(sandbox, "servererror")] == [int(result.id)]


def test_an_id_taken_by_another_product_is_refused_without_ordering(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    orders.create(order_inputs(organization_id, "collision"))
    clash = order_inputs(organization_id, "collision", product="document_signing_org_2")
    with pytest.raises(ResourceError, match="does not match this declaration"):
        orders.create(clash)
    assert len(orders_with(sandbox, "collision")) == 1


def test_unique_ids_setting_with_a_canceled_order_asks_for_a_new_id(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    first = orders.create(order_inputs(organization_id, "reused"))
    sandbox.control.advance_order(int(first.id), "approve")
    sandbox.control.advance_order(int(first.id), "cancel")
    sandbox.control.update_settings(require_unique_alternative_order_ids=True)
    with pytest.raises(ResourceError, match="set a new alternative_order_id"):
        orders.create(order_inputs(organization_id, "reused"))
    assert len(orders_with(sandbox, "reused")) == 1


def test_a_canceled_order_is_not_adopted(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    first = orders.create(order_inputs(organization_id, "aftercancel"))
    sandbox.control.advance_order(int(first.id), "approve")
    sandbox.control.advance_order(int(first.id), "cancel")
    second = orders.create(order_inputs(organization_id, "aftercancel"))
    assert second.id != first.id
    assert len(orders_with(sandbox, "aftercancel")) == 2


def test_wait_for_issuance_returns_the_issued_certificate(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    sandbox.control.update_settings(auto_issue_after=0.2)
    result = orders.create(
        order_inputs(
            organization_id, "waitissued", skip_approval=True, wait_for_issuance_seconds=20
        )
    )
    assert result.outs is not None
    assert result.outs["status"] == "issued"
    assert result.outs["certificate_id"]


def test_wait_that_times_out_still_returns_the_order(
    orders: DocumentSigningOrderProvider, organization_id: float
) -> None:
    result = orders.create(
        order_inputs(organization_id, "waittimeout", wait_for_issuance_seconds=1)
    )
    assert result.outs is not None
    assert result.outs["status"] == "needs_approval"
    assert result.outs["order_id"] == int(result.id)


def test_card_payment_sends_the_card_and_stores_only_a_fingerprint(
    orders: DocumentSigningOrderProvider, organization_id: float
) -> None:
    inputs = order_inputs(
        organization_id,
        "cardpaid",
        payment_method="card",
        credit_card=CARD,
        billing_address=BILLING_ADDRESS,
    )
    result = orders.create(inputs)
    assert result.outs is not None
    assert "credit_card" not in result.outs
    assert CARD["number"] not in repr(result.outs)
    assert result.outs["credit_card_fingerprint"].startswith("pbkdf2-sha256$")


def test_read_follows_the_order_to_issued(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    created = orders.create(order_inputs(organization_id, "readissued"))
    assert created.outs is not None
    sandbox.control.advance_order(int(created.id), "approve")
    sandbox.control.advance_order(int(created.id), "issue")
    read = orders.read(created.id, created.outs)
    assert read.outs is not None
    assert read.outs["status"] == "issued"
    assert read.outs["certificate_id"]
    assert read.outs["alternative_order_id"] == "readissued"


@pytest.mark.parametrize("action", ["reject", "cancel"])
def test_read_of_a_rejected_or_canceled_order_is_gone(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any, action: str
) -> None:
    created = orders.create(order_inputs(organization_id, f"gone{action}"))
    assert created.outs is not None
    if action == "cancel":
        sandbox.control.advance_order(int(created.id), "approve")
    sandbox.control.advance_order(int(created.id), action)
    read = orders.read(created.id, created.outs)
    assert (read.id, read.outs) == ("", {})


def test_update_of_purchase_time_fields_makes_no_api_call(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    created = orders.create(order_inputs(organization_id, "statefields"))
    assert created.outs is not None
    sandbox.control.reset_stats()
    news = order_inputs(organization_id, "statefields", comments="now with a note")
    updated = orders.update(created.id, created.outs, news)
    assert updated.outs is not None
    assert updated.outs["comments"] == "now with a note"
    assert updated.outs["order_id"] == int(created.id)
    assert sandbox.control.stats()["total"] == 0


def order_status(api: httpx.Client, order_id: str) -> str:
    return str(api.get(f"/order/certificate/{order_id}").json()["status"])


def test_delete_rejects_a_request_awaiting_approval(
    orders: DocumentSigningOrderProvider, organization_id: float, api: httpx.Client
) -> None:
    created = orders.create(order_inputs(organization_id, "delapproval"))
    assert created.outs is not None
    orders.delete(created.id, created.outs)
    request = api.get(f"/request/{created.outs['request_id']}").json()
    assert request["status"] == "rejected"


def test_delete_cancels_a_pending_order(
    orders: DocumentSigningOrderProvider, organization_id: float, api: httpx.Client
) -> None:
    created = orders.create(order_inputs(organization_id, "delpending", skip_approval=True))
    assert created.outs is not None
    orders.delete(created.id, created.outs)
    assert order_status(api, created.id) == "canceled"


def test_delete_leaves_an_issued_certificate_alone(
    orders: DocumentSigningOrderProvider, organization_id: float, api: httpx.Client, sandbox: Any
) -> None:
    created = orders.create(order_inputs(organization_id, "delissued", skip_approval=True))
    assert created.outs is not None
    sandbox.control.advance_order(int(created.id), "issue")
    orders.delete(created.id, created.outs)
    assert order_status(api, created.id) == "issued"


def test_delete_revokes_an_issued_certificate_when_asked(
    orders: DocumentSigningOrderProvider, organization_id: float, api: httpx.Client, sandbox: Any
) -> None:
    inputs = order_inputs(organization_id, "delrevoke", skip_approval=True, revoke_on_delete=True)
    created = orders.create(inputs)
    assert created.outs is not None
    sandbox.control.advance_order(int(created.id), "issue")
    orders.delete(created.id, created.outs)
    info = api.get(f"/order/certificate/{created.id}").json()
    revoke_requests = [r for r in info.get("requests", []) if r.get("type") == "revoke"]
    assert info["status"] == "revoked" or revoke_requests


def test_delete_of_an_unknown_order_succeeds(orders: DocumentSigningOrderProvider) -> None:
    orders.delete("987654", {"revoke_on_delete": True})


def test_read_records_the_live_product_and_organization(
    orders: DocumentSigningOrderProvider, organization_id: float
) -> None:
    created = orders.create(order_inputs(organization_id, "identityread"))
    assert created.outs is not None
    declared_elsewhere = {**created.outs, "product": "document_signing_org_2"}
    read = orders.read(created.id, declared_elsewhere)
    assert read.outs is not None
    assert read.outs["product"] == "document_signing_org_1"
    assert read.outs["organization_id"] == int(organization_id)
    diff = orders.diff(created.id, read.outs, order_inputs(organization_id, "identityread"))
    assert diff.changes is False


def test_import_reads_an_order_from_the_program_inputs_without_storing_the_card(
    orders: DocumentSigningOrderProvider, organization_id: float
) -> None:
    created = orders.create(order_inputs(organization_id, "importme"))
    program_inputs = order_inputs(
        organization_id,
        "importme",
        payment_method="card",
        credit_card=CARD,
        billing_address=BILLING_ADDRESS,
    )
    read = orders.read(created.id, {**program_inputs, "__provider": "blob"})
    assert read.id == created.id
    assert read.outs is not None
    assert CARD["number"] not in repr(read.outs)
    assert orders.diff(created.id, read.outs, program_inputs).changes is False
