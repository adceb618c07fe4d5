"""Every published figure can fail: each test plants the bug class a figure guards against and
watches the figure (or the section's verdict) turn red.

Bugs in the provider host are planted through a ``sitecustomize`` on the host's ``PYTHONPATH``
(:mod:`pulumi_digicert.tools._mutations`); bugs in this process (the sandbox, the provider
serialized in-process) are planted with ``monkeypatch``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import pytest

from pulumi_digicert.client import errors
from pulumi_digicert.client.orders import Orders
from pulumi_digicert.resources._provider import Provider
from pulumi_digicert.sandbox.app import SandboxApp
from pulumi_digicert.sandbox.errors import ApiError
from pulumi_digicert.tools._mutations import MUTATIONS
from pulumi_digicert.tools._reliability_crash import crash_recovery
from pulumi_digicert.tools._reliability_support import SURFACES
from pulumi_digicert.tools.reliability import (
    Campaign,
    CampaignConfig,
    SectionResult,
    bad_input,
    concurrency,
    drift,
    hostile_answers,
    never_buy_twice,
    preview,
    surfaces_probe,
)


def run_planted(section: Callable[[Campaign], SectionResult], mutation: str) -> SectionResult:
    with Campaign.open(CampaignConfig.short(), mutation=mutation) as campaign:
        return section(campaign)


def test_a_misclassified_field_turns_the_preview_figure_red() -> None:
    result = run_planted(preview, "product_moved_to_state")
    assert result.figures["verdicts_contradicting_field_table"] == 2  # changed, and unknown
    assert any("DocumentSigningOrder change product" in note for note in result.figures["notes"])
    assert not result.passed


def test_a_disabled_limiter_turns_the_concurrency_figure_red() -> None:
    result = run_planted(concurrency, "limiter_disabled")
    assert result.figures["429_answered_by_sandbox"] > 0
    assert not result.passed


@pytest.mark.parametrize("section", [concurrency, never_buy_twice], ids=lambda s: s.__name__)
def test_a_blind_resend_of_an_order_turns_the_duplicates_figure_red(
    section: Callable[[Campaign], SectionResult],
) -> None:
    result = run_planted(section, "blind_resend")
    assert result.figures["duplicates"] > 0
    assert not result.passed


def test_ordering_without_a_lookup_turns_the_crash_recovery_figure_red() -> None:
    # One kill point is enough: the order exists when the host dies after its POST answered.
    after_the_post = functools.partial(crash_recovery, points=["after the order POST answered"])
    result = run_planted(after_the_post, "no_lookup_before_ordering")
    assert result.figures["duplicate_orders"] > 0
    assert result.figures["declarations_with_wrong_state"] > 0
    assert not result.passed


def test_a_read_that_trusts_saved_state_turns_the_bad_input_figure_red() -> None:
    result = run_planted(bad_input, "crash_on_damaged_state")
    assert result.figures["entry_points"]["Read"]["crashes"] > 0
    assert result.figures["check_crashes"] == 0  # the bug is where the figure says it is
    assert not result.passed


# -- the secret scan: a leak planted in each surface it claims to cover ------------------------

HOST_LEAKS = {
    "grpc responses": "leak_in_diff_response",
    "state": "leak_in_state",
    "host log lines": "leak_in_host_log",
    "error messages": "leak_in_error",
    "report": "leak_in_error",  # the failure's text reaches the probe's figures
}


def _pickles_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    def getstate(self: Provider) -> dict[str, Any]:
        settings = getattr(self, "_settings", None)
        return {"api_key": settings.api_key.get()} if settings and settings.api_key else {}

    monkeypatch.setattr(Provider, "__getstate__", getstate)


def _sandbox_logs_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    authenticate = SandboxApp._authenticate

    def logging_authenticate(self: SandboxApp, call: Any) -> None:
        logging.getLogger("digicert_sandbox").debug("key %s", call.headers.get("x-dc-devkey"))
        authenticate(self, call)

    monkeypatch.setattr(SandboxApp, "_authenticate", logging_authenticate)


def _sandbox_echoes_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    authenticate = SandboxApp._authenticate

    def echoing_authenticate(self: SandboxApp, call: Any) -> None:
        authenticate(self, call)
        if call.path.endswith("/finance/balance"):
            raise ApiError(400, "echo", f"key {call.headers.get('x-dc-devkey')}")

    monkeypatch.setattr(SandboxApp, "_authenticate", echoing_authenticate)


IN_PROCESS_LEAKS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "provider blobs": _pickles_settings,
    "process log lines": _sandbox_logs_the_key,
    "sandbox responses": _sandbox_echoes_the_key,
}


def test_every_surface_the_scan_claims_has_a_planted_leak() -> None:
    assert set(HOST_LEAKS) | set(IN_PROCESS_LEAKS) == set(SURFACES)
    assert set(HOST_LEAKS.values()) <= set(MUTATIONS)


def probe(mutation: str | None = None) -> dict[str, Any]:
    with Campaign.open(CampaignConfig.short(), mutation=mutation) as campaign:
        surfaces_probe(campaign)
        return campaign.scanner.figures()


def test_the_probe_covers_every_surface_and_finds_nothing_without_a_plant() -> None:
    figures = probe()
    assert all(figures["distinct_texts_by_surface"][s] > 0 for s in SURFACES), figures
    assert figures["leaks"] == 0, figures["leak_locations"]


@pytest.mark.parametrize(("surface", "mutation"), sorted(HOST_LEAKS.items()))
def test_a_leak_planted_in_the_host_is_found_on_its_surface(surface: str, mutation: str) -> None:
    figures = probe(mutation)
    assert figures["leaks_by_surface"].get(surface, 0) > 0, figures["leaks_by_surface"]


@pytest.mark.parametrize("surface", sorted(IN_PROCESS_LEAKS))
def test_a_leak_planted_in_process_is_found_on_its_surface(
    surface: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    IN_PROCESS_LEAKS[surface](monkeypatch)
    figures = probe()
    assert figures["leaks_by_surface"].get(surface, 0) > 0, figures["leaks_by_surface"]


def test_a_read_that_returns_saved_state_turns_the_drift_figure_red() -> None:
    result = run_planted(drift, "read_returns_saved_state")
    missed = [c for c in result.figures["by_case"] if not c["detected"]]
    assert len(missed) == result.figures["cases"]  # none is seen once read trusts the state
    assert not result.passed


def test_a_diff_that_calls_the_api_turns_the_preview_figure_red() -> None:
    result = run_planted(preview, "diff_calls_the_api")
    assert result.figures["api_calls_during_check_and_diff"] > 0
    assert not result.passed


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
