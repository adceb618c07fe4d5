"""What the bad-input sections generate: property bags damaged by hypothesis (seeded), so one
seed always yields the same cases.

:func:`mutation_ops` draws operations on a valid bag (set a path to junk or to an unknown,
delete a path, add a key, replace everything); :func:`mutate` applies them to a copy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st

from pulumi_digicert.testing import UNKNOWN


def paths_into(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a property bag (dict keys and list indexes), ``__provider`` excluded."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not prefix and key == "__provider":
                continue
            found.append((*prefix, key))
            found.extend(paths_into(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((*prefix, index))
            found.extend(paths_into(item, (*prefix, index)))
    return found


def mutate(inputs: Mapping[str, Any], ops: Sequence[tuple[Any, ...]]) -> dict[str, Any]:
    """A copy of ``inputs`` with ``ops`` applied (a path that no longer exists is skipped);
    ``__provider`` is kept as it was, as the engine keeps it."""
    data: Any = json.loads(json.dumps(dict(inputs), default=str))
    for op in ops:
        kind = op[0]
        if kind == "replace_all":
            data = {**op[1], "__provider": inputs.get("__provider")}
            continue
        if kind == "add":
            data[op[1]] = op[2]
            continue
        path = op[1]
        parent: Any = data
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        last = path[-1]
        if parent is None or not isinstance(parent, (dict, list)):
            continue
        if isinstance(parent, list) and not (isinstance(last, int) and last < len(parent)):
            continue
        if isinstance(parent, dict) and isinstance(last, int):
            continue
        if kind == "delete" and isinstance(parent, dict):
            parent.pop(last, None)
        elif kind == "delete":
            del parent[last]
        else:
            parent[last] = op[2]
    if "__provider" in inputs:
        data["__provider"] = inputs["__provider"]
    return data  # type: ignore[no-any-return]


def junk_values() -> Any:
    """Wrong types, huge strings, unicode, unknowns and nested junk (a hypothesis strategy)."""
    specials = st.sampled_from(
        [
            UNKNOWN,
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "null",
            "\x00",
            "\u202eevil",
            "İ",
            "\U0001f600" * 20,
            "9" * 40,
            "<script>",
            "'; DROP TABLE orders; --",
            "-----BEGIN CERTIFICATE REQUEST-----",
        ]
    )
    huge = st.integers(min_value=1_000, max_value=200_000).map(lambda n: "x" * n)
    huge_unicode = st.text(min_size=1, max_size=3).map(lambda s: s * 3_000)
    leaf = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**64), max_value=2**64),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=40),
        specials,
        huge,
        huge_unicode,
    )

    def nested(children: Any) -> Any:
        return st.lists(children, max_size=4) | st.dictionaries(
            st.text(max_size=12), children, max_size=4
        )

    return st.recursive(leaf, nested, max_leaves=10)


def mutation_ops(inputs: Mapping[str, Any]) -> Any:
    """A strategy of one to four operations on ``inputs`` (see :func:`mutate`)."""
    junk = junk_values()
    ops = [
        st.tuples(st.just("add"), st.text(min_size=1, max_size=20), junk),
        st.tuples(st.just("replace_all"), st.dictionaries(st.text(max_size=12), junk, max_size=5)),
    ]
    paths = paths_into(inputs)
    if paths:
        path = st.sampled_from(paths)
        ops += [
            st.tuples(st.just("set"), path, junk),
            st.tuples(st.just("set"), path, st.just(UNKNOWN)),
            st.tuples(st.just("delete"), path),
        ]
    op = st.one_of(*ops)
    return st.lists(op, min_size=1, max_size=4)


@dataclass
class Tally:
    """Generated cases sent to one place, and how they were answered; the first crashes are
    kept as examples."""

    cases: int = 0
    crashes: int = 0
    refused: int = 0
    """Refused as meant: check failures, one sentence, a 4xx in the envelope."""
    accepted: int = 0
    unsendable: int = 0
    """Cases our own client could not send (the engine never would): not counted as cases."""
    older_state_cases: int = 0
    slowest_seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    def crash(self, text: str) -> None:
        self.crashes += 1
        if len(self.examples) < 10:
            self.examples.append(text[:400])


def hypothesis_settings(examples: int) -> hypothesis.settings:
    """``examples`` generated cases, nothing replayed from a database, no deadline: with the
    seed, the cases depend on nothing but the seed."""
    return hypothesis.settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
