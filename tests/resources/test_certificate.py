"""DocumentSigningOrder's certificate outputs, renewal decisions and revocation, provider methods
against a real sandbox (and a few pure tables)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from tests.resources.inputs import CSR, ORDER, order_inputs
from tests.resources.observe import live_order, requests_to

from pulumi_digicert.resources import DocumentSigningOrderProvider
from pulumi_digicert.resources._certificate import downloadable, renewal_due, split_pem
from pulumi_digicert.resources.document_signing_order import derive_renewal_order_id
from pulumi_digicert.testing import UNKNOWN

DAY = 86_400.0
DOWNLOAD = "GET /services/v2/certificate/download/order/{order_id}/format/{format_type}"


def hsm(organization_id: float, key: str, **extra: Any) -> dict[str, Any]:
    return order_inputs(organization_id, key, cs_provisioning_method="email", csr=CSR, **extra)


# -- pure tables --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "days", "window", "due"),
    [
        ("issued", 30, 30, True),
        ("issued", 0, 30, True),
        ("issued", 31, 30, False),
        ("issued", 25.0, 30.0, True),  # numbers cross the engine as floats
        ("ISSUED", 5, 30, True),
        ("expired", None, 30, True),
        ("issued", None, 30, False),  # no validity known: nothing to judge
        ("issued", 5, None, False),  # renewal is opt-in
        ("expired", None, None, False),
        ("pending", 5, 30, False),
        ("needs_approval", None, 30, False),
        ("revoked", 5, 30, False),
        ("reissue_pending", 5, 30, False),
        ("canceled", 5, 30, False),
        ("issued", True, 30, False),
    ],
)
def test_an_order_is_due_when_issued_inside_its_window_or_expired(
    status: str, days: Any, window: Any, due: bool
) -> None:
    assert renewal_due(status, days, window) is due


@pytest.mark.parametrize(
    ("method", "csr", "served"),
    [
        ("email", CSR, True),
        ("email", None, True),
        (None, CSR, True),
        (None, None, False),
        ("ship_token", CSR, False),
        ("client_app", None, False),
    ],
)
def test_only_a_certificate_issued_to_an_hsm_is_downloaded(
    method: str | None, csr: str | None, served: bool
) -> None:
    assert downloadable(method, csr) is served


def test_a_bundle_splits_into_the_end_entity_certificate_and_its_chain() -> None:
    leaf = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"
    middle = "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----"
    root = "-----BEGIN CERTIFICATE-----\nCCCC\n-----END CERTIFICATE-----"
    assert split_pem(f"{leaf}\n{middle}\r\n{root}\n") == (f"{leaf}\n", f"{middle}\n{root}\n")
    assert split_pem(leaf) == (f"{leaf}\n", None)
    assert split_pem("<html>maintenance</html>") is None


RECORDED = {**ORDER, "order_id": 5000001.0, "status": "issued", "days_remaining": 20.0}


@pytest.mark.parametrize(
    ("recorded_due", "window", "replaces"),
    [
        (True, 30.0, ["renewal_due"]),
        (True, UNKNOWN, ["renewal_due"]),  # a window computed in the program: still planned
        (True, None, []),  # the window was removed: no renewal
        (False, 30.0, []),
        (None, 30.0, []),  # state written before renewals existed
    ],
)
def test_diff_plans_the_renewal_refresh_recorded_and_nothing_else(
    recorded_due: Any, window: Any, replaces: list[str]
) -> None:
    provider = DocumentSigningOrderProvider()
    olds = {**RECORDED, "renew_within_days": 30.0, "renewal_due": recorded_due}
    news = {**ORDER, "renew_within_days": window, "__provider": "blob"}
    result = provider.diff("5000001", olds, news)
    assert result.replaces == replaces
    assert result.changes is bool(replaces or window is None)


# -- certificate outputs ------------------------------------------------------------------------


def test_an_hsm_certificate_is_read_with_its_chain_and_downloaded_once(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
) -> None:
    created = orders.create(hsm(organization_id, "hsmonce"))
    assert created.outs is not None
    assert created.outs["certificate_pem"] is None  # not issued yet
    sandbox.control.advance_order(int(created.id), "issue")
    sandbox.control.reset_stats()
    read = orders.read(created.id, created.outs)
    assert requests_to(sandbox, DOWNLOAD) == 1
    bundle = sandbox_http.get(f"/certificate/download/order/{created.id}/format/pem_all").text
    sandbox.control.reset_stats()
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", bundle, re.S)
    assert len(blocks) == 3
    assert read.outs["certificate_pem"] == blocks[0]
    assert read.outs["certificate_chain_pem"] == blocks[1] + blocks[2]
    certificate = live_order(sandbox_http, created.id)["certificate"]
    assert read.outs["thumbprint"] == certificate["thumbprint"]
    # Later refreshes of the same certificate carry it: no second download.
    again = orders.read(created.id, read.outs)
    assert again.outs["certificate_pem"] == blocks[0]
    assert requests_to(sandbox, DOWNLOAD) == 0
    # Another thumbprint (a reissue) is another certificate: downloaded again.
    orders.read(created.id, {**read.outs, "thumbprint": "0" * 40})
    assert requests_to(sandbox, DOWNLOAD) == 1


def test_a_token_certificate_is_never_downloaded_and_its_init_code_is_an_output(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
) -> None:
    created = orders.create(order_inputs(organization_id, "tokencert"))  # client_app
    assert created.outs is not None
    sandbox.control.advance_order(int(created.id), "issue")
    sandbox.control.reset_stats()
    read = orders.read(created.id, created.outs)
    assert read.outs["certificate_pem"] is None
    assert read.outs["certificate_chain_pem"] is None
    assert (
        read.outs["hardware_init_code"]
        == live_order(sandbox_http, created.id)["hardware_init_code"]
    )
    assert requests_to(sandbox, DOWNLOAD) == 0


def test_create_that_waits_for_issuance_returns_the_certificate(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    sandbox.control.update_settings(auto_issue_after=0.2)
    created = orders.create(
        hsm(organization_id, "waitcert", skip_approval=True, wait_for_issuance_seconds=20)
    )
    assert created.outs is not None
    assert created.outs["status"] == "issued"
    assert created.outs["certificate_pem"].startswith("-----BEGIN CERTIFICATE-----")
    assert created.outs["valid_till"] is not None


def test_an_update_keeps_the_certificate_and_judges_a_new_window_against_the_last_refresh(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    created = orders.create(hsm(organization_id, "newwindow", renew_within_days=30.0))
    assert created.outs is not None
    sandbox.control.advance_order(int(created.id), "issue")
    sandbox.control.advance_clock(320 * DAY)  # 45 days left
    read = orders.read(created.id, created.outs)
    assert read.outs["renewal_due"] is False
    sandbox.control.reset_stats()
    news = {**hsm(organization_id, "newwindow"), "renew_within_days": 60.0}
    updated = orders.update(created.id, read.outs, news).outs
    assert updated is not None
    assert sandbox.control.stats()["requests"] == [], "an update of the window calls nothing"
    assert updated["renewal_due"] is True
    for key in ("valid_till", "days_remaining", "serial_number", "certificate_pem"):
        assert updated[key] == read.outs[key], key
    assert orders.diff(created.id, updated, news).replaces == ["renewal_due"]


# -- renewals -----------------------------------------------------------------------------------


def due_order(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any, key: str
) -> tuple[str, dict[str, Any]]:
    created = orders.create(order_inputs(organization_id, key, renew_within_days=30.0))
    assert created.outs is not None
    sandbox.control.advance_order(int(created.id), "issue")
    sandbox.control.advance_clock(340 * DAY)
    return created.id, orders.read(created.id, created.outs).outs


def renewals(sandbox: Any, order_id: Any) -> list[dict[str, Any]]:
    return [o for o in sandbox.control.orders() if o["renewal_of_order_id"] == int(order_id)]


def test_a_renewal_is_placed_once_under_its_own_key_and_retried_creates_hold_it(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    first, outs = due_order(orders, organization_id, sandbox, "renewonce")
    assert outs["renewal_due"] is True
    declaration = order_inputs(organization_id, "renewonce", renew_within_days=30.0)
    renewed = orders.create(dict(declaration))
    again = orders.create(dict(declaration))
    [renewal] = renewals(sandbox, first)
    assert renewal["alternative_order_id"] == derive_renewal_order_id("renewonce", int(first))
    assert renewed.id == again.id == str(renewal["id"])
    assert renewed.outs is not None
    assert again.outs is not None
    assert (renewed.outs["adopted"], again.outs["adopted"]) == (False, True)
    assert renewed.outs["renewal_of_order_id"] == int(first)
    assert renewed.outs["alternative_order_id"] == "renewonce"  # the declaration's key


def test_an_expired_order_is_renewed_and_its_renewal_found_again_after_it_lapsed(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    first, _ = due_order(orders, organization_id, sandbox, "expiredone")
    sandbox.control.advance_order(int(first), "expire")
    declaration = order_inputs(organization_id, "expiredone", renew_within_days=30.0)
    renewed = orders.create(dict(declaration))
    assert [r["id"] for r in renewals(sandbox, first)] == [int(renewed.id)]
    # Without the window, the expired order's renewal is still the declaration's order.
    plain = orders.create(order_inputs(organization_id, "expiredone"))
    assert plain.id == renewed.id
    assert len(renewals(sandbox, first)) == 1


def test_a_revoked_order_is_not_renewed_a_new_order_is_placed(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    first, _ = due_order(orders, organization_id, sandbox, "revokedone")
    sandbox.control.advance_order(int(first), "revoke")
    created = orders.create(order_inputs(organization_id, "revokedone", renew_within_days=30.0))
    assert created.id != first
    assert renewals(sandbox, first) == []
    assert created.outs is not None
    assert created.outs["renewal_of_order_id"] is None


def test_an_order_not_due_is_held_without_looking_for_renewals(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    created = orders.create(order_inputs(organization_id, "notdue", renew_within_days=30.0))
    sandbox.control.advance_order(int(created.id), "issue")
    sandbox.control.reset_stats()
    held = orders.create(order_inputs(organization_id, "notdue", renew_within_days=30.0))
    assert held.id == created.id
    counted = {
        f"{r['method']} {r['path_template']}": r["count"]
        for r in sandbox.control.stats()["requests"]
    }
    assert counted == {
        "GET /services/v2/order/alternate/{alternative_order_id}": 1,
        "GET /services/v2/order/certificate/{order_id}": 1,
    }


def test_an_adopted_order_renews_and_naming_it_again_is_no_change(
    orders: DocumentSigningOrderProvider, organization_id: float, sandbox: Any
) -> None:
    outside = orders.create(order_inputs(organization_id, "placedoutside"))
    sandbox.control.advance_order(int(outside.id), "issue")
    sandbox.control.advance_clock(340 * DAY)
    declaration = order_inputs(
        organization_id, "adopter", adopt_order_id=float(outside.id), renew_within_days=30.0
    )
    held = orders.create(dict(declaration))
    [renewal] = renewals(sandbox, outside.id)
    assert held.id == str(renewal["id"])
    assert held.outs is not None
    read = orders.read(held.id, held.outs)
    assert orders.diff(held.id, read.outs, {**declaration, "__provider": "blob"}).changes is False
    # The stack bought the renewal: deleting the resource retires it (it awaits approval).
    orders.delete(held.id, read.outs)
    assert (
        next(o for o in sandbox.control.orders() if o["id"] == renewal["id"])["status"]
        == "rejected"
    )


# -- revocation ---------------------------------------------------------------------------------


def test_revocation_sends_the_comment_warns_about_signatures_and_says_it_is_not_revoked_yet(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = orders.create(order_inputs(organization_id, "revokeit"))
    assert created.outs is not None
    sandbox.control.advance_order(int(created.id), "issue")
    capsys.readouterr()
    orders.delete(
        created.id, {**created.outs, "revoke_on_delete": True, "revocation_comment": "key retired"}
    )
    said = capsys.readouterr().err
    assert "documents signed with it will no longer validate" in said
    assert "is NOT revoked until an administrator approves" in said
    info = live_order(sandbox_http, created.id)
    assert info["status"] == "issued"
    [revoke] = [r for r in info["requests"] if r["type"] == "revoke"]
    assert revoke["comments"] == "key retired"
    assert f"request {revoke['id']}" in said


def test_a_renewed_order_is_never_revoked_on_delete(
    orders: DocumentSigningOrderProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, outs = due_order(orders, organization_id, sandbox, "renewedkept")
    renewal = orders.create(order_inputs(organization_id, "renewedkept", renew_within_days=30.0))
    capsys.readouterr()
    orders.delete(first, {**outs, "revoke_on_delete": True})
    said = capsys.readouterr().err
    assert f"order {first} is renewed by order {renewal.id}" in said
    assert "stays valid until" in said
    info = live_order(sandbox_http, first)
    assert info["status"] == "issued"
    assert [r for r in info["requests"] if r["type"] == "revoke"] == []
