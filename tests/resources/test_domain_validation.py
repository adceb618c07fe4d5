"""DomainValidation and DomainValidationCheck provider methods against a real sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from tests.resources.inputs import DOMAIN, ORGANIZATION

from pulumi_digicert.resources import (
    DomainValidationCheckProvider,
    DomainValidationProvider,
    OrganizationProvider,
)


@pytest.fixture
def organization_id(configured: Callable[..., Any]) -> float:
    provider: OrganizationProvider = configured(OrganizationProvider)
    return float(provider.create(dict(ORGANIZATION)).id)


@pytest.fixture
def domains(configured: Callable[..., Any]) -> DomainValidationProvider:
    provider: DomainValidationProvider = configured(DomainValidationProvider)
    return provider


def domain_inputs(organization_id: float, **extra: Any) -> dict[str, Any]:
    return {**DOMAIN, "organization_id": organization_id, **extra}


def test_create_adds_the_domain_and_returns_its_dcv_token(
    domains: DomainValidationProvider, organization_id: float, api: httpx.Client
) -> None:
    result = domains.create(domain_inputs(organization_id))
    assert result.outs is not None
    assert result.outs["domain_id"] == int(result.id)
    assert result.outs["dcv_token"]
    assert result.outs["dcv_token_expires_at"]
    assert result.outs["validation_status"] == "pending"
    assert result.outs["adopted"] is False
    live = api.get(f"/domain/{result.id}", params={"include_dcv": "true"}).json()
    assert live["name"] == "example.com"
    assert live["dcv_method"] == "dns-txt-token"


def test_cname_method_exposes_the_verification_value(
    domains: DomainValidationProvider, organization_id: float
) -> None:
    result = domains.create(domain_inputs(organization_id, dcv_method="dns-cname-token"))
    assert result.outs is not None
    assert result.outs["dcv_verification_value"]


def test_create_adopts_and_reactivates_a_deactivated_domain(
    domains: DomainValidationProvider, organization_id: float, api: httpx.Client
) -> None:
    first = domains.create(domain_inputs(organization_id))
    assert api.put(f"/domain/{first.id}/deactivate").status_code in (200, 204)
    second = domains.create(domain_inputs(organization_id))
    assert second.id == first.id
    assert second.outs is not None
    assert second.outs["adopted"] is True
    assert api.get(f"/domain/{first.id}").json()["is_active"] is True


def test_update_changes_the_dcv_method_in_place(
    domains: DomainValidationProvider, organization_id: float, api: httpx.Client
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    updated = domains.update(
        created.id, created.outs, domain_inputs(organization_id, dcv_method="dns-cname-token")
    )
    assert updated.outs is not None
    assert updated.outs["dcv_method"] == "dns-cname-token"
    assert updated.outs["domain_id"] == int(created.id)
    assert api.get(f"/domain/{created.id}").json()["dcv_method"] == "dns-cname-token"


def test_update_submits_an_added_validation_type(
    domains: DomainValidationProvider, organization_id: float, api: httpx.Client
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    domains.update(
        created.id, created.outs, domain_inputs(organization_id, validations=["ov", "ev"])
    )
    live = api.get(f"/domain/{created.id}", params={"include_validation": "true"}).json()
    assert {"ov", "ev"} <= {v["type"] for v in live["validations"]}


def test_read_sees_validation_completed_outside_pulumi(
    domains: DomainValidationProvider, organization_id: float, sandbox: Any
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    sandbox.control.complete_dcv(int(created.id))
    read = domains.read(created.id, created.outs)
    assert read.outs is not None
    assert read.outs["validation_status"] == "validated"
    assert read.outs["validated_until"]


def test_read_of_a_domain_deactivated_outside_pulumi_is_gone(
    domains: DomainValidationProvider, organization_id: float, api: httpx.Client
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    api.put(f"/domain/{created.id}/deactivate")
    assert domains.read(created.id, created.outs).id == ""


def test_delete_deactivates_and_a_missing_domain_is_success(
    domains: DomainValidationProvider, organization_id: float, api: httpx.Client
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    domains.delete(created.id, created.outs)
    assert api.get(f"/domain/{created.id}").json()["is_active"] is False
    domains.delete("999999", {})


def test_check_validates_once_the_token_is_published(
    domains: DomainValidationProvider,
    configured: Callable[..., Any],
    organization_id: float,
    sandbox: Any,
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    sandbox.control.publish_dns("example.com", "TXT", created.outs["dcv_token"])
    checker: DomainValidationCheckProvider = configured(DomainValidationCheckProvider)
    result = checker.create({"domain_id": float(created.id), "wait_timeout_seconds": 5})
    assert result.outs is not None
    assert result.outs["validated"] is True


def test_check_returns_pending_when_dns_is_slow_instead_of_failing(
    domains: DomainValidationProvider, configured: Callable[..., Any], organization_id: float
) -> None:
    created = domains.create(domain_inputs(organization_id))
    checker: DomainValidationCheckProvider = configured(DomainValidationCheckProvider)
    result = checker.create(
        {"domain_id": float(created.id), "wait_timeout_seconds": 0, "poll_interval_seconds": 1}
    )
    assert result.outs is not None
    assert result.outs["validated"] is False
    assert result.outs["validation_status"] == "pending"
