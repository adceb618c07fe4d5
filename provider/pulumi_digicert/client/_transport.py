"""One attempt's transport: reading an answer within a size cap, naming a failed attempt in
fixed words, and a deadline per attempt enforced at the socket (httpx bounds each read, not the
whole answer)."""

from __future__ import annotations

import errno
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

__all__ = [
    "MAX_RESPONSE_BYTES",
    "Answer",
    "DeadlineTransport",
    "answer_text",
    "attempt_deadline",
    "is_json_type",
    "read_capped",
    "transport_reason",
]

MAX_RESPONSE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Answer:
    """One attempt's response and its body, read up to :data:`MAX_RESPONSE_BYTES`."""

    response: httpx.Response
    body: bytes
    complete: bool
    """False when the body was larger than the cap (``body`` then holds its first part)."""


def answer_text(answer: Answer) -> str:
    return answer.body.decode(answer.response.encoding or "utf-8", errors="replace")


def is_json_type(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def read_capped(response: httpx.Response, deadline: float) -> tuple[bytes, bool]:
    """The body, stopping at :data:`MAX_RESPONSE_BYTES`; a passed deadline is a read timeout."""
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
        return b"", False
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        # The socket reads are bounded by the deadline backend; this covers other transports.
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the answer did not arrive within the request timeout")
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            chunks.append(chunk[: max(0, MAX_RESPONSE_BYTES - (size - len(chunk)))])
            return b"".join(chunks), False
        chunks.append(chunk)
    return b"".join(chunks), True


_OS_REASONS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "connection reset",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETUNREACH: "network unreachable",
    errno.ETIMEDOUT: "connection timed out",
    errno.EPIPE: "connection closed while sending",
}
_KIND_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (httpx.ConnectTimeout, "could not connect in time"),
    (httpx.PoolTimeout, "no free connection in time"),
    (httpx.ReadTimeout, "no complete answer in time"),
    (httpx.WriteTimeout, "could not send in time"),
    (httpx.RemoteProtocolError, "connection closed or broken answer"),
    (httpx.LocalProtocolError, "the request could not be sent as HTTP"),
    (httpx.ConnectError, "could not connect"),
    (httpx.ReadError, "connection lost while reading"),
    (httpx.WriteError, "connection lost while sending"),
    (httpx.ProxyError, "proxy failed"),
    (httpx.UnsupportedProtocol, "unsupported URL scheme"),
    (httpx.InvalidURL, "invalid URL"),
)


def transport_reason(exc: BaseException) -> str:
    """A few words for a failed attempt, from fixed texts only (never the exception's text)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError):
            return f"TLS failed: {current.reason}" if current.reason else "TLS failed"
        if isinstance(current, socket.gaierror):
            return "host name not found"
        if isinstance(current, OSError) and current.errno in _OS_REASONS:
            return _OS_REASONS[current.errno]
        current = current.__cause__ or current.__context__
    for kind, reason in _KIND_REASONS:
        if isinstance(exc, kind):
            return reason
    return type(exc).__name__


# -- the attempt deadline at the socket ---------------------------------------------------
#
# httpx applies its timeout to each read, so a server trickling a byte at a time holds a
# request forever. The request core sets one deadline per attempt (thread-local: the sync
# client does its I/O on the calling thread) and this network backend shortens every socket
# operation's timeout to what is left of it.

_deadline_state = threading.local()


@contextmanager
def attempt_deadline(deadline: float) -> Iterator[None]:
    previous = getattr(_deadline_state, "deadline", None)
    _deadline_state.deadline = deadline
    try:
        yield
    finally:
        _deadline_state.deadline = previous


def _bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    deadline: float | None = getattr(_deadline_state, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the request timeout passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._stream.start_tls(
                ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)
            )
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._backend.connect_tcp(
                host,
                port,
                _bounded(timeout, httpcore.ConnectTimeout),
                local_address,
                socket_options,
            )
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._backend.connect_unix_socket(
                path, _bounded(timeout, httpcore.ConnectTimeout), socket_options
            )
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's default transport over :class:`_DeadlineBackend` (environment proxies, which
    httpx mounts separately, keep the per-chunk deadline check only)."""

    def __init__(self) -> None:
        super().__init__()
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=5.0,
            network_backend=_DeadlineBackend(),
        )
