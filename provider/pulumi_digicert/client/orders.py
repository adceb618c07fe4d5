"""Orders and requests: ``/order/certificate``, ``/order/alternate``, ``/request``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_digicert.client import errors, models
from pulumi_digicert.client._core import RequestCore, int_id, str_id

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
        response = self._core.request("POST", path, body=dict(body))
        return self._core.parse(models.OrderCreated, response.data, "POST", path, creating=True)

    def get(self, order_id: int) -> models.Order:
        """``GET /order/certificate/{id}``."""
        path = f"/order/certificate/{int_id(order_id, 'order_id')}"
        response = self._core.get(path)
        return self._core.parse(models.Order, response.data, "GET", path)

    def list_by_alternative_id(self, alternative_order_id: str) -> list[models.AlternateOrder]:
        """``GET /order/alternate/{alternative_order_id}``, every page; a 404 means none."""
        path = f"/order/alternate/{str_id(alternative_order_id, 'alternative_order_id')}"
        try:
            items = self._core.paginate(path, "orders")
        except errors.NotFoundError:
            return []
        return self._core.parse_list(models.AlternateOrder, items, path)

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
        an unknown outcome raises ``OutcomeUnknownError`` instead of resending.
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
