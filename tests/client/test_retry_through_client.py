"""Retries through the client: what is resent, how often, after which recorded sleeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pulumi_digicert.client import DigiCertClient, errors

from .conftest import ClientFactory, FakeSleep, Recorder, error_response, json_response

GET_ORDER: Callable[[DigiCertClient], Any] = lambda c: c.orders.get(9001)  # noqa: E731
PLACE_ORDER: Callable[[DigiCertClient], Any] = lambda c: c.orders.order_document_signing(  # noqa: E731
    "document_signing_org_1", {"alternative_order_id": "abc"}
)

IDEMPOTENT_CALLS = {
    "GET order": GET_ORDER,
    "PUT contacts": lambda c: c.organizations.update_contacts(1, []),
    "DELETE organization": lambda c: c.organizations.delete(1),
    "PUT partner link": lambda c: c.partner.link_billing_account("billing-key"),
}
CREATING_CALLS = {
    "POST order": PLACE_ORDER,
    "POST organization": lambda c: c.organizations.create({"name": "x"}),
    "POST domain": lambda c: c.domains.add({"name": "example.com"}),
    "POST dcv token": lambda c: c.domains.new_dcv_token(1),
    "POST org validation": lambda c: c.organizations.submit_validation(1, [{"type": "ov"}]),
    "POST domain validation": lambda c: c.domains.submit_validation(1, ["ov"]),
    "PUT revoke": lambda c: c.orders.revoke(1),
}
ORDER_OK = json_response(201, {"id": 9001, "requests": [{"id": 1, "status": "pending"}]})


def _ok_for(call_name: str) -> httpx.Response:
    if call_name.startswith("GET"):
        return json_response(200, {"id": 9001})
    if call_name.startswith("POST"):
        return json_response(201, {"id": 1, "token": "t"})
    return httpx.Response(204)


TRANSIENT: dict[str, Callable[[], httpx.Response | Exception]] = {
    "ConnectError": lambda: httpx.ConnectError("connection refused"),
    "ConnectTimeout": lambda: httpx.ConnectTimeout("connect timed out"),
    "ReadTimeout": lambda: httpx.ReadTimeout("read timed out"),
    "RemoteProtocolError": lambda: httpx.RemoteProtocolError("disconnected"),
    "ReadError": lambda: httpx.ReadError("connection reset"),
    "429": lambda: error_response(429, "request_limit_exceeded", "limit"),
    "500": lambda: httpx.Response(500),
    "502": lambda: httpx.Response(502, text="Bad Gateway"),
    "503": lambda: httpx.Response(503),
    "504": lambda: httpx.Response(504),
}


@pytest.mark.parametrize("call_name", list(IDEMPOTENT_CALLS))
@pytest.mark.parametrize("failure", list(TRANSIENT))
def test_idempotent_request_is_retried_after_transient_failures(
    call_name: str,
    failure: str,
    client: DigiCertClient,
    recorder: Recorder,
    fake_sleep: FakeSleep,
) -> None:
    recorder.responses.extend([TRANSIENT[failure](), TRANSIENT[failure](), _ok_for(call_name)])
    IDEMPOTENT_CALLS[call_name](client)
    assert len(recorder.requests) == 3
    if failure == "429":
        assert fake_sleep.calls == [5.5, 6.0]
    else:
        assert fake_sleep.calls == [0.5, 1.0]


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        ("ConnectError", errors.APIConnectionError),
        ("ReadTimeout", errors.APITimeoutError),
        ("429", errors.RateLimitError),
        ("503", errors.ServerError),
    ],
)
def test_idempotent_request_gives_up_after_max_retries_with_the_last_error(
    failure: str,
    error_class: type[errors.DigiCertError],
    client: DigiCertClient,
    recorder: Recorder,
    fake_sleep: FakeSleep,
) -> None:
    recorder.handler = lambda request: _raise_or_return(TRANSIENT[failure]())
    with pytest.raises(error_class) as caught:
        GET_ORDER(client)
    assert not isinstance(caught.value, errors.OutcomeUnknownError)
    assert len(recorder.requests) == 5  # 1 + max_retries (4)
    expected = [5.5, 6.0, 7.0, 9.0] if failure == "429" else [0.5, 1.0, 2.0, 4.0]
    assert fake_sleep.calls == expected


def _raise_or_return(value: httpx.Response | Exception) -> httpx.Response:
    if isinstance(value, Exception):
        raise value
    return value


@pytest.mark.parametrize("max_retries", [0, 1, 2])
def test_max_retries_setting_bounds_the_attempts(
    max_retries: int, make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(settings={"max_retries": max_retries})
    recorder.handler = lambda request: httpx.Response(503)
    with pytest.raises(errors.ServerError):
        GET_ORDER(client)
    assert len(recorder.requests) == max_retries + 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 501])
def test_other_failures_are_not_retried(
    status: int, client: DigiCertClient, recorder: Recorder, fake_sleep: FakeSleep
) -> None:
    recorder.handler = lambda request: error_response(status, "x", "y")
    with pytest.raises(errors.APIStatusError):
        GET_ORDER(client)
    assert len(recorder.requests) == 1
    assert fake_sleep.calls == []


@pytest.mark.parametrize("call_name", list(CREATING_CALLS))
@pytest.mark.parametrize(
    "failure", ["ReadTimeout", "RemoteProtocolError", "ReadError", "500", "502", "503", "504"]
)
def test_creating_request_is_never_resent_when_it_may_have_been_applied(
    call_name: str,
    failure: str,
    client: DigiCertClient,
    recorder: Recorder,
    fake_sleep: FakeSleep,
) -> None:
    recorder.responses.extend([TRANSIENT[failure](), ORDER_OK])
    with pytest.raises(errors.OutcomeUnknownError) as caught:
        CREATING_CALLS[call_name](client)
    assert len(recorder.requests) == 1
    assert fake_sleep.calls == []
    error = caught.value
    assert isinstance(error.cause, errors.APIConnectionError | errors.ServerError)
    assert error.method == recorder.requests[0].method
    assert "outcome unknown" in str(error)
    assert "look the object up" in str(error)


def test_order_lost_to_a_timeout_carries_the_timeout_as_cause(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(httpx.ReadTimeout("read timed out"))
    with pytest.raises(errors.OutcomeUnknownError) as caught:
        PLACE_ORDER(client)
    assert isinstance(caught.value.cause, errors.APITimeoutError)
    assert caught.value.cause.request_sent is None
    assert caught.value.path == "/order/certificate/document_signing_org_1"
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


def test_order_answered_with_5xx_keeps_the_status(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(error_response(500, "internal_error", "boom"))
    with pytest.raises(errors.OutcomeUnknownError) as caught:
        PLACE_ORDER(client)
    assert caught.value.status == 500
    assert caught.value.has_code("internal_error")
    assert isinstance(caught.value.cause, errors.ServerError)


@pytest.mark.parametrize("call_name", list(CREATING_CALLS))
@pytest.mark.parametrize("failure", ["ConnectError", "ConnectTimeout", "429"])
def test_creating_request_is_retried_when_provably_not_applied(
    call_name: str,
    failure: str,
    client: DigiCertClient,
    recorder: Recorder,
    fake_sleep: FakeSleep,
) -> None:
    recorder.responses.extend([TRANSIENT[failure](), _ok_for("POST")])
    CREATING_CALLS[call_name](client)
    assert len(recorder.requests) == 2
    assert recorder.requests[0].content == recorder.requests[1].content
    assert fake_sleep.calls == ([5.5] if failure == "429" else [0.5])


def test_order_refused_connections_through_all_retries_is_a_connection_error(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.handler = lambda request: _raise_or_return(httpx.ConnectError("refused"))
    with pytest.raises(errors.APIConnectionError) as caught:
        PLACE_ORDER(client)
    assert not isinstance(caught.value, errors.OutcomeUnknownError)
    assert caught.value.request_sent is False
    assert len(recorder.requests) == 5


def test_429_without_retry_after_waits_at_least_five_seconds(
    make_client: ClientFactory, recorder: Recorder, fake_sleep: FakeSleep
) -> None:
    client = make_client(random=lambda: 0.99)
    recorder.responses.extend(
        [error_response(429, "request_limit_exceeded", "limit")] * 3 + [ORDER_OK]
    )
    PLACE_ORDER(client)
    assert len(fake_sleep.calls) == 3
    assert all(delay >= 5.0 for delay in fake_sleep.calls)


def test_retry_after_header_sets_the_wait_exactly(
    client: DigiCertClient, recorder: Recorder, fake_sleep: FakeSleep
) -> None:
    recorder.responses.extend(
        [
            error_response(429, "request_limit_exceeded", "limit", **{"Retry-After": "2"}),
            httpx.Response(503, headers={"Retry-After": "7"}),
            httpx.Response(503, headers={"Retry-After": "3600"}),
            json_response(200, {"id": 9001}),
        ]
    )
    GET_ORDER(client)
    assert fake_sleep.calls == [2.0, 7.0, 60.0]


def test_each_attempt_of_a_retried_request_is_identical(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.extend([httpx.ConnectError("refused"), ORDER_OK])
    PLACE_ORDER(client)
    first, second = recorder.requests
    assert first.url == second.url
    assert first.content == second.content
    assert first.headers["X-DC-DEVKEY"] == second.headers["X-DC-DEVKEY"]


def test_a_rate_limit_back_off_is_one_line_on_stderr_where_the_engine_shows_it(
    make_client: ClientFactory,
    recorder: Recorder,
    fake_sleep: FakeSleep,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = make_client(random=lambda: 0.99)
    recorder.responses.extend([error_response(429, "request_limit_exceeded", "limit"), ORDER_OK])
    PLACE_ORDER(client)
    said = capsys.readouterr().err.splitlines()
    assert said == [
        "digicert: DigiCert's rate limit was reached (429 on POST "
        f"/order/certificate/document_signing_org_1): waiting {fake_sleep.calls[0]:.1f} s "
        "before trying again"
    ]


# --- the lookup after an unknown outcome ---------------------------------------------------------


class Lookup:
    """A lookup that answers from a script: an error to raise, or a value to return."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


UNANSWERED = [
    errors.APIConnectionError("reset"),
    errors.ServerError("maintenance", status=503),
    errors.InvalidResponseError("not JSON"),
]


def test_a_lookup_that_cannot_be_answered_is_asked_again_after_one_two_four_seconds(
    client: DigiCertClient, fake_sleep: FakeSleep
) -> None:
    lookup = Lookup(*UNANSWERED, "order 9001")
    assert client.find_after_unknown_outcome(lookup) == "order 9001"
    assert lookup.calls == 4
    assert fake_sleep.calls == [1.0, 2.0, 4.0]


def test_a_lookup_unanswered_four_times_raises_its_last_error(
    client: DigiCertClient, fake_sleep: FakeSleep
) -> None:
    last = errors.RateLimitError("still limited", status=429)
    lookup = Lookup(*UNANSWERED, last, "never reached")
    with pytest.raises(errors.RateLimitError) as raised:
        client.find_after_unknown_outcome(lookup)
    assert raised.value is last
    assert lookup.calls == 4
    assert fake_sleep.calls == [1.0, 2.0, 4.0]


@pytest.mark.parametrize(
    "answer",
    [errors.NotFoundError("no route", status=404), errors.AuthenticationError("key", status=401)],
    ids=lambda exc: type(exc).__name__,
)
def test_a_lookup_that_answered_with_a_refusal_is_not_asked_again(
    client: DigiCertClient, fake_sleep: FakeSleep, answer: errors.DigiCertError
) -> None:
    lookup = Lookup(answer)
    with pytest.raises(type(answer)):
        client.find_after_unknown_outcome(lookup)
    assert lookup.calls == 1
    assert fake_sleep.calls == []


def test_none_is_the_answer_when_the_request_was_not_accepted(
    client: DigiCertClient, fake_sleep: FakeSleep
) -> None:
    lookup = Lookup(None, "would be found later")
    assert client.find_after_unknown_outcome(lookup) is None
    assert lookup.calls == 1
    assert fake_sleep.calls == []


def test_an_accepted_object_the_lookup_does_not_list_yet_is_looked_for_again(
    client: DigiCertClient, fake_sleep: FakeSleep
) -> None:
    lookup = Lookup(None, None, "order 9001")
    assert client.find_after_unknown_outcome(lookup, accepted=True) == "order 9001"
    assert fake_sleep.calls == [1.0, 2.0]


def test_an_accepted_object_never_listed_is_none_after_three_more_looks(
    client: DigiCertClient, fake_sleep: FakeSleep
) -> None:
    lookup = Lookup(None, None, None, None)
    assert client.find_after_unknown_outcome(lookup, accepted=True) is None
    assert lookup.calls == 4
    assert fake_sleep.calls == [1.0, 2.0, 4.0]
