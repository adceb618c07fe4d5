"""Client-side sliding-window rate limiter, one per API key per process.

DigiCert counts requests per API key over rolling windows (100 per 5 s and 1000 per 3 min) and
answers 429 beyond them. The limiter keeps the client under every window instead of finding
the limit by failing: :meth:`SlidingWindowLimiter.acquire` blocks (through the caller's
``sleep``) until a request may start, then records its start time.

DigiCert counts a request when it *arrives*, which is some time after it started here and may
be later for one request than for the next (network and server queues). So the request core
calls :meth:`SlidingWindowLimiter.complete` when the response is in: the request's time becomes
its completion time, which is never earlier than its arrival. A later request then waits a full
window after it, and DigiCert never sees more than ``limit`` requests in a window: no 429 from
jitter. The cost is at most one request's latency per window.

All :class:`~pulumi_digicert.client.DigiCertClient` instances of a process that use the same key
(compared by SHA-256 digest, the key itself is not kept) and the same windows share one limiter
(:func:`shared_limiter`), so the provider host's worker threads and any number of clients stay
under the limit together. Other processes using the same key are not counted: lower the limits
(``digicert:rateLimitBurst`` / ``digicert:rateLimitSustained``) when several run at once.
"""

from __future__ import annotations

import bisect
import collections
import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence

__all__ = ["SlidingWindowLimiter", "key_digest", "reset_shared_limiters", "shared_limiter"]

Window = tuple[int, float]


class SlidingWindowLimiter:
    """Allows at most ``limit`` starts in any ``seconds``-long interval, for every window."""

    def __init__(
        self, windows: Sequence[Window], *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        checked: list[Window] = []
        for limit, seconds in windows:
            if limit < 1 or seconds <= 0:
                raise ValueError("rate limit windows need limit >= 1 and seconds > 0")
            checked.append((int(limit), float(seconds)))
        self.windows: tuple[Window, ...] = tuple(checked)
        self._clock = clock
        self._lock = threading.Lock()
        longest = max((limit for limit, _ in self.windows), default=0)
        self._starts: collections.deque[float] = collections.deque(maxlen=longest or None)

    def _wait_needed(self, now: float) -> float:
        wait = 0.0
        for limit, seconds in self.windows:
            if len(self._starts) >= limit:
                # The start `limit` requests ago must have left the window.
                oldest = self._starts[-limit]
                wait = max(wait, oldest + seconds - now)
        return wait

    def _try_start(self) -> tuple[float, float]:
        """``(now, seconds to wait)``; a start is recorded at ``now`` when the wait is 0."""
        with self._lock:
            now = self._clock()
            wait = self._wait_needed(now)
            if wait <= 0 and self.windows:
                self._starts.append(now)
            return now, wait

    def try_acquire(self) -> float:
        """Record a start and return 0.0 if allowed now, else the seconds to wait."""
        wait = self._try_start()[1]
        return wait if wait > 0 else 0.0

    def acquire(self, sleep: Callable[[float], None] = time.sleep) -> float:
        """Block until a request may start; returns the total seconds slept."""
        slept = 0.0
        while True:
            wait = self.try_acquire()
            if wait <= 0:
                return slept
            sleep(wait)
            slept += wait

    def acquire_start(self, sleep: Callable[[float], None] = time.sleep) -> float:
        """Like :meth:`acquire`, but returns the recorded start time (for :meth:`complete`)."""
        while True:
            now, wait = self._try_start()
            if wait <= 0:
                return now
            sleep(wait)

    def complete(self, started: float) -> None:
        """Move the request recorded at ``started`` to now, when its response has arrived."""
        with self._lock:
            now = self._clock()
            if now <= started:
                return
            try:
                self._starts.remove(started)
            except ValueError:  # already left the longest window
                return
            bisect.insort(self._starts, now)


_registry: dict[tuple[str, tuple[Window, ...], Callable[[], float]], SlidingWindowLimiter] = {}
_registry_lock = threading.Lock()


def key_digest(api_key: str) -> str:
    """SHA-256 hex digest identifying a key without holding it."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def shared_limiter(
    api_key: str, windows: Sequence[Window], *, clock: Callable[[], float] = time.monotonic
) -> SlidingWindowLimiter:
    """The process-wide limiter for ``api_key`` with these windows (created on first use)."""
    registry_key = (key_digest(api_key), tuple((int(n), float(s)) for n, s in windows), clock)
    with _registry_lock:
        limiter = _registry.get(registry_key)
        if limiter is None:
            limiter = SlidingWindowLimiter(registry_key[1], clock=clock)
            _registry[registry_key] = limiter
        return limiter


def reset_shared_limiters() -> None:
    """Forget every shared limiter (for tests)."""
    with _registry_lock:
        _registry.clear()


def _after_fork_in_child() -> None:
    # A forked child is a new process: its own limiters, and a lock no other thread holds.
    global _registry_lock
    _registry_lock = threading.Lock()
    _registry.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
