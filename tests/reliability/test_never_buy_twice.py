"""Never buy twice: order creates under lost responses, 5xx, a maintenance window and a full
rate-limit window, each failed one run again as the next ``pulumi up`` would."""

from __future__ import annotations

from typing import Any

from qa.reliability.campaign import Campaign
from qa.reliability.never_buy_twice import never_buy_twice
from support.campaign import assert_held, run_planted


def test_never_buy_twice_under_lost_responses_5xx_maintenance_and_rate_limits(
    campaign: Campaign,
) -> None:
    result = never_buy_twice(campaign)
    figures: dict[str, Any] = result.figures
    assert figures["duplicates"] == 0
    assert figures["orders_that_exist"] == figures["declarations"]
    assert figures["orders_without_declaration"] == 0
    assert figures["declarations_without_order"] == 0
    assert figures["state_order_id_mismatches"] == 0
    # The faults bit: responses were cut, 5xx and 429 answered, and some creates failed and
    # were run again as the next `pulumi up` would.
    assert figures["sandbox_responses_cut"] > 0
    assert figures["sandbox_5xx"] > 0
    assert figures["sandbox_429"] > 0
    assert figures["creates_that_needed_a_retry"] > 0
    assert figures["adopted_after_lost_response"] > 0
    assert figures["faults"]["triggered"][0] == "maintenance"
    assert_held(campaign, result)


def test_a_blind_resend_of_an_order_turns_the_duplicates_figure_red() -> None:
    result = run_planted(never_buy_twice, "blind_resend")
    assert result.figures["duplicates"] > 0
    assert not result.passed
