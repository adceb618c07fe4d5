"""Fixtures for the client tests: settings, a recording mock transport, a fake sleep."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
import pytest

from pulumi_digicert.client import DigiCertClient
from pulumi_digicert.client.ratelimit import reset_shared_limiters
from pulumi_digicert.config import ProviderSettings, Secret

API_KEY = "ck-0123456789abcdefSECRET"
PARTNER_KEY = "pk-partner-9876543210SECRET"
BILLING_KEY = "bk-billing-5555555555SECRET"
BASE_URL = "https://certcentral.test/services/v2"
PARTNER_URL = "https://certcentral.test/partner-subscription/api/v1"

Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class Recorder:
    """A mock transport that records every request and answers from a queue or a handler."""

    handler: Handler | None = None
    responses: list[httpx.Response | Exception] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        with self.lock:
            self.requests.append(request)
            queued = self.responses.pop(0) if self.responses else None
        if isinstance(queued, Exception):
            raise queued
        if queued is not None:
            return queued
        if self.handler is not None:
            return self.handler(request)
        return httpx.Response(204)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def body(self, index: int = -1) -> Any:
        content = self.requests[index].content
        return json.loads(content) if content else None


@dataclass
class FakeSleep:
    """Records requested sleeps instead of sleeping."""

    calls: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture(autouse=True)
def _fresh_limiters() -> Iterator[None]:
    reset_shared_limiters()
    yield
    reset_shared_limiters()


@pytest.fixture
def settings() -> ProviderSettings:
    return ProviderSettings(
        api_key=Secret(API_KEY),
        base_url=BASE_URL,
        partner_api_key=Secret(PARTNER_KEY),
        partner_base_url=PARTNER_URL,
        max_retries=4,
        request_timeout=5.0,
        rate_limit_enabled=False,
    )


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


ClientFactory = Callable[..., DigiCertClient]


@pytest.fixture
def make_client(
    settings: ProviderSettings, recorder: Recorder, fake_sleep: FakeSleep
) -> Iterator[ClientFactory]:
    with contextlib.ExitStack() as made:

        def factory(**overrides: Any) -> DigiCertClient:
            client_settings = replace(settings, **overrides.pop("settings", {}))
            kwargs: dict[str, Any] = {
                "transport": recorder.transport,
                "sleep": fake_sleep,
                "random": lambda: 0.0,
            }
            kwargs.update(overrides)
            return made.enter_context(DigiCertClient(client_settings, **kwargs))

        yield factory


@pytest.fixture
def client(make_client: ClientFactory) -> DigiCertClient:
    return make_client()


def json_response(status: int, payload: Any, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=payload, headers=headers)


def error_response(status: int, code: str, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, json={"errors": [{"code": code, "message": message}]}, headers=headers
    )
