"""HostEngine: up / preview / refresh / destroy through the real provider host, with the echo
provider (tests/testing/echo_provider.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from pulumi_digicert.testing import UNKNOWN, Deployment, is_provider_type
from pulumi_digicert.testing.engine import (
    CheckFailedError,
    DeploymentError,
    HostEngine,
    redacted,
)
from support.hosts import engine_hosts
from support.secrets import assert_no_secrets
from testing.echo_provider import Echo

TOKEN = "engine-token-NEVER-PRINT-42"
CONFIG = {"echo:greeting": "hi", "echo:token": TOKEN}


@pytest.fixture
def engine() -> HostEngine:
    return HostEngine(config=CONFIG, host_factory=engine_hosts())


def chain(
    first_value: str = "one", *, first_name: str | None = None, dbr: bool = False
) -> Callable[[], None]:
    """A program of two echoes; the second takes the first's id as its value."""

    def program() -> None:
        first = Echo("first", value=first_value, name=first_name, dbr=dbr)
        second = Echo("second", value=first.echo_id)
        pulumi.export("second_value", second.value)

    return program


def echo_lines(deployment: Deployment, verb: str) -> list[str]:
    """Ids the echo provider logged for ``verb`` (create, update, delete ...), in order."""
    prefix = f"echo: {verb} "
    return [
        line[len(prefix) :].split()[0]
        for line in deployment.host_stderr.splitlines()
        if line.startswith(prefix)
    ]


def names(deployment: Deployment) -> list[str]:
    return [urn.split("::")[-1] for urn in deployment.resource_entries()]


def test_up_creates_then_a_second_up_shows_no_changes(engine: HostEngine) -> None:
    first = engine.up(chain())
    assert [(op.op, op.name) for op in first.log] == [("create", "first"), ("create", "second")]
    first_id = first.entry("first")["id"]
    assert first.outputs("second")["value"] == first_id, "outputs flow into dependents"
    assert first.exports == {"second_value": first_id}
    json.dumps(first.state)

    second = engine.up(chain(), first.state)
    assert not second.changed
    # What the provider host wrote on stderr is shown as the CLI shows it, under the stack.
    head, _, said = second.render().partition("\n\nDiagnostics:\n  pulumi:pulumi:Stack:\n")
    assert head == "no changes"
    assert said.splitlines() == [f"    {line}" for line in second.provider_lines()]
    assert second.provider_lines()
    assert "Create" not in second.host_calls
    assert second.state == first.state


def test_changed_input_updates_in_place(engine: HostEngine) -> None:
    state = engine.up(chain("one")).state
    changed = engine.up(chain("two"), state)
    assert changed.op_for("first") == "update"
    assert changed.ops("update")[0].changes == ("value",)
    assert changed.op_for("second") == "same", "the first's id did not change"
    assert changed.outputs("first")["value"] == "two"
    assert changed.outputs("first")["updated"] is True
    assert "~ update" in changed.render()


def test_replacement_creates_first_and_deletes_the_old_one_last(engine: HostEngine) -> None:
    state = engine.up(chain(first_name="a")).state
    old_id = state[next(urn for urn in state if urn.endswith("::first"))]["id"]
    replaced = engine.up(chain(first_name="b"), state)
    assert [(op.op, op.name) for op in replaced.log] == [
        ("replace", "first"),
        ("update", "second"),
        ("delete-replaced", "first"),
    ]
    assert replaced.ops("replace")[0].replaces == ("name",)
    new_id = replaced.entry("first")["id"]
    assert new_id != old_id
    assert replaced.outputs("second")["value"] == new_id
    assert echo_lines(replaced, "delete") == [old_id]
    lines = replaced.host_stderr.splitlines()
    assert lines.index(f"echo: create {new_id}") < lines.index(f"echo: delete {old_id} greeting=hi")
    assert "+- replace" in replaced.render()


def test_removed_resources_are_deleted_and_destroy_runs_in_reverse_order(
    engine: HostEngine,
) -> None:
    state = engine.up(chain()).state
    ids = [entry["id"] for entry in state.values() if not is_provider_type(entry["type"])]

    def only_first() -> None:
        Echo("first", value="one", dbr=False)

    shrunk = engine.up(only_first, state)
    assert [(op.op, op.name) for op in shrunk.log] == [("same", "first"), ("delete", "second")]
    assert echo_lines(shrunk, "delete") == [ids[1]]

    grown = engine.up(chain(), shrunk.state)
    destroyed = engine.destroy(grown.state)
    assert destroyed.state == {}
    assert [op.name for op in destroyed.log] == ["second", "first"]
    assert echo_lines(destroyed, "delete") == [grown.entry("second")["id"], ids[0]]


def test_retained_resources_are_forgotten_not_deleted(engine: HostEngine) -> None:
    def program() -> None:
        Echo("kept", value="v", opts=pulumi.ResourceOptions(retain_on_delete=True))

    state = engine.up(program).state
    destroyed = engine.destroy(state)
    assert destroyed.log[0].detail == "retained"
    assert "Delete" not in destroyed.host_calls


def test_preview_creates_nothing_and_passes_unknowns_to_check(engine: HostEngine) -> None:
    def program() -> None:
        first = Echo("first", value="one")
        Echo("second", value="two", probe=first.echo_id)

    planned = engine.preview(program)
    assert "Create" not in planned.host_calls
    assert planned.host_calls["Check"] == 2
    assert planned.state == {}
    assert all(op.planned for op in planned.log)
    second = next(r for r in planned.resources if r.name == "second")
    assert second.inputs["probe"] == UNKNOWN
    assert second.unknown_inputs == {"probe"}

    state = engine.up(program).state
    previewed = engine.preview(chain("changed"), state)
    assert previewed.op_for("first") == "update"
    assert previewed.state == state
    assert "Update" not in previewed.host_calls


def test_refresh_records_drift_and_vanished_resources(engine: HostEngine) -> None:
    def program() -> None:
        Echo("drifting", value="v", drift_to="w")
        Echo("vanishing", value="v", gone=True)
        Echo("steady", value="v")

    state = engine.up(program).state
    refreshed = engine.refresh(state)
    ops = {op.name: op.op for op in refreshed.log}
    assert ops == {"drifting": "refresh", "vanishing": "delete", "steady": "same"}
    assert refreshed.entry("drifting")["inputs"]["value"] == "w"
    assert refreshed.outputs("steady")["refreshed"] is True, "a same refresh still records"
    assert sorted(names(refreshed)) == ["drifting", "steady"]


def test_secrets_are_marked_in_state_and_never_printed(engine: HostEngine) -> None:
    def program() -> None:
        token = pulumi.Config("echo").require_secret("token")
        Echo("secretive", value="v", secret_value=token)

    first = engine.up(program)
    entry = first.entry("secretive")
    assert "secret_value" in entry["secret_inputs"]
    assert "secret_value" in entry["secret_outputs"]
    assert entry["outputs"]["secret_value"] == TOKEN
    assert_no_secrets(json.dumps(redacted(first.state)), [TOKEN], where="redacted state")

    second = engine.up(program, first.state)
    assert not second.changed
    text = first.render(show_same=True) + second.render(show_same=True) + str(first.log)
    assert_no_secrets(text, [TOKEN], where="deployment log")
    assert echo_lines(first, "create")
    for deployment in (first, first.planned, second):
        assert deployment is not None
        assert_no_secrets(deployment.host_stderr, [TOKEN], where="host stderr")


def test_check_failure_fails_the_deployment_and_keeps_partial_state(engine: HostEngine) -> None:
    def program() -> None:
        first = Echo("ok", value="v")
        Echo("bad", value=first.echo_id.apply(lambda _: 12))

    with pytest.raises(DeploymentError) as raised:
        engine.up(program)
    assert isinstance(raised.value.__cause__, CheckFailedError)
    partial = raised.value.deployment
    assert not partial.preview, "in the preview the value was unknown: Check passed"
    assert names(partial) == ["ok"]
    assert partial.log[0].op == "create"


def test_a_check_failure_in_the_preview_stops_up_before_any_change(engine: HostEngine) -> None:
    def program() -> None:
        Echo("ok", value="v")
        Echo("bad", value=12)  # type: ignore[arg-type]

    with pytest.raises(DeploymentError) as raised:
        engine.up(program)
    assert raised.value.deployment.preview
    assert raised.value.deployment.state == {}
    assert "Create" not in raised.value.deployment.host_calls


def test_non_dynamic_resources_are_echoed_or_handled() -> None:
    class Thing(pulumi.CustomResource):
        def __init__(self, name: str, props: dict[str, Any]) -> None:
            super().__init__("test:index:Thing", name, props)

    def handler(args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return "handled-id", {**args.inputs, "extra": 1}

    def program() -> None:
        Thing("plain", {"size": 2})
        Echo("after", value="v")

    engine = HostEngine(config=CONFIG, host_factory=engine_hosts())
    echoed = engine.up(program)
    assert echoed.entry("plain")["id"] == "plain"
    assert echoed.outputs("plain") == {"size": 2.0}

    handled = HostEngine(
        config=CONFIG, host_factory=engine_hosts(), handlers={"test:index:Thing": handler}
    ).up(program)
    assert handled.entry("plain")["id"] == "handled-id"
    assert handled.outputs("plain")["extra"] == 1.0


def test_a_program_without_dynamic_resources_starts_no_host() -> None:
    class Thing(pulumi.CustomResource):
        def __init__(self, name: str) -> None:
            super().__init__("test:index:Thing", name, {})

    deployment = HostEngine(config=CONFIG, host_factory=engine_hosts()).up(lambda: Thing("t"))
    assert deployment.host_pids == ()
    assert not any(is_provider_type(entry["type"]) for entry in deployment.state.values())


@pytest.mark.parametrize(("plain_provider", "provider_secret"), [(False, True), (True, False)])
def test_provider_blob_is_secret_in_state_only_when_its_input_was(
    engine: HostEngine, plain_provider: bool, provider_secret: bool
) -> None:
    # provider_plugin.go, annotateSecrets: an output is secret where the input of that name was.
    def program() -> None:
        Echo("it", value="v", plain_provider=plain_provider)

    deployment = engine.up(program, skip_preview=True)
    registered = next(r for r in deployment.resources if r.name == "it")
    assert ("__provider" in registered.secret_inputs) is provider_secret
    entry = deployment.entry("it")
    assert ("__provider" in entry["secret_inputs"]) is provider_secret
    assert ("__provider" in entry["secret_outputs"]) is provider_secret
