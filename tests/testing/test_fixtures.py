"""The shared fixtures in tests/conftest.py."""

from __future__ import annotations

import socket
from typing import Any

import httpx

from support.hosts import TESTS_DIR, HostFactory
from support.secrets import assert_no_secrets, leaked


def test_free_port_can_be_bound(free_port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", free_port))


def test_provider_host_factory_puts_tests_on_the_host_path(provider_host: HostFactory) -> None:
    host = provider_host(config={"echo:greeting": "x"})
    assert host.running
    assert host.configured
    assert str(TESTS_DIR) in host.environment()["PYTHONPATH"]
    assert host in provider_host.hosts


def test_sandbox_config_points_at_the_running_sandbox(
    sandbox: Any, sandbox_config: dict[str, str]
) -> None:
    assert set(sandbox_config) == {
        "digicert:apiKey",
        "digicert:baseUrl",
        "digicert:partnerApiKey",
        "digicert:partnerBaseUrl",
    }
    assert sandbox_config["digicert:baseUrl"] == sandbox.services_url
    response = httpx.get(
        f"{sandbox.services_url}/finance/balance",
        headers={"X-DC-DEVKEY": sandbox_config["digicert:apiKey"]},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_secret_scan_masks_what_it_reports() -> None:
    found = leaked("key=abcdef123", ["abcdef123", "", "zzz"])
    assert found == ["ab…(9 chars)"]
    assert_no_secrets("nothing here", ["abcdef123"])
