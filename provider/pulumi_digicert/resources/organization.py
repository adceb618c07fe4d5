"""Organization: a legal entity certificates are issued to.

| input | type | on change | notes |
|---|---|---|---|
| `name` | str, 1-64 | replace | legal name; `name` + `assumed_name` at most 61 characters |
| `assumed_name` | str | replace | DBA name |
| `address`, `address2`, `city`, `state`, `zip` | str | replace | CertCentral has no organization update |
| `country` | ISO 3166-1 alpha-2 | replace | compared case-insensitively |
| `telephone` | str | replace | |
| `container_id` | int | replace | division the organization belongs to |
| `organization_contact` | contact | update | `PUT /organization/{id}/contact`; cannot be removed once set |
| `technical_contact` | contact | update | removing it removes the contact |
| `validations` | list of {type, verified_users} | update | an added type is submitted for validation; a removed type changes state only |
| `skip_duplicate_org_check` | bool | state | create only: never adopt, always create a new organization |

Outputs: `organization_id`, `status`, `is_active`, `display_name`, `validations` (each declared
type with its `status` and `validated_until`), `adopted`.

Create adopts an active organization with the same legal identity unless
`skip_duplicate_org_check` is set. Delete calls ``DELETE /organization/{id}``; CertCentral refuses
while any order references the organization, and an adopted organization is only forgotten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pulumi
import pydantic
from pulumi.dynamic import CheckFailure, CreateResult, ReadResult, UpdateResult

from pulumi_digicert.client import errors
from pulumi_digicert.resources._base import Field, Mode, Provider, is_unknown, parse_args
from pulumi_digicert.resources._common import (
    Args,
    ContactArgs,
    CountryCode,
    NonEmpty,
    PositiveId,
    ResourceError,
    Short,
    ValidationType,
    api_detail,
    as_dict,
    contact_from_api,
    drop_none,
    lookup_after_unknown_outcome,
)

IDENTITY_FIELDS = (
    "name",
    "assumed_name",
    "address",
    "address2",
    "city",
    "state",
    "zip",
    "country",
    "telephone",
    "container_id",
)

FIELDS: tuple[Field, ...] = (
    *(Field(name, Mode.REPLACE, note="legal identity") for name in IDENTITY_FIELDS),
    Field("organization_contact", Mode.UPDATE, note="PUT /organization/{id}/contact"),
    Field("technical_contact", Mode.UPDATE, note="PUT /organization/{id}/contact"),
    Field("validations", Mode.UPDATE, note="added types are submitted for validation"),
    Field("skip_duplicate_org_check", Mode.STATE, note="create only"),
)


class VerifiedUserArgs(Args):
    """An existing user or contact (`id`) or a new person who can approve EV/CS validation."""

    id: PositiveId | None = None
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    telephone: str | None = None
    email: str | None = None


class OrganizationValidationArgs(Args):
    type: ValidationType
    verified_users: list[VerifiedUserArgs] | None = None


class OrganizationArgs(Args):
    name: Short
    assumed_name: str | None = None
    address: Short
    address2: str | None = pydantic.Field(default=None, max_length=64)
    city: Short
    state: Short
    zip: NonEmpty
    country: CountryCode
    telephone: str | None = None
    organization_contact: ContactArgs | None = None
    technical_contact: ContactArgs | None = None
    container_id: PositiveId | None = None
    validations: list[OrganizationValidationArgs] = pydantic.Field(default_factory=list)
    skip_duplicate_org_check: bool = False


def _same_identity(live: Mapping[str, Any], args: OrganizationArgs) -> bool:
    def norm(value: Any) -> str:
        return " ".join(str(value or "").split()).casefold()

    for name in ("name", "assumed_name", "address", "address2", "city", "state", "zip", "country"):
        if norm(live.get(name)) != norm(getattr(args, name)):
            return False
    if args.container_id is not None:
        container = as_dict(live.get("container"))
        if container.get("id") not in (None, args.container_id):
            return False
    return True


class OrganizationProvider(Provider):
    fields: ClassVar[tuple[Field, ...]] = FIELDS
    args_model = OrganizationArgs
    defaults: ClassVar[Mapping[str, Any]] = {"skip_duplicate_org_check": False, "validations": []}

    def normalise(self, name: str, value: Any) -> Any:
        value = super().normalise(name, value)
        if name == "country" and isinstance(value, str):
            return value.lower()
        if name == "validations":
            # Order does not matter; only the declared keys do (outputs add status).
            entries = [
                {k: v for k, v in as_dict(e).items() if k in ("type", "verified_users")}
                for e in (value or [])
            ]
            return sorted(entries, key=lambda e: str(e.get("type")))
        return value

    def check_rules(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        failures = []
        name, assumed = inputs.get("name"), inputs.get("assumed_name")
        if (
            isinstance(name, str)
            and isinstance(assumed, str)
            and not is_unknown(name)
            and not is_unknown(assumed)
            and len(name.strip()) + len(assumed.strip()) > 61
        ):
            failures.append(
                CheckFailure(
                    "assumed_name",
                    "name and assumed_name together must be at most 61 characters",
                )
            )
        validations = inputs.get("validations")
        if not isinstance(validations, list):  # unknown during preview, or the model's failure
            validations = []
        types = [v.get("type") for v in validations if isinstance(v, Mapping)]
        known = [t for t in types if not is_unknown(t)]
        if len(known) != len(set(known)):
            failures.append(CheckFailure("validations", "each validation type may appear once"))
        for index, entry in enumerate(validations):
            if (
                isinstance(entry, Mapping)
                and entry.get("type") in ("ev", "cs", "ev_cs")
                and not entry.get("verified_users")
            ):
                failures.append(
                    CheckFailure(
                        f"validations[{index}].verified_users",
                        f"is required for {entry['type']} validation",
                    )
                )
        return failures

    # -- helpers ---------------------------------------------------------------------

    def _find_existing(self, args: OrganizationArgs) -> dict[str, Any] | None:
        candidates = self.api.organizations.list(status="active", search=f"%{args.name}")
        matches = [as_dict(o) for o in candidates if _same_identity(as_dict(o), args)]
        if not matches:
            return None
        return min(matches, key=lambda o: int(o.get("id") or 0))

    def _create_body(self, args: OrganizationArgs) -> dict[str, Any]:
        body = drop_none(
            {
                "name": args.name,
                "assumed_name": args.assumed_name,
                "address": args.address,
                "address2": args.address2,
                "city": args.city,
                "state": args.state,
                "zip": args.zip,
                "country": args.country,
                "telephone": args.telephone,
            }
        )
        if args.organization_contact is not None:
            body["organization_contact"] = args.organization_contact.model_dump(exclude_none=True)
        if args.container_id is not None:
            body["container"] = {"id": args.container_id}
        if args.validations:
            body["validations"] = [v.model_dump(exclude_none=True) for v in args.validations]
        if args.skip_duplicate_org_check:
            body["skip_duplicate_org_check"] = True
        return body

    def _contacts_payload(
        self, args: OrganizationArgs, *, had_technical: bool
    ) -> list[dict[str, Any]]:
        contacts: list[dict[str, Any]] = []
        if args.organization_contact is not None:
            contacts.append(
                {
                    **args.organization_contact.model_dump(exclude_none=True),
                    "contact_type": "organization_contact",
                }
            )
        if args.technical_contact is not None:
            contacts.append(
                {
                    **args.technical_contact.model_dump(exclude_none=True),
                    "contact_type": "technical_contact",
                }
            )
        elif had_technical:
            contacts.append({"contact_type": "technical_contact"})
        return contacts

    def _submit_missing_validations(
        self, organization_id: int, args: OrganizationArgs, live: Mapping[str, Any]
    ) -> bool:
        """Submit the declared validation types the organization lacks; True if any were."""
        present = {
            as_dict(v).get("type")
            for v in live.get("validations") or []
            if as_dict(v).get("status") in ("active", "pending", "validated", "completed")
        }
        missing = [v for v in args.validations if v.type not in present]
        if missing:
            self.api.organizations.submit_validation(
                organization_id, [v.model_dump(exclude_none=True) for v in missing]
            )
        return bool(missing)

    def _outputs(
        self,
        inputs: Mapping[str, Any],
        live: Mapping[str, Any],
        *,
        adopted: bool,
        olds: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        outs = self.recorded_inputs(inputs, olds)
        live_validations = {
            as_dict(v).get("type"): as_dict(v) for v in live.get("validations") or []
        }
        outs["validations"] = [
            {
                **entry,
                "status": live_validations.get(entry.get("type"), {}).get("status", "pending"),
                "validated_until": live_validations.get(entry.get("type"), {}).get(
                    "validated_until"
                ),
            }
            for entry in outs.get("validations") or []
        ]
        outs.update(
            organization_id=int(live["id"]),
            status=live.get("status") or ("active" if live.get("is_active") else None),
            is_active=bool(live.get("is_active", live.get("status") == "active")),
            display_name=live.get("display_name") or live.get("name"),
            adopted=adopted,
        )
        return outs

    # -- lifecycle -------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = parse_args(OrganizationArgs, props)
        adopted = False
        existing = None if args.skip_duplicate_org_check else self._find_existing(args)
        if existing is not None:
            adopted = True
            organization_id = int(existing["id"])
        else:
            organization_id = self._post(args)
        live = as_dict(self.api.organizations.get(organization_id))
        if adopted:
            desired = self._contacts_payload(
                args, had_technical=contact_from_api(live.get("technical_contact")) is not None
            )
            current = {
                "organization_contact": contact_from_api(live.get("organization_contact")),
                "technical_contact": contact_from_api(live.get("technical_contact")),
            }
            wanted = {
                "organization_contact": args.organization_contact.model_dump(exclude_none=True)
                if args.organization_contact
                else current["organization_contact"],
                "technical_contact": args.technical_contact.model_dump(exclude_none=True)
                if args.technical_contact
                else None,
            }
            if desired and wanted != current:
                self.api.organizations.update_contacts(organization_id, desired)
            self._submit_missing_validations(organization_id, args, live)
        elif args.technical_contact is not None:
            self.api.organizations.update_contacts(
                organization_id, self._contacts_payload(args, had_technical=False)
            )
        return CreateResult(str(organization_id), self._outputs(props, live, adopted=adopted))

    def _post(self, args: OrganizationArgs) -> int:
        body = self._create_body(args)
        try:
            return int(self.api.organizations.create(body).id)
        except errors.OutcomeUnknownError:
            found = lookup_after_unknown_outcome(lambda: self._find_existing(args))
            if found is not None:
                return int(found["id"])
            return int(self.api.organizations.create(body).id)
        except errors.BadRequestError as exc:
            # The duplicate check refused: an identical organization appeared meanwhile.
            if not args.skip_duplicate_org_check and any("duplicate" in code for code in exc.codes):
                found = self._find_existing(args)
                if found is not None:
                    return int(found["id"])
            raise

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            live = as_dict(self.api.organizations.get(int(id_)))
        except errors.NotFoundError:
            return ReadResult("", {})
        inputs = self.keep_declared_spelling(self._live_inputs(live, props), props)
        outs = self._outputs(inputs, live, adopted=bool(props.get("adopted")), olds=props)
        return ReadResult(id_, outs, inputs)

    def _live_inputs(self, live: Mapping[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        """Inputs as they stand in CertCentral, so the next preview shows only real drift."""
        inputs = {name: props.get(name) for name in (f.name for f in FIELDS)}
        for name in ("name", "assumed_name", "address", "address2", "city", "state", "zip"):
            inputs[name] = live.get(name) or None
        inputs["country"] = str(live.get("country") or "").lower() or None
        inputs["telephone"] = live.get("telephone") or None
        container = as_dict(live.get("container"))
        if props.get("container_id") is not None:
            inputs["container_id"] = container.get("id") or props.get("container_id")
        inputs["organization_contact"] = contact_from_api(live.get("organization_contact"))
        inputs["technical_contact"] = contact_from_api(live.get("technical_contact"))
        live_types = {
            as_dict(v).get("type")
            for v in live.get("validations") or []
            if as_dict(v).get("status") not in ("expired", "rejected", "failed")
        }
        inputs["validations"] = [
            {k: v for k, v in as_dict(entry).items() if k in ("type", "verified_users")}
            for entry in props.get("validations") or []
            if as_dict(entry).get("type") in live_types
        ]
        return inputs

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        args = parse_args(OrganizationArgs, news)
        organization_id = int(id_)
        contacts_changed = any(
            self.field_changed(f, olds, news) for f in FIELDS if f.name.endswith("_contact")
        )
        if contacts_changed:
            payload = self._contacts_payload(
                args, had_technical=olds.get("technical_contact") is not None
            )
            if payload:
                self.api.organizations.update_contacts(organization_id, payload)
        by_name = {f.name: f for f in FIELDS}
        if not self.field_changed(by_name["validations"], olds, news):
            # A contact change cannot change status or validations: carry them.
            outs = {k: v for k, v in olds.items() if k != "__provider"}
            outs.update(self.recorded_inputs(news, olds))
            outs["validations"] = olds.get("validations") or []
            return UpdateResult(outs)
        live = as_dict(self.api.organizations.get(organization_id))
        if self._submit_missing_validations(organization_id, args, live):
            live = as_dict(self.api.organizations.get(organization_id))
        return UpdateResult(self._outputs(news, live, adopted=bool(olds.get("adopted")), olds=olds))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if props.get("adopted"):
            # It existed before this stack adopted it: leave it in CertCentral.
            return
        try:
            self.api.organizations.delete(int(id_))
        except errors.NotFoundError:
            return
        except (errors.BadRequestError, errors.PermissionDeniedError, errors.ConflictError) as exc:
            raise ResourceError(
                f"CertCentral refused to delete organization {id_} ({api_detail(exc)}), as it "
                "does while any order references it: to remove it from the stack and keep it in "
                "CertCentral, set the resource option retain_on_delete=True (or run "
                "`pulumi state delete`).",
            ) from exc


class Organization(pulumi.dynamic.Resource, module="digicert", name="Organization"):
    """A CertCentral organization (the legal entity named on OV/EV, code and document signing
    certificates).

    Its legal identity cannot be changed through the API, so changing it replaces the
    organization. Organizations are long-lived: consider ``retain_on_delete=True``.
    """

    organization_id: pulumi.Output[int]
    """CertCentral's id of the organization."""
    status: pulumi.Output[str]
    """``active`` or ``inactive``."""
    is_active: pulumi.Output[bool]
    display_name: pulumi.Output[str]
    """Name plus assumed name, as CertCentral shows it."""
    validations: pulumi.Output[list[dict[str, Any]]]
    """Each declared validation type with its ``status`` and ``validated_until``."""
    adopted: pulumi.Output[bool]
    """True when create found this organization already in the account and took it over."""

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        address: pulumi.Input[str],
        city: pulumi.Input[str],
        state: pulumi.Input[str],
        zip: pulumi.Input[str],
        country: pulumi.Input[str],
        assumed_name: pulumi.Input[str] | None = None,
        address2: pulumi.Input[str] | None = None,
        telephone: pulumi.Input[str] | None = None,
        organization_contact: pulumi.Input[Mapping[str, Any]] | None = None,
        technical_contact: pulumi.Input[Mapping[str, Any]] | None = None,
        container_id: pulumi.Input[int] | None = None,
        validations: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
        skip_duplicate_org_check: pulumi.Input[bool] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "name": name,
            "assumed_name": assumed_name,
            "address": address,
            "address2": address2,
            "city": city,
            "state": state,
            "zip": zip,
            "country": country,
            "telephone": telephone,
            "organization_contact": organization_contact,
            "technical_contact": technical_contact,
            "container_id": container_id,
            "validations": validations,
            "skip_duplicate_org_check": skip_duplicate_org_check,
            "organization_id": None,
            "status": None,
            "is_active": None,
            "display_name": None,
            "adopted": None,
        }
        super().__init__(OrganizationProvider(), resource_name, props, opts)
