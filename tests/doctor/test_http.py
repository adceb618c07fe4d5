"""The doctor's HTTP layer: it cannot send anything but GET, spends at most its budget, keeps
its pace, and retries a 429 once after DigiCert's burst window."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from pulumi_digicert.config import Secret
from pulumi_digicert.doctor import checks
from pulumi_digicert.doctor.http import (
    DEFAULT_PACE,
    RATE_LIMIT_WAIT,
    Budget,
    BudgetSpentError,
    GetOnlyTransport,
    Pacer,
    ReadOnlyHttp,
    Traffic,
    WriteRefusedError,
    refuse_unless_get,
)
from pulumi_digicert.sandbox import SandboxServer

from .conftest import FakeClock, doctor

KEY = "dk-doctor-key-0123456789SECRET"
# Every method HTTP defines besides GET, and two that are not methods at all.
NOT_GET = ["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "PURGE", "get2"]


class Network:
    """A fake network that records what reached it."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.reached: list[httpx.Request] = []
        self._answer = answer or (lambda request: httpx.Response(200, json={"ok": True}))
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.reached.append(request)
        return self._answer(request)


def layer(network: Network, *, budget: int = 50, clock: FakeClock | None = None) -> ReadOnlyHttp:
    fake = clock or FakeClock()
    return ReadOnlyHttp(
        "https://certcentral.test/services/v2",
        key_header="X-DC-DEVKEY",
        key=Secret(KEY),
        timeout=5,
        budget=Budget(budget),
        pacer=Pacer(*DEFAULT_PACE, clock=fake, sleep=fake.sleep),
        traffic=Traffic(),
        transport=network.transport,
        sleep=fake.sleep,
    )


@pytest.fixture
def network() -> Network:
    return Network()


@pytest.fixture
def http(network: Network) -> Iterator[ReadOnlyHttp]:
    read_only = layer(network)
    yield read_only
    read_only.close()


def test_a_get_goes_out_with_the_key_header_and_comes_back_read(
    http: ReadOnlyHttp, network: Network
) -> None:
    answer = http.get("organization/7", {"include_validation": "true"})
    assert answer.ok
    assert answer.data == {"ok": True}
    [request] = network.reached
    assert request.method == "GET"
    assert request.url.path == "/services/v2/organization/7"
    assert request.url.params["include_validation"] == "true"
    assert request.headers["X-DC-DEVKEY"] == KEY
    assert http.traffic.methods == {"GET"}


@pytest.mark.parametrize("method", NOT_GET)
def test_every_other_method_is_refused_by_the_client_whichever_way_it_is_sent(
    http: ReadOnlyHttp, network: Network, method: str
) -> None:
    client = http.client
    attempts: list[Callable[[], object]] = [
        lambda: client.request(method, "organization"),
        lambda: client.send(client.build_request(method, "organization")),
        lambda: client.stream(method, "organization").__enter__(),
    ]
    if hasattr(client, method.lower()):
        attempts.append(lambda: getattr(client, method.lower())("organization"))
    for attempt in attempts:
        with pytest.raises(WriteRefusedError) as refused:
            attempt()
        assert method.upper() in str(refused.value)
        assert KEY not in str(refused.value)
    assert network.reached == []
    assert http.traffic.requests == 0


@pytest.mark.parametrize("method", NOT_GET)
def test_the_transport_refuses_every_other_method_on_its_own(network: Network, method: str) -> None:
    guarded = GetOnlyTransport(network.transport)
    with pytest.raises(WriteRefusedError):
        guarded.handle_request(httpx.Request(method, "https://certcentral.test/services/v2/x"))
    assert network.reached == []


@pytest.mark.parametrize("method", NOT_GET)
def test_the_request_hook_refuses_every_other_method_on_its_own(
    http: ReadOnlyHttp, network: Network, method: str
) -> None:
    assert refuse_unless_get in http.client.event_hooks["request"]
    bare = httpx.Client(transport=network.transport, event_hooks={"request": [refuse_unless_get]})
    with bare, pytest.raises(WriteRefusedError):
        bare.request(method, "https://certcentral.test/services/v2/x")
    assert network.reached == []


def test_a_post_planted_in_a_check_fails_and_nothing_reaches_the_sandbox(
    planted_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def planted_post(self: checks.Doctor, finding: checks.Finding) -> checks.Finding:
        self.services.client.post("organization", json={"name": "Planted"})
        return finding.holds()

    monkeypatch.setattr(checks.Doctor, "check_balance", planted_post)
    planted_server.control.reset_stats()
    with pytest.raises(WriteRefusedError):
        doctor(planted_server)
    methods = {entry["method"] for entry in planted_server.control.stats()["requests"]}
    assert methods == {"GET"}


def test_the_budget_stops_the_next_request_before_it_is_sent(network: Network) -> None:
    read_only = layer(network, budget=3)
    for _ in range(3):
        read_only.get("user/me")
    with pytest.raises(BudgetSpentError):
        read_only.get("user/me")
    assert len(network.reached) == 3


def test_the_pacer_never_lets_more_than_its_limit_into_any_window() -> None:
    clock = FakeClock()
    pacer = Pacer(20, 5.0, clock=clock, sleep=clock.sleep)
    sent: list[float] = []
    for _ in range(65):
        pacer.wait()
        sent.append(clock())
    for start in sent:
        assert sum(1 for t in sent if start <= t < start + 5.0) <= 20
    # It waits only as long as it must: 65 requests at 20 per 5 s take 15 s.
    assert sent[-1] - sent[0] == pytest.approx(15.0)


def test_a_whole_run_keeps_the_pace_and_the_budget(planted_server: SandboxServer) -> None:
    clock = FakeClock()
    stamps: list[float] = []

    def note(request: httpx.Request, response: httpx.Response) -> None:
        stamps.append(clock())

    report = doctor(planted_server, note, clock=clock, pace=(5, 5.0), budget=40)
    assert report.requests == len(stamps) <= 40
    limit, window = 5, 5.0
    for start in stamps:
        assert sum(1 for t in stamps if start <= t < start + window) <= limit
    assert clock.slept  # it had to wait to keep the pace


def test_a_429_is_retried_once_after_the_burst_window(network: Network) -> None:
    answers = iter(
        [
            httpx.Response(
                429, json={"errors": [{"code": "request_limit_exceeded", "message": "x"}]}
            ),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    clock = FakeClock()
    read_only = layer(Network(lambda request: next(answers)), clock=clock)
    answer = read_only.get("user/me")
    assert answer.ok
    assert clock.slept == [RATE_LIMIT_WAIT]
    assert read_only.traffic.rate_limited == 1
    assert read_only.traffic.rate_limit_codes == ["request_limit_exceeded"]
    assert read_only.traffic.retry_after_seen == 0


def test_a_retry_after_longer_than_the_window_is_honoured(network: Network) -> None:
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "12"}, json={"errors": []}),
            httpx.Response(200, json={}),
        ]
    )
    clock = FakeClock()
    read_only = layer(Network(lambda request: next(answers)), clock=clock)
    read_only.get("user/me")
    assert clock.slept == [12.0]
    assert read_only.traffic.retry_after_seen == 1


def test_a_redirect_is_not_followed(network: Network) -> None:
    moved = Network(
        lambda request: httpx.Response(302, headers={"Location": "https://elsewhere.test/"})
    )
    read_only = layer(moved)
    answer = read_only.get("user/me")
    assert (answer.status, answer.problem) == (302, "redirect")
    assert [r.url.host for r in moved.reached] == ["certcentral.test"]


def test_no_answer_is_retried_once_then_reported(network: Network) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    read_only = layer(Network(refuse))
    answer = read_only.get("user/me")
    assert (answer.status, answer.problem) == (0, "connection")
    assert read_only.traffic.no_answer == 2
