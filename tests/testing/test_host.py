"""ProviderHost against the real dynamic-provider host process, with the echo provider."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from pulumi_digicert.testing import (
    CHANNEL_OPTIONS,
    PROVIDER_KEY,
    UNKNOWN,
    CheckFailure,
    HostError,
    HostStartError,
    ProviderHost,
    from_struct,
    make_urn,
    provider_blob,
    secret,
)
from support.hosts import HostFactory
from support.secrets import assert_no_secrets
from testing.echo_provider import EchoProvider
from testing.recorder import CallRecorder

TOKEN = "echo-token-DO-NOT-LEAK-1234"
TYPE = "pulumi-python:dynamic/echo:Echo"
BLOB = provider_blob(EchoProvider())


def urn(name: str) -> str:
    return make_urn(TYPE, name)


def inputs(**values: Any) -> dict[str, Any]:
    return {PROVIDER_KEY: BLOB, **values}


def without_provider(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


@pytest.fixture(scope="module")
def host(provider_host: HostFactory) -> ProviderHost:
    return provider_host(config={"echo:greeting": "hello", "echo:token": TOKEN})


def test_configure_answers_without_secret_support_so_secrets_are_unwrapped(
    host: ProviderHost,
) -> None:
    assert host.configured
    assert host.accept_secrets is False
    assert host.supports_preview is False
    _, outs = host.create(urn("s"), inputs(value="v", secret_value=secret("hush")))
    assert outs["secret_value"] == "hush"


def test_full_lifecycle_over_grpc(host: ProviderHost) -> None:
    checked, failures = host.check(urn("a"), {}, inputs(value="one", name="a"))
    assert failures == []
    assert checked[PROVIDER_KEY] == BLOB

    resource_id, outs = host.create(urn("a"), checked)
    assert resource_id.startswith("echo-")
    assert outs["echo_id"] == resource_id
    assert outs["greeting"] == "hello"
    assert outs["token_configured"] is True
    assert outs[PROVIDER_KEY] == BLOB, "the host copies __provider into the outputs"

    new_inputs, failures = host.check(urn("a"), checked, inputs(value="two", name="a"))
    assert failures == []
    diff = host.diff(resource_id, urn("a"), outs, new_inputs, old_inputs=checked)
    assert diff.changes is True
    assert diff.update
    assert not diff.replace

    updated = host.update(resource_id, urn("a"), outs, new_inputs, old_inputs=checked)
    assert updated["value"] == "two"
    assert updated["updated"] is True

    same = host.diff(resource_id, urn("a"), updated, new_inputs)
    assert same.changes is False

    read_id, read_outs, read_inputs = host.read(resource_id, urn("a"), updated, new_inputs)
    assert read_id == resource_id
    assert read_outs["refreshed"] is True
    assert read_inputs is None, "no inputs from read: the engine keeps the old ones"

    host.delete(resource_id, urn("a"), updated, old_inputs=new_inputs)
    assert host.wait_for_stderr(f"echo: delete {resource_id}")


def test_numbers_cross_the_wire_as_floats(host: ProviderHost) -> None:
    checked, _ = host.check(urn("n"), {}, inputs(value="v", probe=1001))
    assert checked["probe_type"] == "float"
    assert checked["probe"] == 1001.0
    _, outs = host.create(urn("n"), checked)
    assert isinstance(outs["value_length"], float)


def test_none_values_vanish_inside_objects(host: ProviderHost) -> None:
    checked, _ = host.check(urn("z"), {}, inputs(value="v", tags={"a": None, "b": 1}, name=None))
    assert "name" not in checked
    assert checked["tags"] == {"b": 1.0}


def test_unknowns_reach_check_as_unknown_objects_and_come_back_as_the_sentinel(
    host: ProviderHost,
) -> None:
    checked, failures = host.check(urn("u"), {}, inputs(value=UNKNOWN, probe=UNKNOWN))
    assert failures == [], "an unknown value must not fail check"
    assert checked["value"] == UNKNOWN
    assert checked["probe_type"] == "Unknown", "the provider sees pulumi.output.Unknown"

    dropped, _ = host.check(urn("u"), {}, inputs(value=UNKNOWN), keep_unknowns=False)
    assert "value" not in dropped


def test_unknowns_in_diff_count_as_changes(host: ProviderHost) -> None:
    olds = inputs(value="v", name="x", echo_id="echo-9")
    diff = host.diff("echo-9", urn("x"), olds, inputs(value=UNKNOWN, name="x"))
    assert diff.changes is True
    assert diff.replaces == ()

    replacing = host.diff("echo-9", urn("x"), olds, inputs(value="v", name=UNKNOWN))
    assert replacing.replace
    assert replacing.replaces == ("name",)


def test_replacement_and_delete_before_replace(host: ProviderHost) -> None:
    olds = inputs(value="v", name="x")
    diff = host.diff("echo-1", urn("x"), olds, inputs(value="v", name="y", dbr=True))
    assert diff.replace
    assert diff.delete_before_replace is True


def test_check_failures_are_reported(host: ProviderHost) -> None:
    _, failures = host.check(urn("f"), {}, inputs(value=12))
    assert failures == [CheckFailure("value", "value must be a string, got 12.0")]
    _, missing = host.check(urn("f"), {}, inputs())
    assert missing == [("value", "value is required")]


def test_provider_exception_raises_host_error_with_the_traceback(host: ProviderHost) -> None:
    with pytest.raises(HostError) as raised:
        host.check(urn("e"), {}, inputs(value="v", explode=True))
    assert raised.value.method == "Check"
    assert raised.value.code.name == "UNKNOWN"
    assert "Traceback" in raised.value.details
    assert "ValueError: check exploded on purpose" in raised.value.details

    with pytest.raises(HostError, match="RuntimeError: create failed on purpose"):
        host.create(urn("e"), inputs(value="v", fail=True))


def test_read_of_a_vanished_resource_returns_an_empty_id(host: ProviderHost) -> None:
    read_id, outs, _ = host.read("echo-5", urn("g"), inputs(value="v", gone=True))
    assert read_id == ""
    assert without_provider(outs) == {}


def test_read_can_return_inputs_for_drift(host: ProviderHost) -> None:
    olds = inputs(value="v", name="d", drift_to="w")
    read_id, outs, new_inputs = host.read("echo-7", urn("d"), olds, inputs(value="v", name="d"))
    assert read_id == "echo-7"
    assert outs["value"] == "w"
    assert new_inputs is not None
    assert without_provider(new_inputs) == {"name": "d", "value": "w"}
    assert new_inputs[PROVIDER_KEY] == BLOB


def test_create_with_preview_flag_still_runs_create_in_the_host(host: ProviderHost) -> None:
    # The dynamic host ignores CreateRequest.preview; the engine never sets it for this host.
    resource_id, _ = host.create(urn("p"), inputs(value="v"), preview=True)
    assert host.wait_for_stderr(f"echo: create {resource_id}")


def test_concurrent_calls_are_safe_and_counted(host: ProviderHost) -> None:
    before = host.calls.get("Create", 0)
    total_before = host.call_count
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda i: host.create(urn(f"c{i}"), inputs(value=str(i))), range(24))
        )
    ids = {resource_id for resource_id, _ in results}
    assert len(ids) == 24
    assert all(outs["value"] == str(i) for i, (_, outs) in enumerate(results))
    assert host.calls["Create"] == before + 24
    assert host.call_count == total_before + 24


def test_configured_secret_never_reaches_host_output(provider_host: HostFactory) -> None:
    host = provider_host(config={"echo:token": TOKEN})
    host.create(urn("leak"), inputs(value="v"))
    host.stop()
    assert "token_set=True" in host.stderr
    assert_no_secrets(host.stderr + host.stdout, [TOKEN], where="host output")


def test_host_that_prints_no_port_fails_to_start() -> None:
    with pytest.raises(HostStartError, match="did not report a port"):
        ProviderHost(python="/bin/false", start_timeout=10).start()


def test_stop_ends_the_process(provider_host: HostFactory) -> None:
    host = provider_host()
    assert host.running
    host.stop()
    assert not host.running
    with pytest.raises(RuntimeError, match="not started"):
        host.check(urn("x"), {}, inputs(value="v"))


def test_a_second_configure_does_not_reach_an_already_loaded_provider(
    provider_host: HostFactory,
) -> None:
    # The host configures each provider blob once, when it first unpickles it, and caches it:
    # point a host at one sandbox only, or start a new host for another.
    host = provider_host(config={"echo:greeting": "first"})
    _, outs = host.create(urn("cfg"), inputs(value="v"))
    assert outs["greeting"] == "first"
    host.configure({"echo:greeting": "second"})
    _, outs = host.create(urn("cfg"), inputs(value="v"))
    assert outs["greeting"] == "first"


@pytest.mark.parametrize("size", [20_000, 1_000_000])
def test_error_details_up_to_16_mib_arrive_whole_as_the_engine_receives_them(
    host: ProviderHost, size: int
) -> None:
    # grpc-go accepts 16 MiB of trailers; C-core's defaults would drop these (8/16 KiB).
    message = "x" * size
    with pytest.raises(HostError) as raised:
        host.check(urn("big"), {}, inputs(value="v", explode=message))
    assert raised.value.code.name == "UNKNOWN"
    assert f"ValueError: {message}" in raised.value.details


def test_the_channel_takes_the_engine_limits() -> None:
    options = dict(CHANNEL_OPTIONS)
    assert options["grpc.max_metadata_size"] == 16 * 1024 * 1024
    assert options["grpc.absolute_max_metadata_size"] == 16 * 1024 * 1024


def test_calls_carry_no_deadline_as_the_engine_sets_none(provider_host: HostFactory) -> None:
    recorder = CallRecorder()
    host = provider_host(config={"echo:greeting": "hi"}, interceptors=[recorder])
    checked, _ = host.check(urn("d"), {}, inputs(value="v"))
    resource_id, outs = host.create(urn("d"), checked)
    host.read(resource_id, urn("d"), outs, checked)
    host.delete(resource_id, urn("d"), outs)
    assert ProviderHost().call_timeout is None
    assert [method for method, _, _ in recorder.calls] == [
        "Configure",
        "Check",
        "Create",
        "Read",
        "Delete",
    ]
    assert {timeout for _, timeout, _ in recorder.calls} == {None}


def test_configure_sends_what_the_engine_sends_a_dynamic_provider(
    provider_host: HostFactory,
) -> None:
    recorder = CallRecorder()
    provider_host(
        config={"echo:greeting": "hi", "echo:token": TOKEN, "version": "1.0.0"},
        interceptors=[recorder],
    )
    ((method, _, request),) = recorder.calls
    assert method == "Configure"
    # provider_plugin.go, Configure: `variables` are keyed by the provider's package and skip
    # "version"; `args` keep secure values in the secret envelope.
    assert dict(request.variables) == {
        "pulumi-python:config:echo:greeting": "hi",
        "pulumi-python:config:echo:token": TOKEN,
    }
    assert from_struct(request.args) == {
        "echo:greeting": "hi",
        "echo:token": secret(TOKEN),
        "version": "1.0.0",
    }
    assert request.acceptSecrets
    assert request.sends_old_inputs
