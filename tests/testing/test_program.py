"""run_program: what a program registers, as the engine would receive it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pulumi
import pytest
from pulumi.runtime.mocks import MockResourceArgs

from pulumi_digicert.testing import PROVIDER_KEY, UNKNOWN, ProviderHost
from pulumi_digicert.testing.program import EchoMocks, execute_program, run_program
from support.hosts import HostFactory
from testing.echo_provider import Echo

TYPE = "pulumi-python:dynamic/echo:Echo"


def two_echoes() -> None:
    config = pulumi.Config("echo")
    first = Echo("first", value="hello", probe=7)
    Echo(
        "second",
        value=first.value.apply(lambda v: f"{v}!"),
        secret_value=config.require_secret("token"),
        opts=pulumi.ResourceOptions(depends_on=[first], retain_on_delete=True),
    )
    pulumi.export("first_value", first.value)
    pulumi.export("token", config.require_secret("token"))


def test_records_type_name_urn_and_inputs_with_the_provider_blob() -> None:
    resources = run_program(two_echoes, config={"echo:token": "t0ken"})
    assert [r.name for r in resources] == ["first", "second"]
    first, second = resources
    assert first.type == TYPE
    assert first.is_dynamic
    assert first.urn == f"urn:pulumi:dev::test::{TYPE}::first"
    assert first.args == {"value": "hello", "name": "first", "probe": 7.0}
    assert isinstance(first.provider_blob, str)
    assert first.provider_blob == first.inputs[PROVIDER_KEY]
    assert first.secret_inputs == {PROVIDER_KEY}, "the SDK always makes __provider a secret"
    assert second.inputs["value"] == "hello!"
    assert second.inputs["secret_value"] == "t0ken"
    assert second.secret_inputs == {PROVIDER_KEY, "secret_value"}
    assert second.dependencies == (first.urn,)
    assert second.options.retain_on_delete is True
    assert first.id == "first"
    assert first.outputs["value"] == "hello"


def test_exports_and_secret_exports() -> None:
    run = execute_program(two_echoes, config={"echo:token": "t0ken"})
    assert run.exports == {"first_value": "hello", "token": "t0ken"}
    assert run.secret_exports == {"token"}
    assert run.stack_urn == "urn:pulumi:dev::test::pulumi:pulumi:Stack::test-dev"
    assert run.by_name("second").inputs["value"] == "hello!"
    assert len(run.by_type(TYPE)) == 2


def test_runs_are_isolated_from_each_other() -> None:
    for stack in ("dev", "prod", "dev"):
        resources = run_program(two_echoes, stack=stack, config={"echo:token": "x"})
        assert len(resources) == 2
        assert resources[0].urn.startswith(f"urn:pulumi:{stack}::test::")
    with pytest.raises(Exception, match="echo:token"):
        run_program(two_echoes)


def test_runs_can_happen_concurrently() -> None:
    def run(i: int) -> list[str]:
        return [r.urn for r in run_program(two_echoes, stack=f"s{i}", config={"echo:token": "x"})]

    with ThreadPoolExecutor(max_workers=4) as pool:
        urns = list(pool.map(run, range(4)))
    assert [len(u) for u in urns] == [2, 2, 2, 2]
    assert all(u[0].startswith(f"urn:pulumi:s{i}::") for i, u in enumerate(urns))


def test_preview_reports_unknown_inputs() -> None:
    class UnknownOutputs(EchoMocks):
        def new_resource(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
            return args.name, {**args.inputs, "echo_id": UNKNOWN}

    def program() -> None:
        first = Echo("first", value="v")
        Echo("second", value=first.echo_id)

    resources = run_program(program, mocks=UnknownOutputs(), preview=True)
    second = resources[1]
    assert second.unknown_inputs == {"value"}
    assert second.inputs["value"] == UNKNOWN


def test_program_errors_propagate() -> None:
    def broken() -> None:
        raise RuntimeError("program failed")

    with pytest.raises(RuntimeError, match="program failed"):
        run_program(broken)


def test_registered_blob_unpickles_in_the_real_host(provider_host: HostFactory) -> None:
    first = run_program(two_echoes, config={"echo:token": "x"})[0]
    host: ProviderHost = provider_host(config={"echo:greeting": "hi"})
    checked, failures = host.check(first.urn, {}, first.inputs)
    assert failures == []
    resource_id, outs = host.create(first.urn, checked)
    assert outs["echo_id"] == resource_id
    assert outs["greeting"] == "hi"
