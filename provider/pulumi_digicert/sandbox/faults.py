"""Fault injection, traffic counters and the connection handle that makes lost responses real.

``drop_response`` and ``maintenance`` must look like network failures to a client, not like an
HTTP error: the server has to close the TCP connection without writing a response. An ASGI app
cannot reach the socket, so :class:`SandboxH11Protocol` (uvicorn's h11 protocol, extended) puts a
:class:`ConnectionHandle` for the current connection into each request's ASGI scope under
``scope["extensions"]["digicert.sandbox.connection"]``.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

CONNECTION_EXTENSION = "digicert.sandbox.connection"
FAULT_KINDS = ("drop_response", "fail", "latency", "maintenance")
MAX_FAULT_SECONDS = 3600.0
MAX_FAULT_COUNT = 10**9
MAX_PATH_REGEX_LENGTH = 500


class ConnectionHandle:
    """Cuts one client connection without an HTTP response."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport

    def drop(self, *, reset: bool = False) -> None:
        """Close now, discarding anything unsent; ``reset`` sends a TCP RST instead of a FIN."""
        if reset:
            sock = self._transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._transport.abort()


class SandboxH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, handing each request a :class:`ConnectionHandle`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # Headers and body leave in separate writes: without this, Nagle's algorithm and
            # the client's delayed ACK hold every response back ~40 ms.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_events(self) -> None:
        previous_scope = self.scope
        super().handle_events()
        # A new request creates a new scope; its ASGI task has been scheduled but not started.
        if self.scope is not None and self.scope is not previous_scope:
            extensions: dict[str, Any] = dict(self.scope.get("extensions") or {})
            extensions[CONNECTION_EXTENSION] = ConnectionHandle(self.transport)
            self.scope["extensions"] = extensions


class FaultSpecError(ValueError):
    """A fault description the control API cannot accept."""


@dataclass
class Fault:
    id: int
    kind: str
    method: str | None
    path_regex: str | None
    count: int | None
    probability: float
    status: int
    seconds: float
    until: float | None  # maintenance only: time.monotonic() deadline
    skip: int = 0  # matching requests still to let through before the fault starts

    def describe(self) -> dict[str, Any]:
        # The monotonic deadline means nothing outside this process: the seconds left instead.
        fields = asdict(self)
        del fields["until"]
        return {
            **fields,
            "remaining_seconds": (
                max(0.0, self.until - time.monotonic()) if self.until is not None else None
            ),
        }

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        return self.path_regex is None or re.search(self.path_regex, path) is not None


class FaultRegistry:
    """Faults waiting to hit API requests (never the control API).

    ``count`` is how many requests a fault hits (default 1 for drop_response and fail, unlimited
    for latency); maintenance lasts ``seconds`` of real time. ``skip`` lets that many matching
    requests through first (e.g. a lookup that works, then the ones after an order fail).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._next_id = 1
        self._random = random.Random()  # noqa: S311 - fault sampling, not security

    def add(self, spec: Mapping[str, Any]) -> Fault:
        allowed = {
            "kind",
            "method",
            "path_regex",
            "count",
            "probability",
            "status",
            "seconds",
            "skip",
        }
        unknown = sorted(set(spec) - allowed)
        if unknown:
            raise FaultSpecError(f"unknown fault fields: {', '.join(unknown)}")
        kind = spec.get("kind")
        if kind not in FAULT_KINDS:
            raise FaultSpecError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        method = spec.get("method")
        if method is not None and not (isinstance(method, str) and method.isascii()):
            raise FaultSpecError("method must be an HTTP method name")
        path_regex = spec.get("path_regex")
        if path_regex is not None:
            if not isinstance(path_regex, str) or len(path_regex) > MAX_PATH_REGEX_LENGTH:
                raise FaultSpecError(
                    f"path_regex must be a regular expression of at most "
                    f"{MAX_PATH_REGEX_LENGTH} characters"
                )
            try:
                re.compile(path_regex)
            except re.error as exc:
                raise FaultSpecError(f"path_regex is not a regular expression: {exc}") from None
            except (RecursionError, OverflowError):
                raise FaultSpecError("path_regex is too complex") from None
        count = spec.get("count", None if kind in ("latency", "maintenance") else 1)
        if count is not None and not _whole(count, 1, MAX_FAULT_COUNT):
            raise FaultSpecError(f"count must be an integer from 1 to {MAX_FAULT_COUNT}")
        probability = _number(spec.get("probability", 1.0), "probability")
        if not 0.0 <= probability <= 1.0:
            raise FaultSpecError("probability must be between 0 and 1")
        status = spec.get("status", 503)
        if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
            raise FaultSpecError("status must be an HTTP error status (400-599)")
        seconds = _number(spec.get("seconds", 0.0), "seconds")
        if not 0 <= seconds <= MAX_FAULT_SECONDS:
            raise FaultSpecError(f"seconds must be from 0 to {MAX_FAULT_SECONDS:g}")
        if kind in ("latency", "maintenance") and seconds <= 0:
            raise FaultSpecError(f"{kind} needs seconds > 0")
        skip = spec.get("skip", 0)
        if not _whole(skip, 0, MAX_FAULT_COUNT):
            raise FaultSpecError(f"skip must be an integer from 0 to {MAX_FAULT_COUNT}")
        with self._lock:
            fault = Fault(
                id=self._next_id,
                kind=kind,
                method=method.upper() if method else None,
                path_regex=path_regex,
                count=count,
                probability=probability,
                status=status,
                seconds=seconds,
                until=time.monotonic() + seconds if kind == "maintenance" else None,
                skip=skip,
            )
            self._next_id += 1
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def seed(self, value: int) -> None:
        """Make probability sampling repeatable (campaigns report their seed)."""
        with self._lock:
            self._random.seed(value)

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            self._expire()
            return [fault.describe() for fault in self._faults]

    def take(self, method: str, path: str) -> tuple[float, Fault | None]:
        """Seconds of latency to add, and the fault (if any) that decides this request."""
        latency = 0.0
        decisive: Fault | None = None
        with self._lock:
            self._expire()
            for fault in list(self._faults):
                if fault.kind != "latency" and decisive is not None:
                    continue
                if not fault.matches(method, path):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                if self._random.random() >= fault.probability:
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                if fault.kind == "latency":
                    latency += fault.seconds
                else:
                    decisive = fault
        return latency, decisive

    def _expire(self) -> None:
        now = time.monotonic()
        self._faults = [f for f in self._faults if f.until is None or f.until > now]


def _number(value: Any, name: str) -> float:
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or not math.isfinite(value)
        or abs(value) > MAX_FAULT_COUNT
    ):
        raise FaultSpecError(f"{name} must be a number")
    return float(value)


def _whole(value: Any, minimum: int, maximum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum


class TrafficStats:
    """Requests seen on the API (not the control API) by method, route template and status.

    A request that got no HTTP response (drop_response, maintenance) is counted with status 0.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str, int]] = Counter()

    def record(self, method: str, path_template: str, status: int) -> None:
        with self._lock:
            self._counts[(method, path_template, status)] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            rows = [
                {"method": method, "path_template": template, "status": status, "count": count}
                for (method, template, status), count in sorted(self._counts.items())
            ]
        return {"requests": rows, "total": sum(row["count"] for row in rows)}

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
