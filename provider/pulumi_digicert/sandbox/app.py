"""The ASGI application: what every request goes through (keys, rate limits, faults, the route
table, stats, the reply), and the control API's place beside the two DigiCert APIs.

The Services API serves the route tables of the area modules listed in :data:`SERVICES`; the
Partner API those in :data:`PARTNER`. Explicit lists: a new area is added here.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import json
import logging
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import Receive, Scope, Send

from . import accounts, domains, order_lifecycle, orders, organizations, products
from .control import CONTROL_PREFIX, ControlApi, ControlGuard, new_control_token
from .errors import RATE_LIMIT_MESSAGE, ApiError, rate_limited, route_not_found, unauthorized
from .faults import CONNECTION_EXTENSION, ConnectionHandle, FaultRegistry, TrafficStats
from .routes import PARTNER_PREFIX, SERVICES_PREFIX, Call, Endpoint, Reply, Route, Router
from .state import Backend, SandboxSettings

logger = logging.getLogger("digicert_sandbox")

SERVICES: list[Endpoint] = [
    *organizations.ENDPOINTS,
    *domains.ENDPOINTS,
    *orders.ENDPOINTS,
    *order_lifecycle.ENDPOINTS,
    *accounts.ENDPOINTS,
    *products.ENDPOINTS,
]
PARTNER: list[Endpoint] = list(accounts.PARTNER_ENDPOINTS)

FAIL_CODES = {
    429: ("request_limit_exceeded", RATE_LIMIT_MESSAGE),
    500: ("internal_error", "An internal error occurred."),
    502: ("service_unavailable", "The service is temporarily unavailable."),
    503: ("service_unavailable", "The service is temporarily unavailable."),
    504: ("service_unavailable", "The service is temporarily unavailable."),
}


class SandboxApp:
    """One ASGI callable serving ``/services/v2``, ``/partner-subscription/api/v1`` and
    ``/_sandbox``.

    The control API needs ``control_token`` (a new random one when not given) and answers only
    requests addressed to a loopback name, ``bound_host`` or the address a connection came in on
    (see :class:`~pulumi_digicert.sandbox.control.ControlGuard`).
    """

    def __init__(
        self,
        backend: Backend,
        *,
        faults: FaultRegistry | None = None,
        stats: TrafficStats | None = None,
        limiter: RateLimiter | None = None,
        control_token: str | None = None,
        bound_host: str = "127.0.0.1",
    ) -> None:
        self.control_token = control_token or new_control_token()
        self.guard = ControlGuard(self.control_token, [bound_host])
        self.backend = backend
        self.faults = faults or FaultRegistry()
        self.stats = stats or TrafficStats()
        self.limiter = limiter or RateLimiter(backend.now)
        self.services = Router(SERVICES_PREFIX)
        self.services.add_endpoints(SERVICES, backend)
        self.partner = Router(PARTNER_PREFIX)
        self.partner.add_endpoints(PARTNER, backend)
        self.control = ControlApi(backend, self.faults, self.stats, self.limiter)

    def routes(self) -> list[tuple[str, str, bool]]:
        """Every route served: ``(method, path template, is_control)``."""
        return [
            (route.method, route.template, router is self.control.router)
            for router in (self.services, self.partner, self.control.router)
            for route in router.routes
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        method: str = scope["method"]
        path: str = scope["path"]
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            call = await _call(scope, receive)
            local = scope.get("server")
            local_address = str(local[0]) if local else None

            def guard(call: Call) -> None:
                self.guard.check(call, local_address)

            reply = self._run(call, self.control.router.resolve(method, path), guard)
            await _respond(send, reply, omit_null=False)
            return
        router = self._router_for(path)
        if router is None:
            await _respond(send, _error_reply(route_not_found()))
            return
        resolved = router.resolve(method, path)
        template = resolved[0].template if resolved else path
        latency, fault = self.faults.take(method, path)
        if latency:
            await asyncio.sleep(latency)
        if fault is not None and fault.kind == "maintenance":
            self.stats.record(method, template, 0)
            await _cut(scope, receive, reset=True)
            return
        if fault is not None and fault.kind == "fail":
            code, message = FAIL_CODES.get(fault.status, ("injected_fault", "Injected failure."))
            self.stats.record(method, template, fault.status)
            await _respond(send, _error_reply(ApiError(fault.status, code, message)))
            return
        call = await _call(scope, receive)
        reply = self._run(call, resolved, self._authenticate)
        if fault is not None and fault.kind == "drop_response":
            self.stats.record(method, template, 0)
            await _cut(scope, receive, reset=False)
            return
        self.stats.record(method, template, reply.status)
        await _respond(send, reply)

    def _router_for(self, path: str) -> Router | None:
        for prefix, router in ((SERVICES_PREFIX, self.services), (PARTNER_PREFIX, self.partner)):
            if path == prefix or path.startswith(prefix + "/"):
                return router
        return None

    def _authenticate(self, call: Call) -> None:
        """Resolve the key to an account and count the request against its rate limits."""
        if call.path.startswith(PARTNER_PREFIX):
            key = call.headers.get("x-partner-apikey")
            account = self.backend.partner_account_for_key(key) if key else None
            if account is None:
                raise missing_key("X-PARTNER-APIKEY")
            limiter_key = f"partner:{account['id']}"
        else:
            key = call.headers.get("x-dc-devkey")
            account = self.backend.account_for_key(key) if key else None
            if account is None:
                raise invalid_key()
            limiter_key = f"certcentral:{account['id']}"
        if not self.limiter.allow(limiter_key, self.backend.settings):
            raise rate_limited()
        call.account = account

    def _run(
        self,
        call: Call,
        resolved: tuple[Route, dict[str, str]] | None,
        authenticate: Callable[[Call], None] | None,
    ) -> Reply:
        """Authenticate (keys are checked before routes), then run the route's handler."""
        try:
            if authenticate is not None:
                authenticate(call)
            if resolved is None:
                raise route_not_found()
            route, call.params = resolved
            return route.handler(call)
        except ApiError as error:
            return _error_reply(error)
        except Exception:
            logger.exception("sandbox error on %s %s", call.method, call.path)
            return _error_reply(ApiError(500, *FAIL_CODES[500]))


def missing_key(header: str) -> ApiError:
    """The Partner API's answer to a missing or unknown key (401, seed 002)."""
    return unauthorized(f"Authentication failed: missing or invalid {header} header.")


def invalid_key() -> ApiError:
    """CertCentral's answer to an unknown or revoked key, as recorded from the live API:
    403 ``access_denied|access_denied_invalid_key``. A missing key is answered the same way
    (a guess: no recorded exchange shows it)."""
    return ApiError(
        403, "access_denied|access_denied_invalid_key", "Access denied: invalid API key."
    )


class RateLimiter:
    """CertCentral's rate limits: per API key, two rolling windows (a burst and a sustained one).

    A refused request is not counted. The windows run on the sandbox clock, so advancing the
    clock through the control API also empties them.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, list[float]] = {}

    def allow(self, key_id: str, settings: SandboxSettings) -> bool:
        """Count one request for ``key_id`` unless either window is full."""
        if not settings.rate_limit_enabled:
            return True
        with self._lock:
            now = self._clock()
            hits = self._hits.setdefault(key_id, [])
            horizon = max(settings.burst_window, settings.sustained_window)
            del hits[: bisect.bisect_right(hits, now - horizon)]
            in_burst = len(hits) - bisect.bisect_right(hits, now - settings.burst_window)
            in_sustained = len(hits) - bisect.bisect_right(hits, now - settings.sustained_window)
            if in_burst >= settings.burst_limit or in_sustained >= settings.sustained_limit:
                return False
            bisect.insort(hits, now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


def compact(value: Any) -> Any:
    """Drop None members recursively: CertCentral omits absent fields rather than sending null."""
    if isinstance(value, dict):
        return {key: compact(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [compact(item) for item in value]
    return value


def _error_reply(error: ApiError) -> Reply:
    return Reply(error.status, error.envelope())


async def _call(scope: Scope, receive: Receive) -> Call:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }
    query = dict(
        parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    )
    return Call(
        method=scope["method"],
        path=scope["path"],
        params={},
        query=query,
        body=bytes(body),
        headers=headers,
    )


async def _respond(send: Send, reply: Reply, *, omit_null: bool = True) -> None:
    """Send ``reply``; API replies omit null members, as CertCentral does."""
    if reply.payload is None:
        body = b""
        headers = [(b"content-length", b"0")]
    elif reply.media_type != "application/json":
        body = str(reply.payload).encode()
        headers = [
            (b"content-type", reply.media_type.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
    else:
        payload = compact(reply.payload) if omit_null else reply.payload
        body = json.dumps(payload).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _cut(scope: Scope, receive: Receive, *, reset: bool) -> None:
    """Close the connection without a response, then wait until the server has noticed."""
    handle = scope.get("extensions", {}).get(CONNECTION_EXTENSION)
    if not isinstance(handle, ConnectionHandle):
        raise RuntimeError("the sandbox must run with SandboxH11Protocol to drop connections")
    handle.drop(reset=reset)

    async def until_disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    with contextlib.suppress(asyncio.TimeoutError):  # the transport was aborted above
        await asyncio.wait_for(until_disconnected(), timeout=5)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
