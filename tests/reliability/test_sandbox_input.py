"""The sandbox's own fuzzing: bad requests to every route, answered 4xx in the envelope."""

from __future__ import annotations

from qa.reliability.campaign import Campaign
from qa.reliability.sandbox_input import sandbox_input
from support.campaign import assert_no_leaks, assert_passed


def test_the_sandbox_answers_bad_requests_with_the_envelope_never_5xx(
    campaign: Campaign,
) -> None:
    result = sandbox_input(campaign)
    assert result.figures["cases"] >= result.figures["routes"] > 0
    assert result.figures["crashes"] == 0, result.figures["crash_examples"]
    assert_passed(result)
    assert_no_leaks(campaign)
