"""Helpers for the reliability campaign's tests (``tests/reliability``)."""

from __future__ import annotations

from collections.abc import Callable

from qa.reliability.campaign import Campaign, CampaignConfig, SectionResult


def assert_passed(result: SectionResult) -> None:
    """The section found no broken promise (its figures are shown when it did)."""
    assert result.problems == [], result.figures


def assert_no_leaks(campaign: Campaign) -> None:
    """Something was scanned, and no key or card number was found in plain text."""
    figures = campaign.scanner.figures()
    assert figures["distinct_texts_scanned"] > 0
    assert figures["leaks"] == 0, figures["leak_locations"]


def assert_held(campaign: Campaign, result: SectionResult) -> None:
    """The section kept its promise, and nothing it produced shows a secret."""
    assert_passed(result)
    assert_no_leaks(campaign)


def run_planted(section: Callable[[Campaign], SectionResult], mutation: str) -> SectionResult:
    """``section`` in short mode with the deliberate bug ``mutation`` (:mod:`qa.mutations`)
    planted in every provider host it starts."""
    with Campaign.open(CampaignConfig.short(), mutation=mutation) as campaign:
        return section(campaign)
