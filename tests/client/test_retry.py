"""The retry policy as a table: decisions and delays (jitter made deterministic)."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from pulumi_digicert.client import errors
from pulumi_digicert.client.retry import Decision, RetryPolicy

RETRY, RAISE, UNKNOWN = Decision.RETRY, Decision.RAISE, Decision.OUTCOME_UNKNOWN
_request = httpx.Request("POST", "https://certcentral.test/services/v2/order/certificate/x")


@pytest.mark.parametrize(
    ("failure", "idempotent", "creating"),
    [
        (httpx.ConnectError("refused", request=_request), RETRY, RETRY),
        (httpx.ConnectTimeout("connect", request=_request), RETRY, RETRY),
        (httpx.PoolTimeout("pool", request=_request), RETRY, RETRY),
        (httpx.ReadTimeout("read", request=_request), RETRY, UNKNOWN),
        (httpx.WriteTimeout("write", request=_request), RETRY, UNKNOWN),
        (httpx.ReadError("reset", request=_request), RETRY, UNKNOWN),
        (httpx.WriteError("broken pipe", request=_request), RETRY, UNKNOWN),
        (httpx.CloseError("close", request=_request), RETRY, UNKNOWN),
        (httpx.RemoteProtocolError("disconnected", request=_request), RETRY, UNKNOWN),
        (httpx.UnsupportedProtocol("ftp", request=_request), RAISE, RAISE),
        (httpx.LocalProtocolError("bad header", request=_request), RAISE, RAISE),
        (httpx.ProxyError("proxy", request=_request), RAISE, RAISE),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_transport_failure_decisions(
    failure: Exception, idempotent: Decision, creating: Decision
) -> None:
    policy = RetryPolicy()
    assert policy.decide_transport_error(failure, creating=False) is idempotent
    assert policy.decide_transport_error(failure, creating=True) is creating


@pytest.mark.parametrize(
    ("status", "idempotent", "creating"),
    [
        (400, RAISE, RAISE),
        (401, RAISE, RAISE),
        (403, RAISE, RAISE),
        (404, RAISE, RAISE),
        (409, RAISE, RAISE),
        (429, RETRY, RETRY),
        (500, RETRY, UNKNOWN),
        (501, RAISE, UNKNOWN),
        (502, RETRY, UNKNOWN),
        (503, RETRY, UNKNOWN),
        (504, RETRY, UNKNOWN),
    ],
)
def test_status_decisions(status: int, idempotent: Decision, creating: Decision) -> None:
    policy = RetryPolicy()
    assert policy.decide_status(status, creating=False) is idempotent
    assert policy.decide_status(status, creating=True) is creating


@pytest.mark.parametrize(
    ("random_value", "expected"),
    [
        (0.0, [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]),
        (1.0, [0.375, 0.75, 1.5, 3.0, 6.0, 6.0, 6.0]),
        (0.5, [0.4375, 0.875, 1.75, 3.5, 7.0, 7.0, 7.0]),
    ],
)
def test_backoff_doubles_from_half_a_second_to_an_eight_second_cap_with_jitter(
    random_value: float, expected: list[float]
) -> None:
    policy = RetryPolicy(random=lambda: random_value)
    assert [policy.delay(n) for n in range(7)] == expected


def test_jitter_stays_within_three_quarters_and_all_of_the_delay() -> None:
    for random_value in (0.0, 0.1, 0.99999):
        jittered = RetryPolicy(random=lambda r=random_value: r).jitter(4.0)
        assert 3.0 < jittered <= 4.0


@pytest.mark.parametrize(
    ("random_value", "expected"),
    [
        (0.0, [5.5, 6.0, 7.0, 9.0, 13.0]),
        (1.0, [5.375, 5.75, 6.5, 8.0, 11.0]),
    ],
)
def test_429_without_retry_after_waits_past_the_five_second_burst_window(
    random_value: float, expected: list[float]
) -> None:
    policy = RetryPolicy(random=lambda: random_value)
    delays = [policy.delay(n, status=429, headers={}) for n in range(5)]
    assert delays == expected
    assert all(delay >= 5.0 for delay in delays)


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        ("0", 0.0),
        ("3", 3.0),
        ("2.5", 2.5),
        ("60", 60.0),
        ("600", 60.0),  # capped
        ("-4", 0.0),
        ("soon", None),  # unreadable: falls back
        ("nan", None),
    ],
)
def test_retry_after_seconds_are_honoured_up_to_the_cap(
    retry_after: str, expected: float | None
) -> None:
    policy = RetryPolicy(random=lambda: 0.0)
    assert policy.retry_after({"retry-after": retry_after}) == expected


def test_retry_after_http_date_is_turned_into_seconds() -> None:
    now = 1_800_000_000.0
    policy = RetryPolicy(random=lambda: 0.0, now=lambda: now)
    in_twelve = email.utils.formatdate(now + 12, usegmt=True)
    in_an_hour = email.utils.formatdate(now + 3600, usegmt=True)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert policy.retry_after({"Retry-After": in_twelve}) == 12.0
    assert policy.retry_after({"Retry-After": in_an_hour}) == 60.0
    assert policy.retry_after({"Retry-After": past}) == 0.0


def test_retry_after_wins_over_backoff_and_the_429_floor() -> None:
    policy = RetryPolicy(random=lambda: 0.0)
    assert policy.delay(3, status=429, headers={"Retry-After": "1"}) == 1.0
    assert policy.delay(0, status=503, headers={"Retry-After": "20"}) == 20.0
    assert policy.delay(0, status=503, headers={}) == 0.5


# --- looking an object up after an unknown outcome ---------------------------------------------


def _error(cls: type[errors.DigiCertError]) -> errors.DigiCertError:
    if issubclass(cls, errors.OutcomeUnknownError):
        return cls(errors.ServerError("lost", status=503))
    if issubclass(cls, errors.ConfigError):
        return cls("bad setting")
    return cls("failed")


# Every error of the tree: only those that say nothing about whether the object exists are
# asked again (the lookup's own retries ran out, or its answer could not be read).
LOOKUP_DECISIONS: dict[type[errors.DigiCertError], Decision] = {
    errors.APIConnectionError: RETRY,
    errors.APITimeoutError: RETRY,
    errors.ServerError: RETRY,
    errors.RateLimitError: RETRY,
    errors.InvalidResponseError: RETRY,
    errors.APIStatusError: RAISE,
    errors.BadRequestError: RAISE,
    errors.AlternativeOrderIdTakenError: RAISE,
    errors.AuthenticationError: RAISE,
    errors.PermissionDeniedError: RAISE,
    errors.NotFoundError: RAISE,
    errors.ConflictError: RAISE,
    errors.OutcomeUnknownError: RAISE,
    errors.MissingCredentialsError: RAISE,
    errors.ConfigError: RAISE,
    errors.DigiCertError: RAISE,
}


def test_the_lookup_table_covers_every_error_of_the_tree() -> None:
    exported = {
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.DigiCertError)
    }
    assert exported == set(LOOKUP_DECISIONS)


@pytest.mark.parametrize(
    ("error_class", "decision"),
    list(LOOKUP_DECISIONS.items()),
    ids=[cls.__name__ for cls in LOOKUP_DECISIONS],
)
def test_lookup_after_an_unknown_outcome_decisions(
    error_class: type[errors.DigiCertError], decision: Decision
) -> None:
    policy = RetryPolicy()
    error = _error(error_class)
    # Four attempts in all: asked again after the first three, never after the fourth.
    assert [policy.decide_lookup(error, attempts_made=n) for n in (1, 2, 3)] == [decision] * 3
    assert policy.decide_lookup(error, attempts_made=4) is RAISE


def test_lookup_delays_double_from_one_second_to_a_thirty_second_cap() -> None:
    policy = RetryPolicy(lookup_attempts=9)
    assert [policy.lookup_delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert RetryPolicy().accepted_lookup_delays == (1.0, 2.0, 4.0)
