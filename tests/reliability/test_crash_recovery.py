"""The provider host killed with SIGKILL mid-create: the next ``pulumi up`` buys nothing twice."""

from __future__ import annotations

import functools

from qa.reliability.campaign import Campaign
from qa.reliability.crash_recovery import crash_recovery
from support.campaign import assert_held, run_planted


def test_up_after_the_provider_host_is_killed_mid_create_buys_nothing_twice(
    campaign: Campaign,
) -> None:
    result = crash_recovery(campaign)
    figures = result.figures
    assert figures["sigkills"] == figures["kill_points"] == 3
    assert figures["duplicate_orders"] == 0
    assert figures["declarations_with_wrong_state"] == 0
    by_point = figures["by_kill_point"]
    assert all(point["failed_ups"] >= 1 for point in by_point.values()), by_point
    # After the POST answered, the order exists: the next `up` adopts it.
    assert by_point["after the order POST answered"]["adopted_on_the_next_up"] >= 1
    assert_held(campaign, result)


def test_ordering_without_a_lookup_turns_the_crash_recovery_figure_red() -> None:
    # One kill point is enough: the order exists when the host dies after its POST answered.
    after_the_post = functools.partial(crash_recovery, points=["after the order POST answered"])
    result = run_planted(after_the_post, "no_lookup_before_ordering")
    assert result.figures["duplicate_orders"] > 0
    assert result.figures["declarations_with_wrong_state"] > 0
    assert not result.passed
