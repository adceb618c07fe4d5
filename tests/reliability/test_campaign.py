"""Each promise, measured in short mode against a real sandbox through the real provider host.

Every test also checks that nothing the section produced (gRPC responses, state, provider blobs,
host and sandbox logs, error messages) carries a key or card number in plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pulumi_digicert.tools._reliability_crash import crash_recovery
from pulumi_digicert.tools.reliability import (
    SECTIONS,
    Campaign,
    SectionResult,
    bad_input,
    bad_keys,
    concurrency,
    drift,
    hostile_answers,
    never_buy_twice,
    preview,
    sandbox_input,
)


def assert_no_leaks(campaign: Campaign) -> None:
    figures = campaign.scanner.figures()
    assert figures["distinct_texts_scanned"] > 0
    assert figures["leaks"] == 0, figures["leak_locations"]


def assert_passed(result: SectionResult) -> None:
    assert result.problems == [], result.figures


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
    assert_passed(result)
    assert_no_leaks(campaign)


def test_preview_check_and_diff_are_offline_repeatable_and_match_apply_time(
    campaign: Campaign,
) -> None:
    result = preview(campaign)
    assert result.figures["resources"] == 5
    assert result.figures["api_calls_during_check_and_diff"] == 0
    assert result.figures["answers_differing_when_asked_twice"] == 0
    assert result.figures["preview_differs_from_apply_time"] == 0
    assert result.figures["verdicts_contradicting_field_table"] == 0
    assert_passed(result)
    assert_no_leaks(campaign)


def test_bad_input_never_crashes_the_providers_entry_points(campaign: Campaign) -> None:
    result = bad_input(campaign)
    assert result.figures["check_cases"] >= 5 * 50
    assert result.figures["check_api_calls"] == 0
    entry_points = result.figures["entry_points"]
    assert set(entry_points) == {"Diff", "Read", "Update", "Create", "Delete"}
    assert all(op["cases"] > 0 for op in entry_points.values()), entry_points
    assert result.figures["older_version_state_cases"] > 0
    assert result.figures["crashes"] == 0, result.figures["crash_examples"]
    assert_passed(result)
    assert_no_leaks(campaign)


def test_the_sandbox_answers_bad_requests_with_the_envelope_never_5xx(
    campaign: Campaign,
) -> None:
    result = sandbox_input(campaign)
    assert result.figures["cases"] >= result.figures["routes"] > 0
    assert result.figures["crashes"] == 0, result.figures["crash_examples"]
    assert_passed(result)
    assert_no_leaks(campaign)


def test_drift_made_through_the_sandbox_is_seen_by_read(campaign: Campaign) -> None:
    result = drift(campaign)
    cases = {(c["resource"], c["change"]): c for c in result.figures["by_case"]}
    assert {resource for resource, _ in cases} == {
        "Organization",
        "DomainValidation",
        "DomainValidationCheck",
        "DocumentSigningOrder",
    }
    missed = {key for key, c in cases.items() if not c["detected"]}
    assert missed == set(), {k: cases[k]["how"] for k in missed}
    assert [n["resource"] for n in result.figures["not_observable"]] == ["BillingAccountLink"]
    assert_no_leaks(campaign)


def test_concurrent_creates_under_faults_with_the_limiter_on(campaign: Campaign) -> None:
    result = concurrency(campaign)
    assert result.figures["creates"] == 100
    # What the limiter is for: at the configured limits the sandbox never answers 429.
    assert result.figures["429_answered_by_sandbox"] == 0
    assert result.figures["429_reaching_the_user"] == 0
    # The faults bit, so a blind re-send would have bought twice.
    assert result.figures["sandbox_responses_cut"] > 0
    assert result.figures["duplicates"] == 0
    assert result.figures["lost_outputs"] == 0
    assert result.figures["orders"] == 100
    assert_passed(result)
    assert_no_leaks(campaign)


def test_up_after_the_provider_host_is_killed_mid_create_buys_nothing_twice(
    campaign: Campaign,
) -> None:
    result = crash_recovery(campaign)
    assert result.figures["sigkills"] == result.figures["kill_points"] == 3
    assert result.figures["duplicate_orders"] == 0
    assert result.figures["declarations_with_wrong_state"] == 0
    by_point = result.figures["by_kill_point"]
    assert all(point["failed_ups"] >= 1 for point in by_point.values()), by_point
    # After the POST answered, the order exists: the next `up` adopts it.
    assert by_point["after the order POST answered"]["adopted_on_the_next_up"] >= 1
    assert_passed(result)
    assert_no_leaks(campaign)


def test_hostile_answers_never_order_twice_and_say_what_happened(campaign: Campaign) -> None:
    result = hostile_answers(campaign)
    assert result.figures["cases"] >= 70
    assert result.figures["orders_sent_beyond_one"] == 0, result.figures["examples"]
    assert result.figures["outcomes_not_as_required"] == 0, result.figures["examples"]
    assert result.figures["messages_over_2kb"] == 0
    assert_passed(result)
    assert_no_leaks(campaign)


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


def test_every_registered_section_is_run_by_a_test_here() -> None:
    # A section added to the campaign without a test that runs it fails here.
    source = Path(__file__).read_text()
    untested = [name for name, run in SECTIONS.items() if f"{run.__name__}(campaign)" not in source]
    assert untested == []
