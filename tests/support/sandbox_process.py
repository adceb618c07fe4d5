"""The sandbox as a process of its own (so a test can SIGKILL it), and writers that load it.

For tests of the stand-in itself (its durability); no provider code runs here.
"""

from __future__ import annotations

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from pulumi_digicert.sandbox.control import CONTROL_TOKEN_ENV
from pulumi_digicert.testing.host import terminate
from support.ports import free_port


class SandboxProcess:
    """``digicert-sandbox`` as a child process on a file database (``python -m``)."""

    def __init__(
        self,
        db_path: str | os.PathLike[str],
        *,
        api_key: str,
        partner_api_key: str,
        port: int | None = None,
        extra_args: Sequence[str] = ("--no-rate-limit",),
    ) -> None:
        self.db_path = os.fspath(db_path)
        self.api_key = api_key
        self.partner_api_key = partner_api_key
        # Handed over in the environment: a token on the command line shows in `ps`.
        self.control_token = secrets.token_urlsafe(24)
        self.port = port or free_port()
        self.extra_args = tuple(extra_args)
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the object
        self.starts = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def services_url(self) -> str:
        return self.base_url + "/services/v2"

    def start(self, timeout: float = 20.0) -> None:
        if self.process is not None:
            raise RuntimeError("sandbox process already running")
        argv = [
            sys.executable,
            "-m",
            "pulumi_digicert.sandbox.cli",
            "--db",
            self.db_path,
            "--port",
            str(self.port),
            "--api-key",
            self.api_key,
            "--partner-api-key",
            self.partner_api_key,
            "--log-level",
            "warning",
            *self.extra_args,
        ]
        env = {**os.environ, CONTROL_TOKEN_ENV: self.control_token}
        self.process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log, env=env
        )
        self.starts += 1
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"sandbox exited with {self.process.returncode}: {self.log()}")
            try:
                httpx.get(
                    self.base_url + "/_sandbox/settings",
                    headers={"Authorization": f"Bearer {self.control_token}"},
                    timeout=1.0,
                ).raise_for_status()
                return
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError("sandbox process did not answer") from None
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no close."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            terminate(process, timeout=10)

    def log(self) -> str:
        """What the sandbox wrote to stderr (its log) so far."""
        self._log.flush()
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace")
        self._log.seek(0, os.SEEK_END)
        return text

    def close(self) -> None:
        self.stop()
        self._log.close()


def sqlite_integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` of a database file (``"ok"`` when sound)."""
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    return "; ".join(str(row[0]) for row in rows)


class WriteBurst:
    """Writers creating orders and organizations as fast as the sandbox answers.

    A write is *acknowledged* when the sandbox answered it with 2xx; only those are promised to
    survive a crash. :meth:`missing` reads every acknowledged write back.
    """

    def __init__(
        self,
        services_url: str,
        api_key: str,
        *,
        organization_body: Mapping[str, Any],
        order_body: Mapping[str, Any],
    ) -> None:
        self.services_url = services_url
        self.headers = {"X-DC-DEVKEY": api_key}
        self.organization_body = dict(organization_body)
        self.order_body = dict(order_body)
        self.acknowledged: dict[str, tuple[str, int]] = {}
        self.errors = 0
        self._lock = threading.Lock()
        self._acked_this_cycle = 0
        self._in_flight = 0
        self._stop = threading.Event()
        self._organization_id: int | None = None

    def _client(self) -> httpx.Client:
        return httpx.Client(base_url=self.services_url, headers=self.headers, timeout=10)

    def _organization(self) -> int:
        if self._organization_id is None:
            with self._client() as api:
                response = api.post("/organization", json=self.organization_body)
                response.raise_for_status()
                self._organization_id = int(response.json()["id"])
        return self._organization_id

    def _write(self, api: httpx.Client, name: str, n: int) -> tuple[str, httpx.Response]:
        if n % 3:
            body = {
                **self.order_body,
                "organization": {"id": self._organization()},
                "alternative_order_id": name,
            }
            return "order", api.post("/order/certificate/document_signing_org_1", json=body)
        body = {
            **self.organization_body,
            "name": f"Durable {name}",
            "skip_duplicate_org_check": True,
        }
        return "organization", api.post("/organization", json=body)

    def _writer(self, cycle: int, index: int) -> None:
        with self._client() as api:
            n = 0
            while not self._stop.is_set():
                n += 1
                name = f"c{cycle}w{index}n{n}"
                with self._lock:
                    self._in_flight += 1
                try:
                    kind, response = self._write(api, name, n)
                except httpx.HTTPError:
                    with self._lock:
                        self._in_flight -= 1
                        self.errors += 1
                    time.sleep(0.01)
                    continue
                with self._lock:
                    self._in_flight -= 1
                    if response.status_code in (200, 201):
                        self.acknowledged[name] = (kind, int(response.json()["id"]))
                        self._acked_this_cycle += 1

    def run_until_killed(
        self, cycle: int, *, writers: int, acks_before_kill: int, kill: Callable[[], None]
    ) -> int:
        """Start ``writers``, call ``kill`` once ``acks_before_kill`` writes were acknowledged
        (the writers still going), then stop them. Returns the writes in flight at the kill."""
        self._organization()
        self._stop.clear()
        self._acked_this_cycle = 0
        threads = [
            threading.Thread(target=self._writer, args=(cycle, i), name=f"durability-writer-{i}")
            for i in range(writers)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while self._acked_this_cycle < acks_before_kill and time.monotonic() < deadline:
            time.sleep(0.001)
        with self._lock:
            in_flight = self._in_flight
        kill()
        self._stop.set()
        for thread in threads:
            thread.join()
        return in_flight

    def missing(self) -> list[str]:
        """Acknowledged writes the sandbox no longer has."""
        lost: list[str] = []
        with self._client() as api:
            for name, (kind, object_id) in sorted(self.acknowledged.items()):
                if kind == "order":
                    response = api.get(f"/order/certificate/{object_id}")
                    ok = response.status_code == 200 and (
                        response.json().get("alternative_order_id") == name
                    )
                else:
                    response = api.get(f"/organization/{object_id}")
                    ok = response.status_code == 200
                if not ok:
                    lost.append(f"{kind} {object_id} ({name}): {response.status_code}")
        return lost
