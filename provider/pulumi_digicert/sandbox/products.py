"""The product catalog: the two legacy document signing products, their prices, and the product
list and product info endpoints.

Shapes follow DigiCert's documented examples: "Product list" (``products[]`` with
``group_name``, ``name_id``, ``name``, ``type``, ``allowed_container_ids``,
``allowed_validity_years``, ``allowed_order_validity_years`` (the order validity limits, seed
001), ``signature_hash_types`` and ``csr_required``) and "Product info" (the same plus
``validation_type``, ``duplicates_allowed`` and ``custom_order_expiration_date_allowed``; an
unknown product is 404 ``not_found|product``, API.md F3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import not_found
from .routes import Endpoint
from .schemas import Query

if TYPE_CHECKING:
    from .state import Ctx

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
ORDER_VALIDITY_YEARS = [1, 2, 3]
SERVER_PLATFORMS = {-1: "Other"}


def check_product(product: str) -> str:
    """The product's ``name_id``, or 404 ``not_found|product``."""
    if product not in PRODUCTS:
        raise not_found("product", f"The product {product} does not exist.")
    return product


def price_of(product: str, years: int, ship_method: str | None) -> int:
    return PRICES[product][years] + (EXPEDITED_SHIPPING if ship_method == "expedited" else 0)


def product_summary(product: str) -> dict[str, str]:
    """The ``product`` object of an order and of a request's order."""
    return {"name_id": product, "name": PRODUCTS[product], "type": "document_signing"}


def _product(name_id: str, container_id: int) -> dict[str, Any]:
    return {
        "group_name": "document_signing",
        "name_id": name_id,
        "name": PRODUCTS[name_id],
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


def product_list(ctx: Ctx) -> dict[str, Any]:
    container_id = ctx.account["container"]["id"]
    return {"products": [_product(name, container_id) for name in PRODUCTS]}


def product_info(ctx: Ctx, name_id: str, query: Query) -> dict[str, Any]:
    container_id = ctx.account["container"]["id"]
    requested = query.integer("container_id")
    if requested is not None and requested != container_id:
        raise not_found("container", f"Container {requested} does not exist.")
    check_product(name_id)
    return {
        **_product(name_id, container_id),
        "validation_type": "DS",
        "duplicates_allowed": False,
        "custom_order_expiration_date_allowed": False,
    }


ENDPOINTS = [
    Endpoint("GET", "/product", product_list),
    Endpoint("GET", "/product/{name_id}", product_info, query=frozenset({"container_id"})),
]
