"""The reliability campaign in its short (CI) mode: one section per test, same assertions as the
full run of ``python -m pulumi_digicert.tools.reliability``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.sandbox import sandbox_class


@pytest.fixture
def campaign() -> Iterator[object]:
    sandbox_class()  # skips while the sandbox is not importable
    from pulumi_digicert.tools.reliability import Campaign, CampaignConfig

    with Campaign.open(CampaignConfig.short()) as opened:
        yield opened
