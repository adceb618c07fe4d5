"""Placing and reading document signing orders (API.md C1, C2, C4, C5, C8): the order body's
rules, price and payment, renewals, order contacts, order info and the order lists.

What happens to an order once placed (approval, issuance, cancel, revoke, expiry, download) is
:mod:`~pulumi_digicert.sandbox.order_lifecycle`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import accounts, organizations, products
from .errors import ApiError, bad_request, not_found
from .formats import iso_time, money
from .order_lifecycle import (
    approve,
    load,
    load_request,
    new_request,
    render_certificate,
    render_request_summary,
)
from .products import check_product, product_summary
from .routes import Endpoint, as_row_id
from .schemas import (
    PAGING,
    SORTED_PAGING,
    DocumentSigningOrder,
    OrderContact,
    OrderContactsUpdate,
    Query,
)
from .store import Row

if TYPE_CHECKING:
    from .state import Ctx

CSR_MARKERS = ("-----BEGIN CERTIFICATE REQUEST-----", "-----BEGIN NEW CERTIFICATE REQUEST-----")
RENEWABLE = ("issued", "expired")
# API.md C3: the statuses the order list filters on.
ORDER_STATUSES = (
    "needs_approval",
    "pending",
    "processing",
    "waiting_pickup",
    "reissue_pending",
    "issued",
    "rejected",
    "canceled",
    "revoked",
    "expired",
)
LIST_PARAMETERS = SORTED_PAGING | {"filters[status]", "filters[product_name_id]"}


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


def order_years(body: DocumentSigningOrder) -> int:
    """``order_validity.years``, or the deprecated ``validity_years`` the page's example sends."""
    if body.order_validity is not None:
        return body.order_validity.years
    assert body.validity_years is not None  # _check_order_body refused a body with neither
    return body.validity_years


def create(ctx: Ctx, product: str, body: DocumentSigningOrder) -> dict[str, Any]:
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
    price = products.price_of(product, years, ship_method)
    if payment_method == "balance":
        accounts.debit(ctx, price)

    approved = bool(body.skip_approval) or not ctx.settings.order_requires_approval
    order_id = ctx.tx.next_id("order")
    request = new_request(ctx, ctx.account_id, order_id, "new_request", body.comments)
    if approved:
        request["status"] = "approved"
        request["date_processed"] = ctx.now
    certificate = body.certificate
    order: Row = {
        "id": order_id,
        "account_id": ctx.account_id,
        "organization_id": organization["id"],
        "alternative_order_id": alternative_order_id,
        "product_name_id": product,
        "status": "needs_approval",
        "approved_at": None,
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
    if approved:
        approve(ctx, order)
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


# ------------------------------------------------------------------ reading


def render(ctx: Ctx, order: Row) -> dict[str, Any]:
    organization = ctx.tx.get("organizations", order["organization_id"])
    container = accounts.load(ctx, order["account_id"])["container"]
    requests = [load_request(ctx, request_id) for request_id in order["request_ids"]]
    product = order["product_name_id"]
    org_name = (organization or {}).get("name")
    renewed_order_id = _renewed_order_id(ctx, order)
    return {
        "id": order["id"],
        "status": order["status"],
        "date_created": iso_time(order["date_created"]),
        "certificate": render_certificate(ctx, order, organization),
        "organization": {
            "id": order["organization_id"],
            "name": org_name,
            "display_name": org_name,
            "is_active": (organization or {}).get("status") == "active",
        },
        "container": {"id": container["id"], "name": container["name"], "is_active": True},
        "product": product_summary(product),
        "product_name_id": product,
        "organization_contact": order.get("organization_contact"),
        "technical_contact": order.get("technical_contact"),
        "user": accounts.user(ctx, order["account_id"]),
        "requests": [render_request_summary(request) for request in requests],
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


def info(ctx: Ctx, reference: str, query: Query) -> dict[str, Any]:
    """``GET /order/certificate/{order_id}`` by id, serial number or thumbprint.
    ``include_caa_status`` is accepted; CAA checks are not emulated."""
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
    page_items, page = query.page(summaries)
    return {"orders": page_items, "page": page}


def order_list(ctx: Ctx, query: Query) -> dict[str, Any]:
    """``GET /order/certificate`` (API.md C8): the account's orders, filtered, sorted, paged."""
    status = query.choice("filters[status]", ORDER_STATUSES)
    product = query.text("filters[product_name_id]")
    selected = []
    for order in ctx.tx.select("orders", "account_id = ?", (ctx.account_id,)):
        if status is not None and order["status"] != status:
            continue
        if product is not None and order["product_name_id"] != product:
            continue
        selected.append(_list_entry(render(ctx, order)))
    page_items, page = query.page(query.ordered(selected, {"id", "date_created"}))
    return {"orders": page_items, "page": page}


def _list_entry(rendered: dict[str, Any]) -> dict[str, Any]:
    """A list entry: the fields API.md C8 lists, taken from the order as order info shows it."""
    certificate = rendered.get("certificate") or {}
    organization = rendered.get("organization") or {}
    container = rendered.get("container") or {}
    return {
        "id": rendered["id"],
        "status": rendered["status"],
        "is_renewed": rendered.get("is_renewed", False),
        "date_created": rendered["date_created"],
        "validity_years": rendered.get("validity_years"),
        "disable_renewal_notifications": rendered.get("disable_renewal_notifications", False),
        "has_duplicates": False,
        "product_name_id": rendered["product_name_id"],
        "certificate": {
            "id": certificate.get("id"),
            "common_name": certificate.get("common_name"),
            "valid_till": certificate.get("valid_till"),
            "days_remaining": certificate.get("days_remaining"),
            "signature_hash": certificate.get("signature_hash"),
        },
        "organization": {"id": organization.get("id"), "name": organization.get("name")},
        "container": {"id": container.get("id"), "name": container.get("name")},
        "product": rendered.get("product"),
    }


def update_contacts(ctx: Ctx, order_id: int, body: OrderContactsUpdate) -> None:
    """``PUT /order/certificate/{id}/contact``: add or replace each contact type sent; types not
    sent stay; optional fields left out keep their values; nothing can be removed."""
    order = load(ctx, order_id)
    organizations.check_one_contact_per_type(body.contacts)
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


ENDPOINTS = [
    Endpoint(
        "POST",
        "/order/certificate/{product}",
        create,
        body=DocumentSigningOrder,
        status=201,
        path={"product": check_product},
    ),
    Endpoint(
        "GET",
        "/order/certificate/{order_id}",
        info,
        query=frozenset({"include_caa_status"}),
        path={"order_id": str},
    ),
    Endpoint(
        "PUT", "/order/certificate/{order_id}/contact", update_contacts, body=OrderContactsUpdate
    ),
    Endpoint(
        "GET",
        "/order/alternate/{alternative_order_id}",
        by_alternative_id,
        query=PAGING,
    ),
    Endpoint("GET", "/order/certificate", order_list, query=LIST_PARAMETERS),
]
