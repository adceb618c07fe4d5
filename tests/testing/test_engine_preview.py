"""Previews as the engine runs them for a provider without preview support.

pkg/resource/plugin/provider_plugin.go, ``Create``/``Update``: with ``supportsPreview=false``
(the Python dynamic host's Configure answer) the engine does not call the provider in a preview
and returns the checked inputs as the outputs; pulumi/runtime/rpc.py, ``resolve_outputs``, then
leaves every output that is not among them unknown. step.go, ``UpdateStep.Apply``: the id stays.
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pytest

from pulumi_digicert.testing import UNKNOWN, HostEngine, State
from testing.echo_provider import Echo


def watched(value: str, *, name: str | None = None) -> Callable[[], None]:
    """``first`` and a ``watcher`` that reads the first's ``echo_id``, an output that is not an
    input; the exports show what the program saw."""

    def program() -> None:
        first = Echo("first", value=value, name=name)
        Echo("watcher", value="w", probe=first.echo_id)
        pulumi.export("first_id", first.id)
        pulumi.export("first_echo_id", first.echo_id)
        pulumi.export("first_value", first.value)
        pulumi.export("first_greeting", first.greeting)

    return program


@pytest.fixture
def deployed(engine: HostEngine) -> State:
    return engine.up(watched("one")).state


def test_preview_of_an_update_keeps_the_id_and_leaves_other_outputs_unknown(
    engine: HostEngine, deployed: State
) -> None:
    planned = engine.preview(watched("two"), deployed)
    first_id = deployed[next(urn for urn in deployed if urn.endswith("::first"))]["id"]
    assert planned.op_for("first") == "update"
    assert planned.exports["first_id"] == first_id, "the id stays known"
    assert planned.exports["first_value"] == "two", "inputs are the checked news"
    assert planned.exports["first_echo_id"] == UNKNOWN
    assert planned.exports["first_greeting"] == UNKNOWN
    assert "Update" not in planned.host_calls


def test_preview_of_an_update_shows_dependents_of_its_other_outputs_changing(
    engine: HostEngine, deployed: State
) -> None:
    # The watcher reads first.echo_id: unknown in the preview, unchanged by the update itself.
    planned = engine.preview(watched("two"), deployed)
    assert planned.op_for("watcher") == "update"
    watcher = next(r for r in planned.resources if r.name == "watcher")
    assert watcher.inputs["probe"] == UNKNOWN

    applied = engine.up(watched("two"), deployed)
    assert applied.op_for("watcher") == "same", "the update kept echo_id"
    assert applied.planned is not None
    assert applied.planned.op_for("watcher") == "update"


def test_preview_of_a_create_leaves_the_id_and_non_input_outputs_unknown(
    engine: HostEngine,
) -> None:
    planned = engine.preview(watched("one"))
    assert planned.exports["first_id"] == UNKNOWN
    assert planned.exports["first_echo_id"] == UNKNOWN
    assert planned.exports["first_value"] == "one"
    assert "Create" not in planned.host_calls


def test_preview_of_a_replacement_leaves_the_new_id_unknown(
    engine: HostEngine, deployed: State
) -> None:
    planned = engine.preview(watched("one", name="renamed"), deployed)
    assert [op.op for op in planned.log if op.name == "first"] == ["replace", "delete-replaced"]
    assert planned.exports["first_id"] == UNKNOWN
    assert planned.exports["first_value"] == "one"
    assert not {"Create", "Delete"} & set(planned.host_calls)


def test_up_runs_check_twice_once_in_its_preview_and_once_in_the_update(
    engine: HostEngine,
) -> None:
    deployment = engine.up(watched("one"))
    assert deployment.planned is not None
    assert deployment.planned.preview
    assert deployment.planned.host_calls["Check"] == 2
    assert deployment.host_calls["Check"] == 2
    assert deployment.planned.host_pids != deployment.host_pids, "each with its own host"

    skipped = engine.up(watched("one"), skip_preview=True)
    assert skipped.planned is None
