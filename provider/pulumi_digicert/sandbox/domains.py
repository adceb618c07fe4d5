"""Domains and domain control validation (API.md section B)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import organizations, validations
from .errors import bad_request
from .formats import DAY, iso_date, iso_time, random_token
from .routes import Endpoint
from .schemas import (
    VALIDATED_LIST,
    DcvMethodChange,
    DcvTokenCreate,
    DomainAdd,
    DomainValidationSubmit,
    NoBody,
    Query,
    search_matches,
)
from .store import Row

if TYPE_CHECKING:
    from .state import Ctx

DCV_TOKEN_DAYS = 30
TOKEN_METHODS = ("dns-txt-token", "dns-cname-token", "http-token")
CNAME_TARGET = "dcv.digicert.com"
BASE_MAILBOXES = ("admin", "administrator", "webmaster", "hostmaster", "postmaster")
_NAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")


def normalise_dns_name(name: str) -> str:
    return name.strip().rstrip(".").lower()


def load(ctx: Ctx, domain_id: int) -> Row:
    return ctx.owned("domains", domain_id, "domain")


def save(ctx: Ctx, domain: Row) -> None:
    domain["pending_since"] = validations.pending_since(domain["validations"])
    ctx.tx.put("domains", domain)


def base_name(name: str) -> str:
    return name[2:] if name.startswith("*.") else name


def _check_method(name: str, method: str) -> None:
    if method == "http-token" and name.startswith("*."):
        raise bad_request(
            "invalid_wildcard_dcv_method",
            "File-based (http-token) DCV cannot validate a wildcard name; use email, "
            "dns-txt-token or dns-cname-token.",
        )


def _new_token(ctx: Ctx) -> Row:
    return {
        "token": random_token(),
        "created_at": ctx.now,
        "expires_at": ctx.now + DCV_TOKEN_DAYS * DAY,
        "validated": False,
    }


def _set_method(ctx: Ctx, domain: Row, method: str) -> None:
    _check_method(domain["name"], method)
    domain["dcv_method"] = method
    domain["dcv_token"] = _new_token(ctx) if method in TOKEN_METHODS else None


def render_token(domain: Row) -> dict[str, Any] | None:
    token = domain.get("dcv_token")
    if token is None:
        return None
    method = domain["dcv_method"]
    return {
        "token": token["token"],
        "status": "active" if token["validated"] else "pending",
        "expiration_date": iso_time(token["expires_at"]),
        "verification_value": CNAME_TARGET if method == "dns-cname-token" else None,
        "http_token_url": (
            f"http://{domain['name']}/.well-known/pki-validation/fileauth.txt"
            if method == "http-token"
            else None
        ),
    }


def _validation_emails(domain: Row) -> dict[str, Any]:
    base = base_name(domain["name"])
    return {
        "name_scope": base,
        "base_emails": [f"{mailbox}@{base}" for mailbox in BASE_MAILBOXES],
        "whois_emails": [],
        "email_array": domain.get("email_array") or [],
    }


def _dcv_details(domain: Row) -> dict[str, Any]:
    """``dcv_token`` for token methods, ``validation_emails`` for email."""
    if domain["dcv_method"] == "email":
        return {"validation_emails": _validation_emails(domain)}
    return {"dcv_token": render_token(domain)}


def stored_name(name: str, method: str, keep_www: bool) -> str:
    """The name CertCentral adds: file-based DCV (``http-token``) validates the exact name, so
    ``www.`` stays; email and DNS methods drop a leading ``www.`` unless ``keep_www`` (DigiCert
    change log, "Keep the www subdomain label when adding a domain")."""
    name = normalise_dns_name(name)
    if method != "http-token" and not keep_www and name.startswith("www."):
        return name[4:]
    return name


def add(ctx: Ctx, body: DomainAdd) -> dict[str, Any]:
    method = body.dcv_method or "email"
    name = stored_name(body.name, method, bool(body.keep_www))
    if not _NAME.match(name):
        raise bad_request("invalid_field|name", "The domain name is not valid.")
    organizations.referenced(ctx, body.organization.id, active=False)
    _check_method(name, method)
    if ctx.tx.select(
        "domains",
        "account_id = ? AND organization_id = ? AND name = ?",
        (ctx.account_id, body.organization.id, name),
    ):
        raise bad_request(
            "duplicate_domain", f"The domain {name} already exists for this organization."
        )
    domain: Row = {
        "id": ctx.tx.next_id("domain"),
        "account_id": ctx.account_id,
        "organization_id": body.organization.id,
        "name": name,
        "is_active": True,
        "date_created": ctx.now,
        "email_array": body.email_array,
        "validations": {},
        "dcv_approval_at": None,
        "last_submitted_at": ctx.now,
    }
    _set_method(ctx, domain, method)
    for validation in body.validations:
        validations.start_validation(domain["validations"], validation.type, ctx.now)
    save(ctx, domain)
    return {"id": domain["id"], **_dcv_details(domain)}


def _render_validations(domain: Row, now: float) -> list[dict[str, Any]]:
    rendered = []
    for record in domain["validations"].values():
        item = validations.render_validation(record, now)
        status = item["status"]
        item["dcv_status"] = {"active": "complete", "rejected": "failed"}.get(status, "pending")
        rendered.append(item)
    return rendered


def _organization_summary(ctx: Ctx, domain: Row) -> dict[str, Any]:
    organization = ctx.tx.get("organizations", domain["organization_id"]) or {}
    name = organization.get("name")
    assumed_name = organization.get("assumed_name")
    active = organization.get("status") == "active"
    return {
        "id": domain["organization_id"],
        "status": organization.get("status"),
        "name": name,
        "assumed_name": assumed_name,
        "display_name": organizations.display_name(name, assumed_name),
        "is_active": "1" if active else "0",
    }


def _expiration(domain: Row, kind: str) -> float | None:
    record = domain["validations"].get(kind)
    return record.get("validated_until") if record else None


def _statuses(domain: Row, now: float) -> list[str]:
    return [validations.validation_status(record, now) for record in domain["validations"].values()]


def render(ctx: Ctx, domain: Row, *, include_dcv: bool, include_validation: bool) -> dict[str, Any]:
    statuses = _statuses(domain, ctx.now)
    container = ctx.account["container"]
    approval = domain.get("dcv_approval_at")
    rendered: dict[str, Any] = {
        "id": domain["id"],
        "name": domain["name"],
        "is_active": domain["is_active"],
        "status": "approved" if "active" in statuses else "pending",
        "is_pending_validation": validations.pending_since(domain["validations"]) is not None,
        "date_created": iso_time(domain["date_created"]),
        "dcv_approval_datetime": iso_time(approval) if approval is not None else None,
        "dcv_method": domain["dcv_method"],
        "organization": _organization_summary(ctx, domain),
        "container": {"id": container["id"], "name": container["name"], "is_active": True},
    }
    if include_dcv:
        expires = [
            until
            for until in (_expiration(domain, kind) for kind in domain["validations"])
            if until is not None
        ]
        rendered["dcv_token"] = render_token(domain)
        rendered["dcv_expiration_datetime"] = iso_time(max(expires)) if expires else None
    if include_validation:
        rendered["validations"] = _render_validations(domain, ctx.now)
    return rendered


def info(ctx: Ctx, domain_id: int, query: Query) -> dict[str, Any]:
    return render(
        ctx,
        load(ctx, domain_id),
        include_dcv=query.flag("include_dcv"),
        include_validation=query.flag("include_validation"),
    )


INFO_PARAMETERS = frozenset(
    {"include_dcv", "include_validation", "include_validation_reuse_status"}
)
LIST_PARAMETERS = VALIDATED_LIST | {"include_dcv_expiration_time", "filters[dcv_method]"}


def list_domains(ctx: Ctx, query: Query) -> dict[str, Any]:
    status = query.choice("filters[status]", ("active", "inactive"))
    method = query.choice("filters[dcv_method]", ("email", *TOKEN_METHODS))
    search = query.text("filters[search]")
    include_validation = query.flag("include_validation")
    exact_time = query.flag("include_dcv_expiration_time")
    selected = []
    for domain in ctx.tx.select("domains", "account_id = ?", (ctx.account_id,)):
        if status is not None and domain["is_active"] != (status == "active"):
            continue
        if method is not None and domain["dcv_method"] != method:
            continue
        if not search_matches(search, domain["name"]):
            continue
        item = render(ctx, domain, include_dcv=False, include_validation=include_validation)
        submitted = domain.get("last_submitted_at")
        item["last_submitted_datetime"] = iso_time(submitted) if submitted is not None else None
        expiration: dict[str, Any] = {}
        for kind in ("ov", "ev"):
            until = _expiration(domain, kind)
            if until is not None:
                expiration[kind] = iso_time(until) if exact_time else iso_date(until)
        item["dcv_expiration"] = expiration
        del item["status"], item["is_pending_validation"]
        selected.append(item)
    selected = query.ordered(selected, {"id", "name", "date_created"})
    page_items, page = query.page(selected)
    return {"domains": page_items, "page": page}


def change_dcv_method(ctx: Ctx, domain_id: int, body: DcvMethodChange) -> dict[str, Any]:
    domain = load(ctx, domain_id)
    _set_method(ctx, domain, body.dcv_method)
    save(ctx, domain)
    # Older pages show {} for email; newer ones return the recipients.
    return _dcv_details(domain)


def _require_token_method(domain: Row) -> Row:
    token = domain.get("dcv_token")
    if domain["dcv_method"] not in TOKEN_METHODS or token is None:
        raise bad_request(
            "invalid_dcv_method",
            "The domain's DCV method is not token based (dns-txt-token, dns-cname-token or "
            "http-token).",
        )
    return dict(token)


def _published(ctx: Ctx, name: str, record_type: str) -> list[str]:
    rows = ctx.tx.execute(
        "SELECT value FROM dns_records WHERE name = ? AND type = ?", (name, record_type)
    ).fetchall()
    return [str(row[0]).strip().strip('"').rstrip(".").lower() for row in rows]


def _token_published(ctx: Ctx, domain: Row, token: str) -> bool:
    base = base_name(domain["name"])
    token = token.lower()
    for name in (base, f"_dnsauth.{base}"):
        if any(token in value for value in _published(ctx, name, "TXT")):
            return True
    if domain["dcv_method"] == "dns-cname-token":
        return CNAME_TARGET in _published(ctx, f"{token}.{base}", "CNAME") or any(
            token in value for value in _published(ctx, f"_dnsauth.{base}", "CNAME")
        )
    return False


# What a failed check answers, per method: 400 with a code naming what was not found.
# ``invalid_dns_txt`` is the code public clients match on; the other two are the sandbox's.
CHECK_FAILURES: dict[str, tuple[str, str]] = {
    "dns-txt-token": ("invalid_dns_txt", "The DNS TXT record with the random value was not found."),
    "dns-cname-token": (
        "invalid_dns_cname",
        "The DNS CNAME record with the random value was not found.",
    ),
    "http-token": ("invalid_http_token", "The file with the random value was not found."),
}


def check_dcv(ctx: Ctx, domain_id: int) -> dict[str, Any]:
    """``PUT /domain/{id}/dcv/validate-token``: look for the token in published DNS now.

    200 ``active`` when found (or already validated); a failed check is a 400, as CertCentral
    answers it, never a 200 ``pending``.
    """
    domain = load(ctx, domain_id)
    token = _require_token_method(domain)
    if token["validated"]:
        return {"token": token["token"], "status": "active"}
    fresh = token["expires_at"] > ctx.now
    if (
        fresh
        and domain["dcv_method"] != "http-token"
        and _token_published(ctx, domain, token["token"])
    ):
        complete_dcv(domain, ctx.now)
        save(ctx, domain)
        return {"token": token["token"], "status": "active"}
    code, message = CHECK_FAILURES[domain["dcv_method"]]
    if not fresh:
        message = "The random value has expired; generate a new one."
    raise bad_request(code, message)


def complete_dcv(domain: Row, when: float) -> None:
    if domain.get("dcv_token") is not None:
        domain["dcv_token"]["validated"] = True
    for record in domain["validations"].values():
        if record.get("submitted_at") is not None or not record.get("validated_until"):
            validations.complete_validation(record, when)
    domain["dcv_approval_at"] = when


def new_dcv_token(ctx: Ctx, domain_id: int, body: DcvTokenCreate) -> dict[str, Any]:
    """``POST /domain/{id}/dcv/token``: a new random value (the body's ``validations`` is
    deprecated and ignored, as documented)."""
    domain = load(ctx, domain_id)
    _require_token_method(domain)
    domain["dcv_token"] = _new_token(ctx)
    save(ctx, domain)
    rendered = render_token(domain) or {}
    return {
        "token": rendered["token"],
        "expiration_date": rendered["expiration_date"],
        "http_token_url": rendered.get("http_token_url"),
    }


def submit_validation(
    ctx: Ctx, domain_id: int, body: DomainValidationSubmit
) -> dict[str, Any] | None:
    """``POST /domain/{id}/validation``: a body (201) only when ``dcv_method`` is given."""
    domain = load(ctx, domain_id)
    if body.email_array is not None:
        domain["email_array"] = body.email_array
    if body.dcv_method is not None:
        _set_method(ctx, domain, body.dcv_method)
    elif domain.get("dcv_token") is not None:
        domain["dcv_token"]["validated"] = False
    for validation in body.validations:
        validations.start_validation(domain["validations"], validation.type, ctx.now)
    domain["last_submitted_at"] = ctx.now
    save(ctx, domain)
    if body.dcv_method is None:
        return None
    return {"id": domain["id"], **_dcv_details(domain)}


def activate(ctx: Ctx, domain_id: int) -> None:
    _set_active(ctx, domain_id, True)


def deactivate(ctx: Ctx, domain_id: int) -> None:
    _set_active(ctx, domain_id, False)


def _set_active(ctx: Ctx, domain_id: int, active: bool) -> None:
    domain = load(ctx, domain_id)
    domain["is_active"] = active
    save(ctx, domain)


# ------------------------------------------------------------------ control API


def finish_dcv(ctx: Ctx, domain_id: int, result: str) -> None:
    domain = load(ctx, domain_id)
    if result == "complete":
        complete_dcv(domain, ctx.now)
    else:
        for record in domain["validations"].values():
            if record.get("submitted_at") is not None:
                validations.reject_validation(record)
    save(ctx, domain)


def run_timed_transitions(ctx: Ctx) -> None:
    after, due = validations.due_for_auto_validation(ctx, "domains")
    for domain in due:
        complete_dcv(domain, float(domain["pending_since"]) + after)
        save(ctx, domain)


ENDPOINTS = [
    Endpoint("POST", "/domain", add, body=DomainAdd, status=201),
    Endpoint("GET", "/domain", list_domains, query=LIST_PARAMETERS),
    Endpoint("GET", "/domain/{domain_id}", info, query=INFO_PARAMETERS),
    Endpoint("PUT", "/domain/{domain_id}/dcv/method", change_dcv_method, body=DcvMethodChange),
    Endpoint("PUT", "/domain/{domain_id}/dcv/validate-token", check_dcv, body=NoBody),
    Endpoint("POST", "/domain/{domain_id}/dcv/token", new_dcv_token, body=DcvTokenCreate),
    Endpoint(
        "POST",
        "/domain/{domain_id}/validation",
        submit_validation,
        body=DomainValidationSubmit,
        status=201,
    ),
    Endpoint("PUT", "/domain/{domain_id}/activate", activate, body=NoBody, status=204),
    Endpoint("PUT", "/domain/{domain_id}/deactivate", deactivate, body=NoBody, status=204),
]
