"""Lenient response models for the CertCentral Services API v2.

One model per API object. They read what DigiCert sends, not what it documents: every model
keeps unknown fields (``extra="allow"``, reachable through ``model_extra`` or attribute access),
every field is optional, booleans arrive as ``true``/``"1"``/``"0"``/``"true"``, ids as numbers
or numeric strings, money as strings (``"454.00"``, read as :class:`~decimal.Decimal`), and a
``null`` list reads as ``[]``. A value that cannot be read leniently becomes ``None`` rather than
failing the whole response. Dates stay strings: DigiCert mixes ``YYYY-MM-DD`` and ISO 8601.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "AlternateOrder",
    "Balance",
    "CertificateInfo",
    "Contact",
    "Container",
    "CreatedObject",
    "DcvCheck",
    "DcvToken",
    "DcvTokenResponse",
    "DigiCertModel",
    "Domain",
    "DomainCreated",
    "DomainOrganization",
    "DomainValidationInfo",
    "Order",
    "OrderCreated",
    "OrderOrganization",
    "OrderRequest",
    "Organization",
    "OrganizationValidation",
    "Page",
    "Product",
    "Request",
    "RequestOrder",
    "UserRef",
]

_TRUE = frozenset({"1", "true", "yes", "y", "on", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "off", "f", ""})


def _lenient_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def _lenient_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
            return int(number) if number.is_integer() else None
    return None


def _lenient_money(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    return None


def _lenient_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return None


def _list_or_empty(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    return value


def _dict_or_none(value: Any) -> Any:
    return value if isinstance(value, dict) else None


LenientBool = Annotated[bool | None, BeforeValidator(_lenient_bool)]
LenientInt = Annotated[int | None, BeforeValidator(_lenient_int)]
Money = Annotated[Decimal | None, BeforeValidator(_lenient_money)]
Text = Annotated[str | None, BeforeValidator(_lenient_str)]
RequiredId = Annotated[int, BeforeValidator(_lenient_int)]
AnyDict = Annotated[dict[str, Any] | None, BeforeValidator(_dict_or_none)]


class DigiCertModel(BaseModel):
    """Base of every response model: unknown fields kept, lenient values."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, use_attribute_docstrings=True)


class Page(DigiCertModel):
    """The ``page`` object of list responses."""

    total: LenientInt = None
    """Number of items across all pages."""
    limit: LenientInt = None
    """Page size used (0 when none was sent)."""
    offset: LenientInt = None
    """Offset of this page."""


class CreatedObject(DigiCertModel):
    """``{"id": ...}`` returned by creating endpoints such as ``POST /organization``."""

    id: RequiredId
    """The new object's id."""


class Container(DigiCertModel):
    """A container (division)."""

    id: LenientInt = None
    """Container id."""
    parent_id: LenientInt = None
    """Parent container id."""
    name: Text = None
    """Container name."""
    is_active: LenientBool = None
    """Whether the container is active."""


class Contact(DigiCertModel):
    """An organization or technical contact."""

    id: LenientInt = None
    """Contact id (not a user id)."""
    first_name: Text = None
    """First name."""
    last_name: Text = None
    """Last name."""
    email: Text = None
    """Email address."""
    job_title: Text = None
    """Job title."""
    telephone: Text = None
    """Telephone number."""
    telephone_extension: Text = None
    """Telephone extension."""


class ValidationInfo(DigiCertModel):
    """What organizations and domains report for each of their validation types."""

    type: Text = None
    """Validation type (``ov``, ``ev``, ``cs``, ``ev_cs``, ``ds``...)."""
    name: Text = None
    """Display name of the validation type."""
    description: Text = None
    """Description of the validation type."""
    date_created: Text = None
    """When the validation was created."""
    validated_until: Text = None
    """When the validation expires."""
    status: Text = None
    """Validation status, e.g. ``pending``, ``active``, ``expired``."""


class OrganizationValidation(ValidationInfo):
    """One validation type of an organization."""

    verified_users: Annotated[list[dict[str, Any]], BeforeValidator(_list_or_empty)] = Field(
        default_factory=list
    )
    """Verified users (EV, CS), as returned."""


class Organization(DigiCertModel):
    """An organization (``GET /organization/{id}`` and list entries)."""

    id: LenientInt = None
    """Organization id."""
    name: Text = None
    """Legal name."""
    assumed_name: Text = None
    """DBA name."""
    display_name: Text = None
    """Name plus assumed name, as shown in CertCentral."""
    status: Text = None
    """``active`` or ``inactive``."""
    is_active: LenientBool = None
    """Whether the organization is active."""
    address: Text = None
    """Address line 1."""
    address2: Text = None
    """Address line 2."""
    city: Text = None
    """City."""
    state: Text = None
    """State or province."""
    zip: Text = None
    """Postal code."""
    country: Text = None
    """ISO 3166-1 alpha-2 country code (lowercase in DigiCert's examples)."""
    telephone: Text = None
    """Telephone number."""
    container: Container | None = None
    """The container the organization belongs to."""
    organization_contact: Contact | None = None
    """Organization contact."""
    technical_contact: Contact | None = None
    """Technical contact."""
    validations: Annotated[list[OrganizationValidation], BeforeValidator(_list_or_empty)] = Field(
        default_factory=list
    )
    """Validations (present with ``include_validation``)."""


class DcvToken(DigiCertModel):
    """A domain control validation random value."""

    token: Text = None
    """The random value to publish."""
    status: Text = None
    """``pending`` or ``active``."""
    expiration_date: Text = None
    """When the token expires (30 days after it was generated)."""
    verification_value: Text = None
    """CNAME target for ``dns-cname-token`` (``dcv.digicert.com``)."""
    http_token_url: Text = None
    """Where to publish the file for ``http-token``."""


class DomainOrganization(DigiCertModel):
    """The organization nested in a domain (its ``is_active`` arrives as ``"1"``)."""

    id: LenientInt = None
    """Organization id."""
    status: Text = None
    """Organization status."""
    name: Text = None
    """Organization name."""
    assumed_name: Text = None
    """DBA name."""
    display_name: Text = None
    """Display name."""
    is_active: LenientBool = None
    """Whether the organization is active."""


class DomainValidationInfo(ValidationInfo):
    """One validation type of a domain."""

    dcv_status: Text = None
    """DCV status, e.g. ``complete``."""


class Domain(DigiCertModel):
    """A domain (``GET /domain/{id}`` and list entries)."""

    id: LenientInt = None
    """Domain id."""
    name: Text = None
    """Domain name."""
    is_active: LenientBool = None
    """Whether the domain is active."""
    status: Text = None
    """Deprecated overall status (``pending``/``approved``)."""
    is_pending_validation: LenientBool = None
    """Whether a validation is pending."""
    date_created: Text = None
    """When the domain was added."""
    dcv_method: Text = None
    """Current DCV method."""
    dcv_token: DcvToken | None = None
    """Current DCV token (with ``include_dcv``)."""
    dcv_approval_datetime: Text = None
    """When DCV was approved."""
    dcv_expiration_datetime: Text = None
    """When DCV expires."""
    dcv_expiration: AnyDict = None
    """DCV expiration per validation type (``{"ov": ..., "ev": ...}``)."""
    organization: DomainOrganization | None = None
    """The domain's organization."""
    validations: Annotated[list[DomainValidationInfo], BeforeValidator(_list_or_empty)] = Field(
        default_factory=list
    )
    """Validations (with ``include_validation``)."""
    container: Container | None = None
    """The domain's container."""


class DomainCreated(DigiCertModel):
    """Response of ``POST /domain`` and of submitting a domain for validation."""

    id: RequiredId
    """Domain id."""
    dcv_token: DcvToken | None = None
    """DCV token, for token-based methods."""
    validation_emails: AnyDict = None
    """DCV email recipients (``name_scope``, ``base_emails``...), for the email method."""


class DcvTokenResponse(DigiCertModel):
    """Response of ``PUT /domain/{id}/dcv/method``."""

    dcv_token: DcvToken | None = None
    """The new DCV token, for token-based methods."""
    validation_emails: AnyDict = None
    """DCV email recipients, for the email method (``{}`` on older pages)."""


class DcvCheck(DigiCertModel):
    """Response of ``PUT /domain/{id}/dcv/validate-token``."""

    token: Text = None
    """The token checked."""
    status: Text = None
    """``active`` when DCV succeeded, otherwise ``pending``."""


class OrderRequest(DigiCertModel):
    """A request entry inside an order."""

    id: LenientInt = None
    """Request id."""
    status: Text = None
    """``submitted``, ``pending``, ``approved`` or ``rejected``."""
    type: Text = None
    """``new_request``, ``revoke``, ``duplicate`` or ``reissue``."""
    date: Text = None
    """When the request was made."""


class OrderCreated(DigiCertModel):
    """Response of ``POST /order/certificate/{product}``."""

    id: RequiredId
    """Order id."""
    requests: Annotated[list[OrderRequest], BeforeValidator(_list_or_empty)] = Field(
        default_factory=list
    )
    """Requests created with the order (usually one)."""
    certificate_id: LenientInt = None
    """Certificate id, when the request was approved at once."""


class Product(DigiCertModel):
    """The product of an order."""

    name_id: Text = None
    """Product id, e.g. ``document_signing_org_1``."""
    name: Text = None
    """Product name."""
    type: Text = None
    """Product type."""


class OrderOrganization(DigiCertModel):
    """The organization of an order."""

    id: LenientInt = None
    """Organization id."""
    name: Text = None
    """Organization name."""


class CertificateInfo(DigiCertModel):
    """The certificate of an order."""

    id: LenientInt = None
    """Certificate id."""
    common_name: Text = None
    """Common name."""
    date_created: Text = None
    """When the certificate was created."""
    signature_hash: Text = None
    """Signature hash, e.g. ``sha256``."""
    valid_from: Text = None
    """Start of validity (``YYYY-MM-DD``)."""
    valid_till: Text = None
    """End of validity (``YYYY-MM-DD``)."""
    days_remaining: LenientInt = None
    """Days of validity left."""
    serial_number: Text = None
    """Serial number."""
    thumbprint: Text = None
    """Thumbprint."""
    organization: Annotated[OrderOrganization | None, BeforeValidator(_dict_or_none)] = None
    """The certificate's organization (some answers carry it only here)."""


class UserRef(DigiCertModel):
    """A CertCentral user (requester, processor...)."""

    id: LenientInt = None
    """User id."""
    first_name: Text = None
    """First name."""
    last_name: Text = None
    """Last name."""
    email: Text = None
    """Email address."""


class Order(DigiCertModel):
    """An order (``GET /order/certificate/{id}``)."""

    id: LenientInt = None
    """Order id."""
    status: Text = None
    """``needs_approval``, ``pending``, ``processing``, ``waiting_pickup``, ``issued``..."""
    product_name_id: Text = None
    """Product id; filled from ``product.name_id`` when only that is present."""
    product: Product | None = None
    """Product details."""
    certificate: CertificateInfo | None = None
    """The order's certificate."""
    organization: OrderOrganization | None = None
    """The order's organization."""
    container: Container | None = None
    """The order's container."""
    organization_contact: Contact | None = None
    """The order's organization contact (the organization's when the order has none)."""
    technical_contact: Contact | None = None
    """The order's technical contact."""
    requests: Annotated[list[OrderRequest], BeforeValidator(_list_or_empty)] = Field(
        default_factory=list
    )
    """Requests of the order."""
    alternative_order_id: Text = None
    """The caller's alternative order id."""
    payment_method: Text = None
    """``balance``, ``card``, ``profile``..."""
    price: Money = None
    """Price."""
    currency: Text = None
    """Currency of the price."""
    date_created: Text = None
    """When the order was placed."""
    is_renewed: LenientBool = None
    """Whether the order was renewed."""
    renewed_order_id: LenientInt = None
    """The order that renews this one, once placed."""
    is_renewal: LenientBool = None
    """Whether this order renews another."""
    renewal_of_order_id: LenientInt = None
    """The order this one renews."""
    disable_renewal_notifications: LenientBool = None
    """Whether renewal emails are off."""
    cs_provisioning_method: Text = None
    """``ship_token``, ``client_app``, ``email``..."""
    hardware_init_code: Text = Field(default=None, repr=False)
    """What the DigiCert Hardware Certificate Installer needs to put the certificate on a token
    (``ship_token``, ``client_app``): a secret, never shown."""

    @model_validator(mode="after")
    def _product_name_id_from_product(self) -> Order:
        if not self.product_name_id and self.product is not None and self.product.name_id:
            self.product_name_id = self.product.name_id
        return self

    @property
    def certificate_id(self) -> int | None:
        """The certificate id, if the order has one: its certificate's, else a top-level
        ``certificate_id`` some answers carry."""
        if self.certificate is not None and self.certificate.id:
            return self.certificate.id
        return _lenient_int((self.model_extra or {}).get("certificate_id"))

    @property
    def organization_id(self) -> int | None:
        """The order's organization id: its ``organization``'s, else its certificate's."""
        if self.organization is not None:
            return self.organization.id
        if self.certificate is not None and self.certificate.organization is not None:
            return self.certificate.organization.id
        return None


class AlternateOrder(DigiCertModel):
    """An entry of ``GET /order/alternate/{alternative_order_id}``."""

    order_id: LenientInt = None
    """Order id."""
    certificate_id: LenientInt = None
    """Certificate id."""
    status: Text = None
    """Order status."""


class RequestOrder(DigiCertModel):
    """The order summary inside a request."""

    id: LenientInt = None
    """Order id."""
    status: Text = None
    """Order status."""


class Request(DigiCertModel):
    """A request (``GET /request/{id}``, or the body of a revoke)."""

    id: LenientInt = None
    """Request id."""
    status: Text = None
    """``submitted``, ``pending``, ``approved`` or ``rejected``."""
    type: Text = None
    """``new_request``, ``revoke``, ``duplicate`` or ``reissue``."""
    date: Text = None
    """When the request was made."""
    date_processed: Text = None
    """When the request was processed (absent while pending)."""
    comments: Text = None
    """Requester's comments."""
    processor_comment: Text = None
    """Processor's comment."""
    requester: UserRef | None = None
    """Who made the request."""
    processor: UserRef | None = None
    """Who processed the request."""
    order: RequestOrder | None = None
    """The order the request belongs to."""


class Balance(DigiCertModel):
    """Account balance (``GET /finance/balance``). Money values are decimals."""

    balance: Money = None
    """Balance (may be negative)."""
    currency: Text = None
    """Currency, e.g. ``USD``."""
    unpaid_invoice_balance: Money = None
    """Unpaid invoices."""
    negative_balance_limit: Money = None
    """How far the balance may go negative (absent when unlimited)."""
    used_credit_from_other_containers: Money = None
    """Credit used by other containers."""
    total_available_funds: Money = None
    """Funds available for orders (absent when unlimited)."""
    unlimited_negative_balance: LenientBool = False
    """Whether the balance may go negative without limit."""
