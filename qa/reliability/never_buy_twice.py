"""Section ``never_buy_twice``: DocumentSigningOrder creates through the host while the sandbox
drops order responses after commit, fails requests with 5xx, refuses connections for a
maintenance window and another client on the same key fills the rate-limit window. Every failed
Create is run again (Check then Create, same inputs) as the next ``pulumi up`` would, until it
succeeds; then every order is matched to its declaration and refreshed."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from pulumi_digicert.sandbox import SandboxServer
from pulumi_digicert.testing import ProviderHost
from pulumi_digicert.testing.program import RegisteredResource
from qa.reliability.campaign import Campaign, SectionResult, create_once, orders_under_faults


@dataclass
class Declaration:
    resource: RegisteredResource
    create_calls: int = 0
    order_id: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def alternative_order_id(self) -> str:
        return str(self.resource.inputs["alternative_order_id"])


class Triggers:
    """Runs each action once, when the number of finished first-round creates reaches its mark."""

    def __init__(self, actions: Sequence[tuple[int, str, Callable[[], None]]]) -> None:
        self._actions = sorted(actions, key=lambda a: a[0])
        self._done = 0
        self._lock = threading.Lock()
        self.fired: list[str] = []

    def finished_one(self) -> None:
        due: list[tuple[str, Callable[[], None]]] = []
        with self._lock:
            self._done += 1
            while self._actions and self._actions[0][0] <= self._done:
                _, name, action = self._actions.pop(0)
                due.append((name, action))
                self.fired.append(name)
        for _, action in due:
            action()


def fill_rate_limit_window(server: SandboxServer, limit: int) -> int:
    """Another client on the same key spends the burst window: requests until the first 429.
    Returns how many requests it sent."""
    sent = 0
    with httpx.Client(
        base_url=server.services_url, headers={"X-DC-DEVKEY": server.api_key}, timeout=10
    ) as other:
        while sent < limit * 3:
            sent += 1
            with contextlib.suppress(httpx.TransportError):
                if other.get("/finance/balance").status_code == 429:
                    break
    return sent


def _triggers(campaign: Campaign, server: SandboxServer, n: int, bursts: list[int]) -> Triggers:
    """The maintenance window, then the other client's bursts, at their marks."""
    cfg = campaign.config
    control = server.control

    def maintenance() -> None:
        control.inject_fault(kind="maintenance", seconds=cfg.maintenance_seconds)

    def burst() -> None:
        # Another client on the same key fills the burst window once the maintenance window
        # is over (during it nothing reaches the rate limiter). The worker that crossed the
        # mark waits for it; the other three keep creating into a full window.
        while any(f["kind"] == "maintenance" for f in control.faults()):
            time.sleep(0.05)
        bursts.append(fill_rate_limit_window(server, cfg.burst_limit))

    actions: list[tuple[int, str, Callable[[], None]]] = [
        (max(1, int(n * cfg.maintenance_at)), "maintenance", maintenance)
    ]
    for i in range(cfg.rate_limit_bursts):
        mark = int(n * (0.45 + 0.5 * i / max(1, cfg.rate_limit_bursts)))
        actions.append((max(1, mark), f"burst {i + 1}", burst))
    return Triggers(actions)


def _create_until_done(
    campaign: Campaign, host: ProviderHost, declarations: list[Declaration], triggers: Triggers
) -> int:
    """Create every declaration with four workers, round after round, until each has its order
    (at most ``max_rounds``); returns the rounds run."""

    def attempt(declaration: Declaration, first_round: bool) -> None:
        declaration.create_calls += 1
        try:
            created, error = create_once(host, declaration.resource)
            if created is None:
                declaration.errors.append(error)
            else:
                declaration.order_id, declaration.outputs = created
        finally:
            if first_round:
                triggers.finished_one()

    pending = list(declarations)
    rounds = 0
    while pending and rounds < campaign.config.max_rounds:
        first = rounds == 0
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="up") as pool:
            list(pool.map(attempt, pending, [first] * len(pending)))
        rounds += 1
        pending = [d for d in declarations if not d.order_id]
    return rounds


def never_buy_twice(campaign: Campaign) -> SectionResult:
    cfg = campaign.config
    result = SectionResult("never_buy_twice")
    bursts: list[int] = []
    with orders_under_faults(
        campaign,
        "never-buy-twice",
        count=cfg.declarations,
        prefix="o",
        limits=cfg.windows.limits(),
        client=cfg.client_limits(),
        drop=cfg.drop_probability,
        fail=cfg.fail_probability,
    ) as run:
        declarations = [Declaration(r) for r in run.resources]
        triggers = _triggers(campaign, run.server, len(declarations), bursts)
        rounds = _create_until_done(campaign, run.host, declarations, triggers)
        placed = run.finish()
        refreshed = _refresh_all(run.host, declarations)

    duplicates = placed.duplicates
    exist = len(declarations) - placed.declarations_without_order
    declared = set(placed.declared)
    orphans = sum(len(v) for a, v in placed.orders.items() if a not in declared)
    unfinished = [d for d in declarations if not d.order_id]
    mismatched = [
        d
        for d in declarations
        if d.order_id and [o["id"] for o in placed.of(d.alternative_order_id)] != [int(d.order_id)]
    ]
    retried = [d for d in declarations if d.create_calls > 1]
    error_kinds = Counter(_error_kind(e) for d in declarations for e in d.errors)
    result.figures = {
        "declarations": len(declarations),
        "paid_by_card": sum(1 for d in declarations if "credit_card" in d.resource.inputs),
        "orders_that_exist": exist,
        "duplicates": duplicates,
        "orders_without_declaration": orphans,
        "declarations_without_order": len(unfinished),
        "state_order_id_mismatches": len(mismatched),
        "creates_that_needed_a_retry": len(retried),
        "max_retries_for_one_declaration": max(
            (d.create_calls - 1 for d in declarations), default=0
        ),
        "create_calls": sum(d.create_calls for d in declarations),
        "rounds": rounds,
        "adopted_after_lost_response": sum(1 for d in declarations if d.outputs.get("adopted")),
        "failed_create_causes": dict(error_kinds.most_common()),
        "failed_create_examples": sorted({e for d in declarations for e in d.errors})[:8],
        **placed.sandbox_figures(),
        "rate_limit_burst_requests": sum(bursts),
        "faults": {
            "drop_create_response_probability": cfg.drop_probability,
            "fail_5xx_probability": cfg.fail_probability,
            "maintenance_seconds": cfg.maintenance_seconds,
            "client_max_retries": cfg.max_retries if cfg.max_retries is not None else "default",
            "rate_limit": f"{cfg.burst_limit}/{cfg.burst_window:g}s",
            "rate_limit_bursts": cfg.rate_limit_bursts,
            "triggered": triggers.fired,
        },
        "refresh_after_campaign_matches": refreshed,
    }
    result.expect(duplicates == 0, f"{duplicates} duplicate order(s)")
    result.expect(orphans == 0, f"{orphans} order(s) no declaration owns")
    result.expect(not unfinished, f"{len(unfinished)} declaration(s) never got an order")
    result.expect(not mismatched, f"{len(mismatched)} declaration(s) recorded another order")
    result.expect(exist == len(declarations), "not every declaration has its order")
    result.expect(refreshed == len(declarations) - len(unfinished), "a refresh lost an order")
    result.expect(bool(retried), "no create needed a retry: the faults did not bite")
    return result.finish()


def _refresh_all(host: ProviderHost, declarations: Sequence[Declaration]) -> int:
    """Read every created order back (a ``pulumi refresh``); count those still matching."""
    matching = 0
    for declaration in declarations:
        if not declaration.order_id:
            continue
        urn = declaration.resource.urn
        read_id, outputs, _ = host.read(declaration.order_id, urn, declaration.outputs)
        if read_id == declaration.order_id and outputs.get("order_id") == float(read_id):
            matching += 1
    return matching


def _error_kind(detail: str) -> str:
    for marker in (
        "outcome is unknown",
        "request_limit_exceeded",
        "RateLimitError",
        "APIConnectionError",
        "APITimeoutError",
        "ServerError",
        "ResourceError",
    ):
        if marker in detail:
            return marker
    return detail[:80]
