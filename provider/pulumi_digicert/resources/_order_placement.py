"""Placing a document signing order once: the one place the provider buys.

The order is sent again only after DigiCert said, in its documented way, that no order has its
alternative order id, and never after a 2xx (which proves the order exists). After a request
whose outcome is unknown the order is looked up again, as the client's retry policy says
(:meth:`DigiCertClient.find_after_unknown_outcome
<pulumi_digicert.client._client.DigiCertClient.find_after_unknown_outcome>`), before anything
else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert._notice import log
from pulumi_digicert.client import errors
from pulumi_digicert.resources._order_lookup import (
    FINAL_STATUSES,
    OrderFinder,
    created_summary,
    order_summary,
)

if TYPE_CHECKING:
    from pulumi_digicert.client import DigiCertClient

__all__ = ["place_order", "wait_for_issuance"]

# Sends at most, each after a lost answer and a documented "none" from the lookup.
_SENDS = 3


def place_order(
    api: DigiCertClient, finder: OrderFinder, renewed_order_id: int | None = None
) -> tuple[dict[str, Any], bool]:
    """Place the declaration's order once (or the renewal of ``renewed_order_id``). Returns the
    order's summary and whether it was found rather than placed."""
    args = finder.args
    body = args.order_body() if renewed_order_id is None else args.renewal_body(renewed_order_id)
    key = str(body["alternative_order_id"])
    for _attempt in range(_SENDS):
        try:
            created = api.orders.order_document_signing(args.product, body)
            order = created_summary(created)
            order["renewal_of_order_id"] = renewed_order_id
            return order, False
        except errors.OutcomeUnknownError as exc:
            log.info(
                "order request for alternative_order_id %s: outcome unknown; looking it up", key
            )
            found = _find_after_unknown_outcome(api, finder, key, accepted=exc.accepted)
            if found is not None:
                return found, True
            if exc.accepted:
                raise ResourceError(
                    f"DigiCert accepted the order for alternative_order_id {key!r} "
                    f"({exc.status}) but its answer could not be read and the lookup does "
                    "not list the order yet, so it was not sent again: wait a few minutes "
                    "and run `pulumi up` again, which looks up alternative_order_id "
                    f"{key!r} first and adopts the order."
                ) from None
            # DigiCert said no such order exists after an answer that was not a 2xx: it was
            # not placed, so sending it again cannot buy twice.
        except errors.AlternativeOrderIdTakenError as exc:
            found = finder.find_existing(key)
            if found is not None:
                return found, True
            raise ResourceError(
                f"CertCentral refused alternative_order_id {key!r} "
                "because the account requires unique alternative order IDs and an order that "
                f"is no longer live already has it ({errors.detail_text(exc)}), so no order was "
                "placed: set a new alternative_order_id on this resource."
            ) from None
        except errors.BadRequestError as exc:
            if renewed_order_id is None or not _names_renewal_field(exc):
                raise
            raise ResourceError(
                f"CertCentral refused to link a renewal to order {renewed_order_id} "
                f"({errors.detail_text(exc)}), so no renewal order was placed and order "
                f"{renewed_order_id} is unchanged: renew it in CertCentral, or remove "
                "renew_within_days from this resource."
            ) from None
    raise ResourceError(
        f"The order for alternative_order_id {key!r} was sent three times, each answer was "
        "lost and each lookup found no order, so it was not sent again: run `pulumi up` "
        "again later, which looks the id up first."
    )


def _find_after_unknown_outcome(
    api: DigiCertClient, finder: OrderFinder, alternative_order_id: str, *, accepted: bool
) -> dict[str, Any] | None:
    """The order after a request whose outcome is unknown: ``None`` only when DigiCert gave its
    documented "none". When no lookup gave a usable answer nobody knows whether the order
    exists: stop, without sending it again."""
    try:
        return api.find_after_unknown_outcome(
            lambda: finder.find_existing(alternative_order_id), accepted=accepted
        )
    except errors.DigiCertError as exc:
        raise ResourceError(
            f"The order request's outcome is unknown and the lookup of alternative_order_id "
            f"{alternative_order_id!r} gave no usable answer ({errors.short_reason(exc)}), so "
            "the order was not sent again: run `pulumi up` again, which looks up "
            "alternative_order_id first and adopts the order if it was placed."
        ) from None


def _names_renewal_field(exc: errors.DigiCertError) -> bool:
    """Whether a refusal is about ``renewal_of_order_id`` (an unknown field, or an order that
    cannot be renewed)."""
    return any("renewal" in f"{detail.code} {detail.message}".lower() for detail in exc.errors)


def wait_for_issuance(
    api: DigiCertClient,
    order: dict[str, Any],
    seconds: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> dict[str, Any]:
    """Poll a placed order until it reaches a final status or ``seconds`` pass; the order's
    summary as last read (a failed poll is logged and the next one tried)."""
    deadline = clock() + seconds
    delay = 1.0
    while order.get("status") not in FINAL_STATUSES:
        remaining = deadline - clock()
        if remaining <= 0:
            break
        sleep(min(delay, remaining))
        delay = min(delay * 2, 15.0)
        try:
            polled = order_summary(api.orders.get(order["order_id"]))
        except errors.DigiCertError as exc:
            log.warning("order %s: status poll failed (%s)", order["order_id"], exc.status)
            continue
        # What create learned (e.g. the order it renews) stays when the answer lacks it.
        order = {k: (v if v is not None else order.get(k)) for k, v in polled.items()}
    return order
