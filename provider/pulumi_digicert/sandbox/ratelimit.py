"""CertCentral's rate limits: per API key, two rolling windows (a burst and a sustained one).

A refused request is not counted. The windows run on the sandbox clock, so advancing the clock
through the control API also empties them.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable

from .settings import SandboxSettings


class RateLimiter:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, list[float]] = {}

    def allow(self, key_id: str, settings: SandboxSettings) -> bool:
        """Count one request for ``key_id`` unless either window is full."""
        if not settings.rate_limit_enabled:
            return True
        with self._lock:
            now = self._clock()
            hits = self._hits.setdefault(key_id, [])
            horizon = max(settings.burst_window, settings.sustained_window)
            del hits[: bisect.bisect_right(hits, now - horizon)]
            in_burst = len(hits) - bisect.bisect_right(hits, now - settings.burst_window)
            in_sustained = len(hits) - bisect.bisect_right(hits, now - settings.sustained_window)
            if in_burst >= settings.burst_limit or in_sustained >= settings.sustained_limit:
                return False
            bisect.insort(hits, now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
