"""DocumentSigningOrder: a document signing certificate order. Placing one costs money.

The request body is the one DigiCert's "Order document signing certificate" page documents
(request table and example body); `tests/test_seed_order_page.py` checks it field by field.

| input | type | on change | notes |
|---|---|---|---|
| `product` | `document_signing_org_1` \\| `document_signing_org_2` | replace | a new purchase |
| `organization_id` | int | replace | a new purchase |
| `subject` | {name, job_title, phone, email}, all required | replace | a new purchase |
| `validity_years` | 1-3 | replace | sent as `order_validity.years`; a new purchase |
| `signature_hash` | `sha256` | replace | |
| `csr` | PEM | replace | required for `email` provisioning |
| `server_platform_id` | int | replace | CertCentral's default is -1 (other) |
| `cs_provisioning_method` | `ship_token` \\| `client_app` \\| `email` | replace | |
| `use_org_as_common_name` | bool | replace | |
| `container_id` | int | replace | division that owns the order |
| `adopt_order_id` | int | replace | hold this existing order instead of buying one (checked against product and organization); naming the order already held is no change, another order replaces |
| `organization_contact`, `technical_contact` | contact | update | `PUT /order/certificate/{id}/contact`; CertCentral cannot remove one: a removed contact stays on the order |
| `ship_info` | {name, addr1, addr2, city, state, zip, country, method} | state | purchase time |
| `comments`, `custom_fields`, `user_id_assignments` | | state | purchase time |
| `skip_approval` | bool | state | purchase time |
| `enable_guest_access` | bool or 0/1 | state | purchase time; sent as the integer 1 or 0 |
| `payment_method` | `balance` \\| `card` \\| `profile` | state | purchase time |
| `credit_card` | {number, expiration_month, expiration_year, cvv, cardholder_name} | state | secret, never stored: a salted fingerprint detects a change |
| `billing_address`, `vat_number` | | state | purchase time |
| `alternative_order_id` | alphanumeric, <= 64 | state | idempotency key; derived when not given |
| `wait_for_issuance_seconds` | 0-3600 | state | how long create waits for issuance |
| `revoke_on_delete` | bool | state | delete revokes an issued certificate |

Outputs: `order_id`, `request_id`, `request_status`, `status`, `certificate_id`,
`alternative_order_id`, `adopted`.

`adopt_order_id` brings an order placed outside the stack under management without buying: create
reads that order, refuses it unless it is live and of the declared product and organization, and
holds it. Delete leaves such an order as it is (one line on stderr says so). A change that would
place a new order while `adopt_order_id` (or an explicit `alternative_order_id`) names the held
one is refused by check: the new resource would hold the very order the engine then deletes.

Never buy twice: create first looks the `alternative_order_id` up and adopts a live order for the
same product and organization; after a request whose outcome is unknown it looks up again before
anything else; a second order is never placed for one declaration. Once an order exists, create
does not fail: it returns the order in whatever state it is in, and refresh carries it forward.

Refresh reads the order's status and its contacts (the declared ones: a contact changed in
CertCentral shows as drift, and the next `up` puts the declared one back).

Delete: a request awaiting approval is rejected; a pending or waiting-pickup order is canceled; an
issued certificate is left alone unless `revoke_on_delete` (a pending reissue is canceled first,
as a certificate with one cannot be revoked); an order already gone is success; an order in a
status this provider does not know is never forgotten silently: the delete fails and says what to
do.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Literal

import pulumi
import pydantic
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, ReadResult, UpdateResult

from pulumi_digicert._notice import notice
from pulumi_digicert.client import errors
from pulumi_digicert.resources._base import (
    Field,
    Mode,
    Provider,
    canonical_id,
    canonical_json,
    contains_unknown,
    is_unknown,
    parse_args,
)
from pulumi_digicert.resources._common import (
    CONTACT_KEYS,
    Args,
    ContactArgs,
    CountryCode,
    Email,
    NonEmpty,
    PositiveId,
    ResourceError,
    api_detail,
    as_dict,
    contact_from_api,
    log,
    lookup_after_unknown_outcome,
    why,
)
from pulumi_digicert.resources._pickling import restore_pickler

Product = Literal["document_signing_org_1", "document_signing_org_2"]
PRODUCTS: tuple[str, ...] = ("document_signing_org_1", "document_signing_org_2")

LIVE_STATUSES = frozenset(
    {"needs_approval", "pending", "processing", "waiting_pickup", "reissue_pending", "issued"}
)
GONE_STATUSES = frozenset({"canceled", "rejected"})
# An order in one of these can never become the declared one again: a new purchase may follow.
# Any other status, including one this provider does not know or none at all, blocks it.
DEAD_STATUSES = frozenset({"canceled", "rejected", "revoked", "expired"})
# Waits before looking again for an order DigiCert accepted (2xx) but whose answer was lost:
# its alternative-id index may lag behind the order itself.
ACCEPTED_LOOKUP_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0)
FINAL_STATUSES = frozenset({"issued", "canceled", "rejected", "revoked", "expired"})

ALTERNATIVE_ORDER_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")

# Statuses the provider knows how to read and retire (API.md C3), in lower case.
KNOWN_STATUSES = LIVE_STATUSES | GONE_STATUSES | FINAL_STATUSES
CONTACT_FIELDS: tuple[str, ...] = ("organization_contact", "technical_contact")
NOTE = "Deleted from its Pulumi stack"

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
)


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

    @pydantic.field_validator("csr")
    @classmethod
    def _csr(cls, value: str | None) -> str | None:
        if value is not None and "BEGIN CERTIFICATE REQUEST" not in value:
            raise ValueError("must be a PEM certificate signing request")
        return value


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


class DocumentSigningOrderProvider(Provider):
    fields: ClassVar[tuple[Field, ...]] = FIELDS
    args_model = DocumentSigningOrderArgs
    defaults: ClassVar[Mapping[str, Any]] = {
        "signature_hash": "sha256",
        "skip_approval": False,
        "payment_method": "balance",
        "wait_for_issuance_seconds": 0,
        "revoke_on_delete": False,
    }
    id_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "organization_id",
            "container_id",
            "server_platform_id",
            "user_id_assignments",
            "adopt_order_id",
        }
    )

    clock: Callable[[], float] = staticmethod(time.monotonic)
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def check_rules(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        failures: list[CheckFailure] = []
        payment = inputs.get("payment_method") or "balance"
        if payment == "card":
            for name in ("credit_card", "billing_address"):
                if inputs.get(name) is None:
                    failures.append(CheckFailure(name, "is required when payment_method is 'card'"))
        elif not is_unknown(payment) and inputs.get("credit_card") is not None:
            failures.append(
                CheckFailure(
                    "credit_card",
                    f"is only used with payment_method 'card' (payment_method is {payment!r}); "
                    "remove it so card data is not sent",
                )
            )
        if inputs.get("cs_provisioning_method") == "email" and inputs.get("csr") is None:
            failures.append(
                CheckFailure("csr", "is required when cs_provisioning_method is 'email'")
            )
        return failures

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = super().check(_olds, news)
        failure = self._replacement_holding_the_old_order(_olds, news)
        if failure is not None:
            result.failures = [*(result.failures or []), failure]
        return result

    def field_changed(self, field: Field, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        if field.name != "adopt_order_id":
            return super().field_changed(field, olds, news)
        # Naming the order this resource already holds is no change; leaving it out keeps it.
        new = news.get("adopt_order_id")
        if new is None:
            return False
        if contains_unknown(new):
            return True
        held = olds.get("order_id", olds.get("adopt_order_id"))
        return bool(canonical_id(held) != canonical_id(new))

    def _replacement_holding_the_old_order(
        self, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> CheckFailure | None:
        """A new order whose create would find the old one (by ``adopt_order_id`` or by an
        unchanged explicit ``alternative_order_id``) would hold the order the engine deletes
        right after: refuse it in preview, saying what to change."""
        if not olds:
            return None  # a create, or the engine's re-check of a replacement (empty olds)
        replacing = [
            f.name
            for f in self.fields
            if f.mode is Mode.REPLACE
            and f.name != "adopt_order_id"
            and self.field_changed(f, olds, news)
        ]
        if not replacing or any(contains_unknown(news.get(name)) for name in replacing):
            return None
        adopt_old, adopt_new = olds.get("adopt_order_id"), news.get("adopt_order_id")
        if adopt_new is not None:
            if is_unknown(adopt_new) or canonical_id(adopt_old) != canonical_id(adopt_new):
                return None  # another order is named: it is held, not the old one
            return CheckFailure(
                "adopt_order_id",
                f"changing {', '.join(replacing)} needs another order, but adopt_order_id "
                f"{canonical_id(adopt_new)} names the order this resource holds; remove "
                "adopt_order_id to place a new order, or name another existing order",
            )
        old_id, new_id = olds.get("alternative_order_id"), news.get("alternative_order_id")
        if old_id is None or is_unknown(old_id) or is_unknown(new_id) or old_id != new_id:
            return None
        return CheckFailure(
            "alternative_order_id",
            f"changing {', '.join(replacing)} places a new order, which cannot reuse "
            f"alternative_order_id {old_id!r} of the order this resource holds; set a new "
            "alternative_order_id, or remove it so one is derived from the declaration",
        )

    # -- order summaries -------------------------------------------------------------

    @staticmethod
    def _summary_from_info(info: Mapping[str, Any]) -> dict[str, Any]:
        requests = [as_dict(r) for r in info.get("requests") or []]
        first_request = requests[0] if requests else {}
        certificate = as_dict(info.get("certificate"))
        return {
            "order_id": int(info["id"]),
            "status": info.get("status"),
            "request_id": first_request.get("id"),
            "request_status": first_request.get("status"),
            "certificate_id": certificate.get("id") or info.get("certificate_id"),
        }

    @staticmethod
    def _summary_from_created(created: Any) -> dict[str, Any]:
        data = as_dict(created)
        requests = [as_dict(r) for r in data.get("requests") or []]
        request = requests[0] if requests else {}
        request_status = request.get("status")
        # Until the request is approved the order waits for approval; refresh reads the rest.
        status = "pending" if request_status == "approved" else "needs_approval"
        return {
            "order_id": int(data["id"]),
            "status": status,
            "request_id": request.get("id"),
            "request_status": request_status,
            "certificate_id": data.get("certificate_id"),
        }

    @staticmethod
    def _product_of(info: Mapping[str, Any]) -> str | None:
        product = as_dict(info.get("product"))
        return info.get("product_name_id") or product.get("name_id")

    @staticmethod
    def _organization_of(info: Mapping[str, Any]) -> int | None:
        organization = as_dict(info.get("organization")) or as_dict(
            as_dict(info.get("certificate")).get("organization")
        )
        value = organization.get("id")
        return int(value) if value is not None else None

    # -- idempotent create -----------------------------------------------------------

    def _find_existing(self, args: DocumentSigningOrderArgs) -> dict[str, Any] | None:
        """The order already carrying this declaration's alternative order id, if any.

        Only an order in a dead status (canceled, rejected, revoked, expired) is passed over;
        statuses compare without regard to case, and an unknown or missing status counts as an
        order that blocks a new purchase. A lookup answer that cannot be read raises (the client
        only returns what is DigiCert's documented "none" or a well-formed list).
        """
        candidates = sorted(
            (as_dict(o) for o in self.api.orders.list_by_alternative_id(args.alternative_order_id)),
            key=lambda o: int(o.get("order_id") or 0),
        )
        mismatched: list[str] = []
        for candidate in candidates:
            if str(candidate.get("status") or "").strip().lower() in DEAD_STATUSES:
                continue
            info = as_dict(self.api.orders.get(int(candidate["order_id"])))
            product, organization = self._product_of(info), self._organization_of(info)
            if product == args.product and organization == args.organization_id:
                return self._summary_from_info(info)
            mismatched.append(f"order {info.get('id')} ({product}, organization {organization})")
        if mismatched:
            raise ResourceError(
                f"alternative_order_id {args.alternative_order_id!r} already belongs to "
                f"{', '.join(mismatched)}, which does not match this declaration ({args.product}, "
                f"organization {args.organization_id}), so no order was placed: set a different "
                "alternative_order_id."
            )
        return None

    def _find_before_ordering(self, args: DocumentSigningOrderArgs) -> dict[str, Any] | None:
        """:meth:`_find_existing` before any order is sent: an unreadable answer stops create."""
        try:
            return self._find_existing(args)
        except errors.InvalidResponseError as exc:
            raise ResourceError(
                f"DigiCert's answer to the lookup of alternative_order_id "
                f"{args.alternative_order_id!r} could not be read ({exc.reason}), so no order was "
                "placed: run `pulumi up` again, and if this repeats check that digicert:baseUrl "
                "is CertCentral's address."
            ) from None
        except errors.DigiCertError as exc:
            raise ResourceError(f"No order was placed: {errors.user_message(exc)}") from None

    def _find_after_unknown_outcome(
        self, args: DocumentSigningOrderArgs, *, accepted: bool
    ) -> dict[str, Any] | None:
        """Look the order up after a request whose outcome is unknown.

        ``None`` only when DigiCert gave its documented "none". When no lookup gave a usable
        answer nobody knows whether the order exists: stop, without sending it again.
        """
        try:
            found = lookup_after_unknown_outcome(
                lambda: self._find_existing(args), sleep=self.sleep
            )
            # A 2xx proved the order exists: give the alternative-id index time to show it.
            for delay in ACCEPTED_LOOKUP_DELAYS if accepted else ():
                if found is not None:
                    break
                self.sleep(delay)
                found = lookup_after_unknown_outcome(
                    lambda: self._find_existing(args), sleep=self.sleep
                )
        except errors.DigiCertError as exc:
            raise ResourceError(
                f"The order request's outcome is unknown and the lookup of alternative_order_id "
                f"{args.alternative_order_id!r} gave no usable answer ({why(exc)}), so the order "
                "was not sent again: run `pulumi up` again, which looks up alternative_order_id "
                "first and adopts the order if it was placed."
            ) from None
        return found

    def _order_body(self, args: DocumentSigningOrderArgs) -> dict[str, Any]:
        certificate: dict[str, Any] = {"signature_hash": args.signature_hash}
        if args.csr is not None:
            certificate["csr"] = args.csr
        if args.server_platform_id is not None:
            certificate["server_platform"] = {"id": args.server_platform_id}
        body: dict[str, Any] = {
            "certificate": certificate,
            "organization": {"id": args.organization_id},
            "order_validity": {"years": args.validity_years},
            "subject": args.subject.model_dump(),
            "payment_method": args.payment_method,
            "alternative_order_id": args.alternative_order_id,
        }
        optional: dict[str, Any] = {
            "cs_provisioning_method": args.cs_provisioning_method,
            "use_org_as_common_name": args.use_org_as_common_name,
            "ship_info": args.ship_info,
            "container": {"id": args.container_id} if args.container_id else None,
            "organization_contact": args.organization_contact,
            "technical_contact": args.technical_contact,
            "comments": args.comments,
            "custom_fields": args.custom_fields,
            "user_id_assignments": args.user_id_assignments,
            "skip_approval": args.skip_approval or None,
            "enable_guest_access": (
                None if args.enable_guest_access is None else int(args.enable_guest_access)
            ),
            "credit_card": args.credit_card,
            "billing_address": args.billing_address,
            "vat_number": args.vat_number,
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

    def _place(self, args: DocumentSigningOrderArgs) -> tuple[dict[str, Any], bool]:
        """Place the order once. Returns the order and whether it was found rather than placed.

        The order is sent again only after DigiCert said, in its documented way, that no order
        has this alternative order id, and never after a 2xx (which proves the order exists).
        """
        body = self._order_body(args)
        for _attempt in range(3):
            try:
                created = self.api.orders.order_document_signing(args.product, body)
                return self._summary_from_created(created), False
            except errors.OutcomeUnknownError as exc:
                log.info(
                    "order request for alternative_order_id %s: outcome unknown; looking it up",
                    args.alternative_order_id,
                )
                found = self._find_after_unknown_outcome(args, accepted=exc.accepted)
                if found is not None:
                    return found, True
                if exc.accepted:
                    raise ResourceError(
                        f"DigiCert accepted the order for alternative_order_id "
                        f"{args.alternative_order_id!r} ({exc.status}) but its answer could not "
                        "be read and the lookup does not list the order yet, so it was not sent "
                        "again: wait a few minutes and run `pulumi up` again, which looks up "
                        f"alternative_order_id {args.alternative_order_id!r} first and adopts "
                        "the order."
                    ) from None
                # DigiCert said no such order exists after an answer that was not a 2xx: it was
                # not placed, so sending it again cannot buy twice.
            except errors.AlternativeOrderIdTakenError as exc:
                found = self._find_existing(args)
                if found is not None:
                    return found, True
                raise ResourceError(
                    f"CertCentral refused alternative_order_id {args.alternative_order_id!r} "
                    "because the account requires unique alternative order IDs and an order that "
                    f"is no longer live already has it ({api_detail(exc)}), so no order was "
                    "placed: set a new alternative_order_id on this resource."
                ) from None
        raise ResourceError(
            f"The order for alternative_order_id {args.alternative_order_id!r} was sent three "
            "times, each answer was lost and each lookup found no order, so it was not sent "
            "again: run `pulumi up` again later, which looks the id up first."
        )

    def _wait_for_issuance(
        self, args: DocumentSigningOrderArgs, order: dict[str, Any]
    ) -> dict[str, Any]:
        deadline = self.clock() + args.wait_for_issuance_seconds
        delay = 1.0
        while order.get("status") not in FINAL_STATUSES:
            remaining = deadline - self.clock()
            if remaining <= 0:
                break
            self.sleep(min(delay, remaining))
            delay = min(delay * 2, 15.0)
            try:
                order = self._summary_from_info(as_dict(self.api.orders.get(order["order_id"])))
            except errors.DigiCertError as exc:
                log.warning("order %s: status poll failed (%s)", order["order_id"], exc.status)
        return order

    def _outputs(
        self,
        inputs: Mapping[str, Any],
        order: Mapping[str, Any],
        *,
        adopted: bool,
        olds: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        outs = self.recorded_inputs(inputs, olds)
        outs.update(
            order_id=order["order_id"],
            request_id=order.get("request_id"),
            request_status=order.get("request_status"),
            status=order.get("status"),
            certificate_id=order.get("certificate_id"),
            adopted=adopted,
        )
        return outs

    def _adopt_by_id(self, args: DocumentSigningOrderArgs) -> dict[str, Any]:
        """The order ``adopt_order_id`` names, if it is live and the declared one; never buys."""
        order_id = int(args.adopt_order_id or 0)
        try:
            info = as_dict(self.api.orders.get(order_id))
        except errors.NotFoundError:
            raise ResourceError(
                f"Order {order_id} does not exist in this CertCentral account, so nothing was "
                "adopted or placed: check adopt_order_id."
            ) from None
        order = self._summary_from_info(info)
        status = str(order.get("status") or "").lower()
        if status in DEAD_STATUSES:
            raise ResourceError(
                f"Order {order_id} is {status} and cannot be held, so nothing was adopted or "
                "placed: remove adopt_order_id to place a new order, or name a live one."
            )
        product, organization = self._product_of(info), self._organization_of(info)
        if product != args.product or organization != args.organization_id:
            raise ResourceError(
                f"Order {order_id} is for {product}, organization {organization}, not the "
                f"declared {args.product}, organization {args.organization_id}, so nothing was "
                "adopted or placed: check adopt_order_id, product and organization_id."
            )
        return order

    def create(self, props: dict[str, Any]) -> CreateResult:
        args = parse_args(DocumentSigningOrderArgs, props)
        if args.adopt_order_id is not None:
            held = self._adopt_by_id(args)
            return CreateResult(str(held["order_id"]), self._outputs(props, held, adopted=True))
        found = self._find_before_ordering(args)
        if found is None:
            order, adopted = self._place(args)
        else:
            order, adopted = found, True
        # The order exists from here on: nothing below may fail the create.
        try:
            if args.wait_for_issuance_seconds > 0:
                order = self._wait_for_issuance(args, order)
        except Exception:
            log.warning("order %s: waiting for issuance failed", order["order_id"], exc_info=True)
        return CreateResult(str(order["order_id"]), self._outputs(props, order, adopted=adopted))

    def normalise(self, name: str, value: Any) -> Any:
        value = super().normalise(name, value)
        if (
            name in CONTACT_FIELDS
            and isinstance(value, dict)
            and isinstance(value.get("email"), str)
        ):
            return {**value, "email": value["email"].lower()}
        return value

    def _live_contacts(self, info: Mapping[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        """The order's contacts as CertCentral holds them, for the contacts the declaration
        names, in the declared fields only: optional fields a declaration leaves out stay on
        the order (ORDER-CONTACTS) and are no drift."""
        live: dict[str, Any] = {}
        for kind in CONTACT_FIELDS:
            declared = props.get(kind)
            current = contact_from_api(info.get(kind))
            if not isinstance(declared, Mapping) or current is None:
                continue
            keys = {"first_name", "last_name", "email"} | {
                k for k, v in declared.items() if v is not None
            }
            live[kind] = {k: current.get(k) for k in CONTACT_KEYS if k in keys}
        return self.keep_declared_spelling(live, props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            info = as_dict(self.api.orders.get(int(id_)))
        except errors.NotFoundError:
            return ReadResult("", {})
        order = self._summary_from_info(info)
        status = str(order.get("status") or "").lower()
        if status in GONE_STATUSES:
            return ReadResult("", {})
        if status not in KNOWN_STATUSES:
            notice(
                f"order {id_} reports status {order.get('status')!r}, which this provider does "
                "not know; it is kept in the stack as it is"
            )
        outs = self.carried_outputs(props)
        recorded_request = props.get("request_id")
        if recorded_request and order.get("request_id") != recorded_request:
            order["request_id"] = recorded_request
            order["request_status"] = next(
                (
                    as_dict(r).get("status")
                    for r in info.get("requests") or []
                    if as_dict(r).get("id") == recorded_request
                ),
                props.get("request_status"),
            )
        outs.update(
            order_id=order["order_id"],
            request_id=order.get("request_id"),
            request_status=order.get("request_status"),
            status=order["status"],
            certificate_id=order.get("certificate_id"),
        )
        # What the order really is, so an import of the wrong order, or a mix-up, shows as a
        # replacement in the next preview instead of passing silently.
        product, organization = self._product_of(info), self._organization_of(info)
        if product:
            outs["product"] = product
        if organization is not None:
            outs["organization_id"] = organization
        # A contact changed in CertCentral shows as drift; the next `up` puts it back.
        outs.update(self._live_contacts(info, props))
        return ReadResult(id_, outs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Contacts update in place; every other field that updates is purchase-time, recorded
        # without an API call.
        args = parse_args(DocumentSigningOrderArgs, news)
        by_name = {f.name: f for f in FIELDS}
        changed = [k for k in CONTACT_FIELDS if self.field_changed(by_name[k], olds, news)]
        contacts = [
            {"contact_type": kind, **contact.model_dump(exclude_none=True)}
            for kind in changed
            if (contact := getattr(args, kind)) is not None
        ]
        if contacts:
            self.api.orders.update_contacts(int(id_), contacts)
        for kind in changed:
            if getattr(args, kind) is None and olds.get(kind) is not None:
                notice(
                    f"order {id_}: {kind} was removed from the declaration, but CertCentral "
                    f"cannot remove an order contact: the order keeps its current {kind}"
                )
        order = {k: olds.get(k) for k in ("order_id", "request_id", "request_status", "status")}
        order["certificate_id"] = olds.get("certificate_id")
        return UpdateResult(
            self._outputs(news, order, adopted=bool(olds.get("adopted")), olds=olds)
        )

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if props.get("adopt_order_id") is not None:
            notice(f"order {id_} was placed outside this stack (adopt_order_id): left as it is")
            return
        order_id = int(id_)
        try:
            info = as_dict(self.api.orders.get(order_id))
        except errors.NotFoundError:
            return
        order = self._summary_from_info(info)
        status = str(order.get("status") or "").lower()
        try:
            if status in ("canceled", "rejected", "revoked", "expired"):
                return  # nothing left to retire
            if status == "needs_approval":
                if not order.get("request_id"):
                    raise ResourceError(
                        f"Order {id_} awaits approval, but CertCentral listed no request to "
                        "reject, so it was left unchanged. Reject it in CertCentral and run the "
                        "destroy again."
                    )
                self.api.orders.update_request_status(
                    int(order["request_id"]), "rejected", processor_comment=NOTE
                )
            elif status in ("pending", "waiting_pickup"):
                self.api.orders.update_status(order_id, "canceled", note=NOTE)
            elif status in ("issued", "reissue_pending"):
                self._retire_issued(order_id, status, info, props)
            elif status == "processing":
                raise ResourceError(
                    f"Order {id_} is being issued right now and cannot be canceled. Run the "
                    "delete again in a few minutes."
                )
            else:
                raise ResourceError(
                    f"Order {id_} is in status {order.get('status')!r}, which this provider "
                    "does not know how to retire, so it was left unchanged. Cancel or revoke it "
                    "in CertCentral and run the destroy again, or keep it and remove it from the "
                    "stack with `pulumi state delete`."
                )
        except errors.NotFoundError:
            return

    def _retire_issued(
        self, order_id: int, status: str, info: Mapping[str, Any], props: Mapping[str, Any]
    ) -> None:
        if not props.get("revoke_on_delete"):
            notice(
                f"order {order_id} is {status}: its certificate was left in place "
                "(revoke_on_delete is off)"
            )
            return
        requests = [as_dict(r) for r in info.get("requests") or []]
        if any(
            r.get("type") == "revoke" and str(r.get("status")).lower() in ("pending", "submitted")
            for r in requests
        ):
            notice(f"order {order_id}: a revocation request already awaits approval")
            return
        if status == "reissue_pending":
            # A certificate with a pending reissue cannot be revoked; canceling the order
            # cancels the reissue and leaves it issued (ORDER-STATUS).
            self.api.orders.update_status(order_id, "canceled", note=NOTE)
        try:
            request = self.api.orders.revoke(order_id, comments=NOTE)
        except errors.OutcomeUnknownError as exc:
            raise ResourceError(
                f"The revocation of order {order_id} may or may not have been requested "
                f"({api_detail(exc)}). Run the destroy again: it looks for a pending revocation "
                "before asking again."
            ) from exc
        if request is not None:
            notice(
                f"order {order_id}: revocation requested (request {request.id}); it takes effect "
                "when an administrator approves it in CertCentral"
            )


class DocumentSigningOrder(pulumi.dynamic.Resource, module="digicert", name="DocumentSigningOrder"):
    """A document signing certificate order (a purchase).

    ``alternative_order_id`` makes creates idempotent: when not given it is derived from the
    project, stack, resource name and the fields that define the certificate, so re-running the
    same declaration never orders twice, and changing such a field (a replacement, which the
    preview shows) orders anew. ``credit_card`` is always handled as a secret.
    """

    order_id: pulumi.Output[int]
    request_id: pulumi.Output[int]
    request_status: pulumi.Output[str]
    """``pending``, ``submitted``, ``approved`` or ``rejected``."""
    status: pulumi.Output[str]
    """Order status: ``needs_approval``, ``pending``, ``issued``, ..."""
    certificate_id: pulumi.Output[int]
    alternative_order_id: pulumi.Output[str]
    adopted: pulumi.Output[bool]
    """True when create found the order already placed (e.g. by an earlier, interrupted run)."""

    def __init__(
        self,
        resource_name: str,
        *,
        product: pulumi.Input[str],
        organization_id: pulumi.Input[int],
        validity_years: pulumi.Input[int],
        subject: pulumi.Input[Mapping[str, Any]],
        signature_hash: pulumi.Input[str] | None = None,
        csr: pulumi.Input[str] | None = None,
        server_platform_id: pulumi.Input[int] | None = None,
        cs_provisioning_method: pulumi.Input[str] | None = None,
        use_org_as_common_name: pulumi.Input[bool] | None = None,
        ship_info: pulumi.Input[Mapping[str, Any]] | None = None,
        container_id: pulumi.Input[int] | None = None,
        adopt_order_id: pulumi.Input[int | str] | None = None,
        organization_contact: pulumi.Input[Mapping[str, Any]] | None = None,
        technical_contact: pulumi.Input[Mapping[str, Any]] | None = None,
        comments: pulumi.Input[str] | None = None,
        custom_fields: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
        user_id_assignments: pulumi.Input[Sequence[pulumi.Input[int]]] | None = None,
        skip_approval: pulumi.Input[bool] | None = None,
        payment_method: pulumi.Input[str] | None = None,
        credit_card: pulumi.Input[Mapping[str, Any]] | None = None,
        billing_address: pulumi.Input[Mapping[str, Any]] | None = None,
        vat_number: pulumi.Input[str] | None = None,
        enable_guest_access: pulumi.Input[bool | int] | None = None,
        alternative_order_id: pulumi.Input[str] | None = None,
        wait_for_issuance_seconds: pulumi.Input[float] | None = None,
        revoke_on_delete: pulumi.Input[bool] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        identity: dict[str, Any] = {
            "product": product,
            "organization_id": organization_id,
            "subject": subject,
            "validity_years": validity_years,
            "signature_hash": signature_hash or "sha256",
            "csr": csr,
            "server_platform_id": server_platform_id,
            "cs_provisioning_method": cs_provisioning_method,
            "use_org_as_common_name": use_org_as_common_name,
            "container_id": container_id,
        }
        if alternative_order_id is None:
            project, stack = pulumi.get_project(), pulumi.get_stack()
            alternative_order_id = pulumi.Output.from_input(identity).apply(
                lambda resolved: derive_alternative_order_id(
                    project, stack, resource_name, resolved
                )
            )
        props: dict[str, Any] = {
            **identity,
            "signature_hash": signature_hash,
            "adopt_order_id": adopt_order_id,
            "ship_info": ship_info,
            "organization_contact": organization_contact,
            "technical_contact": technical_contact,
            "comments": comments,
            "custom_fields": custom_fields,
            "user_id_assignments": user_id_assignments,
            "skip_approval": skip_approval,
            "payment_method": payment_method,
            "credit_card": pulumi.Output.secret(credit_card) if credit_card is not None else None,
            "billing_address": billing_address,
            "vat_number": vat_number,
            "enable_guest_access": enable_guest_access,
            "alternative_order_id": alternative_order_id,
            "wait_for_issuance_seconds": wait_for_issuance_seconds,
            "revoke_on_delete": revoke_on_delete,
            "order_id": None,
            "request_id": None,
            "request_status": None,
            "status": None,
            "certificate_id": None,
            "adopted": None,
            "credit_card_fingerprint": None,
        }
        super().__init__(DocumentSigningOrderProvider(), resource_name, props, opts)
        restore_pickler()
