"""Which order a DocumentSigningOrder declaration holds, read from CertCentral; never buys.

An order is found by the declaration's ``alternative_order_id`` (``GET /order/alternate/{id}``,
which the client reads strictly: only DigiCert's documented "none" is none), then checked
against the declared product and organization in its order info. Renewals are followed from an
order due for renewal, or one that lapsed, to the renewal placed for it under
:func:`~pulumi_digicert.resources._order_args.derive_renewal_order_id`. An order's outputs
(its "summary") are read from the client's typed answers here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pulumi_digicert._exceptions import NotFoundError, ResourceError
from pulumi_digicert.resources._certificate import (
    CERTIFICATE_OUTPUTS,
    certificate_facts,
    days_left,
    renewal_due,
)
from pulumi_digicert.resources._order_args import (
    DocumentSigningOrderArgs,
    derive_renewal_order_id,
)

if TYPE_CHECKING:
    from pulumi_digicert.client import DigiCertClient, models

__all__ = [
    "DEAD_STATUSES",
    "FINAL_STATUSES",
    "GONE_STATUSES",
    "KNOWN_STATUSES",
    "LIVE_STATUSES",
    "MAX_RENEWALS",
    "OrderFinder",
    "created_summary",
    "order_summary",
]

LIVE_STATUSES = frozenset(
    {"needs_approval", "pending", "processing", "waiting_pickup", "reissue_pending", "issued"}
)
GONE_STATUSES = frozenset({"canceled", "rejected"})
# An order in one of these can never become the declared one again: a new purchase may follow.
# Any other status, including one this provider does not know or none at all, blocks it.
DEAD_STATUSES = frozenset({"canceled", "rejected", "revoked", "expired"})
FINAL_STATUSES = frozenset({"issued", "canceled", "rejected", "revoked", "expired"})
# Statuses the provider knows how to read and retire (API.md C3), in lower case.
KNOWN_STATUSES = LIVE_STATUSES | GONE_STATUSES | FINAL_STATUSES
# Renewals followed at most, from the declaration's first order: decades of yearly renewals.
MAX_RENEWALS = 50


def _order_id(order: models.Order) -> int:
    if order.id is None:
        raise TypeError("order info carries no id")
    return order.id


def order_summary(order: models.Order) -> dict[str, Any]:
    """The order outputs from order info: status, request, certificate facts, renewal."""
    request = order.requests[0] if order.requests else None
    return {
        "order_id": _order_id(order),
        "status": order.status,
        "request_id": request.id if request else None,
        "request_status": request.status if request else None,
        "certificate_id": order.certificate_id,
        **certificate_facts(order),
        "renewal_of_order_id": order.renewal_of_order_id,
    }


def created_summary(created: models.OrderCreated) -> dict[str, Any]:
    """The order outputs from the answer to the order POST; refresh reads the rest."""
    request = created.requests[0] if created.requests else None
    request_status = request.status if request else None
    # Until the request is approved the order waits for approval.
    status = "pending" if request_status == "approved" else "needs_approval"
    return {
        "order_id": created.id,
        "status": status,
        "request_id": request.id if request else None,
        "request_status": request_status,
        "certificate_id": created.certificate_id,
        **dict.fromkeys(CERTIFICATE_OUTPUTS),
        "renewal_of_order_id": None,
    }


def _status(entry: models.AlternateOrder) -> str:
    return (entry.status or "").strip().lower()


class OrderFinder:
    """Finds the order a declaration (``args``) holds, and the order it must renew."""

    def __init__(
        self, api: DigiCertClient, args: DocumentSigningOrderArgs, now: Callable[[], float]
    ) -> None:
        self.api = api
        self.args = args
        self.now = now

    def lookup(
        self, alternative_order_id: str, seen: frozenset[int] = frozenset()
    ) -> tuple[dict[str, Any] | None, list[tuple[int, str]]]:
        """The live order carrying ``alternative_order_id`` (for this declaration's product and
        organization), and the lapsed ones (expired or revoked, with their status) carrying it.
        Orders in ``seen`` (already met while following renewals) are passed over.

        Only an order in a dead status (canceled, rejected, revoked, expired) is passed over;
        statuses compare without regard to case, and an unknown or missing status counts as an
        order that blocks a new purchase. A lookup answer that cannot be read raises (the client
        only returns what is DigiCert's documented "none" or a well-formed list).
        """
        args = self.args
        candidates = sorted(
            self.api.orders.list_by_alternative_id(alternative_order_id),
            key=lambda entry: entry.order_id or 0,
        )
        mismatched: list[str] = []
        lapsed: list[tuple[int, str]] = []
        for candidate in candidates:
            order_id = int(candidate.order_id or 0)
            if order_id in seen:
                continue
            status = _status(candidate)
            if status in DEAD_STATUSES:
                if status in ("expired", "revoked"):
                    lapsed.append((order_id, status))
                continue
            order = self.api.orders.get(order_id)
            product, organization = order.product_name_id, order.organization_id
            if product == args.product and organization == args.organization_id:
                return order_summary(order), lapsed
            mismatched.append(f"order {order.id} ({product}, organization {organization})")
        if mismatched:
            raise ResourceError(
                f"alternative_order_id {alternative_order_id!r} already belongs to "
                f"{', '.join(mismatched)}, which does not match this declaration ({args.product}, "
                f"organization {args.organization_id}), so no order was placed: set a different "
                "alternative_order_id."
            )
        return None, lapsed

    def find_existing(self, alternative_order_id: str | None = None) -> dict[str, Any] | None:
        """The live order already carrying the alternative order id (the declaration's, or
        the one given), if any."""
        return self.lookup(alternative_order_id or self.args.alternative_order_id)[0]

    def due(self, order: Mapping[str, Any]) -> bool:
        """Whether ``order`` is due for renewal now (create may read the clock)."""
        return renewal_due(
            order.get("status"), days_left(order, self.now()), self.args.renew_within_days
        )

    def find_current(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The order this declaration holds, and the order it must renew, if any.

        Starts from the declaration's alternative order id and follows renewals: from an order
        due for renewal (with ``renew_within_days``), and from a lapsed one (expired or revoked,
        always: a renewal placed for it is the declaration's order, and buying another would buy
        twice), to the renewal placed for it under :func:`derive_renewal_order_id`. Returns
        (the live order to hold, or None; the order to renew, or None).
        """
        key = self.args.alternative_order_id
        held, lapsed = self.lookup(key)
        seen: set[int] = set()
        for _ in range(MAX_RENEWALS):
            if held is not None:
                if not self.due(held):
                    return held, None
                predecessor = int(held["order_id"])
            elif lapsed:
                predecessor, lapsed_status = max(lapsed)
            else:
                return None, None
            seen.update(order_id for order_id, _ in lapsed)
            seen.add(predecessor)
            renewal, renewal_lapsed = self.lookup(
                derive_renewal_order_id(key, predecessor), frozenset(seen)
            )
            if renewal is None and not renewal_lapsed:
                if held is not None:
                    return held, held  # due, and no renewal yet
                # An expired order is renewed (with renew_within_days); a revoked one is not.
                if lapsed_status == "expired" and self.args.renew_within_days is not None:
                    return None, {"order_id": predecessor, "status": "expired", "days_remaining": 0}
                return None, None
            held, lapsed = renewal, renewal_lapsed
        raise ResourceError(
            f"Order renewals for alternative_order_id {key!r} go back more than {MAX_RENEWALS} "
            "orders, so nothing was placed: set a new alternative_order_id on this resource."
        )

    def adopt_by_id(self) -> dict[str, Any]:
        """The order ``adopt_order_id`` names, if it is live and the declared one; never buys."""
        args = self.args
        order_id = int(args.adopt_order_id or 0)
        try:
            order = self.api.orders.get(order_id)
        except NotFoundError:
            raise ResourceError(
                f"Order {order_id} does not exist in this CertCentral account, so nothing was "
                "adopted or placed: check adopt_order_id."
            ) from None
        summary = order_summary(order)
        status = str(summary.get("status") or "").lower()
        if status in DEAD_STATUSES and not (status == "expired" and args.renew_within_days):
            raise ResourceError(
                f"Order {order_id} is {status} and cannot be held, so nothing was adopted or "
                "placed: remove adopt_order_id to place a new order, or name a live one."
            )
        product, organization = order.product_name_id, order.organization_id
        if product != args.product or organization != args.organization_id:
            raise ResourceError(
                f"Order {order_id} is for {product}, organization {organization}, not the "
                f"declared {args.product}, organization {args.organization_id}, so nothing was "
                "adopted or placed: check adopt_order_id, product and organization_id."
            )
        return summary

    def adopted_or_its_renewal(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The order ``adopt_order_id`` names, or, once it is due, the renewal placed for it
        (followed as :meth:`find_current` does); and the order to renew, if any."""
        held = self.adopt_by_id()
        key = self.args.alternative_order_id
        seen: set[int] = set()
        for _ in range(MAX_RENEWALS):
            if not self.due(held):
                return held, None
            seen.add(int(held["order_id"]))
            found, _ = self.lookup(
                derive_renewal_order_id(key, int(held["order_id"])), frozenset(seen)
            )
            if found is None:
                return held, held
            held = found
        raise ResourceError(
            f"Order renewals of order {self.args.adopt_order_id} go back more than "
            f"{MAX_RENEWALS} orders, so nothing was placed: adopt the latest one with "
            "adopt_order_id."
        )
