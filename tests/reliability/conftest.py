"""The reliability campaign in its short (CI) mode: the same sections and assertions as the full
run of ``python -m qa.reliability``, smaller. One test module per module of ``qa/reliability``;
each section's test also checks that nothing it produced carries a key or card number."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qa.reliability.campaign import Campaign, CampaignConfig


@pytest.fixture
def campaign() -> Iterator[Campaign]:
    with Campaign.open(CampaignConfig.short()) as opened:
        yield opened
