"""A value the program marked secret never appears in a violation message: it shows as [secret].

The sweep declares one stack that breaks every rule, three ways: with plain inputs, with every
input a secret (``pulumi.Output.secret``), and with every value inside the inputs a secret. It
runs each with two sets of values that break the same rules in the same way, so a message that
tells the two sets apart shows a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from policy_programs import (
    SECRET_MODES,
    SWEEP_A,
    SWEEP_B,
    SWEEP_CONFIG,
    SweepValues,
    config_for,
    registered,
    sweep_stack,
)
from policy_support import Registration, Reported, resource_args, stack_args

from digicert_policies import rules
from digicert_policies.values import SECRET_TEXT, SecretValue, plain

Key = tuple[str, str]
"""(policy name, resource name)."""


@cache
def sweep_registrations(values: SweepValues, secret_mode: str | None) -> tuple[Registration, ...]:
    return tuple(registered(sweep_stack(values, secret_mode)))


@cache
def sweep_messages(values: SweepValues, secret_mode: str | None) -> dict[Key, str]:
    """Every violation of every rule on the sweep stack, by policy and resource."""
    registrations = list(sweep_registrations(values, secret_mode))
    by_urn = {registration.urn: registration.name for registration in registrations}
    found: dict[Key, list[str]] = {}
    for rule in rules.RULES:
        config = config_for(SWEEP_CONFIG.get(rule.name, {}))
        if rule.stack:
            reported = Reported()
            rule.validate(stack_args(registrations, config), reported)
            for message, urn in reported.violations:
                assert urn is not None
                found.setdefault((rule.name, by_urn[urn]), []).append(message)
        else:
            for registration in registrations:
                reported = Reported()
                rule.validate(resource_args(registration, config), reported)
                for message in reported.messages:
                    found.setdefault((rule.name, registration.name), []).append(message)
    return {key: "\n".join(messages) for key, messages in found.items()}


def secret_leaves(value: Any, inside_secret: bool = False) -> Iterator[Any]:
    """The values a secret holds, at any depth."""
    if isinstance(value, SecretValue):
        yield from secret_leaves(value.value, True)
    elif isinstance(value, dict):
        for item in value.values():
            yield from secret_leaves(item, inside_secret)
    elif isinstance(value, list):
        for item in value:
            yield from secret_leaves(item, inside_secret)
    elif inside_secret:
        yield value


def test_the_sweep_stack_breaks_every_rule() -> None:
    broken = {policy for policy, _ in sweep_messages(SWEEP_A, None)}
    assert broken == {rule.name for rule in rules.RULES}


@pytest.mark.parametrize("secret_mode", SECRET_MODES)
def test_secret_inputs_break_the_same_rules_as_plain_ones(secret_mode: str) -> None:
    for values in (SWEEP_A, SWEEP_B):
        assert set(sweep_messages(values, secret_mode)) == set(sweep_messages(values, None))


def test_the_two_value_sets_tell_apart_the_messages_that_show_values() -> None:
    # Without secrets, these messages show a value; the sweep below needs them to exist.
    plain_a, plain_b = sweep_messages(SWEEP_A, None), sweep_messages(SWEEP_B, None)
    showing = {key for key in plain_a if plain_a[key] != plain_b[key]}
    assert {policy for policy, _ in showing} >= {
        rules.ALTERNATIVE_ORDER_ID,
        rules.PRODUCT_AND_VALIDITY,
        rules.DCV_METHOD,
        rules.ORGANIZATION_BY_ID,
        rules.UNIQUE_ALTERNATIVE_ORDER_IDS,
        rules.DOMAIN_ORGANIZATION_IN_STACK,
    }
    assert SECRET_TEXT not in "".join(plain_a.values())


@pytest.mark.parametrize("secret_mode", SECRET_MODES)
def test_messages_about_secret_inputs_do_not_depend_on_their_values(secret_mode: str) -> None:
    secret_a, secret_b = sweep_messages(SWEEP_A, secret_mode), sweep_messages(SWEEP_B, secret_mode)
    for key, message in secret_a.items():
        assert message == secret_b[key], key


@pytest.mark.parametrize("secret_mode", SECRET_MODES)
def test_a_secret_value_a_message_would_show_is_shown_as_secret(secret_mode: str) -> None:
    plain_a, plain_b = sweep_messages(SWEEP_A, None), sweep_messages(SWEEP_B, None)
    secret_a = sweep_messages(SWEEP_A, secret_mode)
    for key in plain_a:
        if plain_a[key] != plain_b[key]:
            assert SECRET_TEXT in secret_a[key], (key, secret_a[key])


@pytest.mark.parametrize("secret_mode", SECRET_MODES)
def test_no_secret_value_appears_in_a_message_about_its_resource(secret_mode: str) -> None:
    registrations = {r.name: r for r in sweep_registrations(SWEEP_A, secret_mode)}
    checked = 0
    for (policy, name), message in sweep_messages(SWEEP_A, secret_mode).items():
        props = plain(resource_args(registrations[name]).props)
        for value in secret_leaves(props):
            if value is None:
                continue
            text = f"{value:g}" if isinstance(value, float) else str(value)
            assert f"={text}" not in message, (policy, name, text)  # skip_approval=True
            if not isinstance(value, bool):
                assert f"'{text}'" not in message, (policy, name, text)
                if len(text) >= 4:  # 'email' must not be told by "email needs a person"
                    assert not re.search(rf"\b{re.escape(text)}\b", message), (policy, name, text)
            checked += 1
    assert checked > 50
