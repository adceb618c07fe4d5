"""Machinery shared by every resource provider.

Each resource module declares a field table (:class:`Field`) and a pydantic Args model. From those
this module derives the three things the engine asks for before anything is applied:

* ``check``: validation, every problem as a ``CheckFailure`` naming the property path;
* ``diff``: which declared inputs changed and which of those force a replacement;
* the normalised view of inputs that create/update send to DigiCert.

check and diff are pure: no API call, no clock, no credentials. The engine may hand them the
unknown sentinel anywhere during preview, and numbers arrive as floats.
"""

from __future__ import annotations

import base64
import copy
import enum
import functools
import hashlib
import hmac
import json
import logging
import os
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pydantic
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    DiffResult,
    ResourceProvider,
)
from pulumi.output import Unknown
from pulumi.runtime import rpc

from pulumi_digicert.config import ProviderSettings

if TYPE_CHECKING:
    # Loaded on the first API call: check and diff (every preview) never need the HTTP stack.
    from pulumi_digicert.client import DigiCertClient

log = logging.getLogger("pulumi_digicert")

UNKNOWN: str = rpc.UNKNOWN
"""The engine's placeholder for a value that is not known until apply (preview only)."""

# The engine's wrapper for secret values (pulumi.runtime.rpc), not credentials.
_SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"  # noqa: S105
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105


class Mode(enum.Enum):
    """What a change to an input does."""

    REPLACE = "replace"
    """The object cannot be changed in place: a new one is created and the old one deleted."""
    UPDATE = "update"
    """Changed in place through the API."""
    STATE = "state"
    """Recorded in state only; used when the object is created (purchase-time fields)."""


@dataclass(frozen=True)
class Field:
    """One row of a resource's field table."""

    name: str
    mode: Mode
    secret: bool = False
    """Never stored: outputs carry a salted fingerprint under ``<name>_fingerprint`` instead."""
    note: str = ""


# ---------------------------------------------------------------------------------------------
# Values as the engine sends them


def is_unknown(value: Any) -> bool:
    """The host hands providers ``pulumi.output.Unknown`` objects; the wire form is a string."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return False


def unwrap_secrets(value: Any) -> Any:
    """Strip the engine's secret wrappers (present when a harness or old engine sends them)."""
    if isinstance(value, Mapping):
        if value.get(_SECRET_SIG_KEY) == _SECRET_SIG:
            return unwrap_secrets(value.get("value"))
        return {k: unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v) for v in value]
    return value


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
    return json.dumps(canonical(value), sort_keys=True, separators=(",", ":"), default=str)


# ---------------------------------------------------------------------------------------------
# Secret fingerprints: detect a change of a secret input without ever storing it

_FINGERPRINT_ITERATIONS = 120_000


def fingerprint(value: Any, *, salt: bytes | None = None) -> str:
    """A salted, slow, non-reversible fingerprint of a secret input.

    PBKDF2 rather than a bare hash because card numbers have little entropy.
    """
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac(
        "sha256", canonical_json(value).encode(), salt, _FINGERPRINT_ITERATIONS
    )
    encoded_salt = base64.b64encode(salt).decode()
    encoded_digest = base64.b64encode(digest).decode()
    return f"pbkdf2-sha256${_FINGERPRINT_ITERATIONS}${encoded_salt}${encoded_digest}"


def fingerprint_matches(value: Any, stored: Any) -> bool:
    if not isinstance(stored, str) or not stored.startswith("pbkdf2-sha256$"):
        return False
    try:
        _, iterations, salt_b64, digest_b64 = stored.split("$")
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(digest_b64)
        rounds = int(iterations)
    except ValueError:
        return False
    actual = hashlib.pbkdf2_hmac("sha256", canonical_json(value).encode(), salt, rounds)
    return hmac.compare_digest(actual, expected)


# ---------------------------------------------------------------------------------------------
# check


def _loc_is_unknown(data: Any, loc: Sequence[int | str]) -> bool:
    """True when the value at ``loc``, or one of its parents, is unknown during preview."""
    current = data
    for part in loc:
        if is_unknown(current):
            return True
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            return False
    return contains_unknown(current)


def property_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _plural(count: Any, one: str) -> str:
    return f"{count} {one}" if count == 1 else f"{count} {one}s"


def _alternative_order_id_words(value: Any) -> str:
    if isinstance(value, str) and len(value) > 64:
        return f"is {_plural(len(value), 'character')}; at most 64"
    return "must be 1 to 64 letters or digits, without spaces or symbols"


# What a string must look like, per argument, when a pattern refuses it: said for people.
PATTERN_WORDS: dict[str, Callable[[Any], str]] = {
    "alternative_order_id": _alternative_order_id_words,
}


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _describe(error: Mapping[str, Any]) -> str:
    """pydantic's error, as a person would say it: no patterns, no library phrasing, and never
    the value itself (it may be a secret); only the length of a string that is too long."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    loc = tuple(error.get("loc") or ())
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    value = error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known argument of this resource"
    if kind in ("value_error", "assertion_error"):
        reason = str(ctx.get("error", "")).strip()
        return reason or "is not valid"
    if kind == "string_type":
        return "must be a string"
    if kind == "string_too_short":
        minimum = ctx.get("min_length", 1)
        return "must not be empty" if minimum == 1 else f"must be at least {minimum} characters"
    if kind == "string_too_long":
        maximum = ctx.get("max_length")
        if isinstance(value, str):
            return f"is {_plural(len(value), 'character')}; at most {maximum}"
        return f"must be at most {_plural(maximum, 'character')}"
    if kind == "string_pattern_mismatch":
        words = PATTERN_WORDS.get(field)
        return words(value) if words else "is not in the form this argument takes"
    if kind in ("int_type", "int_parsing", "int_parsing_size"):
        return "must be a whole number"
    if kind == "int_from_float":
        return "must be a whole number, not a fraction"
    if kind in ("float_type", "float_parsing", "decimal_type", "decimal_parsing"):
        return "must be a number"
    if kind == "finite_number":
        return "must be a finite number"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind == "greater_than":
        return f"must be greater than {_number(ctx.get('gt'))}"
    if kind == "greater_than_equal":
        return f"must be {_number(ctx.get('ge'))} or more"
    if kind == "less_than":
        return f"must be less than {_number(ctx.get('lt'))}"
    if kind == "less_than_equal":
        return f"must be {_number(ctx.get('le'))} or less"
    if kind in ("literal_error", "enum"):
        return f"must be {ctx.get('expected', 'one of the documented values')}"
    if kind in ("model_type", "model_attributes_type", "dict_type", "mapping_type"):
        return "must be an object with named fields"
    if kind in ("list_type", "tuple_type", "iterable_type", "set_type"):
        return "must be a list"
    if kind == "too_short":
        return f"must have at least {_plural(ctx.get('min_length'), 'item')}"
    if kind == "too_long":
        return f"must have at most {_plural(ctx.get('max_length'), 'item')}"
    if kind in ("none_required", "is_instance_of"):
        return "has a value of the wrong kind"
    return "has a value this argument cannot take"


ArgsT = TypeVar("ArgsT", bound=pydantic.BaseModel)


def validation_failures(
    model: type[pydantic.BaseModel], inputs: Mapping[str, Any]
) -> list[CheckFailure]:
    """Validate ``inputs`` against ``model``; problems at unknown values are not problems yet."""
    try:
        model.model_validate(dict(inputs))
    except pydantic.ValidationError as exc:
        failures: list[CheckFailure] = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            if _loc_is_unknown(inputs, loc):
                continue
            failures.append(CheckFailure(property_path(loc) or "inputs", _describe(error)))
        return failures
    return []


class ResourceError(Exception):
    """A failure the user must act on, worded for them; never carries a key or card number."""


# ---------------------------------------------------------------------------------------------
# The error boundary
#
# The host answers a failed call with `traceback.format_exc()` of what the provider raised
# (pulumi/dynamic/__main__.py, `_abort_with_traceback`), and the engine prints that text. So
# everything leaving a provider method is re-raised here, outside any `except` block: no chained
# traceback, no frames below the boundary, and a last line of one sentence that names the setting
# or input to change. The cause goes to the debug log.

_GUARDED = ("configure", "create", "read", "update", "delete", "diff")


def failure_for(exc: Exception, resource: str, operation: str) -> Exception:
    """The exception a user sees for ``exc``: the same class (so callers in-process can still
    catch ``NotFoundError``...), a one-line message of one sentence, no cause, no traceback."""
    from pulumi_digicert.client import errors

    if isinstance(exc, errors.DigiCertError):
        message = errors.user_message(exc)
    elif isinstance(exc, ResourceError):
        message = errors.one_line(str(exc))
    else:
        # The text of an unexpected exception may quote anything, a secret input included.
        return ResourceError(
            f"The DigiCert provider failed unexpectedly during {resource} {operation} "
            f"({type(exc).__name__}; details are in the debug log): run `pulumi up` again, and "
            "report it if it repeats."
        )
    try:
        failure = copy.copy(exc)
    except Exception:  # an exception class that cannot be copied: keep its message only
        return ResourceError(message)
    failure.args = (message,)
    if isinstance(failure, errors.DigiCertError):
        failure.message = message
    failure.__cause__ = None
    failure.__context__ = None
    failure.__suppress_context__ = True
    return failure


def _boundary(operation: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            resource = type(self).__name__.removesuffix("Provider")
            log.debug(
                "%s %s failed (%s):\n%s",
                resource,
                operation,
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            failure = failure_for(exc, resource, operation)
        raise failure from None

    guarded.__digicert_boundary__ = True  # type: ignore[attr-defined]
    return guarded


def _guard(cls: type) -> None:
    for name in _GUARDED:
        method = cls.__dict__.get(name)
        if callable(method) and not getattr(method, "__digicert_boundary__", False):
            setattr(cls, name, _boundary(name, method))


def parse_args(model: type[ArgsT], inputs: Mapping[str, Any]) -> ArgsT:
    """Parse inputs already accepted by check (create/update time: no unknowns remain).

    pydantic's own message quotes input values, which may be secrets: it never surfaces.
    """
    data = {k: unwrap_secrets(v) for k, v in inputs.items() if k != "__provider"}
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{property_path(e['loc']) or 'inputs'} {_describe(e)}" for e in exc.errors()
        )
        raise ResourceError(f"invalid inputs: {problems}") from None


# ---------------------------------------------------------------------------------------------
# The base provider


class Provider(ResourceProvider):
    """Base of the resource providers.

    The instance is pickled into every resource's ``__provider`` property by the program, so it
    carries no attributes until ``configure`` runs inside the provider host: no settings, no
    secrets, no client. Settings come from stack config and the environment at that point.
    """

    fields: ClassVar[tuple[Field, ...]] = ()
    args_model: ClassVar[type[pydantic.BaseModel]]
    defaults: ClassVar[Mapping[str, Any]] = {}
    id_fields: ClassVar[frozenset[str]] = frozenset()
    """Inputs holding CertCentral ids (or lists of them): compared and recorded as numbers."""

    # Never pickled: set in configure() inside the host only.
    _settings: ProviderSettings
    _client_lock: threading.Lock
    _client_instance: DigiCertClient | None

    serialize_as_secret_always = False

    def __init__(self) -> None:
        super().__init__()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _guard(cls)

    def __getstate__(self) -> dict[str, Any]:
        # Whatever configure attached stays out of the serialized provider.
        return {}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        del state

    # -- configuration -------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        self._settings = ProviderSettings.resolve(req.config)
        self._client_lock = threading.Lock()
        self._client_instance = None

    @property
    def settings(self) -> ProviderSettings:
        settings: ProviderSettings | None = getattr(self, "_settings", None)
        if settings is None:
            # Called outside the host (direct use in tests or scripts): environment and defaults.
            self.configure(ConfigureRequest(_EmptyConfig()))  # type: ignore[arg-type]
            settings = self._settings
        return settings

    def use_client(self, client: DigiCertClient) -> None:
        """Attach an explicit client (tests and tools that run a provider in-process)."""
        self.settings  # noqa: B018 - ensures configure ran
        self._client_instance = client

    def close(self) -> None:
        """Close the HTTP connections (in-process use; the host simply exits)."""
        client = getattr(self, "_client_instance", None)
        if client is not None:
            client.close()

    @property
    def api(self) -> DigiCertClient:
        settings = self.settings
        if self._client_instance is None:
            with self._client_lock:
                if self._client_instance is None:
                    from pulumi_digicert.client import DigiCertClient

                    self._client_instance = DigiCertClient(settings)
        return self._client_instance

    # -- check / diff --------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {k: unwrap_secrets(v) for k, v in news.items() if k != "__provider"}
        try:
            failures = validation_failures(self.args_model, inputs)
            if not failures:
                failures = self.check_rules(inputs)
        except Exception as exc:  # check never raises: a crash becomes a failure
            log.debug("check crashed", exc_info=True)
            failures = [CheckFailure("inputs", f"could not be validated: {type(exc).__name__}")]
        checked = dict(news)
        for name, value in self.defaults.items():
            if checked.get(name) is None:
                checked[name] = value
        return CheckResult(checked, failures)

    def check_rules(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        """Cross-field rules of a resource; values may be unknown."""
        del inputs
        return []

    def field_changed(self, field: Field, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        new = unwrap_secrets(news.get(field.name, self.defaults.get(field.name)))
        if new is None:
            new = self.defaults.get(field.name)
        if contains_unknown(new):
            return True
        if field.secret:
            stored = olds.get(f"{field.name}_fingerprint")
            if new is None:
                return stored is not None
            return not fingerprint_matches(new, stored)
        old = olds.get(field.name)
        if old is None:
            old = self.defaults.get(field.name)
        return bool(self.normalise(field.name, old) != self.normalise(field.name, new))

    def normalise(self, name: str, value: Any) -> Any:
        """Per-field comparison form; resources override for case-insensitive fields etc."""
        if name in self.id_fields:
            value = canonical_id(value)
        return canonical(value)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes: list[str] = []
        replaces: list[str] = []
        for field in self.fields:
            if self.field_changed(field, olds, news):
                changes.append(field.name)
                if field.mode is Mode.REPLACE:
                    replaces.append(field.name)
        return DiffResult(changes=bool(changes), replaces=replaces)

    # -- outputs -------------------------------------------------------------------------

    def recorded_inputs(
        self, inputs: Mapping[str, Any], olds: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The declared inputs as they are kept in outputs: canonical, secrets as fingerprints."""
        recorded: dict[str, Any] = {}
        for field in self.fields:
            value = unwrap_secrets(inputs.get(field.name))
            if value is None:
                value = self.defaults.get(field.name)
            if field.secret:
                key = f"{field.name}_fingerprint"
                previous = (olds or {}).get(key)
                if value is None:
                    recorded[key] = None
                elif fingerprint_matches(value, previous):
                    recorded[key] = previous
                else:
                    recorded[key] = fingerprint(value)
            elif field.name in self.id_fields:
                recorded[field.name] = canonical(canonical_id(value))
            else:
                recorded[field.name] = canonical(value)
        return recorded

    def keep_declared_spelling(
        self, live_inputs: Mapping[str, Any], props: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Live inputs, but where a live value only differs in form (``US`` read back as
        ``us``) the recorded one is kept, so a refresh reports real drift only."""
        kept = dict(live_inputs)
        for name, value in live_inputs.items():
            recorded = props.get(name)
            if recorded is not None and self.normalise(name, recorded) == self.normalise(
                name, value
            ):
                kept[name] = recorded
        return kept

    def carried_outputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """Prior outputs carried through a read, with any raw secret turned into a fingerprint.

        On import the engine hands read the program's inputs instead of prior outputs: a secret
        input found there must not reach state.
        """
        outs = {k: v for k, v in props.items() if k != "__provider"}
        for field in self.fields:
            if not field.secret or field.name not in outs:
                continue
            value = unwrap_secrets(outs.pop(field.name))
            key = f"{field.name}_fingerprint"
            if value is not None and not fingerprint_matches(value, outs.get(key)):
                outs[key] = fingerprint(value)
        return outs


_guard(Provider)


class _EmptyConfig:
    def get(self, key: str) -> Any:
        del key
        return None
