"""What every request goes through: keys, the error envelope, routes, bodies, rate limits."""

from __future__ import annotations

import re

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer
from pulumi_digicert.sandbox.app import SERVICES
from pulumi_digicert.sandbox.routes import SERVICES_PREFIX

from .builders import TLS, create_organization, error_codes

SERVICE_ROUTES = [(row.method, SERVICES_PREFIX + row.template) for row in SERVICES]


def concrete(template: str) -> str:
    return re.sub(r"\{(\w+)\}", "1", template).removeprefix(SERVICES_PREFIX)


@pytest.mark.parametrize(("method", "template"), SERVICE_ROUTES)
def test_every_endpoint_needs_a_valid_key(
    clean_sandbox: SandboxServer, method: str, template: str
) -> None:
    with httpx.Client(verify=TLS, base_url=clean_sandbox.services_url) as anonymous:
        missing = anonymous.request(method, concrete(template))
        wrong = anonymous.request(method, concrete(template), headers={"X-DC-DEVKEY": "nope"})
        partner_key = anonymous.request(
            method, concrete(template), headers={"X-PARTNER-APIKEY": clean_sandbox.partner_api_key}
        )
    # An unknown or revoked key gets 403 access_denied|access_denied_invalid_key from
    # CertCentral (a recorded exchange); a missing one is answered the same way here.
    for response in (missing, wrong, partner_key):
        assert response.status_code == 403
        assert error_codes(response) == ["access_denied|access_denied_invalid_key"]
    assert "nope" not in wrong.text


def test_unknown_route_is_404_not_found_route(services_api: httpx.Client) -> None:
    response = services_api.get("/nothing/here")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"code": "not_found|route", "message": "The specified route was not found."}]
    }
    assert error_codes(services_api.patch("/organization")) == ["not_found|route"]


def test_paths_outside_the_apis_are_404(clean_sandbox: SandboxServer) -> None:
    response = httpx.get(clean_sandbox.base_url + "/services/v3/organization")
    assert response.status_code == 404
    assert error_codes(response) == ["not_found|route"]


def test_body_must_be_a_json_object(services_api: httpx.Client) -> None:
    broken = services_api.post("/organization", content=b"{not json")
    assert broken.status_code == 400
    assert error_codes(broken) == ["bad_request_format"]
    array = services_api.post("/organization", json=[1, 2])
    assert error_codes(array) == ["bad_request_format"]


def test_errors_and_successes_are_json(services_api: httpx.Client) -> None:
    created = services_api.post("/organization", json={})
    assert created.headers["content-type"] == "application/json"
    organization_id = create_organization(services_api)
    deleted = services_api.delete(f"/organization/{organization_id}")
    assert deleted.status_code == 204
    assert deleted.content == b""


def test_another_accounts_objects_are_not_found(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    organization_id = create_organization(services_api)
    other = clean_sandbox.control.create_account("Other Co")
    with httpx.Client(
        verify=TLS, base_url=clean_sandbox.services_url, headers={"X-DC-DEVKEY": other["api_key"]}
    ) as other_api:
        assert other_api.get(f"/organization/{organization_id}").status_code == 404
        assert other_api.get("/organization").json()["organizations"] == []
        assert other_api.delete(f"/organization/{organization_id}").status_code == 404
    assert services_api.get(f"/organization/{organization_id}").status_code == 200


# ---------------------------------------------------------------- rate limits


def small_windows(clean_sandbox: SandboxServer) -> None:
    clean_sandbox.control.update_settings(
        burst_limit=3, burst_window=5, sustained_limit=5, sustained_window=60
    )


def test_burst_limit_answers_429_request_limit_exceeded(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    small_windows(clean_sandbox)
    statuses = [services_api.get("/finance/balance").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = services_api.get("/finance/balance")
    assert limited.json() == {
        "errors": [
            {
                "code": "request_limit_exceeded",
                "message": "Service unavailable, please limit request volume",
            }
        ]
    }
    assert "retry-after" not in limited.headers


def test_windows_roll_and_refusals_do_not_count(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    small_windows(clean_sandbox)
    for _ in range(3):
        assert services_api.get("/finance/balance").status_code == 200
    for _ in range(10):
        assert services_api.get("/finance/balance").status_code == 429
    clean_sandbox.control.advance_clock(5.5)  # the burst window has rolled on
    assert [services_api.get("/finance/balance").status_code for _ in range(3)] == [200, 200, 429]
    clean_sandbox.control.advance_clock(5.5)
    # five requests counted within 60 s: now the sustained window is full
    assert services_api.get("/finance/balance").status_code == 429
    clean_sandbox.control.advance_clock(60)
    assert services_api.get("/finance/balance").status_code == 200


def test_limits_are_per_key(services_api: httpx.Client, clean_sandbox: SandboxServer) -> None:
    small_windows(clean_sandbox)
    for _ in range(3):
        services_api.get("/finance/balance")
    assert services_api.get("/finance/balance").status_code == 429
    other = clean_sandbox.control.create_account("Other")
    with httpx.Client(
        verify=TLS, base_url=clean_sandbox.services_url, headers={"X-DC-DEVKEY": other["api_key"]}
    ) as c:
        assert c.get("/finance/balance").status_code == 200
    with httpx.Client(verify=TLS, base_url=clean_sandbox.partner_url) as partner_api:
        response = partner_api.put(
            "/finance/account-link",
            headers={
                "X-PARTNER-APIKEY": clean_sandbox.partner_api_key,
                "X-DC-DEVKEY": other["api_key"],
            },
        )
        assert response.status_code == 204


def test_rate_limit_can_be_switched_off(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    clean_sandbox.control.update_settings(burst_limit=2, rate_limit_enabled=False)
    assert {services_api.get("/finance/balance").status_code for _ in range(5)} == {200}


def test_default_limits_are_100_per_5_s_and_1000_per_3_min(clean_sandbox: SandboxServer) -> None:
    settings = clean_sandbox.control.settings()
    assert (settings["burst_limit"], settings["burst_window"]) == (100, 5.0)
    assert (settings["sustained_limit"], settings["sustained_window"]) == (1000, 180.0)
    assert settings["rate_limit_enabled"] is True


def test_hundred_and_first_request_in_five_seconds_is_refused(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    statuses = [services_api.get("/finance/balance").status_code for _ in range(101)]
    assert statuses.count(200) == 100
    assert statuses[-1] == 429


# -- Found by the reliability campaign (qa/reliability), pinned here -------------------------


@pytest.mark.parametrize(
    "path", ["/organization/99999999999999999999", "/order/certificate/99999999999999999999"]
)
def test_an_id_beyond_the_database_range_is_404_not_500(
    services_api: httpx.Client, path: str
) -> None:
    # Was: 500, for path ids beyond SQLite's integer range.
    response = services_api.get(path)
    assert response.status_code == 404
    assert error_codes(response)[0].startswith("not_found")
