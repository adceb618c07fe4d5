"""``digicert-sandbox`` as a user starts it: the banner, the token, stopping, a port in use
(:mod:`pulumi_digicert.sandbox.cli`)."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from pulumi_digicert.sandbox import DEFAULT_API_KEY, SandboxControl
from pulumi_digicert.sandbox.cli import banner
from support.ports import free_port as any_free_port


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
