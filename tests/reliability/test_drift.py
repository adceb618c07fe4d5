"""Drift: objects changed behind the provider's back are seen by read and by the next preview."""

from __future__ import annotations

from qa.reliability.campaign import Campaign
from qa.reliability.drift import drift
from support.campaign import assert_no_leaks, run_planted


def test_drift_made_through_the_sandbox_is_seen_by_read(campaign: Campaign) -> None:
    result = drift(campaign)
    figures = result.figures
    cases = {(c["resource"], c["change"]): c for c in figures["by_case"]}
    assert {resource for resource, _ in cases} == {
        "Organization",
        "DomainValidation",
        "DomainValidationCheck",
        "DocumentSigningOrder",
    }
    missed = {key for key, c in cases.items() if not c["detected"]}
    assert missed == set(), {k: cases[k]["how"] for k in missed}
    assert [n["resource"] for n in figures["not_observable"]] == ["BillingAccountLink"]
    assert_no_leaks(campaign)


def test_a_read_that_returns_saved_state_turns_the_drift_figure_red() -> None:
    result = run_planted(drift, "read_returns_saved_state")
    missed = [c for c in result.figures["by_case"] if not c["detected"]]
    assert len(missed) == result.figures["cases"]  # none is seen once read trusts the state
    assert not result.passed
