"""Imports and reads as the engine sends them.

pkg/resource/deploy/step.go, ``ImportStep.Apply``: Read with the import id and neither inputs
nor state; the Python dynamic host then looks for ``__provider`` in an empty request and fails
(pulumi/pulumi#16175), so importing a dynamic resource fails, the ``import_`` option and
``pulumi import`` alike. ``ReadStep.Apply`` (``.get()``): Read with the inputs as both inputs
and state.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_digicert.testing import (
    DeploymentError,
    HostEngine,
    HostError,
    ProviderHost,
    default_provider_urn,
)
from support.hosts import engine_hosts
from testing.echo_provider import Echo
from testing.recorder import CallRecorder

TYPE = "pulumi-python:dynamic/echo:Echo"
HOST_REASON = "KeyError: '__provider'"


def importing() -> None:
    Echo("adopted", value="v", opts=pulumi.ResourceOptions(import_="echo-77"))


def test_the_import_option_fails_as_the_dynamic_host_fails(
    engine: HostEngine, recorder: CallRecorder
) -> None:
    with pytest.raises(DeploymentError, match=HOST_REASON) as raised:
        engine.up(importing)
    host_error = raised.value.__cause__
    assert isinstance(host_error, HostError)
    assert host_error.method == "Read"
    assert host_error.details.rstrip().endswith(HOST_REASON)
    failed = raised.value.deployment
    assert failed.preview, "the preview already fails"
    assert failed.host_calls == {"Configure": 1, "Read": 1}
    (request,) = recorder.requests("Read")
    assert request.id == "echo-77"
    assert not request.properties.fields, "no state"
    assert not request.HasField("inputs"), "no inputs"


def test_pulumi_import_fails_with_the_same_reason(
    engine: HostEngine, recorder: CallRecorder
) -> None:
    with pytest.raises(DeploymentError, match=HOST_REASON) as raised:
        engine.import_(TYPE, "adopted", "echo-77")
    assert isinstance(raised.value.__cause__, HostError)
    assert raised.value.deployment.state == {}
    (request,) = recorder.requests("Read")
    assert not request.properties.fields
    assert not request.HasField("inputs")


def test_an_unchanged_import_id_of_a_resource_in_state_is_no_import(
    engine: HostEngine, recorder: CallRecorder
) -> None:
    def declared() -> None:
        Echo("it", value="v")

    state = engine.up(declared, skip_preview=True).state
    resource_id = next(e["id"] for urn, e in state.items() if urn.endswith("::it"))

    def declared_with_its_id() -> None:
        Echo("it", value="v", opts=pulumi.ResourceOptions(import_=resource_id))

    assert not engine.up(declared_with_its_id, state).changed
    assert recorder.requests("Read") == []


def test_get_reads_with_the_inputs_as_inputs_and_state(
    engine: HostEngine, recorder: CallRecorder
) -> None:
    def reading() -> None:
        existing = Echo("existing", value="v", opts=pulumi.ResourceOptions(id="echo-5"))
        pulumi.export("greeting", existing.greeting)

    deployment = engine.up(reading, skip_preview=True)
    assert [(op.op, op.name) for op in deployment.log] == [("read", "existing")]
    assert deployment.entry("existing")["external"] is True
    assert deployment.outputs("existing")["refreshed"] is True
    assert deployment.exports == {"greeting": "hi"}
    (request,) = recorder.requests("Read")
    assert request.id == "echo-5"
    assert request.inputs == request.properties
    assert "__provider" in request.inputs.fields
    assert "Delete" not in engine.destroy(deployment.state).host_calls


class ImportingHost(ProviderHost):
    """A host that can serve an import Read (the Python host cannot): the engine's next steps."""

    def read(
        self,
        id: str,
        urn: str,
        props: Any,
        inputs: Any = None,
    ) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
        if props or inputs is not None:
            return super().read(id, urn, props, inputs)
        from pulumi_digicert.testing import provider_blob
        from testing.echo_provider import EchoProvider

        values = {"__provider": provider_blob(EchoProvider()), "value": "v", "name": "adopted"}
        return id, dict(values), dict(values)


def test_a_successful_import_is_diffed_against_the_declaration() -> None:
    engine = HostEngine(config={}, host_factory=engine_hosts(ImportingHost))
    imported = engine.up(importing, skip_preview=True)
    assert [(op.op, op.name) for op in imported.log] == [("import", "adopted")]
    assert imported.entry("adopted")["id"] == "echo-77"
    assert "Create" not in imported.host_calls

    def importing_other_value() -> None:
        Echo("adopted", value="w", opts=pulumi.ResourceOptions(import_="echo-78"))

    updated = engine.up(importing_other_value, imported.state, skip_preview=True)
    assert [op.op for op in updated.log] == ["import", "update"]


def test_a_successful_pulumi_import_records_the_resource_and_its_provider() -> None:
    engine = HostEngine(config={"echo:greeting": "hi"}, host_factory=engine_hosts(ImportingHost))
    imported = engine.import_(TYPE, "adopted", "echo-77")
    assert [(op.op, op.name) for op in imported.log] == [("import", "adopted")]
    entry = imported.entry("adopted")
    assert entry["id"] == "echo-77"
    assert entry["inputs"]["value"] == "v"
    provider = imported.state[default_provider_urn("test", "dev")]
    assert entry["provider"] == f"{default_provider_urn('test', 'dev')}::{provider['id']}"
    assert imported.host_calls["Check"] == 1

    with pytest.raises(DeploymentError, match="already exists"):
        engine.import_(TYPE, "adopted", "echo-77", imported.state)
