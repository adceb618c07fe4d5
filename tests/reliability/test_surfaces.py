"""The secret scan covers every surface it claims: a leak planted in each one is found there.

Leaks in the provider host are planted through a ``sitecustomize`` on its ``PYTHONPATH``
(:mod:`qa.mutations`); leaks in this process (the sandbox, the provider serialized in-process)
with ``monkeypatch``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from pulumi_digicert.resources import PROVIDERS
from pulumi_digicert.sandbox.app import SandboxApp
from pulumi_digicert.sandbox.errors import ApiError
from qa.mutations import MUTATIONS
from qa.reliability.campaign import Campaign, CampaignConfig
from qa.reliability.scan import SURFACES
from qa.reliability.surfaces import surfaces_probe

HOST_LEAKS = {
    "grpc responses": "leak_in_diff_response",
    "state": "leak_in_state",
    "host log lines": "leak_in_host_log",
    "error messages": "leak_in_error",
    "report": "leak_in_error",  # the failure's text reaches the probe's figures
}


def _pickles_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    def getstate(self: Any) -> dict[str, Any]:
        settings = getattr(self, "_settings", None)
        return {"api_key": settings.api_key.get()} if settings and settings.api_key else {}

    for cls in PROVIDERS:
        monkeypatch.setattr(cls, "__getstate__", getstate)


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
