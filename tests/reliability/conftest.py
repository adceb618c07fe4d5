"""The reliability campaign in its short (CI) mode: one section per test, same assertions as the
full run of ``python -m pulumi_digicert.tools.reliability``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_digicert.tools.reliability import Campaign, CampaignConfig


@pytest.fixture
def campaign() -> Iterator[Campaign]:
    with Campaign.open(CampaignConfig.short()) as opened:
        yield opened
