"""Refresh as the engine runs it (pkg/resource/deploy/step.go, ``RefreshStep.Apply`` and
``ResultOp``): Read, then the provider's Diff with the refreshed inputs and outputs as the olds
and the inputs from before the refresh as the news; the step is a change only if that diff
says so."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_digicert.testing import HostEngine, from_struct
from testing.echo_provider import Echo
from testing.recorder import CallRecorder


def test_refresh_diffs_the_read_state_against_the_inputs(
    engine: HostEngine, recorder: CallRecorder
) -> None:
    def program() -> None:
        Echo("drifting", value="v", drift_to="w")

    state = engine.up(program, skip_preview=True).state
    before = next(entry for urn, entry in state.items() if urn.endswith("::drifting"))
    refreshed = engine.refresh(state)
    after = refreshed.entry("drifting")
    (request,) = recorder.requests("Diff")
    assert from_struct(request.olds) == after["outputs"]
    assert from_struct(request.old_inputs) == after["inputs"]
    assert from_struct(request.news) == before["inputs"]
    assert refreshed.op_for("drifting") == "refresh"
    assert "value" in refreshed.log[0].changes


def test_outputs_that_changed_without_an_input_diff_refresh_as_same(engine: HostEngine) -> None:
    def program() -> None:
        Echo("steady", value="v")

    state = engine.up(program, skip_preview=True).state
    refreshed = engine.refresh(state)
    assert refreshed.op_for("steady") == "same"
    assert refreshed.outputs("steady")["refreshed"] is True
    assert refreshed.host_calls["Diff"] == 1


@pytest.mark.parametrize(("inputs", "op"), [({}, "same"), ({"drift_to": "w"}, "refresh")])
def test_without_a_verdict_from_the_provider_refresh_compares_the_inputs(
    engine: HostEngine, inputs: dict[str, Any], op: str
) -> None:
    def program() -> None:
        Echo("quiet", value="v", unknown_diff=True, **inputs)

    state = engine.up(program, skip_preview=True).state
    assert engine.refresh(state).op_for("quiet") == op


def test_a_resource_read_back_as_gone_leaves_the_state(engine: HostEngine) -> None:
    def program() -> None:
        Echo("vanishing", value="v", gone=True)

    refreshed = engine.refresh(engine.up(program, skip_preview=True).state)
    assert [(op.op, op.detail) for op in refreshed.log] == [("delete", "gone")]
    assert refreshed.resource_entries() == {}
    assert "Diff" not in refreshed.host_calls
