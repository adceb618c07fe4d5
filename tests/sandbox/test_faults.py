"""Fault injection and traffic stats: what the client's retry and adoption logic is tested on."""

from __future__ import annotations

import time

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer

from .builders import ORGANIZATION, PRODUCT, TLS, create_organization, error_codes, order_body


def order_count(clean_sandbox: SandboxServer) -> int:
    return len(clean_sandbox.control.orders())


def test_drop_response_commits_then_cuts_the_connection(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    organization_id = create_organization(services_api)
    clean_sandbox.control.inject_fault(
        kind="drop_response", method="POST", path_regex="/order/certificate/"
    )
    with pytest.raises(httpx.TransportError):
        services_api.post(
            f"/order/certificate/{PRODUCT}",
            json=order_body(organization_id, alternative_order_id="lost1"),
        )
    # the order was placed although no response came back
    placed = services_api.get("/order/alternate/lost1")
    assert placed.status_code == 200
    assert len(placed.json()["orders"]) == 1
    # count defaults to 1: the next POST is answered
    again = services_api.post(f"/order/certificate/{PRODUCT}", json=order_body(organization_id))
    assert again.status_code == 201
    assert clean_sandbox.control.faults() == []


def test_drop_response_is_not_an_http_error(clean_sandbox: SandboxServer) -> None:
    clean_sandbox.control.inject_fault(kind="drop_response", path_regex="/finance/balance")
    with (
        httpx.Client(
            verify=TLS,
            base_url=clean_sandbox.services_url,
            headers={"X-DC-DEVKEY": clean_sandbox.api_key},
        ) as fresh,
        pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)),
    ):
        fresh.get("/finance/balance")


def test_fail_answers_the_status_without_touching_state(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    clean_sandbox.control.inject_fault(
        kind="fail", method="POST", path_regex="/organization$", status=503, count=2
    )
    for _ in range(2):
        failed = services_api.post("/organization", json=ORGANIZATION)
        assert failed.status_code == 503
        assert error_codes(failed) == ["service_unavailable"]
    assert services_api.get("/organization").json()["organizations"] == []
    assert services_api.post("/organization", json=ORGANIZATION).status_code == 201


def test_skip_lets_the_first_matching_requests_through(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    clean_sandbox.control.inject_fault(
        kind="fail", path_regex="/finance/balance", status=503, skip=2
    )
    assert [services_api.get("/finance/balance").status_code for _ in range(3)] == [200, 200, 503]
    assert services_api.get("/finance/balance").status_code == 200


def test_skip_must_be_a_whole_number(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    with pytest.raises(httpx.HTTPStatusError) as refused:
        clean_sandbox.control.inject_fault(kind="fail", skip=-1)
    assert "skip" in refused.value.response.text


def test_fail_matches_method_and_path(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    clean_sandbox.control.inject_fault(
        kind="fail", method="POST", path_regex="/domain", status=500, count=5
    )
    assert services_api.get("/organization").status_code == 200
    assert services_api.get("/domain").status_code == 200
    failed = services_api.post("/domain", json={})
    assert failed.status_code == 500
    assert error_codes(failed) == ["internal_error"]


def test_fail_with_429_looks_like_the_rate_limit(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    clean_sandbox.control.inject_fault(kind="fail", status=429)
    limited = services_api.get("/finance/balance")
    assert limited.status_code == 429
    assert error_codes(limited) == ["request_limit_exceeded"]


def test_probability_zero_never_fires(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    clean_sandbox.control.inject_fault(kind="fail", status=500, probability=0.0, count=1)
    assert all(services_api.get("/finance/balance").status_code == 200 for _ in range(5))


def test_latency_delays_matching_requests(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    clean_sandbox.control.inject_fault(kind="latency", seconds=0.3, path_regex="/finance/", count=1)
    started = time.monotonic()
    assert services_api.get("/finance/balance").status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    services_api.get("/finance/balance")
    assert time.monotonic() - started < 0.3


def test_latency_past_the_client_timeout_is_a_timeout(clean_sandbox: SandboxServer) -> None:
    clean_sandbox.control.inject_fault(kind="latency", seconds=0.5, count=1)
    with (
        httpx.Client(
            verify=TLS,
            base_url=clean_sandbox.services_url,
            headers={"X-DC-DEVKEY": clean_sandbox.api_key},
            timeout=0.1,
        ) as impatient,
        pytest.raises(httpx.ReadTimeout),
    ):
        impatient.get("/finance/balance")


def test_maintenance_resets_api_connections_for_a_while(
    services_api: httpx.Client, partner_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    clean_sandbox.control.inject_fault(kind="maintenance", seconds=0.5)
    with pytest.raises(httpx.TransportError):
        services_api.get("/finance/balance")
    with pytest.raises(httpx.TransportError):
        partner_api.put("/finance/account-link")
    assert clean_sandbox.control.settings()["burst_limit"] == 100  # the control API still answers
    time.sleep(0.6)
    assert services_api.get("/finance/balance").status_code == 200
    assert clean_sandbox.control.faults() == []


def test_clear_faults(services_api: httpx.Client, clean_sandbox: SandboxServer) -> None:
    clean_sandbox.control.inject_fault(kind="fail", status=500, count=10)
    assert len(clean_sandbox.control.faults()) == 1
    clean_sandbox.control.clear_faults()
    assert services_api.get("/finance/balance").status_code == 200


def test_a_fault_is_described_as_given_with_the_seconds_left_not_its_deadline(
    clean_sandbox: SandboxServer,
) -> None:
    control = clean_sandbox.control
    control.inject_fault(kind="fail", method="post", path_regex="/domain", count=2, status=500)
    control.inject_fault(kind="maintenance", seconds=30, path_regex="/never-requested")
    failing, maintenance = control.faults()
    assert failing == {
        "id": failing["id"],
        "kind": "fail",
        "method": "POST",
        "path_regex": "/domain",
        "count": 2,
        "probability": 1.0,
        "status": 500,
        "seconds": 0.0,
        "skip": 0,
        "remaining_seconds": None,
    }
    # A monotonic deadline means nothing to the caller: the seconds left instead.
    assert set(maintenance) == set(failing)
    assert 25 < maintenance["remaining_seconds"] <= 30


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "explode"},
        {"kind": "fail", "status": 200},
        {"kind": "fail", "count": 0},
        {"kind": "latency"},
        {"kind": "maintenance", "seconds": -1},
        {"kind": "fail", "path_regex": "("},
        {"kind": "fail", "probability": 2},
        {"kind": "fail", "when": "now"},
    ],
)
def test_bad_fault_specs_are_refused(clean_sandbox: SandboxServer, spec: dict[str, object]) -> None:
    with pytest.raises(httpx.HTTPStatusError) as refused:
        clean_sandbox.control.inject_fault(**spec)
    assert refused.value.response.status_code == 400
    assert error_codes(refused.value.response) == ["invalid_fault"]


def test_faults_never_hit_the_control_api(clean_sandbox: SandboxServer) -> None:
    clean_sandbox.control.inject_fault(kind="fail", status=500, count=100)
    clean_sandbox.control.inject_fault(kind="drop_response", count=100)
    assert clean_sandbox.control.settings()["rate_limit_enabled"] is True
    assert len(clean_sandbox.control.faults()) == 2


# ---------------------------------------------------------------- stats


def test_stats_count_api_requests_by_route_template_and_status(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    organization_id = create_organization(services_api)
    services_api.get(f"/organization/{organization_id}")
    services_api.get("/organization/3999999")
    clean_sandbox.control.inject_fault(kind="drop_response", method="GET", path_regex="/finance/")
    with pytest.raises(httpx.TransportError):
        services_api.get("/finance/balance")
    clean_sandbox.control.settings()  # control traffic is not counted
    stats = clean_sandbox.control.stats()
    assert stats["total"] == 4
    assert sorted(
        (row["method"], row["path_template"], row["status"], row["count"])
        for row in stats["requests"]
    ) == [
        ("GET", "/services/v2/finance/balance", 0, 1),
        ("GET", "/services/v2/organization/{organization_id}", 200, 1),
        ("GET", "/services/v2/organization/{organization_id}", 404, 1),
        ("POST", "/services/v2/organization", 201, 1),
    ]
    clean_sandbox.control.reset_stats()
    assert clean_sandbox.control.stats() == {"requests": [], "total": 0}


def test_stats_count_refused_and_partner_requests(
    services_api: httpx.Client, partner_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    with httpx.Client(verify=TLS, base_url=clean_sandbox.services_url) as anonymous:
        anonymous.get("/finance/balance")
    partner_api.put(
        "/finance/account-link",
        headers={
            "X-PARTNER-APIKEY": clean_sandbox.partner_api_key,
            "X-DC-DEVKEY": clean_sandbox.api_key,
        },
    )
    rows = {
        (r["path_template"], r["status"]): r["count"]
        for r in clean_sandbox.control.stats()["requests"]
    }
    assert rows == {
        ("/services/v2/finance/balance", 403): 1,
        ("/partner-subscription/api/v1/finance/account-link", 204): 1,
    }
