"""Bad keys and leaky base URLs: refused by the setting's name, never shown."""

from __future__ import annotations

from qa.reliability.bad_keys import bad_keys
from qa.reliability.campaign import Campaign
from support.campaign import assert_no_leaks, assert_passed


def test_bad_keys_and_leaky_base_urls_are_refused_by_name_and_never_shown(
    campaign: Campaign,
) -> None:
    result = bad_keys(campaign)
    assert result.figures["refused_naming_the_setting"] == result.figures["cases"] == 13
    assert result.figures["requests_sent_despite_a_refused_setting"] == 0
    assert result.figures["key_or_url_parts_shown"] == 0
    assert result.figures["longest_error_bytes"] <= 2048
    assert_passed(result)
    assert_no_leaks(campaign)
