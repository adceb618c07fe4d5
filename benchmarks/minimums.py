"""The fewest API calls each lifecycle operation needs, and why; and what the provider makes.

``MINIMUM`` is derived from what the API requires, not from what the provider does: each entry
names the calls that cannot be avoided and the reason, citing DESIGN.md (the promises: look up
before creating, check and diff offline, complete outputs) and ../shared/API.md (what each
endpoint answers). A field the server computes must be read unless the request just made
answers it or cannot have changed it. ``None`` means the operation does not exist for the
resource (nothing to adopt).

``EXPECTED`` is a literal table of the calls the provider makes today, written down from a
measured run: CI fails on any change of a count. ``NOTES`` says why an operation makes more
calls than its minimum; an operation above its minimum without a note fails CI too, so a new
call is either removed or explained here.
"""

from __future__ import annotations

OPERATIONS = (
    "preview",
    "create",
    "create_adopt",
    "read",
    "update",
    "delete",
    "read_issued",
    "create_renewal",
)

#: What each operation does in the benchmark.
OPERATION_NOTES = {
    "preview": "check of a new resource, then check + diff of a change to an existing one",
    "create": "nothing to adopt: the object is created",
    "create_adopt": "the object already exists (e.g. an earlier interrupted `up`): adopted",
    "read": "refresh of an unchanged object",
    "update": "the representative in-place change (see the update column note)",
    "delete": "delete of an object this stack created, with default inputs",
    "read_issued": "first refresh of an issued certificate that CertCentral hands out",
    "create_renewal": "the replacement of an order due for renewal: its renewal is placed",
}
# Only orders have a certificate to read or renew.
_NO_CERTIFICATE = {
    "read_issued": (None, "no certificate"),
    "create_renewal": (None, "nothing to renew"),
}

UPDATE_CHANGE = {
    "Organization": "organization_contact changed",
    "DomainValidation": "dcv_method dns-txt-token -> dns-cname-token",
    "DomainValidationCheck": "wait_timeout_seconds changed (state only)",
    "DocumentSigningOrder": "comments changed (purchase-time field: state only)",
    "BillingAccountLink": "billing_account_api_key changed",
}

# (minimum, the unavoidable calls and why)
MINIMUM: dict[str, dict[str, tuple[int | None, str]]] = {
    "Organization": {
        "preview": (0, "check and diff are pure (DESIGN: the preview tells the truth)"),
        "create": (
            3,
            "GET /organization (DESIGN: create adopts an existing active organization; there "
            "is no idempotency key and CertCentral's own duplicate check is undocumented, "
            "API.md A2) + POST /organization (A1) + GET /organization/{id} (A1 answers only the "
            "id; status, is_active, display_name and validation statuses are CertCentral's, A3)",
        ),
        "create_adopt": (
            1,
            "GET /organization (A4: list items carry the fields of A3, contacts included, and "
            "validations with include_validation); nothing to send when they match",
        ),
        "read": (1, "GET /organization/{id} (A3): refresh must see CertCentral's state"),
        "update": (
            1,
            "PUT /organization/{id}/contact (A7, answers 204); a contact change cannot change "
            "status or validations, so those outputs are carried",
        ),
        "delete": (
            0,
            "kept in CertCentral unless delete_on_destroy (DESIGN: keep by default); with it, "
            "DELETE /organization/{id} (A8)",
        ),
        **_NO_CERTIFICATE,
    },
    "DomainValidation": {
        "preview": (0, "check and diff are pure"),
        "create": (
            3,
            "GET /domain?filters[search] (DESIGN: create adopts the account's domain of that "
            "name) + POST /domain (B1: answers id and dcv_token) + GET /domain/{id} (B1 has no "
            "validations; a parent domain's validation may already cover it, B1 coverage)",
        ),
        "create_adopt": (
            2,
            "GET /domain?filters[search] (B3: its items have no dcv_token) + GET "
            "/domain/{id}?include_dcv (B2: the token to publish); nothing to send when it "
            "matches",
        ),
        "read": (1, "GET /domain/{id} (B2)"),
        "update": (
            1,
            "PUT /domain/{id}/dcv/method (B4: answers the new token); a method change does not "
            "touch validations, so they are carried",
        ),
        "delete": (1, "PUT /domain/{id}/deactivate (DESIGN: the documented way to retire one)"),
        **_NO_CERTIFICATE,
    },
    "DomainValidationCheck": {
        "preview": (0, "check and diff are pure"),
        "create": (
            2,
            "PUT /domain/{id}/dcv/validate-token (B5: answers the token status only) + GET "
            "/domain/{id} (validation_status and validated_until, B2), when DNS is already "
            "published",
        ),
        "create_adopt": (None, "nothing to adopt: create is a check"),
        "read": (1, "GET /domain/{id} (B2)"),
        "update": (0, "only state fields update in place"),
        "delete": (0, "delete only forgets (DESIGN)"),
        **_NO_CERTIFICATE,
    },
    "DocumentSigningOrder": {
        "preview": (0, "check and diff are pure"),
        "create": (
            2,
            "GET /order/alternate/{alternative_order_id} (DESIGN: never buy twice; C4, C5: no "
            "uniqueness by default) + POST /order/certificate/{product} (C1: answers id and "
            "requests; the order's status follows from the request's, C3, C10)",
        ),
        "create_adopt": (
            2,
            "GET /order/alternate/{id} (C4: order_id, certificate_id, status only) + GET "
            "/order/certificate/{id} (C2: product, organization and request, needed to adopt "
            "only this declaration's order)",
        ),
        "read": (1, "GET /order/certificate/{id} (C2)"),
        "update": (0, "only purchase-time fields update in place: recorded in state"),
        "delete": (
            2,
            "GET /order/certificate/{id} (the live status decides: C6 cancels only pending or "
            "waiting_pickup, an issued certificate is left alone) + PUT /request/{id}/status "
            "(C10: reject, as the new order awaits approval)",
        ),
        "read_issued": (
            2,
            "GET /order/certificate/{id} (status, validity, serial, thumbprint) + GET "
            "/certificate/download/order/{id}/format/pem_all (the certificate, `email` "
            "provisioning: once per certificate, later refreshes carry it)",
        ),
        "create_renewal": (
            4,
            "GET /order/alternate/{alternative_order_id} + GET /order/certificate/{id} (the "
            "issued order: is it due?) + GET /order/alternate/{renewal id} (never buy twice) + "
            "POST /order/certificate/{product} with renewal_of_order_id",
        ),
    },
    "BillingAccountLink": {
        "preview": (0, "check and diff are pure"),
        "create": (1, "PUT /finance/account-link (E1)"),
        "create_adopt": (None, "create is an idempotent PUT: nothing to adopt"),
        "read": (0, "no endpoint reads a link back (E1)"),
        "update": (1, "PUT /finance/account-link (E1)"),
        "delete": (0, "no endpoint removes a link: delete only forgets (E1)"),
        **_NO_CERTIFICATE,
    },
}

#: The calls the provider makes, measured and written down (``None``: no such operation).
EXPECTED: dict[str, dict[str, int | None]] = {
    "Organization": {
        "preview": 0,
        "create": 3,
        "create_adopt": 2,
        "read": 1,
        "update": 1,
        "delete": 0,
        "read_issued": None,
        "create_renewal": None,
    },
    "DomainValidation": {
        "preview": 0,
        "create": 3,
        "create_adopt": 2,
        "read": 1,
        "update": 1,
        "delete": 1,
        "read_issued": None,
        "create_renewal": None,
    },
    "DomainValidationCheck": {
        "preview": 0,
        "create": 2,
        "create_adopt": None,
        "read": 1,
        "update": 0,
        "delete": 0,
        "read_issued": None,
        "create_renewal": None,
    },
    "DocumentSigningOrder": {
        "preview": 0,
        "create": 2,
        "create_adopt": 2,
        "read": 1,
        "update": 0,
        "delete": 2,
        "read_issued": 2,
        "create_renewal": 4,
    },
    "BillingAccountLink": {
        "preview": 0,
        "create": 1,
        "create_adopt": None,
        "read": 0,
        "update": 1,
        "delete": 0,
        "read_issued": None,
        "create_renewal": None,
    },
}

#: Why an operation makes more calls than its minimum.
NOTES: dict[tuple[str, str], str] = {
    ("Organization", "create_adopt"): (
        "+1 GET /organization/{id}: the organization about to be adopted is read on its own "
        "(A3) rather than trusted from a search result; API.md gives the list's items only as "
        '"fields as in A3", with no example showing contacts, and adoption reconciles the '
        "contacts and validations. One call, only when adopting."
    ),
}
