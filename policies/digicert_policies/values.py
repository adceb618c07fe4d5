"""A plain, typed view of the properties the analyzer hands to a policy.

pulumi-policy gives policies the resource properties wrapped in proxies that raise when an
unknown value is read, and (for ``Analyze``/``AnalyzeStack``) with the engine's secret markers
already stripped. The rules here need both facts as data instead:

* a value that is unknown during preview becomes :data:`UNKNOWN`, so each rule can skip just the
  checks that need it (the same rule runs again on ``pulumi up`` with the resolved value);
* a value the engine marked secret becomes :class:`SecretValue`, so "the card must be a secret"
  can be checked, and a message shows the value as ``[secret]`` (:func:`shown`).
  :func:`keep_secret_markers` makes the analyzer keep those markers; it is installed when the
  pack is built (see ``policies/__main__.py``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

TYPE_PREFIX: Final = "pulumi-python:dynamic/digicert:"
"""Type tokens of this provider's resources: ``pulumi-python:dynamic/digicert:<ClassName>``."""

ORGANIZATION: Final = "Organization"
DOMAIN_VALIDATION: Final = "DomainValidation"
DOCUMENT_SIGNING_ORDER: Final = "DocumentSigningOrder"
BILLING_ACCOUNT_LINK: Final = "BillingAccountLink"
DOMAIN_VALIDATION_CHECK: Final = "DomainValidationCheck"

# The engine's sentinels for values not known during preview (same strings as pulumi-policy).
_UNKNOWN_SENTINELS: Final = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)
_SIG_KEY: Final = "4dabf18193072939515e22adb298388d"
SECRET_TEXT: Final = "[secret]"  # noqa: S105 - what a message shows instead of a secret
"""How a message shows a value the program marked secret."""
_SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105 - a marker, not a secret


_PROXY_TYPES: Final = frozenset(
    {"_DictProxy", "_ListProxy", "_DictSecretsProxy", "_ListSecretsProxy"}
)


class _Unknown:
    """The type of :data:`UNKNOWN`."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Final = _Unknown()
"""A value that is not known yet (it depends on another resource during preview)."""


@dataclass(frozen=True)
class SecretValue:
    """A value the engine carries as a secret. Its repr never shows the value."""

    value: Any = field(repr=False)

    def __repr__(self) -> str:
        return "SecretValue(****)"


def is_unknown(value: Any) -> bool:
    """True for :data:`UNKNOWN`, also when it is wrapped as a secret."""
    return isinstance(unwrap(value), _Unknown)


def contains_secret(value: Any) -> bool:
    """True when ``value`` is a secret or holds one anywhere inside."""
    if isinstance(value, SecretValue):
        return True
    if isinstance(value, Mapping):
        return any(contains_secret(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_secret(item) for item in value)
    return False


def shown(value: Any) -> str:
    """A property value for a message: ``'text'``, or ``[secret]`` when the program marked it
    (or any part of it) secret. Every value a message shows goes through here."""
    if contains_secret(value):
        return SECRET_TEXT
    return f"'{value}'"


def shown_number(value: Any) -> str:
    """A number for a message (``3``, not ``3.0``), or ``[secret]``."""
    if contains_secret(value):
        return SECRET_TEXT
    number = as_number(value)
    return f"{number:g}" if number is not None else repr(value)


def unwrap(value: Any) -> Any:
    """The value without its secret wrapper."""
    while isinstance(value, SecretValue):
        value = value.value
    return value


def plain(value: Any) -> Any:
    """Converts analyzer properties (proxies, sentinels, secret wrappers) to plain data.

    Dicts and lists become ``dict``/``list``; unknown sentinels become :data:`UNKNOWN`; values
    carried as secrets become :class:`SecretValue`.
    """
    value = _proxy_target(value)
    if _is_policy_secret(value):
        return SecretValue(plain(value.value))
    if isinstance(value, str):
        return UNKNOWN if value in _UNKNOWN_SENTINELS else value
    if isinstance(value, Mapping):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            return SecretValue(plain(value.get("value")))
        return {str(key): plain(_proxy_target(value)[key]) for key in value}
    if isinstance(value, Sequence):
        target = _proxy_target(value)
        return [plain(target[index]) for index in range(len(target))]
    return value


def _proxy_target(value: Any) -> Any:
    """The wrapped container of a pulumi-policy proxy (reading it raises for nothing)."""
    if type(value).__name__ in _PROXY_TYPES:
        return value["__target"]
    return value


def _is_policy_secret(value: Any) -> bool:
    try:
        from pulumi_policy import Secret
    except ImportError:  # pragma: no cover - pulumi-policy is always there when the pack runs
        return False
    return isinstance(value, Secret)


def as_number(value: Any) -> float | None:
    """A known number (numbers cross the engine as floats; numeric strings are accepted)."""
    value = unwrap(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def as_int(value: Any) -> int | None:
    """A known whole number, or None."""
    number = as_number(value)
    if number is None or not number.is_integer():
        return None
    return int(number)


def matches_recorded_fingerprint(value: str, recorded: str) -> bool:
    """True when ``recorded`` is the provider's fingerprint of the secret string ``value``.

    After an ``up``, the state keeps ``<input>_fingerprint`` (``pbkdf2-sha256$<rounds>$<salt>$
    <digest>``, salted per resource) instead of a secret key, so two fingerprints never compare
    equal; a key still in the inputs can be checked against one.
    """
    try:
        scheme, rounds, salt, digest = recorded.split("$")
        if scheme != "pbkdf2-sha256":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.pbkdf2_hmac(
            "sha256", json.dumps(value).encode("utf-8"), base64.b64decode(salt), int(rounds)
        )
    except (ValueError, binascii.Error):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class DigiCertResource:
    """One resource of this provider, as a policy sees it."""

    kind: str
    """The class name: ``DocumentSigningOrder``, ``Organization``, ..."""
    name: str
    urn: str
    props: Mapping[str, Any]
    """Plain properties (see :func:`plain`)."""

    @property
    def label(self) -> str:
        """How messages name the resource: ``DocumentSigningOrder 'signing-cert'``."""
        return f"{self.kind} '{self.name}'"

    def has(self, key: str) -> bool:
        """True when the property is present and not null (unknown counts as present)."""
        return key in self.props and self.props[key] is not None

    def raw(self, key: str) -> Any:
        """The property as given: may be UNKNOWN or a SecretValue; None when absent."""
        return self.props.get(key)

    def get(self, key: str) -> Any:
        """The property without its secret wrapper: may be UNKNOWN; None when absent."""
        return unwrap(self.props.get(key))

    def is_secret(self, key: str) -> bool:
        return isinstance(self.props.get(key), SecretValue)

    def is_unknown(self, key: str) -> bool:
        return is_unknown(self.props.get(key))

    def is_secret_anywhere(self, key: str) -> bool:
        """True when the property, or any part of it, is a secret."""
        return contains_secret(self.props.get(key))

    def shown(self, key: str) -> str:
        """The property for a message: ``'text'`` or ``[secret]`` (see :func:`shown`)."""
        return shown(self.props.get(key))


def digicert_kind(resource_type: str) -> str | None:
    """The class name for one of this provider's type tokens, else None."""
    if resource_type.startswith(TYPE_PREFIX):
        return resource_type[len(TYPE_PREFIX) :]
    return None


def view(resource_type: str, name: str, urn: str, props: Any) -> DigiCertResource | None:
    """A :class:`DigiCertResource` for one of this provider's resources, else None."""
    kind = digicert_kind(resource_type)
    if kind is None:
        return None
    converted = plain(props)
    return DigiCertResource(
        kind=kind,
        name=name or _name_from_urn(urn),
        urn=urn,
        props=converted if isinstance(converted, dict) else {},
    )


def _name_from_urn(urn: str) -> str:
    return urn.rsplit("::", 1)[-1] if urn else ""


def keep_secret_markers() -> bool:
    """Makes the pulumi-policy analyzer keep the engine's secret markers on properties.

    The engine sends secret property values to the analyzer wrapped in a secret envelope.
    pulumi-policy unwraps them before calling ``Analyze``/``AnalyzeStack`` policies, so a
    policy cannot tell a secret from plain text. This replaces the analyzer's deserializer
    with one that turns each envelope into a ``pulumi_policy.Secret`` (which :func:`plain`
    understands) and otherwise defers to the original. Idempotent. Returns False when the
    installed pulumi-policy has no such hook (then secrets look like plain values).
    """
    try:
        from pulumi_policy import Secret
        from pulumi_policy import policy as policy_module
    except ImportError:  # pragma: no cover
        return False
    original = getattr(policy_module, "deserialize_properties", None)
    if original is None:  # pragma: no cover - every supported version has it
        return False
    if getattr(original, "keeps_secret_markers", False):
        return True

    def mark(value: Any) -> Any:
        if isinstance(value, list):
            return [mark(item) for item in value]
        if isinstance(value, dict):
            if value.get(_SIG_KEY) == _SECRET_SIG:
                return Secret(original({"value": value.get("value")})["value"])
            return {key: mark(item) for key, item in value.items()}
        return value

    def deserialize_keeping_secrets(
        props: dict[str, Any], proxy_secrets: bool = False
    ) -> dict[str, Any]:
        result: dict[str, Any] = original(mark(props), proxy_secrets)
        return result

    deserialize_keeping_secrets.keeps_secret_markers = True  # type: ignore[attr-defined]
    setattr(policy_module, "deserialize_properties", deserialize_keeping_secrets)  # noqa: B010
    return True


def names(resources: Iterable[DigiCertResource]) -> str:
    """``'a', 'b' and 'c'``: resource names for a message."""
    quoted = [f"'{resource.name}'" for resource in resources]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
