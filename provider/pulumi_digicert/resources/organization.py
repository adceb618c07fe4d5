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
| `delete_on_destroy` | bool | state | default false: a deleted resource leaves the organization in CertCentral |

Outputs: `organization_id`, `status`, `is_active`, `display_name`, `validations` (each declared
type with its `status` and `validated_until`), `adopted`; `container_id` records the container
CertCentral holds the organization in.

The legal identity is compared one way everywhere: text without regard to case or runs of
white space, an absent value as empty, ``container_id`` only where declared. diff plans a
replacement only for a change under that comparison, and create adopts an active organization
only when every identity field matches under it; so a replacement can never adopt the
organization it replaces (which the engine then deletes). ``skip_duplicate_org_check`` never
adopts.

Delete keeps the organization in CertCentral unless ``delete_on_destroy`` is true and this
resource created it: a validated organization is days of human work, costs nothing to keep and
may be held by other declarations. When deletion is asked for and CertCentral refuses (orders
reference the organization, or it is the account's first), the organization is kept too. Every
organization left in CertCentral is named in one line on stderr, which the engine shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
import pydantic
from pulumi.dynamic import CheckFailure, CreateResult, ReadResult, UpdateResult

from pulumi_digicert._engine_values import (
    canonical_id,
    contains_unknown,
    is_unknown,
    plain_inputs,
)
from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert._notice import notice
from pulumi_digicert.client import errors
from pulumi_digicert.resources._args import (
    Args,
    ContactArgs,
    CountryCode,
    NonEmpty,
    PositiveId,
    Short,
    ValidationType,
    declared_contact,
    parse_args,
)
from pulumi_digicert.resources._pickling import restore_pickler
from pulumi_digicert.resources._provider import Field, Mode, Provider

if TYPE_CHECKING:
    from pulumi_digicert.client import models

IDENTITY_TEXT_FIELDS = (
    "name",
    "assumed_name",
    "address",
    "address2",
    "city",
    "state",
    "zip",
    "country",
    "telephone",
)
# The legal identity: its text, and the container it belongs to.
IDENTITY_FIELDS = (*IDENTITY_TEXT_FIELDS, "container_id")

FIELDS: tuple[Field, ...] = (
    *(Field(name, Mode.REPLACE, note="legal identity") for name in IDENTITY_FIELDS),
    Field("organization_contact", Mode.UPDATE, note="PUT /organization/{id}/contact"),
    Field("technical_contact", Mode.UPDATE, note="PUT /organization/{id}/contact"),
    Field("validations", Mode.UPDATE, note="added types are submitted for validation"),
    Field("skip_duplicate_org_check", Mode.STATE, note="create only"),
    Field("delete_on_destroy", Mode.STATE, note="read by delete"),
)

_ACTIVE_VALIDATION_STATUSES = ("active", "pending", "validated", "completed")


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
    delete_on_destroy: bool = False

    def create_body(self) -> dict[str, Any]:
        """The body of ``POST /organization`` for this declaration."""
        body = self.model_dump(include=set(IDENTITY_TEXT_FIELDS), exclude_none=True)
        if self.organization_contact is not None:
            body["organization_contact"] = self.organization_contact.request_body()
        if self.container_id is not None:
            body["container"] = {"id": self.container_id}
        if self.validations:
            body["validations"] = [v.model_dump(exclude_none=True) for v in self.validations]
        if self.skip_duplicate_org_check:
            body["skip_duplicate_org_check"] = True
        return body

    def contacts_body(self, *, had_technical: bool) -> list[dict[str, Any]]:
        """The contacts of ``PUT /organization/{id}/contact``; a technical contact the
        organization had and the declaration dropped is removed (``contact_type`` alone)."""
        contacts: list[dict[str, Any]] = []
        if self.organization_contact is not None:
            contacts.append(self.organization_contact.request_body("organization_contact"))
        if self.technical_contact is not None:
            contacts.append(self.technical_contact.request_body("technical_contact"))
        elif had_technical:
            contacts.append({"contact_type": "technical_contact"})
        return contacts


def identity_text(value: Any) -> str:
    """The one comparison form of a legal-identity text field, for diff and adoption alike."""
    return " ".join(str(value if value is not None else "").split()).casefold()


def live_container_id(live: models.Organization) -> int | None:
    return live.container.id if live.container is not None else None


def same_identity(live: models.Organization, args: OrganizationArgs) -> bool:
    """Whether ``live`` is the organization ``args`` declares, compared exactly as diff compares."""
    for name in IDENTITY_TEXT_FIELDS:
        if identity_text(getattr(live, name)) != identity_text(getattr(args, name)):
            return False
    return args.container_id is None or live_container_id(live) == args.container_id


def _id(live: models.Organization) -> int:
    if live.id is None:
        raise TypeError("the organization carries no id")
    return live.id


def _declared_validation(entry: Any) -> dict[str, Any]:
    """A recorded validation entry with its declared keys only (outputs add status)."""
    items = entry.items() if isinstance(entry, Mapping) else ()
    return {k: v for k, v in items if k in ("type", "verified_users")}


class OrganizationProvider(Provider):
    fields: ClassVar[tuple[Field, ...]] = FIELDS
    args_model = OrganizationArgs
    defaults: ClassVar[Mapping[str, Any]] = {
        "skip_duplicate_org_check": False,
        "delete_on_destroy": False,
        "validations": [],
    }
    id_fields: ClassVar[frozenset[str]] = frozenset({"container_id"})

    def normalise(self, name: str, value: Any) -> Any:
        value = super().normalise(name, value)
        if name in IDENTITY_TEXT_FIELDS:
            return identity_text(value)
        if name == "validations":
            # Order does not matter; only the declared keys do (outputs add status).
            entries = [_declared_validation(e) for e in (value or [])]
            return sorted(entries, key=lambda e: str(e.get("type")))
        return value

    def field_changed(
        self, field: Field, olds: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> bool:
        if field.name != "container_id":
            return super().field_changed(field, olds, inputs)
        # Undeclared means wherever CertCentral puts it; olds record the container it is in.
        new = inputs.get("container_id")
        if new is None:
            return False
        if contains_unknown(new):
            return True
        return bool(canonical_id(olds.get("container_id")) != canonical_id(new))

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

    def _matching(self, args: OrganizationArgs) -> list[models.Organization]:
        """Active organizations that are this declaration, oldest first."""
        # "Contains" one word of the name: white space and case differences stay findable.
        word = max(args.name.split(), key=len)
        candidates = self.api.organizations.list(status="active", search=f"%{word}")
        matches = [o for o in candidates if same_identity(o, args)]
        return sorted(matches, key=lambda o: o.id or 0)

    def _find_existing(self, args: OrganizationArgs) -> models.Organization | None:
        matches = self._matching(args)
        return matches[0] if matches else None

    def _submit_missing_validations(
        self, organization_id: int, args: OrganizationArgs, live: models.Organization
    ) -> bool:
        """Submit the declared validation types the organization lacks; True if any were."""
        present = {v.type for v in live.validations if v.status in _ACTIVE_VALIDATION_STATUSES}
        missing = [v for v in args.validations if v.type not in present]
        if missing:
            self.api.organizations.submit_validation(
                organization_id, [v.model_dump(exclude_none=True) for v in missing]
            )
        return bool(missing)

    def _outputs(
        self,
        inputs: Mapping[str, Any],
        live: models.Organization,
        *,
        adopted: bool,
        olds: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        outs = self.recorded_inputs(inputs, olds)
        live_validations = {v.type: v for v in live.validations}
        outs["validations"] = [
            {
                **entry,
                "status": found.status if found is not None else "pending",
                "validated_until": found.validated_until if found is not None else None,
            }
            for entry in outs.get("validations") or []
            for found in [live_validations.get(entry.get("type"))]
        ]
        container_id = live_container_id(live)
        if container_id is not None:
            outs["container_id"] = container_id
        outs.update(
            organization_id=_id(live),
            status=live.status or ("active" if live.is_active else None),
            is_active=bool(live.is_active),
            display_name=live.display_name or live.name,
            adopted=adopted,
        )
        return outs

    # -- lifecycle -------------------------------------------------------------------

    def _get(self, organization_id: int) -> models.Organization:
        # Organization info carries validations only when asked (ORG-INFO).
        return self.api.organizations.get(organization_id, include_validation=True)

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = plain_inputs(props)
        args = parse_args(OrganizationArgs, inputs)
        preexisting = self._matching(args)
        if preexisting and not args.skip_duplicate_org_check:
            organization_id, adopted = _id(preexisting[0]), True
        else:
            organization_id, adopted = self._post(args, {_id(o) for o in preexisting})
        live = self._get(organization_id)
        if adopted:
            current = {
                "organization_contact": declared_contact(live.organization_contact),
                "technical_contact": declared_contact(live.technical_contact),
            }
            desired = args.contacts_body(had_technical=current["technical_contact"] is not None)
            wanted = {
                "organization_contact": args.organization_contact.request_body()
                if args.organization_contact
                else current["organization_contact"],
                "technical_contact": args.technical_contact.request_body()
                if args.technical_contact
                else None,
            }
            if desired and wanted != current:
                self.api.organizations.update_contacts(organization_id, desired)
            self._submit_missing_validations(organization_id, args, live)
        elif args.technical_contact is not None:
            self.api.organizations.update_contacts(
                organization_id, args.contacts_body(had_technical=False)
            )
        return CreateResult(str(organization_id), self._outputs(inputs, live, adopted=adopted))

    def _post(self, args: OrganizationArgs, preexisting: set[int]) -> tuple[int, bool]:
        """Create the organization; returns its id and whether it existed before (adopted).

        ``preexisting`` are the matching organizations seen before the request: one of them
        coming back (an older CertCentral reuses a duplicate instead of refusing it), or found
        after an unknown outcome, is not ours to delete.
        """
        body = args.create_body()

        def created_by_us() -> models.Organization | None:
            fresh = [o for o in self._matching(args) if o.id not in preexisting]
            return fresh[0] if fresh else None

        try:
            organization_id = self.api.organizations.create(body).id
            return organization_id, organization_id in preexisting
        except errors.OutcomeUnknownError:
            found = self.api.find_after_unknown_outcome(created_by_us)
            if found is not None:
                return _id(found), False
            organization_id = self.api.organizations.create(body).id
            return organization_id, organization_id in preexisting
        except errors.BadRequestError as exc:
            if args.skip_duplicate_org_check or not any("duplicate" in c for c in exc.codes):
                raise
            # The duplicate check refused. Either an identical organization appeared meanwhile
            # (another declaration of it, or a person in the console): held, not owned. Or
            # CertCentral's check ignores a field this declaration differs in (telephone, say):
            # the declaration is another organization, and a refused request created nothing.
            existing = self._find_existing(args)
            if existing is not None:
                return _id(existing), True
            notice(
                f"CertCentral matched organization {args.name!r} to an existing one that differs "
                "from this declaration; creating it as declared (skip_duplicate_org_check)"
            )
            organization_id = self.api.organizations.create(
                {**body, "skip_duplicate_org_check": True}
            ).id
            return organization_id, organization_id in preexisting

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            live = self._get(int(id_))
        except errors.NotFoundError:
            return ReadResult("", {})
        # props are the prior outputs, whose validations carry status: compare declared keys only.
        declared = {**props, "validations": self.normalise("validations", props.get("validations"))}
        inputs = self.keep_declared_spelling(self._live_inputs(live, declared), declared)
        outs = self._outputs(inputs, live, adopted=bool(props.get("adopted")), olds=props)
        return ReadResult(id_, outs, inputs)

    def _live_inputs(self, live: models.Organization, props: Mapping[str, Any]) -> dict[str, Any]:
        """Inputs as they stand in CertCentral, so the next preview shows only real drift."""
        inputs = {name: props.get(name) for name in (f.name for f in FIELDS)}
        for name in ("name", "assumed_name", "address", "address2", "city", "state", "zip"):
            inputs[name] = getattr(live, name) or None
        inputs["country"] = str(live.country or "").lower() or None
        inputs["telephone"] = live.telephone or None
        inputs["organization_contact"] = declared_contact(live.organization_contact)
        inputs["technical_contact"] = declared_contact(live.technical_contact)
        live_types = {
            v.type for v in live.validations if v.status not in ("expired", "rejected", "failed")
        }
        inputs["validations"] = [
            _declared_validation(entry)
            for entry in props.get("validations") or []
            # Saved state may be damaged: a type that is not a string is no declared type.
            if isinstance(entry, Mapping)
            and isinstance(entry.get("type"), str)
            and entry["type"] in live_types
        ]
        return inputs

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = plain_inputs(news)
        args = parse_args(OrganizationArgs, inputs)
        organization_id = int(id_)
        if self.changed(olds, inputs, "organization_contact", "technical_contact"):
            payload = args.contacts_body(had_technical=olds.get("technical_contact") is not None)
            if payload:
                self.api.organizations.update_contacts(organization_id, payload)
        if not self.changed(olds, inputs, "validations"):
            # A contact change cannot change status or validations: carry them.
            outs = self.carried_with(olds, inputs)
            outs["validations"] = olds.get("validations") or []
            if outs.get("container_id") is None:
                outs["container_id"] = olds.get("container_id")
            return UpdateResult(outs)
        live = self._get(organization_id)
        if self._submit_missing_validations(organization_id, args, live):
            live = self._get(organization_id)
        return UpdateResult(
            self._outputs(inputs, live, adopted=bool(olds.get("adopted")), olds=olds)
        )

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if props.get("adopted"):
            notice(f"organization {id_} kept in CertCentral: it existed before this stack held it")
            return
        if not props.get("delete_on_destroy"):
            notice(
                f"organization {id_} kept in CertCentral (set delete_on_destroy to delete it with "
                "its resource)"
            )
            return
        try:
            self.api.organizations.delete(int(id_))
        except errors.NotFoundError:
            return
        except (errors.BadRequestError, errors.ConflictError) as exc:
            # In use by orders, or the account's first organization: nothing the stack can change.
            notice(
                f"organization {id_} kept in CertCentral: it refused the delete "
                f"({errors.detail_text(exc)})"
            )
        except errors.PermissionDeniedError as exc:
            raise ResourceError(
                f"CertCentral refused to delete organization {id_} because the API key may not "
                f"({errors.detail_text(exc)}); use digicert:apiKey of a user who may delete "
                "organizations, or set delete_on_destroy to false to keep it."
            ) from None


class Organization(pulumi.dynamic.Resource, module="digicert", name="Organization"):
    """A CertCentral organization (the legal entity named on OV/EV, code and document signing
    certificates).

    Its legal identity cannot be changed through the API, so changing it replaces the
    organization. Deleting the resource keeps the organization in CertCentral unless
    ``delete_on_destroy`` is true.
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
    container_id: pulumi.Output[int]
    """The container (division) CertCentral holds the organization in."""

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
        delete_on_destroy: pulumi.Input[bool] | None = None,
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
            "delete_on_destroy": delete_on_destroy,
            "organization_id": None,
            "status": None,
            "is_active": None,
            "display_name": None,
            "adopted": None,
        }
        super().__init__(OrganizationProvider(), resource_name, props, opts)
        restore_pickler()
