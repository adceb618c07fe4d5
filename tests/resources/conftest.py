from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from tests.resources.inputs import ORGANIZATION

from pulumi_digicert.resources import (
    DocumentSigningOrderProvider,
    DomainValidationProvider,
    OrganizationProvider,
)
from pulumi_digicert.resources._provider import Provider

P = TypeVar("P", bound=Provider)


@pytest.fixture
def configured(sandbox_config: dict[str, Any]) -> Iterator[Callable[[type[P]], P]]:
    """A provider configured as the host configures it, from stack config."""
    made: list[Provider] = []

    def make(cls: type[P]) -> P:
        provider = cls()
        provider.configure(ConfigureRequest(Config(sandbox_config, "test")))
        made.append(provider)
        return provider

    yield make
    for provider in made:
        provider.close()


@pytest.fixture
def sandbox_http(sandbox: Any) -> Iterator[httpx.Client]:
    """Plain HTTP access to the sandbox's CertCentral API, for arranging and asserting."""
    with httpx.Client(
        base_url=sandbox.services_url,
        headers={"X-DC-DEVKEY": sandbox.api_key, "Content-Type": "application/json"},
        timeout=10,
    ) as client:
        yield client


@pytest.fixture
def organization_id(configured: Callable[..., Any]) -> float:
    """A new organization in the sandbox, for the resources that belong to one."""
    provider: OrganizationProvider = configured(OrganizationProvider)
    return float(provider.create(dict(ORGANIZATION)).id)


@pytest.fixture
def orders(configured: Callable[..., Any]) -> DocumentSigningOrderProvider:
    provider: DocumentSigningOrderProvider = configured(DocumentSigningOrderProvider)
    return provider


@pytest.fixture
def domains(configured: Callable[..., Any]) -> DomainValidationProvider:
    provider: DomainValidationProvider = configured(DomainValidationProvider)
    return provider
