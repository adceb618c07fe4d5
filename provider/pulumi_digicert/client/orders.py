"""Orders and requests: ``/order/certificate``, ``/order/alternate``, ``/request``, and the
certificate an order holds (``/certificate/download/order``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_digicert.client import errors, models
from pulumi_digicert.client._core import PAGE_SIZE, RequestCore, int_id, str_id, whole_number

# Pages read at most for one alternative order id (a million orders).
_MAX_ALTERNATE_PAGES = 1000

__all__ = ["Orders"]


class Orders:
    """Document signing orders and their approval requests."""

    def __init__(self, core: RequestCore) -> None:
        self._core = core

    def order_document_signing(self, product: str, body: Mapping[str, Any]) -> models.OrderCreated:
        """``POST /order/certificate/{product}``: place a (billable) order.

        Never resent once it may have reached DigiCert: a timeout after sending, a dropped
        connection or a 5xx raises :class:`~errors.OutcomeUnknownError` (look the order up by
        ``alternative_order_id`` before trying again). Only a refused connection or a 429 is
        retried. A 400 mentioning the alternative order id raises
        :class:`~errors.AlternativeOrderIdTakenError`.
        """
        path = f"/order/certificate/{str_id(product, 'product')}"
        response = self._core.request("POST", path, body=dict(body), redact=card_secrets(body))
        return self._core.parse(models.OrderCreated, response.data, "POST", path, creating=True)

    def get(self, order_id: int) -> models.Order:
        """``GET /order/certificate/{id}``."""
        path = f"/order/certificate/{int_id(order_id, 'order_id')}"
        response = self._core.get(path)
        return self._core.parse(models.Order, response.data, "GET", path)

    def download_certificate(self, order_id: int, format_type: str = "pem_all") -> str:
        """``GET /certificate/download/order/{id}/format/{format_type}``: the order's active
        certificate (not its duplicates or past reissues), as text.

        ``pem_all`` is one PEM bundle of the end-entity, intermediate and root certificates
        (DigiCert's glossary, "Certificate formats"). A certificate kept on a hardware token
        cannot be downloaded.
        """
        path = (
            f"/certificate/download/order/{int_id(order_id, 'order_id')}"
            f"/format/{str_id(format_type, 'format_type')}"
        )
        data = self._core.request("GET", path, text=True).data
        if not isinstance(data, str):
            raise _unreadable(path, "an empty body instead of a certificate")
        return data

    def list_by_alternative_id(self, alternative_order_id: str) -> list[models.AlternateOrder]:
        """``GET /order/alternate/{alternative_order_id}``, every page.

        This answer decides whether an order may be placed, so it is read strictly. Only
        DigiCert's documented "none" means none: a 404 ``not_found`` (not a missing route), or
        a well-formed body whose ``orders`` list is empty. Every entry must carry an
        ``order_id`` and a ``status`` (returned in lower case: DigiCert's statuses compare
        without regard to case). Anything else (an error envelope with a 2xx, an empty or
        non-JSON body, ``orders`` missing or not a list, an entry without ``order_id`` or
        ``status``...) raises :class:`~errors.InvalidResponseError`: nobody can tell whether
        an order exists.
        """
        path = f"/order/alternate/{str_id(alternative_order_id, 'alternative_order_id')}"
        found: list[models.AlternateOrder] = []
        offset = 0
        for _ in range(_MAX_ALTERNATE_PAGES):
            try:
                data = self._core.get(path, params={"limit": PAGE_SIZE, "offset": offset}).data
            except errors.NotFoundError as exc:
                if offset == 0 and _documented_none(exc):
                    return []
                raise
            entries, total = _alternate_page(data, path)
            found.extend(entries)
            offset += len(entries)
            if not entries or (total is not None and offset >= total):
                return found
            if total is None and len(entries) < PAGE_SIZE:
                return found
        raise _unreadable(path, "more pages than any account has")

    def update_status(self, order_id: int, status: str, note: str | None = None) -> None:
        """``PUT /order/certificate/{id}/status`` (``canceled`` needs a ``note``)."""
        path = f"/order/certificate/{int_id(order_id, 'order_id')}/status"
        body: dict[str, Any] = {"status": status}
        if note is not None:
            body["note"] = note
        self._core.request("PUT", path, body=body)

    def update_contacts(self, order_id: int, contacts: Sequence[Mapping[str, Any]]) -> None:
        """``PUT /order/certificate/{id}/contact`` with ``{"contacts": [...]}`` (204).

        Each contact carries ``contact_type`` (``organization_contact``/``technical_contact``)
        and ``first_name``, ``last_name``, ``email``. Contact types left out stay as they are;
        optional fields left out keep their values; a contact cannot be removed (ORDER-CONTACTS).
        """
        path = f"/order/certificate/{int_id(order_id, 'order_id')}/contact"
        self._core.request("PUT", path, body={"contacts": [dict(c) for c in contacts]})

    def get_request(self, request_id: int) -> models.Request:
        """``GET /request/{id}``."""
        path = f"/request/{int_id(request_id, 'request_id')}"
        response = self._core.get(path)
        return self._core.parse(models.Request, response.data, "GET", path)

    def update_request_status(
        self, request_id: int, status: str, processor_comment: str | None = None
    ) -> None:
        """``PUT /request/{id}/status`` (``approved``, ``rejected``...)."""
        path = f"/request/{int_id(request_id, 'request_id')}/status"
        body: dict[str, Any] = {"status": status}
        if processor_comment is not None:
            body["processor_comment"] = processor_comment
        self._core.request("PUT", path, body=body)

    def revoke(
        self, order_id: int, *, comments: str | None = None, skip_approval: bool | None = None
    ) -> models.Request | None:
        """``PUT /order/certificate/{id}/revoke``: revoke every certificate of the order.

        Returns the revoke request (201), or ``None`` when revoked at once (204,
        ``skip_approval``). Each call opens a new request, so it is treated as not idempotent:
        an unknown outcome raises ``OutcomeUnknownError`` instead of resending. ``comments`` is
        what the page's examples send (its table says ``comment``); DigiCert keeps it only on a
        request that awaits approval. No ``revocation_reason`` is offered: DigiCert ignores it
        for all but TLS certificates.
        """
        path = f"/order/certificate/{int_id(order_id, 'order_id')}/revoke"
        body: dict[str, Any] = {}
        if comments is not None:
            body["comments"] = comments
        if skip_approval is not None:
            body["skip_approval"] = skip_approval
        response = self._core.request("PUT", path, body=body, idempotent=False)
        if response.data is None:
            return None
        return self._core.parse(models.Request, response.data, "PUT", path, creating=True)


def card_secrets(body: Mapping[str, Any]) -> tuple[str, ...]:
    """The card number and CVV of an order body, as text, for redaction."""
    card = body.get("credit_card")
    if not isinstance(card, Mapping):
        return ()
    values = (card.get("number"), card.get("cvv"))
    return tuple(
        "".join(ch for ch in str(v) if ch.isdigit()) or str(v)
        for v in values
        if v not in (None, "")
    )


def _documented_none(exc: errors.NotFoundError) -> bool:
    """A 404 that says "no such object", not "no such route" (a wrong base URL)."""
    return any(
        detail.base_code == "not_found" and detail.code.partition("|")[2] != "route"
        for detail in exc.errors
    )


def _unreadable(path: str, reason: str) -> errors.InvalidResponseError:
    return errors.InvalidResponseError(
        f"DigiCert API GET {path} returned an answer that does not say which orders exist "
        f"({reason})",
        method="GET",
        path=path,
        status=200,
        reason=reason,
    )


def _whole(value: Any, minimum: int) -> int | None:
    """An integer (or integral float, or digit string) of at least ``minimum``, else ``None``."""
    number = whole_number(value)
    return number if number is not None and number >= minimum else None


def _alternate_page(data: Any, path: str) -> tuple[list[models.AlternateOrder], int | None]:
    """The entries of one page and the page's ``total``; anything malformed is unreadable."""
    if not isinstance(data, Mapping):
        kind = "an empty body" if data is None else f"a JSON {type(data).__name__}"
        raise _unreadable(path, f"{kind} instead of an object")
    if "errors" in data:
        raise _unreadable(path, "an error envelope with a success status")
    orders = data.get("orders")
    if not isinstance(orders, list):
        shown = "missing" if "orders" not in data else f"a {type(orders).__name__}"
        raise _unreadable(path, f"orders is {shown}, not a list")
    entries: list[models.AlternateOrder] = []
    for index, entry in enumerate(orders):
        if not isinstance(entry, Mapping):
            raise _unreadable(path, f"orders[{index}] is not an object")
        order_id = _whole(entry.get("order_id"), 1)
        if order_id is None:
            raise _unreadable(path, f"orders[{index}] has no order_id")
        status = entry.get("status")
        if not isinstance(status, str) or not status.strip():
            raise _unreadable(path, f"orders[{index}] has no status")
        entries.append(
            models.AlternateOrder.model_validate(
                {**entry, "order_id": order_id, "status": status.strip().lower()}
            )
        )
    total: int | None = None
    page = data.get("page")
    if page is not None:
        total = _whole(page.get("total"), 0) if isinstance(page, Mapping) else None
        if total is None:
            raise _unreadable(path, "page.total is not a number")
        if total == 0 and entries:
            raise _unreadable(path, "page.total is 0 but orders are listed")
    return entries, total
