"""What the campaign publishes: the table of figures (the README's, tied to the committed full
run by ``tests/reliability/test_report.py``), the printed summary, and the JSON report."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from qa.reliability.campaign import CampaignConfig, SectionResult
from qa.reliability.scan import SURFACES

COMMAND = "python -m qa.reliability"
"""The command that runs the campaign (from the repository root, with the ``dev`` extra)."""


@dataclass(frozen=True)
class Figure:
    """One row of the published table: where its value is in the results, what it counts,
    what is required of it, and whether the seed reproduces it."""

    section: str
    key: str
    """A key of the section's figures; dots go into nested figures."""
    label: str
    required: str = ""
    reproducible: bool = True
    """False for counts of what faults and thread timing did in one run."""

    def value(self, figures: Mapping[str, Any]) -> Any:
        value: Any = figures
        for part in self.key.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return "n/a"
            value = value[part]
        return value


VARIES = False
"""A figure's ``reproducible``: it counts what faults and thread timing did in one run."""


def _rows(section: str, *rows: tuple[Any, ...]) -> tuple[Figure, ...]:
    """One section's figures: ``(key, label, required, reproducible)``, the last two optional."""
    return tuple(Figure(section, *row) for row in rows)


TABLE: tuple[Figure, ...] = (
    *_rows(
        "never_buy_twice",
        ("declarations", "DocumentSigningOrder declarations created under faults"),
        ("orders_that_exist", "declarations with their order", "= declarations"),
        ("duplicates", "orders bought twice", "0"),
        (
            "creates_that_needed_a_retry",
            "declarations whose create failed and ran again (next `up`)",
            "",
            VARIES,
        ),
        (
            "adopted_after_lost_response",
            "creates that adopted the order a lost response had placed",
            "",
            VARIES,
        ),
        ("sandbox_responses_cut", "responses cut (dropped after commit, maintenance)", "", VARIES),
        ("sandbox_5xx", "requests answered 5xx", "", VARIES),
        ("sandbox_429", "requests answered 429 (another client filled the window)", "", VARIES),
    ),
    *_rows(
        "hostile_answers",
        ("cases", "scripted hostile answers, one create each"),
        ("orders_sent_beyond_one", "orders sent that must not be", "0"),
        ("outcomes_not_as_required", "creates ending other than required", "0"),
        ("longest_message_bytes", "longest message (bytes)", "<= 2048"),
    ),
    *_rows(
        "bad_keys",
        ("cases", "bad keys and leaky base URLs configured"),
        ("refused_naming_the_setting", "refused naming the setting", "= cases"),
        ("requests_sent_despite_a_refused_setting", "requests sent despite a refused setting", "0"),
        ("key_or_url_parts_shown", "key or URL parts shown", "0"),
    ),
    *_rows(
        "preview",
        ("cases", "Check+Diff cases (each field changed, each unknown)"),
        ("api_calls_during_check_and_diff", "API calls during Check and Diff", "0"),
        ("answers_differing_when_asked_twice", "answers differing when asked twice", "0"),
        ("preview_differs_from_apply_time", "preview differing from apply time", "0"),
        (
            "verdicts_contradicting_field_table",
            "diffs contradicting the contract's field modes",
            "0",
        ),
    ),
    *_rows(
        "bad_input",
        ("check_cases", "generated inputs to Check"),
        (
            "entry_point_cases",
            "damaged or older saved states to Diff/Read/Update/Delete, accepted inputs to Create",
        ),
        ("older_version_state_cases", "of which states an older version wrote"),
        ("crashes", "crashes of the provider's entry points", "0"),
    ),
    *_rows(
        "sandbox_input",
        ("cases", "bad requests to the sandbox's routes (no provider code)"),
        ("crashes", "answers 5xx or without the error envelope", "0"),
    ),
    *_rows("drift", ("detected_of_total", "drift cases detected by read", "all")),
    *_rows(
        "concurrency",
        ("creates", "creates sent at once to 4 host threads, faults injected"),
        ("sandbox_responses_cut", "order responses cut after commit", "", VARIES),
        ("429_answered_by_sandbox", "429 from the sandbox at the configured limits", "0"),
        ("duplicates", "orders bought twice", "0"),
        ("lost_outputs", "creates without complete outputs", "0"),
    ),
    *_rows(
        "crash_recovery",
        ("sigkills", "provider hosts killed mid-create (SIGKILL)", "3"),
        ("declarations", "declarations deployed across the kills"),
        ("duplicate_orders", "orders bought twice after the next `up`", "0"),
        ("declarations_with_wrong_state", "declarations recording other than their one order", "0"),
    ),
    *_rows(
        "secrets",
        *(
            (f"distinct_texts_by_surface.{s}", f"distinct texts scanned: {s}", "> 0", VARIES)
            for s in SURFACES
        ),
        ("leaks", "secrets found in plain text", "0"),
    ),
)


def table_rows(sections: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The published table's rows from a report's ``sections`` (name -> {"figures": ...})."""
    rows = []
    for figure in TABLE:
        if figure.section not in sections:
            continue
        value = figure.value(sections[figure.section].get("figures", {}))
        seed = "yes" if figure.reproducible else "varies"
        rows.append(
            f"| {figure.section.replace('_', ' ')} | {figure.label} | {value} | "
            f"{figure.required} | {seed} |"
        )
    return rows


TABLE_HEADER = (
    "| section | figure | value | required | same seed, same value |",
    "|---|---|---|---|---|",
)


def render_table(results: Mapping[str, SectionResult], config: CampaignConfig) -> str:
    """The table and each section's verdict, as the command prints them."""
    sections = {name: {"figures": r.figures} for name, r in results.items()}
    lines = [
        f"Reliability campaign, {config.mode} mode, seed {config.seed}",
        "",
        *TABLE_HEADER,
        *table_rows(sections),
        "",
    ]
    for name, section_result in results.items():
        verdict = "pass" if section_result.passed else "FAIL: " + "; ".join(section_result.problems)
        lines.append(f"- {name}: {verdict} ({section_result.seconds:.1f} s)")
    return "\n".join(lines)


def report(results: Mapping[str, SectionResult], config: CampaignConfig) -> dict[str, Any]:
    """The JSON report ``--json`` writes (what ``qa/reliability/results/full.json`` holds)."""
    return {
        "mode": config.mode,
        "seed": config.seed,
        "passed": all(r.passed for r in results.values()),
        "config": asdict(config),
        "command": f"{COMMAND} --mode {config.mode} --seed {config.seed}",
        "python": sys.version.split()[0],
        "sections": {
            name: {
                "passed": r.passed,
                "problems": r.problems,
                "seconds": r.seconds,
                "figures": r.figures,
            }
            for name, r in results.items()
        },
    }
