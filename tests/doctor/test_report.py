"""The report a user attaches to a bug report: verdicts, field names and types, never a key, a
card number, an email address or an object name."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from pulumi_digicert.doctor import Report
from pulumi_digicert.doctor.checks import CHECKS
from pulumi_digicert.doctor.report import NOT_CHECKED, safe_code
from pulumi_digicert.sandbox import SandboxServer
from support.secrets import assert_no_secrets

from .account import ALTERNATIVE_ORDER_IDS, TECHNICAL_CONTACT, Planted
from .conftest import doctor, json_answer, path_is
from .test_checks import STAND_INS

# API.md ends with ten open questions.
OPEN_QUESTIONS = {f"Q{n}" for n in range(1, 11)}


def _hostile(request: httpx.Request, response: httpx.Response) -> Any:
    """Answers that put account data where the doctor shows words: statuses and error codes."""
    if path_is(request, r"/order/certificate/\d+"):
        body = json.loads(response.content)
        # A plain word, but one that is an alternative order id elsewhere in the answers.
        body["status"] = ALTERNATIVE_ORDER_IDS[0]
        body["requests"] = [{"id": 1, "status": TECHNICAL_CONTACT["email"]}]
        return json_answer(200, body)
    if path_is(request, r"/order/alternate/[^/]+"):
        code = f"not_found|{ALTERNATIVE_ORDER_IDS[1]}"
        return json_answer(404, {"errors": [{"code": code, "message": "no order"}]})
    if path_is(request, r"/finance/balance"):
        email = TECHNICAL_CONTACT["email"]
        return json_answer(403, {"errors": [{"code": f"access_denied|{email}", "message": email}]})
    return None


REWRITES = [None, _hostile, *(entry[1] for entry in STAND_INS)]


@pytest.mark.parametrize(
    "rewrite", REWRITES, ids=["sandbox", "hostile", *(entry[0] for entry in STAND_INS)]
)
def test_no_report_or_summary_holds_a_key_card_email_or_name(
    planted_server: SandboxServer, planted: Planted, rewrite: Any
) -> None:
    report = doctor(planted_server, rewrite)
    assert len(planted.sensitive) > 40
    assert_no_secrets(report.to_json(), planted.sensitive, "the JSON report")
    assert_no_secrets(report.summary(), planted.sensitive, "the summary")
    text = report.to_json() + report.summary()
    assert "@" not in text
    assert re.search(r"\d(?:[ -]?\d){11,}", text) is None  # nothing like a card number


def test_words_that_name_account_data_are_not_shown(planted_server: SandboxServer) -> None:
    report = doctor(planted_server, _hostile)
    orders = next(f for f in report.findings if f.check == "shapes.orders")
    assert {(row["field"], row["got"]) for row in orders.fields} == {
        ("status", "<not shown>"),
        ("requests[].status", "<not shown>"),
    }
    known = next(f for f in report.findings if f.check == "behaviour.alternative_id_known")
    assert "HTTP 404 (not_found|<not shown>)" not in " ".join(known.observed)
    assert "HTTP 404 (not_found|…)" in " ".join(known.observed)


def test_the_json_report_lists_verdicts_requests_and_what_no_read_can_answer(
    planted_server: SandboxServer,
) -> None:
    report = doctor(planted_server)
    document = json.loads(report.to_json())
    assert set(document) == {
        "tool",
        "version",
        "format",
        "instance",
        "partner_key_configured",
        "requests",
        "summary",
        "findings",
        "not_checked",
        "notes",
    }
    assert document["instance"] == "other"
    assert document["requests"]["methods"] == ["GET"]
    assert document["requests"]["sent"] == report.requests
    assert document["summary"] == {"holds": 17, "differs": 0, "could not tell": 0}
    for finding in document["findings"]:
        assert set(finding) == {"check", "verdict", "assumption", "answers", "observed", "fields"}


def test_every_open_question_is_answered_by_a_check_or_said_to_need_a_write() -> None:
    answered = {ref for _, refs in CHECKS.values() for ref in refs if ref.startswith("Q")}
    unanswerable = {question for question, _ in NOT_CHECKED}
    assert answered | unanswerable == OPEN_QUESTIONS
    assert not answered & unanswerable


def test_the_summary_details_what_did_not_hold(planted_server: SandboxServer) -> None:
    report = doctor(planted_server, STAND_INS[3][1])  # an unknown order status
    summary = report.summary()
    assert "  differs         shapes.orders" in summary
    assert "order info: status has an unknown value: on_hold (in 3 of 3)" in summary
    assert "holds 16, differs 1, could not tell 0" in summary
    assert summary.count("\n") < 60


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("request_limit_exceeded", "request_limit_exceeded"),
        ("not_found|order", "not_found|order"),
        ("access_denied|missing_permission", "access_denied|missing_permission"),
        ("missing_field|contacts.0.email", "missing_field|…"),
        ("caa_check_failed|example.com", "caa_check_failed|…"),
        ("Bad Thing", "<not shown>"),
        ("not_found|secretname", "not_found|…"),
    ],
)
def test_error_codes_keep_only_plain_words(code: str, shown: str) -> None:
    assert safe_code(code, identifying={"secretname"}) == shown


def test_a_report_without_findings_still_renders() -> None:
    report = Report(
        findings=[],
        instance="us",
        partner_key_configured=False,
        requests=0,
        methods=[],
        budget=60,
        rate_limited=0,
        retry_after_seen=0,
    )
    assert json.loads(report.to_json())["summary"] == {
        "holds": 0,
        "differs": 0,
        "could not tell": 0,
    }
    assert "0 checks" in report.summary()
