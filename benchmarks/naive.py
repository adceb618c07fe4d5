"""A naive CertCentral client, as many scripts and providers are written: no rate limiter, and a
fixed long sleep (60 s, scaled with the windows) whenever the API answers 429.

It makes exactly the calls the provider makes for an order (look the alternative order id up,
then POST; GET to refresh), so the scale benchmark compares only how the two pace themselves.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

#: The back-off common clients use after a 429 (seconds, before scaling).
NAIVE_BACKOFF = 60.0


class NaiveClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        backoff: float = NAIVE_BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 100,
    ) -> None:
        self.backoff = backoff
        self._sleep = sleep
        self.max_attempts = max_attempts
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"X-DC-DEVKEY": api_key, "Content-Type": "application/json"},
            timeout=60.0,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
        )
        self._lock = threading.Lock()
        self.rate_limited = 0

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, body: Any = None) -> httpx.Response:
        for _ in range(self.max_attempts):
            response = self._http.request(method, path, json=body)
            if response.status_code != 429:
                return response
            with self._lock:
                self.rate_limited += 1
            self._sleep(self.backoff)
        raise RuntimeError(f"{method} {path}: still rate limited after {self.max_attempts} tries")

    def create_order(self, product: str, body: dict[str, Any], alternative_order_id: str) -> int:
        lookup = self._request("GET", f"/order/alternate/{alternative_order_id}")
        if lookup.status_code == 200:
            orders = lookup.json().get("orders") or []
            if orders:
                return int(orders[0]["order_id"])
        created = self._request("POST", f"/order/certificate/{product}", body)
        created.raise_for_status()
        return int(created.json()["id"])

    def read_order(self, order_id: int) -> dict[str, Any]:
        response = self._request("GET", f"/order/certificate/{order_id}")
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data
