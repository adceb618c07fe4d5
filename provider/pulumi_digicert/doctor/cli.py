"""``digicert-doctor``: the command line.

Exit status: 0 when no assumption differs, 1 when at least one does, 2 when the doctor could
not run (a setting is missing or unusable, or the report could not be written).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from pulumi_digicert.doctor.http import DEFAULT_BUDGET, WriteRefusedError
from pulumi_digicert.doctor.run import DEFAULT_SAMPLE, run_doctor
from pulumi_digicert.doctor.settings import DoctorSettings, SettingsError

__all__ = ["main"]

PROG = "digicert-doctor"
EXIT_HOLDS, EXIT_DIFFERS, EXIT_FAILED = 0, 1, 2
MAX_BUDGET = 500
MAX_SAMPLE = 10


def _bounded(low: int, high: int) -> type[int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {low} to {high}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}")
        return value

    return parse  # type: ignore[return-value]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Check a DigiCert CertCentral account against what pulumi-digicert assumes. "
            "Read-only: only GET requests are sent. Settings come from --stack-config and the "
            "DIGICERT_* environment variables the provider reads."
        ),
    )
    parser.add_argument(
        "--stack-config",
        type=Path,
        metavar="FILE",
        help="a Pulumi.<stack>.yaml whose digicert:* settings to use (encrypted values must "
        "come from the environment)",
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="write the report (no values) to FILE"
    )
    # The whole-number options: flag, lowest, highest, default, what N does.
    for flag, low, high, default, what in (
        ("--max-requests", 10, MAX_BUDGET, DEFAULT_BUDGET, "send at most N requests"),
        ("--sample", 1, MAX_SAMPLE, DEFAULT_SAMPLE, "read N objects of each kind in full"),
    ):
        parser.add_argument(
            flag,
            type=_bounded(low, high),
            default=default,
            metavar="N",
            help=f"{what} (default {default})",
        )
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args = parse_args(argv)
    try:
        settings = DoctorSettings.resolve(
            os.environ if environ is None else environ, args.stack_config
        )
    except SettingsError as exc:
        print(f"{PROG}: {exc}", file=err)
        return EXIT_FAILED
    try:
        report = run_doctor(settings, budget=args.max_requests, sample=args.sample)
    except WriteRefusedError as exc:
        print(f"{PROG}: {exc}. Nothing was sent; this is a bug, please report it.", file=err)
        return EXIT_FAILED
    except Exception as exc:  # the user sees one line, never a traceback
        print(
            f"{PROG}: stopped by an unexpected {type(exc).__name__}; nothing was changed (the "
            "doctor only reads). Run it again, and report it if it stays.",
            file=err,
        )
        return EXIT_FAILED
    out.write(report.summary())
    out.write("Nothing was changed: the doctor only sends GET requests.\n")
    if args.json is not None:
        try:
            args.json.write_text(report.to_json(), encoding="utf-8")
        except OSError as exc:
            print(
                f"{PROG}: cannot write the report to {args.json} ({exc.strerror}); "
                "choose another --json file.",
                file=err,
            )
            return EXIT_FAILED
        out.write(
            f"Report written to {args.json}: attach it to a bug report. It holds field names, "
            "types and verdicts, never a value, key or name.\n"
        )
    return EXIT_DIFFERS if report.differs else EXIT_HOLDS
