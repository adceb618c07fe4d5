"""A hostile CertCentral: a real HTTP server on 127.0.0.1 that answers as scripted.

The sandbox answers as DigiCert documents; this server answers as a broken proxy, a half-deployed
API or a confused load balancer might: an error envelope with 200, an empty or truncated body,
``orders`` as an object, statuses in other letters, JSON nested a hundred thousand deep, a body
larger than any real answer, a body trickled one byte at a time, a connection closed without an
answer. The provider must never buy twice against it, and must say what happened.

A script is a function ``(method, path, body) -> Reply``. :class:`OrderScript` scripts the
order endpoints of one create: the alternative-id lookups in turn, the order POST and the order's
info. :data:`MALFORMED_LOOKUPS` is every lookup answer that must count as "cannot tell".
:func:`order_provider` is a provider pointed at the server, as the host would configure it.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pulumi_digicert.client import DigiCertClient
from pulumi_digicert.resources import DocumentSigningOrderProvider

__all__ = [
    "DOCUMENTED_NONE",
    "MALFORMED_LOOKUPS",
    "MALFORMED_ORDER_ANSWERS",
    "HostileServer",
    "OrderScript",
    "Reply",
    "created",
    "envelope",
    "json_reply",
    "listed",
    "order_provider",
]

_CHUNK = 64 * 1024
#: No answer is written for longer than this, whatever the script says.
_MAX_WRITE_SECONDS = 30.0


@dataclass(frozen=True)
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/json"
    declared_length: int | None = None
    """``Content-Length`` to send instead of the body's length."""
    filler: int = 0
    """Bytes of padding streamed after ``body``, without a ``Content-Length`` (a huge body)."""
    trickle: float = 0.0
    """Seconds between bytes of the body."""
    drop: bool = False
    """Close the connection without any answer."""


def json_reply(data: Any, status: int = 200) -> Reply:
    return Reply(status=status, body=json.dumps(data).encode())


def envelope(status: int, code: str, message: str) -> Reply:
    """DigiCert's error envelope."""
    return json_reply({"errors": [{"code": code, "message": message}]}, status)


DOCUMENTED_NONE = envelope(404, "not_found|order", "No order has this alternative order id.")
"""DigiCert's "no order has this alternative order id"."""

_DEEP = 200_000

MALFORMED_LOOKUPS: dict[str, Reply] = {
    "error envelope with 200": json_reply({"errors": [{"code": "internal", "message": "oops"}]}),
    "empty body": Reply(200, b""),
    "orders as an object": json_reply({"orders": {"order_id": 7, "status": "pending"}}),
    "orders null": json_reply({"orders": None, "page": {"total": 0}}),
    "orders a string": json_reply({"orders": "none"}),
    "orders missing": json_reply({"page": {"total": 0}}),
    "entry without status": json_reply({"orders": [{"order_id": 7}]}),
    "entry with a blank status": json_reply({"orders": [{"order_id": 7, "status": " "}]}),
    "entry without order_id": json_reply({"orders": [{"status": "pending"}]}),
    "entry not an object": json_reply({"orders": [7]}),
    "page total not a number": json_reply({"orders": [], "page": {"total": "many"}}),
    "a JSON list": json_reply([]),
    "a JSON string": json_reply("none"),
    "not JSON": Reply(200, b"<html>Service unavailable</html>", content_type="text/html"),
    "truncated JSON": Reply(200, b'{"orders": [{"order_id": 7, "sta'),
    "deeply nested JSON": Reply(200, b"[" * _DEEP + b"]" * _DEEP),
    "huge body": Reply(200, b'{"orders": [], "padding": "', filler=12 * 1024 * 1024),
    "huge declared length": Reply(200, b'{"orders": []}', declared_length=150 * 1024 * 1024),
    "wrong content type": Reply(200, b'{"orders": []}', content_type="text/html"),
    "no content type": Reply(200, b'{"orders": []}', content_type=None),
    "404 without envelope": Reply(404, b"<html>Not Found</html>", content_type="text/html"),
    "404 missing route": envelope(404, "not_found|route", "The specified route was not found."),
    "trickling body": Reply(200, b'{"orders": [], "page": {"total": 0}}', trickle=0.2),
    "connection closed": Reply(drop=True),
}
"""Lookup answers from which nobody can tell whether an order exists."""

MALFORMED_ORDER_ANSWERS: dict[str, Reply] = {
    "empty body": Reply(201, b""),
    "no id": json_reply({"requests": [{"id": 5, "status": "pending"}]}, 201),
    "not JSON": Reply(201, b"<html>Created</html>", content_type="text/html"),
    "truncated JSON": Reply(201, b'{"id": 9000001, "requ'),
    "deeply nested JSON": Reply(201, b"[" * _DEEP + b"]" * _DEEP),
    "wrong content type": Reply(201, b'{"id": 9000001}', content_type="text/plain"),
    "huge body": Reply(201, b'{"id": 9000001, "padding": "', filler=12 * 1024 * 1024),
    "error envelope with 201": json_reply({"errors": [{"code": "x", "message": "y"}]}, 201),
}
"""2xx answers to the order POST whose body cannot be read: the order exists all the same."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        del format, args

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        method = self.command
        self.server.owner.record(method, path, dict(self.headers))
        reply = self.server.owner.script(method, path, body)
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        if reply.content_type is not None:
            self.send_header("Content-Type", reply.content_type)
        if reply.filler:
            self.send_header("Connection", "close")
        else:
            declared = reply.declared_length
            self.send_header(
                "Content-Length", str(len(reply.body) if declared is None else declared)
            )
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        deadline = time.monotonic() + _MAX_WRITE_SECONDS
        try:
            if reply.trickle:
                for index in range(len(reply.body)):
                    if time.monotonic() > deadline or self.server.owner.stopping.is_set():
                        return
                    self.wfile.write(reply.body[index : index + 1])
                    self.wfile.flush()
                    time.sleep(reply.trickle)
                return
            self.wfile.write(reply.body)
            remaining = reply.filler
            pad = b"x" * _CHUNK
            while remaining > 0 and time.monotonic() < deadline:
                self.wfile.write(pad[: min(remaining, _CHUNK)])
                remaining -= _CHUNK
        except (BrokenPipeError, ConnectionResetError):
            return  # the client stopped reading, as it should

    do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815 - http.server's names


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: HostileServer


@dataclass
class HostileServer:
    """The server; use as a context manager. ``requests`` records ``(method, path)``."""

    script: Callable[[str, str, bytes], Reply]
    requests: list[tuple[str, str]] = field(default_factory=list)
    headers_seen: list[dict[str, str]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    _server: _Server | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, method: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((method, path))
            self.headers_seen.append(headers)

    def count(self, method: str, path_prefix: str) -> int:
        """Requests seen with ``method`` whose path (under the base path) starts so."""
        with self._lock:
            return sum(
                1
                for m, p in self.requests
                if m == method and p.removeprefix("/services/v2").startswith(path_prefix)
            )

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The Services API base URL to configure (``digicert:baseUrl``)."""
        return f"http://127.0.0.1:{self.port}/services/v2"

    def start(self) -> HostileServer:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.owner = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


_ORDER_INFO = re.compile(r"/order/certificate/(\d+)$")


@dataclass
class OrderScript:
    """The order endpoints of one create.

    ``lookups`` answer ``GET /order/alternate/{id}`` in turn (the last one repeats); ``order``
    answers ``POST /order/certificate/{product}`` (a list: in turn, the last repeats); order
    info (``GET /order/certificate/{id}``) describes an order of ``product`` for
    ``organization_id`` in ``status``. Anything else is a missing route.
    """

    lookups: Sequence[Reply]
    order: Sequence[Reply]
    product: str = "document_signing_org_1"
    organization_id: int = 1
    status: str = "needs_approval"
    _lookups_seen: int = 0
    _orders_seen: int = 0

    def __call__(self, method: str, path: str, body: bytes) -> Reply:
        del body
        path = path.removeprefix("/services/v2")
        if method == "GET" and path.startswith("/order/alternate/"):
            reply = self.lookups[min(self._lookups_seen, len(self.lookups) - 1)]
            self._lookups_seen += 1
            return reply
        if method == "POST" and path.startswith("/order/certificate/"):
            reply = self.order[min(self._orders_seen, len(self.order) - 1)]
            self._orders_seen += 1
            return reply
        match = _ORDER_INFO.match(path)
        if method == "GET" and match:
            return json_reply(self.info(int(match.group(1))))
        return envelope(404, "not_found|route", "The specified route was not found.")

    def info(self, order_id: int) -> Mapping[str, Any]:
        return {
            "id": order_id,
            "status": self.status,
            "product": {"name_id": self.product},
            "organization": {"id": self.organization_id},
            "requests": [{"id": order_id + 1, "status": "pending"}],
        }


def listed(*orders: tuple[int, str | None]) -> Reply:
    """A well-formed lookup answer listing ``(order_id, status)`` pairs (``None``: no status)."""
    entries = [
        {"order_id": order_id, **({} if status is None else {"status": status})}
        for order_id, status in orders
    ]
    return json_reply({"orders": entries, "page": {"total": len(entries)}})


def created(order_id: int) -> Reply:
    """A well-formed answer to the order POST."""
    return json_reply(
        {"id": order_id, "requests": [{"id": order_id + 1, "status": "pending"}]}, 201
    )


def order_provider(server: HostileServer, api_key: str) -> DocumentSigningOrderProvider:
    """A DocumentSigningOrder provider configured against ``server`` from stack config, as the
    host configures one: no client-side rate limit, no retry, a 1 s timeout, and its waits
    between lookups skipped (the waits are all that differs from a run through the host)."""
    from pulumi.dynamic import ConfigureRequest
    from pulumi.dynamic.config import Config

    provider = DocumentSigningOrderProvider()
    config = {
        "digicert:apiKey": api_key,
        "digicert:baseUrl": server.url,
        "digicert:rateLimit": "off",
        "digicert:maxRetries": "0",
        "digicert:requestTimeout": "1",
    }
    provider.configure(ConfigureRequest(Config(config, "hostile")))
    provider.sleep = _no_wait
    # The lookups after a lost answer wait by the client's retry policy.
    provider.use_client(DigiCertClient(provider.settings, sleep=_no_wait))
    return provider


def _no_wait(seconds: float) -> None:
    del seconds
