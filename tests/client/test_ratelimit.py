"""The client-side sliding-window limiter: never over the rate, shared per key per process."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest

from pulumi_digicert.client import DigiCertClient
from pulumi_digicert.client.ratelimit import SlidingWindowLimiter, shared_limiter
from pulumi_digicert.config import ProviderSettings, Secret

from .conftest import API_KEY, ClientFactory, Recorder


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it (thread-safe)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.lock = threading.Lock()
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.now += seconds


def recording(limiter: SlidingWindowLimiter) -> SlidingWindowLimiter:
    """Keep every admitted start time (the limiter itself only keeps the last `limit`)."""
    limiter._starts = collections.deque()
    return limiter


def assert_within_windows(starts: list[float], windows: tuple[tuple[int, float], ...]) -> None:
    """No interval of `seconds` contains more than `limit` starts, for every window."""
    ordered = sorted(starts)
    for limit, seconds in windows:
        for i in range(len(ordered) - limit):
            assert ordered[i + limit] - ordered[i] >= seconds - 1e-9, (limit, seconds, i)


def _in_eight_threads(work: Callable[[], object]) -> None:
    """Run ``work`` in eight threads at once and wait for all of them."""
    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def test_limiter_lets_a_burst_through_then_blocks_until_the_window_slides() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter([(3, 5.0)], clock=clock)
    starts = []
    for _ in range(7):
        limiter.acquire(clock.sleep)
        starts.append(clock())
    assert starts == [1000.0, 1000.0, 1000.0, 1005.0, 1005.0, 1005.0, 1010.0]
    assert clock.sleeps == [5.0, 5.0]


def test_limiter_honours_the_longer_window_too() -> None:
    clock = FakeClock()
    windows = ((2, 1.0), (4, 10.0))
    limiter = SlidingWindowLimiter(windows, clock=clock)
    starts = []
    for _ in range(6):
        limiter.acquire(clock.sleep)
        starts.append(clock())
    assert starts == [1000.0, 1000.0, 1001.0, 1001.0, 1010.0, 1010.0]
    assert_within_windows(starts, windows)


def test_eight_threads_never_exceed_the_rate_on_a_fake_clock() -> None:
    clock = FakeClock()
    windows = ((10, 5.0), (25, 60.0))
    limiter = recording(SlidingWindowLimiter(windows, clock=clock))
    starts: list[float] = []
    starts_lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            limiter.acquire(clock.sleep)
            with starts_lock:
                starts.append(clock())

    _in_eight_threads(worker)
    assert len(starts) == 80
    admitted = list(limiter._starts)
    assert len(admitted) == 80
    assert_within_windows(admitted, windows)
    # 80 starts at 25 per minute: the third minute-window must have been reached.
    assert max(admitted) - min(admitted) >= 120.0


def test_eight_threads_never_exceed_the_rate_in_real_time() -> None:
    windows = ((6, 0.2), (20, 1.0))
    limiter = recording(SlidingWindowLimiter(windows))
    starts: list[float] = []
    starts_lock = threading.Lock()

    def worker() -> None:
        for _ in range(5):
            limiter.acquire(time.sleep)
            stamp = time.monotonic()
            with starts_lock:
                starts.append(stamp)

    began = time.monotonic()
    _in_eight_threads(worker)
    assert len(starts) == 40
    assert len(limiter._starts) == 40
    assert_within_windows(list(limiter._starts), windows)
    # 40 starts at 20 per second need at least one full slide of the 1 s window.
    assert time.monotonic() - began >= 1.0


def test_clients_with_the_same_key_share_one_limiter(settings: ProviderSettings) -> None:
    limited = replace(settings, rate_limit_enabled=True, burst_limit=3, burst_window=5.0)
    clock = FakeClock()
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    first = DigiCertClient(limited, transport=transport, sleep=clock.sleep, clock=clock)
    second = DigiCertClient(limited, transport=transport, sleep=clock.sleep, clock=clock)
    other_key = DigiCertClient(
        replace(limited, api_key=Secret("another-key")),
        transport=transport,
        sleep=clock.sleep,
        clock=clock,
    )
    try:
        first.domains.activate(1)
        second.domains.activate(1)
        first.domains.activate(1)
        assert clock.sleeps == []
        other_key.domains.activate(1)  # its own budget
        assert clock.sleeps == []
        second.domains.activate(1)  # fourth request on the shared key waits for the window
        assert clock.sleeps == [5.0]
    finally:
        for client in (first, second, other_key):
            client.close()


def test_shared_limiter_is_keyed_by_digest_not_by_key() -> None:
    limiter = shared_limiter("some-api-key", [(100, 5.0)])
    assert shared_limiter("some-api-key", [(100, 5.0)]) is limiter
    assert shared_limiter("other-api-key", [(100, 5.0)]) is not limiter
    from pulumi_digicert.client import ratelimit

    assert all("some-api-key" not in str(key) for key in ratelimit._registry)


def test_client_requests_wait_for_the_limiter_and_never_exceed_it(
    make_client: ClientFactory, recorder: Recorder
) -> None:
    clock = FakeClock()
    client = make_client(
        settings={"rate_limit_enabled": True, "burst_limit": 5, "burst_window": 5.0},
        sleep=clock.sleep,
        clock=clock,
    )
    limiter = recording(shared_limiter(API_KEY, client.settings.rate_limits, clock=clock))
    _in_eight_threads(lambda: [client.domains.activate(1) for _ in range(3)])
    assert len(recorder.requests) == 24
    assert len(limiter._starts) == 24
    assert_within_windows(list(limiter._starts), ((5, 5.0),))
    assert max(limiter._starts) - min(limiter._starts) >= 20.0


def test_rate_limit_off_never_waits(make_client: ClientFactory) -> None:
    clock = FakeClock()
    client = make_client(
        settings={"rate_limit_enabled": False, "burst_limit": 1}, sleep=clock.sleep, clock=clock
    )
    for _ in range(20):
        client.domains.activate(1)
    assert clock.sleeps == []


def test_partner_requests_count_against_the_partner_key(make_client: ClientFactory) -> None:
    clock = FakeClock()
    client = make_client(
        settings={"rate_limit_enabled": True, "burst_limit": 1, "burst_window": 5.0},
        sleep=clock.sleep,
        clock=clock,
    )
    client.domains.activate(1)
    client.partner.link_billing_account("billing")
    assert clock.sleeps == []
    client.partner.link_billing_account("billing")
    assert clock.sleeps == [5.0]


@pytest.mark.parametrize("windows", [[(0, 5.0)], [(5, 0.0)]])
def test_limiter_rejects_meaningless_windows(windows: list[tuple[int, float]]) -> None:
    with pytest.raises(ValueError, match="rate limit windows"):
        SlidingWindowLimiter(windows)


def test_a_completed_request_counts_from_its_completion_not_its_start() -> None:
    # DigiCert counts arrivals: a slow request may arrive after a later one started, so the
    # window must reopen a full window after the response, not after the start.
    clock = FakeClock()
    limiter = SlidingWindowLimiter([(2, 5.0)], clock=clock)
    first = limiter.acquire_start(clock.sleep)
    limiter.acquire_start(clock.sleep)
    clock.sleep(2.0)  # the first request's response arrives 2 s after it started
    limiter.complete(first)
    clock.sleeps.clear()
    limiter.acquire_start(clock.sleep)
    # The second start (t=1000) leaves the window at 1005; the first now counts until 1007.
    assert clock() == 1005.0
    limiter.acquire_start(clock.sleep)
    assert clock() == 1007.0


def test_completing_a_request_that_left_the_window_is_harmless() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter([(1, 1.0)], clock=clock)
    started = limiter.acquire_start(clock.sleep)
    limiter.acquire_start(clock.sleep)  # pushes the first start out of the 1-slot history
    limiter.complete(started)
    assert limiter.try_acquire() > 0
