"""An order after it is placed (API.md C3, C6, C7, C10): approval requests, issuance, cancel,
revoke, reissue, expiry by the clock, the certificate and its download, and the steps the control
API takes in DigiCert's place.

Placing and reading orders is :mod:`~pulumi_digicert.sandbox.orders`; this module never imports
it, so placement can use the transitions here.
"""

from __future__ import annotations

import base64
import textwrap
from typing import TYPE_CHECKING, Any

from . import accounts
from .errors import ApiError, bad_request, not_found
from .formats import DAY, iso_date, iso_time, random_token
from .products import SERVER_PLATFORMS, product_summary
from .routes import Endpoint
from .schemas import OrderStatusUpdate, RequestStatusUpdate, RevokeOrder
from .store import Row

if TYPE_CHECKING:
    from .state import Ctx

CANCELABLE = ("pending", "waiting_pickup")
UNPAID = ("needs_approval", "pending", "waiting_pickup")
OPEN_REQUEST = ("pending", "submitted")
# Provisioning methods whose certificate lives on a hardware token: the DigiCert Hardware
# Certificate Installer puts it there with the order's hardware_init_code (code signing page).
TOKEN_METHODS = ("ship_token", "client_app")
# Certificate formats the download emulates (DigiCert's glossary, "Certificate formats").
PEM_FORMATS = ("pem_all", "pem_noroot")
CONTROL_ACTIONS = ("approve", "issue", "reject", "cancel", "revoke", "expire", "reissue")


def load(ctx: Ctx, order_id: int) -> Row:
    return ctx.owned("orders", order_id, "order")


def load_request(ctx: Ctx, request_id: int) -> Row:
    return ctx.owned("requests", request_id, "request")


def new_request(ctx: Ctx, account_id: int, order_id: int, kind: str, comments: str | None) -> Row:
    """A pending request of ``kind`` (``new_request``, ``revoke``, ``reissue``); not yet stored."""
    return {
        "id": ctx.tx.next_id("request"),
        "account_id": account_id,
        "order_id": order_id,
        "type": kind,
        "status": "pending",
        "date": ctx.now,
        "date_processed": None,
        "comments": comments,
        "processor_comment": None,
    }


def _open_requests(ctx: Ctx, order: Row, kind: str) -> list[Row]:
    return [
        request
        for request in (load_request(ctx, rid) for rid in order["request_ids"][1:])
        if request["type"] == kind and request["status"] in OPEN_REQUEST
    ]


def _process_request(ctx: Ctx, request: Row, status: str, comment: str | None) -> None:
    request["status"] = status
    request["date_processed"] = ctx.now
    request["processor"] = accounts.user(ctx, request["account_id"])
    if comment is not None:
        request["processor_comment"] = comment
    ctx.tx.put("requests", request)


# ------------------------------------------------------------------ transitions


def issue(ctx: Ctx, order: Row, when: float) -> None:
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


def approve(ctx: Ctx, order: Row) -> None:
    order["status"] = "pending"
    order["approved_at"] = ctx.now
    if ctx.settings.auto_issue_after == 0:
        issue(ctx, order, ctx.now)


def _reject(ctx: Ctx, order: Row) -> None:
    order["status"] = "rejected"
    order["approved_at"] = None
    accounts.refund(ctx, order)


def _cancel(ctx: Ctx, order: Row) -> None:
    order["status"] = "canceled"
    order["approved_at"] = None
    accounts.refund(ctx, order)


def _revoke(order: Row) -> None:
    order["status"] = "revoked"
    order["expires_at"] = None


def run_timed_transitions(ctx: Ctx) -> None:
    after = ctx.settings.auto_issue_after
    if after is not None:
        for order in ctx.tx.select(
            "orders", "status = 'pending' AND approved_at <= ?", (ctx.now - after,)
        ):
            issue(ctx, order, float(order["approved_at"]) + after)
            ctx.tx.put("orders", order)
    for order in ctx.tx.select("orders", "status = 'issued' AND expires_at <= ?", (ctx.now,)):
        order["status"] = "expired"
        ctx.tx.put("orders", order)


# ------------------------------------------------------------------ the certificate


def render_certificate(ctx: Ctx, order: Row, organization: Row | None) -> dict[str, Any]:
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


# ------------------------------------------------------------------ requests


def render_request_summary(request: Row) -> dict[str, Any]:
    """A request as order info lists it."""
    return {
        "id": request["id"],
        "date": iso_time(request["date"]),
        "type": request["type"],
        "status": request["status"],
        "comments": request.get("comments"),
    }


def request_info(ctx: Ctx, request_id: int) -> dict[str, Any]:
    """``GET /request/{request_id}``."""
    request = load_request(ctx, request_id)
    order = load(ctx, request["order_id"])
    organization = ctx.tx.get("organizations", order["organization_id"]) or {}
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
        "requester": accounts.user(ctx, request["account_id"]),
        "processor": request.get("processor"),
        "comments": request.get("comments"),
        "processor_comment": request.get("processor_comment"),
        "order": {
            "id": order["id"],
            "status": order["status"],
            "product": product_summary(order["product_name_id"]),
            "certificate": render_certificate(ctx, order, organization),
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


def update_request_status(ctx: Ctx, request_id: int, body: RequestStatusUpdate) -> None:
    request = load_request(ctx, request_id)
    if request["status"] not in OPEN_REQUEST:
        raise bad_request("invalid_request_status", f"The request is already {request['status']}.")
    order = load(ctx, request["order_id"])
    if body.status in OPEN_REQUEST:
        request["status"] = body.status
        ctx.tx.put("requests", request)
        return
    if request["type"] == "new_request":
        if order["status"] != "needs_approval":
            raise invalid_status(f"The order is {order['status']}; it no longer needs approval.")
        if body.status == "approved":
            approve(ctx, order)
        else:
            _reject(ctx, order)
    elif body.status == "approved":
        if order["status"] != "issued":
            raise invalid_status(f"The order is {order['status']}; it cannot be revoked.")
        _revoke(order)
    _process_request(ctx, request, body.status, body.processor_comment)
    ctx.tx.put("orders", order)


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
        order["cancel_note"] = body.note
        _cancel(ctx, order)
        ctx.tx.put("orders", order)
        return
    if body.status == "renewed":
        raise invalid_status("Only migrated orders can be marked renewed.")
    raise invalid_status("Only an order marked renewed can be marked not_renewed.")


def _cancel_reissue(ctx: Ctx, order: Row, note: str) -> None:
    """Canceling a reissue_pending order cancels the reissue: the order is issued again and the
    reissue request is rejected with the note as its processor comment (ORDER-STATUS)."""
    for request in _open_requests(ctx, order, "reissue"):
        _process_request(ctx, request, "rejected", note)
    order["status"] = "issued"


def revoke(ctx: Ctx, order_id: int, body: RevokeOrder) -> dict[str, Any] | None:
    """``PUT .../revoke``: 204 with skip_approval, else 201 with the revoke request."""
    order = load(ctx, order_id)
    if order["status"] != "issued":
        raise invalid_status(f"Only issued orders can be revoked; this order is {order['status']}.")
    comments = body.comments if body.comments is not None else body.comment
    request = new_request(ctx, order["account_id"], order["id"], "revoke", comments)
    request["revocation_reason"] = body.revocation_reason
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
        "requester": accounts.user(ctx, order["account_id"]),
        "comments": comments,
    }


# ------------------------------------------------------------------ control API


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
            approve(ctx, order)
        elif action == "approve" or status not in ("pending", "waiting_pickup"):
            raise refuse()
        if action == "issue" and order["status"] != "issued":
            issue(ctx, order, ctx.now)
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
        _cancel(ctx, order)
    elif action == "revoke":
        if status != "issued":
            raise refuse()
        _revoke(order)
        for pending in _open_requests(ctx, order, "revoke"):
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
        reissue = new_request(ctx, order["account_id"], order["id"], "reissue", None)
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


ENDPOINTS = [
    Endpoint("PUT", "/order/certificate/{order_id}/status", update_status, body=OrderStatusUpdate),
    Endpoint("PUT", "/order/certificate/{order_id}/revoke", revoke, body=RevokeOrder, status=201),
    Endpoint(
        "GET",
        "/certificate/download/order/{order_id}/format/{format_type}",
        download,
        media_type="application/x-pem-file",
    ),
    Endpoint("GET", "/request/{request_id}", request_info),
    Endpoint(
        "PUT", "/request/{request_id}/status", update_request_status, body=RequestStatusUpdate
    ),
]
