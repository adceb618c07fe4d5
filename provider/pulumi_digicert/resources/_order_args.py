"""DocumentSigningOrder's arguments, the request body they produce, its derived order ids, and
its field table (what a change of each input plans).

The body is the one DigiCert's "Order document signing certificate" page documents (request
table and example body); ``tests/test_seed_order_page.py`` checks it field by field. The
lifecycle is in ``document_signing_order.py``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any, Literal

import pydantic

from pulumi_digicert._engine_values import canonical_id, canonical_json
from pulumi_digicert.resources._args import (
    Args,
    ContactArgs,
    CountryCode,
    Email,
    NonEmpty,
    PositiveId,
)
from pulumi_digicert.resources._provider import Field, Mode

__all__ = [
    "ALTERNATIVE_ORDER_ID",
    "CONTACT_FIELDS",
    "FIELDS",
    "IDENTITY_FIELDS",
    "PRODUCTS",
    "STATE_FIELDS",
    "BillingAddressArgs",
    "CreditCardArgs",
    "CustomFieldArgs",
    "DocumentSigningOrderArgs",
    "Product",
    "ShipInfoArgs",
    "SubjectArgs",
    "derive_alternative_order_id",
    "derive_renewal_order_id",
]

Product = Literal["document_signing_org_1", "document_signing_org_2"]
PRODUCTS: tuple[str, ...] = ("document_signing_org_1", "document_signing_org_2")

ALTERNATIVE_ORDER_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")


class SubjectArgs(Args):
    """The person or role named on the certificate: all four fields are required (seed 003)."""

    name: NonEmpty
    job_title: NonEmpty
    phone: NonEmpty
    email: Email


class ShipInfoArgs(Args):
    """Where DigiCert ships the hardware token (``ship_token`` provisioning)."""

    name: NonEmpty
    addr1: NonEmpty
    addr2: str | None = None
    city: NonEmpty
    state: NonEmpty
    zip: NonEmpty
    country: CountryCode
    method: Literal["standard", "expedited", "STANDARD", "EXPEDITED"] = "standard"

    @pydantic.field_validator("method")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


def _luhn_ok(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


class CreditCardArgs(Args):
    """Exactly the card object of the order page (seed 003): ``number`` a string, the expiry
    month and four-digit year and the ``cvv`` integers, all five required. Validated without
    ever echoing a value in a message."""

    number: str
    expiration_month: int = pydantic.Field(ge=1, le=12)
    expiration_year: int = pydantic.Field(ge=1000, le=9999)
    cvv: int = pydantic.Field(ge=0, le=9999)
    cardholder_name: NonEmpty

    @pydantic.field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        digits = re.sub(r"[\s-]", "", value)
        if not digits.isdigit() or not 12 <= len(digits) <= 19:
            raise ValueError("must be 12 to 19 digits")
        if not _luhn_ok(digits):
            raise ValueError("is not a valid card number (checksum)")
        return digits


class BillingAddressArgs(Args):
    """``state`` and ``zip`` are optional for some countries (seed 003)."""

    address: NonEmpty
    address2: str | None = None
    city: NonEmpty
    state: str | None = None
    zip: str | None = None
    country: CountryCode


class CustomFieldArgs(Args):
    metadata_id: PositiveId
    value: str


class DocumentSigningOrderArgs(Args):
    product: Product
    organization_id: PositiveId
    subject: SubjectArgs
    validity_years: int = pydantic.Field(ge=1, le=3)
    signature_hash: Literal["sha256"] = "sha256"
    csr: str | None = None
    server_platform_id: int | None = None
    cs_provisioning_method: Literal["ship_token", "client_app", "email"] | None = None
    use_org_as_common_name: bool | None = None
    ship_info: ShipInfoArgs | None = None
    container_id: PositiveId | None = None
    adopt_order_id: PositiveId | None = None
    """An existing order to hold instead of placing one."""
    organization_contact: ContactArgs | None = None
    technical_contact: ContactArgs | None = None
    comments: str | None = pydantic.Field(default=None, max_length=4000)
    custom_fields: list[CustomFieldArgs] | None = None
    user_id_assignments: list[PositiveId] | None = None
    skip_approval: bool = False
    enable_guest_access: bool | None = None
    """Sent as the integer the order page documents (1 or 0)."""
    payment_method: Literal["balance", "card", "profile"] = "balance"
    credit_card: CreditCardArgs | None = None
    billing_address: BillingAddressArgs | None = None
    vat_number: str | None = None
    alternative_order_id: str = pydantic.Field(pattern=ALTERNATIVE_ORDER_ID.pattern)
    wait_for_issuance_seconds: float = pydantic.Field(default=0, ge=0, le=3600)
    revoke_on_delete: bool = False
    revocation_comment: str | None = pydantic.Field(default=None, max_length=1000)
    """Sent with the revocation, for the administrator who approves it."""
    renew_within_days: int | None = pydantic.Field(default=None, ge=1, le=180)
    """Renew once the issued certificate has at most this many days left (opt-in)."""

    @pydantic.field_validator("csr")
    @classmethod
    def _csr(cls, value: str | None) -> str | None:
        if value is not None and "BEGIN CERTIFICATE REQUEST" not in value:
            raise ValueError("must be a PEM certificate signing request")
        return value

    def order_body(self) -> dict[str, Any]:
        """The body of ``POST /order/certificate/{product}`` for this declaration."""
        certificate: dict[str, Any] = {"signature_hash": self.signature_hash}
        if self.csr is not None:
            certificate["csr"] = self.csr
        if self.server_platform_id is not None:
            certificate["server_platform"] = {"id": self.server_platform_id}
        body: dict[str, Any] = {
            "certificate": certificate,
            "organization": {"id": self.organization_id},
            "order_validity": {"years": self.validity_years},
            "subject": self.subject.model_dump(),
            "payment_method": self.payment_method,
            "alternative_order_id": self.alternative_order_id,
        }
        optional: dict[str, Any] = {
            "cs_provisioning_method": self.cs_provisioning_method,
            "use_org_as_common_name": self.use_org_as_common_name,
            "ship_info": self.ship_info,
            "container": {"id": self.container_id} if self.container_id else None,
            "organization_contact": self.organization_contact,
            "technical_contact": self.technical_contact,
            "comments": self.comments,
            "custom_fields": self.custom_fields,
            "user_id_assignments": self.user_id_assignments,
            "skip_approval": self.skip_approval or None,
            "enable_guest_access": (
                None if self.enable_guest_access is None else int(self.enable_guest_access)
            ),
            "credit_card": self.credit_card,
            "billing_address": self.billing_address,
            "vat_number": self.vat_number,
        }
        for key, value in optional.items():
            if value is None:
                continue
            if isinstance(value, pydantic.BaseModel):
                value = value.model_dump(exclude_none=True)
            elif isinstance(value, list):
                value = [
                    v.model_dump(exclude_none=True) if isinstance(v, pydantic.BaseModel) else v
                    for v in value
                ]
            body[key] = value
        return body

    def renewal_body(self, renewed_order_id: int) -> dict[str, Any]:
        """The declaration's order, linked to the order it renews (``renewal_of_order_id``,
        which DigiCert's document signing page does not list; its other order pages and public
        clients send it) under its own alternative order id."""
        return {
            **self.order_body(),
            "alternative_order_id": derive_renewal_order_id(
                self.alternative_order_id, renewed_order_id
            ),
            "renewal_of_order_id": renewed_order_id,
        }


_IDENTITY_ID_FIELDS = frozenset({"organization_id", "container_id", "server_platform_id"})


def derive_alternative_order_id(
    project: str, stack: str, resource_name: str, identity: Mapping[str, Any]
) -> str:
    """The default idempotency key: the same declaration always yields the same id, and a change
    of any field that forces a new purchase yields a new one. Alphanumeric, 42 characters."""
    # Ids are hashed as numbers, so `organization.id` ("1001") and an output (1001.0) derive the
    # same key: a changed derivation would miss an order placed by an interrupted run.
    normalised = {
        key: canonical_id(value) if key in _IDENTITY_ID_FIELDS else value
        for key, value in identity.items()
    }
    material = canonical_json(
        {"project": project, "stack": stack, "name": resource_name, "identity": normalised}
    )
    return "pd" + hashlib.sha256(material.encode()).hexdigest()[:40]


def derive_renewal_order_id(alternative_order_id: str, renewed_order_id: int) -> str:
    """The alternative order id of the renewal of ``renewed_order_id``, an order placed for the
    declaration whose key is ``alternative_order_id``: the same pair always yields the same id,
    so a retried renewal finds the one already placed. Alphanumeric, 42 characters."""
    material = canonical_json({"renewal_of": int(renewed_order_id), "key": alternative_order_id})
    return "pr" + hashlib.sha256(material.encode()).hexdigest()[:40]


# -- the field table (document_signing_order.py's docstring shows it to people) -----------------

CONTACT_FIELDS: tuple[str, ...] = ("organization_contact", "technical_contact")

IDENTITY_FIELDS: tuple[str, ...] = (
    "product",
    "organization_id",
    "subject",
    "validity_years",
    "signature_hash",
    "csr",
    "server_platform_id",
    "cs_provisioning_method",
    "use_org_as_common_name",
    "container_id",
)
STATE_FIELDS: tuple[str, ...] = (
    "ship_info",
    "comments",
    "custom_fields",
    "user_id_assignments",
    "skip_approval",
    "enable_guest_access",
    "payment_method",
    "credit_card",
    "billing_address",
    "vat_number",
    "alternative_order_id",
    "wait_for_issuance_seconds",
    "revoke_on_delete",
    "revocation_comment",
)

FIELDS: tuple[Field, ...] = (
    *(Field(name, Mode.REPLACE, note="a new purchase") for name in IDENTITY_FIELDS),
    Field("adopt_order_id", Mode.REPLACE, note="hold an existing order: another one replaces"),
    *(
        Field(name, Mode.UPDATE, note="PUT /order/certificate/{id}/contact")
        for name in CONTACT_FIELDS
    ),
    *(
        Field(name, Mode.STATE, secret=(name == "credit_card"), note="purchase time")
        for name in STATE_FIELDS
    ),
    # Read at refresh; a due renewal then replaces through the recorded `renewal_due` (diff).
    Field("renew_within_days", Mode.STATE, note="renewal window, read at refresh"),
)
