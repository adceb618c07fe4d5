"""Retiring a document signing order when its resource is deleted.

A request awaiting approval is rejected; a pending or waiting-pickup order is canceled; an
issued certificate is left alone unless ``revoke_on_delete`` (a pending reissue is canceled
first, as a certificate with one cannot be revoked; a revocation awaiting an administrator is
said to be one; an order whose renewal exists is never revoked); an order already gone is
success; an order in a status this provider does not know is never forgotten silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert._notice import notice
from pulumi_digicert.client import errors
from pulumi_digicert.resources._certificate import certificate_facts
from pulumi_digicert.resources._order_args import ALTERNATIVE_ORDER_ID, derive_renewal_order_id
from pulumi_digicert.resources._order_lookup import DEAD_STATUSES, order_summary

if TYPE_CHECKING:
    from pulumi_digicert.client import DigiCertClient, models

__all__ = ["NOTE", "retire_order"]

NOTE = "Deleted from its Pulumi stack"


def retire_order(api: DigiCertClient, order_id: int, props: Mapping[str, Any]) -> None:
    """Retire order ``order_id`` as its deleted resource (outputs ``props``) asks."""
    try:
        order = api.orders.get(order_id)
    except errors.NotFoundError:
        return
    summary = order_summary(order)
    status = str(summary.get("status") or "").lower()
    try:
        if status in DEAD_STATUSES:
            return  # nothing left to retire
        if status == "needs_approval":
            if not summary.get("request_id"):
                raise ResourceError(
                    f"Order {order_id} awaits approval, but CertCentral listed no request to "
                    "reject, so it was left unchanged. Reject it in CertCentral and run the "
                    "destroy again."
                )
            api.orders.update_request_status(
                int(summary["request_id"]), "rejected", processor_comment=NOTE
            )
        elif status in ("pending", "waiting_pickup"):
            api.orders.update_status(order_id, "canceled", note=NOTE)
        elif status in ("issued", "reissue_pending"):
            _retire_issued(api, order_id, status, order, props)
        elif status == "processing":
            raise ResourceError(
                f"Order {order_id} is being issued right now and cannot be canceled. Run the "
                "delete again in a few minutes."
            )
        else:
            raise ResourceError(
                f"Order {order_id} is in status {summary.get('status')!r}, which this provider "
                "does not know how to retire, so it was left unchanged. Cancel or revoke it "
                "in CertCentral and run the destroy again, or keep it and remove it from the "
                "stack with `pulumi state delete`."
            )
    except errors.NotFoundError:
        return


def _renewal_of(
    api: DigiCertClient, order_id: int, order: models.Order, props: Mapping[str, Any]
) -> int | None:
    """The live order that renews ``order_id``: CertCentral's ``renewed_order_id``, else the
    renewal this provider places under :func:`derive_renewal_order_id`."""
    renewed = order.renewed_order_id
    if renewed is not None and renewed > 0:
        return renewed
    key = props.get("alternative_order_id")
    if not isinstance(key, str) or not ALTERNATIVE_ORDER_ID.match(key):
        return None
    for entry in api.orders.list_by_alternative_id(derive_renewal_order_id(key, order_id)):
        if (entry.status or "").strip().lower() not in DEAD_STATUSES:
            return int(entry.order_id or 0)
    return None


def _retire_issued(
    api: DigiCertClient,
    order_id: int,
    status: str,
    order: models.Order,
    props: Mapping[str, Any],
) -> None:
    valid_till = certificate_facts(order).get("valid_till") or "its expiry"
    if not props.get("revoke_on_delete"):
        notice(
            f"order {order_id} is {status}: its certificate was left in place "
            f"(revoke_on_delete is off) and stays valid until {valid_till}"
        )
        return
    renewal = _renewal_of(api, order_id, order, props)
    if renewal is not None:
        # The replacement of a renewal: the old certificate serves until the new one does.
        notice(
            f"order {order_id} is renewed by order {renewal}: its certificate was not "
            f"revoked (revoke_on_delete does not apply to a renewed order) and stays valid "
            f"until {valid_till}"
        )
        return
    pending = [
        request
        for request in order.requests
        if request.type == "revoke" and str(request.status).lower() in ("pending", "submitted")
    ]
    if pending:
        notice(
            f"order {order_id}: its revocation (request {pending[0].id}) already awaits "
            "approval by an administrator in CertCentral; the certificate is not revoked yet"
        )
        return
    if status == "reissue_pending":
        # A certificate with a pending reissue cannot be revoked; canceling the order
        # cancels the reissue and leaves it issued (ORDER-STATUS).
        api.orders.update_status(order_id, "canceled", note=NOTE)
    # DigiCert's revoke page: revoking a document signing certificate invalidates past
    # signatures and timestamps made with it.
    notice(
        f"order {order_id}: revoking its document signing certificate (revoke_on_delete); "
        "documents signed with it will no longer validate"
    )
    comment = props.get("revocation_comment") or NOTE
    try:
        request = api.orders.revoke(order_id, comments=str(comment))
    except errors.OutcomeUnknownError as exc:
        raise ResourceError(
            f"The revocation of order {order_id} may or may not have been requested "
            f"({errors.detail_text(exc)}). Run the destroy again: it looks for a pending "
            "revocation before asking again."
        ) from exc
    if request is not None:
        notice(
            f"order {order_id}: revocation requested (request {request.id}); the certificate "
            "is NOT revoked until an administrator approves the request in CertCentral"
        )
    else:
        notice(f"order {order_id}: certificate revoked")
