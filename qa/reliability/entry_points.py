"""Bad input to the provider's own entry points, beyond Check.

The engine hands the provider more than the program's inputs: Diff, Read, Update and Delete get
the outputs saved in the state, which may have been written by an older version of the provider
(outputs it did not record yet, numbers in another form) or damaged (a hand-edited
``pulumi stack export``, a state from a failed migration). Create gets whatever Check accepted.
Each entry point must answer, or refuse in one sentence; never crash.

A crash is an answer the provider did not mean: the error boundary's "failed unexpectedly"
message (an exception it did not expect), a chained traceback, an error over 2 KB, or a host
that died. Damaged states come from hypothesis (seeded) mutating the real outputs of a created
object; older-version states drop one recorded output at a time, or give ids and whole numbers
as digit strings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import given, seed

from pulumi_digicert.testing import PROVIDER_KEY, HostError, ProviderHost
from qa.messages import MAX_FRAMES, MESSAGE_LIMIT, frames, message_bytes
from qa.reliability.campaign import Campaign, Deployed, last_line
from qa.reliability.fuzzing import Tally, hypothesis_settings, mutate, mutation_ops

ENTRY_POINTS = ("Diff", "Read", "Update", "Create", "Delete")
#: Inputs that make create wait as long as they say (up to an hour), set to no wait.
NO_WAITS: dict[str, dict[str, float]] = {
    "DocumentSigningOrder": {"wait_for_issuance_seconds": 0.0},
    "DomainValidationCheck": {"wait_timeout_seconds": 0.0},
}


def is_crash(details: str) -> bool:
    """An error the provider did not mean to give (see the module documentation)."""
    return (
        "failed unexpectedly" in details
        or "During handling of the above exception" in details
        or "The above exception was the direct cause" in details
        or message_bytes(details) > MESSAGE_LIMIT
        or frames(details) > MAX_FRAMES
    )


def older_states(outputs: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[dict[str, Any]]:
    """States an older version of the provider may have written for the same object."""
    blob = outputs.get(PROVIDER_KEY)
    recorded = [k for k in outputs if k != PROVIDER_KEY]
    states = [{k: v for k, v in outputs.items() if k != key} for key in recorded]

    def digits(value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, Mapping):
            return {k: digits(v) for k, v in value.items()}
        if isinstance(value, list):
            return [digits(v) for v in value]
        return value

    states.append({k: (v if k == PROVIDER_KEY else digits(v)) for k, v in outputs.items()})
    states.append({**{k: v for k, v in inputs.items() if k != PROVIDER_KEY}, PROVIDER_KEY: blob})
    return states


def fuzz_entry_points(
    campaign: Campaign, host: ProviderHost, deployed: Mapping[str, Deployed]
) -> dict[str, Tally]:
    """Damaged and older saved states (and fuzzed inputs Check accepts) to every entry point
    of every resource; Delete last, as it retires the object."""
    tallies = {op: Tally() for op in ENTRY_POINTS}
    for d in deployed.values():
        for state in older_states(d.outputs, d.inputs):
            for op in ("Diff", "Read", "Update"):
                tallies[op].older_state_cases += 1
                _send(tallies[op], host, d, op, state, d.inputs)
    for op in ENTRY_POINTS:
        for d in deployed.values():
            _fuzz_one(campaign, tallies[op], host, d, op)
    return tallies


def _send(
    tally: Tally,
    host: ProviderHost,
    d: Deployed,
    op: str,
    state: Mapping[str, Any],
    news: Mapping[str, Any],
) -> None:
    urn = d.urn
    calls: dict[str, Callable[[], Any]] = {
        "Diff": lambda: host.diff(d.id, urn, state, news, old_inputs=d.inputs),
        "Read": lambda: host.read(d.id, urn, state, d.inputs),
        "Update": lambda: host.update(d.id, urn, state, news, old_inputs=d.inputs),
        "Delete": lambda: host.delete(d.id, urn, state),
        "Create": lambda: host.create(urn, news),
    }
    tally.cases += 1
    started = time.monotonic()
    try:
        calls[op]()
    except HostError as exc:
        if is_crash(exc.details):
            tally.crash(f"{d.type_name} {op}: {last_line(exc.details)}")
        else:
            tally.refused += 1
    except (TypeError, ValueError, OverflowError):
        tally.unsendable += 1  # our gRPC client cannot encode it; the engine never sends it
        tally.cases -= 1
        return
    else:
        tally.accepted += 1
    finally:
        tally.slowest_seconds = max(tally.slowest_seconds, time.monotonic() - started)
    if not host.running:
        tally.crash(f"{d.type_name} {op}: the provider host died")


def _fuzz_one(campaign: Campaign, tally: Tally, host: ProviderHost, d: Deployed, op: str) -> None:
    valid_inputs = dict(d.resource.inputs)
    examples = campaign.config.entry_examples_per_operation

    if op == "Create":
        # The engine creates only with inputs Check accepted.
        @seed(campaign.config.seed)
        @hypothesis_settings(examples)
        @given(ops=mutation_ops(valid_inputs))
        def create_case(ops: list[tuple[Any, ...]]) -> None:
            # A long wait the declaration asks for is a wait, not a crash: waits are kept short.
            news = {**mutate(valid_inputs, ops), **NO_WAITS.get(d.type_name, {})}
            try:
                checked, failures = host.check(d.urn, {}, news)
            except (HostError, TypeError, ValueError, OverflowError):
                return  # Check's own figures count these
            if not failures:
                _send(tally, host, d, op, {}, checked)

        create_case()
        return

    outputs = dict(d.outputs)

    @seed(campaign.config.seed)
    @hypothesis_settings(examples)
    @given(ops=mutation_ops(outputs))
    def state_case(ops: list[tuple[Any, ...]]) -> None:
        _send(tally, host, d, op, mutate(outputs, ops), d.inputs)

    state_case()
