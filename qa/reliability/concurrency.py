"""Section ``concurrency``: creates fired at once at the host's four threads, the client's
limiter and the sandbox at the same windows, while order responses are lost after commit and
requests fail with 503. No 429 may come back from the sandbox (what the limiter is for), no
order may be bought twice, and every create that failed is run again as the next ``pulumi up``
would."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pulumi_digicert.testing import ProviderHost
from pulumi_digicert.testing.program import RegisteredResource
from qa.reliability.campaign import Campaign, SectionResult, create_once, orders_under_faults


class _Creates:
    """Creates sent at once, one thread each behind a barrier; what each one ended with."""

    def __init__(self, host: ProviderHost) -> None:
        self.host = host
        self.errors: list[str] = []
        self.outputs: dict[str, tuple[str, dict[str, Any]]] = {}
        self.attempts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def _create(self, resource: RegisteredResource, start: threading.Barrier) -> None:
        start.wait()
        with self._lock:
            self.attempts[resource.name] += 1
        created, error = create_once(self.host, resource)
        with self._lock:
            if created is None:
                self.errors.append(error)
            else:
                self.outputs[resource.name] = created

    def all_at_once(self, resources: Sequence[RegisteredResource]) -> None:
        start = threading.Barrier(len(resources))
        threads = [threading.Thread(target=self._create, args=(r, start)) for r in resources]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def _incomplete(resources: Sequence[RegisteredResource], creates: _Creates) -> int:
    """Declarations without an order, or whose outputs are not that order's, complete."""
    lost = 0
    for r in resources:
        created = creates.outputs.get(r.name)
        if created is None:
            lost += 1
            continue
        id_, outs = created
        complete = (
            id_
            and outs.get("order_id") == float(id_)
            and outs.get("alternative_order_id") == r.inputs["alternative_order_id"]
            and outs.get("request_id")
            and outs.get("status")
            and outs.get("__provider") == r.provider_blob
        )
        lost += not complete
    return lost


def concurrency(campaign: Campaign) -> SectionResult:
    cfg = campaign.config
    result = SectionResult("concurrency")
    windows = cfg.concurrency_windows
    with orders_under_faults(
        campaign,
        "concurrency",
        count=cfg.concurrent_creates,
        prefix="c",
        limits=windows.limits(),
        client=windows.provider_config(),
        drop=cfg.concurrency_drop_probability,
        fail=cfg.concurrency_fail_probability,
    ) as run:
        resources = run.resources
        creates = _Creates(run.host)
        pending = list(resources)
        rounds = 0
        while pending and rounds < cfg.max_rounds:
            rounds += 1
            creates.all_at_once(pending)
            pending = [r for r in resources if r.name not in creates.outputs]
        placed = run.finish()
    duplicates = placed.duplicates
    lost = _incomplete(resources, creates)
    sandbox_429 = placed.stats.get(429, 0)
    user_429 = sum(1 for e in creates.errors if "429" in e or "request_limit_exceeded" in e)
    result.figures = {
        "creates": len(resources),
        "host_threads": 4,
        "limiter": f"{windows.describe()} (client and sandbox)",
        "faults": {
            "drop_create_response_probability": cfg.concurrency_drop_probability,
            "fail_5xx_probability": cfg.concurrency_fail_probability,
        },
        **placed.sandbox_figures(),
        "429_answered_by_sandbox": sandbox_429,
        "429_reaching_the_user": user_429,
        "failed_creates_run_again": len(creates.errors),
        "rounds": rounds,
        "creates_that_needed_a_retry": sum(1 for n in creates.attempts.values() if n > 1),
        "duplicates": duplicates,
        "orders": sum(len(placed.of(a)) for a in placed.declared),
        "declarations_without_order": placed.declarations_without_order,
        "lost_outputs": lost,
        "errors": sorted(set(creates.errors))[:5],
    }
    result.expect(sandbox_429 == 0, f"the sandbox answered {sandbox_429} request(s) with 429")
    result.expect(user_429 == 0, f"{user_429} 429(s) reached the user")
    result.expect(duplicates == 0, f"{duplicates} duplicate order(s)")
    result.expect(lost == 0, f"{lost} create(s) lost their outputs")
    result.expect(placed.stats.get(0, 0) > 0, "no response was cut: the faults did not bite")
    return result.finish()
