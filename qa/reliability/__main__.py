"""``python -m qa.reliability``: run the campaign, print its table, write the JSON report.

    python -m qa.reliability                  # full mode, prints the table
    python -m qa.reliability --mode short     # the CI-sized run
    python -m qa.reliability --mode full --seed 20240607 --json qa/reliability/results/full.json

Exits 0 when every section passed, 1 when one reported a broken promise.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from qa.reliability.campaign import DEFAULT_SEED, CampaignConfig
from qa.reliability.report import COMMAND, render_table, report
from qa.reliability.run import SECTIONS, log, run_campaign


class _PrintedRecords(logging.Filter):
    def __init__(self, *, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return self.verbose and record.name == log.name


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description="Run the reliability and security campaign against a local sandbox.",
    )
    parser.add_argument("--mode", choices=("short", "full"), default="full")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON here")
    parser.add_argument(
        "--only", action="append", choices=sorted(SECTIONS), help="run only this section"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    # The campaign turns every logger it scans up to DEBUG; what is printed is only the
    # campaign's own progress (with -v) and warnings.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    handler.addFilter(_PrintedRecords(verbose=args.verbose))
    logging.getLogger().addHandler(handler)
    log.setLevel(logging.INFO)
    factory = CampaignConfig.short if args.mode == "short" else CampaignConfig.full
    config = factory(args.seed)
    results = run_campaign(config, args.only)
    print(render_table(results, config))
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report(results, config), indent=2, sort_keys=False) + "\n")
        print(f"\nfigures written to {path}")
    return 0 if all(r.passed for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
