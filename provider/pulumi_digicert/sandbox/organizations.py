"""Organizations: create (with the duplicate-details check), info, list, delete, contacts and
validation (API.md section A)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import ApiError, bad_request, not_found
from .routes import Endpoint
from .schemas import (
    VALIDATED_LIST,
    ContactsUpdate,
    ContactUpdate,
    NoBody,
    OrderContactUpdate,
    OrganizationCreate,
    OrganizationValidation,
    OrganizationValidationSubmit,
    Query,
    search_matches,
)
from .store import Row
from .validations import (
    complete_validation,
    due_for_auto_validation,
    pending_since,
    reject_validation,
    render_validation,
    start_validation,
)

if TYPE_CHECKING:
    from .state import Ctx

IDENTITY_FIELDS = ("name", "assumed_name", "address", "address2", "city", "state", "zip", "country")
VERIFIED_USERS_REQUIRED = {"ev", "cs", "ev_cs"}
NEW_USER_FIELDS = ("first_name", "last_name", "job_title", "telephone", "email")
CONTACT_FIELDS = ("first_name", "last_name", "email", "job_title", "telephone")
OPTIONAL_CONTACT_FIELDS = ("job_title", "telephone", "telephone_extension", "language_id")


def load(ctx: Ctx, organization_id: int) -> Row:
    return ctx.owned("organizations", organization_id, "organization")


def referenced(ctx: Ctx, organization_id: int, *, active: bool) -> Row:
    """An organization named in a request body: 400 ``invalid_organization`` when it is not
    the caller's (or, with ``active``, not active)."""
    organization = ctx.tx.get("organizations", organization_id)
    if organization is None or organization["account_id"] != ctx.account_id:
        raise bad_request(
            "invalid_organization",
            f"Organization {organization_id} does not exist in this account.",
        )
    if active and organization["status"] != "active":
        raise bad_request("invalid_organization", f"Organization {organization_id} is not active.")
    return organization


def save(ctx: Ctx, organization: Row) -> None:
    organization["pending_since"] = pending_since(organization["validations"])
    ctx.tx.put("organizations", organization)


def _identity(values: Row) -> tuple[str, ...]:
    return tuple(str(values.get(field) or "").strip().lower() for field in IDENTITY_FIELDS)


def check_container(ctx: Ctx, container_id: int | None) -> None:
    if container_id is not None and container_id != ctx.account["container"]["id"]:
        raise not_found("container", f"Container {container_id} does not exist in this account.")


def create(ctx: Ctx, body: OrganizationCreate) -> dict[str, Any]:
    values = body.model_dump(exclude={"validations", "skip_duplicate_org_check", "container"})
    check_container(ctx, body.container.id if body.container else None)
    if body.assumed_name and len(body.name) + len(body.assumed_name) > 61:
        raise bad_request(
            "invalid_field|assumed_name",
            "name and assumed_name together must be at most 61 characters.",
        )
    validations = _checked_validations(body.validations or [], "validations")
    if not body.skip_duplicate_org_check:
        identity = _identity(values)
        for existing in ctx.tx.select("organizations", "account_id = ?", (ctx.account_id,)):
            if _identity(existing) == identity:
                raise bad_request(
                    "duplicate_organization",
                    f"An organization with these details already exists (id {existing['id']}). "
                    "Send skip_duplicate_org_check to create another.",
                )
    organization: Row = {
        **values,
        "id": ctx.tx.next_id("organization"),
        "account_id": ctx.account_id,
        "country": body.country.lower(),
        "status": "active",
        "date_created": ctx.now,
        "validations": {},
    }
    for contact_type in ("organization_contact", "technical_contact"):
        contact = values.get(contact_type)
        organization[contact_type] = (
            {"id": ctx.tx.next_id("contact"), **contact} if contact else None
        )
    _submit(ctx, organization, validations)
    save(ctx, organization)
    return {"id": organization["id"]}


def import_existing(ctx: Ctx, account_id: int, values: Row) -> Row:
    """Control API: an organization that already exists in an account (no duplicate check)."""
    organization_id = values.pop("id", None) or ctx.tx.next_id("organization")
    organization: Row = {
        **values,
        "id": organization_id,
        "account_id": account_id,
        "country": str(values["country"]).lower(),
        "date_created": ctx.now,
        "validations": {},
        "organization_contact": None,
        "technical_contact": None,
    }
    save(ctx, organization)
    return organization


def _checked_validations(
    validations: list[OrganizationValidation], where: str
) -> list[OrganizationValidation]:
    problems: list[tuple[str, str]] = []
    for index, validation in enumerate(validations):
        path = f"{where}.{index}.verified_users"
        if validation.type in VERIFIED_USERS_REQUIRED and not validation.verified_users:
            problems.append(
                (f"missing_field|{path}", f"{validation.type} validation needs verified_users.")
            )
        for position, user in enumerate(validation.verified_users or []):
            if user.id is not None:
                continue
            for field in NEW_USER_FIELDS:
                if getattr(user, field) is None:
                    problems.append(
                        (
                            f"missing_field|{path}.{position}.{field}",
                            f"A new verified user needs {field} (or give an existing id).",
                        )
                    )
    if problems:
        raise ApiError.many(400, problems)
    return validations


def _submit(ctx: Ctx, organization: Row, validations: list[OrganizationValidation]) -> None:
    for validation in validations:
        users = None
        if validation.verified_users is not None:
            users = [
                {"id": user.id}
                if user.id is not None
                else {"id": ctx.tx.next_id("contact"), **user.model_dump(exclude={"id"})}
                for user in validation.verified_users
            ]
        start_validation(organization["validations"], validation.type, ctx.now, users)


def render(ctx: Ctx, organization: Row, *, include_validation: bool) -> dict[str, Any]:
    container = ctx.account["container"]
    name = organization["name"]
    assumed_name = organization.get("assumed_name")
    rendered: dict[str, Any] = {
        "id": organization["id"],
        "status": organization["status"],
        "name": name,
        "assumed_name": assumed_name,
        "display_name": display_name(name, assumed_name),
        "is_active": organization["status"] == "active",
        "address": organization["address"],
        "address2": organization.get("address2"),
        "zip": organization["zip"],
        "city": organization["city"],
        "state": organization["state"],
        "country": organization["country"],
        "telephone": organization.get("telephone"),
        "container": {"id": container["id"], "name": container["name"], "is_active": True},
        "organization_contact": organization.get("organization_contact"),
        "technical_contact": organization.get("technical_contact"),
    }
    if include_validation:
        rendered["validations"] = [
            render_validation(record, ctx.now) for record in organization["validations"].values()
        ]
    return rendered


def info(ctx: Ctx, organization_id: int, query: Query) -> dict[str, Any]:
    """Validations only when asked for (``include_validation=true``), as the documented list
    endpoint and public clients' fixtures show; ``GET .../validation`` always has them."""
    return render(
        ctx, load(ctx, organization_id), include_validation=query.flag("include_validation")
    )


LIST_PARAMETERS = VALIDATED_LIST | {"filters[validation]", "filters[container_id_for_organization]"}


def list_organizations(ctx: Ctx, query: Query) -> dict[str, Any]:
    status = query.choice("filters[status]", ("active", "inactive"))
    validation = query.choice("filters[validation]", ("pending", "not_pending"))
    search = query.text("filters[search]")
    container_id = query.integer("filters[container_id_for_organization]")
    include_validation = query.flag("include_validation")
    selected = []
    for organization in ctx.tx.select("organizations", "account_id = ?", (ctx.account_id,)):
        if status is not None and organization["status"] != status:
            continue
        if validation is not None:
            pending = pending_since(organization["validations"]) is not None
            if pending != (validation == "pending"):
                continue
        if search is not None and not (
            search == str(organization["id"])
            or search_matches("%" + search.lstrip("%"), organization["name"])
        ):
            continue
        if container_id is not None and container_id != ctx.account["container"]["id"]:
            continue
        selected.append(render(ctx, organization, include_validation=include_validation))
    selected = query.ordered(selected, {"id", "name", "status", "display_name"})
    page_items, page = query.page(selected)
    return {"organizations": page_items, "page": page}


def delete(ctx: Ctx, organization_id: int) -> None:
    load(ctx, organization_id)
    referenced = ctx.tx.execute(
        "SELECT id FROM orders WHERE organization_id = ? LIMIT 1", (organization_id,)
    ).fetchone()
    if referenced is not None:
        raise bad_request(
            "organization_in_use",
            "The organization cannot be deleted because it is on an order.",
        )
    ctx.tx.delete("domains", "organization_id = ?", (organization_id,))
    ctx.tx.delete("organizations", "id = ?", (organization_id,))


def display_name(name: str | None, assumed_name: str | None) -> str | None:
    """``Name (Assumed Name)``, or the name alone."""
    return f"{name} ({assumed_name})" if assumed_name else name


def check_one_contact_per_type(contacts: Sequence[ContactUpdate | OrderContactUpdate]) -> None:
    """400 ``contact_type_duplicate`` when a contact type is sent twice (organization and order
    contact updates alike)."""
    seen: set[str] = set()
    for contact in contacts:
        if contact.contact_type in seen:
            raise bad_request(
                "contact_type_duplicate",
                "A duplicate contact type was submitted. Send at most one contact per type.",
            )
        seen.add(contact.contact_type)


def update_contacts(ctx: Ctx, organization_id: int, body: ContactsUpdate) -> None:
    organization = load(ctx, organization_id)
    check_one_contact_per_type(body.contacts)
    for index, contact in enumerate(body.contacts):
        values = contact.model_dump(exclude={"contact_type"})
        if all(value is None for value in values.values()):
            if contact.contact_type == "organization_contact":
                raise bad_request(
                    "invalid_contact|organization_contact",
                    "The organization contact cannot be removed.",
                )
            organization["technical_contact"] = None
            continue
        missing = [name for name in ("first_name", "last_name", "email") if values[name] is None]
        if missing:
            raise ApiError.many(
                400,
                [
                    (f"missing_field|contacts.{index}.{name}", f"The field {name} is required.")
                    for name in missing
                ],
            )
        current = organization.get(contact.contact_type)
        same_person = current is not None and all(
            (current.get(name) or "").lower() == (values[name] or "").lower()
            for name in ("first_name", "last_name", "email")
        )
        contact_id = current["id"] if same_person and current else ctx.tx.next_id("contact")
        # Optional fields left out are cleared, as CertCentral documents.
        organization[contact.contact_type] = {"id": contact_id, **values}
    save(ctx, organization)


def submit_validation(ctx: Ctx, organization_id: int, body: OrganizationValidationSubmit) -> None:
    organization = load(ctx, organization_id)
    _submit(ctx, organization, _checked_validations(body.validations, "validations"))
    save(ctx, organization)


def list_validations(ctx: Ctx, organization_id: int) -> dict[str, Any]:
    organization = load(ctx, organization_id)
    return {
        "validations": [
            render_validation(record, ctx.now) for record in organization["validations"].values()
        ]
    }


# ------------------------------------------------------------------ control API


def finish_validation(ctx: Ctx, organization_id: int, kind: str, result: str) -> None:
    """Complete or fail one validation type (submitting it first if it never was)."""
    organization = load(ctx, organization_id)
    validations = organization["validations"]
    if kind not in validations:
        start_validation(validations, kind, ctx.now)
    if result == "complete":
        complete_validation(validations[kind], ctx.now)
    else:
        reject_validation(validations[kind])
    save(ctx, organization)


def set_status(ctx: Ctx, organization_id: int, status: str) -> None:
    organization = load(ctx, organization_id)
    organization["status"] = status
    save(ctx, organization)


def run_timed_transitions(ctx: Ctx) -> None:
    after, due = due_for_auto_validation(ctx, "organizations")
    for organization in due:
        for record in organization["validations"].values():
            submitted_at = record.get("submitted_at")
            if submitted_at is not None and submitted_at + after <= ctx.now:
                complete_validation(record, submitted_at + after)
        save(ctx, organization)


ENDPOINTS = [
    Endpoint("POST", "/organization", create, body=OrganizationCreate, status=201),
    Endpoint("GET", "/organization", list_organizations, query=LIST_PARAMETERS),
    Endpoint(
        "GET",
        "/organization/{organization_id}",
        info,
        query=frozenset({"include_validation"}),
    ),
    Endpoint("DELETE", "/organization/{organization_id}", delete, body=NoBody, status=204),
    Endpoint(
        "PUT",
        "/organization/{organization_id}/contact",
        update_contacts,
        body=ContactsUpdate,
        status=204,
    ),
    Endpoint(
        "POST",
        "/organization/{organization_id}/validation",
        submit_validation,
        body=OrganizationValidationSubmit,
        status=204,
    ),
    Endpoint("GET", "/organization/{organization_id}/validation", list_validations),
]
