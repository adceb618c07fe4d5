"""Section ``bad_keys``: never show a key, refuse it by name.

Provider hosts configured with keys that cannot be headers (line break, carriage return, NUL,
space, tab, non-ASCII), a wrong key, base URLs through which a key could leak, and a
BillingAccountLink key with a line break. Every response, error and log line of those hosts is
scanned for the key's parts and the URL's secret.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from pulumi_digicert.testing import HostError
from qa.hostile import HostileServer, envelope
from qa.messages import MAX_FRAMES, MESSAGE_LIMIT, frames, message_bytes
from qa.reliability.campaign import Campaign, SectionResult, organization_program

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
    result = SectionResult("bad_keys")
    unauthorized = envelope(401, "unauthorized", "Authentication failed.")
    (org,) = campaign.registered(organization_program("badkeys"))
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
            longest = max(longest, message_bytes(details))
            last = details.rstrip().splitlines()[-1] if details else ""
            if (
                case.names not in last
                or "During handling" in details
                or message_bytes(details) > MESSAGE_LIMIT
                or frames(details) > MAX_FRAMES
            ):
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
    return result.finish()


def _billing_key_with_line_break(campaign: Campaign) -> bool:
    """Check of a BillingAccountLink whose key has a line break: refused by name, never shown."""
    key = campaign.secrets.billing_api_keys[0]
    bad = f"{key[:10]}\n{key[10:]}"
    for index, part in enumerate((key[:10], key[10:])):
        campaign.scanner.add(f"bad billing key ({index})", part)

    def program() -> None:
        import pulumi_digicert as digicert

        digicert.BillingAccountLink("badlink", billing_account_api_key="placeholder0123")

    (link,) = campaign.registered(program)
    with campaign.host("bad keys: billing key", {}) as host:
        _, failures = host.check(link.urn, {}, {**link.inputs, "billing_account_api_key": bad})
    with contextlib.suppress(StopIteration):
        failure = next(f for f in failures if f.property == "billing_account_api_key")
        return "printable ASCII" in failure.reason and key[:10] not in failure.reason
    return False
