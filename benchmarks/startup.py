"""Host cold start (process start to the first Create answered) and import time.

Cold start is split the way the engine meets it: the host process starts and prints its port,
Configure, the first Check (which unpickles the provider and so imports ``pulumi_digicert``),
the first Create (the client is built and the first API call made). Import times come from
``python -X importtime``, medians of several fresh interpreters.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import PROJECT, STACK, median, registered_resources, sandbox
from pulumi_digicert.testing import ProviderHost
from qa.scenarios import ORGANIZATION, stack_config

_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


@dataclass
class ColdStart:
    runs: int
    process_to_port_ms: float
    configure_ms: float
    first_check_ms: float
    first_create_ms: float
    total_ms: float

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 1) if isinstance(v, float) else v) for k, v in vars(self).items()}


@dataclass
class ImportTime:
    statement: str
    total_ms: float
    """Cumulative import time of the statement's own modules (medians)."""
    heaviest: dict[str, float] = field(default_factory=dict)
    """Cumulative ms of the heaviest modules it pulled in (excluding what was already loaded)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "total_ms": round(self.total_ms, 1),
            "heaviest_ms": {k: round(v, 1) for k, v in self.heaviest.items()},
        }


def cold_start(runs: int = 5) -> ColdStart:
    """Median of ``runs`` host starts, each until its first order Create is answered."""
    order = registered_resources()["DocumentSigningOrder"]
    samples: dict[str, list[float]] = {
        "port": [],
        "configure": [],
        "check": [],
        "create": [],
        "total": [],
    }
    with sandbox() as server:
        server.control.set_balance("1000000.00")
        organization_id = _organization(server)
        for run in range(runs):
            inputs = {
                **order.inputs,
                "organization_id": float(organization_id),
                "alternative_order_id": f"coldstart{run}",
            }
            host = ProviderHost(project=PROJECT, stack=STACK)
            started = time.perf_counter()
            try:
                host.start()
                port = time.perf_counter()
                host.configure(stack_config(server))
                configured = time.perf_counter()
                checked, _ = host.check(order.urn, {}, inputs)
                first_check = time.perf_counter()
                host.create(order.urn, checked)
                first_create = time.perf_counter()
            finally:
                host.stop()
            samples["port"].append(port - started)
            samples["configure"].append(configured - port)
            samples["check"].append(first_check - configured)
            samples["create"].append(first_create - first_check)
            samples["total"].append(first_create - started)
    ms = {k: median(v) * 1000 for k, v in samples.items()}
    return ColdStart(
        runs=runs,
        process_to_port_ms=ms["port"],
        configure_ms=ms["configure"],
        first_check_ms=ms["check"],
        first_create_ms=ms["create"],
        total_ms=ms["total"],
    )


def _organization(server: Any) -> int:
    import httpx

    response = httpx.post(
        server.services_url + "/organization",
        headers={"X-DC-DEVKEY": server.api_key},
        json={**ORGANIZATION, "name": "Cold Start Corp"},
    )
    response.raise_for_status()
    return int(response.json()["id"])


def parse_importtime(stderr: str) -> list[tuple[str, int, int, int]]:
    """``(module, self_us, cumulative_us, depth)`` for each line of ``-X importtime`` output."""
    rows = []
    for line in stderr.splitlines():
        match = _LINE.match(line)
        if match:
            self_us, cumulative_us, indent, module = match.groups()
            rows.append((module, int(self_us), int(cumulative_us), len(indent) // 2))
    return rows


def import_time(statement: str, *, preload: str = "", top: int = 6, runs: int = 5) -> ImportTime:
    """Import time of ``statement`` in fresh interpreters, after ``preload`` (not counted)."""
    totals: list[float] = []
    heavy: dict[str, list[float]] = {}
    code = f"{preload}\nimport sys; sys.stderr.write('--mark--\\n')\n{statement}"
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )
        after = done.stderr.split("--mark--", 1)[-1]
        rows = parse_importtime(after)
        totals.append(sum(cumulative for _, _, cumulative, depth in rows if depth == 0) / 1000)
        for module, _, cumulative, depth in rows:
            if depth > 0:
                heavy.setdefault(module, []).append(cumulative / 1000)
    medians = {module: median(values) for module, values in heavy.items()}
    heaviest = dict(sorted(medians.items(), key=lambda item: -item[1])[:top])
    return ImportTime(statement=statement, total_ms=median(totals), heaviest=heaviest)


def import_times(runs: int = 5) -> list[ImportTime]:
    return [
        import_time("import pulumi_digicert", runs=runs),
        import_time("import pulumi_digicert.resources", preload="import pulumi.dynamic", runs=runs),
    ]
