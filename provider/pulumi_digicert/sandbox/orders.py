"""Document signing orders, their requests, cancel, revoke and the balance they spend
(API.md sections C and D)."""

from __future__ import annotations

import base64
import textwrap
from typing import Any

from . import common, organizations
from .context import Ctx
from .errors import ApiError, bad_request, not_found
from .routing import as_row_id
from .schemas import (
    DocumentSigningOrder,
    OrderContact,
    OrderContactsUpdate,
    OrderStatusUpdate,
    Query,
    RequestStatusUpdate,
    RevokeOrder,
)
from .store import Row
from .values import DAY, iso_date, iso_time, money, random_token

PRODUCTS: dict[str, str] = {
    "document_signing_org_1": "Document Signing - Organization (2000)",
    "document_signing_org_2": "Document Signing - Organization (5000)",
}
# Price in cents by product and order validity in years; expedited token shipping costs extra.
PRICES: dict[str, dict[int, int]] = {
    "document_signing_org_1": {1: 49_900, 2: 94_800, 3: 134_700},
    "document_signing_org_2": {1: 69_900, 2: 132_800, 3: 188_700},
}
EXPEDITED_SHIPPING = 2_500
SERVER_PLATFORMS = {-1: "Other"}
CANCELABLE = ("pending", "waiting_pickup")
UNPAID = ("needs_approval", "pending", "waiting_pickup")
CSR_MARKERS = ("-----BEGIN CERTIFICATE REQUEST-----", "-----BEGIN NEW CERTIFICATE REQUEST-----")
RENEWABLE = ("issued", "expired")
# Provisioning methods whose certificate lives on a hardware token: the DigiCert Hardware
# Certificate Installer puts it there with the order's hardware_init_code (code signing page).
TOKEN_METHODS = ("ship_token", "client_app")
# Certificate formats the download emulates (DigiCert's glossary, "Certificate formats").
PEM_FORMATS = ("pem_all", "pem_noroot")


def check_product(product: str) -> None:
    if product not in PRODUCTS:
        raise not_found("product", f"The product {product} does not exist.")


def load(ctx: Ctx, order_id: int) -> Row:
    return ctx.owned("orders", order_id, "order")


def load_by_reference(ctx: Ctx, reference: str) -> Row:
    """An order by id, or by its certificate's serial number or thumbprint."""
    if reference.isascii() and reference.isdigit():
        row_id = as_row_id(reference)
        if row_id is None:
            raise not_found("order")
        return load(ctx, row_id)
    for order in ctx.tx.select("orders", "account_id = ?", (ctx.account_id,)):
        certificate = order.get("certificate") or {}
        if reference.lower() in (certificate.get("serial_number"), certificate.get("thumbprint")):
            return order
    raise not_found("order")


def load_request(ctx: Ctx, request_id: int) -> Row:
    return ctx.owned("requests", request_id, "request")


def price_of(product: str, years: int, ship_method: str | None) -> int:
    return PRICES[product][years] + (EXPEDITED_SHIPPING if ship_method == "expedited" else 0)


def _luhn_ok(number: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _check_order_body(body: DocumentSigningOrder) -> None:
    """The documented rules between fields, reported together like field errors."""
    problems: list[tuple[str, str]] = []
    payment = body.payment_method or "balance"
    if payment == "card":
        for name in ("credit_card", "billing_address"):
            if getattr(body, name) is None:
                problems.append((f"missing_field|{name}", f"{name} is required to pay by card."))
    else:
        for name in ("credit_card", "billing_address"):
            if getattr(body, name) is not None:
                problems.append(
                    (f"invalid_field|{name}", f"{name} is accepted only with payment_method card.")
                )
    if body.credit_card is not None and not _luhn_ok(body.credit_card.number):
        problems.append(("invalid_field|credit_card.number", "The card number is not valid."))
    method = body.cs_provisioning_method
    csr = body.certificate.csr
    if method == "email" and not csr:
        problems.append(
            (
                "missing_field|certificate.csr",
                "A CSR is required when cs_provisioning_method is email.",
            )
        )
    if csr and not any(marker in csr for marker in CSR_MARKERS):
        problems.append(("csr_invalid", "The CSR cannot be parsed (expected a PEM request)."))
    if body.ship_info is not None:
        if method in ("email", "client_app"):
            problems.append(
                ("invalid_field|ship_info", "ship_info is accepted only with ship_token.")
            )
        ship_method = (body.ship_info.method or "standard").lower()
        if ship_method not in ("standard", "expedited"):
            problems.append(
                ("invalid_field|ship_info.method", "ship_info.method: standard or expedited.")
            )
    if body.order_validity is None and body.validity_years is None:
        problems.append(("missing_field|order_validity", "The field order_validity is required."))
    elif (
        body.order_validity is not None
        and body.validity_years is not None
        and body.validity_years != body.order_validity.years
    ):
        problems.append(
            (
                "invalid_field|validity_years",
                "validity_years is deprecated and disagrees with order_validity.years.",
            )
        )
    agreed = body.csa_agreed_to
    if agreed is not None and agreed not in (0, 1, True, False):
        problems.append(("invalid_field|csa_agreed_to", "csa_agreed_to: 1 or true."))
    if problems:
        raise ApiError.many(400, problems)


def _account(ctx: Ctx, account_id: int) -> Row:
    account = ctx.tx.get("accounts", account_id)
    assert account is not None
    return account


def order_years(body: DocumentSigningOrder) -> int:
    """``order_validity.years``, or the deprecated ``validity_years`` the page's example sends."""
    if body.order_validity is not None:
        return body.order_validity.years
    assert body.validity_years is not None  # _check_order_body refused a body with neither
    return body.validity_years


def available_funds(account: Row) -> int | None:
    """What a balance-paid order may spend; None when the negative balance is unlimited."""
    if account.get("unlimited_negative_balance"):
        return None
    return int(
        account["balance_cents"]
        + account["negative_balance_limit_cents"]
        - account["unpaid_invoice_cents"]
    )


def _refund(ctx: Ctx, order: Row) -> None:
    if order.get("paid_from_balance") and not order.get("refunded"):
        account = _account(ctx, order["account_id"])
        account["balance_cents"] += order["price_cents"]
        ctx.tx.put("accounts", account)
        order["refunded"] = True


def create(ctx: Ctx, product: str, body: DocumentSigningOrder) -> dict[str, Any]:
    check_product(product)
    _check_order_body(body)
    organization = organizations.referenced(ctx, body.organization.id, active=True)
    renewed = _renewable(ctx, body.renewal_of_order_id)
    container = ctx.account["container"]
    if body.container is not None and body.container.id != container["id"]:
        raise not_found("container", f"Container {body.container.id} does not exist.")
    alternative_order_id = body.alternative_order_id
    if (
        alternative_order_id
        and ctx.settings.require_unique_alternative_order_ids
        and ctx.tx.select(
            "orders",
            "account_id = ? AND alternative_order_id = ?",
            (ctx.account_id, alternative_order_id),
        )
    ):
        raise bad_request(
            "alternative_order_id_not_unique",
            "The alternative_order_id is already assigned to an order in this account "
            "(Require unique alternative order IDs is enabled).",
        )
    payment_method = body.payment_method or "balance"
    ship_method = (body.ship_info.method or "standard").lower() if body.ship_info else None
    years = order_years(body)
    price = price_of(product, years, ship_method)
    account = _account(ctx, ctx.account_id)
    if payment_method == "balance":
        funds = available_funds(account)
        if funds is not None and price > funds:
            raise bad_request(
                "insufficient_funds",
                "The account balance cannot pay for this order.",
            )
        account["balance_cents"] -= price
        ctx.tx.put("accounts", account)

    approved = bool(body.skip_approval) or not ctx.settings.order_requires_approval
    order_id = ctx.tx.next_id("order")
    request: Row = {
        "id": ctx.tx.next_id("request"),
        "account_id": ctx.account_id,
        "order_id": order_id,
        "type": "new_request",
        "status": "approved" if approved else "pending",
        "date": ctx.now,
        "date_processed": ctx.now if approved else None,
        "comments": body.comments,
        "processor_comment": None,
    }
    certificate = body.certificate
    order: Row = {
        "id": order_id,
        "account_id": ctx.account_id,
        "organization_id": organization["id"],
        "alternative_order_id": alternative_order_id,
        "product_name_id": product,
        "status": "pending" if approved else "needs_approval",
        "approved_at": ctx.now if approved else None,
        "expires_at": None,
        "date_created": ctx.now,
        "validity_years": years,
        "price_cents": price,
        "payment_method": payment_method,
        "paid_from_balance": payment_method == "balance",
        "cs_provisioning_method": body.cs_provisioning_method,
        "use_org_as_common_name": body.use_org_as_common_name is not False,
        "signature_hash": certificate.signature_hash,
        "csr": certificate.csr,
        "server_platform_id": certificate.server_platform.id if certificate.server_platform else -1,
        "ship_info": body.ship_info.model_dump() if body.ship_info else None,
        "subject": body.subject.model_dump(),
        "comments": body.comments,
        # Without order-level contacts the order takes the organization's (API.md C2).
        "organization_contact": _order_contact(
            ctx, body.organization_contact, organization.get("organization_contact")
        ),
        "technical_contact": _order_contact(
            ctx,
            body.technical_contact,
            organization.get("technical_contact") or organization.get("organization_contact"),
        ),
        "custom_fields": [field.model_dump() for field in body.custom_fields or []] or None,
        "user_id_assignments": body.user_id_assignments,
        "enable_guest_access": body.enable_guest_access,
        "vat_number": body.vat_number,
        "request_ids": [request["id"]],
        "certificate": None,
        "renewal_of_order_id": renewed["id"] if renewed else None,
    }
    if renewed is not None:
        renewed["renewed_by"] = [*(renewed.get("renewed_by") or []), order_id]
        ctx.tx.put("orders", renewed)
    ctx.tx.put("requests", request)
    if approved and ctx.settings.auto_issue_after == 0:
        _issue(ctx, order, ctx.now)
    ctx.tx.put("orders", order)
    response: dict[str, Any] = {
        "id": order_id,
        "requests": [{"id": request["id"], "status": request["status"]}],
    }
    if order["certificate"] is not None:
        response["certificate_id"] = order["certificate"]["id"]
    return response


def _renewable(ctx: Ctx, order_id: int | None) -> Row | None:
    """The order a renewal names (``renewal_of_order_id``): one of this account's, issued or
    expired. What CertCentral answers otherwise is not documented; refused as a field error."""
    if order_id is None:
        return None
    order = ctx.tx.get("orders", order_id) if 0 < order_id < 2**63 else None
    if order is None or order["account_id"] != ctx.account_id:
        raise bad_request(
            "invalid_field|renewal_of_order_id",
            "The order to renew does not exist in this account.",
        )
    if order["status"] not in RENEWABLE:
        raise bad_request(
            "invalid_field|renewal_of_order_id",
            f"Only an issued or expired order can be renewed; order {order_id} is "
            f"{order['status']}.",
        )
    return order


def _renewed_order_id(ctx: Ctx, order: Row) -> int | None:
    """The latest renewal of ``order`` that is still live (a canceled one renews nothing)."""
    for renewal_id in reversed(order.get("renewed_by") or []):
        renewal = ctx.tx.get("orders", renewal_id)
        if renewal is not None and renewal["status"] not in ("canceled", "rejected"):
            return int(renewal_id)
    return None


def _order_contact(ctx: Ctx, given: OrderContact | None, inherited: Row | None) -> Row | None:
    if given is not None:
        return {"id": ctx.tx.next_id("contact"), **given.model_dump()}
    return dict(inherited) if inherited else None


# ------------------------------------------------------------------ transitions


def _issue(ctx: Ctx, order: Row, when: float) -> None:
    valid_till = when + order["validity_years"] * 365 * DAY
    order["status"] = "issued"
    order["approved_at"] = None
    order["expires_at"] = valid_till
    order["date_issued"] = when
    order["certificate"] = {
        "id": ctx.tx.next_id("certificate"),
        "serial_number": random_token(32),
        "thumbprint": random_token(40),
        "valid_from": when,
        "valid_till": valid_till,
    }
    if order.get("cs_provisioning_method") in TOKEN_METHODS:
        order["hardware_init_code"] = random_token(16)


def _process_request(ctx: Ctx, request: Row, status: str, comment: str | None) -> None:
    request["status"] = status
    request["date_processed"] = ctx.now
    request["processor"] = _user(ctx, request["account_id"])
    if comment is not None:
        request["processor_comment"] = comment
    ctx.tx.put("requests", request)


def _user(ctx: Ctx, account_id: int) -> dict[str, Any]:
    return dict(_account(ctx, account_id)["user"])


def _approve(ctx: Ctx, order: Row) -> None:
    order["status"] = "pending"
    order["approved_at"] = ctx.now
    if ctx.settings.auto_issue_after == 0:
        _issue(ctx, order, ctx.now)


def _reject(ctx: Ctx, order: Row) -> None:
    order["status"] = "rejected"
    order["approved_at"] = None
    _refund(ctx, order)


def _pending_revoke(ctx: Ctx, order: Row) -> list[Row]:
    return [
        request
        for request in (load_request(ctx, rid) for rid in order["request_ids"][1:])
        if request["type"] == "revoke" and request["status"] in ("pending", "submitted")
    ]


def run_timed_transitions(ctx: Ctx) -> None:
    after = ctx.settings.auto_issue_after
    if after is not None:
        for order in ctx.tx.select(
            "orders", "status = 'pending' AND approved_at <= ?", (ctx.now - after,)
        ):
            _issue(ctx, order, float(order["approved_at"]) + after)
            ctx.tx.put("orders", order)
    for order in ctx.tx.select("orders", "status = 'issued' AND expires_at <= ?", (ctx.now,)):
        order["status"] = "expired"
        ctx.tx.put("orders", order)


# ------------------------------------------------------------------ rendering


def _render_certificate(ctx: Ctx, order: Row, organization: Row | None) -> dict[str, Any]:
    issued = order.get("certificate") or {}
    subject = order.get("subject") or {}
    common_name = (
        (organization or {}).get("name")
        if order["use_org_as_common_name"] or not subject.get("name")
        else subject.get("name")
    )
    valid_from = issued.get("valid_from")
    valid_till = issued.get("valid_till")
    return {
        "id": issued.get("id"),
        "common_name": common_name,
        "date_created": iso_time(order["date_created"]),
        "csr": order.get("csr"),
        "organization": {"id": order["organization_id"]},
        "server_platform": {
            "id": order["server_platform_id"],
            "name": SERVER_PLATFORMS.get(order["server_platform_id"], "Other"),
        },
        "signature_hash": order["signature_hash"],
        "valid_from": iso_date(valid_from) if valid_from is not None else None,
        "valid_till": iso_date(valid_till) if valid_till is not None else None,
        "days_remaining": (
            max(0, int((valid_till - ctx.now) // DAY)) if valid_till is not None else None
        ),
        "serial_number": issued.get("serial_number"),
        "thumbprint": issued.get("thumbprint"),
    }


def _render_request_summary(request: Row) -> dict[str, Any]:
    return {
        "id": request["id"],
        "date": iso_time(request["date"]),
        "type": request["type"],
        "status": request["status"],
        "comments": request.get("comments"),
    }


def render(ctx: Ctx, order: Row) -> dict[str, Any]:
    organization = ctx.tx.get("organizations", order["organization_id"])
    container = _account(ctx, order["account_id"])["container"]
    requests = [load_request(ctx, request_id) for request_id in order["request_ids"]]
    product = order["product_name_id"]
    org_name = (organization or {}).get("name")
    renewed_order_id = _renewed_order_id(ctx, order)
    return {
        "id": order["id"],
        "status": order["status"],
        "date_created": iso_time(order["date_created"]),
        "certificate": _render_certificate(ctx, order, organization),
        "organization": {
            "id": order["organization_id"],
            "name": org_name,
            "display_name": org_name,
            "is_active": (organization or {}).get("status") == "active",
        },
        "container": {"id": container["id"], "name": container["name"], "is_active": True},
        "product": {"name_id": product, "name": PRODUCTS[product], "type": "document_signing"},
        "product_name_id": product,
        "organization_contact": order.get("organization_contact"),
        "technical_contact": order.get("technical_contact"),
        "user": _user(ctx, order["account_id"]),
        "requests": [_render_request_summary(request) for request in requests],
        "is_renewed": renewed_order_id is not None,
        "renewed_order_id": renewed_order_id,
        "is_renewal": order.get("renewal_of_order_id") is not None,
        "renewal_of_order_id": order.get("renewal_of_order_id"),
        "hardware_init_code": order.get("hardware_init_code"),
        "disable_renewal_notifications": False,
        "validity_years": order["validity_years"],
        "order_validity": {"years": order["validity_years"]},
        "price": money(order["price_cents"]),
        "currency": "USD",
        "payment_method": order["payment_method"],
        "alternative_order_id": order.get("alternative_order_id"),
        "cs_provisioning_method": order.get("cs_provisioning_method"),
        "ship_info": order.get("ship_info"),
        "comments": order.get("comments"),
        "custom_fields": order.get("custom_fields"),
        "has_pending_request": any(r["status"] in ("pending", "submitted") for r in requests),
        "order_approval_complete": order["status"] != "needs_approval",
        "is_multi_year_plan": "0",
    }


def info(ctx: Ctx, reference: str) -> dict[str, Any]:
    return render(ctx, load_by_reference(ctx, reference))


def by_alternative_id(ctx: Ctx, alternative_order_id: str, query: Query) -> dict[str, Any]:
    matches = ctx.tx.select(
        "orders",
        "account_id = ? AND alternative_order_id = ?",
        (ctx.account_id, alternative_order_id),
    )
    if not matches:
        raise not_found("order", "No order has this alternative order id.")
    summaries = [
        {
            "order_id": order["id"],
            "certificate_id": (order.get("certificate") or {}).get("id"),
            "status": order["status"],
        }
        for order in matches
    ]
    page_items, page = common.paginate(summaries, query)
    return {"orders": page_items, "page": page}


def render_request(ctx: Ctx, request: Row) -> dict[str, Any]:
    order = load(ctx, request["order_id"])
    organization = ctx.tx.get("organizations", order["organization_id"]) or {}
    product = order["product_name_id"]
    date_processed = request.get("date_processed")
    return {
        "id": request["id"],
        "date": iso_time(request["date"]),
        "type": request["type"],
        "status": request["status"],
        "date_processed": (
            iso_time(date_processed)
            if date_processed is not None and request["status"] in ("approved", "rejected")
            else None
        ),
        "requester": _user(ctx, request["account_id"]),
        "processor": request.get("processor"),
        "comments": request.get("comments"),
        "processor_comment": request.get("processor_comment"),
        "order": {
            "id": order["id"],
            "status": order["status"],
            "product": {"name_id": product, "name": PRODUCTS[product], "type": "document_signing"},
            "certificate": _render_certificate(ctx, order, organization),
            "organization": {"id": order["organization_id"], "name": organization.get("name")},
            "validity_years": order["validity_years"],
            "renewal_of_order_valid_till": _renewed_valid_till(ctx, order),
        },
    }


def _renewed_valid_till(ctx: Ctx, order: Row) -> str | None:
    renewed_id = order.get("renewal_of_order_id")
    renewed = ctx.tx.get("orders", renewed_id) if renewed_id else None
    valid_till = ((renewed or {}).get("certificate") or {}).get("valid_till")
    return iso_date(valid_till) if valid_till is not None else None


# ------------------------------------------------------------------ certificate download


def _pem(data: bytes) -> str:
    body = "\n".join(textwrap.wrap(base64.b64encode(data).decode(), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"


def download(ctx: Ctx, order_id: int, format_type: str) -> str:
    """``GET /certificate/download/order/{id}/format/{format_type}``: the active certificate as
    one PEM bundle, end-entity first. The blocks are PEM-shaped, not parseable certificates.

    A certificate provisioned onto a hardware token is not served: what CertCentral answers then
    is not documented (a 404 here)."""
    order = load(ctx, order_id)
    if format_type not in PEM_FORMATS:
        raise bad_request(
            "invalid_field|format_type",
            f"The sandbox serves the formats {', '.join(PEM_FORMATS)}.",
        )
    certificate = order.get("certificate")
    if order["status"] != "issued" or not certificate:
        raise not_found("certificate", "The order has no issued certificate.")
    if order.get("cs_provisioning_method") in TOKEN_METHODS:
        raise not_found(
            "certificate",
            "This order's certificate is installed on a hardware token and cannot be downloaded.",
        )
    leaf = f"sandbox end-entity {certificate['serial_number']} {certificate['thumbprint']}"
    blocks = [_pem(leaf.encode()), _pem(b"sandbox intermediate CA")]
    if format_type == "pem_all":
        blocks.append(_pem(b"sandbox root CA"))
    return "".join(blocks)


def request_info(ctx: Ctx, request_id: int) -> dict[str, Any]:
    return render_request(ctx, load_request(ctx, request_id))


# ------------------------------------------------------------------ status changes


def invalid_status(message: str) -> ApiError:
    return bad_request("invalid_order_status", message)


def update_status(ctx: Ctx, order_id: int, body: OrderStatusUpdate) -> None:
    order = load(ctx, order_id)
    if body.status == "canceled":
        if not body.note:
            raise bad_request("missing_field|note", "A note is required to cancel an order.")
        if order["status"] == "reissue_pending":
            _cancel_reissue(ctx, order, body.note)
            ctx.tx.put("orders", order)
            return
        if order["status"] not in CANCELABLE:
            raise invalid_status(
                f"Only pending, waiting_pickup or reissue_pending orders can be canceled; this "
                f"order is {order['status']}."
            )
        order["status"] = "canceled"
        order["approved_at"] = None
        order["cancel_note"] = body.note
        _refund(ctx, order)
        ctx.tx.put("orders", order)
        return
    if body.status == "renewed":
        raise invalid_status("Only migrated orders can be marked renewed.")
    raise invalid_status("Only an order marked renewed can be marked not_renewed.")


def _pending_reissues(ctx: Ctx, order: Row) -> list[Row]:
    return [
        request
        for request in (load_request(ctx, rid) for rid in order["request_ids"][1:])
        if request["type"] == "reissue" and request["status"] in ("pending", "submitted")
    ]


def _cancel_reissue(ctx: Ctx, order: Row, note: str) -> None:
    """Canceling a reissue_pending order cancels the reissue: the order is issued again and the
    reissue request is rejected with the note as its processor comment (ORDER-STATUS)."""
    for request in _pending_reissues(ctx, order):
        _process_request(ctx, request, "rejected", note)
    order["status"] = "issued"


def update_contacts(ctx: Ctx, order_id: int, body: OrderContactsUpdate) -> None:
    """``PUT /order/certificate/{id}/contact``: add or replace each contact type sent; types not
    sent stay; optional fields left out keep their values; nothing can be removed."""
    order = load(ctx, order_id)
    seen: set[str] = set()
    for contact in body.contacts:
        if contact.contact_type in seen:
            raise bad_request(
                "contact_type_duplicate",
                "A duplicate contact type was submitted. Send at most one contact per type.",
            )
        seen.add(contact.contact_type)
    for contact in body.contacts:
        values = contact.model_dump(exclude={"contact_type"}, exclude_none=True)
        current = order.get(contact.contact_type) or {}
        same_person = bool(current) and all(
            str(current.get(name) or "").lower() == str(values[name]).lower()
            for name in ("first_name", "last_name", "email")
        )
        contact_id = current["id"] if same_person and "id" in current else ctx.tx.next_id("contact")
        order[contact.contact_type] = {**current, **values, "id": contact_id}
    ctx.tx.put("orders", order)


def update_request_status(ctx: Ctx, request_id: int, body: RequestStatusUpdate) -> None:
    request = load_request(ctx, request_id)
    if request["status"] not in ("pending", "submitted"):
        raise bad_request("invalid_request_status", f"The request is already {request['status']}.")
    order = load(ctx, request["order_id"])
    if body.status in ("pending", "submitted"):
        request["status"] = body.status
        ctx.tx.put("requests", request)
        return
    if request["type"] == "new_request":
        if order["status"] != "needs_approval":
            raise invalid_status(f"The order is {order['status']}; it no longer needs approval.")
        if body.status == "approved":
            _approve(ctx, order)
        else:
            _reject(ctx, order)
    elif body.status == "approved":
        if order["status"] != "issued":
            raise invalid_status(f"The order is {order['status']}; it cannot be revoked.")
        _revoke(order)
    _process_request(ctx, request, body.status, body.processor_comment)
    ctx.tx.put("orders", order)


def _revoke(order: Row) -> None:
    order["status"] = "revoked"
    order["expires_at"] = None


def revoke(ctx: Ctx, order_id: int, body: RevokeOrder) -> dict[str, Any] | None:
    """``PUT .../revoke``: 204 with skip_approval, else 201 with the revoke request."""
    order = load(ctx, order_id)
    if order["status"] != "issued":
        raise invalid_status(f"Only issued orders can be revoked; this order is {order['status']}.")
    comments = body.comments if body.comments is not None else body.comment
    request: Row = {
        "id": ctx.tx.next_id("request"),
        "account_id": order["account_id"],
        "order_id": order["id"],
        "type": "revoke",
        "status": "pending",
        "date": ctx.now,
        "date_processed": None,
        "comments": comments,
        "revocation_reason": body.revocation_reason,
    }
    order["request_ids"].append(request["id"])
    if body.skip_approval:
        _revoke(order)
        _process_request(ctx, request, "approved", None)
        ctx.tx.put("orders", order)
        return None
    ctx.tx.put("requests", request)
    ctx.tx.put("orders", order)
    return {
        "id": request["id"],
        "date": iso_time(request["date"]),
        "type": "revoke",
        "status": "pending",
        "requester": _user(ctx, order["account_id"]),
        "comments": comments,
    }


# ------------------------------------------------------------------ control API

CONTROL_ACTIONS = ("approve", "issue", "reject", "cancel", "revoke", "expire", "reissue")


def control_summary(ctx: Ctx, order: Row) -> dict[str, Any]:
    request = load_request(ctx, order["request_ids"][0])
    return {
        "id": order["id"],
        "account_id": order["account_id"],
        "alternative_order_id": order.get("alternative_order_id"),
        "status": order["status"],
        "product": order["product_name_id"],
        "organization_id": order["organization_id"],
        "request_id": request["id"],
        "request_status": request["status"],
        "certificate_id": (order.get("certificate") or {}).get("id"),
        "renewal_of_order_id": order.get("renewal_of_order_id"),
    }


def control_advance(ctx: Ctx, order_id: int, action: str) -> dict[str, Any]:
    """Move an order as DigiCert (or an approver) would; 409 when the step does not apply."""
    order = load(ctx, order_id)
    status = order["status"]
    request = load_request(ctx, order["request_ids"][0])

    def refuse() -> ApiError:
        return ApiError(409, "invalid_order_status", f"Cannot {action} an order that is {status}.")

    if action in ("approve", "issue"):
        if status == "needs_approval":
            _process_request(ctx, request, "approved", None)
            _approve(ctx, order)
        elif action == "approve" or status not in ("pending", "waiting_pickup"):
            raise refuse()
        if action == "issue" and order["status"] != "issued":
            _issue(ctx, order, ctx.now)
    elif action == "reject":
        if status == "needs_approval":
            _process_request(ctx, request, "rejected", None)
        elif status not in ("pending", "waiting_pickup"):
            raise refuse()
        _reject(ctx, order)
    elif action == "cancel":
        if status not in UNPAID:
            raise refuse()
        if status == "needs_approval":
            _process_request(ctx, request, "rejected", None)
        order["status"] = "canceled"
        order["approved_at"] = None
        _refund(ctx, order)
    elif action == "revoke":
        if status != "issued":
            raise refuse()
        _revoke(order)
        for pending in _pending_revoke(ctx, order):
            _process_request(ctx, pending, "approved", None)
    elif action == "expire":
        if status != "issued":
            raise refuse()
        order["status"] = "expired"
        order["expires_at"] = None
    elif action == "reissue":
        # What a reissue requested in CertCentral's console leaves behind: a pending request.
        if status != "issued":
            raise refuse()
        reissue: Row = {
            "id": ctx.tx.next_id("request"),
            "account_id": order["account_id"],
            "order_id": order["id"],
            "type": "reissue",
            "status": "pending",
            "date": ctx.now,
            "date_processed": None,
            "comments": None,
            "processor_comment": None,
        }
        ctx.tx.put("requests", reissue)
        order["request_ids"].append(reissue["id"])
        order["status"] = "reissue_pending"
    ctx.tx.put("orders", order)
    return control_summary(ctx, order)


def control_set_status(ctx: Ctx, order_id: int, status: str) -> dict[str, Any]:
    """Put an order in any status, including ones documented only in examples (``approved``),
    so a client can be tried against them. Nothing else about the order changes."""
    order = load(ctx, order_id)
    order["status"] = status
    ctx.tx.put("orders", order)
    return control_summary(ctx, order)
