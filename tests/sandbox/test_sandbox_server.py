"""SandboxServer lifecycle, persistence in SQLite, concurrency, and the command line."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from pulumi_digicert.sandbox import (
    DEFAULT_API_KEY,
    DEFAULT_PARTNER_API_KEY,
    SandboxControl,
    SandboxServer,
)
from pulumi_digicert.sandbox.cli import banner
from support.ports import free_port as any_free_port

from .builders import ORGANIZATION, PRODUCT, TLS, create_organization, order_body


def services(server: SandboxServer, api_key: str | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=server.services_url,
        headers={"X-DC-DEVKEY": api_key or server.api_key},
        timeout=30,
        verify=TLS,
    )


def test_urls_and_keys() -> None:
    with SandboxServer() as server:
        assert server.services_url == f"http://127.0.0.1:{server.port}/services/v2"
        assert server.partner_url == f"http://127.0.0.1:{server.port}/partner-subscription/api/v1"
        assert (server.api_key, server.partner_api_key) == (
            DEFAULT_API_KEY,
            DEFAULT_PARTNER_API_KEY,
        )
        assert server.api_key not in repr(server)


def test_constructor_settings_apply() -> None:
    with SandboxServer(rate_limit=False, auto_issue_after=5, auto_validate_after=7) as server:
        settings = server.control.settings()
        assert settings["rate_limit_enabled"] is False
        assert settings["auto_issue_after"] == 5
        assert settings["auto_validate_after"] == 7


def test_custom_keys() -> None:
    with SandboxServer(api_key="k1", partner_api_key="p1") as server:
        with services(server) as api:
            assert api.get("/finance/balance").status_code == 200
        with services(server, DEFAULT_API_KEY) as api:
            assert api.get("/finance/balance").status_code == 403


def test_state_survives_restart_on_the_same_db_file(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.db")
    server = SandboxServer(db)
    with server:
        with services(server) as api:
            organization_id = create_organization(api)
            order = api.post(f"/order/certificate/{PRODUCT}", json=order_body(organization_id))
            order_id = order.json()["id"]
        server.control.update_settings(require_unique_alternative_order_ids=True)
        now = server.control.advance_clock(86400)
        port = server.port
        server.stop()
        with pytest.raises(httpx.ConnectError), services(server) as api:
            api.get("/finance/balance")
        server.start()
        assert server.port == port
        with services(server) as api:
            assert api.get(f"/organization/{organization_id}").status_code == 200
            assert api.get(f"/order/certificate/{order_id}").json()["status"] == "needs_approval"
            assert api.get("/finance/balance").json()["balance"] == "99501.00"
        assert server.control.settings()["require_unique_alternative_order_ids"] is True
        assert server.control.now() >= now

    # a new server on the same file sees the same state
    with SandboxServer(db) as again, services(again) as api:
        assert api.get(f"/organization/{organization_id}").status_code == 200
        assert again.control.settings()["require_unique_alternative_order_ids"] is True


def test_memory_database_survives_stop_and_start() -> None:
    server = SandboxServer()
    with server:
        with services(server) as api:
            organization_id = create_organization(api)
        server.stop()
        server.start()
        with services(server) as api:
            assert api.get(f"/organization/{organization_id}").status_code == 200


def test_restart_with_another_key_moves_the_default_account(tmp_path: Path) -> None:
    db = str(tmp_path / "keys.db")
    with SandboxServer(db, api_key="first-key") as first, services(first) as api:
        organization_id = create_organization(api)
    with SandboxServer(db, api_key="second-key") as second:
        with services(second) as api:
            assert api.get(f"/organization/{organization_id}").status_code == 200
        with services(second, "first-key") as api:
            assert api.get("/finance/balance").status_code == 403


def test_reset_forgets_everything(sb: SandboxServer) -> None:
    with services(sb) as api:
        organization_id = create_organization(api)
    sb.control.update_settings(auto_issue_after=1)
    sb.control.advance_clock(1000)
    sb.control.publish_dns("example.com", "TXT", "x")
    sb.control.reset()
    with services(sb) as api:
        assert api.get(f"/organization/{organization_id}").status_code == 404
    assert sb.control.settings()["auto_issue_after"] is None
    assert abs(sb.control.now() - time.time()) < 5
    assert sb.control.dns_records() == []


# ---------------------------------------------------------------- concurrency


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(str(tmp_path / "busy.db"), rate_limit=False) as server:
        yield server


def test_fifty_concurrent_clients_no_5xx_no_lost_write(file_server: SandboxServer) -> None:
    with services(file_server) as api:
        organization_id = create_organization(api)
        start_balance = api.get("/finance/balance").json()["balance"]

    def client_work(index: int) -> list[int]:
        statuses = []
        with services(file_server) as api:
            created = api.post(
                "/organization",
                json={
                    **ORGANIZATION,
                    "name": f"Concurrent {index}",
                    "skip_duplicate_org_check": True,
                },
            )
            statuses.append(created.status_code)
            order = api.post(
                f"/order/certificate/{PRODUCT}",
                json=order_body(organization_id, alternative_order_id=f"c{index}"),
            )
            statuses.append(order.status_code)
            statuses.append(api.get(f"/order/certificate/{order.json()['id']}").status_code)
            statuses.append(api.get("/organization").status_code)
            contacts = api.put(
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
    with services(file_server) as api:
        organizations = api.get("/organization").json()["organizations"]
        assert len(organizations) == 51
        spent = 50 * 49_900
        balance = api.get("/finance/balance").json()["balance"]
        expected = int(start_balance.replace(".", "")) - spent
        assert int(balance.replace(".", "")) == expected
        tech = api.get(f"/organization/{organization_id}").json()["technical_contact"]
        assert tech["first_name"].startswith("T")
    orders = file_server.control.orders()
    assert sorted(o["alternative_order_id"] for o in orders) == sorted(f"c{i}" for i in range(50))
    assert len({o["id"] for o in orders}) == 50
    assert len({o["request_id"] for o in orders}) == 50


def test_rate_limit_holds_under_concurrency(sb: SandboxServer) -> None:
    sb.control.update_settings(burst_limit=20, burst_window=60)

    def one(_: int) -> int:
        with services(sb) as api:
            return api.get("/finance/balance").status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(one, range(50)))
    assert statuses.count(200) == 20
    assert statuses.count(429) == 30


# ---------------------------------------------------------------- command line


def test_banner_is_ready_to_paste_and_names_the_bound_host() -> None:
    text = banner("127.0.0.1", 8787, "./digicert-sandbox.db", "k", "p", "control-token-1")
    assert text.splitlines()[0] == (
        "digicert-sandbox on http://127.0.0.1:8787 (database: ./digicert-sandbox.db)"
    )
    assert "pulumi config set digicert:baseUrl http://127.0.0.1:8787/services/v2" in text
    assert "pulumi config set --secret digicert:apiKey k" in text
    assert (
        "pulumi config set digicert:partnerBaseUrl "
        "http://127.0.0.1:8787/partner-subscription/api/v1" in text
    )
    assert "pulumi config set --secret digicert:partnerApiKey p" in text
    assert "export DIGICERT_SANDBOX_CONTROL_TOKEN=control-token-1" in text
    assert "warning" not in text
    everywhere = banner("0.0.0.0", 8787, "x.db", "k", "p", "t")  # noqa: S104
    assert everywhere.startswith("digicert-sandbox on http://0.0.0.0:8787 ")
    assert "warning: 0.0.0.0 can be reached from other machines" in everywhere
    assert "127.0.0.1" not in everywhere
    assert banner("::1", 8787, "x.db", "k", "p", "t").startswith(
        "digicert-sandbox on http://[::1]:8787"
    )


CLI_TOKEN = "cli-control-token"


class CommandLine:
    """``digicert-sandbox`` as a child process, as a user starts it; stdout is read as it comes."""

    def __init__(self, *args: str, token: str | None = CLI_TOKEN) -> None:
        env = {k: v for k, v in os.environ.items() if k != "DIGICERT_SANDBOX_CONTROL_TOKEN"}
        env["PYTHONUNBUFFERED"] = "1"
        if token is not None:
            env["DIGICERT_SANDBOX_CONTROL_TOKEN"] = token
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pulumi_digicert.sandbox.cli", "--log-level", "warning", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stdout: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.stdout.append(line)
            self.lines.put(line)

    def next_line(self) -> str:
        return self.lines.get(timeout=15)

    def wait_until_serving(self, base: str, token: str) -> None:
        deadline = time.monotonic() + 15
        while True:
            try:
                httpx.get(
                    base + "/_sandbox/clock", headers={"Authorization": f"Bearer {token}"}
                ).raise_for_status()
                return
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the sandbox did not answer"
                time.sleep(0.05)

    def stop(self, signal_number: int | None = signal.SIGINT) -> tuple[int, str, str]:
        """Send ``signal_number`` (None: let it end by itself); its exit code and output."""
        if signal_number is not None and self.process.poll() is None:
            self.process.send_signal(signal_number)
        assert self.process.stderr is not None
        stderr = self.process.stderr.read()
        self.process.wait(timeout=15)
        self._reader.join(timeout=15)
        self.process.stderr.close()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode, "".join(self.stdout), stderr


def test_command_line_serves_the_api_and_the_control_api_with_its_token(
    tmp_path: Path, free_port: int
) -> None:
    cli = CommandLine(
        "--port",
        str(free_port),
        "--db",
        str(tmp_path / "cli.db"),
        "--no-rate-limit",
        "--auto-issue-after",
        "0",
    )
    try:
        base = f"http://127.0.0.1:{free_port}"
        assert cli.next_line().startswith(f"digicert-sandbox on {base} ")
        cli.wait_until_serving(base, "cli-control-token")
        control = SandboxControl(base, token="cli-control-token")
        try:
            settings = control.settings()
        finally:
            control.close()
        assert settings["rate_limit_enabled"] is False
        assert settings["auto_issue_after"] == 0
        assert httpx.get(base + "/_sandbox/settings").status_code == 401
        balance = httpx.get(
            base + "/services/v2/finance/balance", headers={"X-DC-DEVKEY": DEFAULT_API_KEY}
        )
        assert balance.status_code == 200
    finally:
        returncode, stdout, _ = cli.stop()
    assert returncode == 0
    assert "export DIGICERT_SANDBOX_CONTROL_TOKEN=cli-control-token" in stdout
    assert (tmp_path / "cli.db").exists()


def test_command_line_prints_a_new_token_when_none_is_given(tmp_path: Path, free_port: int) -> None:
    cli = CommandLine("--port", str(free_port), "--db", ":memory:", token=None)
    try:
        assert cli.next_line().startswith("digicert-sandbox on ")
        lines = [cli.next_line() for _ in range(13)]
        exported = [line for line in lines if "DIGICERT_SANDBOX_CONTROL_TOKEN=" in line]
        token = exported[0].strip().split("=", 1)[1]
        assert len(token) >= 24
        base = f"http://127.0.0.1:{free_port}"
        cli.wait_until_serving(base, token)
    finally:
        cli.stop()


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_ctrl_c_or_sigterm_stops_the_command_line_without_a_traceback(
    tmp_path: Path, free_port: int, signal_number: int
) -> None:
    cli = CommandLine("--port", str(free_port), "--db", str(tmp_path / "stop.db"))
    cli.next_line()
    cli.wait_until_serving(f"http://127.0.0.1:{free_port}", "cli-control-token")
    returncode, _, stderr = cli.stop(signal_number)
    assert returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "KeyboardInterrupt" not in stderr
    assert stderr.strip().splitlines()[-1] == "digicert-sandbox stopped."


def test_port_in_use_fails_with_one_line_and_no_banner(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        cli = CommandLine("--port", str(port), "--db", str(tmp_path / "taken.db"))
        returncode, stdout, stderr = cli.stop(None)
    assert returncode == 1
    assert stdout == ""
    assert stderr.strip().splitlines() == [
        f"digicert-sandbox: port {port} on 127.0.0.1 is already in use; stop the server that "
        "holds it or choose another port with --port."
    ]
    assert not (tmp_path / "taken.db").exists()


def test_banner_shows_the_wildcard_host_it_is_bound_to(tmp_path: Path) -> None:
    port = any_free_port("0.0.0.0")  # noqa: S104 - the case under test
    cli = CommandLine("--host", "0.0.0.0", "--port", str(port), "--db", ":memory:")  # noqa: S104
    try:
        assert cli.next_line().startswith(f"digicert-sandbox on http://0.0.0.0:{port} ")
        cli.wait_until_serving(f"http://127.0.0.1:{port}", "cli-control-token")
    finally:
        cli.stop()


def test_sqlite_side_files_are_ignored_by_git() -> None:
    # WAL mode leaves <db>-wal and <db>-shm beside the database while it is open.
    root = Path(__file__).resolve().parents[2]
    for name in ("digicert-sandbox.db", "digicert-sandbox.db-wal", "digicert-sandbox.db-shm"):
        result = subprocess.run(
            ["git", "check-ignore", "-q", name], cwd=root, check=False, capture_output=True
        )
        assert result.returncode == 0, f"{name} is not ignored"
