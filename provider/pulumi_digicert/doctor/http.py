"""The doctor's HTTP layer: GET only, a request budget, and pacing well under DigiCert's limits.

It is separate from :mod:`pulumi_digicert.client` on purpose: the doctor checks what the client
assumes, so it must not share the client's code (or its bugs).

Two guards refuse every method but GET, and both sit below anything a caller can reach: an httpx
request hook, which runs for every request the ``httpx.Client`` sends whatever transport would
carry it, and :class:`GetOnlyTransport`, which wraps the transport itself. ``ReadOnlyHttp`` only
offers ``get``; the guards make a ``POST`` impossible even through its ``client`` attribute.

DigiCert allows 100 requests per 5 seconds and 1000 per 3 minutes per key (API.md F4). The
doctor sends at most :data:`DEFAULT_PACE` (a fifth of the burst limit, so other users of the
key keep room) and at most ``--max-requests`` in all, far below the 3-minute limit.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from pulumi_digicert._version import __version__
from pulumi_digicert.config import Secret

__all__ = [
    "ALLOWED_METHOD",
    "DEFAULT_BUDGET",
    "DEFAULT_PACE",
    "Answer",
    "Budget",
    "BudgetSpentError",
    "GetOnlyTransport",
    "Pacer",
    "ReadOnlyHttp",
    "Traffic",
    "WriteRefusedError",
    "refuse_unless_get",
    "segment",
]

ALLOWED_METHOD = "GET"
#: Requests one run may send (retries included).
DEFAULT_BUDGET = 60
#: At most this many requests per this many seconds.
DEFAULT_PACE = (20, 5.0)
#: DigiCert sends no Retry-After on 429 (API.md F4): wait out the 5-second burst window.
RATE_LIMIT_WAIT = 5.0
#: Longest Retry-After honoured.
MAX_RETRY_AFTER = 60.0
#: Pause before the one retry of a request that got no answer or a 5xx.
RETRY_WAIT = 1.0


class WriteRefusedError(RuntimeError):
    """A request with a method other than GET reached the doctor's HTTP layer."""

    def __init__(self, method: str) -> None:
        super().__init__(
            f"digicert-doctor only reads: it refused to send a {method} request (only GET is sent)"
        )
        self.method = method


class BudgetSpentError(RuntimeError):
    """The run's request budget is used up."""


def refuse_unless_get(request: httpx.Request) -> None:
    """Raise :class:`WriteRefusedError` for any request whose method is not GET."""
    if request.method != ALLOWED_METHOD:
        raise WriteRefusedError(request.method)


class GetOnlyTransport(httpx.BaseTransport):
    """Wraps a transport and refuses every request that is not a GET before it is sent.

    ``traffic``, when given, counts what actually went out, by method.
    """

    def __init__(self, inner: httpx.BaseTransport, traffic: Traffic | None = None) -> None:
        self._inner = inner
        self._traffic = traffic

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        refuse_unless_get(request)
        if self._traffic is not None:
            self._traffic.requests += 1
            self._traffic.methods.add(request.method)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def segment(value: str) -> str:
    """``value`` quoted as one path segment (nothing in it can add a path or a query)."""
    return quote(value, safe="")


class Budget:
    """How many requests the run may still send; shared by the Services and Partner layers."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    @property
    def remaining(self) -> int:
        return self.limit - self.used

    def take(self) -> None:
        if self.used >= self.limit:
            raise BudgetSpentError(f"the request budget ({self.limit}) is spent")
        self.used += 1


class Pacer:
    """At most ``limit`` requests in any ``window`` seconds (a rolling window, like DigiCert's)."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()

    def wait(self) -> None:
        """Block until one more request fits in the window, then count it."""
        while True:
            now = self._clock()
            while self._sent and self._sent[0] <= now - self.window:
                self._sent.popleft()
            if len(self._sent) < self.limit:
                self._sent.append(now)
                return
            self._sleep(self._sent[0] + self.window - now)


@dataclass
class Traffic:
    """What the run sent and what came back, for the report (counts only)."""

    requests: int = 0
    methods: set[str] = field(default_factory=set)
    rate_limited: int = 0
    retry_after_seen: int = 0
    rate_limit_codes: list[str] = field(default_factory=list)
    no_answer: int = 0


@dataclass
class Answer:
    """One GET's outcome. ``status`` is 0 when no HTTP answer came back."""

    status: int
    data: Any = None
    codes: tuple[str, ...] = ()
    problem: str | None = None
    """``timeout``, ``connection``, ``redirect`` or ``not json``; None when the body was read."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and self.problem is None

    @property
    def answered(self) -> bool:
        """Whether DigiCert gave a real answer (not a timeout, lost connection or 5xx)."""
        return self.status != 0 and self.status < 500


def _error_codes(data: Any) -> tuple[str, ...]:
    """``errors[].code`` from either envelope shape (an array, or one object; API.md F3)."""
    if not isinstance(data, Mapping):
        return ()
    errors = data.get("errors")
    entries = errors if isinstance(errors, list) else [errors]
    return tuple(
        entry["code"]
        for entry in entries
        if isinstance(entry, Mapping) and isinstance(entry.get("code"), str)
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, min(float(value), MAX_RETRY_AFTER))
    except ValueError:
        return RATE_LIMIT_WAIT


class ReadOnlyHttp:
    """GET requests to one base URL with one key header; nothing else can be sent."""

    def __init__(
        self,
        base_url: str,
        *,
        key_header: str,
        key: Secret,
        timeout: float,
        budget: Budget,
        pacer: Pacer,
        traffic: Traffic,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._budget = budget
        self._pacer = pacer
        self._traffic = traffic
        self._sleep = sleep
        self._last_retry_after: float | None = None
        inner = transport if transport is not None else httpx.HTTPTransport(retries=0)
        self.client = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            transport=GetOnlyTransport(inner, traffic),
            event_hooks={"request": [refuse_unless_get]},
            # No redirects: a redirect would carry the key header to another address.
            follow_redirects=False,
            # No .netrc credentials or proxies from the environment.
            trust_env=False,
            timeout=timeout,
            headers={
                key_header: key.get(),
                "Content-Type": "application/json",
                "User-Agent": f"pulumi-digicert-doctor/{__version__}",
            },
        )

    @property
    def traffic(self) -> Traffic:
        return self._traffic

    def close(self) -> None:
        self.client.close()

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Answer:
        """GET ``path`` (relative to the base URL). Retries once after a 429, a 5xx or no
        answer, if the budget allows; raises :class:`BudgetSpentError` before a first attempt that
        does not fit."""
        answer = self._attempt(path, params)
        if answer.status == 429 or not answer.answered:
            if self._budget.remaining <= 0:
                return answer
            wait = RATE_LIMIT_WAIT if answer.status == 429 else RETRY_WAIT
            if answer.status == 429 and self._last_retry_after is not None:
                wait = max(wait, self._last_retry_after)
            self._sleep(wait)
            answer = self._attempt(path, params)
        return answer

    def _attempt(self, path: str, params: Mapping[str, str | int] | None) -> Answer:
        self._budget.take()
        self._pacer.wait()
        self._last_retry_after = None
        try:
            response = self.client.get(path.lstrip("/"), params=dict(params or {}))
        except httpx.TimeoutException:
            self._traffic.no_answer += 1
            return Answer(0, problem="timeout")
        except httpx.TransportError:
            self._traffic.no_answer += 1
            return Answer(0, problem="connection")
        return self._read(response)

    def _read(self, response: httpx.Response) -> Answer:
        status = response.status_code
        if 300 <= status < 400:
            return Answer(status, problem="redirect")
        data: Any = None
        problem = None
        if response.content:
            try:
                data = response.json()
            except ValueError:
                problem = "not json"
        codes = _error_codes(data) if status >= 400 else ()
        if status == 429:
            self._traffic.rate_limited += 1
            self._traffic.rate_limit_codes.extend(codes)
            self._last_retry_after = _retry_after(response)
            if "retry-after" in response.headers:
                self._traffic.retry_after_seen += 1
        return Answer(status, data, codes, problem if status < 400 else None)
