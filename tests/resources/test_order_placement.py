"""DocumentSigningOrder against a hostile CertCentral on a real loopback socket: never buy twice.

Only DigiCert's documented "none" (a 404 ``not_found``, or an empty list in a well-formed body)
lets an order be sent; any other answer is "cannot tell" and create stops without buying. A 2xx
to the order POST proves the order exists: it is never sent again. Each case counts the POSTs
the server received and reads the message the user gets.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from tests.resources.inputs import ORDER

from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert.resources.document_signing_order import DocumentSigningOrderProvider
from qa.hostile import (
    DOCUMENTED_NONE,
    MALFORMED_LOOKUPS,
    MALFORMED_ORDER_ANSWERS,
    HostileServer,
    OrderScript,
    Reply,
    created,
    envelope,
    json_reply,
    listed,
    order_provider,
)

API_KEY = "hostile-test-key-0123456789"
INPUTS = {**ORDER, "organization_id": 1.0, "alternative_order_id": "hostile1"}
LOST = envelope(503, "service_unavailable", "Try again later.")
"""An answer to the order POST after which nobody knows whether it was applied."""


@pytest.fixture
def serve() -> Iterator[list[HostileServer]]:
    started: list[HostileServer] = []
    yield started
    for server in started:
        server.stop()


def provider_for(server: HostileServer) -> DocumentSigningOrderProvider:
    return order_provider(server, API_KEY)


def run(
    serve: list[HostileServer], script: OrderScript, inputs: dict[str, Any] | None = None
) -> tuple[HostileServer, str | None, dict[str, object] | None]:
    """Create once against ``script`` (with :data:`INPUTS` unless ``inputs``): the server, the
    user's message (if it failed), outputs."""
    server = HostileServer(script).start()
    serve.append(server)
    provider = provider_for(server)
    failure: ResourceError | None = None
    try:
        result = provider.create(dict(INPUTS if inputs is None else inputs))
    except ResourceError as exc:
        failure = exc
    finally:
        provider.close()
    if failure is not None:
        assert failure.__cause__ is None
        assert failure.__suppress_context__
        return server, str(failure), None
    return server, None, result.outs


def placed(serve: list[HostileServer], script: OrderScript) -> tuple[int, object, object]:
    """Create once against ``script``, which must succeed: how many times the order was sent,
    and the order id and ``adopted`` the outputs hold."""
    server, message, outs = run(serve, script)
    assert message is None
    assert outs is not None
    return posts(server), outs["order_id"], outs["adopted"]


def posts(server: HostileServer) -> int:
    return server.count("POST", "/order/certificate/")


@pytest.mark.parametrize("answer", MALFORMED_LOOKUPS.values(), ids=MALFORMED_LOOKUPS.keys())
def test_an_unreadable_lookup_before_ordering_places_no_order(
    serve: list[HostileServer], answer: Reply
) -> None:
    server, message, _ = run(serve, OrderScript(lookups=[answer], order=[created(9000001)]))
    assert posts(server) == 0
    assert message is not None
    assert "no order was placed" in message.lower()
    assert "run `pulumi up` again" in message or "digicert:baseUrl" in message


@pytest.mark.parametrize("answer", MALFORMED_LOOKUPS.values(), ids=MALFORMED_LOOKUPS.keys())
def test_an_unreadable_lookup_after_a_lost_answer_never_orders_again(
    serve: list[HostileServer], answer: Reply
) -> None:
    script = OrderScript(lookups=[DOCUMENTED_NONE, answer], order=[LOST, created(9000002)])
    server, message, _ = run(serve, script)
    assert posts(server) == 1
    assert message is not None
    assert "was not sent again" in message
    assert "alternative_order_id 'hostile1'" in message
    assert "looks up alternative_order_id first" in message
    assert "No order exists" not in message


@pytest.mark.parametrize("answer", MALFORMED_ORDER_ANSWERS.values(), ids=MALFORMED_ORDER_ANSWERS)
def test_an_accepted_order_whose_answer_cannot_be_read_is_never_sent_again(
    serve: list[HostileServer], answer: Reply
) -> None:
    # The alternative-id index lags: the order exists but is not listed yet.
    script = OrderScript(lookups=[DOCUMENTED_NONE], order=[answer, created(9000003)])
    server, message, _ = run(serve, script)
    assert posts(server) == 1
    assert message is not None
    assert "DigiCert accepted the order" in message
    assert "was not sent again" in message
    assert "No order exists" not in message


@pytest.mark.parametrize("answer", MALFORMED_ORDER_ANSWERS.values(), ids=MALFORMED_ORDER_ANSWERS)
def test_an_accepted_order_found_by_the_lookup_is_adopted(
    serve: list[HostileServer], answer: Reply
) -> None:
    script = OrderScript(
        lookups=[DOCUMENTED_NONE, DOCUMENTED_NONE, listed((9000004, "needs_approval"))],
        order=[answer, created(9000005)],
    )
    assert placed(serve, script) == (1, 9000004, True)


def test_a_trickled_order_answer_ends_at_the_deadline_and_is_never_sent_again(
    serve: list[HostileServer],
) -> None:
    trickled = Reply(201, b'{"id": 9000006, "requests": []}', trickle=0.3)
    script = OrderScript(lookups=[DOCUMENTED_NONE], order=[trickled, created(9000007)])
    started = time.monotonic()
    server, message, _ = run(serve, script)
    assert posts(server) == 1
    assert message is not None
    assert "was not sent again" in message
    # requestTimeout is 1 s: the trickle (about 10 s) is cut at the deadline of each attempt.
    assert time.monotonic() - started < 8


@pytest.mark.parametrize(
    "status", ["Needs_Approval", "PENDING", " issued ", "on_hold", "reissue_requested"]
)
def test_a_listed_order_in_any_letters_or_an_unknown_status_is_adopted_not_bought_again(
    serve: list[HostileServer], status: str
) -> None:
    script = OrderScript(lookups=[listed((9000008, status))], order=[created(9000009)])
    assert placed(serve, script) == (0, 9000008, True)


@pytest.mark.parametrize("status", ["canceled", "REJECTED", "Revoked", "expired"])
def test_only_a_dead_order_lets_a_new_one_be_placed(
    serve: list[HostileServer], status: str
) -> None:
    script = OrderScript(lookups=[listed((9000010, status))], order=[created(9000011)])
    assert placed(serve, script) == (1, 9000011, False)


@pytest.mark.parametrize(
    "none",
    [
        DOCUMENTED_NONE,
        envelope(404, "not_found", "Not found."),
        json_reply({"orders": [], "page": {"total": 0, "limit": 1000, "offset": 0}}),
        json_reply({"orders": []}),
    ],
    ids=["404 not_found|order", "404 not_found", "empty list with page", "empty list"],
)
def test_a_documented_none_after_a_lost_answer_lets_the_order_be_sent_once_more(
    serve: list[HostileServer], none: Reply
) -> None:
    # Control for the tables above: DigiCert said, its documented way, that there is no order.
    script = OrderScript(lookups=[none], order=[LOST, created(9000012)])
    assert placed(serve, script) == (2, 9000012, False)


def test_a_lost_answer_found_by_the_lookup_is_adopted(serve: list[HostileServer]) -> None:
    script = OrderScript(
        lookups=[DOCUMENTED_NONE, listed((9000013, "pending"))], order=[LOST, created(9000014)]
    )
    assert placed(serve, script) == (1, 9000013, True)


def test_a_refused_renewal_link_places_nothing_and_says_what_to_do(
    serve: list[HostileServer],
) -> None:
    # The declaration's only order expired; CertCentral refuses the renewal's link to it.
    script = OrderScript(
        lookups=[listed((9000020, "expired")), DOCUMENTED_NONE],
        order=[
            envelope(
                400, "invalid_field|renewal_of_order_id", "Unknown field: renewal_of_order_id."
            )
        ],
    )
    server, message, _ = run(serve, script, {**INPUTS, "renew_within_days": 30.0})
    assert message is not None
    assert "refused to link a renewal to order 9000020" in message
    assert "no renewal order was placed" in message
    assert message.endswith("or remove renew_within_days from this resource.")
    assert posts(server) == 1, "a refused request is not sent again"
