"""Shape comparison: the documented examples pass; every field the provider needs is missed when
absent and every type is checked. The required fields below are written from API.md, not read
from the tables under test."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_digicert.doctor import shapes
from pulumi_digicert.doctor.shapes import Problem

# API.md D1, the documented example, verbatim.
BALANCE_EXAMPLE = {
    "balance": "454.00",
    "currency": "USD",
    "unpaid_invoice_balance": "0.00",
    "negative_balance_limit": "2000.00",
    "used_credit_from_other_containers": "0.00",
    "total_available_funds": "2454.00",
}
# API.md C4, the documented example entry and page.
ALTERNATE_EXAMPLE = {"order_id": 1234567, "certificate_id": 2345678, "status": "pending"}
PAGE_EXAMPLE = {"total": 2, "limit": 1000, "offset": 0}
# API.md A3: the fields organization info documents.
ORGANIZATION_EXAMPLE: dict[str, Any] = {
    "id": 112233,
    "status": "active",
    "name": "Example Org",
    "assumed_name": "Example",
    "display_name": "Example Org (Example)",
    "is_active": True,
    "address": "123 Example Ave",
    "address2": "Suite 1",
    "zip": "84043",
    "city": "Lehi",
    "state": "Utah",
    "country": "us",
    "telephone": "801-555-0100",
    "container": {"id": 5, "parent_id": 0, "name": "Example", "is_active": True},
    "organization_contact": {
        "id": 1,
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane@example.com",
        "job_title": "CTO",
        "telephone": "801-555-0101",
        "telephone_extension": "7",
    },
    "validations": [
        {
            "type": "ov",
            "name": "OV",
            "description": "Normal Organization Validation",
            "date_created": "2018-10-16T20:05:28+00:00",
            "validated_until": "2019-11-20T14:22:26+00:00",
            "status": "active",
        }
    ],
}
# API.md A3 core and address fields: present on every organization.
ORGANIZATION_REQUIRED = [
    "id",
    "name",
    "display_name",
    "status",
    "is_active",
    "address",
    "city",
    "state",
    "zip",
    "country",
]
# API.md B2 with include_dcv and include_validation.
DOMAIN_EXAMPLE: dict[str, Any] = {
    "id": 1,
    "is_active": True,
    "name": "example.com",
    "date_created": "2018-10-16T20:05:28+00:00",
    "dcv_method": "dns-txt-token",
    "dcv_token": {
        "token": "abc123",
        "status": "pending",
        "expiration_date": "2019-10-16T20:05:28+00:00",
    },
    "organization": {"id": 112233, "status": "active", "name": "Example", "is_active": "1"},
    "validations": [
        {
            "type": "ov",
            "status": "active",
            "validated_until": "2019-11-20T14:22:26+00:00",
            "dcv_status": "complete",
        }
    ],
}
DOMAIN_REQUIRED = ["id", "name", "is_active", "organization", "dcv_method"]
# API.md C2 (needs_approval example, the fields the provider reads).
ORDER_EXAMPLE: dict[str, Any] = {
    "id": 123456,
    "certificate": {"id": 104, "common_name": "example.com", "organization": {"id": 112233}},
    "status": "needs_approval",
    "organization": {"id": 112233, "name": "Example"},
    "product": {
        "name_id": "document_signing_org_1",
        "name": "Document Signing",
        "type": "document_signing",
    },
    "requests": [
        {"id": 1, "date": "2018-10-16T20:05:28+00:00", "type": "new_request", "status": "pending"}
    ],
    "alternative_order_id": "abc123",
}


def problems(shape: shapes.Shape, payload: Any) -> set[tuple[str, str, str, str]]:
    return {(p.path, p.problem, p.expected, p.got) for p in shape.compare(payload)}


@pytest.mark.parametrize(
    ("shape", "example"),
    [
        (shapes.BALANCE, BALANCE_EXAMPLE),
        (shapes.ALTERNATE_ORDER, ALTERNATE_EXAMPLE),
        (shapes.PAGE, PAGE_EXAMPLE),
        (shapes.ORGANIZATION, ORGANIZATION_EXAMPLE),
        (shapes.DOMAIN_INFO, DOMAIN_EXAMPLE),
        (shapes.ORDER_INFO, ORDER_EXAMPLE),
        (shapes.ORDER_LIST_ENTRY, ORDER_EXAMPLE),
        (shapes.DOMAIN_LIST_ENTRY, DOMAIN_EXAMPLE),
    ],
    ids=lambda value: value.name if isinstance(value, shapes.Shape) else "",
)
def test_documented_examples_have_the_documented_shape(shape: shapes.Shape, example: Any) -> None:
    assert shape.compare(example) == []


@pytest.mark.parametrize("name", ORGANIZATION_REQUIRED)
def test_every_required_organization_field_is_missed_when_absent_or_null(name: str) -> None:
    absent = copy.deepcopy(ORGANIZATION_EXAMPLE)
    del absent[name]
    assert [(p.path, p.problem, p.got) for p in shapes.ORGANIZATION.compare(absent)] == [
        (name, "missing", "absent")
    ]
    null = {**ORGANIZATION_EXAMPLE, name: None}
    assert [(p.path, p.problem, p.got) for p in shapes.ORGANIZATION.compare(null)] == [
        (name, "missing", "null")
    ]


@pytest.mark.parametrize("name", DOMAIN_REQUIRED)
def test_every_required_domain_info_field_is_missed_when_absent(name: str) -> None:
    absent = copy.deepcopy(DOMAIN_EXAMPLE)
    del absent[name]
    found = problems(shapes.DOMAIN_INFO, absent)
    assert {(path, problem) for path, problem, _, _ in found} == {(name, "missing")}


@pytest.mark.parametrize(
    ("path", "value", "got"),
    [
        ("id", "112233", "string"),
        ("id", 112233.0, "number"),
        ("name", 7, "integer"),
        ("is_active", "1", "string"),
        ("is_active", 1, "integer"),
        ("country", ["us"], "array"),
        ("container", "5", "string"),
        ("organization_contact", [], "array"),
        ("validations", {}, "object"),
    ],
)
def test_organization_field_types_are_checked(path: str, value: Any, got: str) -> None:
    payload = {**ORGANIZATION_EXAMPLE, path: value}
    assert [(p.path, p.problem, p.got) for p in shapes.ORGANIZATION.compare(payload)] == [
        (path, "type", got)
    ]


def test_optional_members_may_be_absent_or_null_but_their_insides_are_checked() -> None:
    bare = {k: ORGANIZATION_EXAMPLE[k] for k in ORGANIZATION_REQUIRED}
    assert shapes.ORGANIZATION.compare(bare) == []
    assert shapes.ORGANIZATION.compare({**bare, "technical_contact": None}) == []
    partial = {**bare, "technical_contact": {"first_name": "A", "last_name": 3}}
    assert problems(shapes.ORGANIZATION, partial) == {
        ("technical_contact.last_name", "type", "string", "integer"),
        ("technical_contact.email", "missing", "string", "absent"),
    }


def test_every_array_element_is_checked() -> None:
    payload = copy.deepcopy(ORGANIZATION_EXAMPLE)
    payload["validations"].append({"type": "ev"})
    payload["validations"].append({"type": "cs", "status": "under_review"})
    assert problems(shapes.ORGANIZATION, payload) == {
        ("validations[].status", "missing", "string", "absent"),
        ("validations[].status", "unknown value", "a documented value", "under_review"),
    }


@pytest.mark.parametrize(
    "status",
    [
        "needs_approval",
        "pending",
        "processing",
        "waiting_pickup",
        "reissue_pending",
        "issued",
        "rejected",
        "canceled",
        "revoked",
        "expired",
    ],
)
def test_every_order_status_api_md_documents_is_known(status: str) -> None:
    assert shapes.ORDER_INFO.compare({**ORDER_EXAMPLE, "status": status}) == []


@pytest.mark.parametrize("status", ["cancelled", "on_hold", "ISSUED", "approved"])
def test_other_order_statuses_are_unknown(status: str) -> None:
    assert problems(shapes.ORDER_INFO, {**ORDER_EXAMPLE, "status": status}) == {
        ("status", "unknown value", "a documented value", shapes.plain_word(status))
    }


def test_an_order_needs_its_product_and_organization_one_way_or_another() -> None:
    flat = {**ORDER_EXAMPLE, "product_name_id": "document_signing_org_2"}
    del flat["product"], flat["organization"]
    assert shapes.ORDER_INFO.compare(flat) == []  # certificate.organization.id is enough
    neither = copy.deepcopy(flat)
    del neither["product_name_id"], neither["certificate"]
    assert problems(shapes.ORDER_INFO, neither) == {
        ("product_name_id or product.name_id", "missing", "one of them", "absent"),
        ("organization.id or certificate.organization.id", "missing", "one of them", "absent"),
    }


def test_a_token_method_domain_needs_its_token() -> None:
    without = {k: v for k, v in DOMAIN_EXAMPLE.items() if k != "dcv_token"}
    assert problems(shapes.DOMAIN_INFO, without) == {("dcv_token", "missing", "object", "absent")}
    assert shapes.DOMAIN_INFO.compare({**without, "dcv_method": "email"}) == []


def test_balance_money_is_a_decimal_string_and_limits_go_when_unlimited() -> None:
    unlimited = {
        "balance": "-1000.70",
        "currency": "USD",
        "unpaid_invoice_balance": "0.00",
        "used_credit_from_other_containers": "0.00",
        "unlimited_negative_balance": True,
    }
    assert shapes.BALANCE.compare(unlimited) == []
    limited = {k: v for k, v in unlimited.items() if k != "unlimited_negative_balance"}
    assert problems(shapes.BALANCE, limited) == {
        ("negative_balance_limit", "missing", "string", "absent"),
        ("total_available_funds", "missing", "string", "absent"),
    }
    assert problems(shapes.BALANCE, {**BALANCE_EXAMPLE, "balance": 454.0}) == {
        ("balance", "type", "string", "number")
    }
    assert problems(shapes.BALANCE, {**BALANCE_EXAMPLE, "balance": "$454"}) == {
        ("balance", "format", "a decimal amount", "another string")
    }


def test_a_body_that_is_not_an_object_is_one_problem() -> None:
    assert shapes.BALANCE.compare(["454.00"]) == [Problem("(body)", "type", "object", "array")]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("on_hold", "on_hold"),
        ("http-token-static", "http-token-static"),
        ("Example Org", "<not shown>"),
        ("jane@example.com", "<not shown>"),
        ("example.com", "<not shown>"),
        ("4111111111111111", "<not shown>"),
        ("a" * 41, "<not shown>"),
        (7, "<not shown>"),
        ("quillzyorder1", "<not shown>"),
    ],
)
def test_only_plain_words_that_name_nothing_are_shown(value: Any, shown: str) -> None:
    assert shapes.plain_word(value, identifying={"quillzyorder1"}) == shown


def test_the_tally_counts_in_how_many_answers_each_problem_came() -> None:
    tally = shapes.Tally()
    tally.add(shapes.ALTERNATE_ORDER, ALTERNATE_EXAMPLE)
    tally.add(shapes.ALTERNATE_ORDER, {**ALTERNATE_EXAMPLE, "status": "on_hold"})
    tally.add(shapes.ALTERNATE_ORDER, {**ALTERNATE_EXAMPLE, "status": "on_hold"})
    assert tally.rows() == [
        {
            "object": "alternative order id lookup entry",
            "field": "status",
            "problem": "unknown value",
            "expected": "a documented value",
            "got": "on_hold",
            "in": 2,
            "of": 3,
        }
    ]
