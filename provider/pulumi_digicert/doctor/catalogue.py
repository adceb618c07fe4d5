"""What the doctor checks: each assumption with the API.md sections its answer settles, and the
words of DigiCert's vocabulary the checks read.

The checks themselves are in :mod:`pulumi_digicert.doctor.checks`; this table is also what the
README's list of checks and the report are held to.
"""

from __future__ import annotations

from pulumi_digicert.doctor.report import Finding

__all__ = [
    "ADMINISTRATOR",
    "CHECKS",
    "LEGACY_PRODUCTS",
    "LIST_LIMIT",
    "NEWER_PRODUCTS",
    "ORDER_VALIDITY_YEARS",
    "SEARCH_LIMIT",
    "USER_ROLES",
    "VOCABULARY_KEYS",
    "finding_for",
]

LEGACY_PRODUCTS = ("document_signing_org_1", "document_signing_org_2")
# The newer document signing products (API.md C1, DS-NEW): reported when offered (Q10).
NEWER_PRODUCTS = ("ds_org", "ds_org_individual", "ds_individual")
ORDER_VALIDITY_YEARS = (1, 2, 3)
# User access roles (API.md F2, the glossary; "List container roles" example).
USER_ROLES = {
    1: "Administrator",
    2: "Limited User",
    3: "Finance Manager",
    4: "Manager",
    5: "Standard User",
}
ADMINISTRATOR = 1
LIST_LIMIT = 20
SEARCH_LIMIT = 100
# Members whose values are words of DigiCert's vocabulary rather than data about the account.
VOCABULARY_KEYS = frozenset(
    {
        "status",
        "dcv_status",
        "type",
        "dcv_method",
        "code",
        "currency",
        "signature_hash",
        "payment_method",
        "group_name",
        "name_id",
        "product_name_id",
        "validation_type",
        "default_hash_type_id",
        "contact_type",
    }
)

CHECKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "credentials.api_key": ("The API key is accepted: GET /user/me answers 200.", ("F2",)),
    "credentials.role": (
        "The key's user is an administrator, as approving requests and skip_approval need "
        "(GET /user/me, access_roles).",
        ("F2",),
    ),
    "credentials.partner_key": (
        "The partner key is accepted: GET /account/settings answers 200.",
        ("E", "E2"),
    ),
    "products.document_signing": (
        "document_signing_org_1 and document_signing_org_2 can be ordered on this account "
        "(GET /product).",
        ("C1", "Q10"),
    ),
    "products.validity": (
        "Each of them allows an order validity of 1, 2 and 3 years (GET /product/{name_id}).",
        ("C1", "C13", "Q10"),
    ),
    "shapes.organizations": (
        "Organization list entries and organization info carry every field the provider reads, "
        "with the documented types and statuses.",
        ("A3", "A4"),
    ),
    "shapes.organization_technical_contact": (
        "Organization info returns technical_contact when the organization has one.",
        ("A3",),
    ),
    "shapes.organization_validations": (
        "Organization info with include_validation=true returns the organization's validations.",
        ("A3", "A6"),
    ),
    "shapes.domains": (
        "Domain list entries and domain info (include_dcv, include_validation) carry every "
        "field the provider reads, with the documented types, methods and statuses.",
        ("B2", "B3", "B10"),
    ),
    "shapes.orders": (
        "Order list entries and order info carry every field the provider reads, and every "
        "order and request status is one the provider knows.",
        ("C2", "C3", "C8", "C10", "Q6"),
    ),
    "shapes.balance": (
        "View balance returns the documented fields, money as decimal strings.",
        ("D1",),
    ),
    "behaviour.organization_search_exact": (
        "filters[search]=<name> finds an organization by its name.",
        ("F5", "A4"),
    ),
    "behaviour.organization_search_contains": (
        "filters[search]=%<name>, which the provider sends before it creates an organization, "
        "finds the organization too.",
        ("F5", "A2", "A4"),
    ),
    "behaviour.domain_search_exact": (
        "filters[search]=<name>, which the provider sends before it adds a domain, finds the "
        "domain.",
        ("F5", "B3"),
    ),
    "behaviour.alternative_id_unknown": (
        "GET /order/alternate/{id} answers 404 for an id that no order carries.",
        ("C4",),
    ),
    "behaviour.alternative_id_known": (
        "GET /order/alternate/{id} lists the order that carries the id, which the provider "
        "relies on to never buy twice.",
        ("C4", "C5"),
    ),
    "behaviour.pagination": (
        "List pages follow offset and limit, and page.total counts every item.",
        ("F5",),
    ),
    "behaviour.rate_limit": (
        "A 429 answer carries request_limit_exceeded (whether Retry-After comes is noted).",
        ("F4", "Q9"),
    ),
}


def finding_for(check: str) -> Finding:
    """A new finding for ``check``, with its assumption and the sections it settles."""
    assumption, answers = CHECKS[check]
    return Finding(check, assumption, answers)
