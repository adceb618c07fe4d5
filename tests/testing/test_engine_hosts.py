"""One provider host per operation, configured as the engine configures the default provider
of dynamic resources.

pkg/backend/apply.go, ``PreviewThenPromptThenExecute``: ``up`` is a preview and an update, two
deployments, each loading its own plugins. pkg/resource/deploy/target.go,
``GetPackageConfig``: a dynamic provider gets every stack key, as strings, secure ones secret.
pkg/resource/deploy/providers/registry.go, ``Same`` (via deployment.go, ``EnsureProvider``):
without the program, refresh and destroy configure the provider from its inputs in the state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

import pulumi
import pytest

from pulumi_digicert.testing import (
    DEFAULT_PROVIDER_TYPE,
    HostEngine,
    ProviderHost,
    default_provider_urn,
    from_struct,
    is_secret,
    redacted,
    secret,
)
from support.hosts import engine_hosts
from support.secrets import assert_no_secrets
from testing.echo_provider import Echo

TOKEN = "hosts-token-NEVER-PRINT-7"


class RecordingHost(ProviderHost):
    """Remembers what each host was configured with."""

    configured: ClassVar[list[tuple[dict[str, Any], frozenset[str]]]] = []

    def configure(
        self,
        config: Mapping[str, Any],
        secret_keys: Iterable[str] | None = None,
        **options: Any,
    ) -> None:
        RecordingHost.configured.append((dict(config), frozenset(secret_keys or ())))
        super().configure(config, secret_keys, **options)


def program(value: str = "v") -> Callable[[], None]:
    def run() -> None:
        Echo("it", value=value)
        pulumi.export("greeting", pulumi.Config("echo").get("greeting"))

    return run


@pytest.fixture
def engine() -> HostEngine:
    return HostEngine(
        config={"echo:greeting": "hi", "echo:token": TOKEN},
        secret_config_keys=["echo:token"],
        host_factory=engine_hosts(),
    )


def test_every_operation_starts_a_fresh_host(engine: HostEngine) -> None:
    up = engine.up(program())
    again = engine.up(program("w"), up.state)
    refreshed = engine.refresh(again.state)
    destroyed = engine.destroy(refreshed.state)
    assert up.planned is not None
    assert again.planned is not None
    pids = [
        *up.planned.host_pids,
        *up.host_pids,
        *again.planned.host_pids,
        *again.host_pids,
        *refreshed.host_pids,
        *destroyed.host_pids,
    ]
    assert len(pids) == 6
    assert len(set(pids)) == 6
    assert up.outputs("it")["echo_id"].split("-")[1] == str(up.host_pids[0])


def test_a_config_change_reaches_the_provider_at_the_next_up(engine: HostEngine) -> None:
    first = engine.up(program())
    assert first.outputs("it")["greeting"] == "hi"
    engine.config["echo:greeting"] = "bye"
    second = engine.up(program("w"), first.state)
    assert second.outputs("it")["greeting"] == "bye"
    assert second.exports["greeting"] == "bye"


def test_the_state_keeps_the_config_the_provider_was_configured_with(engine: HostEngine) -> None:
    state = engine.up(program()).state
    provider = state[default_provider_urn("test", "dev")]
    assert provider["type"] == DEFAULT_PROVIDER_TYPE
    assert provider["inputs"] == {"echo:greeting": "hi", "echo:token": TOKEN}
    assert provider["secret_inputs"] == ["echo:token"]
    it = next(entry for urn, entry in state.items() if urn.endswith("::it"))
    assert it["provider"] == f"{default_provider_urn('test', 'dev')}::{provider['id']}"
    assert_no_secrets(str(redacted(state)), [TOKEN], where="redacted state")


def test_refresh_and_destroy_configure_the_provider_from_the_state(engine: HostEngine) -> None:
    state = engine.up(program()).state
    engine.config["echo:greeting"] = "changed since"
    refreshed = engine.refresh(state)
    assert refreshed.outputs("it")["greeting"] == "hi"
    destroyed = engine.destroy(refreshed.state)
    assert "greeting=hi" in destroyed.host_stderr
    assert "changed since" not in destroyed.host_stderr


def test_an_up_that_only_deletes_configures_from_the_state(engine: HostEngine) -> None:
    state = engine.up(program()).state
    engine.config["echo:greeting"] = "changed since"
    emptied = engine.up(lambda: None, state)
    assert "greeting=hi" in emptied.host_stderr
    assert default_provider_urn("test", "dev") not in emptied.state


def test_configure_gets_every_stack_key_as_a_string_and_secure_keys_as_secrets() -> None:
    RecordingHost.configured.clear()
    engine = HostEngine(
        project="proj",
        config={
            "echo:greeting": "hi",
            "echo:token": TOKEN,
            "echo:count": 3,
            "echo:flag": True,
            "echo:tags": {"a": 1},
            "proj:domain": "example.com",
            "aws:region": "eu-west-1",
        },
        secret_config_keys=["echo:token"],
        host_factory=engine_hosts(RecordingHost),
    )
    deployment = engine.up(program())
    expected = {
        "echo:greeting": "hi",
        "echo:token": TOKEN,
        "echo:count": "3",
        "echo:flag": "true",
        "echo:tags": '{"a": 1}',
        "proj:domain": "example.com",
        "aws:region": "eu-west-1",
    }
    assert RecordingHost.configured == [(expected, frozenset({"echo:token"}))] * 2
    assert set(deployment.outputs("it")["config_types"].values()) == {"str"}
    assert set(deployment.outputs("it")["config_types"]) == set(expected)


def test_a_secure_key_travels_in_the_secret_envelope(engine: HostEngine) -> None:
    sent: list[Any] = []

    class SpyHost(ProviderHost):
        def _call(self, method: str, request: Any) -> Any:
            if method == "Configure":
                sent.append(request)
            return super()._call(method, request)

    engine.host_factory = engine_hosts(SpyHost)
    engine.up(program(), skip_preview=True)
    (request,) = sent
    args = from_struct(request.args)
    assert args == {"echo:greeting": "hi", "echo:token": secret(TOKEN)}
    assert is_secret(args["echo:token"])
    assert request.variables["pulumi-python:config:echo:greeting"] == "hi"
    assert request.type == DEFAULT_PROVIDER_TYPE
    assert request.urn == default_provider_urn("test", "dev")
