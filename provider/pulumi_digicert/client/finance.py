"""Finance: ``/finance/balance``."""

from __future__ import annotations

from pulumi_digicert.client import models
from pulumi_digicert.client._core import RequestCore, int_id

__all__ = ["Finance"]


class Finance:
    """Account balance."""

    def __init__(self, core: RequestCore) -> None:
        self._core = core

    def balance(self, *, container_id: int | None = None) -> models.Balance:
        """``GET /finance/balance`` (``container_id`` is required for multi-division accounts)."""
        path = "/finance/balance"
        params = (
            None if container_id is None else {"container_id": int_id(container_id, "container_id")}
        )
        response = self._core.get(path, params=params)
        return self._core.parse(models.Balance, response.data, "GET", path)
