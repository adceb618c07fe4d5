"""Verdicts, the JSON report and the human summary.

Everything here is built from the doctor's own words, field paths, JSON type names, counts,
HTTP statuses, and plain words that passed :func:`~pulumi_digicert.doctor.shapes.plain_word`
(statuses, error codes). No value read from an answer goes into a report otherwise, so a report
holds no key, card number, email address or object name and can be attached to a bug report.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pulumi_digicert._version import __version__

__all__ = [
    "FORMAT_VERSION",
    "NOT_CHECKED",
    "Finding",
    "Report",
    "Verdict",
    "safe_code",
]

FORMAT_VERSION = 1
_CODE_PART = re.compile(r"[a-z][a-z0-9_]{0,59}")


class Verdict(str, enum.Enum):
    HOLDS = "holds"
    DIFFERS = "differs"
    UNKNOWN = "could not tell"


def safe_code(code: str, identifying: Iterable[str] = ()) -> str:
    """A DigiCert error code fit for the report: ``not_found|order``; a part that is not a plain
    word, or that is a string seen elsewhere in the answers, is left out."""
    seen = set(identifying)
    head, bar, qualifier = code.partition("|")
    if not _CODE_PART.fullmatch(head) or head in seen:
        return "<not shown>"
    if bar and _CODE_PART.fullmatch(qualifier) and qualifier not in seen:
        return f"{head}|{qualifier}"
    return f"{head}|…" if bar else head


@dataclass
class Finding:
    check: str
    """Stable id, e.g. ``shapes.orders``."""
    assumption: str
    """What the provider assumes, in one sentence."""
    answers: tuple[str, ...]
    """API.md sections and open questions (``Q10``) this answers."""
    verdict: Verdict = Verdict.UNKNOWN
    observed: list[str] = field(default_factory=list)
    """Short sentences about what came back (no values)."""
    fields: list[dict[str, Any]] = field(default_factory=list)
    """Shape problems: object, field, problem, expected, got, in, of."""

    def holds(self, *observed: str) -> Finding:
        return self._set(Verdict.HOLDS, observed)

    def differs(self, *observed: str) -> Finding:
        return self._set(Verdict.DIFFERS, observed)

    def unknown(self, *observed: str) -> Finding:
        return self._set(Verdict.UNKNOWN, observed)

    def _set(self, verdict: Verdict, observed: Iterable[str]) -> Finding:
        self.verdict = verdict
        self.observed.extend(observed)
        return self

    def as_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "verdict": self.verdict.value,
            "assumption": self.assumption,
            "answers": list(self.answers),
            "observed": list(self.observed),
            "fields": list(self.fields),
        }


# API.md's open questions that no read can answer, with the reason.
NOT_CHECKED: tuple[tuple[str, str], ...] = (
    ("Q1", "the duplicate alternative_order_id refusal only shows when an order is placed"),
    ("Q2", "the duplicate-organization error only shows when an organization is created"),
    ("Q3", "renewal-email settings are written, never read, and the provider does not use them"),
    ("Q4", "status codes of updates only show when something is updated"),
    ("Q5", "the provider does not filter domains by validation"),
    ("Q7", "deleting a domain is a write (the provider deactivates domains instead)"),
    ("Q8", "account-link errors only show when a link is made"),
)


@dataclass
class Report:
    findings: list[Finding]
    instance: str
    partner_key_configured: bool
    requests: int
    methods: list[str]
    budget: int
    rate_limited: int
    retry_after_seen: int
    notes: list[str] = field(default_factory=list)

    def count(self, verdict: Verdict) -> int:
        return sum(1 for finding in self.findings if finding.verdict is verdict)

    @property
    def differs(self) -> bool:
        return self.count(Verdict.DIFFERS) > 0

    def as_json(self) -> dict[str, Any]:
        return {
            "tool": "digicert-doctor",
            "version": __version__,
            "format": FORMAT_VERSION,
            "instance": self.instance,
            "partner_key_configured": self.partner_key_configured,
            "requests": {
                "sent": self.requests,
                "methods": sorted(self.methods),
                "budget": self.budget,
                "rate_limited": self.rate_limited,
                "retry_after_seen": self.retry_after_seen,
            },
            "summary": {verdict.value: self.count(verdict) for verdict in Verdict},
            "findings": [finding.as_json() for finding in self.findings],
            "not_checked": [{"question": q, "why": why} for q, why in NOT_CHECKED],
            "notes": list(self.notes),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=True) + "\n"

    def summary(self) -> str:
        """The human summary: a line per check, what was seen where one does not hold, and one
        line for the checks a common reason (a refused key, the budget) left unchecked."""
        lines = [
            f"digicert-doctor {__version__}: read-only check of "
            f"{_INSTANCES.get(self.instance, 'a custom base URL')}",
            "",
        ]
        skipped: dict[str, list[str]] = {}
        for finding in self.findings:
            if len(finding.observed) == 1 and finding.observed[0].startswith("not checked:"):
                skipped.setdefault(finding.observed[0], []).append(finding.check)
                continue
            lines.append(f"  {finding.verdict.value:<15} {finding.check}")
            if finding.verdict is Verdict.DIFFERS:
                lines.append(f"  {'':<15} {finding.assumption}")
            if finding.verdict is not Verdict.HOLDS:
                lines.extend(f"  {'':<15}   {line}" for line in finding.observed)
                lines.extend(
                    f"  {'':<15}   {row['object']}: {row['field']} {_field_text(row)}"
                    for row in finding.fields
                )
        for reason, checks in skipped.items():
            lines.append(f"  {Verdict.UNKNOWN.value:<15} {len(checks)} more check(s), {reason}")
        lines.append("")
        counts = ", ".join(f"{v.value} {self.count(v)}" for v in Verdict)
        rate = (
            f"{self.rate_limited} rate-limit answer(s)"
            if self.rate_limited
            else "no rate limit hit"
        )
        lines.append(
            f"{len(self.findings)} checks: {counts}. {self.requests} request(s), "
            f"all {'/'.join(sorted(self.methods)) or 'GET'}; {rate}."
        )
        if not self.partner_key_configured:
            lines.append("No partner key is configured: the partner key was not checked.")
        lines.extend(self.notes)
        return "\n".join(lines) + "\n"


_INSTANCES = {"us": "CertCentral (US)", "eu": "CertCentral Europe"}


def _field_text(row: dict[str, Any]) -> str:
    where = f"(in {row['in']} of {row['of']})"
    if row["problem"] == "missing":
        return f"is missing, {row['expected']} expected {where}"
    if row["problem"] == "type":
        return f"is {row['got']}, {row['expected']} expected {where}"
    if row["problem"] == "unknown value":
        return f"has an unknown value: {row['got']} {where}"
    return f"is not {row['expected']} {where}"
