"""DocumentSigningOrder: a document signing certificate order. Placing one costs money.

The arguments and the request body they produce are in ``_order_args.py`` (the body is the one
DigiCert's "Order document signing certificate" page documents; `tests/test_seed_order_page.py`
checks it field by field); finding the order a declaration holds in ``_order_lookup.py``;
placing it once in ``_order_placement.py``; retiring it on delete in ``_order_retirement.py``;
its certificate in ``_certificate.py``. This module holds the provider's lifecycle and the
resource class; the field table is with the arguments.

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
| `revoke_on_delete` | bool | state | delete revokes an issued certificate (past signatures stop validating) |
| `revocation_comment` | str <= 1000 | state | sent with the revocation, for its approver |
| `renew_within_days` | 1-180 | state | opt-in renewal window, read at refresh; a due renewal replaces through `renewal_due` |

Outputs: `order_id`, `request_id`, `request_status`, `status`, `certificate_id`,
`alternative_order_id`, `adopted`; from the order's certificate (order info): `valid_from`,
`valid_till`, `days_remaining`, `serial_number`, `thumbprint`, `common_name`, `product_name`;
`certificate_pem` and `certificate_chain_pem` where CertCentral hands the certificate out
(`email` provisioning; never a hardware token's); `hardware_init_code` (a secret: it installs the
certificate on a token); `renewal_due`, `renewal_of_order_id`.

Renewal (`renew_within_days`): refresh, which may read the clock, records `renewal_due` when the
issued certificate has at most that many days left (or expired); diff, pure, then replaces with
`renewal_due` as the key, so the preview says why. The replacement's create finds the due order
by the declaration's `alternative_order_id` and, instead of holding it, places its renewal
(`renewal_of_order_id`) under :func:`derive_renewal_order_id`, looked up first like any order: a
retried renewal holds the one placed. Create follows renewals from lapsed orders too, so a
renewal is never bought twice. Delete never cancels or revokes an order whose renewal exists.

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
as a certificate with one cannot be revoked; a revocation awaiting an administrator is said to be
one); an order already gone is success; an order in a status this provider does not know is
never forgotten silently: the delete fails and says what to do.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from pulumi_digicert._engine_values import (
    canonical_id,
    contains_unknown,
    is_unknown,
    plain_inputs,
)
from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert._notice import log, notice
from pulumi_digicert.client import errors
from pulumi_digicert.resources._args import CONTACT_KEYS, declared_contact, parse_args
from pulumi_digicert.resources._certificate import (
    CERTIFICATE_OUTPUTS,
    PEM_OUTPUTS,
    SECRET_OUTPUTS,
    certificate_pem,
    days_left,
    renewal_due,
)
from pulumi_digicert.resources._order_args import (
    CONTACT_FIELDS,
    FIELDS,
    DocumentSigningOrderArgs,
    derive_alternative_order_id,
    derive_renewal_order_id,
)
from pulumi_digicert.resources._order_lookup import (
    GONE_STATUSES,
    KNOWN_STATUSES,
    OrderFinder,
    order_summary,
)
from pulumi_digicert.resources._order_placement import place_order, wait_for_issuance
from pulumi_digicert.resources._order_retirement import retire_order
from pulumi_digicert.resources._pickling import restore_pickler
from pulumi_digicert.resources._provider import Field, Mode, Provider

__all__ = [
    "FIELDS",
    "DocumentSigningOrder",
    "DocumentSigningOrderArgs",
    "DocumentSigningOrderProvider",
    "derive_alternative_order_id",
    "derive_renewal_order_id",
]

# The replacing key a due renewal shows in the preview: an output recorded at refresh.
RENEWAL_DUE = "renewal_due"
# Order outputs an update carries from the last refresh.
_CARRIED = ("order_id", "request_id", "request_status", "status", "certificate_id")


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
    now: Callable[[], float] = staticmethod(time.time)
    """The wall clock, read at refresh and create only where CertCentral gives no
    ``days_remaining``; check and diff never read it."""

    # -- check / diff ----------------------------------------------------------------

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

    def check_change(
        self, olds: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> list[CheckFailure]:
        """A new order whose create would find the old one (by ``adopt_order_id`` or by an
        unchanged explicit ``alternative_order_id``) would hold the order the engine deletes
        right after: refuse it in preview, saying what to change."""
        if not olds:
            return []  # a create, or the engine's re-check of a replacement (empty olds)
        replacing = [
            f.name
            for f in self.fields
            if f.mode is Mode.REPLACE
            and f.name != "adopt_order_id"
            and self.field_changed(f, olds, inputs)
        ]
        if not replacing or any(contains_unknown(inputs.get(name)) for name in replacing):
            return []
        adopt_old, adopt_new = olds.get("adopt_order_id"), inputs.get("adopt_order_id")
        if adopt_new is not None:
            if is_unknown(adopt_new) or canonical_id(adopt_old) != canonical_id(adopt_new):
                return []  # another order is named: it is held, not the old one
            return [
                CheckFailure(
                    "adopt_order_id",
                    f"changing {', '.join(replacing)} needs another order, but adopt_order_id "
                    f"{canonical_id(adopt_new)} names the order this resource holds; remove "
                    "adopt_order_id to place a new order, or name another existing order",
                )
            ]
        old_id, new_id = olds.get("alternative_order_id"), inputs.get("alternative_order_id")
        if old_id is None or is_unknown(old_id) or is_unknown(new_id) or old_id != new_id:
            return []
        return [
            CheckFailure(
                "alternative_order_id",
                f"changing {', '.join(replacing)} places a new order, which cannot reuse "
                f"alternative_order_id {old_id!r} of the order this resource holds; set a new "
                "alternative_order_id, or remove it so one is derived from the declaration",
            )
        ]

    def field_changed(
        self, field: Field, olds: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> bool:
        if field.name != "adopt_order_id":
            return super().field_changed(field, olds, inputs)
        # Naming the order this resource already holds is no change; leaving it out keeps it.
        new = inputs.get("adopt_order_id")
        if new is None:
            return False
        if contains_unknown(new):
            return True
        held = olds.get("order_id", olds.get("adopt_order_id"))
        if canonical_id(held) == canonical_id(new):
            return False
        # After a renewal the resource holds the renewal of the adopted order: still no change.
        recorded = olds.get("adopt_order_id")
        renewed = olds.get("renewal_of_order_id") is not None
        return not (renewed and canonical_id(recorded) == canonical_id(new))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """The field table's diff, plus the renewal refresh found due: a replacement whose
        replacing key is ``renewal_due`` (an output the last refresh recorded, so the preview
        and the ``up`` that follows it agree without reading the clock)."""
        result = super().diff(_id, olds, news)
        window = news.get("renew_within_days")
        if olds.get(RENEWAL_DUE) is True and window is not None:
            return DiffResult(changes=True, replaces=[*(result.replaces or []), RENEWAL_DUE])
        return result

    def normalise(self, name: str, value: Any) -> Any:
        value = super().normalise(name, value)
        if (
            name in CONTACT_FIELDS
            and isinstance(value, dict)
            and isinstance(value.get("email"), str)
        ):
            return {**value, "email": value["email"].lower()}
        return value

    # -- create ----------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = plain_inputs(props)
        args = parse_args(DocumentSigningOrderArgs, inputs)
        finder = OrderFinder(self.api, args, self.now)
        held: dict[str, Any] | None
        if args.adopt_order_id is not None:
            held, to_renew = finder.adopted_or_its_renewal()
        else:
            held, to_renew = self._find_before_ordering(args)
        if to_renew is not None:
            notice(
                f"order {to_renew['order_id']} is due for renewal "
                f"({to_renew.get('days_remaining')} days left, renew_within_days "
                f"{args.renew_within_days}): placing its renewal"
            )
            order, adopted = place_order(
                self.api, finder, renewed_order_id=int(to_renew["order_id"])
            )
        elif held is not None:
            order, adopted = held, True
        else:
            order, adopted = place_order(self.api, finder)
        # The order exists from here on: nothing below may fail the create.
        pem: dict[str, Any] = dict.fromkeys(PEM_OUTPUTS)
        try:
            if args.wait_for_issuance_seconds > 0:
                order = wait_for_issuance(
                    self.api, order, args.wait_for_issuance_seconds, self.clock, self.sleep
                )
            order["days_remaining"] = days_left(order, self.now())
            pem = certificate_pem(self.api, order, inputs, {})
        except Exception:
            log.warning("order %s: waiting for issuance failed", order["order_id"], exc_info=True)
        outs = self._outputs(inputs, order, adopted=adopted, pem=pem)
        return CreateResult(str(order["order_id"]), outs)

    def _find_before_ordering(
        self, args: DocumentSigningOrderArgs
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The order held and the order to renew, looked up before any order is sent: an
        unreadable answer stops create."""
        try:
            return OrderFinder(self.api, args, self.now).find_current()
        except errors.InvalidResponseError as exc:
            raise ResourceError(
                f"DigiCert's answer to the lookup of alternative_order_id "
                f"{args.alternative_order_id!r} could not be read ({exc.reason}), so no order was "
                "placed: run `pulumi up` again, and if this repeats check that digicert:baseUrl "
                "is CertCentral's address."
            ) from None
        except errors.DigiCertError as exc:
            raise ResourceError(f"No order was placed: {errors.user_message(exc)}") from None

    # -- outputs ---------------------------------------------------------------------

    def _outputs(
        self,
        inputs: Mapping[str, Any],
        order: Mapping[str, Any],
        *,
        adopted: bool,
        olds: Mapping[str, Any] | None = None,
        pem: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        outs = self.recorded_inputs(inputs, olds)
        outs.update({k: order.get(k) for k in _CARRIED})
        outs.update(adopted=adopted, renewal_of_order_id=order.get("renewal_of_order_id"))
        outs.update({k: order.get(k) for k in CERTIFICATE_OUTPUTS})
        outs.update(pem if pem is not None else {k: (olds or {}).get(k) for k in PEM_OUTPUTS})
        outs[RENEWAL_DUE] = renewal_due(
            order.get("status"), order.get("days_remaining"), outs.get("renew_within_days")
        )
        return outs

    # -- read / update / delete ------------------------------------------------------

    def _live_contacts(self, order: Any, props: Mapping[str, Any]) -> dict[str, Any]:
        """The order's contacts as CertCentral holds them, for the contacts the declaration
        names, in the declared fields only: optional fields a declaration leaves out stay on
        the order (ORDER-CONTACTS) and are no drift."""
        live: dict[str, Any] = {}
        for kind in CONTACT_FIELDS:
            declared = props.get(kind)
            current = declared_contact(getattr(order, kind))
            if not isinstance(declared, Mapping) or current is None:
                continue
            keys = {"first_name", "last_name", "email"} | {
                k for k, v in declared.items() if v is not None
            }
            live[kind] = {k: current.get(k) for k in CONTACT_KEYS if k in keys}
        return self.keep_declared_spelling(live, props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            order = self.api.orders.get(int(id_))
        except errors.NotFoundError:
            return ReadResult("", {})
        summary = order_summary(order)
        status = str(summary.get("status") or "").lower()
        if status in GONE_STATUSES:
            return ReadResult("", {})
        if status not in KNOWN_STATUSES:
            notice(
                f"order {id_} reports status {summary.get('status')!r}, which this provider does "
                "not know; it is kept in the stack as it is"
            )
        outs = self.carried_outputs(props)
        recorded_request = props.get("request_id")
        if recorded_request and summary.get("request_id") != recorded_request:
            summary["request_id"] = recorded_request
            summary["request_status"] = next(
                (r.status for r in order.requests if r.id == recorded_request),
                props.get("request_status"),
            )
        if summary.get("renewal_of_order_id") is None:
            summary["renewal_of_order_id"] = props.get("renewal_of_order_id")
        # The certificate as it is now (refresh may read the clock: days left, renewal due).
        summary["days_remaining"] = days_left(summary, self.now())
        outs.update({k: summary.get(k) for k in _CARRIED})
        outs["renewal_of_order_id"] = summary.get("renewal_of_order_id")
        outs.update({k: summary.get(k) for k in CERTIFICATE_OUTPUTS})
        outs.update(certificate_pem(self.api, summary, props, props))
        outs[RENEWAL_DUE] = renewal_due(
            summary["status"], summary["days_remaining"], props.get("renew_within_days")
        )
        # What the order really is, so an import of the wrong order, or a mix-up, shows as a
        # replacement in the next preview instead of passing silently.
        if order.product_name_id:
            outs["product"] = order.product_name_id
        if order.organization_id is not None:
            outs["organization_id"] = order.organization_id
        # A contact changed in CertCentral shows as drift; the next `up` puts it back.
        outs.update(self._live_contacts(order, props))
        return ReadResult(id_, outs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Contacts update in place; every other field that updates is purchase-time, recorded
        # without an API call.
        inputs = plain_inputs(news)
        args = parse_args(DocumentSigningOrderArgs, inputs)
        changed = self.changed(olds, inputs, *CONTACT_FIELDS)
        contacts = [
            contact.request_body(kind)
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
        # What the last refresh read is carried; a changed renewal window is judged against it.
        order = {k: olds.get(k) for k in (*_CARRIED, *CERTIFICATE_OUTPUTS, "renewal_of_order_id")}
        return UpdateResult(
            self._outputs(inputs, order, adopted=bool(olds.get("adopted")), olds=olds)
        )

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        adopted = props.get("adopt_order_id")
        if adopted is not None and canonical_id(adopted) == canonical_id(id_):
            notice(f"order {id_} was placed outside this stack (adopt_order_id): left as it is")
            return
        retire_order(self.api, int(id_), props)


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
    valid_from: pulumi.Output[str]
    """First day of the certificate's validity (``YYYY-MM-DD``); unset until issued."""
    valid_till: pulumi.Output[str]
    """Last day of the certificate's validity (``YYYY-MM-DD``)."""
    days_remaining: pulumi.Output[int]
    """Days of validity left, as of the last refresh."""
    serial_number: pulumi.Output[str]
    thumbprint: pulumi.Output[str]
    common_name: pulumi.Output[str]
    """The certificate's common name."""
    product_name: pulumi.Output[str]
    """The product's name, e.g. ``Document Signing - Organization (2000)``."""
    certificate_pem: pulumi.Output[str]
    """The end-entity certificate (PEM), where CertCentral hands it out (``email``
    provisioning); unset for a certificate on a hardware token."""
    certificate_chain_pem: pulumi.Output[str]
    """The intermediate and root certificates (PEM) that came with ``certificate_pem``."""
    hardware_init_code: pulumi.Output[str]
    """What DigiCert's Hardware Certificate Installer needs to install the certificate on a
    token (``ship_token``, ``client_app``). A secret."""
    renewal_due: pulumi.Output[bool]
    """True when the last refresh found the certificate within ``renew_within_days`` of its
    end (or expired): the next ``up`` places its renewal."""
    renewal_of_order_id: pulumi.Output[int]
    """The order this order renews, for a renewal placed by ``renew_within_days``."""

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
        revocation_comment: pulumi.Input[str] | None = None,
        renew_within_days: pulumi.Input[int] | None = None,
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
            "revocation_comment": revocation_comment,
            "renew_within_days": renew_within_days,
            "order_id": None,
            "request_id": None,
            "request_status": None,
            "status": None,
            "certificate_id": None,
            "adopted": None,
            "credit_card_fingerprint": None,
            **dict.fromkeys(CERTIFICATE_OUTPUTS),
            **dict.fromkeys(PEM_OUTPUTS),
            "renewal_due": None,
            "renewal_of_order_id": None,
        }
        # What unlocks a token is a secret in state, whatever the program does with it.
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_OUTPUTS))
        )
        super().__init__(DocumentSigningOrderProvider(), resource_name, props, opts)
        restore_pickler()
