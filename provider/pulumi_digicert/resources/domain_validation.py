"""DomainValidation: a domain in CertCentral and its domain control validation (DCV).

| input | type | on change | notes |
|---|---|---|---|
| `domain_name` | str | replace | lower-cased; CertCentral drops a leading `www.` for email and DNS methods, and `http-token` keeps it |
| `organization_id` | int | replace | the organization the domain is validated for |
| `validations` | list of `ov`, `ev`, ... | update | an added type, or one found expired or missing on refresh, is submitted for validation; a removed type changes state only |
| `dcv_method` | `email`, `dns-txt-token`, `dns-cname-token`, `http-token` | update | `PUT /domain/{id}/dcv/method`; issues a new token |
| `revalidate_days_before_expiry` | int 1-365 | state | when set, refresh treats a validation expiring within that many days as due, and the next `up` submits it again |

Outputs: `domain_id`, `dcv_token`, `dcv_token_expires_at`, `dcv_verification_value` (CNAME
target or file URL), `validation_status`, `validated_until`, `is_active`, `adopted`.

Create adopts the account's domain of that name for that organization (activating it when it was
deactivated). Delete deactivates a domain this resource created, CertCentral's documented way to
retire one; an adopted domain is left active (it may be held by another stack), and a line on
stderr says so. A domain found deactivated on refresh reads as gone, so the next `up` activates
it again.

The token outputs stay known in the preview of an update that keeps the token: refresh reads
them back into the inputs when nothing due would issue a new one, and check carries them while
`domain_name`, `organization_id` and `dcv_method` are unchanged. A DNS record fed from
`dcv_token` then previews as unchanged, as `up` leaves it.

Domain validation lasts 397 days, and a domain may be submitted again at any time (seed 000).
Refresh reads a declared validation type that expired (or is missing) as not in place: the
refreshed `validations` leave it out, so the next preview shows the update and the next `up`
submits the domain for validation (`POST /domain/{id}/validation`, 204 or 201 with a body; with
the DCV method when the token has expired, so the answer carries a fresh one). Whether a
validation is due is decided at refresh, where the clock is read; check and diff stay pure.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import pulumi
import pydantic
from pulumi.dynamic import CheckFailure, CreateResult, ReadResult, UpdateResult

from pulumi_digicert._engine_values import contains_unknown, is_unknown, plain_inputs
from pulumi_digicert._notice import notice
from pulumi_digicert.client import errors
from pulumi_digicert.resources._args import Args, PositiveId, ValidationType, parse_args
from pulumi_digicert.resources._pickling import restore_pickler
from pulumi_digicert.resources._provider import Field, Mode, Provider

if TYPE_CHECKING:
    from pulumi_digicert.client import models

DcvMethod = Literal["email", "dns-txt-token", "dns-cname-token", "http-token"]
DEFAULT_DCV_METHOD: DcvMethod = "dns-txt-token"
TOKEN_OUTPUTS = ("dcv_token", "dcv_token_expires_at", "dcv_verification_value")
"""Outputs check carries through an update that keeps the token (see the provider's check)."""
# The inputs that decide the token: a change to one issues a new token.
_TOKEN_KEYS = ("domain_name", "organization_id", "dcv_method")

FIELDS: tuple[Field, ...] = (
    Field("domain_name", Mode.REPLACE, note="www. dropped for email and DNS methods"),
    Field("organization_id", Mode.REPLACE),
    Field("validations", Mode.UPDATE, note="added or lapsed types are submitted for validation"),
    Field("dcv_method", Mode.UPDATE, note="PUT /domain/{id}/dcv/method"),
    Field("revalidate_days_before_expiry", Mode.STATE, note="read at refresh"),
)
DAY = 86_400.0

_DOMAIN_PATTERN = r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$"


class DomainValidationArgs(Args):
    domain_name: str = pydantic.Field(max_length=253)
    organization_id: PositiveId
    validations: list[ValidationType] = pydantic.Field(
        default_factory=lambda: list[ValidationType](["ov"]), min_length=1
    )
    dcv_method: DcvMethod = DEFAULT_DCV_METHOD
    revalidate_days_before_expiry: int | None = pydantic.Field(default=None, ge=1, le=365)

    @pydantic.field_validator("domain_name")
    @classmethod
    def _domain(cls, value: str) -> str:
        value = value.strip().lower()
        if not re.match(_DOMAIN_PATTERN, value):
            raise ValueError(f"{value!r} is not a valid domain name")
        return value.rstrip(".")

    def add_body(self) -> dict[str, Any]:
        """The body of ``POST /domain`` for this declaration."""
        return {
            "name": self.domain_name,
            "organization": {"id": self.organization_id},
            "validations": [{"type": t} for t in self.validations],
            "dcv_method": self.dcv_method,
        }


def domain_key(name: str, dcv_method: str | None = DEFAULT_DCV_METHOD) -> str:
    """The name CertCentral stores for ``name`` added with ``dcv_method``: lower case, no
    trailing dot; a leading ``www.`` dropped for email and DNS methods, kept for file-based
    ``http-token``, which validates the exact name (DigiCert change log, "Keep the www
    subdomain label when adding a domain"; API.md B10)."""
    name = stored_name(name)
    if dcv_method != "http-token" and name.startswith("www."):
        return name[4:]
    return name


def stored_name(name: str) -> str:
    """A name as CertCentral returns it, in comparable form."""
    return name.strip().lower().rstrip(".")


def parse_time(value: Any) -> float | None:
    """Seconds since the epoch from CertCentral's ``2027-01-01T00:00:00+00:00`` or
    ``2027-01-01`` (UTC when no offset is given); None when unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def saved_types(value: Any) -> list[str]:
    """The validation types recorded in state; anything else a damaged state holds is dropped."""
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def saved_days(value: Any) -> int | None:
    """``revalidate_days_before_expiry`` as recorded in state, or ``None`` when it is not a
    whole number of days in range (a damaged state)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not (isinstance(value, int) or value.is_integer()) or not 1 <= value <= 365:
        return None
    return int(value)


def lapsed_types(
    live: models.Domain,
    declared: Sequence[str],
    now: float,
    *,
    within_days: int | None = None,
) -> list[str]:
    """The declared validation types that must be submitted again: missing, expired (by status
    or by date), or, with ``within_days``, expiring within that many days. A domain whose
    revalidation is already pending is not due again: CertCentral keeps using the current
    validation meanwhile (API.md B7)."""
    by_type = {v.type: v for v in live.validations}
    pending = bool(live.is_pending_validation)
    due: list[str] = []
    for kind in declared:
        record = by_type.get(kind)
        if record is None:
            due.append(kind)
            continue
        status = (record.status or "").lower()
        if pending or status in ("pending", "rejected"):
            continue
        until = parse_time(record.validated_until)
        expired = status == "expired" or (until is not None and until <= now)
        early = within_days is not None and until is not None and until - now <= within_days * DAY
        if expired or early:
            due.append(kind)
    return due


def summarise_validations(live: models.Domain, declared: Sequence[str]) -> tuple[str, str | None]:
    """One status and the earliest expiry over the declared validation types."""
    by_type = {v.type: v for v in live.validations}
    statuses = [
        (found.status if (found := by_type.get(t)) is not None else None) or "pending"
        for t in declared
    ]
    if statuses and all(s in ("active", "validated", "completed") for s in statuses):
        status = "validated"
    elif any(s == "rejected" for s in statuses):
        status = "rejected"
    elif any(s == "expired" for s in statuses):
        status = "expired"
    else:
        status = "pending"
    expiries = [
        str(by_type[t].validated_until)
        for t in declared
        if t in by_type and by_type[t].validated_until
    ]
    return status, (min(expiries) if expiries else None)


def token_outputs(token: models.DcvToken | None) -> dict[str, Any]:
    """The token outputs from CertCentral's DCV token (``None`` values when there is none)."""
    return {
        "dcv_token": token.token if token else None,
        "dcv_token_expires_at": token.expiration_date if token else None,
        "dcv_verification_value": (token.verification_value or token.http_token_url)
        if token
        else None,
    }


def _id(domain: models.Domain) -> int:
    if domain.id is None:
        raise TypeError("the domain carries no id")
    return domain.id


class DomainValidationProvider(Provider):
    fields: ClassVar[tuple[Field, ...]] = FIELDS
    args_model = DomainValidationArgs
    defaults: ClassVar[Mapping[str, Any]] = {
        "dcv_method": DEFAULT_DCV_METHOD,
        "validations": ["ov"],
    }
    id_fields: ClassVar[frozenset[str]] = frozenset({"organization_id"})

    now: Callable[[], float] = staticmethod(time.time)
    """The wall clock read at refresh (tests move it); check and diff never read it."""

    def normalise(self, name: str, value: Any) -> Any:
        value = super().normalise(name, value)
        if name == "domain_name" and isinstance(value, str):
            return stored_name(value)
        if name == "validations" and isinstance(value, list):
            return sorted(set(map(str, value)))
        return value

    def field_changed(
        self, field: Field, olds: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> bool:
        if field.name != "domain_name":
            return super().field_changed(field, olds, inputs)
        # The name CertCentral holds depends on the method (www. kept only for http-token):
        # compare what each declaration would make it, as adoption does.
        old_name, new_name = olds.get("domain_name"), inputs.get("domain_name")
        old_method = olds.get("dcv_method") or DEFAULT_DCV_METHOD
        new_method = inputs.get("dcv_method") or DEFAULT_DCV_METHOD
        if contains_unknown(new_name):
            return True
        if not isinstance(old_name, str) or not isinstance(new_name, str):
            return old_name != new_name
        if contains_unknown(new_method):
            # Which name CertCentral will hold is not known yet: show the change that may come.
            return stored_name(new_name).startswith("www.") or (
                domain_key(old_name, old_method) != domain_key(new_name, DEFAULT_DCV_METHOD)
            )
        return domain_key(old_name, old_method) != domain_key(new_name, new_method)

    def check_rules(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        name, method = inputs.get("domain_name"), inputs.get("dcv_method") or DEFAULT_DCV_METHOD
        if (
            method == "http-token"
            and isinstance(name, str)
            and not is_unknown(name)
            and name.strip().startswith("*.")
        ):
            return [
                CheckFailure(
                    "dcv_method",
                    "http-token cannot validate a wildcard name (CertCentral answers "
                    "invalid_wildcard_dcv_method); use dns-txt-token or dns-cname-token",
                )
            ]
        return []

    def checked_inputs(
        self, olds: Mapping[str, Any], news: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The checked inputs, carrying the token read back by the last refresh while nothing
        that decides the token changes.

        A Python dynamic provider cannot preview an update: the engine previews its outputs as
        the checked inputs, so every other output is unknown (``provider_plugin.go``, ``Update``
        without preview support). Carried here, the token stays known through the preview of an
        update that keeps it, and a DNS record fed from ``dcv_token`` previews as unchanged,
        which is what ``up`` does. Pure and offline: the values come from the old inputs only.
        """
        checked = super().checked_inputs(olds, news, inputs)
        checked = {k: v for k, v in checked.items() if k not in TOKEN_OUTPUTS}
        if olds.get("dcv_token") is not None and not self.changed(olds, inputs, *_TOKEN_KEYS):
            checked.update({k: olds[k] for k in TOKEN_OUTPUTS if olds.get(k) is not None})
        return checked

    def _find_existing(self, args: DomainValidationArgs) -> models.Domain | None:
        key = domain_key(args.domain_name, args.dcv_method)
        for domain in self.api.domains.list(search=key):
            organization_id = domain.organization.id if domain.organization else None
            if (
                stored_name(domain.name or "") == key
                and (organization_id or 0) == args.organization_id
            ):
                return domain
        return None

    def _args(self, inputs: Mapping[str, Any]) -> DomainValidationArgs:
        return parse_args(
            DomainValidationArgs, {k: v for k, v in inputs.items() if k not in TOKEN_OUTPUTS}
        )

    def _live(self, domain_id: int) -> models.Domain:
        return self.api.domains.get(domain_id, include_dcv=True, include_validation=True)

    def _outputs(
        self, inputs: Mapping[str, Any], live: models.Domain, *, adopted: bool
    ) -> dict[str, Any]:
        args_validations = list(inputs.get("validations") or ["ov"])
        outs = self.recorded_inputs(inputs)
        status, validated_until = summarise_validations(live, args_validations)
        outs.update(
            domain_id=_id(live),
            **token_outputs(live.dcv_token),
            validation_status=status,
            validated_until=validated_until,
            # An answer without is_active reads as inactive, as refresh reads it.
            is_active=bool(live.is_active),
            adopted=adopted,
        )
        return outs

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = plain_inputs(props)
        args = self._args(inputs)
        existing = self._find_existing(args)
        adopted = existing is not None
        if existing is not None:
            domain_id = _id(existing)
            live = self._live(domain_id)
            if self._reconcile(domain_id, args, live):
                live = self._live(domain_id)
        else:
            domain_id = self._post(args)
            live = self._live(domain_id)
        return CreateResult(str(domain_id), self._outputs(inputs, live, adopted=adopted))

    def _post(self, args: DomainValidationArgs) -> int:
        body = args.add_body()
        try:
            return self.api.domains.add(body).id
        except errors.OutcomeUnknownError:
            found = self.api.find_after_unknown_outcome(lambda: self._find_existing(args))
            if found is not None:
                return _id(found)
            return self.api.domains.add(body).id

    def _reconcile(self, domain_id: int, args: DomainValidationArgs, live: models.Domain) -> bool:
        """Bring an adopted domain to the declared state; True if anything was sent."""
        changed = False
        if not live.is_active:
            self.api.domains.activate(domain_id)
            changed = True
        if live.dcv_method != args.dcv_method:
            self.api.domains.change_dcv_method(domain_id, args.dcv_method)
            changed = True
        due = lapsed_types(
            live, args.validations, self.now(), within_days=args.revalidate_days_before_expiry
        )
        if due:
            self._submit(domain_id, args, due, live)
            changed = True
        return changed

    def _submit(
        self,
        domain_id: int,
        args: DomainValidationArgs,
        types: Sequence[str],
        live: models.Domain,
    ) -> None:
        """``POST /domain/{id}/validation`` (204, or 201 with a body).

        A type submitted again (it lapsed, or revalidation is due early) needs DCV done anew,
        and so does any type when the domain's token has expired (tokens last 30 days): then
        the DCV method is sent too, and the answer carries a fresh token (or the email
        recipients) to publish. A type added next to a current token is submitted alone.
        """
        present = {v.type for v in live.validations}
        expires = parse_time(live.dcv_token.expiration_date if live.dcv_token else None)
        stale = expires is None or expires <= self.now()
        again = any(t in present for t in types)
        method = args.dcv_method if stale or again else None
        self.api.domains.submit_validation(domain_id, list(types), dcv_method=method)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            live = self._live(int(id_))
        except errors.NotFoundError:
            return ReadResult("", {})
        if not live.is_active:
            return ReadResult("", {})
        declared = saved_types(props.get("validations")) or ["ov"]
        window = saved_days(props.get("revalidate_days_before_expiry"))
        due = lapsed_types(live, declared, self.now(), within_days=window)
        inputs = {
            "domain_name": props.get("domain_name") or live.name,
            "organization_id": (live.organization.id if live.organization else None)
            or props.get("organization_id"),
            # A lapsed validation reads as not in place: the next `up` submits it again.
            "validations": [t for t in declared if t not in due],
            "dcv_method": live.dcv_method or props.get("dcv_method"),
            "revalidate_days_before_expiry": window,
        }
        declared_method = props.get("dcv_method") or DEFAULT_DCV_METHOD
        if props.get("domain_name") and domain_key(
            str(props["domain_name"]), declared_method
        ) != stored_name(live.name or ""):
            inputs["domain_name"] = live.name
        inputs = self.keep_declared_spelling(inputs, props)
        outs = self._outputs(inputs, live, adopted=bool(props.get("adopted")))
        token_expiry = parse_time(outs.get("dcv_token_expires_at"))
        if not due and (token_expiry is None or token_expiry > self.now()):
            # Nothing due would issue a new token: check may carry this one (see check).
            inputs.update({k: outs[k] for k in TOKEN_OUTPUTS if outs.get(k) is not None})
        return ReadResult(id_, outs, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = plain_inputs(news)
        args = self._args(inputs)
        domain_id = int(id_)
        method_changed = bool(self.changed(olds, inputs, "dcv_method"))
        token: models.DcvToken | None = None
        if method_changed:
            token = self.api.domains.change_dcv_method(domain_id, args.dcv_method).dcv_token
        old_types = set(saved_types(olds.get("validations")))
        added = [t for t in args.validations if t not in old_types]
        if added:
            # Added types, and types refresh found lapsed (left out of olds).
            self._submit(domain_id, args, added, self._live(domain_id))
        if added or (not method_changed and self.changed(olds, inputs, "validations")):
            live = self._live(domain_id)
            return UpdateResult(self._outputs(inputs, live, adopted=bool(olds.get("adopted"))))
        # Otherwise the validations are as they were: carry them. A DCV method change answers
        # with the new token; a state field needs no call at all.
        outs = self.carried_with(olds, inputs)
        if method_changed:
            outs.update(token_outputs(token))
        return UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if props.get("adopted"):
            # It was in the account before this resource held it, perhaps for another stack.
            notice(f"domain {id_} left active in CertCentral: it existed before this stack held it")
            return
        try:
            self.api.domains.deactivate(int(id_))
        except errors.NotFoundError:
            return


class DomainValidation(pulumi.dynamic.Resource, module="digicert", name="DomainValidation"):
    """A domain in CertCentral, validated for an organization.

    Publish ``dcv_token`` with any DNS provider (a TXT record for ``dns-txt-token``), then add a
    :class:`DomainValidationCheck` that depends on that record to finish DCV in the same ``up``.
    """

    domain_id: pulumi.Output[int]
    dcv_token: pulumi.Output[str]
    """The random value to publish (TXT record, CNAME label or file content)."""
    dcv_token_expires_at: pulumi.Output[str]
    dcv_verification_value: pulumi.Output[str]
    """CNAME target (``dns-cname-token``) or file URL (``http-token``)."""
    validation_status: pulumi.Output[str]
    """``validated``, ``pending`` or ``expired`` over the declared validation types."""
    validated_until: pulumi.Output[str]
    is_active: pulumi.Output[bool]
    adopted: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        domain_name: pulumi.Input[str],
        organization_id: pulumi.Input[int],
        validations: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        dcv_method: pulumi.Input[str] | None = None,
        revalidate_days_before_expiry: pulumi.Input[int] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "domain_name": domain_name,
            "organization_id": organization_id,
            "validations": validations,
            "dcv_method": dcv_method,
            "revalidate_days_before_expiry": revalidate_days_before_expiry,
            "domain_id": None,
            "dcv_token": None,
            "dcv_token_expires_at": None,
            "dcv_verification_value": None,
            "validation_status": None,
            "validated_until": None,
            "is_active": None,
            "adopted": None,
        }
        super().__init__(DomainValidationProvider(), resource_name, props, opts)
        restore_pickler()
