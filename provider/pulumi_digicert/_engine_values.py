"""Values as the Pulumi engine hands them to a provider: the one reading of its conventions.

The resource providers read inputs with these rules, and the test harness (``testing/``)
builds and inspects property bags with the same ones, so the two can never disagree:

* **unknown**: during preview a value that depends on another resource is not known yet. The
  dynamic-provider host hands it over as ``pulumi.output.Unknown`` (``rpc.deserialize_properties``
  with ``keep_unknowns``); on the wire, and in the harness's plain view, it is the sentinel
  string :data:`UNKNOWN` (``pulumi.runtime.rpc.UNKNOWN``).
* **secret envelope**: a secret value travels as ``{SIG: SECRET_SIG, "value": ...}``
  (sdk/go/common/resource/properties.go, the ``4dabf1...``/``1b4706...`` signature; the Python
  SDK's ``rpc.wrap_rpc_secret``). The engine strips envelopes before it calls a dynamic provider
  (the host does not accept secrets), a harness may not: providers unwrap inputs once, on entry.
* **canonical form**: numbers cross the engine as floats (an id arrives as ``1001.0``) and a
  ``None`` member of an object does not survive the trip; :func:`canonical` is the form in which
  two values that mean the same compare equal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pulumi.output import Unknown
from pulumi.runtime import rpc

__all__ = [
    "PROVIDER_KEY",
    "SECRET_SIG",
    "SIG_KEY",
    "UNKNOWN",
    "canonical",
    "canonical_id",
    "canonical_json",
    "contains_unknown",
    "is_secret",
    "is_unknown",
    "plain_inputs",
    "secret",
    "unwrap_secrets",
]

UNKNOWN: str = rpc.UNKNOWN
"""The engine's placeholder for a value that is not known until apply (preview only)."""

# The engine's signature of a secret value (not credentials): sdk/go/common/resource/properties.go.
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105

PROVIDER_KEY = "__provider"
"""The property that carries a dynamic resource's pickled provider (never an input to compare)."""


def is_unknown(value: Any) -> bool:
    """The unknown sentinel: a ``pulumi.output.Unknown``, or its wire form, the string."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def contains_unknown(value: Any) -> bool:
    """Whether ``value`` is, or holds at any depth, the unknown sentinel."""
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return False


def is_secret(value: Any) -> bool:
    """Whether ``value`` is a secret envelope."""
    return isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG


def secret(value: Any) -> dict[str, Any]:
    """``value`` in a secret envelope (an envelope is returned as it is)."""
    if is_secret(value):
        return dict(value)
    return {SIG_KEY: SECRET_SIG, "value": value}


def unwrap_secrets(value: Any) -> Any:
    """``value`` with every secret envelope, at any depth, replaced by what it holds."""
    if isinstance(value, Mapping):
        if is_secret(value):
            return unwrap_secrets(value.get("value"))
        return {k: unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v) for v in value]
    return value


def plain_inputs(props: Mapping[str, Any]) -> dict[str, Any]:
    """A property bag as a provider reads it: no ``__provider``, no secret envelopes."""
    return {k: unwrap_secrets(v) for k, v in props.items() if k != PROVIDER_KEY}


def canonical(value: Any) -> Any:
    """A comparable form: integral floats become ints, ``None`` members of objects are dropped."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in sorted(value.items()) if v is not None}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


def canonical_id(value: Any) -> Any:
    """A CertCentral id as one number: ``1001``, ``1001.0`` and ``"1001"`` are the same id.

    References between resources use the parent's ``id`` (a digit string, known through an
    in-place update) or an output number (a float on the wire); both must compare equal.
    Anything else (unknown, malformed) is returned unchanged for check to judge.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and (text.isdigit() or (text[:1] == "-" and text[1:].isdigit())):
            return int(text)
    if isinstance(value, list):
        return [canonical_id(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """:func:`canonical` as compact JSON with sorted keys (what derived ids hash)."""
    return json.dumps(canonical(value), sort_keys=True, separators=(",", ":"), default=str)
