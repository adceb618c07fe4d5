"""The provider base: field tables, the diff computed from them, and the error boundary.

Each resource module declares a field table (:class:`Field`) and an Args model. From those the
base derives what the engine asks for before anything is applied:

* ``check``: validation, every problem as a ``CheckFailure`` naming the property path;
* ``diff``: which declared inputs changed and which of those force a replacement;
* the declared inputs as outputs record them (canonical, secrets as fingerprints).

check and diff are pure: no API call, no clock, no credentials. The engine may hand them the
unknown sentinel anywhere during preview, and numbers arrive as floats. Every entry point reads
its inputs once through :func:`~pulumi_digicert._engine_values.plain_inputs`; the helpers below
take those plain inputs.

Not here: argument types and their wording (``_args.py``), fingerprints (``_fingerprints.py``),
what values the engine sends (``pulumi_digicert._engine_values``).
"""

from __future__ import annotations

import copy
import enum
import functools
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pydantic
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    DiffResult,
    ResourceProvider,
)

from pulumi_digicert._engine_values import (
    PROVIDER_KEY,
    canonical,
    canonical_id,
    contains_unknown,
    plain_inputs,
    unwrap_secrets,
)
from pulumi_digicert._exceptions import DigiCertError, ResourceError
from pulumi_digicert._notice import log
from pulumi_digicert.client import errors
from pulumi_digicert.config import ProviderSettings
from pulumi_digicert.resources._args import validation_failures
from pulumi_digicert.resources._fingerprints import fingerprint, fingerprint_matches

if TYPE_CHECKING:
    # Loaded on the first API call: check and diff (every preview) never need the HTTP stack.
    from pulumi_digicert.client import DigiCertClient

__all__ = ["Field", "Mode", "Provider", "failure_for"]


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
    if isinstance(exc, DigiCertError):
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
    if isinstance(failure, DigiCertError):
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
        inputs = plain_inputs(news)
        try:
            failures = validation_failures(self.args_model, inputs)
            if not failures:
                failures = self.check_rules(inputs)
            failures = [*failures, *self.check_change(_olds, inputs)]
        except Exception as exc:  # check never raises: a crash becomes a failure
            log.debug("check crashed", exc_info=True)
            failures = [CheckFailure("inputs", f"could not be validated: {type(exc).__name__}")]
        return CheckResult(self.checked_inputs(_olds, news, inputs), failures)

    def check_rules(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        """Cross-field rules of a resource, run once the model accepts the inputs; values may
        be unknown."""
        del inputs
        return []

    def check_change(
        self, olds: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> list[CheckFailure]:
        """Rules about the change from ``olds`` (empty for a create), whatever the model says."""
        del olds, inputs
        return []

    def checked_inputs(
        self, olds: Mapping[str, Any], news: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        """What check hands back to the engine: the inputs as sent (secret envelopes kept), with
        defaults filled in."""
        del olds, inputs
        checked = dict(news)
        for name, value in self.defaults.items():
            if checked.get(name) is None:
                checked[name] = value
        return checked

    def field_changed(
        self, field: Field, olds: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> bool:
        """Whether ``field`` changes from ``olds`` (recorded outputs) to plain ``inputs``."""
        new = inputs.get(field.name, self.defaults.get(field.name))
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

    def changed(self, olds: Mapping[str, Any], inputs: Mapping[str, Any], *names: str) -> list[str]:
        """Which of the fields ``names`` change (in field-table order)."""
        return [
            f.name for f in self.fields if f.name in names and self.field_changed(f, olds, inputs)
        ]

    def normalise(self, name: str, value: Any) -> Any:
        """Per-field comparison form; resources override for case-insensitive fields etc."""
        if name in self.id_fields:
            value = canonical_id(value)
        return canonical(value)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        inputs = plain_inputs(news)
        changes: list[str] = []
        replaces: list[str] = []
        for field in self.fields:
            if self.field_changed(field, olds, inputs):
                changes.append(field.name)
                if field.mode is Mode.REPLACE:
                    replaces.append(field.name)
        return DiffResult(changes=bool(changes), replaces=replaces)

    # -- outputs -------------------------------------------------------------------------

    def recorded_inputs(
        self, inputs: Mapping[str, Any], olds: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The declared inputs (plain) as outputs keep them: canonical, secrets as fingerprints."""
        recorded: dict[str, Any] = {}
        for field in self.fields:
            value = inputs.get(field.name)
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
        outs = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        for field in self.fields:
            if not field.secret or field.name not in outs:
                continue
            value = unwrap_secrets(outs.pop(field.name))
            key = f"{field.name}_fingerprint"
            if value is not None and not fingerprint_matches(value, outs.get(key)):
                outs[key] = fingerprint(value)
        return outs

    def carried_with(self, olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The prior outputs with the new declared inputs recorded over them: an update that
        changes nothing CertCentral reports."""
        outs = {k: v for k, v in olds.items() if k != PROVIDER_KEY}
        outs.update(self.recorded_inputs(inputs, olds))
        return outs


_guard(Provider)


class _EmptyConfig:
    def get(self, key: str) -> Any:
        del key
        return None
