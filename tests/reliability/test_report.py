"""The README's reliability table is the committed full run's: every row, every value."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from qa.reliability.report import TABLE, TABLE_HEADER, table_rows
from qa.reliability.run import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "qa" / "reliability" / "results" / "full.json"


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(RESULTS.read_text())
    return document


@pytest.fixture(scope="module")
def section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme[readme.index("## Reliability") : readme.index("## Performance")]


def table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ")]


def test_the_committed_results_are_a_passing_full_run_of_every_section(
    results: dict[str, Any],
) -> None:
    assert results["mode"] == "full"
    assert results["passed"] is True
    assert set(results["sections"]) == {*SECTIONS, "secrets"}


def test_the_readme_table_is_the_committed_full_run(section: str, results: dict[str, Any]) -> None:
    assert table_lines(section) == [TABLE_HEADER[0], *table_rows(results["sections"])]
    assert TABLE_HEADER[1] in section
    assert f"seed {results['seed']}" in section


def test_every_figure_of_the_table_is_in_the_results(results: dict[str, Any]) -> None:
    missing = [
        f"{f.section}.{f.key}"
        for f in TABLE
        if f.value(results["sections"][f.section]["figures"]) == "n/a"
    ]
    assert missing == []


def test_the_readme_gives_the_run_time_of_the_committed_run(
    section: str, results: dict[str, Any]
) -> None:
    minutes = round(sum(s["seconds"] for s in results["sections"].values()) / 60)
    assert f"about {minutes} minutes on 2 CPUs" in section


def test_a_figure_that_differs_from_the_results_is_caught(
    section: str, results: dict[str, Any]
) -> None:
    changed = copy.deepcopy(results)
    changed["sections"]["never_buy_twice"]["figures"]["duplicates"] = 1
    assert table_lines(section) != [TABLE_HEADER[0], *table_rows(changed["sections"])]


def test_the_readme_gives_the_command_that_wrote_the_committed_run(
    section: str, results: dict[str, Any]
) -> None:
    assert results["command"] == f"python -m qa.reliability --mode full --seed {results['seed']}"
    assert f"{results['command']} --json qa/reliability/results/full.json" in section


def test_the_readme_command_runs_from_the_repository_root() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qa.reliability", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--mode {short,full}" in done.stdout
