"""Fixtures for the sandbox's own tests: one server per module, state reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer

from .builders import TLS


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture
def sb(server: SandboxServer) -> SandboxServer:
    """The module's sandbox, reset: default accounts, settings, clock; no faults, no stats."""
    server.control.reset()
    return server


@pytest.fixture
def api(sb: SandboxServer) -> Iterator[httpx.Client]:
    """Plain HTTP to the CertCentral API with the default account's key."""
    with httpx.Client(
        base_url=sb.services_url,
        headers={"X-DC-DEVKEY": sb.api_key, "Content-Type": "application/json"},
        timeout=10,
        verify=TLS,
    ) as client:
        yield client


@pytest.fixture
def partner(sb: SandboxServer) -> Iterator[httpx.Client]:
    """Plain HTTP to the Partner Subscriptions API (no key set)."""
    with httpx.Client(base_url=sb.partner_url, timeout=10, verify=TLS) as client:
        yield client
