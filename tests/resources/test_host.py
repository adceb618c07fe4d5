"""The resources driven through the real dynamic-provider host over gRPC, as the engine does.

Blobs and inputs come from a program run under set_mocks, so the host unpickles exactly what a
real program registers. A real sandbox serves the API on a loopback port.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from tests.resources.inputs import declared_organization, signing_order
from tests.resources.observe import orders_with

import pulumi_digicert as digicert
from pulumi_digicert.testing import UNKNOWN, HostError, ProviderHost
from pulumi_digicert.testing.program import RegisteredResource, run_program
from qa.scenarios import OTHER_CONTACT


def program() -> None:
    org = digicert.Organization(
        "acme",
        **declared_organization("Host Corp"),
    )
    domain = digicert.DomainValidation(
        "example", domain_name="host.example.com", organization_id=org.id
    )
    digicert.DomainValidationCheck("example-check", domain_id=domain.id, wait_timeout_seconds=0)
    signing_order("signing", 1)
    digicert.BillingAccountLink("billing", billing_account_api_key="placeholder")


@pytest.fixture(scope="module")
def registered() -> dict[str, RegisteredResource]:
    return {r.name: r for r in run_program(program, project="quickstart", stack="dev")}


@pytest.fixture
def host(sandbox_config: dict[str, Any]) -> Iterator[ProviderHost]:
    with ProviderHost(project="quickstart", stack="dev") as started:
        started.configure(sandbox_config)
        yield started


def apply(
    host: ProviderHost, resource: RegisteredResource, inputs: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """Check then Create, failing the test on a check failure."""
    checked, failures = host.check(resource.urn, {}, inputs)
    assert failures == []
    return host.create(resource.urn, checked)


def under_new_organization(
    host: ProviderHost, registered: dict[str, RegisteredResource], name: str
) -> tuple[RegisteredResource, dict[str, Any]]:
    """``name`` and its declared inputs, pointed at an organization created through ``host``."""
    org_id, _ = apply(host, registered["acme"], dict(registered["acme"].inputs))
    resource = registered[name]
    return resource, {**resource.inputs, "organization_id": float(org_id)}


def test_organization_lifecycle_through_the_host(
    host: ProviderHost, registered: dict[str, RegisteredResource], sandbox: Any
) -> None:
    org = registered["acme"]
    inputs = dict(org.inputs)
    id_, outs = apply(host, org, inputs)
    assert outs["organization_id"] == int(id_)
    assert outs["__provider"] == org.provider_blob

    read_id, read_outs, read_inputs = host.read(id_, org.urn, outs, inputs)
    assert read_id == id_
    assert read_inputs is not None

    checked, _ = host.check(org.urn, inputs, inputs)
    assert host.diff(id_, org.urn, read_outs, checked).changes is False

    news, _ = host.check(org.urn, inputs, {**inputs, "organization_contact": OTHER_CONTACT})
    diff = host.diff(id_, org.urn, read_outs, news)
    assert (diff.changes, diff.replaces) == (True, ())
    updated = host.update(id_, org.urn, read_outs, news)
    assert updated["organization_contact"]["email"] == OTHER_CONTACT["email"]
    assert updated["organization_id"] == int(id_)

    renamed, _ = host.check(org.urn, inputs, {**inputs, "name": "Host Corporation"})
    assert host.diff(id_, org.urn, updated, renamed).replaces == ("name",)

    # Kept in CertCentral unless delete_on_destroy, and the user is told on stderr.
    host.delete(id_, org.urn, updated)
    assert host.read(id_, org.urn, updated, inputs)[0] == id_
    assert host.wait_for_stderr(f"organization {id_} kept in CertCentral")

    deleting = {**updated, "delete_on_destroy": True}
    host.delete(id_, org.urn, deleting)
    assert host.read(id_, org.urn, deleting, inputs)[0] == ""


def test_domain_and_check_lifecycle_through_the_host(
    host: ProviderHost, registered: dict[str, RegisteredResource], sandbox: Any
) -> None:
    domain, inputs = under_new_organization(host, registered, "example")
    domain_id, outs = apply(host, domain, inputs)
    assert outs["dcv_token"]

    sandbox.control.publish_dns("host.example.com", "TXT", outs["dcv_token"])
    check = registered["example-check"]
    check_inputs = {**check.inputs, "domain_id": float(domain_id), "wait_timeout_seconds": 5.0}
    _, check_outs = apply(host, check, check_inputs)
    assert check_outs["validated"] is True

    news, _ = host.check(domain.urn, inputs, {**inputs, "dcv_method": "dns-cname-token"})
    assert host.diff(domain_id, domain.urn, outs, news).replaces == ()
    updated = host.update(domain_id, domain.urn, outs, news)
    assert updated["dcv_method"] == "dns-cname-token"

    host.delete(domain_id, domain.urn, updated)
    assert host.read(domain_id, domain.urn, updated, news)[0] == ""


def test_order_lifecycle_through_the_host(
    host: ProviderHost, registered: dict[str, RegisteredResource], sandbox: Any
) -> None:
    order, inputs = under_new_organization(host, registered, "signing")
    order_id, outs = apply(host, order, inputs)
    assert outs["alternative_order_id"] == order.inputs["alternative_order_id"]

    sandbox.control.advance_order(int(order_id), "approve")
    _, read_outs, _ = host.read(order_id, order.urn, outs, inputs)
    assert read_outs["status"] == "pending"

    news, _ = host.check(order.urn, inputs, {**inputs, "comments": "approved by legal"})
    assert host.diff(order_id, order.urn, read_outs, news).replaces == ()
    updated = host.update(order_id, order.urn, read_outs, news)
    assert updated["comments"] == "approved by legal"
    assert updated["status"] == "pending"

    more_years, _ = host.check(order.urn, inputs, {**inputs, "validity_years": 2.0})
    assert host.diff(order_id, order.urn, updated, more_years).replaces == ("validity_years",)

    host.delete(order_id, order.urn, updated)
    assert host.read(order_id, order.urn, updated, news)[0] == ""


def test_billing_link_through_the_host_never_returns_the_key(
    host: ProviderHost, registered: dict[str, RegisteredResource], sandbox: Any
) -> None:
    billing = sandbox.control.create_account("Billing")
    link = registered["billing"]
    inputs = {**link.inputs, "billing_account_api_key": billing["api_key"]}
    id_, outs = apply(host, link, inputs)
    assert outs["linked"] is True
    assert billing["api_key"] not in repr(outs)
    host.delete(id_, link.urn, outs)
    assert billing["api_key"] not in host.stderr


def test_lost_create_response_then_retried_create_adopts_the_same_order(
    sandbox: Any, sandbox_config: dict[str, Any], registered: dict[str, RegisteredResource]
) -> None:
    with ProviderHost(project="quickstart", stack="dev") as host:
        host.configure({**sandbox_config, "digicert:maxRetries": "0"})
        order, inputs = under_new_organization(host, registered, "signing")
        alternative_order_id = inputs["alternative_order_id"]
        # The order is committed but its response is lost, and every lookup that follows
        # fails: the provider cannot know, so this Create must fail without ordering again.
        sandbox.control.inject_fault(
            kind="drop_response", method="POST", path_regex="/order/certificate/", count=1
        )
        sandbox.control.inject_fault(
            kind="fail", method="GET", path_regex="/order/alternate/", status=503, count=20, skip=1
        )
        checked, _ = host.check(order.urn, {}, inputs)
        with pytest.raises(HostError, match="looks up alternative_order_id"):
            host.create(order.urn, checked)
        assert len(orders_with(sandbox, alternative_order_id)) == 1

        sandbox.control.clear_faults()
        order_id, outs = host.create(order.urn, checked)  # the engine's next `up`
        assert outs["adopted"] is True
        assert [o["id"] for o in orders_with(sandbox, alternative_order_id)] == [int(order_id)]


def test_eight_concurrent_creates_through_the_host_threads(
    host: ProviderHost, registered: dict[str, RegisteredResource], sandbox: Any
) -> None:
    order, inputs = under_new_organization(host, registered, "signing")

    def create(index: int) -> str:
        return apply(host, order, {**inputs, "alternative_order_id": f"concurrent{index}"})[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(8)))
    assert len(set(ids)) == 8
    for index in range(8):
        assert len(orders_with(sandbox, f"concurrent{index}")) == 1


LATE_IDS: dict[str, list[str]] = {
    "acme": [],
    "example": ["organization_id"],
    "example-check": ["domain_id"],
    "signing": ["organization_id"],
    "billing": [],
}


def test_preview_check_and_diff_need_no_key_and_make_no_api_call(
    registered: dict[str, RegisteredResource], sandbox: Any
) -> None:
    sandbox.control.reset_stats()
    with ProviderHost(project="quickstart", stack="dev") as host:
        host.configure({})
        for resource in registered.values():
            # In preview, ids of resources created in the same run are unknown.
            unknown_inputs = {**resource.inputs, **dict.fromkeys(LATE_IDS[resource.name], UNKNOWN)}
            known_inputs = {**resource.inputs, **dict.fromkeys(LATE_IDS[resource.name], 7.0)}
            olds, _ = host.check(resource.urn, {}, known_inputs)
            news, failures = host.check(resource.urn, olds, unknown_inputs)
            assert failures == [], (resource.name, failures)
            first = host.diff("1", resource.urn, olds, news)
            second = host.diff("1", resource.urn, olds, news)
            assert first == second
    assert sandbox.control.stats()["total"] == 0
