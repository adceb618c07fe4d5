"""What a user reads when something fails, through the real dynamic-provider host.

The engine prints the text the host returns for a failed call: ``traceback.format_exc()`` of what
the provider raised (``pulumi/dynamic/__main__.py``, ``_abort_with_traceback``), or the reasons of
Check's failures. For every failure a user can cause or meet, that text must be at most 2 KB,
carry no chained traceback and no secret, and end in one sentence that names the setting or
input to change. The README's Troubleshooting table is checked against :data:`CASES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from tests.resources.inputs import CONTACT, declared_organization, signing_order

import pulumi_digicert as digicert
from pulumi_digicert.testing import HostError, ProviderHost
from pulumi_digicert.testing.program import RegisteredResource, run_program
from qa.hostile import HostileServer, Reply, envelope
from qa.messages import MAX_FRAMES, MESSAGE_LIMIT, frames, message_bytes
from support.ports import free_port
from support.sandbox import running_sandbox, stack_config
from support.secrets import leaked

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
WRONG_KEY = "Wk7wrongKeyValue0123456789"
BAD_KEY = "Bk4first\nBk4second"
URL_SECRET = "Us9secretInUrl"
CARD = {
    "number": "4111111111111111",
    "expiration_month": 12.0,
    "expiration_year": 2031.0,
    "cvv": 737.0,
    "cardholder_name": "Ada Lovelace",
}
GROUPED_CARD = "4111 1111 1111 1111"
BILLING = {"address": "1 Main St", "city": "Lehi", "state": "Utah", "zip": "84043", "country": "us"}


def program() -> None:
    org = digicert.Organization(
        "org",
        **declared_organization("Failure Corp"),
    )
    signing_order("order", org.id)
    digicert.BillingAccountLink("link", billing_account_api_key="placeholder0123")


@pytest.fixture(scope="module")
def registered() -> dict[str, RegisteredResource]:
    return {r.name: r for r in run_program(program, project="failures", stack="dev")}


@dataclass
class Run:
    """What one case has to work with, and what it used."""

    sandbox: Any
    registered: dict[str, RegisteredResource]
    secrets: list[str] = field(default_factory=list)
    servers: list[HostileServer] = field(default_factory=list)

    def host(self, config: dict[str, Any]) -> ProviderHost:
        host = ProviderHost(project="failures", stack="dev").start()
        host.configure(config)
        self.hosts.append(host)
        return host

    hosts: list[ProviderHost] = field(default_factory=list)

    @property
    def config(self) -> dict[str, str]:
        return {**stack_config(self.sandbox), "digicert:maxRetries": "0"}

    def inputs(self, name: str, **changes: Any) -> dict[str, Any]:
        resource = self.registered[name]
        inputs = {**resource.inputs, **changes}
        if name == "order" and "organization_id" not in changes:
            inputs["organization_id"] = 1.0
        return inputs

    def create(self, host: ProviderHost, name: str, **changes: Any) -> tuple[str, dict[str, Any]]:
        resource = self.registered[name]
        checked, failures = host.check(resource.urn, {}, self.inputs(name, **changes))
        assert failures == [], failures
        return host.create(resource.urn, checked)

    def failing(self, call: Callable[[], object]) -> str:
        """The text the engine would print for a call that must fail."""
        with pytest.raises(HostError) as caught:
            call()
        return caught.value.details

    def check_failure(self, host: ProviderHost, name: str, **changes: Any) -> str:
        """Check's failures as the engine prints them: "<type> resource '<name>': property <p>
        value <v> has a problem: <reason>" (pulumi/pulumi ``sdk/go/common/diag/errors.go``,
        ``GetResourcePropertyInvalidValueError``; ``step_generator.go``, ``issueCheckFailures``),
        one line per failure. The value is the engine's (``[secret]`` for a secret input)."""
        resource = self.registered[name]
        _, failures = host.check(resource.urn, {}, self.inputs(name, **changes))
        assert failures, "check accepted it"
        return "\n".join(
            f"{resource.type} resource '{name}': property {f.property} value <v> has a problem: "
            f"{f.reason}."
            for f in failures
        )

    def hostile(self, script: Callable[[str, str, bytes], Reply]) -> HostileServer:
        server = HostileServer(script).start()
        self.servers.append(server)
        return server


@dataclass(frozen=True)
class Case:
    """One failure a user can meet: how to cause it, what it must name, and its README row."""

    name: str
    cause: Callable[[Run], str]
    names: str
    """The setting or input the last line must name."""
    shown: str
    """What the README's "you see" column quotes: a fragment of the last line."""


def bad_key(run: Run) -> str:
    run.secrets.append(WRONG_KEY)
    host = run.host({**run.config, "digicert:apiKey": WRONG_KEY})
    return run.failing(lambda: run.create(host, "org"))


def closed_port(run: Run) -> str:
    url = f"http://127.0.0.1:{free_port()}/services/v2"
    host = run.host({**run.config, "digicert:baseUrl": url})
    return run.failing(lambda: run.create(host, "org"))


def wrong_base_url(run: Run) -> str:
    url = run.sandbox.services_url.replace("/services/v2", "/services/v3")
    host = run.host({**run.config, "digicert:baseUrl": url})
    return run.failing(lambda: run.create(host, "org"))


def missing_path(run: Run) -> str:
    url = run.sandbox.services_url.replace("/services/v2", "")
    host = run.host({**run.config, "digicert:baseUrl": url})
    return run.failing(lambda: run.create(host, "org"))


def rate_limit_exhausted(run: Run) -> str:
    host = run.host(run.config)
    run.sandbox.control.inject_fault(kind="fail", status=429, path_regex="/organization", count=50)
    return run.failing(lambda: run.create(host, "org"))


def maintenance_503(run: Run) -> str:
    page = Reply(503, b"<html><h1>Scheduled maintenance</h1></html>", content_type="text/html")
    server = run.hostile(lambda method, path, body: page)
    host = run.host({**run.config, "digicert:baseUrl": server.url})
    return run.failing(lambda: run.create(host, "org"))


def insufficient_funds(run: Run) -> str:
    host = run.host(run.config)
    org_id, _ = run.create(host, "org")
    run.sandbox.control.set_balance("0.00", negative_balance_limit="0.00")
    return run.failing(lambda: run.create(host, "order", organization_id=float(org_id)))


def organization_delete_not_permitted(run: Run) -> str:
    # An organization in use is kept (a stderr line, not a failure); a key that may not delete
    # is something the user must change.
    host = run.host(run.config)
    org_id, org_outs = run.create(host, "org", delete_on_destroy=True)
    run.sandbox.control.inject_fault(
        kind="fail", method="DELETE", path_regex="/organization/", status=403, count=1
    )
    return run.failing(lambda: host.delete(org_id, run.registered["org"].urn, org_outs))


def lost_response(run: Run) -> str:
    host = run.host(run.config)
    org_id, _ = run.create(host, "org")
    control = run.sandbox.control
    control.inject_fault(kind="drop_response", method="POST", path_regex="/order/certificate/")
    control.inject_fault(
        kind="fail", method="GET", path_regex="/order/alternate/", status=503, count=20, skip=1
    )
    return run.failing(lambda: run.create(host, "order", organization_id=float(org_id)))


def card_echoed(run: Run) -> str:
    run.secrets.extend([CARD["number"], GROUPED_CARD, "737"])
    echo = envelope(400, "invalid_card", f"Card {GROUPED_CARD} with cvv 737 was declined")
    none = envelope(404, "not_found|order", "No order has this alternative order id.")
    server = run.hostile(lambda method, path, body: none if method == "GET" else echo)
    host = run.host({**run.config, "digicert:baseUrl": server.url})
    return run.failing(
        lambda: run.create(
            host, "order", payment_method="card", credit_card=CARD, billing_address=BILLING
        )
    )


def misspelt_key(run: Run) -> str:
    host = run.host({**run.config, "digicert:api_key": "k"})
    return run.failing(lambda: run.create(host, "org"))


def unparsable_value(run: Run) -> str:
    host = run.host({**run.config, "digicert:requestTimeout": "soon"})
    return run.failing(lambda: run.create(host, "org"))


def key_with_line_break(run: Run) -> str:
    run.secrets.extend(BAD_KEY.split("\n"))
    host = run.host({**run.config, "digicert:apiKey": BAD_KEY})
    return run.failing(lambda: run.create(host, "org"))


def plain_http_base_url(run: Run) -> str:
    run.secrets.append(URL_SECRET)
    host = run.host({**run.config, "digicert:baseUrl": f"http://{URL_SECRET}.example.com/v2"})
    return run.failing(lambda: run.create(host, "org"))


def base_url_with_password(run: Run) -> str:
    run.secrets.append(URL_SECRET)
    url = f"https://user:{URL_SECRET}@www.digicert.com/services/v2?x={URL_SECRET}"
    host = run.host({**run.config, "digicert:baseUrl": url})
    return run.failing(lambda: run.create(host, "org"))


def check_country(run: Run) -> str:
    return run.check_failure(run.host({}), "org", country="USA")


def check_long_alternative_order_id(run: Run) -> str:
    return run.check_failure(run.host({}), "order", alternative_order_id="a" * 65)


def check_email(run: Run) -> str:
    contact = {**CONTACT, "email": "ada at example.com"}
    return run.check_failure(run.host({}), "org", organization_contact=contact)


def check_billing_key_with_line_break(run: Run) -> str:
    run.secrets.extend(BAD_KEY.split("\n"))
    return run.check_failure(run.host({}), "link", billing_account_api_key=BAD_KEY)


CASES: tuple[Case, ...] = (
    Case("bad key", bad_key, "digicert:apiKey", "DigiCert refused the API key"),
    Case("closed port", closed_port, "digicert:baseUrl", "could not connect to DigiCert"),
    Case("wrong base URL", wrong_base_url, "digicert:baseUrl", "DigiCert has no API route"),
    Case("missing path", missing_path, "digicert:baseUrl", "DigiCert has no API route"),
    Case(
        "rate limit exhausted",
        rate_limit_exhausted,
        "digicert:rateLimitBurst",
        "DigiCert kept refusing",
    ),
    Case(
        "maintenance window (503)",
        maintenance_503,
        "digicert:maxRetries",
        "DigiCert failed to answer",
    ),
    Case("insufficient funds", insufficient_funds, "payment_method", "insufficient_funds"),
    Case(
        "organization delete the key may not make",
        organization_delete_not_permitted,
        "digicert:apiKey",
        "CertCentral refused to delete organization",
    ),
    Case("lost response", lost_response, "alternative_order_id", "outcome is unknown"),
    Case("card echoed by DigiCert", card_echoed, "credit_card", "DigiCert refused POST"),
    Case("misspelt config key", misspelt_key, "digicert:apiKey", "is not a setting"),
    Case("unparsable config value", unparsable_value, "digicert:requestTimeout", "must be a"),
    Case(
        "key with a line break",
        key_with_line_break,
        "digicert:apiKey",
        "must be printable ASCII",
    ),
    Case("plain http base URL", plain_http_base_url, "digicert:baseUrl", "must use https://"),
    Case(
        "base URL with a password",
        base_url_with_password,
        "digicert:baseUrl",
        "must not contain a user name or password",
    ),
    Case("check: country", check_country, "country", "two-letter ISO country code"),
    Case(
        "check: long alternative_order_id",
        check_long_alternative_order_id,
        "alternative_order_id",
        "characters; at most 64",
    ),
    Case("check: email", check_email, "organization_contact.email", "must be an email address"),
    Case(
        "check: billing key with a line break",
        check_billing_key_with_line_break,
        "billing_account_api_key",
        "must be printable ASCII",
    ),
)


def is_one_sentence(text: str) -> bool:
    """Ends with a full stop and has no sentence break inside (". Next")."""
    return text.endswith(".") and not re.search(r"[.!?]\s+[A-Z]", text[:-1])


def last_line(details: str) -> str:
    """The last line, without the exception's ``module.Class: `` prefix; for a check failure the
    engine's sentence with the property named (the reason must not break it in two)."""
    line = details.rstrip().splitlines()[-1]
    if " has a problem: " in line:
        return re.sub(r"^.* resource '\w+': ", "", line).replace(" value <v>", "")
    return re.sub(r"^[\w.]+: ", "", line)


@pytest.fixture
def run(registered: dict[str, RegisteredResource]) -> Iterator[Run]:
    with running_sandbox() as sandbox:
        current = Run(sandbox, registered)
        current.secrets.extend(
            [sandbox.api_key, sandbox.partner_api_key, "placeholder0123", URL_SECRET]
        )
        try:
            yield current
        finally:
            for host in current.hosts:
                host.stop()
            for server in current.servers:
                server.stop()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_failure_ends_in_one_short_sentence_naming_what_to_change(case: Case, run: Run) -> None:
    details = case.cause(run)
    assert message_bytes(details) <= MESSAGE_LIMIT, f"{message_bytes(details)} bytes:\n{details}"
    assert frames(details) <= MAX_FRAMES, details
    assert "During handling of the above exception" not in details
    assert "The above exception was the direct cause" not in details
    assert leaked(details, run.secrets) == []
    stderr = "\n".join(host.stderr for host in run.hosts)
    assert leaked(stderr, run.secrets) == []
    sentence = last_line(details)
    assert is_one_sentence(sentence), sentence
    assert case.names in sentence, sentence
    assert case.shown in sentence, sentence


def test_the_sentence_checker_tells_one_sentence_from_two() -> None:
    assert is_one_sentence("DigiCert refused it (401): set digicert:apiKey (or DIGICERT_API_KEY).")
    assert not is_one_sentence("It failed. Run it again.")
    assert not is_one_sentence("No full stop")


def readme_troubleshooting() -> list[tuple[str, str]]:
    start = README.index("## Troubleshooting\n")
    end = README.index("\n## ", start + 1)
    rows = []
    for line in README[start:end].splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) == 3 and not set(cells[0]) <= {"-", " "}:
            rows.append((cells[0].replace("\\|", "|"), cells[2]))
    return rows[1:]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_readme_troubleshooting_table_lists_each_failure(case: Case) -> None:
    rows = [(seen, todo) for seen, todo in readme_troubleshooting() if case.shown in seen]
    assert rows, f"no Troubleshooting row quotes {case.shown!r}"
    assert any(case.names in todo for _, todo in rows), rows
