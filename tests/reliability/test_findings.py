"""Bugs the campaign found, pinned as specifications."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.output import Unknown

from pulumi_digicert.client import models
from pulumi_digicert.resources import (
    DomainValidationCheckProvider,
    DomainValidationProvider,
    OrganizationProvider,
)
from pulumi_digicert.resources.domain_validation import summarise_validations
from pulumi_digicert.tools._reliability_support import CampaignSecrets, SecretScanner
from support.sandbox import running_sandbox, stack_config

ORGANIZATION = {
    "name": "Acme",
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
}


@pytest.mark.parametrize("validations", [Unknown(), [Unknown()], [{"type": Unknown()}]])
def test_organization_check_accepts_validations_unknown_in_preview(validations: Any) -> None:
    # Was: "inputs: could not be validated: TypeError" (check_rules iterated the unknown).
    result = OrganizationProvider().check({}, {**ORGANIZATION, "validations": validations})
    assert result.failures == []


def test_rejected_domain_validation_is_reported_as_rejected_not_pending() -> None:
    # Was: a rejected validation (failed DCV) summarised as "pending", so refresh never showed it.
    live = models.Domain.model_validate(
        {"validations": [{"type": "ov", "status": "rejected", "dcv_status": "failed"}]}
    )
    assert summarise_validations(live, ["ov"]) == ("rejected", None)


@pytest.fixture
def sandbox() -> Iterator[Any]:
    with running_sandbox(rate_limit=False) as server:
        yield server


@pytest.mark.parametrize(
    "path", ["/organization/99999999999999999999", "/order/certificate/99999999999999999999"]
)
def test_sandbox_answers_404_for_an_id_out_of_range(sandbox: Any, path: str) -> None:
    response = httpx.get(sandbox.services_url + path, headers={"X-DC-DEVKEY": sandbox.api_key})
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"].startswith("not_found")


def test_domain_validation_check_is_not_validated_once_the_validation_expired() -> None:
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


def test_the_scanner_finds_a_secret_wherever_it_is() -> None:
    secrets = CampaignSecrets.for_seed(1)
    scanner = SecretScanner(secrets)
    card = secrets.card_numbers[0]
    grouped = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    scanner.scan("host log lines", "a log line", f"charging {grouped}")
    scanner.scan("grpc responses", "bytes", secrets.api_key.encode())
    import base64
    import pickle

    blob = base64.b64encode(pickle.dumps({"key": secrets.partner_api_key})).decode()
    scanner.scan_json("state", "outputs", {"__provider": blob})
    scanner.scan("host log lines", "clean", "nothing to see")
    figures = scanner.figures()
    assert figures["leaks"] == 3
    assert set(figures["leaks_by_secret"]) == {
        "card number 1 (grouped)",
        "api key",
        "partner api key",
    }
    assert figures["leaks_by_surface"] == {
        "host log lines": 1,
        "grpc responses": 1,
        "provider blobs": 1,
    }
    assert card not in repr(figures)


def test_the_scanner_counts_a_repeated_text_once_per_surface() -> None:
    scanner = SecretScanner(CampaignSecrets.for_seed(1))
    for _ in range(3):
        scanner.scan("grpc responses", "check", "same answer")
    scanner.scan("state", "outputs", "same answer")
    scanner.scan_lines("host log lines", "stderr", "line one\nline two\n\nline one\n")
    figures = scanner.figures()
    assert figures["distinct_texts_by_surface"]["grpc responses"] == 1
    assert figures["distinct_texts_by_surface"]["state"] == 1
    assert figures["distinct_texts_by_surface"]["host log lines"] == 2
    assert figures["repeats_not_counted"] == 3


def test_the_scanner_refuses_a_surface_it_does_not_claim() -> None:
    with pytest.raises(ValueError, match="unknown surface"):
        SecretScanner(CampaignSecrets.for_seed(1)).scan("elsewhere", "x", "text")


@pytest.fixture
def configured(sandbox: Any) -> Iterator[Callable[[Any], Any]]:
    """Configure providers against the sandbox; their HTTP clients are closed afterwards."""
    made: list[Any] = []

    def configure(provider: Any) -> Any:
        provider.configure(ConfigureRequest(Config(stack_config(sandbox), "findings")))
        made.append(provider)
        return provider

    yield configure
    for provider in made:
        provider.close()


def test_organization_read_of_saved_validations_that_are_not_types_answers(
    configured: Callable[[Any], Any],
) -> None:
    # Was: "failed unexpectedly during Organization read (TypeError)": a damaged saved state
    # whose validation type was an object made the type lookup unhashable.
    organizations = configured(OrganizationProvider())
    created = organizations.create({**ORGANIZATION, "validations": [{"type": "ov"}]})
    damaged = {**created.outs, "validations": [{"type": {}}, {"type": "ov"}]}
    read = organizations.read(created.id, damaged)
    assert read.id == created.id
    assert read.inputs["validations"] == [{"type": "ov"}]


def test_domain_validation_read_and_update_of_damaged_saved_validations_answer(
    configured: Callable[[Any], Any],
) -> None:
    # Was: "failed unexpectedly during DomainValidation read/update (TypeError)": a saved
    # validation that was a list, and a window that was not a number of days.
    organizations = configured(OrganizationProvider())
    organization_id = float(organizations.create(ORGANIZATION).id)
    domains = configured(DomainValidationProvider())
    inputs = {"domain_name": "damaged.example.com", "organization_id": organization_id}
    created = domains.create(inputs)
    damaged = {
        **created.outs,
        "validations": [["ov"], "ov"],
        "revalidate_days_before_expiry": "soon",
    }
    assert domains.read(created.id, damaged).id == created.id
    updated = domains.update(created.id, damaged, {**inputs, "validations": ["ov"]})
    assert updated.outs["domain_id"] == float(created.id)


def test_the_seed_fixes_every_generated_case() -> None:
    # What the README says the seed reproduces: the keys and every generated bad input.
    from hypothesis import given, seed

    from pulumi_digicert.tools.reliability import _hypothesis_settings, mutation_ops

    inputs = {**ORGANIZATION, "validations": [{"type": "ov"}], "__provider": "blob"}

    def generated(run_seed: int) -> list[str]:
        cases: list[str] = []

        @seed(run_seed)
        @_hypothesis_settings(25)
        @given(ops=mutation_ops(inputs))
        def collect(ops: list[tuple[Any, ...]]) -> None:
            cases.append(repr(ops))

        collect()
        return cases

    assert generated(20240607) == generated(20240607)
    assert generated(20240607) != generated(7)
    assert CampaignSecrets.for_seed(20240607) == CampaignSecrets.for_seed(20240607)
