"""Bad keys and leaky base URLs: refused by the setting's name, never shown."""

from __future__ import annotations

from qa.reliability.bad_keys import bad_keys
from qa.reliability.campaign import Campaign
from support.campaign import assert_held


def test_bad_keys_and_leaky_base_urls_are_refused_by_name_and_never_shown(
    campaign: Campaign,
) -> None:
    result = bad_keys(campaign)
    figures = result.figures
    assert figures["refused_naming_the_setting"] == figures["cases"] == 13
    assert figures["requests_sent_despite_a_refused_setting"] == 0
    assert figures["key_or_url_parts_shown"] == 0
    assert figures["longest_error_bytes"] <= 2048
    assert_held(campaign, result)
