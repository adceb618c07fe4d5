"""Stack scale: create and refresh N document signing orders under DigiCert's rate limits.

The provider path goes through the real provider host: the engine's calls (Check then Create;
Read) are sent from many threads at once and the host serves them on its four worker threads
over one provider instance, sharing one rate limiter. The sandbox enforces the same windows and
counts every request, 429s included.

Each phase is compared with its lower bound, the larger of

* the **rate-limit floor**: the earliest moment the last of the phase's API calls may start
  when every earlier call started as early as both sliding windows allow (calls made from t=0);
* the **unthrottled time**: the same phase with the limits switched off on both sides, i.e.
  what the host, the provider and the sandbox need anyway;

plus, when the floor is above zero, the time the calls that may start only at the floor (the
final batch) take at the unthrottled pace: they cannot finish before they are served.

A refresh runs in a new host process with empty windows, as a separate ``pulumi refresh`` does
(the sandbox's windows are emptied by advancing its clock).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from benchmarks.common import Windows, provider_host, registered_resources, request_counts, sandbox
from benchmarks.naive import NAIVE_BACKOFF, NaiveClient
from pulumi_digicert.sandbox import SandboxServer
from pulumi_digicert.testing.program import RegisteredResource
from qa.scenarios import ORGANIZATION, stack_config

#: Requests the engine keeps in flight (``pulumi up --parallel``); the host serves four at once.
ENGINE_PARALLELISM = 16
#: Threads of the naive client: the same four-way concurrency as the host's workers.
NAIVE_THREADS = 4

PHASES = ("create", "read")


def _earliest_starts(calls: int, windows: Windows) -> list[float]:
    starts: list[float] = []
    for index in range(calls):
        start = starts[-1] if starts else 0.0
        for limit, seconds in windows.pairs():
            if index >= limit:
                start = max(start, starts[index - limit] + seconds)
        starts.append(start)
    return starts


def limit_floor(calls: int, windows: Windows) -> float:
    """Seconds from the first call's start to the last one's, as early as the windows allow."""
    starts = _earliest_starts(calls, windows)
    return starts[-1] if starts else 0.0


def final_batch(calls: int, windows: Windows) -> int:
    """How many calls may start only at the floor (they still have to be served after it)."""
    starts = _earliest_starts(calls, windows)
    return sum(1 for start in starts if starts and start == starts[-1])


@dataclass
class PhaseResult:
    client: str
    """``provider`` or ``naive``."""
    phase: str
    resources: int
    windows: str
    wall_seconds: float
    api_calls: int
    """Requests the sandbox answered with anything but 429."""
    rate_limited: int
    """Requests the sandbox answered 429."""
    errors: int
    """Operations that failed (a 429 surfacing as an error would count here)."""
    floor_seconds: float
    final_batch: int = 0
    """Calls that may start only at the floor."""
    unthrottled_seconds: float | None = None

    @property
    def bound_seconds(self) -> float:
        unthrottled = self.unthrottled_seconds or 0.0
        if self.floor_seconds <= 0 or self.api_calls == 0:
            return unthrottled
        served = unthrottled * self.final_batch / self.api_calls
        return max(self.floor_seconds + served, unthrottled)

    @property
    def ratio(self) -> float:
        bound = self.bound_seconds
        return self.wall_seconds / bound if bound > 0 else float("inf")

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "phase": self.phase,
            "resources": self.resources,
            "windows": self.windows,
            "wall_seconds": round(self.wall_seconds, 3),
            "api_calls": self.api_calls,
            "rate_limited_429": self.rate_limited,
            "errors": self.errors,
            "floor_seconds": round(self.floor_seconds, 3),
            "final_batch": self.final_batch,
            "unthrottled_seconds": (
                round(self.unthrottled_seconds, 3) if self.unthrottled_seconds is not None else None
            ),
            "bound_seconds": round(self.bound_seconds, 3),
            "ratio_to_bound": round(self.ratio, 3),
        }


# ---------------------------------------------------------------------------------------------
# Setup


def _order_inputs(order: RegisteredResource, organization_id: int, index: int) -> dict[str, Any]:
    return {
        **order.inputs,
        "organization_id": float(organization_id),
        "alternative_order_id": f"scale{index:05d}",
    }


def _order_body(inputs: dict[str, Any]) -> dict[str, Any]:
    """The body the provider sends for these inputs (for the naive client)."""
    return {
        "certificate": {"signature_hash": "sha256"},
        "organization": {"id": int(inputs["organization_id"])},
        "order_validity": {"years": int(inputs["validity_years"])},
        "payment_method": "balance",
        "alternative_order_id": inputs["alternative_order_id"],
        "subject": inputs["subject"],
        "cs_provisioning_method": inputs["cs_provisioning_method"],
    }


@contextmanager
def _scale_sandbox(windows: Windows | None) -> Iterator[tuple[SandboxServer, int]]:
    """A sandbox with an organization to order for, money to pay, and the given windows."""
    with sandbox(rate_limit=False) as server:
        with httpx.Client(
            base_url=server.services_url,
            headers={"X-DC-DEVKEY": server.api_key, "Content-Type": "application/json"},
        ) as http:
            created = http.post("/organization", json={**ORGANIZATION, "name": "Scale Corp"})
            created.raise_for_status()
            organization_id = int(created.json()["id"])
        server.control.set_balance("100000000.00")
        if windows is not None:
            server.control.update_settings(**windows.sandbox_settings())
        yield server, organization_id


def _empty_windows(server: SandboxServer, windows: Windows | None) -> None:
    """Let the sandbox's windows pass (its clock jumps) and zero its counters."""
    if windows is not None:
        server.control.advance_clock(windows.sustained_window + windows.burst_window)
    server.control.reset_stats()


def _timed(operations: list[Callable[[], Any]], threads: int) -> tuple[float, int]:
    """Run ``operations`` on ``threads`` threads; wall seconds and the number that failed."""
    failures = 0

    def run(operation: Callable[[], Any]) -> bool:
        try:
            operation()
        except Exception:
            return False
        return True

    with ThreadPoolExecutor(max_workers=threads) as pool:
        started = time.perf_counter()
        outcomes = list(pool.map(run, operations))
        wall = time.perf_counter() - started
    failures = outcomes.count(False)
    return wall, failures


def _phase_result(
    client: str,
    phase: str,
    n: int,
    windows: Windows | None,
    server: SandboxServer,
    wall: float,
    failures: int,
) -> PhaseResult:
    counts = request_counts(server)
    limited = sum(v for k, v in counts.items() if k.startswith("429 "))
    calls = sum(counts.values()) - limited
    return PhaseResult(
        client=client,
        phase=phase,
        resources=n,
        windows=windows.describe() if windows is not None else "off",
        wall_seconds=wall,
        api_calls=calls,
        rate_limited=limited,
        errors=failures,
        floor_seconds=limit_floor(calls, windows) if windows is not None else 0.0,
        final_batch=final_batch(calls, windows) if windows is not None else 0,
    )


# ---------------------------------------------------------------------------------------------
# The two clients


def run_provider(n: int, windows: Windows | None) -> list[PhaseResult]:
    """Create then refresh ``n`` orders through the provider host (``windows=None``: no limits)."""
    order = registered_resources()["DocumentSigningOrder"]
    results: list[PhaseResult] = []
    with _scale_sandbox(windows) as (server, organization_id):
        config = stack_config(server)
        if windows is None:
            config["digicert:rateLimit"] = "off"
        else:
            config.update(windows.provider_config())
        inputs = [_order_inputs(order, organization_id, i) for i in range(n)]
        urns = [f"{order.urn}-{i}" for i in range(n)]
        created: list[tuple[str, dict[str, Any]] | None] = [None] * n

        with provider_host(config) as host:
            _empty_windows(server, windows)

            def create(index: int) -> None:
                checked, failures = host.check(urns[index], {}, inputs[index])
                if failures:
                    raise RuntimeError(str(failures))
                created[index] = host.create(urns[index], checked)

            wall, failures = _timed(
                [lambda i=i: create(i) for i in range(n)],  # type: ignore[misc]
                ENGINE_PARALLELISM,
            )
            results.append(_phase_result("provider", "create", n, windows, server, wall, failures))

        with provider_host(config) as host:
            _empty_windows(server, windows)

            def read(index: int) -> None:
                entry = created[index]
                if entry is None:
                    raise RuntimeError("not created")
                id_, outs = entry
                if host.read(id_, urns[index], outs, inputs[index])[0] != id_:
                    raise RuntimeError(f"order {id_} read as gone")

            wall, failures = _timed(
                [lambda i=i: read(i) for i in range(n)],  # type: ignore[misc]
                ENGINE_PARALLELISM,
            )
            results.append(_phase_result("provider", "read", n, windows, server, wall, failures))
    return results


def run_naive(n: int, windows: Windows, backoff: float) -> list[PhaseResult]:
    """The same calls from :class:`NaiveClient` (no limiter, ``backoff`` seconds after a 429)."""
    order = registered_resources()["DocumentSigningOrder"]
    results: list[PhaseResult] = []
    with _scale_sandbox(windows) as (server, organization_id):
        inputs = [_order_inputs(order, organization_id, i) for i in range(n)]
        order_ids: list[int | None] = [None] * n
        client = NaiveClient(server.services_url, server.api_key, backoff=backoff)
        try:
            _empty_windows(server, windows)

            def create(index: int) -> None:
                order_ids[index] = client.create_order(
                    str(inputs[index]["product"]),
                    _order_body(inputs[index]),
                    str(inputs[index]["alternative_order_id"]),
                )

            wall, failures = _timed(
                [lambda i=i: create(i) for i in range(n)],  # type: ignore[misc]
                NAIVE_THREADS,
            )
            results.append(_phase_result("naive", "create", n, windows, server, wall, failures))
            _empty_windows(server, windows)

            def read(index: int) -> None:
                order_id = order_ids[index]
                if order_id is None:
                    raise RuntimeError("not created")
                client.read_order(order_id)

            wall, failures = _timed(
                [lambda i=i: read(i) for i in range(n)],  # type: ignore[misc]
                NAIVE_THREADS,
            )
            results.append(_phase_result("naive", "read", n, windows, server, wall, failures))
        finally:
            client.close()
    return results


def run_scale(
    sizes: list[int],
    windows: Windows,
    *,
    naive: bool,
    naive_backoff: float = NAIVE_BACKOFF,
) -> list[PhaseResult]:
    """For each size: the unthrottled baseline, the provider under ``windows``, and (if asked)
    the naive client under the same windows."""
    results: list[PhaseResult] = []
    for n in sizes:
        baseline = {r.phase: r.wall_seconds for r in run_provider(n, None)}
        for result in run_provider(n, windows):
            result.unthrottled_seconds = baseline[result.phase]
            results.append(result)
        if naive:
            for result in run_naive(n, windows, naive_backoff):
                result.unthrottled_seconds = baseline[result.phase]
                results.append(result)
    return results
