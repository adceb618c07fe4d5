"""The doctor against the sandbox, and against stand-ins that each differ from the sandbox in one
assumed way: it must report exactly that difference and nothing else."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pulumi_digicert.doctor.checks import CHECKS
from pulumi_digicert.sandbox import SandboxServer
from support.sandbox import running_sandbox

from .account import Planted, plant
from .conftest import FakeClock, Rewrite, doctor, json_answer, path_is, verdicts

# Every check the doctor runs against an account whose partner key is configured and that sees
# no rate-limit answer (that one appears only when a 429 came back).
ACCOUNT_CHECKS = {
    "credentials.api_key",
    "credentials.role",
    "credentials.partner_key",
    "products.document_signing",
    "products.validity",
    "shapes.organizations",
    "shapes.organization_technical_contact",
    "shapes.organization_validations",
    "shapes.domains",
    "shapes.orders",
    "shapes.balance",
    "behaviour.organization_search_exact",
    "behaviour.organization_search_contains",
    "behaviour.domain_search_exact",
    "behaviour.alternative_id_unknown",
    "behaviour.alternative_id_known",
    "behaviour.pagination",
}


def test_every_check_names_the_api_md_sections_it_answers() -> None:
    assert set(CHECKS) == ACCOUNT_CHECKS | {"behaviour.rate_limit"}
    for check, (assumption, answers) in CHECKS.items():
        assert answers, check
        assert assumption.endswith("."), check


def test_against_the_sandbox_every_assumption_holds(planted_server: SandboxServer) -> None:
    report = doctor(planted_server)
    assert verdicts(report) == dict.fromkeys(ACCOUNT_CHECKS, "holds")
    assert not report.differs
    assert report.methods == ["GET"]


def _body(response: httpx.Response) -> Any:
    return json.loads(response.content)


def _without_technical_contact(request: httpx.Request, response: httpx.Response) -> Any:
    if request.method == "GET" and path_is(request, r"/organization/\d+"):
        body = _body(response)
        body.pop("technical_contact", None)
        return json_answer(response.status_code, body)
    return None


def _percent_taken_literally(request: httpx.Request, response: httpx.Response) -> Any:
    search = request.url.params.get("filters[search]")
    if path_is(request, r"/organization") and search and search.startswith("%"):
        # No organization's name starts with a literal "%".
        return json_answer(
            200, {"organizations": [], "page": {"total": 0, "limit": 100, "offset": 0}}
        )
    return None


def _empty_list_instead_of_404(request: httpx.Request, response: httpx.Response) -> Any:
    if path_is(request, r"/order/alternate/[^/]+") and response.status_code == 404:
        return json_answer(200, {"orders": [], "page": {"total": 0, "limit": 1000, "offset": 0}})
    return None


def _unknown_order_status(request: httpx.Request, response: httpx.Response) -> Any:
    if path_is(request, r"/order/certificate/\d+"):
        return json_answer(200, {**_body(response), "status": "on_hold"})
    return None


def _product_not_available(request: httpx.Request, response: httpx.Response) -> Any:
    if path_is(request, r"/product"):
        body = _body(response)
        body["products"] = [p for p in body["products"] if p["name_id"] != "document_signing_org_2"]
        return json_answer(200, body)
    if path_is(request, r"/product/document_signing_org_2"):
        return json_answer(
            404, {"errors": [{"code": "not_found|product", "message": "No such product."}]}
        )
    return None


def _not_an_administrator(request: httpx.Request, response: httpx.Response) -> Any:
    if path_is(request, r"/user/me"):
        return json_answer(200, {**_body(response), "access_roles": [{"id": 4, "name": "Manager"}]})
    return None


def _two_years_at_most(request: httpx.Request, response: httpx.Response) -> Any:
    if path_is(request, r"/product(/document_signing_org_1)?"):
        body = _body(response)
        for product in body.get("products", [body]):
            if product["name_id"] == "document_signing_org_1":
                product["allowed_order_validity_years"] = [1, 2]
                product["allowed_validity_years"] = [1, 2]
        return json_answer(200, body)
    return None


def _balance_as_a_number(request: httpx.Request, response: httpx.Response) -> Any:
    if path_is(request, r"/finance/balance"):
        return json_answer(200, {**_body(response), "balance": 100000.0})
    return None


def _domain_info_without_token(request: httpx.Request, response: httpx.Response) -> Any:
    if path_is(request, r"/domain/\d+"):
        body = _body(response)
        body.pop("dcv_token", None)
        return json_answer(200, body)
    return None


def _exact_search_finds_nothing(what: str) -> Rewrite:
    def rewrite(request: httpx.Request, response: httpx.Response) -> Any:
        search = request.url.params.get("filters[search]")
        if path_is(request, f"/{what}") and search and not search.startswith("%"):
            return json_answer(
                200, {f"{what}s": [], "page": {"total": 0, "limit": 100, "offset": 0}}
            )
        return None

    return rewrite


STAND_INS: list[tuple[str, Rewrite, str, str]] = [
    (
        "no technical_contact in organization info",
        _without_technical_contact,
        "shapes.organization_technical_contact",
        "show technical_contact in the list but not in their info",
    ),
    (
        "% taken literally",
        _percent_taken_literally,
        "behaviour.organization_search_contains",
        "did not include the organization",
    ),
    (
        "an empty list instead of 404",
        _empty_list_instead_of_404,
        "behaviour.alternative_id_unknown",
        "empty list instead of 404",
    ),
    ("an unknown order status", _unknown_order_status, "shapes.orders", "order info"),
    (
        "a product not available",
        _product_not_available,
        "products.document_signing",
        "not offered: document_signing_org_2",
    ),
    (
        "a user who is not an administrator",
        _not_an_administrator,
        "credentials.role",
        "Manager (4)",
    ),
    (
        "a product limited to two years",
        _two_years_at_most,
        "products.validity",
        "document_signing_org_1: 1, 2 year(s)",
    ),
    ("money as a number", _balance_as_a_number, "shapes.balance", '"got": "number"'),
    (
        "domain info without its token",
        _domain_info_without_token,
        "shapes.domains",
        '"field": "dcv_token"',
    ),
    (
        "an organization search that is not exact",
        _exact_search_finds_nothing("organization"),
        "behaviour.organization_search_exact",
        "did not include the organization",
    ),
    (
        "a domain search that is not exact",
        _exact_search_finds_nothing("domain"),
        "behaviour.domain_search_exact",
        "did not include the domain",
    ),
]


@pytest.mark.parametrize(
    ("rewrite", "check", "evidence"),
    [entry[1:] for entry in STAND_INS],
    ids=[entry[0] for entry in STAND_INS],
)
def test_a_stand_in_that_differs_in_one_way_is_reported_as_exactly_that_difference(
    planted_server: SandboxServer, rewrite: Rewrite, check: str, evidence: str
) -> None:
    report = doctor(planted_server, rewrite)
    expected = dict.fromkeys(ACCOUNT_CHECKS, "holds")
    expected[check] = "differs"
    assert verdicts(report) == expected
    finding = next(f for f in report.findings if f.check == check)
    shown = " ".join(finding.observed) + json.dumps(finding.fields)
    assert evidence in shown


def test_an_unknown_order_status_is_named_with_the_field_it_came_in(
    planted_server: SandboxServer,
) -> None:
    report = doctor(planted_server, _unknown_order_status)
    finding = next(f for f in report.findings if f.check == "shapes.orders")
    assert finding.fields == [
        {
            "object": "order info",
            "field": "status",
            "problem": "unknown value",
            "expected": "a documented value",
            "got": "on_hold",
            "in": 3,
            "of": 3,
        }
    ]


def _organization_info_mutation(change: Callable[[dict[str, Any]], None]) -> Rewrite:
    def rewrite(request: httpx.Request, response: httpx.Response) -> Any:
        if path_is(request, r"/organization/\d+"):
            body = _body(response)
            change(body)
            return json_answer(200, body)
        return None

    return rewrite


@pytest.mark.parametrize(
    ("change", "row"),
    [
        (lambda b: b.pop("country"), ("country", "missing", "string", "absent")),
        (lambda b: b.update(is_active="1"), ("is_active", "type", "boolean", "string")),
        (lambda b: b.update(id=float(b["id"])), ("id", "type", "integer", "number")),
        (
            lambda b: b.update(status="approved"),
            ("status", "unknown value", "a documented value", "approved"),
        ),
        (
            lambda b: b.get("organization_contact", {}).pop("email", None),
            ("organization_contact.email", "missing", "string", "absent"),
        ),
        (
            lambda b: [v.update(status="in_review") for v in b.get("validations", [])],
            ("validations[].status", "unknown value", "a documented value", "in_review"),
        ),
    ],
    ids=[
        "missing country",
        "is_active as '1'",
        "id as a float",
        "legacy status",
        "contact without email",
        "unknown validation status",
    ],
)
def test_organization_info_shape_differences_are_reported_by_field(
    planted_server: SandboxServer, change: Callable[[dict[str, Any]], None], row: tuple[str, ...]
) -> None:
    report = doctor(planted_server, _organization_info_mutation(change))
    finding = next(f for f in report.findings if f.check == "shapes.organizations")
    assert finding.verdict.value == "differs"
    rows = {(r["field"], r["problem"], r["expected"], r["got"]) for r in finding.fields}
    assert rows == {row}
    assert all(r["object"] == "organization" for r in finding.fields)


def test_an_alternative_id_lookup_that_misses_the_order_differs(
    planted_server: SandboxServer,
) -> None:
    def known_id_not_found(request: httpx.Request, response: httpx.Response) -> Any:
        if path_is(request, r"/order/alternate/[^/]+") and response.status_code == 200:
            return json_answer(404, {"errors": [{"code": "not_found|order", "message": "none"}]})
        return None

    report = doctor(planted_server, known_id_not_found)
    expected = dict.fromkeys(ACCOUNT_CHECKS, "holds")
    expected["behaviour.alternative_id_known"] = "differs"
    assert verdicts(report) == expected


def test_a_list_that_ignores_offset_fails_pagination(planted_server: SandboxServer) -> None:
    def ignore_offset(request: httpx.Request, response: httpx.Response) -> Any:
        if path_is(request, r"/organization") and request.url.params.get("offset") == "1":
            first = httpx.get(
                str(request.url.copy_set_param("offset", "0")),
                headers={"X-DC-DEVKEY": request.headers["x-dc-devkey"]},
            )
            body = first.json()
            body["page"]["offset"] = 1
            return json_answer(200, body)
        return None

    report = doctor(planted_server, ignore_offset)
    finding = next(f for f in report.findings if f.check == "behaviour.pagination")
    assert finding.verdict.value == "differs"
    assert "offset=1 returned the same item as offset=0" in finding.observed


def test_an_empty_account_differs_nowhere_and_says_what_it_could_not_tell() -> None:
    with running_sandbox(rate_limit=False) as empty:
        report = doctor(empty)
    result = verdicts(report)
    assert "differs" not in result.values()
    could_not_tell = {check for check, verdict in result.items() if verdict == "could not tell"}
    assert could_not_tell == {
        "shapes.organizations",
        "shapes.organization_technical_contact",
        "shapes.organization_validations",
        "shapes.domains",
        "shapes.orders",
        "behaviour.organization_search_exact",
        "behaviour.organization_search_contains",
        "behaviour.domain_search_exact",
        "behaviour.alternative_id_known",
        "behaviour.pagination",
    }


def test_a_refused_key_differs_and_nothing_else_is_read(planted_server: SandboxServer) -> None:
    report = doctor(planted_server, env={"DIGICERT_API_KEY": "not-the-sandbox-key"})
    result = verdicts(report)
    assert result.pop("credentials.api_key") == "differs"
    assert result.pop("credentials.partner_key") == "holds"
    assert set(result.values()) == {"could not tell"}
    assert report.requests == 2  # GET /user/me and the partner key's GET /account/settings


def test_without_a_partner_key_the_partner_check_is_left_out(planted_server: SandboxServer) -> None:
    report = doctor(planted_server, env={"DIGICERT_PARTNER_API_KEY": ""})
    assert "credentials.partner_key" not in verdicts(report)
    assert not report.partner_key_configured
    assert "No partner key is configured" in report.summary()


def test_a_refused_partner_key_differs(planted_server: SandboxServer) -> None:
    report = doctor(planted_server, env={"DIGICERT_PARTNER_API_KEY": "not-the-partner-key"})
    expected = dict.fromkeys(ACCOUNT_CHECKS, "holds")
    expected["credentials.partner_key"] = "differs"
    assert verdicts(report) == expected


def test_a_small_budget_is_never_exceeded_and_leaves_checks_untold(
    planted_server: SandboxServer,
) -> None:
    report = doctor(planted_server, budget=12)
    assert report.requests == 12
    result = verdicts(report)
    assert "differs" not in result.values()
    assert result["credentials.api_key"] == "holds"
    assert result["behaviour.pagination"] == "could not tell"
    untold = next(f for f in report.findings if f.check == "behaviour.pagination")
    assert "--max-requests" in untold.observed[0]


def test_the_doctor_changes_nothing_and_sends_only_gets(
    planted_server: SandboxServer, planted: Planted
) -> None:
    before = (
        planted_server.control.orders(),
        planted_server.control.balance(),
        planted_server.control.dns_records(),
    )
    planted_server.control.reset_stats()
    report = doctor(planted_server)
    after = (
        planted_server.control.orders(),
        planted_server.control.balance(),
        planted_server.control.dns_records(),
    )
    assert after == before
    seen = planted_server.control.stats()["requests"]
    assert {entry["method"] for entry in seen} == {"GET"}
    assert sum(entry["count"] for entry in seen) == report.requests
    assert planted.order_ids  # the account had something to change


def test_rate_limit_answers_are_waited_out_and_reported() -> None:
    with running_sandbox(rate_limit=False) as limited:
        plant(limited)
        limited.control.update_settings(rate_limit_enabled=True, burst_limit=8)
        clock = FakeClock()

        def sleep(seconds: float) -> None:
            # The sandbox's rate windows run on its own clock: move it as the doctor waits.
            clock.sleep(seconds)
            limited.control.advance_clock(seconds)

        report = doctor(limited, clock=clock, pace=(100, 5.0), sleep=sleep)
    expected = dict.fromkeys(ACCOUNT_CHECKS | {"behaviour.rate_limit"}, "holds")
    assert verdicts(report) == expected
    assert report.rate_limited >= 2
    finding = next(f for f in report.findings if f.check == "behaviour.rate_limit")
    assert finding.observed == [
        f"{report.rate_limited} rate-limit answer(s), Retry-After sent with 0",
        "codes: request_limit_exceeded",
    ]
    assert all(wait >= 5.0 for wait in clock.slept)


def test_a_429_with_another_code_differs_and_its_retry_after_is_noted(
    planted_server: SandboxServer,
) -> None:
    answered: list[str] = []

    def throttle_once(request: httpx.Request, response: httpx.Response) -> Any:
        if path_is(request, r"/finance/balance") and not answered:
            answered.append("429")
            return json_answer(
                429,
                {"errors": [{"code": "too_many_requests", "message": "slow down"}]},
                headers={"Retry-After": "7"},
            )
        return None

    clock = FakeClock()
    report = doctor(planted_server, throttle_once, clock=clock)
    expected = dict.fromkeys(ACCOUNT_CHECKS | {"behaviour.rate_limit"}, "holds")
    expected["behaviour.rate_limit"] = "differs"
    assert verdicts(report) == expected
    finding = next(f for f in report.findings if f.check == "behaviour.rate_limit")
    assert finding.observed == [
        "1 rate-limit answer(s), Retry-After sent with 1",
        "codes: too_many_requests",
    ]
    assert 7.0 in clock.slept
