"""Property values as they cross the engine/provider gRPC boundary.

The engine and the dynamic-provider host convert property bags with
``pulumi.runtime.rpc.serialize_properties`` / ``deserialize_properties``. These helpers wrap
those two functions so that the harness sees exactly what the host sees, and give tests a plain,
JSON-friendly view of the result:

* unknown values (``pulumi.output.Unknown`` instances after deserialization) are reported as the
  wire sentinel string ``pulumi.runtime.rpc.UNKNOWN``;
* secrets are the rpc secret envelope ``{SIG: SECRET_SIG, "value": ...}`` until unwrapped;
* numbers come back as floats, and ``None`` values inside objects disappear.
"""

from __future__ import annotations

from collections.abc import Coroutine, Iterator, Mapping
from typing import Any, TypeVar

from google.protobuf import struct_pb2

from pulumi_digicert.testing._pulumi_sdk import Unknown, rpc

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

UNKNOWN: str = rpc.UNKNOWN
"""The wire sentinel for a value that is not known yet (during preview)."""


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
    if _is_unknown_value(value):
        return UNKNOWN if keep_unknowns else None
    if isinstance(value, dict):
        return {
            key: _plain(item, keep_unknowns)
            for key, item in value.items()
            if keep_unknowns or not _is_unknown_value(item)
        }
    if isinstance(value, list):
        return [_plain(item, keep_unknowns) for item in value]
    return value


def _is_unknown_value(value: Any) -> bool:
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


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


def secret(value: Any) -> dict[str, Any]:
    """Wrap ``value`` in the rpc secret envelope (what a secret looks like on the wire)."""
    wrapped: dict[str, Any] = rpc.wrap_rpc_secret(value)
    return wrapped


def is_secret(value: Any) -> bool:
    """True if ``value`` is an rpc secret envelope."""
    return bool(rpc.is_rpc_secret(value))


def is_unknown(value: Any) -> bool:
    """True if ``value`` is the unknown sentinel (string or ``pulumi.output.Unknown``)."""
    return _is_unknown_value(value)


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


def contains_unknown(value: Any) -> bool:
    """True if ``value`` is, or contains, an unknown."""
    return any(is_unknown(item) for item in _walk(value))


def unwrap_secrets(value: T) -> T:
    """Remove every rpc secret envelope, recursively (what the engine sends a provider that
    does not accept secrets)."""
    if is_secret(value):
        return unwrap_secrets(rpc.unwrap_rpc_secret(value))  # type: ignore[no-any-return]
    if isinstance(value, dict):
        return {key: unwrap_secrets(item) for key, item in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [unwrap_secrets(item) for item in value]  # type: ignore[return-value]
    return value


def secret_keys(props: Mapping[str, Any]) -> frozenset[str]:
    """Top-level keys whose value is or contains a secret."""
    return frozenset(key for key, value in props.items() if contains_secret(value))


def unknown_keys(props: Mapping[str, Any]) -> frozenset[str]:
    """Top-level keys whose value is or contains an unknown."""
    return frozenset(key for key, value in props.items() if contains_unknown(value))
