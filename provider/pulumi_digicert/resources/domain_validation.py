"""DomainValidation: a domain in CertCentral and its domain control validation (DCV).

| input | type | on change | notes |
|---|---|---|---|
| `domain_name` | str | replace | lower-cased; CertCentral strips a leading `www.` |
| `organization_id` | int | replace | the organization the domain is validated for |
| `validations` | list of `ov`, `ev`, ... | update | an added type is submitted for validation; a removed type changes state only |
| `dcv_method` | `email`, `dns-txt-token`, `dns-cname-token`, `http-token` | update | `PUT /domain/{id}/dcv/method`; issues a new token |

Outputs: `domain_id`, `dcv_token`, `dcv_token_expires_at`, `dcv_verification_value` (CNAME
target or file URL), `validation_status`, `validated_until`, `is_active`, `adopted`.

Create adopts the account's domain of that name for that organization (activating it when it was
deactivated). Delete deactivates the domain, CertCentral's documented way to retire one; a
domain found deactivated on refresh reads as gone, so the next `up` activates it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

import pulumi
import pydantic
from pulumi.dynamic import CheckFailure, CreateResult, ReadResult, UpdateResult

from pulumi_digicert.client import errors
from pulumi_digicert.resources._base import (
    Field,
    Mode,
    Provider,
    is_unknown,
    parse_args,
)
from pulumi_digicert.resources._common import (
    Args,
    PositiveId,
    ValidationType,
    as_dict,
    lookup_after_unknown_outcome,
)

DcvMethod = Literal["email", "dns-txt-token", "dns-cname-token", "http-token"]
DEFAULT_DCV_METHOD: DcvMethod = "dns-txt-token"

FIELDS: tuple[Field, ...] = (
    Field("domain_name", Mode.REPLACE, note="a leading www. is stripped by CertCentral"),
    Field("organization_id", Mode.REPLACE),
    Field("validations", Mode.UPDATE, note="added types are submitted for validation"),
    Field("dcv_method", Mode.UPDATE, note="PUT /domain/{id}/dcv/method"),
)

_DOMAIN_PATTERN = r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$"


class DomainValidationArgs(Args):
    domain_name: str = pydantic.Field(max_length=253)
    organization_id: PositiveId
    validations: list[ValidationType] = pydantic.Field(
        default_factory=lambda: list[ValidationType](["ov"]), min_length=1
    )
    dcv_method: DcvMethod = DEFAULT_DCV_METHOD

    @pydantic.field_validator("domain_name")
    @classmethod
    def _domain(cls, value: str) -> str:
        import re

        value = value.strip().lower()
        if not re.match(_DOMAIN_PATTERN, value):
            raise ValueError(f"{value!r} is not a valid domain name")
        return value.rstrip(".")


def domain_key(name: str) -> str:
    """The name CertCentral stores: lower case, no trailing dot, no leading ``www.``."""
    name = name.strip().lower().rstrip(".")
    return name[4:] if name.startswith("www.") else name


def summarise_validations(
    live: Mapping[str, Any], declared: Sequence[str]
) -> tuple[str, str | None]:
    """One status and the earliest expiry over the declared validation types."""
    by_type = {as_dict(v).get("type"): as_dict(v) for v in live.get("validations") or []}
    statuses = [str(by_type.get(t, {}).get("status") or "pending") for t in declared]
    if statuses and all(s in ("active", "validated", "completed") for s in statuses):
        status = "validated"
    elif any(s == "rejected" for s in statuses):
        status = "rejected"
    elif any(s == "expired" for s in statuses):
        status = "expired"
    else:
        status = "pending"
    expiries = [
        str(by_type[t]["validated_until"])
        for t in declared
        if t in by_type and by_type[t].get("validated_until")
    ]
    return status, (min(expiries) if expiries else None)


class DomainValidationProvider(Provider):
    fields: ClassVar[tuple[Field, ...]] = FIELDS
    args_model = DomainValidationArgs
    defaults: ClassVar[Mapping[str, Any]] = {
        "dcv_method": DEFAULT_DCV_METHOD,
        "validations": ["ov"],
    }
    id_fields: ClassVar[frozenset[str]] = frozenset({"organization_id"})

    def normalise(self, name: str, value: Any) -> Any:
        value = super().normalise(name, value)
        if name == "domain_name" and isinstance(value, str):
            return domain_key(value)
        if name == "validations" and isinstance(value, list):
            return sorted(set(map(str, value)))
        return value

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

    def _find_existing(self, args: DomainValidationArgs) -> dict[str, Any] | None:
        key = domain_key(args.domain_name)
        for domain in self.api.domains.list(search=key):
            data = as_dict(domain)
            organization = as_dict(data.get("organization"))
            if (
                domain_key(str(data.get("name", ""))) == key
                and int(organization.get("id") or 0) == args.organization_id
            ):
                return data
        return None

    def _live(self, domain_id: int) -> dict[str, Any]:
        return as_dict(self.api.domains.get(domain_id, include_dcv=True, include_validation=True))

    def _outputs(
        self, inputs: Mapping[str, Any], live: Mapping[str, Any], *, adopted: bool
    ) -> dict[str, Any]:
        args_validations = list(inputs.get("validations") or ["ov"])
        outs = self.recorded_inputs(inputs)
        token = as_dict(live.get("dcv_token"))
        status, validated_until = summarise_validations(live, args_validations)
        outs.update(
            domain_id=int(live["id"]),
            dcv_token=token.get("token"),
            dcv_token_expires_at=token.get("expiration_date"),
            dcv_verification_value=token.get("verification_value") or token.get("http_token_url"),
            validation_status=status,
            validated_until=validated_until,
            is_active=bool(live.get("is_active", True)),
            adopted=adopted,
        )
        return outs

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = parse_args(DomainValidationArgs, props)
        existing = self._find_existing(args)
        adopted = existing is not None
        if existing is not None:
            domain_id = int(existing["id"])
            live = self._live(domain_id)
            if self._reconcile(domain_id, args, live):
                live = self._live(domain_id)
        else:
            domain_id = self._post(args)
            live = self._live(domain_id)
        return CreateResult(str(domain_id), self._outputs(props, live, adopted=adopted))

    def _post(self, args: DomainValidationArgs) -> int:
        body = {
            "name": args.domain_name,
            "organization": {"id": args.organization_id},
            "validations": [{"type": t} for t in args.validations],
            "dcv_method": args.dcv_method,
        }
        try:
            return int(self.api.domains.add(body).id)
        except errors.OutcomeUnknownError:
            found = lookup_after_unknown_outcome(lambda: self._find_existing(args))
            if found is not None:
                return int(found["id"])
            return int(self.api.domains.add(body).id)

    def _reconcile(
        self, domain_id: int, args: DomainValidationArgs, live: Mapping[str, Any]
    ) -> bool:
        """Bring an adopted domain to the declared state; True if anything was sent."""
        changed = False
        if not live.get("is_active", True):
            self.api.domains.activate(domain_id)
            changed = True
        if live.get("dcv_method") != args.dcv_method:
            self.api.domains.change_dcv_method(domain_id, args.dcv_method)
            changed = True
        present = {as_dict(v).get("type") for v in live.get("validations") or []}
        missing = [t for t in args.validations if t not in present]
        if missing:
            self.api.domains.submit_validation(domain_id, missing)
            changed = True
        return changed

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            live = self._live(int(id_))
        except errors.NotFoundError:
            return ReadResult("", {})
        if not live.get("is_active", True):
            return ReadResult("", {})
        declared = list(props.get("validations") or ["ov"])
        live_types = {as_dict(v).get("type") for v in live.get("validations") or []}
        inputs = {
            "domain_name": props.get("domain_name") or live.get("name"),
            "organization_id": as_dict(live.get("organization")).get("id")
            or props.get("organization_id"),
            "validations": [t for t in declared if t in live_types] or declared,
            "dcv_method": live.get("dcv_method") or props.get("dcv_method"),
        }
        if props.get("domain_name") and domain_key(str(props["domain_name"])) != domain_key(
            str(live.get("name", ""))
        ):
            inputs["domain_name"] = live.get("name")
        inputs = self.keep_declared_spelling(inputs, props)
        return ReadResult(
            id_, self._outputs(inputs, live, adopted=bool(props.get("adopted"))), inputs
        )

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        args = parse_args(DomainValidationArgs, news)
        domain_id = int(id_)
        by_name = {f.name: f for f in FIELDS}
        token: dict[str, Any] | None = None
        if self.field_changed(by_name["dcv_method"], olds, news):
            response = self.api.domains.change_dcv_method(domain_id, args.dcv_method)
            token = as_dict(response.dcv_token)
        old_types = set(olds.get("validations") or [])
        added = [t for t in args.validations if t not in old_types]
        if added:
            self.api.domains.submit_validation(domain_id, added)
        if added or token is None:
            live = self._live(domain_id)
            return UpdateResult(self._outputs(news, live, adopted=bool(olds.get("adopted"))))
        # Only the DCV method changed: its answer carries the new token, and a method change
        # leaves the validations as they were.
        outs = {k: v for k, v in olds.items() if k != "__provider"}
        outs.update(
            self.recorded_inputs(news),
            dcv_token=token.get("token"),
            dcv_token_expires_at=token.get("expiration_date"),
            dcv_verification_value=token.get("verification_value") or token.get("http_token_url"),
        )
        return UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        del props
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
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "domain_name": domain_name,
            "organization_id": organization_id,
            "validations": validations,
            "dcv_method": dcv_method,
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
