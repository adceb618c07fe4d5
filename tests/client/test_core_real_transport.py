"""The retry classification holds for real sockets, not only for mocked exceptions.

Small loopback servers misbehave in the ways DigiCert (or a network) can: refuse the
connection, take the request and hang up, take the request and never answer.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from pulumi_digicert.client import DigiCertClient, errors
from pulumi_digicert.config import ProviderSettings

from .conftest import FakeSleep


class RawServer:
    """Accepts connections on loopback and hands each to `behaviour` in a thread."""

    def __init__(self, behaviour: Callable[[socket.socket], None]) -> None:
        self.behaviour = behaviour
        self.requests_seen = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self._sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
            except OSError:
                return
            with self._lock:
                self.requests_seen += 1
            self.behaviour(conn)

    def close(self) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(timeout=2)


def hang_up(conn: socket.socket) -> None:
    """Read the request, then close without answering (a lost response)."""


def never_answer(conn: socket.socket) -> None:
    """Read the request, then keep the connection open past the client's timeout."""
    threading.Event().wait(1.5)


@pytest.fixture
def server_factory() -> Iterator[Callable[[Callable[[socket.socket], None]], RawServer]]:
    with contextlib.ExitStack() as made:

        def factory(behaviour: Callable[[socket.socket], None]) -> RawServer:
            return made.enter_context(contextlib.closing(RawServer(behaviour)))

        yield factory


def _client(settings: ProviderSettings, port: int, sleep: FakeSleep) -> DigiCertClient:
    local = replace(
        settings,
        base_url=f"http://127.0.0.1:{port}/services/v2",
        request_timeout=0.5,
        max_retries=2,
    )
    return DigiCertClient(local, sleep=sleep, random=lambda: 0.0)


def test_refused_connection_retries_even_an_order_then_reports_not_sent(
    settings: ProviderSettings, fake_sleep: FakeSleep, free_port: int
) -> None:
    with (
        _client(settings, free_port, fake_sleep) as client,
        pytest.raises(errors.APIConnectionError) as caught,
    ):
        client.orders.order_document_signing("document_signing_org_1", {})
    assert not isinstance(caught.value, errors.OutcomeUnknownError)
    assert caught.value.request_sent is False
    assert fake_sleep.calls == [0.5, 1.0]


@pytest.mark.parametrize(
    ("behaviour", "cause"),
    [(hang_up, errors.APIConnectionError), (never_answer, errors.APITimeoutError)],
    ids=["response_lost", "timed_out_after_sending"],
)
def test_order_whose_answer_never_arrives_is_sent_once_and_reported_unknown(
    behaviour: Callable[[socket.socket], None],
    cause: type[errors.APIConnectionError],
    settings: ProviderSettings,
    fake_sleep: FakeSleep,
    server_factory: Callable[..., RawServer],
) -> None:
    server = server_factory(behaviour)
    with (
        _client(settings, server.port, fake_sleep) as client,
        pytest.raises(errors.OutcomeUnknownError) as caught,
    ):
        client.orders.order_document_signing("document_signing_org_1", {})
    assert type(caught.value.cause) is cause
    assert server.requests_seen == 1
    assert fake_sleep.calls == []


def test_read_whose_response_is_lost_is_retried(
    settings: ProviderSettings, fake_sleep: FakeSleep, server_factory: Callable[..., RawServer]
) -> None:
    server = server_factory(hang_up)
    with (
        _client(settings, server.port, fake_sleep) as client,
        pytest.raises(errors.APIConnectionError),
    ):
        client.orders.get(1)
    assert server.requests_seen == 3
    assert fake_sleep.calls == [0.5, 1.0]
