"""Property values as they cross the engine/provider gRPC boundary.

The engine and the dynamic-provider host convert property bags with
``pulumi.runtime.rpc.serialize_properties`` / ``deserialize_properties``. These helpers wrap
those two functions so that the harness sees exactly what the host sees, and give tests a plain,
JSON-friendly view of the result:

* unknown values (``pulumi.output.Unknown`` instances after deserialization) are reported as the
  wire sentinel string ``pulumi.runtime.rpc.UNKNOWN``;
* secrets are the rpc secret envelope ``{SIG: SECRET_SIG, "value": ...}`` until unwrapped;
* numbers come back as floats, and ``None`` values inside objects disappear.

What unknowns and secret envelopes are is written once, in :mod:`pulumi_digicert._engine_values`,
which the resource providers read inputs with; this module adds the wire conversions.
"""

from __future__ import annotations

from collections.abc import Coroutine, Iterator, Mapping
from typing import Any, TypeVar

from google.protobuf import struct_pb2

from pulumi_digicert._engine_values import (
    UNKNOWN,
    contains_unknown,
    is_secret,
    is_unknown,
    secret,
    unwrap_secrets,
)
from pulumi_digicert.testing._pulumi_sdk import rpc

__all__ = [
    "UNKNOWN",
    "contains_secret",
    "contains_unknown",
    "from_struct",
    "is_secret",
    "is_unknown",
    "secret",
    "secret_keys",
    "to_struct",
    "unknown_keys",
    "unwrap_secrets",
]

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Drive a coroutine that never suspends (serialization of plain values) to completion.

    ``serialize_properties`` is a coroutine only because it can await ``Output`` values. For
    plain data it completes on the first step, so no event loop is needed; that keeps the
    harness usable from any thread, including the worker threads the Pulumi runtime runs
    mocks on, and from inside a running event loop.
    """
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coro.close()
    raise TypeError("value needs an event loop to serialize: pass plain data, not Outputs")


def _plain(value: Any, keep_unknowns: bool) -> Any:
    if is_unknown(value):
        return UNKNOWN if keep_unknowns else None
    if isinstance(value, dict):
        return {
            key: _plain(item, keep_unknowns)
            for key, item in value.items()
            if keep_unknowns or not is_unknown(item)
        }
    if isinstance(value, list):
        return [_plain(item, keep_unknowns) for item in value]
    return value


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """Serialize a property bag the way the engine does (``rpc.serialize_properties``).

    ``rpc.UNKNOWN`` (or a ``pulumi.output.Unknown``) marks an unknown value; an rpc secret
    envelope (see :func:`secret`) marks a secret. Top-level ``None`` values are dropped.
    """
    return run_sync(rpc.serialize_properties(dict(props), {}))


def from_struct(struct: struct_pb2.Struct, *, keep_unknowns: bool = True) -> dict[str, Any]:
    """Deserialize a property bag (``rpc.deserialize_properties``) into plain data.

    Unknowns become the ``UNKNOWN`` string (or are dropped when ``keep_unknowns`` is false, as
    the host does outside Check and Diff); secrets stay wrapped in the rpc secret envelope.
    """
    value = rpc.deserialize_properties(struct, keep_unknowns=True)
    if not isinstance(value, dict):
        raise TypeError(f"expected a property map, got {type(value).__name__}")
    plain = _plain(value, keep_unknowns)
    assert isinstance(plain, dict)
    return plain


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk(item)


def contains_secret(value: Any) -> bool:
    """True if ``value`` is, or contains, an rpc secret envelope."""
    return any(is_secret(item) for item in _walk(value))


def secret_keys(props: Mapping[str, Any]) -> frozenset[str]:
    """Top-level keys whose value is or contains a secret."""
    return frozenset(key for key, value in props.items() if contains_secret(value))


def unknown_keys(props: Mapping[str, Any]) -> frozenset[str]:
    """Top-level keys whose value is or contains an unknown."""
    return frozenset(key for key, value in props.items() if contains_unknown(value))
