"""The response shapes the provider relies on, written down from API.md, and how to compare a
response with them.

Each table lists the fields the provider reads from one kind of answer (``resources/*.py``),
with the JSON type and, for statuses, the values API.md documents. ``required`` means
"always there"; an optional field may be absent or ``null``. A path ``a.b`` is checked only when
``a`` is present; ``a[].b`` is checked in every element of the array ``a``.

A comparison yields :class:`Problem` entries: field paths, JSON type names and, for an unknown
status, the status itself when it is a plain word (see :func:`plain_word`). Never another value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ALTERNATE_ORDER",
    "BALANCE",
    "DOMAIN_INFO",
    "DOMAIN_LIST_ENTRY",
    "ORDER_INFO",
    "ORDER_LIST_ENTRY",
    "ORDER_STATUSES",
    "ORGANIZATION",
    "PAGE",
    "Field",
    "Problem",
    "Shape",
    "Tally",
    "json_kind",
    "plain_word",
]

STRING, INTEGER, BOOLEAN = frozenset({"string"}), frozenset({"integer"}), frozenset({"boolean"})
OBJECT, ARRAY = frozenset({"object"}), frozenset({"array"})
_MONEY = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_PLAIN_WORD = re.compile(r"[a-z][a-z0-9_-]{0,39}")

# API.md C3 (list-order filters, ORDER-STATUS, ORDER-INFO, clients).
ORDER_STATUSES = frozenset(
    {
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
    }
)
# API.md C10: request statuses.
REQUEST_STATUSES = frozenset({"submitted", "pending", "approved", "rejected"})
# API.md A3 / CONT-ORGS.
ORGANIZATION_STATUSES = frozenset({"active", "inactive"})
# API.md A6 and B10 (pending, active, expired) and the words the resources also accept for a
# finished or failed validation (validated, completed, rejected, failed).
VALIDATION_STATUSES = frozenset(
    {"pending", "active", "expired", "validated", "completed", "rejected", "failed"}
)
# API.md B10.
DCV_METHODS = frozenset(
    {
        "email",
        "dns-txt-token",
        "dns-cname-token",
        "http-token",
        "http-token-dynamic",
        "http-token-static",
    }
)
TOKEN_DCV_METHODS = DCV_METHODS - {"email"}
# API.md B10: token statuses.
DCV_TOKEN_STATUSES = frozenset({"pending", "active"})


def json_kind(value: Any) -> str:
    """The JSON type name of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return "unknown"


def plain_word(value: Any, identifying: Iterable[str] = ()) -> str:
    """``value`` when it is a short lower-case word (a status, a method) and not one of the
    ``identifying`` strings seen elsewhere in the answers; otherwise ``<not shown>``."""
    if isinstance(value, str) and _PLAIN_WORD.fullmatch(value) and value not in identifying:
        return value
    return "<not shown>"


@dataclass(frozen=True)
class Field:
    path: str
    kinds: frozenset[str]
    required: bool = False
    values: frozenset[str] | None = None
    money: bool = False


@dataclass(frozen=True)
class Problem:
    path: str
    problem: str
    """``missing``, ``type``, ``unknown value`` or ``format``."""
    expected: str
    got: str


Rule = Callable[[Mapping[str, Any]], list[Problem]]


@dataclass(frozen=True)
class Shape:
    """One kind of answer: a name for the report, its fields and cross-field rules."""

    name: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()

    def compare(self, payload: Any, identifying: Iterable[str] = ()) -> list[Problem]:
        if not isinstance(payload, Mapping):
            return [Problem("(body)", "type", "object", json_kind(payload))]
        seen = frozenset(identifying)
        problems: list[Problem] = []
        for spec in self.fields:
            for exists, value in _lookup(payload, spec.path):
                problems.extend(_check(spec, exists, value, seen))
        for rule in self.rules:
            problems.extend(rule(payload))
        return problems


def _lookup(payload: Mapping[str, Any], path: str) -> Iterator[tuple[bool, Any]]:
    """(exists, value) for every place ``path`` names; nothing where a parent is absent or null.

    ``exists`` is whether the member is there at all; a ``null`` member exists with ``None``.
    """
    parts = path.split(".")
    contexts: list[Mapping[str, Any]] = [payload]
    for index, part in enumerate(parts):
        name, each = (part[:-2], True) if part.endswith("[]") else (part, False)
        last = index == len(parts) - 1
        following: list[Mapping[str, Any]] = []
        for context in contexts:
            value = context.get(name)
            if last and not each:
                yield name in context, value
                continue
            if value is None:
                continue
            if each and not isinstance(value, list):
                continue
            for element in value if each else [value]:
                if last:
                    yield True, element
                elif isinstance(element, Mapping):
                    following.append(element)
        contexts = following


def _has(payload: Mapping[str, Any], path: str) -> bool:
    return any(value is not None for _, value in _lookup(payload, path))


def _check(spec: Field, exists: bool, value: Any, identifying: frozenset[str]) -> list[Problem]:
    expected = " or ".join(sorted(spec.kinds))
    if value is None:
        if spec.required:
            return [Problem(spec.path, "missing", expected, "null" if exists else "absent")]
        return []
    kind = json_kind(value)
    if kind not in spec.kinds:
        return [Problem(spec.path, "type", expected, kind)]
    if spec.values is not None and value not in spec.values:
        shown = plain_word(value, identifying)
        return [Problem(spec.path, "unknown value", "a documented value", shown)]
    if spec.money and not _MONEY.fullmatch(str(value)):
        return [Problem(spec.path, "format", "a decimal amount", "another string")]
    return []


def one_of(*paths: str) -> Rule:
    """At least one of ``paths`` is present (the provider reads whichever is there)."""

    def rule(payload: Mapping[str, Any]) -> list[Problem]:
        if any(_has(payload, path) for path in paths):
            return []
        return [Problem(" or ".join(paths), "missing", "one of them", "absent")]

    return rule


def required_when(
    path: str, kinds: frozenset[str], condition: Callable[[Mapping[str, Any]], bool]
) -> Rule:
    """``path`` is present whenever ``condition(payload)`` holds."""

    def rule(payload: Mapping[str, Any]) -> list[Problem]:
        if not condition(payload) or _has(payload, path):
            return []
        return [Problem(path, "missing", " or ".join(sorted(kinds)), "absent")]

    return rule


CONTACT = ("first_name", "last_name", "email")
CONTACT_OPTIONAL = ("job_title", "telephone", "telephone_extension")


def _contact(prefix: str) -> tuple[Field, ...]:
    return (
        Field(prefix, OBJECT),
        *(Field(f"{prefix}.{name}", STRING, required=True) for name in CONTACT),
        *(Field(f"{prefix}.{name}", STRING) for name in CONTACT_OPTIONAL),
    )


def _validations() -> tuple[Field, ...]:
    """The ``validations`` array of an organization or a domain (API.md A3, B2)."""
    return (
        Field("validations", ARRAY),
        Field("validations[].type", STRING, required=True),
        Field("validations[].status", STRING, required=True, values=VALIDATION_STATUSES),
        Field("validations[].validated_until", STRING),
    )


PAGE = Shape(
    "page object",  # API.md F5
    (
        Field("total", INTEGER, required=True),
        Field("limit", INTEGER, required=True),
        Field("offset", INTEGER, required=True),
    ),
)

# API.md A3 (info) and A4 (list entries: the same fields). organization.py compares the legal
# identity, reads status/is_active/display_name for outputs, the contacts for drift, the
# container id, and validations (type, status, validated_until).
ORGANIZATION = Shape(
    "organization",
    (
        Field("id", INTEGER, required=True),
        Field("name", STRING, required=True),
        Field("assumed_name", STRING),
        Field("display_name", STRING, required=True),
        Field("status", STRING, required=True, values=ORGANIZATION_STATUSES),
        Field("is_active", BOOLEAN, required=True),
        *(Field(name, STRING, required=True) for name in ("address", "city", "state", "zip")),
        Field("address2", STRING),
        Field("country", STRING, required=True),
        Field("telephone", STRING),
        Field("container", OBJECT),
        Field("container.id", INTEGER, required=True),
        *_contact("organization_contact"),
        *_contact("technical_contact"),
        *_validations(),
    ),
)


def _token_method(payload: Mapping[str, Any]) -> bool:
    return payload.get("dcv_method") in TOKEN_DCV_METHODS


# API.md B3: what domain_validation.py's lookup reads from list entries (name, organization.id).
DOMAIN_LIST_ENTRY = Shape(
    "domain list entry",
    (
        Field("id", INTEGER, required=True),
        Field("name", STRING, required=True),
        Field("is_active", BOOLEAN),
        Field("organization", OBJECT, required=True),
        Field("organization.id", INTEGER, required=True),
        Field("dcv_method", STRING, values=DCV_METHODS),
    ),
)

# API.md B2 with include_dcv and include_validation, as domain_validation.py and
# domain_validation_check.py read it; B10 for methods and token statuses.
DOMAIN_INFO = Shape(
    "domain info",
    (
        Field("id", INTEGER, required=True),
        Field("name", STRING, required=True),
        Field("is_active", BOOLEAN, required=True),
        Field("organization", OBJECT, required=True),
        Field("organization.id", INTEGER, required=True),
        Field("dcv_method", STRING, required=True, values=DCV_METHODS),
        Field("dcv_token", OBJECT),
        Field("dcv_token.token", STRING, required=True),
        Field("dcv_token.status", STRING, values=DCV_TOKEN_STATUSES),
        Field("dcv_token.expiration_date", STRING),
        Field("dcv_token.verification_value", STRING),
        Field("dcv_token.http_token_url", STRING),
        *_validations(),
        Field("validations[].dcv_status", STRING),
    ),
    rules=(required_when("dcv_token", OBJECT, _token_method),),
)

# API.md C8 list entries; the doctor picks document signing orders from them.
ORDER_LIST_ENTRY = Shape(
    "order list entry",
    (
        Field("id", INTEGER, required=True),
        Field("status", STRING, required=True, values=ORDER_STATUSES),
        Field("product_name_id", STRING),
        Field("product", OBJECT),
        Field("product.name_id", STRING),
    ),
    rules=(one_of("product_name_id", "product.name_id"),),
)

# API.md C2 as document_signing_order.py reads it: status (C3), product, organization,
# certificate id, requests (C10), alternative_order_id.
ORDER_INFO = Shape(
    "order info",
    (
        Field("id", INTEGER, required=True),
        Field("status", STRING, required=True, values=ORDER_STATUSES),
        Field("product_name_id", STRING),
        Field("product", OBJECT),
        Field("product.name_id", STRING),
        Field("organization", OBJECT),
        Field("organization.id", INTEGER),
        Field("certificate", OBJECT),
        Field("certificate.id", INTEGER),
        Field("certificate.organization.id", INTEGER),
        Field("requests", ARRAY),
        Field("requests[].id", INTEGER, required=True),
        Field("requests[].status", STRING, required=True, values=REQUEST_STATUSES),
        Field("alternative_order_id", STRING),
    ),
    rules=(
        one_of("product_name_id", "product.name_id"),
        one_of("organization.id", "certificate.organization.id"),
    ),
)

# API.md C4 entries.
ALTERNATE_ORDER = Shape(
    "alternative order id lookup entry",
    (
        Field("order_id", INTEGER, required=True),
        Field("certificate_id", INTEGER),
        Field("status", STRING, required=True, values=ORDER_STATUSES),
    ),
)


def _limited(payload: Mapping[str, Any]) -> bool:
    return payload.get("unlimited_negative_balance") is not True


# API.md D1: money as strings; the limit and the available funds are absent when unlimited.
BALANCE = Shape(
    "balance",
    (
        Field("balance", STRING, required=True, money=True),
        Field("currency", STRING, required=True),
        Field("unpaid_invoice_balance", STRING, required=True, money=True),
        Field("negative_balance_limit", STRING, money=True),
        Field("used_credit_from_other_containers", STRING, required=True, money=True),
        Field("total_available_funds", STRING, money=True),
        Field("unlimited_negative_balance", BOOLEAN),
    ),
    rules=(
        required_when("negative_balance_limit", STRING, _limited),
        required_when("total_available_funds", STRING, _limited),
    ),
)


@dataclass
class Tally:
    """Problems over several answers of several shapes, counted: how many answers of each
    shape were compared and in how many each problem appeared."""

    compared: dict[str, int] = field(default_factory=dict)
    counts: dict[tuple[str, Problem], int] = field(default_factory=dict)

    def add(self, shape: Shape, payload: Any, identifying: Iterable[str] = ()) -> list[Problem]:
        self.compared[shape.name] = self.compared.get(shape.name, 0) + 1
        problems = list(dict.fromkeys(shape.compare(payload, identifying)))
        for problem in problems:
            key = (shape.name, problem)
            self.counts[key] = self.counts.get(key, 0) + 1
        return problems

    def add_all(
        self, shape: Shape, payloads: Sequence[Any], identifying: Iterable[str] = ()
    ) -> None:
        for payload in payloads:
            self.add(shape, payload, identifying)

    def rows(self) -> list[dict[str, Any]]:
        """One row per (shape, problem): field path and types only."""
        return [
            {
                "object": name,
                "field": problem.path,
                "problem": problem.problem,
                "expected": problem.expected,
                "got": problem.got,
                "in": count,
                "of": self.compared[name],
            }
            for (name, problem), count in self.counts.items()
        ]

    def __bool__(self) -> bool:
        return bool(self.counts)
