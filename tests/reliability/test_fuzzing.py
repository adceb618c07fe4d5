"""What the bad-input sections generate depends on the seed alone."""

from __future__ import annotations

from typing import Any

from hypothesis import given, seed

from qa import scenarios
from qa.reliability.fuzzing import hypothesis_settings, mutation_ops
from qa.reliability.scan import CampaignSecrets


def test_the_seed_fixes_every_generated_case() -> None:
    # What the README says the seed reproduces: the keys and every generated bad input.
    inputs = {**scenarios.ORGANIZATION, "validations": [{"type": "ov"}], "__provider": "blob"}

    def generated(run_seed: int) -> list[str]:
        cases: list[str] = []

        @seed(run_seed)
        @hypothesis_settings(25)
        @given(ops=mutation_ops(inputs))
        def collect(ops: list[tuple[Any, ...]]) -> None:
            cases.append(repr(ops))

        collect()
        return cases

    assert generated(20240607) == generated(20240607)
    assert generated(20240607) != generated(7)
    assert CampaignSecrets.for_seed(20240607) == CampaignSecrets.for_seed(20240607)
