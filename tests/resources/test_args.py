"""Check messages are worded for people: every argument of every resource, nested ones included,
given every kind of bad value, is refused in words without a regular expression, without the
validation library's phrasing, and without quoting the value (it may be a secret)."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from typing import Any

import pydantic
import pytest
from tests.resources.inputs import BILLING_ADDRESS, CARD, DOMAIN, LINK, ORDER, ORGANIZATION

from pulumi_digicert.resources import PROVIDERS
from pulumi_digicert.resources._provider import Provider

CONTACT = ORGANIZATION["organization_contact"]
USER = {"id": 5.0, "first_name": "Ada", "last_name": "L", "email": "a@example.com"}
VALID: dict[str, dict[str, Any]] = {
    "OrganizationProvider": {
        **ORGANIZATION,
        "technical_contact": CONTACT,
        "validations": [{"type": "ev", "verified_users": [USER]}],
    },
    "DomainValidationProvider": DOMAIN,
    "DomainValidationCheckProvider": {"domain_id": 1001.0},
    "DocumentSigningOrderProvider": {
        **ORDER,
        "payment_method": "card",
        "credit_card": CARD,
        "billing_address": BILLING_ADDRESS,
        "ship_info": {
            "name": "Desk",
            "addr1": "1 Main St",
            "city": "Lehi",
            "state": "Utah",
            "zip": "84043",
            "country": "us",
        },
        "organization_contact": CONTACT,
        "technical_contact": CONTACT,
        "custom_fields": [{"metadata_id": 1.0, "value": "x"}],
    },
    "BillingAccountLinkProvider": LINK,
}

MARKER = "Mk5valueShownZz"
BAD_VALUES: list[Any] = [
    "",
    "   ",
    MARKER * 400,
    f"{MARKER}\n\x00é",
    f"https://{MARKER}",
    -1.0,
    0.0,
    1.5,
    1e400,
    True,
    [],
    [MARKER],
    {},
    {MARKER: MARKER},
    MARKER,
]

# What gives a validator away: pattern syntax and the library's own words.
REGEX = re.compile(r"\^|\$'|\\[dswDSW]|\[[A-Za-z0-9]-|\{\d+,\d*\}|\(\?|\.\*|\[\^")
LIBRARY_PHRASES = (
    "should be",
    "should match",
    "should have",
    "value error",
    "assertion error",
    "input should",
    "string should",
    "validation error",
    "pydantic",
    "type=",
    "further information",
    "errors.pydantic",
    "input_value",
    "unable to parse",
)


def _models(annotation: Any) -> Iterator[type[pydantic.BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        yield annotation
        return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _models(typing.get_args(annotation)[0])
        return
    if origin in (list, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            yield from _models(argument)


def field_paths(
    model: type[pydantic.BaseModel], prefix: tuple[Any, ...] = ()
) -> list[tuple[Any, ...]]:
    """Every argument path of ``model``: ``("subject", "email")``, ``("custom_fields", 0, ...)``."""
    paths: list[tuple[Any, ...]] = []
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        paths.append(path)
        for nested in _models(info.annotation):
            is_list = typing.get_origin(info.annotation) is list or "list[" in str(info.annotation)
            paths.extend(field_paths(nested, (*path, 0) if is_list else path))
    return paths


def with_value(inputs: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any] | None:
    """``inputs`` with the value at ``path`` replaced; ``None`` when a parent is absent."""
    result: Any = __import__("copy").deepcopy(inputs)
    current = result
    for part in path[:-1]:
        if isinstance(current, dict) and isinstance(part, str):
            if not isinstance(current.get(part), dict | list):
                return None
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            return None
    if isinstance(current, dict):
        current[path[-1]] = value
        return dict(result)
    return None


def cases() -> list[tuple[type[Provider], tuple[Any, ...]]]:
    found = []
    for provider in PROVIDERS:
        for path in field_paths(provider.args_model):
            found.append((provider, path))
    return found


CASES = cases()


def test_every_resource_has_valid_inputs_for_the_sweep() -> None:
    for provider in PROVIDERS:
        failures = provider().check({}, dict(VALID[provider.__name__])).failures
        assert failures == [], (provider.__name__, failures)


def test_the_sweep_reaches_nested_arguments() -> None:
    paths = {(p.__name__, path) for p, path in CASES}
    assert ("OrganizationProvider", ("organization_contact", "email")) in paths
    assert ("DocumentSigningOrderProvider", ("credit_card", "number")) in paths
    assert ("DocumentSigningOrderProvider", ("custom_fields", 0, "metadata_id")) in paths


@pytest.mark.parametrize(
    ("provider", "path"), CASES, ids=[f"{p.__name__}:{'.'.join(map(str, a))}" for p, a in CASES]
)
def test_every_refusal_is_worded_for_people(
    provider: type[Provider], path: tuple[Any, ...]
) -> None:
    refused = 0
    for value in BAD_VALUES:
        inputs = with_value(VALID[provider.__name__], path, value)
        if inputs is None:
            continue
        for failure in provider().check({}, inputs).failures:
            refused += 1
            reason = failure.reason
            assert reason, failure
            assert not REGEX.search(reason), (failure, value)
            lowered = reason.lower()
            assert not any(phrase in lowered for phrase in LIBRARY_PHRASES), (failure, value)
            assert MARKER not in reason, (failure, value)
            assert "\n" not in reason
            assert len(reason) <= 300, reason
    assert refused, "no bad value was refused: the sweep checked nothing"


@pytest.mark.parametrize(
    ("reason", "bad"),
    [
        ("string should match pattern '^[A-Za-z]{2}$'", True),
        ("Value error, must be 3 or 4 digits", True),
        ("must be a two-letter ISO country code such as 'us'", False),
    ],
)
def test_the_wording_guard_catches_what_it_is_for(reason: str, bad: bool) -> None:
    caught = bool(REGEX.search(reason)) or any(p in reason.lower() for p in LIBRARY_PHRASES)
    assert caught is bad
