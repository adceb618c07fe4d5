"""DomainValidationCheck: a check that cannot succeed fails at once, naming the method to use."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from tests.resources.inputs import DOMAIN, ORGANIZATION

from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert.client import errors, models
from pulumi_digicert.client.errors import ApiErrorDetail
from pulumi_digicert.resources import (
    DomainValidationCheckProvider,
    DomainValidationProvider,
    OrganizationProvider,
)


@pytest.fixture
def domain_id(configured: Callable[..., Any]) -> Callable[[str], float]:
    def make(dcv_method: str) -> float:
        organizations: OrganizationProvider = configured(OrganizationProvider)
        organization_id = float(organizations.create(dict(ORGANIZATION)).id)
        domains: DomainValidationProvider = configured(DomainValidationProvider)
        inputs = {**DOMAIN, "organization_id": organization_id, "dcv_method": dcv_method}
        return float(domains.create(inputs).id)

    return make


@pytest.fixture
def checker(configured: Callable[..., Any]) -> DomainValidationCheckProvider:
    provider: DomainValidationCheckProvider = configured(DomainValidationCheckProvider)
    return provider


@pytest.fixture
def txt_domain(domain_id: Callable[[str], float]) -> float:
    """A domain validated by DNS TXT token, the method a check can wait for."""
    return domain_id("dns-txt-token")


def test_an_email_validated_domain_fails_within_seconds_naming_the_method(
    checker: DomainValidationCheckProvider, domain_id: Callable[[str], float]
) -> None:
    started = time.monotonic()
    with pytest.raises(ResourceError) as raised:
        # The default wait is 300 s: failing fast is the point.
        checker.create({"domain_id": domain_id("email")})
    assert time.monotonic() - started < 10
    message = str(raised.value)
    assert "dcv_method 'email'" in message
    assert "dns-txt-token" in message


def test_a_check_certcentral_refuses_as_impossible_fails_at_once(
    checker: DomainValidationCheckProvider, txt_domain: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def refuse(domain: int) -> Any:
        calls.append(domain)
        raise errors.BadRequestError(
            "refused",
            status=400,
            errors=[ApiErrorDetail(code="invalid_dcv_method", message="Not a token method.")],
        )

    monkeypatch.setattr(checker.api.domains, "check_dcv", refuse)
    with pytest.raises(ResourceError, match="invalid_dcv_method"):
        checker.create({"domain_id": txt_domain, "wait_timeout_seconds": 300})
    assert calls == [int(txt_domain)]


def test_a_record_not_found_yet_is_pending_until_the_timeout(
    checker: DomainValidationCheckProvider, txt_domain: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [0.0]
    monkeypatch.setattr(checker, "clock", lambda: now[0])
    monkeypatch.setattr(checker, "sleep", lambda seconds: now.__setitem__(0, now[0] + seconds))

    def not_yet(domain: int) -> Any:
        raise errors.BadRequestError(
            "not yet",
            status=400,
            errors=[ApiErrorDetail(code="invalid_dns_txt", message="No TXT record found.")],
        )

    monkeypatch.setattr(checker.api.domains, "check_dcv", not_yet)
    result = checker.create(
        {"domain_id": txt_domain, "wait_timeout_seconds": 30, "poll_interval_seconds": 10}
    )
    assert result.outs is not None
    assert result.outs["validated"] is False
    assert now[0] == 30


# -- Found by the reliability campaign (qa/reliability), pinned here -------------------------


def test_a_check_is_not_validated_once_the_validation_expired() -> None:
    # Was: validated stayed true after the domain's validation expired.
    provider = DomainValidationCheckProvider()

    class Domains:
        def get(self, domain_id: int, **_: Any) -> models.Domain:
            return models.Domain.model_validate(
                {
                    "id": domain_id,
                    "dcv_token": {"token": "t", "status": "active"},
                    "validations": [{"type": "ov", "status": "expired", "dcv_status": "pending"}],
                }
            )

    class Api:
        domains = Domains()

    provider.use_client(Api())  # type: ignore[arg-type]
    assert provider._status(1, None)["validated"] is False
