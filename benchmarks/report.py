"""Collect every measurement into one JSON document and render it as Markdown tables."""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import dataclass
from typing import Any

from benchmarks.lifecycle import LifecycleResult
from benchmarks.minimums import EXPECTED, MINIMUM, NOTES, OPERATIONS, UPDATE_CHANGE
from benchmarks.scale import PhaseResult
from benchmarks.startup import ColdStart, ImportTime

#: Upper bound on a ``__provider`` blob (bytes of base64 text): the providers pickle by
#: reference and carry no state, so a blob is the class path and nothing else.
BLOB_BOUND = 256
#: Goal for wall time over the lower bound in a scale phase (full mode, DigiCert's windows).
RATIO_GOAL = 1.2


@dataclass
class Report:
    mode: str
    lifecycle: LifecycleResult
    cold_start: ColdStart | None
    imports: list[ImportTime]
    scale: list[PhaseResult]
    scale_notes: list[str]

    def lifecycle_rows(self) -> list[dict[str, Any]]:
        rows = []
        for resource, ops in MINIMUM.items():
            for op in OPERATIONS:
                minimum, why = ops[op]
                measured = self.lifecycle.count(resource, op)
                rows.append(
                    {
                        "resource": resource,
                        "operation": op,
                        "measured": measured,
                        "minimum": minimum,
                        "expected": EXPECTED[resource][op],
                        "calls": self.lifecycle.calls(resource, op),
                        "minimum_is": why,
                        "note": NOTES.get((resource, op), ""),
                    }
                )
        return rows

    def problems(self, *, ratio_limit: float) -> list[str]:
        """What the quick mode asserts: exact counts, no count above its minimum without a
        written reason, the blob bound, scale ratio and errors."""
        found = []
        for row in self.lifecycle_rows():
            label = f"{row['resource']} {row['operation']}"
            if row["measured"] != row["expected"]:
                found.append(
                    f"{label}: {row['measured']} calls, expected {row['expected']} ({row['calls']})"
                )
            found += minimum_problems(label, row["measured"], row["minimum"], row["note"])
        for size in self.lifecycle.sizes:
            if size.provider_blob_bytes > BLOB_BOUND:
                found.append(
                    f"{size.resource}: __provider blob {size.provider_blob_bytes} B > {BLOB_BOUND}"
                )
        for phase in self.scale:
            if phase.client != "provider":
                continue
            label = f"scale {phase.phase} {phase.resources}"
            if phase.errors:
                found.append(f"{label}: {phase.errors} operations failed")
            if phase.ratio > ratio_limit:
                found.append(f"{label}: {phase.ratio:.2f}x the bound (limit {ratio_limit}x)")
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "environment": {
                "python": sys.version.split()[0],
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
            },
            "api_calls": self.lifecycle_rows(),
            "state_sizes": [s.to_json() for s in self.lifecycle.sizes],
            "blob_bound_bytes": BLOB_BOUND,
            "cold_start": self.cold_start.to_json() if self.cold_start else None,
            "import_time": [i.to_json() for i in self.imports],
            "scale": [p.to_json() for p in self.scale],
            "scale_notes": self.scale_notes,
        }


def summary(document: dict[str, Any]) -> str:
    """The sentence the README puts above a full run's tables, from its JSON."""
    env = document["environment"]
    operations = [r for r in document["api_calls"] if r["minimum"] is not None]
    above = [r for r in operations if r["measured"] > r["minimum"]]
    provider = [p for p in document["scale"] if p["client"] == "provider"]
    limited = sum(p["rate_limited_429"] for p in provider)
    failed = sum(p["errors"] for p in provider)
    over_goal = [
        f"{p['phase']} {p['resources']} at {p['windows']} ({p['ratio_to_bound']:.2f}x)"
        for p in provider
        if p["ratio_to_bound"] > RATIO_GOAL
    ]
    text = (
        f"Recorded {document['generated_at']} on {env['cpus']} CPUs, Python {env['python']} "
        "(`benchmarks/results/full.json`, `benchmarks/results/full.md`). "
        f"{len(operations) - len(above)} of {len(operations)} operations make exactly their "
        "minimum of API calls"
    )
    if above:
        text += "; " + "; ".join(
            f"{r['resource']} {r['operation']} makes {r['measured']} against a minimum of "
            f"{r['minimum']}, for the reason in its note"
            for r in above
        )
    text += (
        f". {limited} responses 429 reached the provider's scale operations and "
        f"{failed} of them failed."
    )
    if over_goal:
        text += (
            f" Scale phases above the {RATIO_GOAL}x goal in this run: " + ", ".join(over_goal) + "."
        )
    return text


def minimum_problems(label: str, calls: int | None, minimum: int | None, note: str) -> list[str]:
    """A count above its minimum needs a written reason (``NOTES``); one below it means the
    minimum is wrong or a call the API requires was skipped."""
    if calls is None or minimum is None:
        return [] if calls == minimum else [f"{label}: {calls} calls, minimum {minimum}"]
    if calls > minimum and not note:
        return [
            f"{label}: {calls} calls, {calls - minimum} above its minimum of {minimum} without a "
            "note in benchmarks/minimums.py NOTES saying why"
        ]
    if calls < minimum:
        return [f"{label}: {calls} calls, below its minimum of {minimum}: check the minimum"]
    return []


def _cell(value: Any) -> str:
    return "n/a" if value is None else str(value)


def markdown(report: Report) -> str:
    out: list[str] = []
    out.append("#### API calls per operation (counted at the sandbox)\n")
    out.append("| resource | operation | calls | minimum | what the minimum is | note |")
    out.append("|---|---|---:|---:|---|---|")
    for row in report.lifecycle_rows():
        if row["minimum"] is None and row["measured"] is None:
            continue
        flag = "" if row["measured"] == row["minimum"] else " **(above)**"
        what = row["minimum_is"]
        if row["operation"] == "update":
            what = f"{UPDATE_CHANGE[row['resource']]}: {what}"
        out.append(
            f"| {row['resource']} | {row['operation']} | {_cell(row['measured'])}{flag} | "
            f"{_cell(row['minimum'])} | {what} | {row['note']} |"
        )
    out.append("\n#### State size per resource (bytes)\n")
    out.append("| resource | `__provider` blob | outputs (JSON) | total |")
    out.append("|---|---:|---:|---:|")
    for size in report.lifecycle.sizes:
        state = size.to_json()
        out.append(
            f"| {size.resource} | {size.provider_blob_bytes} | {size.outputs_bytes} | "
            f"{state['state_bytes']} |"
        )
    if report.cold_start is not None:
        cold = report.cold_start
        out.append(f"\n#### Host cold start (median of {cold.runs})\n")
        out.append("| process start to port | Configure | first Check | first Create | total |")
        out.append("|---:|---:|---:|---:|---:|")
        out.append(
            f"| {cold.process_to_port_ms:.0f} ms | {cold.configure_ms:.0f} ms | "
            f"{cold.first_check_ms:.0f} ms | {cold.first_create_ms:.0f} ms | "
            f"**{cold.total_ms:.0f} ms** |"
        )
    if report.imports:
        out.append("\n#### Import time (`python -X importtime`, median)\n")
        out.append("| statement | ms | heaviest modules it loads (cumulative ms) |")
        out.append("|---|---:|---|")
        for item in report.imports:
            heavy = ", ".join(f"{k} {v:.0f}" for k, v in item.heaviest.items())
            out.append(f"| `{item.statement}` | {item.total_ms:.0f} | {heavy} |")
    if report.scale:
        out.append("\n#### Stack scale (document signing orders)\n")
        out.append(
            "| client | phase | resources | windows | wall s | API calls | 429s | errors | "
            "rate-limit floor s | unthrottled s | ratio to bound |"
        )
        out.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for phase in report.scale:
            data = phase.to_json()
            out.append(
                f"| {phase.client} | {phase.phase} | {phase.resources} | {phase.windows} | "
                f"{data['wall_seconds']:.2f} | {phase.api_calls} | {phase.rate_limited} | "
                f"{phase.errors} | {data['floor_seconds']:.2f} | "
                f"{_cell(data['unthrottled_seconds'])} | {data['ratio_to_bound']:.2f}x |"
            )
        for note in report.scale_notes:
            out.append(f"\n{note}")
    return "\n".join(out) + "\n"
