"""Creates against a hostile CertCentral: at most one order each, and the truth said."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from pulumi_digicert.client import errors
from pulumi_digicert.client.orders import Orders
from qa.reliability.campaign import Campaign, CampaignConfig
from qa.reliability.hostile_answers import hostile_answers
from support.campaign import assert_held


def test_hostile_answers_never_order_twice_and_say_what_happened(campaign: Campaign) -> None:
    result = hostile_answers(campaign)
    figures = result.figures
    assert figures["cases"] >= 70
    assert figures["orders_sent_beyond_one"] == 0, figures["examples"]
    assert figures["outcomes_not_as_required"] == 0, figures["examples"]
    assert figures["messages_over_2kb"] == 0
    assert_held(campaign, result)


def test_an_order_sent_again_after_a_lost_answer_turns_the_hostile_figure_red(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The hostile section runs the provider in this process: plant the blind re-send here.
    original = Orders.order_document_signing

    def blind(self: Orders, product: str, body: Any) -> Any:
        try:
            return original(self, product, body)
        except errors.OutcomeUnknownError:
            return original(self, product, body)

    monkeypatch.setattr(Orders, "order_document_signing", blind)
    lost_answers = functools.partial(
        hostile_answers, only=lambda case: case.name.startswith("lookup after a lost answer")
    )
    with Campaign.open(CampaignConfig.short()) as campaign:
        result = lost_answers(campaign)
    assert result.figures["orders_sent_beyond_one"] > 0
    assert not result.passed
