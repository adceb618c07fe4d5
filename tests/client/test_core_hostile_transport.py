"""The request core against a hostile server on a real loopback socket.

One deadline per attempt (not per read), answers capped in size, deep JSON mapped into the error
tree, and no key, card number or URL in any error or in the HTTP libraries' debug logs.
"""

from __future__ import annotations

import logging
import time
import tracemalloc
from collections.abc import Iterator

import pytest

from pulumi_digicert.client import DigiCertClient, errors
from pulumi_digicert.client._core import MAX_RESPONSE_BYTES
from pulumi_digicert.config import ProviderSettings, Secret
from qa.hostile import HostileServer, Reply, envelope, json_reply

API_KEY = "hostile-core-key-0123456789"
CARD_NUMBER = "4111111111111111"
CVV = "737"


@pytest.fixture
def answer() -> list[Reply]:
    """The reply every request gets (tests set ``answer[0]``)."""
    return [json_reply({})]


@pytest.fixture
def server(answer: list[Reply]) -> Iterator[HostileServer]:
    with HostileServer(lambda method, path, body: answer[0]) as started:
        yield started


def client_for(
    server: HostileServer, *, timeout: float = 1.0, key: str = API_KEY
) -> DigiCertClient:
    settings = ProviderSettings(
        api_key=Secret(key),
        base_url=server.url,
        max_retries=0,
        request_timeout=timeout,
        rate_limit_enabled=False,
    )
    return DigiCertClient(settings)


def test_a_trickled_answer_ends_at_the_attempt_deadline_not_per_read(
    server: HostileServer, answer: list[Reply]
) -> None:
    # Each byte arrives well within the 1 s timeout; the whole answer would take 10 s.
    answer[0] = Reply(200, b'{"id": 5, "status": "pending", "pad": "xxxxx"}', trickle=0.2)
    client = client_for(server, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(errors.APITimeoutError) as caught:
        client.orders.get(5)
    elapsed = time.monotonic() - started
    client.close()
    assert 0.9 < elapsed < 2.5
    assert "within digicert:requestTimeout" in errors.user_message(caught.value)


def test_a_body_larger_than_the_cap_is_not_read_whole(
    server: HostileServer, answer: list[Reply]
) -> None:
    answer[0] = Reply(200, b'{"id": 5, "pad": "', filler=3 * MAX_RESPONSE_BYTES)
    client = client_for(server, timeout=20)
    tracemalloc.start()
    try:
        with pytest.raises(errors.InvalidResponseError) as caught:
            client.orders.get(5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        client.close()
    assert caught.value.reason == "larger than 8 MiB"
    assert peak < 4 * MAX_RESPONSE_BYTES


def test_a_declared_length_over_the_cap_is_refused_before_reading(
    server: HostileServer, answer: list[Reply]
) -> None:
    answer[0] = Reply(200, b"{}", declared_length=150 * 1024 * 1024)
    client = client_for(server)
    with pytest.raises(errors.InvalidResponseError):
        client.orders.get(5)
    client.close()


@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_deeply_nested_json_is_an_invalid_response_not_a_recursion_error(
    server: HostileServer, answer: list[Reply], depth: int
) -> None:
    answer[0] = Reply(200, b'{"a":' * depth + b"1" + b"}" * depth)
    client = client_for(server, timeout=10)
    with pytest.raises(errors.InvalidResponseError) as caught:
        client.orders.get(5)
    assert "nested" in caught.value.reason or "not a Order" in caught.value.reason
    answer[0] = Reply(201, b"[" * depth + b"]" * depth)
    with pytest.raises(errors.OutcomeUnknownError) as unknown:
        client.orders.order_document_signing("document_signing_org_1", {})
    client.close()
    assert unknown.value.accepted is True


def test_a_2xx_to_an_order_whose_body_breaks_off_is_accepted_not_lost(
    server: HostileServer, answer: list[Reply]
) -> None:
    answer[0] = Reply(201, b'{"id": 9, "requests": []}', declared_length=4096)
    client = client_for(server)
    with pytest.raises(errors.OutcomeUnknownError) as caught:
        client.orders.order_document_signing("document_signing_org_1", {})
    client.close()
    assert caught.value.accepted is True
    assert "not sent again" in errors.user_message(caught.value)


@pytest.mark.parametrize(
    "key",
    [
        "Qz81ab\nXv72cd",
        "Qz81ab\rXv72cd",
        "Qz81ab\x00Xv72cd",
        "Qz81ab\tXv72cd",
        "Qz81ab\u00e9Xv72cd",
    ],
)
def test_a_key_that_cannot_be_a_header_is_refused_by_name_and_never_sent(
    server: HostileServer, key: str
) -> None:
    client = client_for(server, key=key)
    with pytest.raises(errors.ConfigError) as caught:
        client.orders.get(5)
    client.close()
    text = str(caught.value) + repr(caught.value)
    assert "digicert:apiKey" in text
    assert "Qz81ab" not in text
    assert "Xv72cd" not in text
    assert server.requests == []


def test_card_number_and_cvv_echoed_by_digicert_are_redacted(
    server: HostileServer, answer: list[Reply]
) -> None:
    grouped = " ".join(CARD_NUMBER[i : i + 4] for i in range(0, 16, 4))
    answer[0] = envelope(
        400, "invalid_card", f"Card {grouped} (cvv {CVV}) and {CARD_NUMBER} were declined"
    )
    client = client_for(server)
    body = {"credit_card": {"number": CARD_NUMBER, "cvv": CVV, "expiration_month": 1}}
    with pytest.raises(errors.BadRequestError) as caught:
        client.orders.order_document_signing("document_signing_org_1", body)
    client.close()
    shown = str(caught.value) + repr(caught.value.errors) + errors.user_message(caught.value)
    for secret in (CARD_NUMBER, grouped, CVV, CARD_NUMBER[-12:]):
        assert secret not in shown


def test_connection_errors_name_the_setting_and_never_the_url(free_port: int) -> None:
    settings = ProviderSettings(
        api_key=Secret(API_KEY),
        base_url=f"http://127.0.0.1:{free_port}/services/v2",
        max_retries=0,
        rate_limit_enabled=False,
    )
    client = DigiCertClient(settings)
    with pytest.raises(errors.APIConnectionError) as caught:
        client.orders.get(5)
    client.close()
    message = errors.user_message(caught.value)
    assert "connection refused" in message
    assert "digicert:baseUrl" in message
    assert str(free_port) not in message + str(caught.value)


def test_http_library_debug_logs_never_carry_the_key(
    server: HostileServer, answer: list[Reply], caplog: pytest.LogCaptureFixture
) -> None:
    answer[0] = Reply(200, f'{{"id": 5, "echo": "{API_KEY}"}}'.encode())
    client = client_for(server)
    with caplog.at_level(logging.DEBUG):
        client.orders.get(5)
        answer[0] = envelope(401, "invalid_key", f"key {API_KEY} unknown")
        with pytest.raises(errors.AuthenticationError):
            client.orders.get(5)
    client.close()
    assert server.headers_seen[0].get("X-DC-DEVKEY") == API_KEY
    assert caplog.records
    assert API_KEY not in caplog.text
