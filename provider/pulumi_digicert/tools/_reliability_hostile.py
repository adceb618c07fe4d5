"""Campaign sections: hostile answers (never buy twice when DigiCert's answer is not what the API
documents) and bad keys (never show a key, refuse it by name).

* ``hostile_answers``: DocumentSigningOrder creates against :mod:`~pulumi_digicert.tools._hostile`
  on a loopback socket, one per scripted answer: every malformed lookup before ordering and after
  a lost answer, every unreadable 2xx to the order, statuses in other letters, unknown and dead
  statuses, a card number echoed in an error. The provider runs in-process, configured as the host
  configures it, with its waits between lookups skipped (the waits are the only difference from a
  run through the host, which ``tests/resources/test_failures_users_see.py`` covers).
* ``bad_keys``: provider hosts configured with keys that cannot be headers (line break, carriage
  return, NUL, space, non-ASCII), a wrong key, base URLs through which a key could leak, and a
  BillingAccountLink key with a line break; every response, error and log line of those hosts is
  scanned for the key's parts and the URL's secret.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert.resources.document_signing_order import DocumentSigningOrderProvider
from pulumi_digicert.testing import HostError
from pulumi_digicert.tools._hostile import (
    DOCUMENTED_NONE,
    MALFORMED_LOOKUPS,
    MALFORMED_ORDER_ANSWERS,
    HostileServer,
    OrderScript,
    Reply,
    created,
    envelope,
    listed,
)

if TYPE_CHECKING:
    from pulumi_digicert.tools.reliability import Campaign, SectionResult

LOST = envelope(503, "service_unavailable", "Try again later.")
MESSAGE_LIMIT = 2048

ORDER_INPUTS: dict[str, Any] = {
    "product": "document_signing_org_1",
    "organization_id": 1.0,
    "validity_years": 1.0,
    "subject": {
        "name": "Signing Desk",
        "job_title": "Release Engineering",
        "phone": "+1 555 0102",
        "email": "signing@example.com",
    },
    "payment_method": "balance",
    "alternative_order_id": "hostile1",
}


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

    def script(self) -> OrderScript:
        return OrderScript(lookups=self.lookups, order=self.order)


def hostile_cases(card: dict[str, Any]) -> list[HostileCase]:
    cases: list[HostileCase] = []
    for name, answer in MALFORMED_LOOKUPS.items():
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
    for name, answer in MALFORMED_ORDER_ANSWERS.items():
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
    for status in ("Needs_Approval", "PENDING", "on_hold", "reissue_requested"):
        cases.append(
            HostileCase(
                f"listed with status {status!r}",
                (listed((9000006, status)),),
                (created(9000009),),
                0,
                "adopted",
            )
        )
    for status in ("canceled", "REJECTED", "Revoked", "expired"):
        cases.append(
            HostileCase(
                f"listed dead with status {status!r}",
                (listed((9000007, status)),),
                (created(9000008),),
                1,
                "placed",
            )
        )
    grouped = " ".join(card["number"][i : i + 4] for i in range(0, len(card["number"]), 4))
    echo = envelope(400, "invalid_card", f"Card {grouped} / {card['number']} was declined")
    cases.append(
        HostileCase(
            "card number echoed in an error",
            (DOCUMENTED_NONE,),
            (echo,),
            1,
            "check credit_card",
            inputs={
                **ORDER_INPUTS,
                "payment_method": "card",
                "credit_card": card,
                "billing_address": {
                    "address": "1 Main St",
                    "city": "Lehi",
                    "state": "Utah",
                    "zip": "84043",
                    "country": "us",
                },
            },
        )
    )
    return cases


def _no_wait(seconds: float) -> None:
    del seconds


def _provider(api_key: str, server: HostileServer) -> DocumentSigningOrderProvider:
    provider = DocumentSigningOrderProvider()
    config = {
        "digicert:apiKey": api_key,
        "digicert:baseUrl": server.url,
        "digicert:rateLimit": "off",
        "digicert:maxRetries": "0",
        "digicert:requestTimeout": "1",
    }
    provider.configure(ConfigureRequest(Config(config, "reliability")))
    provider.sleep = _no_wait
    return provider


def hostile_answers(
    campaign: Campaign, only: Callable[[HostileCase], bool] | None = None
) -> SectionResult:
    """The section; ``only`` picks some of the cases (all by default)."""
    from pulumi_digicert.tools._reliability_support import Stopwatch
    from pulumi_digicert.tools.reliability import SectionResult, pick_card

    result = SectionResult("hostile_answers")
    clock = Stopwatch()
    cases = [c for c in hostile_cases(pick_card(campaign.secrets, 0)) if only is None or only(c)]
    second_orders = untruthful = over_limit = 0
    longest = 0
    examples: list[str] = []
    for case in cases:
        with HostileServer(case.script()) as server:
            provider = _provider(campaign.secrets.api_key, server)
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
    result.seconds = clock.seconds()
    return result


# ---------------------------------------------------------------------------------------------
# Bad keys

URL_SECRET = "relUrlSecret7c1f"  # noqa: S105 - a marker the scan looks for


@dataclass(frozen=True)
class BadKeyCase:
    name: str
    config: dict[str, str]
    names: str
    """The setting or input the last line of the error must name."""
    hidden: tuple[str, ...]
    """Texts that must never appear (parts of the key, the URL's secret)."""


def bad_key_cases(api_key: str, server: HostileServer) -> list[BadKeyCase]:
    head, tail = api_key[: len(api_key) // 2], api_key[len(api_key) // 2 :]
    base = {"digicert:baseUrl": server.url, "digicert:maxRetries": "0"}
    cases = [
        BadKeyCase(
            f"apiKey with {label}",
            {**base, "digicert:apiKey": f"{head}{char}{tail}"},
            "digicert:apiKey",
            (head, tail),
        )
        for label, char in (
            ("a line break", "\n"),
            ("a carriage return", "\r\n"),
            ("a NUL", "\x00"),
            ("a space", " "),
            ("a non-ASCII letter", "\u00e9"),
            ("a tab", "\t"),
        )
    ]
    cases.append(
        BadKeyCase(
            "a wrong key",
            {**base, "digicert:apiKey": f"wrong{api_key[::-1]}"},
            "digicert:apiKey",
            (f"wrong{api_key[::-1]}",),
        )
    )
    for label, url in (
        ("plain http to a remote host", f"http://{URL_SECRET}.example.com/services/v2"),
        ("a user and password", f"https://user:{URL_SECRET}@www.digicert.com/services/v2"),
        ("a query", f"https://www.digicert.com/services/v2?key={URL_SECRET}"),
        ("a fragment", f"https://www.digicert.com/services/v2#{URL_SECRET}"),
    ):
        cases.append(
            BadKeyCase(
                f"baseUrl with {label}",
                {**base, "digicert:apiKey": api_key, "digicert:baseUrl": url},
                "digicert:baseUrl",
                (URL_SECRET,),
            )
        )
    cases.append(
        BadKeyCase(
            "partnerBaseUrl with a user and password",
            {**base, "digicert:partnerBaseUrl": f"https://u:{URL_SECRET}@x.example.com/api/v1"},
            "digicert:partnerBaseUrl",
            (URL_SECRET,),
        )
    )
    return cases


def bad_keys(campaign: Campaign) -> SectionResult:
    from pulumi_digicert.testing.program import run_program
    from pulumi_digicert.tools._reliability_support import Stopwatch
    from pulumi_digicert.tools.reliability import (
        PROJECT,
        STACK,
        SectionResult,
        organization_program,
    )

    result = SectionResult("bad_keys")
    clock = Stopwatch()
    unauthorized = envelope(401, "unauthorized", "Authentication failed.")
    (org,) = run_program(organization_program("badkeys"), project=PROJECT, stack=STACK)
    not_refused: list[str] = []
    shown = 0
    longest = 0
    with HostileServer(lambda method, path, body: unauthorized) as server:
        cases = bad_key_cases(campaign.secrets.api_key, server)
        for case in cases:
            for index, hidden in enumerate(case.hidden):
                campaign.scanner.add(f"bad key case {case.name} ({index})", hidden)
            details = ""
            with campaign.host(f"bad keys: {case.name}", case.config) as host:
                try:
                    checked, _ = host.check(org.urn, {}, dict(org.inputs))
                    host.create(org.urn, checked)
                except HostError as exc:
                    details = exc.details
                text = details + host.stderr
            longest = max(longest, len(details.encode()))
            last = details.rstrip().splitlines()[-1] if details else ""
            if case.names not in last or "During handling" in details or len(details) > 2048:
                not_refused.append(case.name)
            shown += sum(1 for hidden in case.hidden if hidden in text)
        sent_with_bad_key = sum(
            1
            for headers in server.headers_seen
            if headers.get("X-DC-DEVKEY") not in (None, f"wrong{campaign.secrets.api_key[::-1]}")
        )
        link_failures = _billing_key_with_line_break(campaign)
    result.figures = {
        "cases": len(cases) + 1,
        "refused_naming_the_setting": len(cases) - len(not_refused) + (1 if link_failures else 0),
        "requests_sent_despite_a_refused_setting": sent_with_bad_key,
        "key_or_url_parts_shown": shown,
        "longest_error_bytes": longest,
        "not_refused": not_refused + ([] if link_failures else ["billing_account_api_key"]),
    }
    result.expect(not not_refused and link_failures, f"not refused by name: {not_refused}")
    result.expect(sent_with_bad_key == 0, f"{sent_with_bad_key} request(s) sent with a bad key")
    result.expect(shown == 0, f"{shown} key or URL part(s) shown")
    result.seconds = clock.seconds()
    return result


def _billing_key_with_line_break(campaign: Campaign) -> bool:
    """Check of a BillingAccountLink whose key has a line break: refused by name, never shown."""
    import pulumi_digicert as digicert
    from pulumi_digicert.testing.program import run_program
    from pulumi_digicert.tools.reliability import PROJECT, STACK

    key = campaign.secrets.billing_api_keys[0]
    bad = f"{key[:10]}\n{key[10:]}"
    for index, part in enumerate((key[:10], key[10:])):
        campaign.scanner.add(f"bad billing key ({index})", part)

    def program() -> None:
        digicert.BillingAccountLink("badlink", billing_account_api_key="placeholder0123")

    (link,) = run_program(program, project=PROJECT, stack=STACK)
    with campaign.host("bad keys: billing key", {}) as host:
        _, failures = host.check(link.urn, {}, {**link.inputs, "billing_account_api_key": bad})
    with contextlib.suppress(StopIteration):
        failure = next(f for f in failures if f.property == "billing_account_api_key")
        return "printable ASCII" in failure.reason and key[:10] not in failure.reason
    return False
