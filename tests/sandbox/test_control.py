"""The control API lets through only the process that started the sandbox, and answers every
hostile input with a 400 in CertCentral's envelope, persisting nothing: on a real server."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxApp, SandboxControl, SandboxServer, SandboxSettings

from .builders import ORGANIZATION, TLS

ATTACKER_KEY = "key-a-web-page-chose-1"


def envelope_codes(response: httpx.Response) -> list[str]:
    body = response.json()
    assert isinstance(body, dict), body
    assert set(body) == {"errors"}, body
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"code", "message"}
        assert isinstance(error["code"], str)
        assert isinstance(error["message"], str)
    return [error["code"] for error in body["errors"]]


def control_routes(sandbox_server: SandboxServer) -> list[tuple[str, str]]:
    app = SandboxApp(
        sandbox_server.backend, faults=sandbox_server.faults, stats=sandbox_server.stats
    )
    return [(method, template) for method, template, is_control in app.routes() if is_control]


@pytest.fixture
def raw(clean_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """Plain HTTP to the sandbox, with nothing added."""
    with httpx.Client(base_url=clean_sandbox.base_url, timeout=10, verify=TLS) as client:
        yield client


def authorised(clean_sandbox: SandboxServer, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {clean_sandbox.control_token}", **headers}


def account_key_works(clean_sandbox: SandboxServer, api_key: str) -> bool:
    response = httpx.get(
        clean_sandbox.services_url + "/finance/balance",
        headers={"X-DC-DEVKEY": api_key},
        verify=TLS,
    )
    return response.status_code == 200


# ---------------------------------------------------------------- the token


def test_every_control_route_refuses_a_request_without_the_token(
    clean_sandbox: SandboxServer, raw: httpx.Client
) -> None:
    clean_sandbox.control.update_settings(auto_issue_after=7)
    clean_sandbox.control.publish_dns("kept.example", "TXT", "kept")
    routes = control_routes(clean_sandbox)
    assert len(routes) >= 20
    for method, template in routes:
        path = template.replace("{order_id}", "1").replace("{domain_id}", "1")
        path = path.replace("{organization_id}", "1")
        body = None if method == "GET" else {"name": "Pwned", "api_key": ATTACKER_KEY}
        response = raw.request(method, path, json=body)
        assert response.status_code == 401, (method, template, response.text)
        assert envelope_codes(response) == ["unauthorized|control_token"]
    # Nothing happened: not the reset, not the account, not the settings.
    assert clean_sandbox.control.settings()["auto_issue_after"] == 7
    assert clean_sandbox.control.dns_records() == [
        {"name": "kept.example", "type": "TXT", "value": "kept"}
    ]
    assert not account_key_works(clean_sandbox, ATTACKER_KEY)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer wrong-token",
        "Basic {token}",
        "{token}",
        "Bearer {token}x",
        "Bearer x{token}",
    ],
)
def test_a_wrong_or_missing_token_is_refused(
    clean_sandbox: SandboxServer, raw: httpx.Client, authorization: str | None
) -> None:
    headers = (
        {}
        if authorization is None
        else {"Authorization": authorization.format(token=clean_sandbox.control_token)}
    )
    response = raw.get("/_sandbox/clock", headers=headers)
    assert response.status_code == 401
    assert envelope_codes(response) == ["unauthorized|control_token"]
    assert clean_sandbox.control_token not in response.text


def test_the_right_token_is_let_through(clean_sandbox: SandboxServer, raw: httpx.Client) -> None:
    for scheme in ("Bearer", "bearer"):
        response = raw.get(
            "/_sandbox/clock", headers={"Authorization": f"{scheme} {clean_sandbox.control_token}"}
        )
        assert response.status_code == 200


def test_sandbox_control_reads_the_token_from_the_environment(
    clean_sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGICERT_SANDBOX_CONTROL_TOKEN", clean_sandbox.control_token)
    with SandboxControl(clean_sandbox.base_url) as control:
        assert control.settings() == clean_sandbox.control.settings()
        assert clean_sandbox.control_token not in repr(control)
    monkeypatch.delenv("DIGICERT_SANDBOX_CONTROL_TOKEN")
    with (
        SandboxControl(clean_sandbox.base_url) as control,
        pytest.raises(httpx.HTTPStatusError) as refused,
    ):
        control.settings()
    assert refused.value.response.status_code == 401


def test_each_server_has_its_own_token_unless_given_one() -> None:
    with SandboxServer() as first, SandboxServer() as second:
        assert first.control_token != second.control_token
        assert len(first.control_token) >= 24
        assert first.control_token not in repr(first)
    with SandboxServer(control_token="chosen-token") as chosen:
        assert chosen.control_token == "chosen-token"
        assert chosen.control.now() > 0
    with pytest.raises(ValueError, match="printable ASCII"):
        SandboxServer(control_token="line\nbreak")


# ---------------------------------------------------------------- hosts, origins, JSON only


def test_a_text_plain_post_from_another_site_creates_no_account(
    clean_sandbox: SandboxServer, raw: httpx.Client
) -> None:
    # What a web page can send without a preflight: a "simple" POST, text/plain, its own Host
    # (DNS rebinding) and Origin. Each of the guards refuses it on its own.
    body = json.dumps({"name": "Pwned", "api_key": ATTACKER_KEY})
    page = {
        "Host": f"rebound.attacker.example:{clean_sandbox.port}",
        "Origin": "http://rebound.attacker.example",
        "Content-Type": "text/plain;charset=UTF-8",
    }
    loopback = {"Host": f"127.0.0.1:{clean_sandbox.port}"}
    same_site = {**page, **loopback, "Origin": f"http://127.0.0.1:{clean_sandbox.port}"}
    attempts = [
        (page, 403, "forbidden|host"),
        ({**page, **loopback}, 403, "forbidden|origin"),
        (same_site, 401, "unauthorized|control_token"),
        (authorised(clean_sandbox, **same_site), 415, "unsupported_media_type"),
        (authorised(clean_sandbox, **page), 403, "forbidden|host"),
    ]
    for headers, status, code in attempts:
        response = raw.post("/_sandbox/accounts", content=body, headers=headers)
        assert response.status_code == status, (headers, response.text)
        assert envelope_codes(response) == [code]
        assert "api_key" not in response.text
    assert not account_key_works(clean_sandbox, ATTACKER_KEY)


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:{port}", True),
        ("localhost:{port}", True),
        ("LOCALHOST:{port}", True),
        ("localhost.:{port}", True),
        ("[::1]:{port}", True),
        ("127.0.0.1", True),
        ("attacker.example:{port}", False),
        ("127.0.0.1.attacker.example:{port}", False),
        ("localhost.attacker.example", False),
        ("[::ffff:7f00:1]:{port}", False),
        ("", False),
    ],
)
def test_only_loopback_names_or_the_bound_address_reach_the_control_api(
    clean_sandbox: SandboxServer, raw: httpx.Client, host: str, allowed: bool
) -> None:
    response = raw.get(
        "/_sandbox/clock",
        headers=authorised(clean_sandbox, Host=host.format(port=clean_sandbox.port)),
    )
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 403
        assert envelope_codes(response) == ["forbidden|host"]


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://127.0.0.1:{port}", True),
        ("http://localhost:{port}", True),
        ("http://attacker.example", False),
        ("https://127.0.0.1.attacker.example", False),
        ("null", False),
        ("", False),
    ],
)
def test_requests_from_a_web_page_of_another_origin_are_refused(
    clean_sandbox: SandboxServer, raw: httpx.Client, origin: str, allowed: bool
) -> None:
    headers = authorised(clean_sandbox, Origin=origin.format(port=clean_sandbox.port))
    response = raw.post(
        "/_sandbox/dns", json={"name": "o.example", "type": "TXT", "value": "v"}, headers=headers
    )
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 403
        assert envelope_codes(response) == ["forbidden|origin"]
        assert clean_sandbox.control.dns_records() == []


@pytest.mark.parametrize(
    ("content_type", "allowed"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("Application/JSON", True),
        ("text/plain", False),
        ("text/plain;charset=UTF-8", False),
        ("application/x-www-form-urlencoded", False),
        ("multipart/form-data; boundary=x", False),
        ("", False),
    ],
)
def test_the_control_api_accepts_json_only(
    clean_sandbox: SandboxServer, raw: httpx.Client, content_type: str, allowed: bool
) -> None:
    body = json.dumps({"name": "json.example", "type": "TXT", "value": "v"})
    response = raw.post(
        "/_sandbox/dns",
        content=body,
        headers=authorised(clean_sandbox, **{"Content-Type": content_type}),
    )
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 415
        assert envelope_codes(response) == ["unsupported_media_type"]
        assert clean_sandbox.control.dns_records() == []


def test_a_post_without_a_body_needs_no_content_type(
    clean_sandbox: SandboxServer, raw: httpx.Client
) -> None:
    response = raw.post("/_sandbox/reset", headers=authorised(clean_sandbox))
    assert response.status_code == 200


def test_the_certcentral_api_is_not_behind_the_control_guard(
    clean_sandbox: SandboxServer, raw: httpx.Client
) -> None:
    # Its keys are checked as CertCentral checks them; Host and Origin are not its business.
    headers = {
        "X-DC-DEVKEY": clean_sandbox.api_key,
        "Host": "api.example",
        "Origin": "http://page.example",
    }
    assert raw.get("/services/v2/finance/balance", headers=headers).status_code == 200
    keyless = raw.get("/services/v2/finance/balance")
    assert keyless.status_code == 403
    assert keyless.json()["errors"][0]["code"] == "access_denied|access_denied_invalid_key"


# ---------------------------------------------------------------- hostile inputs

BIG = 2**64
HOSTILE_CONTROL_INPUTS: list[tuple[str, str, str, bytes]] = [
    (
        "account id beyond 2^63 in the body",
        "PUT",
        "/balance",
        b'{"balance": "1.00", "account_id": %d}' % BIG,
    ),
    (
        "account id 2^63 in the body",
        "PUT",
        "/balance",
        b'{"balance": "1.00", "account_id": %d}' % 2**63,
    ),
    ("account id beyond 2^63 in the query", "GET", f"/balance?account_id={BIG}", b""),
    ("account id 0 in the query", "GET", "/balance?account_id=0", b""),
    ("balance beyond any amount", "PUT", "/balance", b'{"balance": "1' + b"0" * 5000 + b'.00"}'),
    ("NaN clock advance", "POST", "/clock", b'{"advance_seconds": NaN}'),
    ("Infinity clock advance", "POST", "/clock", b'{"advance_seconds": Infinity}'),
    ("-Infinity clock advance", "POST", "/clock", b'{"advance_seconds": -Infinity}'),
    ("clock advance beyond a double", "POST", "/clock", b'{"advance_seconds": 1e999}'),
    ("huge clock advance", "POST", "/clock", b'{"advance_seconds": 1e300}'),
    ("clock advance past 100 years", "POST", "/clock", b'{"advance_seconds": 4000000000}'),
    ("clock moved back", "POST", "/clock", b'{"advance_seconds": -1}'),
    ("deeply nested array", "POST", "/dns", b"[" * 100_000 + b"]" * 100_000),
    ("deeply nested object", "POST", "/accounts", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    ("nesting just past the limit", "PUT", "/settings", b'{"a":' * 33 + b"1" + b"}" * 33),
    ("unclosed nesting", "POST", "/dns", b"[" * 100_000),
    ("lone surrogate in an api key", "POST", "/accounts", b'{"name": "x", "api_key": "\\ud800"}'),
    (
        "lone surrogate in a partner key",
        "POST",
        "/partner/subaccounts",
        b'{"name": "x", "partner_api_key": "\\udfff"}',
    ),
    ("lone surrogate in a name", "POST", "/accounts", b'{"name": "\\ud800"}'),
    ("lone surrogate in an object key", "POST", "/accounts", b'{"\\ud800": "x", "name": "x"}'),
    (
        "lone surrogate in a DNS name",
        "POST",
        "/dns",
        b'{"name": "\\ud800.example", "type": "TXT", "value": "x"}',
    ),
    ("api key with a line break", "POST", "/accounts", b'{"name": "x", "api_key": "a\\nb"}'),
    ("api key with a space", "POST", "/accounts", b'{"name": "x", "api_key": "a b"}'),
    ("empty account name", "POST", "/accounts", b'{"name": ""}'),
    ("integer beyond 4300 digits", "PUT", "/settings", b'{"burst_limit": ' + b"9" * 5000 + b"}"),
    ("burst limit beyond 2^63", "PUT", "/settings", b'{"burst_limit": %d}' % BIG),
    ("NaN setting", "PUT", "/settings", b'{"auto_issue_after": NaN}'),
    ("huge setting", "PUT", "/settings", b'{"auto_validate_after": 1e300}'),
    ("latency of 1e300 seconds", "POST", "/faults", b'{"kind": "latency", "seconds": 1e300}'),
    ("fault count beyond 2^63", "POST", "/faults", b'{"kind": "fail", "count": %d}' % BIG),
    ("fault skip beyond 2^63", "POST", "/faults", b'{"kind": "fail", "skip": %d}' % BIG),
    ("NaN fault probability", "POST", "/faults", b'{"kind": "fail", "probability": NaN}'),
    (
        "regex that exhausts the compiler",
        "POST",
        "/faults",
        b'{"kind": "fail", "path_regex": "' + b"(" * 10_000 + b'"}',
    ),
    ("long regex", "POST", "/faults", b'{"kind": "fail", "path_regex": "' + b"a" * 5000 + b'"}'),
    ("body that is not JSON", "POST", "/dns", b"\xff\xfe"),
]


@pytest.fixture
def hostile(clean_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=clean_sandbox.base_url + "/_sandbox",
        headers=authorised(clean_sandbox, **{"Content-Type": "application/json"}),
        timeout=30,
        verify=TLS,
    ) as client:
        yield client


def send_hostile(client: httpx.Client, method: str, path: str, body: bytes) -> httpx.Response:
    return client.request(method, path, content=body or None)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [case[1:] for case in HOSTILE_CONTROL_INPUTS],
    ids=[case[0] for case in HOSTILE_CONTROL_INPUTS],
)
def test_hostile_control_input_is_a_400_in_the_envelope(
    clean_sandbox: SandboxServer, hostile: httpx.Client, method: str, path: str, body: bytes
) -> None:
    before = snapshot(clean_sandbox)
    response = send_hostile(hostile, method, path, body)
    assert response.status_code == 400, response.text[:300]
    codes = envelope_codes(response)
    assert all(
        code.startswith(("bad_request_format", "invalid_", "missing_field")) for code in codes
    ), codes
    assert len(response.content) < 2048
    assert snapshot(clean_sandbox) == before
    assert hostile.get("/clock").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"name": NaN}',
        b'{"name": "\\udc00"}',
        b'{"name": 1e999}',
    ],
    ids=["deep nesting", "NaN", "lone surrogate", "number beyond a double"],
)
def test_hostile_json_to_the_certcentral_api_is_a_400(
    services_api: httpx.Client, body: bytes
) -> None:
    response = services_api.post("/organization", content=body)
    assert response.status_code == 400
    assert envelope_codes(response) == ["bad_request_format"]
    assert services_api.get("/organization").json()["organizations"] == []


def snapshot(sandbox_server: SandboxServer) -> dict[str, Any]:
    """Everything a hostile request could have changed, read back through the control API."""
    control = sandbox_server.control
    with sandbox_server.backend.transaction() as ctx:
        accounts = len(ctx.tx.select("accounts"))
        partners = len(ctx.tx.select("partner_accounts"))
    return {
        "settings": control.settings(),
        "clock_offset": round(sandbox_server.backend.clock_offset, 3),
        "faults": control.faults(),
        "dns": control.dns_records(),
        "balance": control.balance(),
        "accounts": accounts,
        "partner_accounts": partners,
    }


def test_hostile_inputs_leave_nothing_behind_across_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "hostile.db")
    with SandboxServer(db) as sandbox_server:
        before = snapshot(sandbox_server)
        with httpx.Client(
            base_url=sandbox_server.base_url + "/_sandbox",
            headers=authorised(sandbox_server, **{"Content-Type": "application/json"}),
            timeout=30,
        ) as client:
            statuses = [
                send_hostile(client, m, p, b).status_code for _, m, p, b in HOSTILE_CONTROL_INPUTS
            ]
        assert set(statuses) == {400}
    with SandboxServer(db) as again:
        after = snapshot(again)
        assert after == before
        assert abs(again.control.now() - time.time()) < 60


def test_a_clock_offset_no_clock_can_have_is_reset_when_the_database_opens(tmp_path: Path) -> None:
    # Databases written before offsets were checked may hold NaN: it must not stop the sandbox.
    db = tmp_path / "nan.db"
    with SandboxServer(str(db)) as sandbox_server, httpx.Client(verify=TLS) as client:
        client.put(
            sandbox_server.services_url
            + "/organization",  # any traffic, so the file exists in full
            headers={"X-DC-DEVKEY": sandbox_server.api_key},
        )
    for stored in ("NaN", "Infinity", "-5", "1e300", '"soon"'):
        connection = sqlite3.connect(db)
        with connection:
            connection.execute("UPDATE meta SET value = ? WHERE key = 'clock_offset'", (stored,))
            connection.execute(
                "UPDATE meta SET value = ? WHERE key = 'settings'",
                (json.dumps({"burst_limit": 10**30, "auto_issue_after": 1e300}),),
            )
        connection.close()
        with SandboxServer(str(db)) as sandbox_server:
            assert abs(sandbox_server.control.now() - time.time()) < 60, stored
            assert sandbox_server.control.settings() == SandboxSettings().to_json()
            with httpx.Client(verify=TLS) as client:
                created = client.post(
                    sandbox_server.services_url + "/organization",
                    json={**ORGANIZATION, "skip_duplicate_org_check": True},
                    headers={"X-DC-DEVKEY": sandbox_server.api_key},
                )
            assert created.status_code == 201
        connection = sqlite3.connect(db)
        offset = connection.execute("SELECT value FROM meta WHERE key = 'clock_offset'").fetchone()
        connection.close()
        assert json.loads(offset[0]) == 0.0, stored
