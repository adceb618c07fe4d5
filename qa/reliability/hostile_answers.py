"""Section ``hostile_answers``: never buy twice when DigiCert's answer is not what the API
documents.

DocumentSigningOrder creates against :mod:`qa.hostile` on a loopback socket, one per scripted
answer: every malformed lookup before ordering and after a lost answer, every unreadable 2xx to
the order, statuses in other letters, unknown and dead statuses, a card number echoed in an
error. The provider runs in-process, configured as the host configures it, with its waits
between lookups skipped (the waits are the only difference from a run through the host, which
``tests/resources/test_failures_users_see.py`` covers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pulumi_digicert._exceptions import ResourceError
from qa import hostile, scenarios
from qa.hostile import DOCUMENTED_NONE, Reply, created, listed
from qa.messages import MESSAGE_LIMIT
from qa.reliability.campaign import Campaign, SectionResult

LOST = hostile.envelope(503, "service_unavailable", "Try again later.")

ORDER_INPUTS: dict[str, Any] = {
    "product": "document_signing_org_1",
    "organization_id": 1.0,
    "validity_years": 1.0,
    "subject": scenarios.SUBJECT,
    "payment_method": "balance",
    "alternative_order_id": "hostile1",
}
"""A document signing order's inputs as the engine hands them to the provider."""


@dataclass(frozen=True)
class HostileCase:
    """One scripted create and what must happen: how many POSTs, and the outcome."""

    name: str
    lookups: tuple[Reply, ...]
    order: tuple[Reply, ...]
    posts: int
    truth: str
    """A fragment of the message that must be there, or ``adopted``/``placed`` for success."""
    inputs: dict[str, Any] | None = None

    def script(self) -> hostile.OrderScript:
        return hostile.OrderScript(lookups=self.lookups, order=self.order)


def hostile_cases(card_number: str) -> list[HostileCase]:
    cases: list[HostileCase] = []
    for name, answer in hostile.MALFORMED_LOOKUPS.items():
        cases += [
            HostileCase(
                f"lookup before ordering: {name}",
                (answer,),
                (created(9000001),),
                0,
                "no order was placed",
            ),
            HostileCase(
                f"lookup after a lost answer: {name}",
                (DOCUMENTED_NONE, answer),
                (LOST, created(9000002)),
                1,
                "was not sent again",
            ),
        ]
    for name, answer in hostile.MALFORMED_ORDER_ANSWERS.items():
        cases += [
            HostileCase(
                f"accepted order, index lagging: {name}",
                (DOCUMENTED_NONE,),
                (answer, created(9000003)),
                1,
                "was not sent again",
            ),
            HostileCase(
                f"accepted order, then listed: {name}",
                (DOCUMENTED_NONE, DOCUMENTED_NONE, listed((9000004, "pending"))),
                (answer, created(9000005)),
                1,
                "adopted",
            ),
        ]
    # A live status in other letters, or one the provider does not know, is held; a dead one
    # in other letters is not: a new order is placed.
    live = ("Needs_Approval", "PENDING", "on_hold", "reissue_requested")
    dead = ("canceled", "REJECTED", "Revoked", "expired")
    for label, statuses, listed_id, created_id, posts, truth in (
        ("listed", live, 9000006, 9000009, 0, "adopted"),
        ("listed dead", dead, 9000007, 9000008, 1, "placed"),
    ):
        cases += [
            HostileCase(
                f"{label} with status {status!r}",
                (listed((listed_id, status)),),
                (created(created_id),),
                posts,
                truth,
            )
            for status in statuses
        ]
    grouped = " ".join(card_number[i : i + 4] for i in range(0, len(card_number), 4))
    echo = hostile.envelope(400, "invalid_card", f"Card {grouped} / {card_number} was declined")
    cases.append(
        HostileCase(
            "card number echoed in an error",
            (DOCUMENTED_NONE,),
            (echo,),
            1,
            "check credit_card",
            inputs={**ORDER_INPUTS, **scenarios.by_card(card_number)},
        )
    )
    return cases


def hostile_answers(
    campaign: Campaign, only: Callable[[HostileCase], bool] | None = None
) -> SectionResult:
    """The section; ``only`` picks some of the cases (all by default)."""
    result = SectionResult("hostile_answers")
    cases = [c for c in hostile_cases(campaign.card_number(0)) if only is None or only(c)]
    second_orders = untruthful = over_limit = 0
    longest = 0
    examples: list[str] = []
    for case in cases:
        with hostile.HostileServer(case.script()) as server:
            provider = hostile.order_provider(server, campaign.secrets.api_key)
            message: str | None = None
            outs: dict[str, Any] = {}
            try:
                outs = dict(provider.create(dict(case.inputs or ORDER_INPUTS)).outs or {})
            except ResourceError as exc:
                message = str(exc)
            except Exception as exc:  # any other escape is a broken promise, counted below
                message = f"{type(exc).__name__}: {exc}"
            finally:
                provider.close()
            posts = server.count("POST", "/order/certificate/")
        if message is not None:
            campaign.scanner.scan("error messages", f"hostile answers: {case.name}", message)
            longest = max(longest, len(message.encode()))
            over_limit += len(message.encode()) > MESSAGE_LIMIT
        campaign.scanner.scan_json("state", f"hostile answers: {case.name} outputs", outs)
        if posts > case.posts:
            second_orders += 1
            examples.append(f"{case.name}: {posts} orders sent")
        if case.truth == "adopted":
            truthful = message is None and outs.get("adopted") is True
        elif case.truth == "placed":
            truthful = message is None and outs.get("adopted") is False
        else:
            truthful = (
                message is not None
                and case.truth in message.lower()
                and "no order exists" not in message.lower()
            )
        if not truthful:
            untruthful += 1
            examples.append(f"{case.name}: {'created' if message is None else 'message'} wrong")
    result.figures = {
        "cases": len(cases),
        "orders_sent_beyond_one": second_orders,
        "outcomes_not_as_required": untruthful,
        "longest_message_bytes": longest,
        "messages_over_2kb": over_limit,
        "examples": examples[:10],
    }
    result.expect(second_orders == 0, f"{second_orders} case(s) sent an order they must not")
    result.expect(untruthful == 0, f"{untruthful} case(s) ended other than required")
    result.expect(over_limit == 0, f"{over_limit} message(s) over 2 KB")
    return result.finish()
