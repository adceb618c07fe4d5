"""Section ``sandbox_input``: the sandbox's own input fuzzing, reported apart because no provider
code runs. Bad requests to every route it serves must be answered 4xx with DigiCert's envelope
(``{"errors": [{"code", "message"}]}``), never 5xx."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import given, seed
from hypothesis import strategies as st

from pulumi_digicert.sandbox import SandboxApp, SandboxServer
from qa import scenarios
from qa.reliability.campaign import Campaign, SectionResult, deploy_everything
from qa.reliability.fuzzing import Tally, hypothesis_settings, junk_values, mutate, mutation_ops
from qa.scenarios import stack_config

SANDBOX_BODIES: dict[str, dict[str, Any]] = {
    "POST /services/v2/organization": {**scenarios.ORGANIZATION, "name": "Fuzz Corp"},
    "PUT /services/v2/organization/{organization_id}/contact": {
        "contacts": [{"contact_type": "organization_contact", **scenarios.CONTACT}]
    },
    "POST /services/v2/organization/{organization_id}/validation": {
        "validations": [{"type": "ov"}]
    },
    "POST /services/v2/domain": {
        "name": "fuzz.example.com",
        "organization": {"id": 1},
        "validations": [{"type": "ov"}],
        "dcv_method": "dns-txt-token",
    },
    "PUT /services/v2/domain/{domain_id}/dcv/method": {"dcv_method": "dns-cname-token"},
    "POST /services/v2/domain/{domain_id}/validation": {"validations": [{"type": "ov"}]},
    "POST /services/v2/order/certificate/{product}": {
        "certificate": {"signature_hash": "sha256"},
        "organization": {"id": 1},
        "order_validity": {"years": 1},
        "payment_method": "balance",
        "alternative_order_id": "fuzz1",
    },
    "PUT /services/v2/order/certificate/{order_id}/status": {"status": "canceled"},
    "PUT /services/v2/order/certificate/{order_id}/revoke": {"comments": "fuzz"},
    "PUT /services/v2/request/{request_id}/status": {"status": "rejected"},
    "PUT /partner-subscription/api/v1/finance/account-link": {},
}


def sandbox_routes(server: SandboxServer) -> list[tuple[str, str, bool]]:
    """Every route the sandbox serves: ``(method, template, is_control)``. The control API's
    reset is left out (it would undo the objects the other cases refer to)."""
    app = SandboxApp(server.backend, faults=server.faults, stats=server.stats)
    return [route for route in app.routes() if route[1] != "/_sandbox/reset"]


def _valid_envelope(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    errors = body.get("errors") if isinstance(body, dict) else None
    return (
        isinstance(errors, list)
        and bool(errors)
        and all(
            isinstance(e, dict)
            and isinstance(e.get("code"), str)
            and isinstance(e.get("message"), str)
            for e in errors
        )
    )


def fuzz_sandbox(
    campaign: Campaign,
    server: SandboxServer,
    ids: Mapping[str, int],
    routes: list[tuple[str, str, bool]],
) -> Tally:
    """Bad requests to each of ``routes``: 4xx with the envelope, never a 5xx."""
    tally = Tally()
    baseline = server.control.settings()
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        for method, template, is_control in routes:
            _fuzz_route(campaign, server, http, ids, tally, method, template, is_control, baseline)
    return tally


def _request_strategies(server: SandboxServer, ids: Mapping[str, int], key: str) -> dict[str, Any]:
    junk = junk_values()
    template = SANDBOX_BODIES.get(key)
    bodies = [
        st.just(("none", None)),
        junk.map(lambda v: ("json", v)),
        st.binary(max_size=300).map(lambda b: ("raw", b)),
    ]
    if template is not None:
        bodies.append(st.just(("json", template)))
        bodies.append(mutation_ops(template).map(lambda ops: ("json", mutate(template, ops))))
    return {
        "param": st.one_of(
            st.sampled_from([str(v) for v in ids.values()]),
            st.integers(min_value=-(10**3), max_value=10**30).map(str),
            st.text(max_size=30),
            st.sampled_from(["document_signing_org_1", "ssl_basic", "0", "-1", "9" * 40, "%00"]),
        ),
        "query": st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=3),
        "body": st.one_of(*bodies),
        "api_key": st.one_of(
            st.just(server.api_key),
            st.just(server.api_key),
            st.none(),
            st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
        ),
    }


def _fuzz_route(
    campaign: Campaign,
    server: SandboxServer,
    http: httpx.Client,
    ids: Mapping[str, int],
    tally: Tally,
    method: str,
    template: str,
    is_control: bool,
    baseline: Mapping[str, Any],
) -> None:
    names = [part[1:-1] for part in template.split("/") if part.startswith("{")]
    strategies = _request_strategies(server, ids, f"{method} {template}")

    @seed(campaign.config.seed)
    @hypothesis_settings(campaign.config.sandbox_examples_per_route)
    @given(
        params=st.lists(strategies["param"], min_size=len(names), max_size=len(names)),
        query=strategies["query"],
        body=strategies["body"],
        api_key=strategies["api_key"],
    )
    def one_case(
        params: list[str], query: dict[str, str], body: tuple[str, Any], api_key: str | None
    ) -> None:
        path = template
        for name, value in zip(names, params, strict=True):
            path = path.replace("{" + name + "}", quote(value, safe=""), 1)
        headers = {"Content-Type": "application/json"}
        if is_control:  # past the guard: the routes themselves are what is fuzzed here
            headers["Authorization"] = f"Bearer {server.control_token}"
        if api_key is not None:
            headers["X-DC-DEVKEY"] = api_key
            partner = server.partner_api_key if api_key == server.api_key else api_key
            headers["X-PARTNER-APIKEY"] = partner
        kind, value = body
        content: bytes | None = None
        if kind == "json":
            content = json.dumps(value).encode()
        elif kind == "raw":
            content = value
        tally.cases += 1
        try:
            response = http.request(method, path, params=query, content=content, headers=headers)
        except httpx.LocalProtocolError:
            # The client itself refused to send it (a header value with a leading or trailing
            # space, say): no request reached the sandbox, so it says nothing about it.
            tally.cases -= 1
            tally.unsendable += 1
            return
        except httpx.HTTPError as exc:
            tally.crash(f"{method} {template}: no response ({type(exc).__name__})")
            return
        finally:
            if is_control:
                server.faults.clear()
                server.control.update_settings(**baseline)
        campaign.scanner.scan("sandbox responses", f"{method} {template}", response.content)
        if response.status_code >= 500:
            tally.crash(f"{method} {path}: {response.status_code} {response.text[:200]}")
        elif response.status_code >= 400:
            if _valid_envelope(response):
                tally.refused += 1
            else:
                tally.crash(f"{method} {path}: {response.status_code} without the envelope")
        else:
            tally.accepted += 1

    one_case()


def sandbox_input(campaign: Campaign) -> SectionResult:
    result = SectionResult("sandbox_input")
    with campaign.sandbox(rate_limit=False) as server:
        with campaign.host("apply", stack_config(server)) as applying:
            deployed = deploy_everything(campaign, server, applying)
        ids = {
            "organization": int(deployed["Organization"].id),
            "domain": int(deployed["DomainValidation"].id),
            "order": int(deployed["DocumentSigningOrder"].id),
            "request": int(deployed["DocumentSigningOrder"].outputs.get("request_id") or 1),
        }
        routes = sandbox_routes(server)
        tally = fuzz_sandbox(campaign, server, ids, routes)
    result.figures = {
        "cases": tally.cases,
        "crashes": tally.crashes,
        "4xx_with_envelope": tally.refused,
        "2xx": tally.accepted,
        "not_sendable_by_the_client": tally.unsendable,
        "routes": len(routes),
        "crash_examples": tally.examples,
        "seed": campaign.config.seed,
    }
    result.expect(tally.crashes == 0, f"{tally.crashes} sandbox crash(es)")
    return result.finish()
