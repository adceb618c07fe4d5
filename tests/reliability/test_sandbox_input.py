"""The sandbox's own fuzzing: bad requests to every route, answered 4xx in the envelope."""

from __future__ import annotations

from qa.reliability.campaign import Campaign
from qa.reliability.sandbox_input import sandbox_input
from support.campaign import assert_held


def test_the_sandbox_answers_bad_requests_with_the_envelope_never_5xx(
    campaign: Campaign,
) -> None:
    result = sandbox_input(campaign)
    figures = result.figures
    assert figures["cases"] >= figures["routes"] > 0
    assert figures["crashes"] == 0, figures["crash_examples"]
    assert_held(campaign, result)
