"""Lifecycle defects a user meets only through the engine, each through the test engine."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.examples.support import example_program
from tests.resources.inputs import declared_organization, signing_order

import pulumi_digicert as digicert
from pulumi_digicert.testing import HostEngine
from support.sandbox import stack_config

ORGANIZATION = declared_organization("Lifecycle Corp")


@pytest.fixture
def engine(sandbox: Any) -> HostEngine:
    return HostEngine(project="lifecycle", stack="dev", config=stack_config(sandbox))


def organization_status(sandbox: Any, organization_id: str) -> int:
    answer = httpx.get(
        f"{sandbox.services_url}/organization/{organization_id}",
        headers={"X-DC-DEVKEY": sandbox.api_key},
        timeout=10,
    )
    return answer.status_code


@pytest.mark.parametrize("removed", ["first", "second"])
def test_removing_one_of_two_identical_organizations_leaves_the_other_holding_it(
    engine: HostEngine, sandbox: Any, removed: str
) -> None:
    def program(*names: str) -> Any:
        def declare() -> None:
            for name in names:
                digicert.Organization(name, **ORGANIZATION)

        return declare

    held = engine.up(program("first", "second"), skip_preview=True)
    first, second = held.entry("first"), held.entry("second")
    assert first["id"] == second["id"]
    # Whichever was created second found the first's organization: it holds it, never owns it.
    assert sorted([first["outputs"]["adopted"], second["outputs"]["adopted"]]) == [False, True]
    kept = "second" if removed == "first" else "first"
    after = engine.up(program(kept), held.state, skip_preview=True)
    assert [(op.op, op.name) for op in after.log if op.op != "same"] == [("delete", removed)]
    assert organization_status(sandbox, first["id"]) == 200


def test_an_adopter_never_deletes_even_when_asked_to(engine: HostEngine, sandbox: Any) -> None:
    def program(*names: str) -> Any:
        def declare() -> None:
            for name in names:
                digicert.Organization(name, **ORGANIZATION, delete_on_destroy=True)

        return declare

    held = engine.up(program("first", "second"), skip_preview=True)
    adopter = "first" if held.entry("first")["outputs"]["adopted"] else "second"
    owner = "second" if adopter == "first" else "first"
    engine.up(program(owner), held.state, skip_preview=True)
    assert organization_status(sandbox, held.entry(owner)["id"]) == 200


def test_destroy_ends_even_when_certcentral_refuses_to_delete_an_organization_in_use(
    engine: HostEngine, sandbox: Any
) -> None:
    def program() -> None:
        org = digicert.Organization("org", **ORGANIZATION, delete_on_destroy=True)
        signing_order("order", org.id)

    deployed = engine.up(program, skip_preview=True)
    organization_id = deployed.entry("org")["id"]
    destroyed = engine.destroy(deployed.state)
    assert destroyed.resource_entries() == {}
    # CertCentral refuses while any order references it, whatever the order's status.
    assert organization_status(sandbox, organization_id) == 200
    said = destroyed.provider_lines()
    assert any(f"organization {organization_id} kept in CertCentral" in line for line in said)
    assert "Diagnostics:" in destroyed.render()


def test_refresh_right_after_up_reports_nothing_and_again_changes_nothing(
    sandbox: Any,
) -> None:
    config = {**stack_config(sandbox), "digicert:apiKey": sandbox.api_key}
    engine = HostEngine(project="digicert-quickstart", stack="dev", config=config)
    program = example_program("quickstart")
    deployed = engine.up(program, skip_preview=True)
    first = engine.refresh(deployed.state)
    assert not first.changed, first.render()
    second = engine.refresh(first.state)
    assert not second.changed, second.render()
    assert second.state == first.state
    assert not engine.preview(program, second.state).changed
