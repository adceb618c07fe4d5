"""The fewest API calls each lifecycle operation needs, and why.

A minimum counts what CertCentral requires for the operation to be safe (never create a
duplicate, never buy twice) and for its outputs to be complete: a field the server computes is
read from the server unless the request just made answers it or cannot have changed it, in
which case the prior output is carried. ``None`` means the operation does not exist for the
resource (e.g. nothing to adopt).

``NOTES`` explains each operation the provider makes more calls for than the minimum; the
benchmark fails (in CI: the test fails) when a count differs from ``EXPECTED`` and reports any
gap between ``EXPECTED`` and ``MINIMUM`` with its note.
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
    "delete": "delete of an object this stack created",
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

# (minimum, what it consists of)
MINIMUM: dict[str, dict[str, tuple[int | None, str]]] = {
    "Organization": {
        "preview": (0, "check and diff are pure"),
        "create": (
            3,
            "GET /organization (look for one to adopt: no idempotency key) + POST /organization "
            "(answers only the id) + GET /organization/{id} (status, display_name and validation "
            "statuses are computed by CertCentral)",
        ),
        "create_adopt": (
            2,
            "GET /organization + GET /organization/{id} (list items lack contacts and "
            "validations, needed to reconcile); nothing to send when they match",
        ),
        "read": (1, "GET /organization/{id}"),
        "update": (
            1,
            "PUT /organization/{id}/contact; a contact change cannot change status or "
            "validations, so those are carried",
        ),
        "delete": (
            0,
            "kept in CertCentral unless delete_on_destroy (then DELETE /organization/{id})",
        ),
        **_NO_CERTIFICATE,
    },
    "DomainValidation": {
        "preview": (0, "check and diff are pure"),
        "create": (
            3,
            "GET /domain?search (look for one to adopt) + POST /domain (answers id and DCV "
            "token) + GET /domain/{id} (validation status: CertCentral may reuse an earlier "
            "validation)",
        ),
        "create_adopt": (
            2,
            "GET /domain?search + GET /domain/{id}?include_dcv (token and validations); "
            "nothing to send when it matches",
        ),
        "read": (1, "GET /domain/{id}"),
        "update": (
            1,
            "PUT /domain/{id}/dcv/method (answers the new token; validations are untouched by "
            "a method change, so they are carried)",
        ),
        "delete": (1, "PUT /domain/{id}/deactivate"),
        **_NO_CERTIFICATE,
    },
    "DomainValidationCheck": {
        "preview": (0, "check and diff are pure"),
        "create": (
            2,
            "PUT /domain/{id}/dcv/validate-token + GET /domain/{id} (validation status and "
            "validated_until), when DNS is already published",
        ),
        "create_adopt": (None, "nothing to adopt: create is a check"),
        "read": (1, "GET /domain/{id}"),
        "update": (0, "only state fields update in place"),
        "delete": (0, "delete only forgets"),
        **_NO_CERTIFICATE,
    },
    "DocumentSigningOrder": {
        "preview": (0, "check and diff are pure"),
        "create": (
            2,
            "GET /order/alternate/{alternative_order_id} (never buy twice) + POST "
            "/order/certificate/{product} (answers id and request)",
        ),
        "create_adopt": (
            2,
            "GET /order/alternate/{id} + GET /order/certificate/{id} (the alternate list lacks "
            "product and organization, needed to check it is this declaration's order)",
        ),
        "read": (1, "GET /order/certificate/{id}"),
        "update": (0, "only purchase-time fields update in place: recorded in state"),
        "delete": (
            2,
            "GET /order/certificate/{id} (the live status decides reject, cancel or leave) + "
            "PUT /request/{id}/status (reject: the new order awaits approval)",
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
        "create": (1, "PUT /finance/account-link"),
        "create_adopt": (None, "create is an idempotent PUT: nothing to adopt"),
        "read": (0, "no endpoint reads a link back"),
        "update": (1, "PUT /finance/account-link"),
        "delete": (0, "no endpoint removes a link: delete only forgets"),
        **_NO_CERTIFICATE,
    },
}

#: The counts the provider is known to make (asserted exactly in CI). Where one is above the
#: minimum, NOTES says why.
EXPECTED: dict[str, dict[str, int | None]] = {
    resource: {op: minimum for op, (minimum, _) in ops.items()} for resource, ops in MINIMUM.items()
}

#: Why an operation makes more calls than its minimum (filled in where EXPECTED differs).
NOTES: dict[tuple[str, str], str] = {}
