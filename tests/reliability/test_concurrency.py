"""Creates fired at once at the host's four threads, with the limiter on and faults injected."""

from __future__ import annotations

from qa.reliability.campaign import Campaign
from qa.reliability.concurrency import concurrency
from support.campaign import assert_held, run_planted


def test_concurrent_creates_under_faults_with_the_limiter_on(campaign: Campaign) -> None:
    result = concurrency(campaign)
    figures = result.figures
    assert figures["creates"] == 100
    # What the limiter is for: at the configured limits the sandbox never answers 429.
    assert figures["429_answered_by_sandbox"] == 0
    assert figures["429_reaching_the_user"] == 0
    # The faults bit, so a blind re-send would have bought twice.
    assert figures["sandbox_responses_cut"] > 0
    assert figures["duplicates"] == 0
    assert figures["lost_outputs"] == 0
    assert figures["orders"] == 100
    assert_held(campaign, result)


def test_a_disabled_limiter_turns_the_concurrency_figure_red() -> None:
    result = run_planted(concurrency, "limiter_disabled")
    assert result.figures["429_answered_by_sandbox"] > 0
    assert not result.passed


def test_a_blind_resend_of_an_order_turns_the_duplicates_figure_red() -> None:
    result = run_planted(concurrency, "blind_resend")
    assert result.figures["duplicates"] > 0
    assert not result.passed
