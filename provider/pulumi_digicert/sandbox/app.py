"""The ASGI application: API routing with keys and rate limits, faults, stats, control API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from urllib.parse import parse_qsl

from starlette.types import Receive, Scope, Send

from .backend import Backend
from .control import CONTROL_PREFIX, ControlApi, ControlGuard, new_control_token
from .errors import RATE_LIMIT_MESSAGE, ApiError, rate_limited, route_not_found
from .faults import CONNECTION_EXTENSION, ConnectionHandle, FaultRegistry, TrafficStats
from .ratelimit import RateLimiter
from .routing import Call, Reply, Route, Router
from .services import (
    PARTNER_PREFIX,
    SERVICES_PREFIX,
    PartnerApi,
    ServicesApi,
    invalid_key,
    missing_key,
)
from .values import compact

logger = logging.getLogger("digicert_sandbox")

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
        self.services = ServicesApi(backend)
        self.partner = PartnerApi(backend)
        self.control = ControlApi(backend, self.faults, self.stats, self.limiter)

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
        for prefix, router in (
            (SERVICES_PREFIX, self.services.router),
            (PARTNER_PREFIX, self.partner.router),
        ):
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
