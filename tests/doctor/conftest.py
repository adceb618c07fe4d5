"""Fixtures for the doctor's tests: a planted sandbox account, stand-ins that rewrite one kind
of answer, and a fake clock so pacing never waits for real."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from pulumi_digicert.doctor import DoctorSettings, Report, run_doctor
from pulumi_digicert.sandbox import SandboxServer
from support.sandbox import running_sandbox

from .account import Planted, plant

Rewrite = Callable[[httpx.Request, httpx.Response], httpx.Response | None]


@dataclass
class FakeClock:
    """Monotonic seconds that only move when something sleeps."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)


class StandIn(httpx.BaseTransport):
    """A proxy in front of the sandbox: every request goes to it over HTTP, and ``rewrite`` may
    replace the answer (None keeps it). ``sent`` records (method, path) of what went out."""

    def __init__(self, rewrite: Rewrite | None = None) -> None:
        self._http = httpx.HTTPTransport()
        self._rewrite = rewrite
        self.sent: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path))
        response = self._http.handle_request(request)
        response.read()
        if self._rewrite is not None:
            replaced = self._rewrite(request, response)
            if replaced is not None:
                return replaced
        return response

    def close(self) -> None:
        self._http.close()


def json_answer(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


def path_is(request: httpx.Request, pattern: str) -> bool:
    """Whether the request path (under /services/v2 or the partner prefix) matches ``pattern``."""
    path = re.sub(r"^/(services/v2|partner-subscription/api/v1)", "", request.url.path)
    return re.fullmatch(pattern, path) is not None


def settings_for(planted_server: SandboxServer, **env: str) -> DoctorSettings:
    values = {
        "DIGICERT_API_KEY": planted_server.api_key,
        "DIGICERT_BASE_URL": planted_server.services_url,
        "DIGICERT_PARTNER_API_KEY": planted_server.partner_api_key,
        "DIGICERT_PARTNER_BASE_URL": planted_server.partner_url,
    }
    values.update(env)
    return DoctorSettings.resolve({k: v for k, v in values.items() if v})


def doctor(
    planted_server: SandboxServer,
    rewrite: Rewrite | None = None,
    *,
    clock: FakeClock | None = None,
    sleep: Callable[[float], None] | None = None,
    env: dict[str, str] | None = None,
    **options: Any,
) -> Report:
    """One doctor run against ``sandbox`` (through a stand-in when ``rewrite`` is given), on a
    fake clock: pacing and retries never wait for real."""
    fake = clock or FakeClock()
    return run_doctor(
        settings_for(planted_server, **(env or {})),
        transport=StandIn(rewrite),
        clock=fake,
        sleep=sleep or fake.sleep,
        **options,
    )


def verdicts(report: Report) -> dict[str, str]:
    return {finding.check: finding.verdict.value for finding in report.findings}


@pytest.fixture(scope="module")
def planted_sandbox() -> Iterator[tuple[SandboxServer, Planted]]:
    """A sandbox account with organizations, domains and orders; the doctor never changes it.
    Rate limits are off here (many runs share it within seconds); test_rate_limits turns them on.
    """
    with running_sandbox(rate_limit=False) as server:
        yield server, plant(server)


@pytest.fixture
def planted_server(planted_sandbox: tuple[SandboxServer, Planted]) -> SandboxServer:
    return planted_sandbox[0]


@pytest.fixture
def planted(planted_sandbox: tuple[SandboxServer, Planted]) -> Planted:
    return planted_sandbox[1]
