"""DomainValidation and DomainValidationCheck provider methods against a real sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from tests.resources.inputs import DOMAIN
from tests.resources.observe import submissions

from pulumi_digicert.resources import (
    DomainValidationCheckProvider,
    DomainValidationProvider,
)


def domain_inputs(organization_id: float, **extra: Any) -> dict[str, Any]:
    return {**DOMAIN, "organization_id": organization_id, **extra}


def test_create_adds_the_domain_and_returns_its_dcv_token(
    domains: DomainValidationProvider, organization_id: float, sandbox_http: httpx.Client
) -> None:
    result = domains.create(domain_inputs(organization_id))
    assert result.outs is not None
    assert result.outs["domain_id"] == int(result.id)
    assert result.outs["dcv_token"]
    assert result.outs["dcv_token_expires_at"]
    assert result.outs["validation_status"] == "pending"
    assert result.outs["adopted"] is False
    live = sandbox_http.get(f"/domain/{result.id}", params={"include_dcv": "true"}).json()
    assert live["name"] == "example.com"
    assert live["dcv_method"] == "dns-txt-token"


def test_cname_method_exposes_the_verification_value(
    domains: DomainValidationProvider, organization_id: float
) -> None:
    result = domains.create(domain_inputs(organization_id, dcv_method="dns-cname-token"))
    assert result.outs is not None
    assert result.outs["dcv_verification_value"]


def test_create_adopts_and_reactivates_a_deactivated_domain(
    domains: DomainValidationProvider, organization_id: float, sandbox_http: httpx.Client
) -> None:
    first = domains.create(domain_inputs(organization_id))
    assert sandbox_http.put(f"/domain/{first.id}/deactivate").status_code in (200, 204)
    second = domains.create(domain_inputs(organization_id))
    assert second.id == first.id
    assert second.outs is not None
    assert second.outs["adopted"] is True
    assert sandbox_http.get(f"/domain/{first.id}").json()["is_active"] is True


def test_update_changes_the_dcv_method_in_place(
    domains: DomainValidationProvider, organization_id: float, sandbox_http: httpx.Client
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    updated = domains.update(
        created.id, created.outs, domain_inputs(organization_id, dcv_method="dns-cname-token")
    )
    assert updated.outs is not None
    assert updated.outs["dcv_method"] == "dns-cname-token"
    assert updated.outs["domain_id"] == int(created.id)
    assert sandbox_http.get(f"/domain/{created.id}").json()["dcv_method"] == "dns-cname-token"


def test_update_submits_an_added_validation_type(
    domains: DomainValidationProvider,
    organization_id: float,
    sandbox_http: httpx.Client,
    sandbox: Any,
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    sandbox.control.reset_stats()
    updated = domains.update(
        created.id, created.outs, domain_inputs(organization_id, validations=["ov", "ev"])
    )
    live = sandbox_http.get(f"/domain/{created.id}", params={"include_validation": "true"}).json()
    assert {"ov", "ev"} <= {v["type"] for v in live["validations"]}
    # A new type next to a current token: submitted alone (204), the token kept.
    assert submission_statuses(sandbox) == [204]
    assert updated.outs is not None
    assert updated.outs["dcv_token"] == created.outs["dcv_token"]


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
    domains: DomainValidationProvider, organization_id: float, sandbox_http: httpx.Client
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    sandbox_http.put(f"/domain/{created.id}/deactivate")
    assert domains.read(created.id, created.outs).id == ""


def test_delete_deactivates_and_a_missing_domain_is_success(
    domains: DomainValidationProvider, organization_id: float, sandbox_http: httpx.Client
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    domains.delete(created.id, created.outs)
    assert sandbox_http.get(f"/domain/{created.id}").json()["is_active"] is False
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


# -- www. as DigiCert documents it ------------------------------------------------------------
#
# Add domain drops a leading www. for email and DNS methods; file-based DCV (http-token)
# validates the exact name, so www. stays (DigiCert change log, "Keep the www subdomain label
# when adding a domain"; API.md B10).


@pytest.mark.parametrize(
    ("method", "stored"),
    [
        ("dns-txt-token", "example.com"),
        ("dns-cname-token", "example.com"),
        ("email", "example.com"),
        ("http-token", "www.example.com"),
    ],
)
def test_a_www_name_is_added_and_adopted_as_certcentral_stores_it(
    domains: DomainValidationProvider,
    organization_id: float,
    sandbox_http: httpx.Client,
    method: str,
    stored: str,
) -> None:
    inputs = domain_inputs(organization_id, domain_name="www.example.com", dcv_method=method)
    first = domains.create(inputs)
    assert sandbox_http.get(f"/domain/{first.id}").json()["name"] == stored
    second = domains.create(inputs)  # a re-run, or a second stack: adopted, not added again
    assert second.outs is not None
    assert (second.id, second.outs["adopted"]) == (first.id, True)
    assert len(sandbox_http.get("/domain").json()["domains"]) == 1


@pytest.mark.parametrize(
    ("old", "new", "replaces"),
    [
        ({"domain_name": "www.example.com"}, {"domain_name": "example.com"}, []),
        (
            {"domain_name": "www.example.com", "dcv_method": "http-token"},
            {"domain_name": "example.com", "dcv_method": "http-token"},
            ["domain_name"],
        ),
        # Same declared name, but CertCentral would hold another one: a different domain.
        (
            {"domain_name": "www.example.com"},
            {"domain_name": "www.example.com", "dcv_method": "http-token"},
            ["domain_name"],
        ),
        (
            {"domain_name": "example.com"},
            {"domain_name": "example.com", "dcv_method": "http-token"},
            [],
        ),
        ({"domain_name": "Example.COM."}, {"domain_name": "example.com"}, []),
    ],
)
def test_diff_replaces_only_when_certcentral_would_hold_another_name(
    old: dict[str, Any], new: dict[str, Any], replaces: list[str]
) -> None:
    provider = DomainValidationProvider()
    olds = provider.recorded_inputs({**DOMAIN, "dcv_method": "dns-txt-token", **old})
    diff = provider.diff("1", olds, {**DOMAIN, "dcv_method": "dns-txt-token", **new})
    assert list(diff.replaces) == replaces


# -- revalidation: 397 days, and again at any time ----------------------------------------------

DAY = 86_400


def validated_domain(
    domains: DomainValidationProvider, organization_id: float, sandbox: Any, **extra: Any
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    domains.now = sandbox.control.now  # type: ignore[method-assign]  # the sandbox's clock
    inputs = domain_inputs(organization_id, **extra)
    created = domains.create(inputs)
    assert created.outs is not None
    sandbox.control.complete_dcv(int(created.id))
    return created.id, created.outs, inputs


def submission_statuses(sandbox: Any) -> list[int]:
    return [
        r["status"]
        for r in sandbox.control.stats()["requests"]
        if (r["method"], r["path_template"])
        == ("POST", "/services/v2/domain/{domain_id}/validation")
    ]


def test_refresh_shows_an_expired_validation_and_the_next_up_submits_it_again(
    domains: DomainValidationProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
) -> None:
    domain_id, outs, declared = validated_domain(domains, organization_id, sandbox)
    sandbox.control.advance_clock(398 * DAY)  # validation lasts 397 days
    read = domains.read(domain_id, outs)
    assert read.outs is not None
    assert read.inputs is not None
    assert read.inputs["validations"] == []
    assert read.outs["validation_status"] == "expired"
    diff = domains.diff(domain_id, read.outs, declared)
    assert (diff.changes, diff.replaces) == (True, [])

    sandbox.control.reset_stats()
    updated = domains.update(domain_id, read.outs, declared)
    assert submission_statuses(sandbox) == [201]  # sent with the DCV method: a body
    assert updated.outs is not None
    assert updated.outs["validations"] == ["ov"]
    assert updated.outs["validation_status"] == "pending"
    # Sent with the DCV method (201 and a body): a fresh token to publish, the old one long gone.
    assert updated.outs["dcv_token"] != outs["dcv_token"]
    live = sandbox_http.get(f"/domain/{domain_id}", params={"include_validation": "true"}).json()
    assert live["validations"][0]["status"] == "pending"

    # Submitted: the next refresh and preview are quiet, and nothing is sent twice.
    again = domains.read(domain_id, updated.outs)
    assert again.outs is not None
    assert domains.diff(domain_id, again.outs, declared).changes is False
    sandbox.control.complete_dcv(int(domain_id))
    done = domains.read(domain_id, again.outs)
    assert done.outs is not None
    assert done.outs["validation_status"] == "validated"


def test_a_missing_validation_type_is_drift_too(
    domains: DomainValidationProvider, organization_id: float, sandbox: Any
) -> None:
    domain_id, outs, _ = validated_domain(domains, organization_id, sandbox)
    declared = domain_inputs(organization_id, validations=["ov", "ev"])
    read = domains.read(domain_id, {**outs, "validations": ["ov", "ev"]})
    assert read.inputs is not None
    assert read.inputs["validations"] == ["ov"]
    assert domains.diff(domain_id, read.outs or {}, declared).changes is True


@pytest.mark.parametrize(
    ("window", "days_later", "due"),
    [
        (None, 380, False),  # off by default: only an expired validation is due
        (30, 360, False),  # 37 days left
        (30, 368, True),  # 29 days left
        (365, 33, True),  # 364 days left
    ],
)
def test_revalidation_before_expiry_is_decided_at_refresh(
    domains: DomainValidationProvider,
    organization_id: float,
    sandbox: Any,
    window: int | None,
    days_later: int,
    due: bool,
) -> None:
    domain_id, outs, declared = validated_domain(
        domains, organization_id, sandbox, revalidate_days_before_expiry=window
    )
    sandbox.control.advance_clock(days_later * DAY)
    # Diff never reads the clock: before a refresh nothing is due, whatever the date.
    assert domains.diff(domain_id, outs, declared).changes is False
    read = domains.read(domain_id, outs)
    assert read.outs is not None
    assert read.outs["validation_status"] == "validated"
    assert domains.diff(domain_id, read.outs, declared).changes is due
    if due:
        sandbox.control.reset_stats()
        updated = domains.update(domain_id, read.outs, declared)
        assert submissions(sandbox) == 1
        assert updated.outs is not None
        # The current validation stays in use while the revalidation is pending (API.md B7).
        assert updated.outs["validation_status"] == "validated"
        after = domains.read(domain_id, updated.outs)
        assert after.outs is not None
        assert domains.diff(domain_id, after.outs, declared).changes is False


def test_the_revalidation_window_is_a_state_field_that_needs_no_call(
    domains: DomainValidationProvider, organization_id: float, sandbox: Any
) -> None:
    created = domains.create(domain_inputs(organization_id))
    assert created.outs is not None
    news = domain_inputs(organization_id, revalidate_days_before_expiry=45.0)
    diff = domains.diff(created.id, created.outs, news)
    assert (diff.changes, diff.replaces) == (True, [])
    sandbox.control.reset_stats()
    updated = domains.update(created.id, created.outs, news)
    assert sandbox.control.stats()["total"] == 0
    assert updated.outs is not None
    assert updated.outs["revalidate_days_before_expiry"] == 45


def test_adoption_submits_a_lapsed_validation_again(
    domains: DomainValidationProvider,
    organization_id: float,
    sandbox: Any,
    sandbox_http: httpx.Client,
) -> None:
    domain_id, _, declared = validated_domain(domains, organization_id, sandbox)
    sandbox.control.advance_clock(400 * DAY)
    sandbox.control.reset_stats()
    adopted = domains.create(declared)
    assert adopted.id == domain_id
    assert submissions(sandbox) == 1
    assert adopted.outs is not None
    assert adopted.outs["validation_status"] == "pending"


# -- Found by the reliability campaign (qa/reliability), pinned here -------------------------


def test_a_rejected_validation_is_reported_as_rejected_not_pending() -> None:
    # Was: a rejected validation (failed DCV) summarised as "pending", so refresh never showed it.
    from pulumi_digicert.client import models
    from pulumi_digicert.resources.domain_validation import summarise_validations

    live = models.Domain.model_validate(
        {"validations": [{"type": "ov", "status": "rejected", "dcv_status": "failed"}]}
    )
    assert summarise_validations(live, ["ov"]) == ("rejected", None)


def test_read_and_update_of_damaged_saved_validations_answer(
    domains: DomainValidationProvider, organization_id: float
) -> None:
    # Was: "failed unexpectedly during DomainValidation read/update (TypeError)": a saved
    # validation that was a list, and a window that was not a number of days.
    inputs = {"domain_name": "damaged.example.com", "organization_id": organization_id}
    created = domains.create(inputs)
    assert created.outs is not None
    damaged = {
        **created.outs,
        "validations": [["ov"], "ov"],
        "revalidate_days_before_expiry": "soon",
    }
    assert domains.read(created.id, damaged).id == created.id
    updated = domains.update(created.id, damaged, {**inputs, "validations": ["ov"]})
    assert updated.outs is not None
    assert updated.outs["domain_id"] == float(created.id)
