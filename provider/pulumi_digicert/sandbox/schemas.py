"""Request parsing: the shapes CertCentral documents, strictly (unknown fields are refused).

What belongs here: request bodies and query parameters as DigiCert's pages give them, and how
they are read (filters, sorting, paging). What does not: what an operation does with them (the
area modules) and how answers are shaped.

Each request body is a pydantic model with ``extra="forbid"`` and strict types; a validation
failure becomes a 400 in CertCentral's envelope, one entry per problem:
``missing_field|<path>`` for a required field, ``invalid_field|<path>`` for an unknown field,
a wrong type or a value outside the documented set. Messages never echo the submitted value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError

from .errors import ApiError, bad_request
from .store import Row

M = TypeVar("M", bound=BaseModel)

ValidationType = Literal["ov", "ev", "cs", "ev_cs", "ds", "smime"]
DomainValidationType = Literal["ov", "ev", "dv", "cs", "ev_cs", "ds", "smime"]
DcvMethod = Literal["email", "dns-txt-token", "dns-cname-token", "http-token"]
ContactType = Literal["organization_contact", "technical_contact"]
Text64 = Annotated[str, Field(min_length=1, max_length=64)]
Text = Annotated[str, Field(min_length=1)]


def _language_id(value: Any) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value
    raise ValueError("expected an integer or a string of digits")


# The contact pages' own examples send language_id as a string ("1"); an integer is accepted too.
LanguageId = Annotated[int | str, PlainValidator(_language_id)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class NoBody(Body):
    """Endpoints documented without a body accept none (or ``{}``)."""


class IdRef(Body):
    id: int


class TypeRef(Body):
    type: DomainValidationType


# ---------------------------------------------------------------- organizations


class Contact(Body):
    first_name: str
    last_name: str
    email: str
    job_title: str | None = None
    telephone: str | None = None
    telephone_extension: str | None = None


class VerifiedUser(Body):
    id: int | None = None
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    telephone: str | None = None
    email: str | None = None


class OrganizationValidation(Body):
    type: ValidationType
    verified_users: list[VerifiedUser] | None = None


class OrganizationCreate(Body):
    name: Text64
    assumed_name: Text64 | None = None
    address: Text64
    address2: Annotated[str, Field(max_length=64)] | None = None
    city: Text64
    state: Text64
    zip: Annotated[str, Field(min_length=1, max_length=32)]
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
    telephone: str | None = None
    organization_contact: Contact | None = None
    technical_contact: Contact | None = None
    container: IdRef | None = None
    validations: list[OrganizationValidation] | None = None
    skip_duplicate_org_check: bool = False


class ContactUpdate(Body):
    contact_type: ContactType
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    job_title: str | None = None
    telephone: str | None = None
    telephone_extension: str | None = None
    language_id: LanguageId | None = None


class ContactsUpdate(Body):
    contacts: Annotated[list[ContactUpdate], Field(min_length=1)]


class OrderContactUpdate(Body):
    """``PUT /order/certificate/{id}/contact``: adds, replaces or modifies; never removes."""

    contact_type: ContactType
    first_name: Annotated[str, Field(min_length=1, max_length=128)]
    last_name: Annotated[str, Field(min_length=1, max_length=128)]
    email: Text
    job_title: str | None = None
    telephone: str | None = None
    telephone_extension: str | None = None
    language_id: LanguageId | None = None


class OrderContactsUpdate(Body):
    contacts: Annotated[list[OrderContactUpdate], Field(min_length=1)]


class OrganizationValidationSubmit(Body):
    validations: Annotated[list[OrganizationValidation], Field(min_length=1)]


# ---------------------------------------------------------------- domains


class DomainAdd(Body):
    name: Annotated[str, Field(min_length=1, max_length=253)]
    organization: IdRef
    validations: Annotated[list[TypeRef], Field(min_length=1)]
    dcv_method: DcvMethod | None = None
    email_array: list[str] | None = None
    locale: str | None = None
    keep_www: bool | None = None


class DcvMethodChange(Body):
    dcv_method: DcvMethod
    send_dcv_email_flag: bool | None = None


class DcvTokenCreate(Body):
    validations: list[Any] | None = None  # deprecated and ignored, as documented


class DomainValidationSubmit(Body):
    validations: Annotated[list[TypeRef], Field(min_length=1)]
    dcv_method: DcvMethod | None = None
    email_array: list[str] | None = None


# ---------------------------------------------------------------- orders
#
# The document signing order body as the request table of DigiCert's "Order document signing
# certificate" page gives it (names, required or not, JSON types). "Conditional" fields are
# optional here and required by the rules in orders.py.


class CertificateSpec(Body):
    signature_hash: Literal["sha256"]
    csr: str | None = None
    server_platform: IdRef | None = None


class OrderValidity(Body):
    years: Annotated[int, Field(ge=1, le=3)]


class OrderContact(Body):
    first_name: Text
    last_name: Text
    email: Text
    job_title: str | None = None
    telephone: str | None = None
    telephone_extension: str | None = None


class ShipInfo(Body):
    name: Text
    addr1: Text
    addr2: str | None = None
    city: Text
    state: Text
    zip: Text
    country: Text
    method: Text


class Subject(Body):
    name: Text
    job_title: Text
    phone: Text
    email: Text


class CreditCard(Body):
    number: Annotated[str, Field(pattern=r"^[0-9]{12,19}$")]
    expiration_month: Annotated[int, Field(ge=1, le=12)]
    expiration_year: Annotated[int, Field(ge=1000, le=9999)]
    cvv: Annotated[int, Field(ge=0, le=9999)]
    cardholder_name: Text


class BillingAddress(Body):
    address: Text
    address2: str | None = None
    city: Text
    state: str | None = None
    country: Text
    zip: str | None = None


class CustomField(Body):
    metadata_id: int
    value: str


class DocumentSigningOrder(Body):
    certificate: CertificateSpec
    order_validity: OrderValidity | None = None  # required unless the deprecated validity_years
    organization: IdRef
    validity_years: Annotated[int, Field(ge=1, le=3)] | None = None
    container: IdRef | None = None
    cs_provisioning_method: Literal["ship_token", "client_app", "email"] | None = None
    use_org_as_common_name: bool | None = None
    comments: str | None = None
    organization_contact: OrderContact | None = None
    technical_contact: OrderContact | None = None
    ship_info: ShipInfo | None = None
    subject: Subject
    csa_agreed_to: Any = None  # in the page's example body, not in its table
    skip_approval: bool | None = None
    payment_method: Literal["balance", "card", "profile"] | None = None
    credit_card: CreditCard | None = None
    billing_address: BillingAddress | None = None
    vat_number: str | None = None
    enable_guest_access: Annotated[int, Field(ge=0, le=1)] | None = None
    alternative_order_id: Annotated[str, Field(max_length=64, pattern=r"^[A-Za-z0-9]+$")] | None = (
        None
    )
    custom_fields: list[CustomField] | None = None
    user_id_assignments: list[int] | None = None
    # Not in the document signing page's table: the order to renew, as DigiCert's other order
    # pages and public clients send it (riboseinc/digicert README, sapcc/go-certcentral order.go).
    renewal_of_order_id: int | None = None


class OrderStatusUpdate(Body):
    status: Literal["canceled", "renewed", "not_renewed"]
    note: str | None = None


class RevokeOrder(Body):
    comments: str | None = None
    comment: str | None = None
    # The values the "Revoke order certificates" page lists (camelCase, as DigiCert writes them);
    # DigiCert ignores the reason for all but TLS certificates.
    revocation_reason: (
        Literal[
            "unspecified",
            "keyCompromise",
            "affiliationChanged",
            "superseded",
            "cessationOfOperation",
        ]
        | None
    ) = None
    skip_approval: bool | None = None


class RequestStatusUpdate(Body):
    status: Literal["approved", "rejected", "pending", "submitted"]
    processor_comment: str | None = None


# ---------------------------------------------------------------- parsing


MAX_JSON_DEPTH = 32
"""CertCentral's request bodies nest four levels deep; far deeper is an attack, not a request."""


def decode_json(raw: bytes) -> Any:
    """The request body as JSON (an empty body is ``{}``); 400 bad_request_format otherwise.

    Strict JSON only: no ``NaN`` or ``Infinity``, no number too large for a double, no text
    that is not Unicode (a lone surrogate escape), no nesting deeper than :data:`MAX_JSON_DEPTH`.
    Each would otherwise reach the store or the clock, or exhaust the parser's recursion.
    """
    if not raw.strip():
        return {}
    invalid = bad_request("bad_request_format", "The request body is not valid JSON.")
    if _nesting_depth(raw) > MAX_JSON_DEPTH:
        raise bad_request(
            "bad_request_format",
            f"The request body nests deeper than {MAX_JSON_DEPTH} levels.",
        )
    try:
        document = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
        # Lone surrogates decode from \ud800 escapes but cannot be encoded back.
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeError, RecursionError):
        raise invalid from None
    return document


def _nesting_depth(raw: bytes) -> int:
    """How deep brackets nest outside strings (no recursion, one pass)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def parse(model: type[M], document: Any) -> M:
    if not isinstance(document, dict):
        raise bad_request("bad_request_format", "The request body must be a JSON object.")
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        raise ApiError.many(400, [_describe(error) for error in exc.errors()]) from None


def _describe(error: Mapping[str, Any]) -> tuple[str, str]:
    path = ".".join(str(part) for part in error["loc"]) or "body"
    kind = error["type"]
    if kind == "missing":
        return f"missing_field|{path}", f"The field {path} is required."
    if kind == "extra_forbidden":
        return f"invalid_field|{path}", f"Unknown field: {path}."
    return f"invalid_field|{path}", f"Invalid value for {path}: {error['msg']}."


MAX_PAGE = 1000
# The query parameters Query.page reads, and with Query.ordered's "sort".
PAGING = frozenset({"offset", "limit"})
SORTED_PAGING = PAGING | {"sort"}
# What the organization list and the domain list both accept (API.md A4, B3).
VALIDATED_LIST = SORTED_PAGING | {"include_validation", "filters[status]", "filters[search]"}


class Query:
    """Query parameters of one request; names outside ``allowed`` are refused.

    Lists read them as API.md F5 describes: ``filters[...]``, ``sort`` and ``offset``/``limit``.
    """

    def __init__(self, params: Mapping[str, str], allowed: set[str]) -> None:
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise ApiError.many(
                400,
                [
                    (f"invalid_field|{name}", f"Unknown query parameter: {name}.")
                    for name in unknown
                ],
            )
        self._params = params

    def text(self, name: str) -> str | None:
        return self._params.get(name)

    def flag(self, name: str) -> bool:
        value = self._params.get(name)
        if value is None:
            return False
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0", ""):
            return False
        raise bad_request(f"invalid_field|{name}", f"Invalid value for {name}: expected a boolean.")

    def integer(self, name: str, *, minimum: int = 0, maximum: int | None = None) -> int | None:
        value = self._params.get(name)
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum or (maximum is not None and number > maximum):
            bounds = f">= {minimum}" + (f" and <= {maximum}" if maximum is not None else "")
            raise bad_request(
                f"invalid_field|{name}", f"Invalid value for {name}: expected an integer {bounds}."
            )
        return number

    def choice(self, name: str, choices: tuple[str, ...]) -> str | None:
        value = self._params.get(name)
        if value is not None and value not in choices:
            raise bad_request(
                f"invalid_field|{name}",
                f"Invalid value for {name}: expected one of {', '.join(choices)}.",
            )
        return value

    def ordered(self, items: list[Row], allowed: set[str]) -> list[Row]:
        """``sort=name,-date_created``: ascending unless prefixed with ``-``."""
        sort = self.text("sort")
        if not sort:
            return items
        keys = [part.strip() for part in sort.split(",") if part.strip()]
        for key in reversed(keys):
            name = key.lstrip("-")
            if name not in allowed:
                raise bad_request("invalid_field|sort", f"Cannot sort by {name}.")
            items = sorted(items, key=_sort_key(name), reverse=key.startswith("-"))
        return items

    def page(self, items: list[Any]) -> tuple[list[Any], dict[str, int]]:
        """``offset``/``limit`` (at most 1000) and the ``page`` object."""
        offset = self.integer("offset") or 0
        limit = self.integer("limit", minimum=1, maximum=MAX_PAGE) or MAX_PAGE
        return items[offset : offset + limit], {
            "total": len(items),
            "limit": limit,
            "offset": offset,
        }


def _sort_key(name: str) -> Callable[[Row], tuple[bool, Any]]:
    def key(item: Row) -> tuple[bool, Any]:
        value = item.get(name)
        return (value is None, value if value is not None else 0)

    return key


def search_matches(pattern: str | None, *candidates: str) -> bool:
    """``filters[search]``: exact match, or "contains" when the value starts with ``%``."""
    if pattern is None:
        return True
    if pattern.startswith("%"):
        needle = pattern.lstrip("%").lower()
        return any(needle in candidate.lower() for candidate in candidates)
    return any(pattern.lower() == candidate.lower() for candidate in candidates)
