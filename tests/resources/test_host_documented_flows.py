"""Through the real dynamic-provider host, as the engine drives it: a card-paid order sends
exactly the order page's card object and keeps no card data anywhere; an order's contacts and a
domain's validation drift in CertCentral, a refresh shows it, and the next `up` fixes it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pulumi
import pytest
from tests.resources.inputs import BILLING_ADDRESS, SUBJECT, declared_organization, signing_order
from tests.resources.observe import placed_bodies, submissions

import pulumi_digicert as digicert
from pulumi_digicert.testing.engine import DeploymentError, HostEngine, redacted
from support.sandbox import stack_config
from support.secrets import assert_no_secrets

# Distinctive values, so a scan cannot match something else by chance.
CARD = {
    "number": "4000056655665556",
    "expiration_month": 11,
    "expiration_year": 2032,
    "cvv": 7391,
    "cardholder_name": "Ada Cardholder-Lovelace",
}
CARD_DATA = ["4000056655665556", "4000 0566 5566 5556", "7391", "Ada Cardholder-Lovelace"]
GRACE = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"}
DAY = 86_400


@pytest.fixture
def engine(sandbox: Any) -> HostEngine:
    return HostEngine(project="flows", stack="dev", config=stack_config(sandbox))


def organization() -> digicert.Organization:
    return digicert.Organization(
        "acme",
        **declared_organization("Flows Corp"),
        opts=pulumi.ResourceOptions(retain_on_delete=True),
    )


def order_program(**order: Any) -> Callable[[], None]:
    def program() -> None:
        org = organization()
        signing_order("signing", org.organization_id, **order)

    return program


def sandbox_rows(sandbox: Any) -> str:
    with sandbox.backend.transaction() as ctx:
        orders = ctx.tx.execute("SELECT * FROM orders").fetchall()
        requests = ctx.tx.execute("SELECT * FROM requests").fetchall()
    return repr([orders, requests])


# -- card payment -------------------------------------------------------------------------------


def test_a_card_paid_order_sends_the_documented_card_object_and_keeps_no_card_data(
    engine: HostEngine, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = placed_bodies(monkeypatch)
    card = {**CARD, "number": "4000 0566 5566 5556"}
    program = order_program(
        payment_method="card", credit_card=card, billing_address=BILLING_ADDRESS
    )
    first = engine.up(program)

    # seed 003: number a string, expiry month and four-digit year and cvv integers, name a
    # string; the sandbox parses strictly, so these are the JSON types that were sent.
    assert bodies == [bodies[0]]
    assert bodies[0]["credit_card"] == {**CARD, "number": "4000056655665556"}
    entry = first.entry("signing")
    assert "credit_card" in entry["secret_inputs"]
    assert "credit_card" not in entry["outputs"]
    assert entry["outputs"]["credit_card_fingerprint"].startswith("pbkdf2-sha256$")

    refreshed = engine.refresh(first.state)
    again = engine.up(program, refreshed.state)
    assert not again.changed, again.render()
    assert len(bodies) == 1

    # A failure after check (an inactive organization: CertCentral refuses the order).
    sandbox.control.set_organization_status(int(first.entry("acme")["id"]), "inactive")
    second = order_program(payment_method="card", credit_card=card, billing_address=BILLING_ADDRESS)
    with pytest.raises(DeploymentError) as failed:
        engine.up(lambda: (second(), _another_order(card)), again.state)

    texts = {
        "state as Pulumi stores it (secrets encrypted)": json.dumps(redacted(again.state)),
        "outputs": json.dumps([e["outputs"] for e in again.state.values()]),
        "refresh": json.dumps([e["outputs"] for e in refreshed.state.values()]),
        "deployment logs": first.render() + refreshed.render() + again.render(),
        "provider host output": "".join(
            d.host_stderr for d in (first, refreshed, again, failed.value.deployment)
        ),
        "error": str(failed.value) + repr(failed.value.__cause__),
        "sandbox storage": sandbox_rows(sandbox),
    }
    for where, text in texts.items():
        assert_no_secrets(text, CARD_DATA, where=where)
    assert "invalid_organization" in str(failed.value)


def _another_order(card: dict[str, Any]) -> None:
    digicert.DocumentSigningOrder(
        "another",
        product="document_signing_org_2",
        organization_id=1,
        validity_years=1,
        subject=SUBJECT,
        payment_method="card",
        credit_card=card,
        billing_address=BILLING_ADDRESS,
    )


# -- order contacts -----------------------------------------------------------------------------


def test_order_contacts_update_in_place_and_refresh_shows_a_change_made_in_certcentral(
    engine: HostEngine, sandbox: Any, sandbox_http: httpx.Client
) -> None:
    first = engine.up(order_program(technical_contact=GRACE))
    order_id = first.entry("signing")["id"]

    # A change in the program: an update in place, never a new purchase.
    linus = {"first_name": "Linus", "last_name": "Torvalds", "email": "linus@example.com"}
    program = order_program(technical_contact={**linus, "job_title": "Kernel"})
    preview = engine.preview(program, first.state)
    assert [(op.name, op.op, op.changes) for op in preview.ops("update")] == [
        ("signing", "update", ("technical_contact",))
    ]
    updated = engine.up(program, first.state)
    assert updated.op_for("signing") == "update"
    assert updated.entry("signing")["id"] == order_id
    live = sandbox_http.get(f"/order/certificate/{order_id}").json()["technical_contact"]
    assert (live["first_name"], live["job_title"]) == ("Linus", "Kernel")
    assert len(sandbox.control.orders()) == 1

    # Someone changes it in CertCentral: refresh shows it, the next up puts it back.
    changed = {"contact_type": "technical_contact", **GRACE}
    assert sandbox_http.put(f"/order/certificate/{order_id}/contact", json={"contacts": [changed]})
    refreshed = engine.refresh(updated.state)
    (refresh_op,) = [op for op in refreshed.ops("refresh") if op.name == "signing"]
    assert "technical_contact" in refresh_op.changes
    assert refreshed.outputs("signing")["technical_contact"]["first_name"] == "Grace"
    # The order's read returns no inputs (the card it was bought with is never stored), so
    # the drift lives in the outputs the next diff compares: the preview shows an update.
    assert [op.name for op in engine.preview(program, refreshed.state).ops("update")] == ["signing"]
    fixed = engine.up(program, refreshed.state)
    assert fixed.op_for("signing") == "update"
    live = sandbox_http.get(f"/order/certificate/{order_id}").json()["technical_contact"]
    assert live["first_name"] == "Linus"
    settled = engine.up(program, engine.refresh(fixed.state).state)
    assert not settled.changed, settled.render()


# -- domain revalidation ------------------------------------------------------------------------


def domain_program() -> None:
    org = organization()
    digicert.DomainValidation(
        "example", domain_name="flows.example.com", organization_id=org.organization_id
    )


def test_an_expired_domain_validation_shows_on_refresh_and_the_next_up_submits_it_again(
    engine: HostEngine, sandbox: Any, sandbox_http: httpx.Client
) -> None:
    first = engine.up(domain_program)
    domain_id = int(first.entry("example")["id"])
    sandbox.control.complete_dcv(domain_id)
    validated = engine.refresh(first.state)
    assert validated.outputs("example")["validation_status"] == "validated"
    assert not engine.up(domain_program, validated.state).changed

    sandbox.control.advance_clock(398 * DAY)  # a domain validation lasts 397 days
    refreshed = engine.refresh(validated.state)
    (refresh_op,) = [op for op in refreshed.ops("refresh") if op.name == "example"]
    assert "validations" in refresh_op.changes
    assert refreshed.outputs("example")["validation_status"] == "expired"

    preview = engine.preview(domain_program, refreshed.state)
    assert [(op.name, op.changes) for op in preview.ops("update")] == [
        ("example", ("validations",))
    ]
    sandbox.control.reset_stats()
    fixed = engine.up(domain_program, refreshed.state)
    assert fixed.op_for("example") == "update"
    assert submissions(sandbox) == 1
    outputs = fixed.outputs("example")
    assert outputs["validation_status"] == "pending"
    assert outputs["dcv_token"] != validated.outputs("example")["dcv_token"]  # a fresh token
    live = sandbox_http.get(f"/domain/{domain_id}", params={"include_validation": "true"}).json()
    assert live["validations"][0]["status"] == "pending"

    settled = engine.up(domain_program, engine.refresh(fixed.state).state)
    assert not settled.changed, settled.render()
    assert submissions(sandbox) == 1
