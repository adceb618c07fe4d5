"""Run the benchmarks against a local sandbox through the real provider host.

    python -m benchmarks            # quick mode (CI): counts, sizes, start-up, a small scale run
    python -m benchmarks --full     # DigiCert's windows, 50/200/1000 resources, naive client

Prints Markdown tables and writes the JSON (``--json PATH``). Quick mode exits non-zero when a
call count differs from the expected one, a ``__provider`` blob exceeds its bound, a scale
operation fails or a scale phase is slower than the allowed ratio to its lower bound.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.common import Windows
from benchmarks.lifecycle import run_lifecycle
from benchmarks.naive import NAIVE_BACKOFF
from benchmarks.report import RATIO_GOAL, Report, markdown
from benchmarks.scale import PhaseResult, run_scale
from benchmarks.startup import cold_start, import_times

#: Quick mode: windows small enough that 60 orders meet both of them within a few seconds.
QUICK_WINDOWS = Windows(burst_limit=20, burst_window=0.5, sustained_limit=100, sustained_window=3)
QUICK_SIZES = [60]
#: Quick mode's windows are 0.5 s long, so one burst's latency is a larger share of the bound.
QUICK_RATIO_LIMIT = 1.5
FULL_SIZES = [50, 200, 1000]
#: The naive comparison runs with both windows and the naive back-off scaled by this factor.
NAIVE_SCALE = 0.1


def naive_ratio_notes(phases: list[PhaseResult]) -> list[str]:
    notes = []
    by_key = {(p.client, p.phase, p.resources): p for p in phases}
    for (client, phase, n), naive in sorted(by_key.items()):
        provider = by_key.get(("provider", phase, n))
        if client == "naive" and provider is not None and provider.wall_seconds > 0:
            factor = naive.wall_seconds / provider.wall_seconds
            notes.append(
                f"- {phase} {n}: the naive client took {factor:.1f}x "
                f"the provider's time ({naive.rate_limited} responses 429 against "
                f"{provider.rate_limited})."
            )
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--full", action="store_true", help="DigiCert's windows, all sizes")
    parser.add_argument("--sizes", type=int, nargs="+", help="scale sizes (default per mode)")
    parser.add_argument(
        "--naive-scale",
        type=float,
        default=NAIVE_SCALE,
        help="factor on windows and naive back-off for the naive comparison (full mode)",
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the naive comparison")
    parser.add_argument("--json", type=Path, help="write the JSON results here")
    parser.add_argument("--markdown", type=Path, help="write the Markdown tables here")
    args = parser.parse_args(argv)

    mode = "full" if args.full else "quick"
    runs = 5 if args.full else 3
    print(f"pulumi-digicert benchmarks ({mode} mode)", file=sys.stderr)
    lifecycle = run_lifecycle()
    print("  api calls and state sizes: done", file=sys.stderr)
    start = cold_start(runs)
    imports = import_times(runs)
    print("  cold start and import time: done", file=sys.stderr)

    notes: list[str] = []
    if args.full:
        sizes = args.sizes or FULL_SIZES
        real = Windows.digicert()
        scale = run_scale(sizes, real, naive=False)
        notes.append(
            f"Provider rows with windows {real.describe()} are DigiCert's limits, enforced by "
            "the sandbox. The bound is the rate-limit floor plus the time the final batch "
            "(the calls that may start only at the floor) takes at the unthrottled pace, or the "
            "unthrottled time (the same phase with limits off) if that is larger."
        )
        if not args.no_naive:
            scaled = Windows.digicert(args.naive_scale)
            backoff = NAIVE_BACKOFF * args.naive_scale
            scale += run_scale(sizes, scaled, naive=True, naive_backoff=backoff)
            notes.append(
                f"Rows with windows {scaled.describe()} compare the provider with the naive client "
                f"(no limiter, {NAIVE_BACKOFF:g} s sleep after a 429) with both windows and the "
                f"back-off scaled by {args.naive_scale:g} ({backoff:g} s), so that the comparison "
                "finishes in minutes; ratios are what carry over. The naive client calls the "
                "API directly (no engine, no host), so below the limits it is faster."
            )
        ratio_limit = RATIO_GOAL
    else:
        sizes = args.sizes or QUICK_SIZES
        scale = run_scale(sizes, QUICK_WINDOWS, naive=not args.no_naive and bool(args.sizes))
        notes.append(
            f"Quick mode: windows scaled down to {QUICK_WINDOWS.describe()}; the provider must "
            f"stay within {QUICK_RATIO_LIMIT}x the bound with no failed operation."
        )
        ratio_limit = QUICK_RATIO_LIMIT
    notes += naive_ratio_notes(scale)
    print("  stack scale: done", file=sys.stderr)

    report = Report(mode, lifecycle, start, imports, scale, notes)
    text = markdown(report)
    print(text)
    document = report.to_json()
    problems = report.problems(ratio_limit=ratio_limit)
    # Timing is asserted in quick mode (ratios within one run); full mode reports it.
    failing = [p for p in problems if args.full is False or "x the bound" not in p]
    document["problems"] = problems
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text)
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
