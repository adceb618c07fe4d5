"""The benchmark's quick mode, as CI runs it: exact API call counts per operation, the
``__provider`` blob bound, and a small stack-scale run within its ratio to the lower bound."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.__main__ import QUICK_RATIO_LIMIT, QUICK_WINDOWS, main
from benchmarks.lifecycle import run_lifecycle
from benchmarks.minimums import EXPECTED, MINIMUM, NOTES, OPERATIONS
from benchmarks.report import BLOB_BOUND, Report, minimum_problems, summary
from benchmarks.scale import final_batch, limit_floor
from benchmarks.startup import parse_importtime
from qa.scenarios import Windows


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench")
    code = main(["--json", str(out / "quick.json"), "--markdown", str(out / "quick.md")])
    document: dict[str, Any] = json.loads((out / "quick.json").read_text())
    document["exit_code"] = code
    document["markdown"] = (out / "quick.md").read_text()
    return document


def test_quick_mode_passes_its_own_assertions(quick: dict[str, Any]) -> None:
    assert quick["problems"] == []
    assert quick["exit_code"] == 0


def test_every_operation_makes_exactly_the_expected_api_calls(quick: dict[str, Any]) -> None:
    measured = {(r["resource"], r["operation"]): r["measured"] for r in quick["api_calls"]}
    expected = {(res, op): n for res, ops in EXPECTED.items() for op, n in ops.items()}
    assert measured == expected


def test_preview_never_calls_the_api(quick: dict[str, Any]) -> None:
    previews = [r for r in quick["api_calls"] if r["operation"] == "preview"]
    assert {r["resource"] for r in previews} == set(MINIMUM)
    assert all(r["measured"] == 0 for r in previews)


def test_every_operation_has_a_minimum_with_its_reason_and_a_written_count() -> None:
    assert set(EXPECTED) == set(MINIMUM)
    for resource, ops in MINIMUM.items():
        assert set(ops) == set(OPERATIONS) == set(EXPECTED[resource])
        for op, (_, why) in ops.items():
            assert why, (resource, op)


def test_no_operation_makes_more_calls_than_its_minimum_without_a_written_reason(
    quick: dict[str, Any],
) -> None:
    problems = [
        problem
        for row in quick["api_calls"]
        for problem in minimum_problems(
            f"{row['resource']} {row['operation']}", row["measured"], row["minimum"], row["note"]
        )
    ]
    assert problems == []
    # Every note explains a real gap: none is left behind once the gap is closed.
    for (resource, op), note in NOTES.items():
        minimum = MINIMUM[resource][op][0]
        expected = EXPECTED[resource][op]
        assert note, (resource, op)
        assert minimum is not None, (resource, op)
        assert expected is not None, (resource, op)
        assert expected > minimum, (resource, op)


def test_the_minimum_guard_refuses_a_count_above_its_minimum_without_a_note() -> None:
    assert minimum_problems("X read", 2, 1, "") != []
    assert minimum_problems("X read", 2, 1, "one extra GET, because ...") == []
    assert minimum_problems("X read", 0, 1, "") != []
    assert minimum_problems("X read", 1, 1, "") == []


def test_an_extra_api_call_planted_in_the_host_turns_the_counts_red() -> None:
    # Planted bug: refresh of an organization reads it twice.
    lifecycle = run_lifecycle(mutation="extra_read_call")
    report = Report("quick", lifecycle, None, [], [], [])
    problems = report.problems(ratio_limit=QUICK_RATIO_LIMIT)
    assert lifecycle.count("Organization", "read") == 2
    assert any(p.startswith("Organization read: 2 calls, expected 1") for p in problems)
    assert any("Organization read: 2 calls, 1 above its minimum" in p for p in problems)


def test_provider_blobs_stay_small(quick: dict[str, Any]) -> None:
    sizes = quick["state_sizes"]
    assert {s["resource"] for s in sizes} == set(MINIMUM)
    for size in sizes:
        assert 0 < size["provider_blob_bytes"] <= BLOB_BOUND, size


def test_small_scale_run_is_within_its_bound_without_429_or_failure(
    quick: dict[str, Any],
) -> None:
    phases = [p for p in quick["scale"] if p["client"] == "provider"]
    assert {p["phase"] for p in phases} == {"create", "read"}
    for phase in phases:
        assert phase["errors"] == 0, phase
        assert phase["rate_limited_429"] == 0, phase
        assert phase["floor_seconds"] > 0, phase
        assert phase["ratio_to_bound"] <= QUICK_RATIO_LIMIT, phase
    create = next(p for p in phases if p["phase"] == "create")
    assert create["api_calls"] == 2 * create["resources"]


def test_quick_mode_prints_every_table(quick: dict[str, Any]) -> None:
    text = quick["markdown"]
    for title in ("API calls per operation", "State size", "cold start", "Import time", "scale"):
        assert title in text
    assert quick["cold_start"]["total_ms"] > 0
    assert quick["import_time"][0]["statement"] == "import pulumi_digicert"


def test_limit_floor_follows_both_windows() -> None:
    windows = Windows(burst_limit=100, burst_window=5.0, sustained_limit=1000, sustained_window=180)
    assert limit_floor(0, windows) == 0.0
    assert limit_floor(100, windows) == 0.0
    assert limit_floor(101, windows) == 5.0
    assert limit_floor(1000, windows) == 45.0
    assert limit_floor(1001, windows) == 180.0
    assert limit_floor(2000, windows) == 225.0
    assert limit_floor(120, QUICK_WINDOWS) == 3.0


def test_importtime_lines_are_parsed() -> None:
    text = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       143 |        143 |     _typing\n"
        "import time:      1683 |       6846 |   typing\n"
        "import time:      1041 |       8361 | pulumi_digicert\n"
    )
    assert parse_importtime(text) == [
        ("_typing", 143, 143, 2),
        ("typing", 1683, 6846, 1),
        ("pulumi_digicert", 1041, 8361, 0),
    ]


def test_results_of_the_last_full_run_are_committed() -> None:
    results = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "full.json"
    document = json.loads(results.read_text())
    assert document["mode"] == "full"
    assert {p["client"] for p in document["scale"]} == {"provider", "naive"}


def test_the_readme_shows_the_committed_full_run() -> None:
    root = Path(__file__).resolve().parents[2]
    document = json.loads((root / "benchmarks" / "results" / "full.json").read_text())
    tables = (root / "benchmarks" / "results" / "full.md").read_text()
    readme = (root / "README.md").read_text()
    start = readme.index("### Latest full run")
    latest = readme[start : readme.index("\n## ", start)]
    assert summary(document) in latest
    assert tables.strip() in latest
    measured = {(r["resource"], r["operation"]): r["measured"] for r in document["api_calls"]}
    assert measured == {(res, op): n for res, ops in EXPECTED.items() for op, n in ops.items()}


def test_final_batch_counts_the_calls_that_start_at_the_floor() -> None:
    windows = Windows(burst_limit=100, burst_window=5.0, sustained_limit=1000, sustained_window=180)
    assert final_batch(50, windows) == 50
    assert final_batch(250, windows) == 50
    assert final_batch(2000, windows) == 100
