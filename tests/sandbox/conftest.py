"""Fixtures for the sandbox's own tests: one server per module, state reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer
from support.sandbox import services_client

from .builders import TLS, create_organization


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture
def clean_sandbox(sandbox_server: SandboxServer) -> SandboxServer:
    """The module's sandbox, reset: default accounts, settings, clock; no faults, no stats."""
    sandbox_server.control.reset()
    return sandbox_server


@pytest.fixture
def services_api(clean_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """Plain HTTP to the CertCentral API with the default account's key."""
    with services_client(clean_sandbox, verify=TLS) as client:
        yield client


@pytest.fixture
def partner_api(clean_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """Plain HTTP to the Partner Subscriptions API (no key set)."""
    with httpx.Client(base_url=clean_sandbox.partner_url, timeout=10, verify=TLS) as client:
        yield client


@pytest.fixture
def organization_id(services_api: httpx.Client) -> int:
    """An active organization of the default account."""
    return create_organization(services_api)
