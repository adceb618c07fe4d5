"""DocumentSigningOrder provider methods against a real sandbox: never buy twice."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.resources.inputs import BILLING_ADDRESS, CARD, order_inputs
from tests.resources.observe import live_order, orders_with, placed_bodies

from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert.resources import DocumentSigningOrderProvider


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


def canceled_order(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any, key: str
) -> str:
    """The id of an order placed under ``key``, approved, then canceled in CertCentral."""
    order_id = orders.create(order_inputs(organization_id, key)).id
    sandbox.control.advance_order(int(order_id), "approve")
    sandbox.control.advance_order(int(order_id), "cancel")
    return order_id


def test_unique_ids_setting_with_a_canceled_order_asks_for_a_new_id(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    canceled_order(orders, organization_id, sandbox, "reused")
    sandbox.control.update_settings(require_unique_alternative_order_ids=True)
    with pytest.raises(ResourceError, match="set a new alternative_order_id"):
        orders.create(order_inputs(organization_id, "reused"))
    assert len(orders_with(sandbox, "reused")) == 1


def test_a_canceled_order_is_not_adopted(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    first = canceled_order(orders, organization_id, sandbox, "aftercancel")
    second = orders.create(order_inputs(organization_id, "aftercancel"))
    assert second.id != first
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


def order_status(sandbox_http: httpx.Client, order_id: str) -> str:
    return str(sandbox_http.get(f"/order/certificate/{order_id}").json()["status"])


def test_delete_rejects_a_request_awaiting_approval(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox_http: httpx.Client
) -> None:
    created = orders.create(order_inputs(organization_id, "delapproval"))
    assert created.outs is not None
    orders.delete(created.id, created.outs)
    request = sandbox_http.get(f"/request/{created.outs['request_id']}").json()
    assert request["status"] == "rejected"


def test_delete_cancels_a_pending_order(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox_http: httpx.Client
) -> None:
    created = orders.create(order_inputs(organization_id, "delpending", skip_approval=True))
    assert created.outs is not None
    orders.delete(created.id, created.outs)
    assert order_status(sandbox_http, created.id) == "canceled"


def test_delete_leaves_an_issued_certificate_alone(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox_http: httpx.Client,
    sandbox: Any,
) -> None:
    created = orders.create(order_inputs(organization_id, "delissued", skip_approval=True))
    assert created.outs is not None
    sandbox.control.advance_order(int(created.id), "issue")
    orders.delete(created.id, created.outs)
    assert order_status(sandbox_http, created.id) == "issued"


def test_delete_revokes_an_issued_certificate_when_asked(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox_http: httpx.Client,
    sandbox: Any,
) -> None:
    inputs = order_inputs(organization_id, "delrevoke", skip_approval=True, revoke_on_delete=True)
    created = orders.create(inputs)
    assert created.outs is not None
    sandbox.control.advance_order(int(created.id), "issue")
    orders.delete(created.id, created.outs)
    info = sandbox_http.get(f"/order/certificate/{created.id}").json()
    revoke_requests = [r for r in info.get("requests", []) if r.get("type") == "revoke"]
    # The provider asks without skip_approval: CertCentral opens one revoke request (201) for
    # an administrator to approve, and the certificate stays issued until then (API.md C7).
    assert info["status"] == "issued"
    assert [r["status"] for r in revoke_requests] == ["pending"]


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


# -- the request body as the order page documents it -----------------------------------------


def test_card_paid_order_sends_exactly_the_order_pages_card_object(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bodies = placed_bodies(monkeypatch)
    inputs = order_inputs(
        organization_id,
        "cardshape",
        payment_method="card",
        credit_card={**CARD, "number": "4111 1111 1111 1111"},
        billing_address=BILLING_ADDRESS,
    )
    orders.create(inputs)
    # seed 003: number a string; expiration_month, expiration_year (four digits) and cvv
    # integers; cardholder_name a string. The sandbox parses strictly, so these are JSON types.
    assert bodies[0]["credit_card"] == {
        "number": "4111111111111111",
        "expiration_month": 12,
        "expiration_year": 2031,
        "cvv": 123,
        "cardholder_name": "Ada Lovelace",
    }
    assert bodies[0]["billing_address"] == {
        "address": "1 Main St",
        "city": "Lehi",
        "state": "Utah",
        "zip": "84043",
        "country": "us",
    }
    with sandbox.backend.transaction() as ctx:  # the sandbox keeps no card data either
        stored = repr(ctx.tx.execute("SELECT data FROM orders").fetchall())
    assert "4111111111111111" not in stored


@pytest.mark.parametrize(("declared", "sent"), [(True, 1), (False, 0), (1.0, 1), (0.0, 0)])
def test_enable_guest_access_is_sent_as_the_documented_integer(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
    declared: Any,
    sent: int,
) -> None:
    bodies = placed_bodies(monkeypatch)
    orders.create(order_inputs(organization_id, "guest", enable_guest_access=declared))
    assert bodies[0]["enable_guest_access"] == sent
    assert type(bodies[0]["enable_guest_access"]) is int


def test_subject_is_sent_with_all_four_fields(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bodies = placed_bodies(monkeypatch)
    orders.create(order_inputs(organization_id, "subjectfour"))
    assert bodies[0]["subject"] == {
        "name": "Signing Desk",
        "job_title": "Release Engineering",
        "phone": "+1 801 555 0100",
        "email": "signing@example.com",
    }


# -- order contacts update in place ----------------------------------------------------------

GRACE = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"}


def refreshes_clean(
    orders: DocumentSigningOrderProvider, order_id: str, outs: dict[str, Any], declared: Any
) -> bool:
    """A refresh (read, then diff against ``declared``) shows no change."""
    read = orders.read(order_id, outs)
    assert read.outs is not None
    return orders.diff(order_id, read.outs, declared).changes is False


def test_a_contact_change_updates_the_order_in_place(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
) -> None:
    created = orders.create(order_inputs(organization_id, "contacts"))
    assert created.outs is not None
    news = order_inputs(
        organization_id, "contacts", technical_contact={**GRACE, "job_title": "CISO"}
    )
    diff = orders.diff(created.id, created.outs, news)
    assert (diff.changes, diff.replaces) == (True, [])
    sandbox.control.reset_stats()
    updated = orders.update(created.id, created.outs, news)
    assert updated.outs is not None
    assert updated.outs["technical_contact"]["first_name"] == "Grace"
    assert updated.outs["order_id"] == int(created.id)
    calls = {(r["method"], r["path_template"]) for r in sandbox.control.stats()["requests"]}
    assert calls == {("PUT", "/services/v2/order/certificate/{order_id}/contact")}
    contact = live_order(sandbox_http, created.id)["technical_contact"]
    assert (contact["first_name"], contact["job_title"]) == ("Grace", "CISO")
    assert orders.diff(created.id, updated.outs, news).changes is False


def test_removing_a_contact_records_it_and_says_certcentral_keeps_it(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with_contact = order_inputs(organization_id, "dropcontact", technical_contact=GRACE)
    created = orders.create(with_contact)
    assert created.outs is not None
    without = order_inputs(organization_id, "dropcontact")
    assert orders.diff(created.id, created.outs, without).changes is True
    sandbox.control.reset_stats()
    updated = orders.update(created.id, created.outs, without)
    assert updated.outs is not None
    assert updated.outs["technical_contact"] is None
    assert sandbox.control.stats()["total"] == 0  # there is no call that removes one
    line = capsys.readouterr().err
    assert "technical_contact was removed from the declaration" in line
    assert "the order keeps its current technical_contact" in line
    assert live_order(sandbox_http, created.id)["technical_contact"]["first_name"] == "Grace"
    # Nothing is left to converge: the next refresh and preview show no change.
    assert refreshes_clean(orders, created.id, updated.outs, without)


def test_refresh_shows_a_contact_changed_in_certcentral_and_up_puts_it_back(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
) -> None:
    declared = order_inputs(organization_id, "contactdrift", organization_contact=GRACE)
    created = orders.create(declared)
    assert created.outs is not None
    changed_elsewhere = {
        "contacts": [
            {
                "contact_type": "organization_contact",
                "first_name": "Linus",
                "last_name": "Torvalds",
                "email": "linus@example.com",
                "job_title": "Kernel",
            }
        ]
    }
    assert sandbox_http.put(
        f"/order/certificate/{created.id}/contact", json=changed_elsewhere
    ).status_code
    read = orders.read(created.id, created.outs)
    assert read.outs is not None
    # Only the declared fields are compared: job_title is not declared, so it is no drift.
    assert read.outs["organization_contact"] == {
        "first_name": "Linus",
        "last_name": "Torvalds",
        "email": "linus@example.com",
    }
    diff = orders.diff(created.id, read.outs, declared)
    assert (diff.changes, diff.replaces) == (True, [])
    fixed = orders.update(created.id, read.outs, declared)
    assert fixed.outs is not None
    assert live_order(sandbox_http, created.id)["organization_contact"]["first_name"] == "Grace"
    assert refreshes_clean(orders, created.id, fixed.outs, declared)


def test_a_contact_differing_only_in_email_case_is_no_drift(
    orders: DocumentSigningOrderProvider, organization_id: float
) -> None:
    declared = order_inputs(
        organization_id, "emailcase", organization_contact={**GRACE, "email": "Grace@Example.com"}
    )
    created = orders.create(declared)
    assert created.outs is not None
    assert refreshes_clean(orders, created.id, created.outs, declared)


# -- statuses the provider does not know -----------------------------------------------------


def test_read_keeps_an_order_in_a_status_it_does_not_know_and_says_so(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = orders.create(order_inputs(organization_id, "oddstatus"))
    assert created.outs is not None
    sandbox.control.set_order_status(int(created.id), "approved")  # seen in DigiCert's examples
    read = orders.read(created.id, created.outs)
    assert read.id == created.id
    assert read.outs is not None
    assert read.outs["status"] == "approved"
    assert "reports status 'approved', which this provider does not know" in capsys.readouterr().err


def test_delete_never_forgets_an_order_in_a_status_it_does_not_know(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
) -> None:
    created = orders.create(order_inputs(organization_id, "oddelete"))
    assert created.outs is not None
    sandbox.control.set_order_status(int(created.id), "Approved")
    sandbox.control.reset_stats()
    with pytest.raises(ResourceError) as raised:
        orders.delete(created.id, created.outs)
    message = str(raised.value)
    assert "status 'Approved', which this provider does not know how to retire" in message
    assert message.endswith("remove it from the stack with `pulumi state delete`.")
    writes = [r for r in sandbox.control.stats()["requests"] if r["method"] != "GET"]
    assert writes == []
    assert live_order(sandbox_http, created.id)["status"] == "Approved"


def test_delete_reads_a_status_in_other_letters_as_the_status(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = orders.create(order_inputs(organization_id, "upperissued", skip_approval=True))
    sandbox.control.advance_order(int(created.id), "issue")
    sandbox.control.set_order_status(int(created.id), "ISSUED")
    orders.delete(created.id, {})
    assert "its certificate was left in place" in capsys.readouterr().err


def test_delete_leaves_an_issued_certificate_and_says_so(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = orders.create(order_inputs(organization_id, "leftissued", skip_approval=True))
    sandbox.control.advance_order(int(created.id), "issue")
    orders.delete(created.id, {"revoke_on_delete": False})
    err = capsys.readouterr().err
    assert f"order {created.id} is issued: its certificate was left in place" in err


def test_delete_with_revoke_asks_once_and_says_it_awaits_approval(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = orders.create(order_inputs(organization_id, "revokewait", skip_approval=True))
    sandbox.control.advance_order(int(created.id), "issue")
    orders.delete(created.id, {"revoke_on_delete": True})
    # Revoking without skip_approval opens a request an administrator approves (201).
    assert "revocation requested" in capsys.readouterr().err
    assert live_order(sandbox_http, created.id)["status"] == "issued"
    orders.delete(created.id, {"revoke_on_delete": True})  # e.g. a destroy run again
    assert "already awaits approval" in capsys.readouterr().err
    revokes = [r for r in live_order(sandbox_http, created.id)["requests"] if r["type"] == "revoke"]
    assert len(revokes) == 1


def test_delete_with_revoke_cancels_a_pending_reissue_first(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
) -> None:
    created = orders.create(order_inputs(organization_id, "reissued", skip_approval=True))
    sandbox.control.advance_order(int(created.id), "issue")
    sandbox.control.advance_order(int(created.id), "reissue")
    orders.delete(created.id, {"revoke_on_delete": True})
    requests = {r["type"]: r["status"] for r in live_order(sandbox_http, created.id)["requests"]}
    assert requests["reissue"] == "rejected"
    assert requests["revoke"] == "pending"


def test_delete_without_revoke_leaves_a_reissue_pending_order_alone(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = orders.create(order_inputs(organization_id, "reissueleft", skip_approval=True))
    sandbox.control.advance_order(int(created.id), "issue")
    sandbox.control.advance_order(int(created.id), "reissue")
    orders.delete(created.id, {})
    assert live_order(sandbox_http, created.id)["status"] == "reissue_pending"
    assert "is reissue_pending: its certificate was left in place" in capsys.readouterr().err


def test_delete_of_an_order_awaiting_approval_without_a_listed_request_is_not_forgotten() -> None:
    from types import SimpleNamespace

    from pulumi_digicert.client import models

    writes: list[str] = []

    class Orders:
        def get(self, order_id: int) -> models.Order:
            return models.Order(id=order_id, status="needs_approval", requests=[])

        def __getattr__(self, name: str) -> Any:
            writes.append(name)
            raise AssertionError(f"{name} must not be called")

    provider = DocumentSigningOrderProvider()
    provider.use_client(SimpleNamespace(orders=Orders()))  # type: ignore[arg-type]
    with pytest.raises(ResourceError, match="Reject it in CertCentral and run the destroy again"):
        provider.delete("5000009", {})
    assert writes == []
