"""Renewal from the declaration, through the test engine and the sandbox: one declared order is
issued, approaches its expiry (the sandbox clock moves), refresh finds it due, the preview shows
the renewal as a replacement, and `up` places exactly one renewal order linked to the first,
also when the order's answer is lost, and when `up` fails and runs again."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from tests.resources.inputs import declared_organization, signing_order

import pulumi_digicert as digicert
from pulumi_digicert.resources.document_signing_order import (
    derive_alternative_order_id,
    derive_renewal_order_id,
)
from pulumi_digicert.testing import Deployment, DeploymentError, HostEngine, State, redacted
from support.sandbox import stack_config

DAY = 86_400.0
ORGANIZATION = declared_organization("Renewal Corp")
WINDOW = 30  # renew_within_days
# The sandbox issues a one-year order for 365 days: this leaves 25 days, inside the window.
TO_THE_WINDOW = 340 * DAY


def program(**order: Any) -> Callable[[], None]:
    def declare() -> None:
        organization = digicert.Organization("org", **ORGANIZATION)
        signing_order("order", organization.id, renew_within_days=WINDOW, **order)

    return declare


@pytest.fixture
def engine(sandbox: Any) -> HostEngine:
    return HostEngine(project="renewal", stack="dev", config=stack_config(sandbox))


def order_info(sandbox: Any, order_id: Any) -> dict[str, Any]:
    answer = httpx.get(
        f"{sandbox.services_url}/order/certificate/{order_id}",
        headers={"X-DC-DEVKEY": sandbox.api_key},
        timeout=10,
    )
    answer.raise_for_status()
    info: dict[str, Any] = answer.json()
    return info


def orders(sandbox: Any) -> list[dict[str, Any]]:
    return sorted(sandbox.control.orders(), key=lambda o: int(o["id"]))


def issued_and_due(engine: HostEngine, sandbox: Any, **order: Any) -> tuple[Deployment, int]:
    """`up`, the order issued, then the clock moved into the renewal window and refreshed."""
    deployed = engine.up(program(**order), skip_preview=True)
    first = int(deployed.entry("order")["id"])
    sandbox.control.advance_order(first, "issue")
    sandbox.control.advance_clock(TO_THE_WINDOW)
    return engine.refresh(deployed.state), first


def renewals_of(sandbox: Any, order_id: int) -> list[dict[str, Any]]:
    return [o for o in orders(sandbox) if o.get("renewal_of_order_id") == order_id]


def op_of(deployment: Deployment, name: str) -> tuple[str, tuple[str, ...]]:
    entry = next(e for e in deployment.log if e.name == name)
    return entry.op, entry.replaces


def test_an_issued_order_refreshes_to_its_certificate_without_drift(
    engine: HostEngine, sandbox: Any
) -> None:
    deployed = engine.up(program(), skip_preview=True)
    order_id = deployed.entry("order")["id"]
    sandbox.control.advance_order(int(order_id), "issue")
    refreshed = engine.refresh(deployed.state)
    # New outputs are not drift: the refresh reports the resource unchanged.
    assert op_of(refreshed, "order")[0] == "same", refreshed.render()
    outputs = refreshed.outputs("order")
    info = order_info(sandbox, order_id)
    certificate = info["certificate"]
    expected = {
        "valid_from": certificate["valid_from"],
        "valid_till": certificate["valid_till"],
        "days_remaining": certificate["days_remaining"],
        "serial_number": certificate["serial_number"],
        "thumbprint": certificate["thumbprint"],
        "common_name": certificate["common_name"],
        "product_name": info["product"]["name"],
        "status": "issued",
        "renewal_due": False,
    }
    assert {key: outputs[key] for key in expected} == expected
    again = engine.refresh(refreshed.state)
    assert not again.changed, again.render()
    assert again.state == refreshed.state
    assert not engine.preview(program(), again.state).changed


def test_a_new_day_changes_days_remaining_without_reporting_drift(
    engine: HostEngine, sandbox: Any
) -> None:
    deployed = engine.up(program(), skip_preview=True)
    sandbox.control.advance_order(int(deployed.entry("order")["id"]), "issue")
    before = engine.refresh(deployed.state)
    sandbox.control.advance_clock(3 * DAY)
    after = engine.refresh(before.state)
    assert after.outputs("order")["days_remaining"] == before.outputs("order")["days_remaining"] - 3
    assert not after.changed, after.render()
    assert not engine.preview(program(), after.state).changed


def test_renewal_end_to_end_places_exactly_one_renewal_linked_to_the_first(
    engine: HostEngine, sandbox: Any
) -> None:
    refreshed, first = issued_and_due(engine, sandbox)
    # Refresh found it due: the refresh reports it, and records why.
    assert op_of(refreshed, "order")[0] == "refresh", refreshed.render()
    assert refreshed.outputs("order")["renewal_due"] is True
    assert refreshed.outputs("order")["days_remaining"] <= WINDOW

    preview = engine.preview(program(), refreshed.state)
    assert op_of(preview, "order") == ("replace", ("renewal_due",)), preview.render()
    # What a reviewer reads in the pull request's preview.
    assert (
        "+- replace         pulumi-python:dynamic/digicert:DocumentSigningOrder order [renewal_due]"
        in preview.render()
    )
    assert len(orders(sandbox)) == 1, "a preview buys nothing"

    renewed = engine.up(program(), refreshed.state)
    assert renewed.planned is not None
    assert op_of(renewed.planned, "order") == ("replace", ("renewal_due",))
    [renewal] = renewals_of(sandbox, first)
    assert len(orders(sandbox)) == 2
    key = refreshed.entry("order")["inputs"]["alternative_order_id"]
    assert renewal["alternative_order_id"] == derive_renewal_order_id(key, first)
    assert renewed.entry("order")["id"] == str(renewal["id"])
    assert renewed.outputs("order")["renewal_of_order_id"] == first
    # The old certificate stays valid: neither canceled nor revoked by the replacement.
    assert order_info(sandbox, first)["status"] == "issued"
    said = " ".join(renewed.provider_lines())
    assert f"order {first} is due for renewal" in said

    # Once placed, the renewal is not planned again: the new order is not due.
    after = engine.refresh(renewed.state)
    assert after.outputs("order")["renewal_due"] is False
    assert not after.changed, after.render()
    sandbox.control.advance_order(renewal["id"], "issue")
    issued = engine.refresh(after.state)
    assert issued.outputs("order")["renewal_due"] is False
    assert not engine.preview(program(), issued.state).changed
    assert len(orders(sandbox)) == 2


def test_revoke_on_delete_leaves_a_renewed_certificate_valid(
    engine: HostEngine, sandbox: Any
) -> None:
    refreshed, first = issued_and_due(engine, sandbox, revoke_on_delete=True)
    renewed = engine.up(program(revoke_on_delete=True), refreshed.state, skip_preview=True)
    [renewal] = renewals_of(sandbox, first)
    assert order_info(sandbox, first)["status"] == "issued"
    said = " ".join(renewed.provider_lines())
    assert f"order {first} is renewed by order {renewal['id']}" in said


def test_a_lost_answer_to_the_renewal_still_places_exactly_one(
    engine: HostEngine, sandbox: Any
) -> None:
    refreshed, first = issued_and_due(engine, sandbox)
    sandbox.control.inject_fault(
        kind="drop_response", method="POST", path_regex="/order/certificate/", count=1
    )
    renewed = engine.up(program(), refreshed.state, skip_preview=True)
    [renewal] = renewals_of(sandbox, first)
    assert renewed.entry("order")["id"] == str(renewal["id"])
    assert len(orders(sandbox)) == 2


def test_an_up_that_failed_after_a_lost_answer_runs_again_without_buying_twice(
    sandbox: Any,
) -> None:
    config = {**stack_config(sandbox), "digicert:maxRetries": "0"}
    engine = HostEngine(project="renewal", stack="dev", config=config)
    refreshed, first = issued_and_due(engine, sandbox)
    key = refreshed.entry("order")["inputs"]["alternative_order_id"]
    renewal_key = derive_renewal_order_id(key, first)
    # The lookup before ordering answers; the renewal's answer is lost, then every lookup of
    # its id fails: nobody can tell whether it was placed.
    sandbox.control.inject_fault(
        kind="drop_response", method="POST", path_regex="/order/certificate/", count=1
    )
    sandbox.control.inject_fault(
        kind="fail",
        method="GET",
        path_regex=f"/order/alternate/{renewal_key}",
        skip=1,
        count=1000,
    )
    with pytest.raises(DeploymentError) as failed:
        engine.up(program(), refreshed.state, skip_preview=True)
    assert "was not sent again" in str(failed.value)
    assert len(renewals_of(sandbox, first)) == 1
    sandbox.control.clear_faults()
    state: State = failed.value.deployment.state
    retried = engine.up(program(), state, skip_preview=True)
    [renewal] = renewals_of(sandbox, first)
    assert retried.entry("order")["id"] == str(renewal["id"])
    assert retried.outputs("order")["adopted"] is True
    assert len(orders(sandbox)) == 2


def test_without_renew_within_days_nothing_is_ever_due(engine: HostEngine, sandbox: Any) -> None:
    def plain() -> None:
        organization = digicert.Organization("org", **ORGANIZATION)
        signing_order("order", organization.id)

    deployed = engine.up(plain, skip_preview=True)
    sandbox.control.advance_order(int(deployed.entry("order")["id"]), "issue")
    sandbox.control.advance_clock(TO_THE_WINDOW)
    refreshed = engine.refresh(deployed.state)
    assert refreshed.outputs("order")["renewal_due"] is False
    assert not engine.preview(plain, refreshed.state).changed


def test_the_renewal_key_is_derived_from_the_declaration_and_the_renewed_order() -> None:
    # Golden values: a changed derivation would miss a renewal placed by an interrupted run.
    key = derive_alternative_order_id("renewal", "dev", "order", {"product": "p"})
    assert derive_renewal_order_id(key, 5000001) == derive_renewal_order_id(key, 5000001.0)
    # sha256 of the JSON {"key":"pdabc123","renewal_of":5000001}, computed outside the code.
    assert derive_renewal_order_id("pdabc123", 5000001) == (
        "pr9edae5e36d40709faebddbe3963f371426660361"
    )
    assert derive_renewal_order_id("pdabc123", 5000002) != derive_renewal_order_id(
        "pdabc123", 5000001
    )
    assert derive_renewal_order_id("pdabc124", 5000001) != derive_renewal_order_id(
        "pdabc123", 5000001
    )


def test_the_hardware_init_code_is_a_secret_in_state(engine: HostEngine, sandbox: Any) -> None:
    deployed = engine.up(program(cs_provisioning_method="client_app"), skip_preview=True)
    order_id = deployed.entry("order")["id"]
    sandbox.control.advance_order(int(order_id), "issue")
    refreshed = engine.refresh(deployed.state)
    entry = refreshed.entry("order")
    code = order_info(sandbox, order_id)["hardware_init_code"]
    assert entry["outputs"]["hardware_init_code"] == code
    assert "hardware_init_code" in entry["secret_outputs"]
    assert code not in json.dumps(redacted(refreshed.state))
    assert code not in refreshed.render()
