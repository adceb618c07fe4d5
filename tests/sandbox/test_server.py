"""SandboxServer lifecycle, persistence in SQLite and concurrency
(:mod:`pulumi_digicert.sandbox.server`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from pulumi_digicert.sandbox import (
    DEFAULT_API_KEY,
    DEFAULT_PARTNER_API_KEY,
    SandboxServer,
)

from .builders import ORGANIZATION, PRODUCT, TLS, create_organization, order_body


def services(sandbox_server: SandboxServer, api_key: str | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=sandbox_server.services_url,
        headers={"X-DC-DEVKEY": api_key or sandbox_server.api_key},
        timeout=30,
        verify=TLS,
    )


def test_urls_and_keys() -> None:
    with SandboxServer() as sandbox_server:
        assert sandbox_server.services_url == f"http://127.0.0.1:{sandbox_server.port}/services/v2"
        assert (
            sandbox_server.partner_url
            == f"http://127.0.0.1:{sandbox_server.port}/partner-subscription/api/v1"
        )
        assert (sandbox_server.api_key, sandbox_server.partner_api_key) == (
            DEFAULT_API_KEY,
            DEFAULT_PARTNER_API_KEY,
        )
        assert sandbox_server.api_key not in repr(sandbox_server)


def test_constructor_settings_apply() -> None:
    with SandboxServer(
        rate_limit=False, auto_issue_after=5, auto_validate_after=7
    ) as sandbox_server:
        settings = sandbox_server.control.settings()
        assert settings["rate_limit_enabled"] is False
        assert settings["auto_issue_after"] == 5
        assert settings["auto_validate_after"] == 7


def test_custom_keys() -> None:
    with SandboxServer(api_key="k1", partner_api_key="p1") as sandbox_server:
        with services(sandbox_server) as services_api:
            assert services_api.get("/finance/balance").status_code == 200
        with services(sandbox_server, DEFAULT_API_KEY) as services_api:
            assert services_api.get("/finance/balance").status_code == 403


def test_state_survives_restart_on_the_same_db_file(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.db")
    sandbox_server = SandboxServer(db)
    with sandbox_server:
        with services(sandbox_server) as services_api:
            organization_id = create_organization(services_api)
            order = services_api.post(
                f"/order/certificate/{PRODUCT}", json=order_body(organization_id)
            )
            order_id = order.json()["id"]
        sandbox_server.control.update_settings(require_unique_alternative_order_ids=True)
        now = sandbox_server.control.advance_clock(86400)
        port = sandbox_server.port
        sandbox_server.stop()
        with pytest.raises(httpx.ConnectError), services(sandbox_server) as services_api:
            services_api.get("/finance/balance")
        sandbox_server.start()
        assert sandbox_server.port == port
        with services(sandbox_server) as services_api:
            assert services_api.get(f"/organization/{organization_id}").status_code == 200
            assert (
                services_api.get(f"/order/certificate/{order_id}").json()["status"]
                == "needs_approval"
            )
            assert services_api.get("/finance/balance").json()["balance"] == "99501.00"
        assert sandbox_server.control.settings()["require_unique_alternative_order_ids"] is True
        assert sandbox_server.control.now() >= now

    # a new server on the same file sees the same state
    with SandboxServer(db) as again, services(again) as services_api:
        assert services_api.get(f"/organization/{organization_id}").status_code == 200
        assert again.control.settings()["require_unique_alternative_order_ids"] is True


def test_memory_database_survives_stop_and_start() -> None:
    sandbox_server = SandboxServer()
    with sandbox_server:
        with services(sandbox_server) as services_api:
            organization_id = create_organization(services_api)
        sandbox_server.stop()
        sandbox_server.start()
        with services(sandbox_server) as services_api:
            assert services_api.get(f"/organization/{organization_id}").status_code == 200


def test_restart_with_another_key_moves_the_default_account(tmp_path: Path) -> None:
    db = str(tmp_path / "keys.db")
    with SandboxServer(db, api_key="first-key") as first, services(first) as services_api:
        organization_id = create_organization(services_api)
    with SandboxServer(db, api_key="second-key") as second:
        with services(second) as services_api:
            assert services_api.get(f"/organization/{organization_id}").status_code == 200
        with services(second, "first-key") as services_api:
            assert services_api.get("/finance/balance").status_code == 403


def test_reset_forgets_everything(clean_sandbox: SandboxServer) -> None:
    with services(clean_sandbox) as services_api:
        organization_id = create_organization(services_api)
    clean_sandbox.control.update_settings(auto_issue_after=1)
    clean_sandbox.control.advance_clock(1000)
    clean_sandbox.control.publish_dns("example.com", "TXT", "x")
    clean_sandbox.control.reset()
    with services(clean_sandbox) as services_api:
        assert services_api.get(f"/organization/{organization_id}").status_code == 404
    assert clean_sandbox.control.settings()["auto_issue_after"] is None
    assert abs(clean_sandbox.control.now() - time.time()) < 5
    assert clean_sandbox.control.dns_records() == []


# ---------------------------------------------------------------- concurrency


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(str(tmp_path / "busy.db"), rate_limit=False) as sandbox_server:
        yield sandbox_server


def test_fifty_concurrent_clients_no_5xx_no_lost_write(file_server: SandboxServer) -> None:
    with services(file_server) as services_api:
        organization_id = create_organization(services_api)
        start_balance = services_api.get("/finance/balance").json()["balance"]

    def client_work(index: int) -> list[int]:
        statuses = []
        with services(file_server) as services_api:
            created = services_api.post(
                "/organization",
                json={
                    **ORGANIZATION,
                    "name": f"Concurrent {index}",
                    "skip_duplicate_org_check": True,
                },
            )
            statuses.append(created.status_code)
            order = services_api.post(
                f"/order/certificate/{PRODUCT}",
                json=order_body(organization_id, alternative_order_id=f"c{index}"),
            )
            statuses.append(order.status_code)
            statuses.append(
                services_api.get(f"/order/certificate/{order.json()['id']}").status_code
            )
            statuses.append(services_api.get("/organization").status_code)
            contacts = services_api.put(
                f"/organization/{organization_id}/contact",
                json={
                    "contacts": [
                        {
                            "contact_type": "technical_contact",
                            "first_name": f"T{index}",
                            "last_name": "L",
                            "email": f"t{index}@x.org",
                        }
                    ]
                },
            )
            statuses.append(contacts.status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(client_work, range(50)))

    statuses = [status for result in results for status in result]
    assert all(status < 500 for status in statuses), statuses
    assert set(statuses) == {200, 201, 204}
    with services(file_server) as services_api:
        organizations = services_api.get("/organization").json()["organizations"]
        assert len(organizations) == 51
        spent = 50 * 49_900
        balance = services_api.get("/finance/balance").json()["balance"]
        expected = int(start_balance.replace(".", "")) - spent
        assert int(balance.replace(".", "")) == expected
        tech = services_api.get(f"/organization/{organization_id}").json()["technical_contact"]
        assert tech["first_name"].startswith("T")
    orders = file_server.control.orders()
    assert sorted(o["alternative_order_id"] for o in orders) == sorted(f"c{i}" for i in range(50))
    assert len({o["id"] for o in orders}) == 50
    assert len({o["request_id"] for o in orders}) == 50


def test_rate_limit_holds_under_concurrency(clean_sandbox: SandboxServer) -> None:
    clean_sandbox.control.update_settings(burst_limit=20, burst_window=60)

    def one(_: int) -> int:
        with services(clean_sandbox) as services_api:
            return services_api.get("/finance/balance").status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(one, range(50)))
    assert statuses.count(200) == 20
    assert statuses.count(429) == 30
