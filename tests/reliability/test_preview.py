"""The preview tells the truth: Check and Diff offline, repeatable, and what CI applies."""

from __future__ import annotations

from qa.reliability.campaign import Campaign
from qa.reliability.preview import preview
from support.campaign import assert_held, run_planted


def test_preview_check_and_diff_are_offline_repeatable_and_match_apply_time(
    campaign: Campaign,
) -> None:
    result = preview(campaign)
    figures = result.figures
    assert figures["resources"] == 5
    assert figures["api_calls_during_check_and_diff"] == 0
    assert figures["answers_differing_when_asked_twice"] == 0
    assert figures["preview_differs_from_apply_time"] == 0
    assert figures["verdicts_contradicting_field_table"] == 0
    assert_held(campaign, result)


def test_a_misclassified_field_turns_the_preview_figure_red() -> None:
    result = run_planted(preview, "product_moved_to_state")
    assert result.figures["verdicts_contradicting_field_table"] == 2  # changed, and unknown
    assert any("DocumentSigningOrder change product" in note for note in result.figures["notes"])
    assert not result.passed


def test_a_diff_that_calls_the_api_turns_the_preview_figure_red() -> None:
    result = run_planted(preview, "diff_calls_the_api")
    assert result.figures["api_calls_during_check_and_diff"] > 0
    assert not result.passed
