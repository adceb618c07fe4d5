"""What a resource test reads back from the sandbox: the orders it holds, the order bodies it
parsed, the validation submissions it counted."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


def live_order(sandbox_http: httpx.Client, order_id: Any) -> dict[str, Any]:
    """The order as CertCentral answers ``GET /order/certificate/{order_id}``."""
    info: dict[str, Any] = sandbox_http.get(f"/order/certificate/{order_id}").json()
    return info


def orders_with(sandbox: Any, alternative_order_id: str) -> list[dict[str, Any]]:
    """The sandbox's orders placed under ``alternative_order_id``."""
    return [
        o for o in sandbox.control.orders() if o.get("alternative_order_id") == alternative_order_id
    ]


def placed_bodies(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Order bodies as the (in-process) sandbox parsed them (strict JSON types), in arrival
    order."""
    from pulumi_digicert.sandbox import orders as sandbox_orders

    seen: list[dict[str, Any]] = []
    (row,) = [row for row in sandbox_orders.ENDPOINTS if row.operation is sandbox_orders.create]
    create = row.operation

    def recording(ctx: Any, product: str, body: Any) -> dict[str, Any]:
        seen.append(body.model_dump(exclude_none=True))
        return create(ctx, product, body)

    monkeypatch.setattr(row, "operation", recording)
    return seen


def requests_to(sandbox: Any, route: str) -> int:
    """How many requests the sandbox served on ``route`` (``"GET /services/v2/..."``, the path
    as its template)."""
    return sum(
        row["count"]
        for row in sandbox.control.stats()["requests"]
        if f"{row['method']} {row['path_template']}" == route
    )


def submissions(sandbox: Any) -> int:
    """How many domain validations were submitted."""
    return requests_to(sandbox, "POST /services/v2/domain/{domain_id}/validation")
