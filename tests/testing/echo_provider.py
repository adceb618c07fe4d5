"""A tiny dynamic provider for the harness self-tests.

Imported by reference from the provider blob, so the host needs the ``tests`` directory on its
``PYTHONPATH`` (the ``provider_host`` fixture and ``host_factory`` do that). It writes one line
per operation to stderr (``echo: create echo-1234-1``) so tests can see what the host ran, and
never writes the configured token. Ids carry the host's process id: a fresh host never reuses
one.

Inputs that steer it: ``explode`` (check raises, with that text if it is one), ``fail``
(create raises), ``empty_id`` (create returns no id), ``unknown_diff`` (diff gives no
verdict), ``report_olds`` (check records whether it had old inputs), ``gone`` / ``drift_to``
(read finds the resource deleted / changed).
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

PROVIDER_KEY = "__provider"
REPLACE_KEYS = ("name",)
DECLARED = ("name", "value", "probe", "dbr", "tags", "secret_value", "parent_value")


def _log(message: str) -> None:
    sys.stderr.write(f"echo: {message}\n")
    sys.stderr.flush()


class EchoProvider(ResourceProvider):
    """Echoes its inputs; ``name`` replaces, everything else updates in place."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.greeting: str | None = None
        self.token: str | None = None
        self.config_types: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        # Nothing but the class reference and a version is pickled (a falsy state would
        # skip __setstate__ on load).
        return {"version": 1}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

    def configure(self, req: ConfigureRequest) -> None:
        self.greeting = req.config.get("echo:greeting")
        self.token = req.config.get("echo:token")
        raw: dict[str, Any] = getattr(req.config, "_props", {})
        self.config_types = {key: type(value).__name__ for key, value in raw.items()}
        _log(f"configure greeting={self.greeting!r} token_set={self.token is not None}")

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures: list[CheckFailure] = []
        if "explode" in news:
            reason = news["explode"]
            raise ValueError(reason if isinstance(reason, str) else "check exploded on purpose")
        value = news.get("value")
        if value is None:
            failures.append(CheckFailure("value", "value is required"))
        elif not isinstance(value, (str, Unknown)):
            failures.append(CheckFailure("value", f"value must be a string, got {value!r}"))
        inputs = dict(news)
        if "probe" in news:
            # Reports how a value arrives in the provider (Unknown, float, ...).
            inputs["probe_type"] = type(news["probe"]).__name__
        if news.get("report_olds"):
            inputs["check_had_olds"] = bool(olds)
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        if news.get("unknown_diff"):
            return DiffResult()
        changed = [
            key
            for key in DECLARED
            if isinstance(news.get(key), Unknown) or olds.get(key) != news.get(key)
        ]
        replaces = [key for key in changed if key in REPLACE_KEYS]
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            delete_before_replace=bool(news.get("dbr")) if replaces else None,
        )

    def _echoed(self, resource_id: str, props: dict[str, Any]) -> dict[str, Any]:
        """What create and update return: the inputs, and what the provider adds to them."""
        return {
            **{k: v for k, v in props.items() if k != PROVIDER_KEY},
            "echo_id": resource_id,
            "greeting": self.greeting,
            "token_configured": self.token is not None,
            "value_length": len(str(props.get("value", ""))),
        }

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props.get("fail"):
            raise RuntimeError("create failed on purpose")
        with self._lock:
            resource_id = "" if props.get("empty_id") else f"echo-{os.getpid()}-{next(self._ids)}"
        _log(f"create {resource_id}")
        return CreateResult(
            resource_id, {**self._echoed(resource_id, props), "config_types": self.config_types}
        )

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        _log(f"read {id_}")
        if props.get("gone"):
            return ReadResult("", {})
        outs = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        outs["refreshed"] = True
        outs["greeting"] = self.greeting
        drifted = props.get("drift_to")
        if drifted is not None:
            outs["value"] = drifted
            return ReadResult(id_, outs, inputs={"name": props.get("name"), "value": drifted})
        return ReadResult(id_, outs)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        _log(f"update {id_}")
        return UpdateResult({**self._echoed(id_, news), "updated": True})

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        _log(f"delete {id_} greeting={self.greeting}")


class PlainEchoProvider(EchoProvider):
    """An echo whose serialized provider is secret only if it captured a secret."""

    serialize_as_secret_always = False


class Echo(pulumi.dynamic.Resource, module="echo", name="Echo"):
    """``pulumi-python:dynamic/echo:Echo``."""

    echo_id: pulumi.Output[str]
    value: pulumi.Output[str]
    value_length: pulumi.Output[float]
    greeting: pulumi.Output[str]
    token_configured: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        value: pulumi.Input[str],
        name: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props: dict[str, Any] = {
            "value": value,
            "name": name if name is not None else resource_name,
            "echo_id": None,
            "value_length": None,
            "greeting": None,
            "token_configured": None,
        }
        opts = extra.pop("opts", None)
        provider = PlainEchoProvider() if extra.pop("plain_provider", False) else EchoProvider()
        props.update(extra)
        super().__init__(provider, resource_name, props, opts)
