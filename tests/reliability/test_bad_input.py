"""Bad input to the provider's entry points: generated inputs to Check, damaged and older saved
states to Diff, Read, Update and Delete, accepted inputs to Create."""

from __future__ import annotations

from qa.reliability.bad_input import bad_input
from qa.reliability.campaign import Campaign
from support.campaign import assert_held, run_planted


def test_bad_input_never_crashes_the_providers_entry_points(campaign: Campaign) -> None:
    result = bad_input(campaign)
    figures = result.figures
    assert figures["check_cases"] >= 5 * 50
    assert figures["check_api_calls"] == 0
    entry_points = figures["entry_points"]
    assert set(entry_points) == {"Diff", "Read", "Update", "Create", "Delete"}
    assert all(op["cases"] > 0 for op in entry_points.values()), entry_points
    assert figures["older_version_state_cases"] > 0
    assert figures["crashes"] == 0, figures["crash_examples"]
    assert_held(campaign, result)


def test_a_read_that_trusts_saved_state_turns_the_bad_input_figure_red() -> None:
    result = run_planted(bad_input, "crash_on_damaged_state")
    assert result.figures["entry_points"]["Read"]["crashes"] > 0
    assert result.figures["check_crashes"] == 0  # the bug is where the figure says it is
    assert not result.passed
