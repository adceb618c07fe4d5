"""What a change to each input of each resource must plan, written down apart from the code.

The provider's diff is computed from each resource module's field table. A guard that took its
expectations from that same table could not see a misclassified field (``product`` moved to the
purchase-time fields would silently keep the old order after a product change). So this table
is written by hand from the public contract, not derived: DESIGN.md ("Contract: resources") and
the README's argument tables ("On change" column). ``tests/resources/test_provider_diff.py`` and the
campaign's preview section both judge the provider's diff against it.

A field the provider declares but this table lacks fails loudly: check the field's mode against
DESIGN.md and the README, then add its row here.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["EXPECTED_MODES", "MissingContractRowError", "expected_mode", "missing_rows"]

REPLACE, UPDATE, STATE = "replace", "update", "state"

EXPECTED_MODES: dict[str, dict[str, str]] = {
    # DESIGN.md: "The legal identity (name, assumed name, address fields, country, telephone,
    # container) replaces: CertCentral has no organization update. Contacts update in place.
    # Adding a validation type updates in place"; README: skip_duplicate_org_check and
    # delete_on_destroy are state.
    "Organization": {
        "name": REPLACE,
        "assumed_name": REPLACE,
        "address": REPLACE,
        "address2": REPLACE,
        "city": REPLACE,
        "state": REPLACE,
        "zip": REPLACE,
        "country": REPLACE,
        "telephone": REPLACE,
        "container_id": REPLACE,
        "organization_contact": UPDATE,
        "technical_contact": UPDATE,
        "validations": UPDATE,
        "skip_duplicate_org_check": STATE,
        "delete_on_destroy": STATE,
    },
    # DESIGN.md: "domain_name and organization_id replace; dcv_method updates in place;
    # validations updates in place"; README: revalidate_days_before_expiry is state.
    "DomainValidation": {
        "domain_name": REPLACE,
        "organization_id": REPLACE,
        "validations": UPDATE,
        "dcv_method": UPDATE,
        "revalidate_days_before_expiry": STATE,
    },
    # README: domain_id and dcv_token replace (a new token is checked again); the waits are
    # state.
    "DomainValidationCheck": {
        "domain_id": REPLACE,
        "dcv_token": REPLACE,
        "wait_timeout_seconds": STATE,
        "poll_interval_seconds": STATE,
    },
    # DESIGN.md: "Fields that define the certificate replace; purchase-time fields (payment,
    # card, billing address, comments, approval, guest access, custom fields, user assignments)
    # are state. organization_contact and technical_contact update in place"; README: ship_info,
    # vat_number, alternative_order_id, wait_for_issuance_seconds and revoke_on_delete are state;
    # adopt_order_id replaces (holding another existing order is another resource).
    "DocumentSigningOrder": {
        "product": REPLACE,
        "organization_id": REPLACE,
        "subject": REPLACE,
        "validity_years": REPLACE,
        "signature_hash": REPLACE,
        "csr": REPLACE,
        "server_platform_id": REPLACE,
        "cs_provisioning_method": REPLACE,
        "use_org_as_common_name": REPLACE,
        "container_id": REPLACE,
        "adopt_order_id": REPLACE,
        "organization_contact": UPDATE,
        "technical_contact": UPDATE,
        "ship_info": STATE,
        "comments": STATE,
        "custom_fields": STATE,
        "user_id_assignments": STATE,
        "skip_approval": STATE,
        "enable_guest_access": STATE,
        "payment_method": STATE,
        "credit_card": STATE,
        "billing_address": STATE,
        "vat_number": STATE,
        "alternative_order_id": STATE,
        "wait_for_issuance_seconds": STATE,
        "revoke_on_delete": STATE,
        # Issue 16 (README, DocumentSigningOrder): read at delete and at refresh, no API call.
        "revocation_comment": STATE,
        "renew_within_days": STATE,
    },
    # DESIGN.md: "a key change shows as an update without the key ever being stored".
    "BillingAccountLink": {
        "billing_account_api_key": UPDATE,
        "partner_api_key": UPDATE,
    },
}


class MissingContractRowError(LookupError):
    """A field the provider declares has no row in :data:`EXPECTED_MODES`."""


def expected_mode(resource: str, field: str) -> str:
    """``replace``, ``update`` or ``state`` for ``resource.field``, as the contract says."""
    try:
        return EXPECTED_MODES[resource][field]
    except KeyError:
        raise MissingContractRowError(
            f"{resource}.{field} has no row in the expected field modes "
            "(qa/field_contract.py): check its mode against DESIGN.md and "
            "the README's argument table, then add the row"
        ) from None


def missing_rows(resource: str, declared: Iterable[str]) -> list[str]:
    """Fields ``resource`` declares that the contract table lacks, and rows the table has for
    fields the resource no longer declares (``-name``)."""
    rows = EXPECTED_MODES.get(resource, {})
    names = list(declared)
    missing = [name for name in names if name not in rows]
    stale = [f"-{name}" for name in rows if name not in names]
    return missing + stale
