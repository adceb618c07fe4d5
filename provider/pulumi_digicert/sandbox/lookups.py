"""Read-only endpoints the provider never calls but ``digicert-doctor`` reads: user info, the
product list and product info, the order list, and the partner account settings.

Shapes follow DigiCert's documented examples:

* ``GET /user/me``: Services API "User info" (``me`` for the key's own user): ``id``,
  ``username``, ``account_id``, names, ``email``, ``status``, ``container``, ``access_roles``
  ``[{id, name}]``, ``type``. Every sandbox key acts as an administrator (role 1).
* ``GET /product``: "Product list", ``products[]`` with ``group_name``, ``name_id``, ``name``,
  ``type``, ``allowed_container_ids``, ``allowed_validity_years``,
  ``allowed_order_validity_years`` (the order validity limits, seed 001), ``signature_hash_types``
  and ``csr_required``. The account can order the two legacy document signing products.
* ``GET /product/{name_id}``: "Product info", the same plus ``validation_type``,
  ``duplicates_allowed`` and ``custom_order_expiration_date_allowed``; an unknown product is 404
  ``not_found|product`` (API.md F3).
* ``GET /order/certificate``: "List orders" (API.md C8) with ``filters[status]``,
  ``filters[product_name_id]``, ``sort`` (``id``, ``date_created``), ``offset``/``limit`` and
  the ``page`` object.
* Partner ``GET /account/settings``: "List account settings" (API.md E2). The page says each
  setting carries its value and ``is_default``; the envelope (``settings[]`` of
  ``{name, value, is_default}``) is the sandbox's reading of that prose.
"""

from __future__ import annotations

from typing import Any

from . import common, orders
from .backend import Backend
from .errors import not_found
from .routing import Call, Reply, Router
from .schemas import Query

ADMINISTRATOR_ROLE = {"id": 1, "name": "Administrator"}
ORDER_VALIDITY_YEARS = [1, 2, 3]
PRODUCT_INFO_PARAMETERS = {"container_id"}
ORDER_LIST_PARAMETERS = {
    "filters[status]",
    "filters[product_name_id]",
    "sort",
    "offset",
    "limit",
}
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
PARTNER_SETTINGS = ({"name": "auto_renew_subscription", "value": "0", "is_default": True},)


def register(router: Router, backend: Backend) -> None:
    """Add the Services API lookups to ``router`` (``/services/v2``)."""
    routes = Lookups(backend)
    router.add("GET", "/user/me", routes.user_me)
    router.add("GET", "/product", routes.product_list)
    router.add("GET", "/product/{name_id}", routes.product_info)
    router.add("GET", "/order/certificate", routes.order_list)


def register_partner(router: Router, backend: Backend) -> None:
    """Add the Partner Subscriptions lookups to ``router`` (``/partner-subscription/api/v1``)."""
    routes = Lookups(backend)
    router.add("GET", "/account/settings", routes.partner_account_settings)


def _product(name_id: str, container_id: int) -> dict[str, Any]:
    return {
        "group_name": "document_signing",
        "name_id": name_id,
        "name": orders.PRODUCTS[name_id],
        "type": "document_signing",
        "allowed_container_ids": [container_id],
        "allowed_validity_years": list(ORDER_VALIDITY_YEARS),
        "allowed_order_validity_years": list(ORDER_VALIDITY_YEARS),
        "signature_hash_types": {
            "allowed_hash_types": [{"id": "sha256", "name": "SHA-256"}],
            "default_hash_type_id": "sha256",
        },
        "csr_required": False,
    }


def _order_summary(rendered: dict[str, Any]) -> dict[str, Any]:
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


class Lookups:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def user_me(self, call: Call) -> Reply:
        Query(call.query, set())
        account = call.account
        user = account["user"]
        container = account["container"]
        return Reply(
            200,
            {
                "id": user["id"],
                "username": user["email"],
                "account_id": account["id"],
                "first_name": user["first_name"],
                "last_name": user["last_name"],
                "email": user["email"],
                "status": "active",
                "container": {
                    "id": container["id"],
                    "name": container["name"],
                    "parent_id": 0,
                    "is_active": True,
                },
                "access_roles": [dict(ADMINISTRATOR_ROLE)],
                "is_cert_central": True,
                "type": "standard",
            },
        )

    def product_list(self, call: Call) -> Reply:
        Query(call.query, set())
        container_id = call.account["container"]["id"]
        return Reply(200, {"products": [_product(name, container_id) for name in orders.PRODUCTS]})

    def product_info(self, call: Call) -> Reply:
        query = Query(call.query, PRODUCT_INFO_PARAMETERS)
        container_id = call.account["container"]["id"]
        requested = query.integer("container_id")
        if requested is not None and requested != container_id:
            raise not_found("container", f"Container {requested} does not exist.")
        name_id = call.params["name_id"]
        orders.check_product(name_id)
        return Reply(
            200,
            {
                **_product(name_id, container_id),
                "validation_type": "DS",
                "duplicates_allowed": False,
                "custom_order_expiration_date_allowed": False,
            },
        )

    def order_list(self, call: Call) -> Reply:
        query = Query(call.query, ORDER_LIST_PARAMETERS)
        status = query.choice("filters[status]", ORDER_STATUSES)
        product = query.text("filters[product_name_id]")
        with self.backend.transaction(call.account) as ctx:
            selected = []
            for order in ctx.tx.select("orders", "account_id = ?", (ctx.account_id,)):
                if status is not None and order["status"] != status:
                    continue
                if product is not None and order["product_name_id"] != product:
                    continue
                selected.append(_order_summary(orders.render(ctx, order)))
        selected = common.sort_items(selected, query.text("sort"), {"id", "date_created"})
        page_items, page = common.paginate(selected, query)
        return Reply(200, {"orders": page_items, "page": page})

    def partner_account_settings(self, call: Call) -> Reply:
        Query(call.query, set())
        return Reply(200, {"settings": [dict(setting) for setting in PARTNER_SETTINGS]})
