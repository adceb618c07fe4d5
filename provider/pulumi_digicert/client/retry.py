"""Retry policy of the request core.

What is retried depends on whether repeating the request could apply it twice.

* **Idempotent requests** are GET, PUT and DELETE (except the PUTs the API areas mark as not
  idempotent, such as revoke, which opens a new request object each time).
* **Creating requests** are the POSTs: order a certificate, create an organization, add a
  domain, new DCV token, submit an organization or domain for validation.

| failure                                              | idempotent | creating               |
|------------------------------------------------------|------------|------------------------|
| ``httpx.ConnectError`` (refused, DNS, TLS handshake) | retry      | retry (never sent)     |
| ``httpx.ConnectTimeout``, ``httpx.PoolTimeout``      | retry      | retry (never sent)     |
| ``httpx.ReadTimeout``, ``httpx.WriteTimeout``        | retry      | OutcomeUnknownError    |
| connection dropped (``ReadError``, ``WriteError``,   | retry      | OutcomeUnknownError    |
| ``RemoteProtocolError``, ``CloseError``)             |            |                        |
| 429 ``request_limit_exceeded``                       | retry      | retry (refused unseen) |
| 500, 502, 503, 504                                   | retry      | OutcomeUnknownError    |
| any other 5xx                                        | raise      | OutcomeUnknownError    |
| any other 4xx                                        | raise      | raise                  |
| other transport errors (bad URL, proxy, protocol)    | raise      | raise                  |

A request is retried at most ``max_retries`` times (``digicert:maxRetries``, default 4), so it is
attempted at most ``max_retries + 1`` times. When retries run out the last error is raised
(``RateLimitError``, ``ServerError``, ``APIConnectionError``, ``APITimeoutError``).
``OutcomeUnknownError`` is raised at once, never after a retry: the caller must look the object
up (orders: by ``alternative_order_id``) before trying again.

Delay before retry ``n`` (``n`` = retries already taken, from 0):

* ``Retry-After`` present (seconds or an HTTP date): exactly that, capped at
  ``retry_after_cap`` (60 s); a date in the past means 0.
* 429 without ``Retry-After`` (DigiCert sends none): ``rate_limit_floor`` (5 s, DigiCert's
  burst window) plus the backoff below, so the burst window has cleared before the retry.
* otherwise the backoff: ``min(initial_delay * 2**n, max_delay) * jitter`` with
  ``initial_delay`` 0.5 s, ``max_delay`` 8 s and ``jitter`` in ``(0.75, 1]``
  (``1 - 0.25 * random()``): 0.5, 1, 2, 4, 8 s before jitter.

Jitter lives in one method (:meth:`RetryPolicy.jitter`) and ``random`` is injectable, so tests
fix the delays exactly. Sleeping is the request core's job (with its injectable ``sleep``).

**Looking an object up after an unknown outcome.** After ``OutcomeUnknownError`` the caller
looks the object up (:meth:`RequestCore.find_after_unknown_outcome
<pulumi_digicert.client._core.RequestCore.find_after_unknown_outcome>`); that lookup decides
whether the creating request may be sent again, so it is asked until it answers:

| the lookup raised                                   | decision                           |
|-----------------------------------------------------|------------------------------------|
| ``APIConnectionError``, ``ServerError``,            | ask again, at most                 |
| ``RateLimitError`` (its own retries ran out)        | ``lookup_attempts`` (4) times,     |
| ``InvalidResponseError`` (never read as "none")     | after 1, 2, 4 s (doubling, 30 s cap)|
| anything else                                       | raise                              |

When no attempt answers, the last error is raised: nobody knows whether the object exists, and
the caller must not create it again. When the creating request was *accepted* (a 2xx whose body
could not be read) the object exists even if the lookup does not list it yet (an index may lag):
a lookup that finds nothing is asked again after ``accepted_lookup_delays`` (1, 2, 4 s).
"""

from __future__ import annotations

import email.utils
import enum
import random as _random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from pulumi_digicert._exceptions import (
    APIConnectionError,
    DigiCertError,
    InvalidResponseError,
    RateLimitError,
    ServerError,
)

__all__ = [
    "DEFAULT_ACCEPTED_LOOKUP_DELAYS",
    "DEFAULT_INITIAL_DELAY",
    "DEFAULT_LOOKUP_ATTEMPTS",
    "DEFAULT_MAX_DELAY",
    "DEFAULT_RATE_LIMIT_FLOOR",
    "DEFAULT_RETRY_AFTER_CAP",
    "RETRYABLE_STATUSES",
    "Decision",
    "RetryPolicy",
]

DEFAULT_INITIAL_DELAY = 0.5
DEFAULT_MAX_DELAY = 8.0
DEFAULT_RETRY_AFTER_CAP = 60.0
DEFAULT_RATE_LIMIT_FLOOR = 5.0
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_LOOKUP_ATTEMPTS = 4
DEFAULT_LOOKUP_FIRST_DELAY = 1.0
DEFAULT_LOOKUP_MAX_DELAY = 30.0
DEFAULT_ACCEPTED_LOOKUP_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0)

# Lookup failures that say nothing about whether the object exists: ask again.
_LOOKUP_UNANSWERED: tuple[type[DigiCertError], ...] = (
    APIConnectionError,
    ServerError,
    RateLimitError,
    InvalidResponseError,
)

# Transport failures that prove the request never reached the server.
_NEVER_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
# Transport failures after which the request may have been received.
_MAYBE_SENT: tuple[type[Exception], ...] = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.CloseError,
    httpx.RemoteProtocolError,
)


class Decision(enum.Enum):
    """What the request core does with a failed attempt."""

    RETRY = "retry"
    """Sleep for :meth:`RetryPolicy.delay`, then send again (if retries remain)."""
    RAISE = "raise"
    """Raise the mapped error now."""
    OUTCOME_UNKNOWN = "outcome_unknown"
    """Raise ``OutcomeUnknownError`` now: the request may have been applied."""


def _header(headers: Mapping[str, str] | httpx.Headers, name: str) -> str | None:
    if isinstance(headers, httpx.Headers):
        value: str | None = headers.get(name)
        return value
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _system_random() -> float:
    return _random.random()  # noqa: S311 - jitter, not cryptography


@dataclass(frozen=True)
class RetryPolicy:
    """The retry table and delays above, as code."""

    max_retries: int = 4
    initial_delay: float = DEFAULT_INITIAL_DELAY
    max_delay: float = DEFAULT_MAX_DELAY
    retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP
    rate_limit_floor: float = DEFAULT_RATE_LIMIT_FLOOR
    random: Callable[[], float] = field(default=_system_random, repr=False)
    now: Callable[[], float] = field(default=time.time, repr=False)
    """Wall clock (epoch seconds), used to turn an HTTP-date ``Retry-After`` into a delay."""
    lookup_attempts: int = DEFAULT_LOOKUP_ATTEMPTS
    """How many times a lookup after an unknown outcome is asked before its error is raised."""
    lookup_first_delay: float = DEFAULT_LOOKUP_FIRST_DELAY
    lookup_max_delay: float = DEFAULT_LOOKUP_MAX_DELAY
    accepted_lookup_delays: tuple[float, ...] = DEFAULT_ACCEPTED_LOOKUP_DELAYS
    """Waits before looking again for an accepted object the lookup does not list yet."""

    def decide_transport_error(self, exc: Exception, *, creating: bool) -> Decision:
        """Decision for an attempt that got no HTTP response."""
        if isinstance(exc, _NEVER_SENT):
            return Decision.RETRY
        if isinstance(exc, _MAYBE_SENT):
            return Decision.OUTCOME_UNKNOWN if creating else Decision.RETRY
        return Decision.RAISE

    def decide_status(self, status: int, *, creating: bool) -> Decision:
        """Decision for an attempt answered with a non-2xx ``status``."""
        if status == 429:
            return Decision.RETRY
        if status >= 500:
            if creating:
                return Decision.OUTCOME_UNKNOWN
            return Decision.RETRY if status in RETRYABLE_STATUSES else Decision.RAISE
        return Decision.RAISE

    def jitter(self, delay: float) -> float:
        """Spread ``delay`` over ``(0.75 * delay, delay]``; the only source of randomness."""
        return delay * (1.0 - 0.25 * self.random())

    def backoff(self, retries_taken: int) -> float:
        """Capped exponential backoff with jitter for retry number ``retries_taken`` (from 0)."""
        base = min(self.initial_delay * (2.0**retries_taken), self.max_delay)
        return self.jitter(base)

    def retry_after(self, headers: Mapping[str, str] | httpx.Headers | None) -> float | None:
        """Seconds asked for by ``Retry-After`` (capped), or ``None`` when absent/unreadable."""
        if not headers:
            return None
        value = _header(headers, "retry-after")
        if value is None:
            return None
        value = value.strip()
        seconds: float | None
        try:
            seconds = float(value)
        except ValueError:
            seconds = None
            try:
                parsed = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
            if parsed.tzinfo is None:
                return None
            seconds = parsed.timestamp() - self.now()
        if seconds != seconds:  # NaN
            return None
        return min(max(seconds, 0.0), self.retry_after_cap)

    def delay(
        self,
        retries_taken: int,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | httpx.Headers | None = None,
    ) -> float:
        """Seconds to wait before retry number ``retries_taken`` (from 0)."""
        requested = self.retry_after(headers)
        if requested is not None:
            return requested
        if status == 429:
            return self.rate_limit_floor + self.backoff(retries_taken)
        return self.backoff(retries_taken)

    def decide_lookup(self, exc: DigiCertError, *, attempts_made: int) -> Decision:
        """Decision for a lookup after an unknown outcome that raised ``exc`` on its
        ``attempts_made``-th attempt (from 1)."""
        if isinstance(exc, _LOOKUP_UNANSWERED) and attempts_made < self.lookup_attempts:
            return Decision.RETRY
        return Decision.RAISE

    def lookup_delay(self, attempts_made: int) -> float:
        """Seconds to wait before asking a lookup again after ``attempts_made`` attempts."""
        return min(self.lookup_first_delay * (2.0 ** (attempts_made - 1)), self.lookup_max_delay)
