"""State written before the provider package was restructured still loads.

Users' state holds each resource's ``__provider``: the provider pickled by reference, its module
and class name. The blobs in ``fixtures/provider_blobs_09644bb.json`` were registered by
``run_program`` before the restructuring; the engine hands such a blob back on every refresh,
update and destroy, and the host unpickles it with ``dill.loads`` (the SDK's
``pulumi/dynamic/__main__.py``, ``get_provider``).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import dill
import pytest

from pulumi_digicert.testing import PROVIDER_KEY, ProviderHost, make_urn

BLOBS: dict[str, str] = json.loads(
    (Path(__file__).parent / "fixtures" / "provider_blobs_09644bb.json").read_text()
)["blobs"]

# Written from DESIGN.md's contract (`pulumi_digicert.resources.<module>.<Name>Provider`), not
# read from the code: these paths are in users' state and may never move.
PICKLED_PATHS = {
    "Organization": "pulumi_digicert.resources.organization.OrganizationProvider",
    "DomainValidation": "pulumi_digicert.resources.domain_validation.DomainValidationProvider",
    "DomainValidationCheck": (
        "pulumi_digicert.resources.domain_validation_check.DomainValidationCheckProvider"
    ),
    "DocumentSigningOrder": (
        "pulumi_digicert.resources.document_signing_order.DocumentSigningOrderProvider"
    ),
    "BillingAccountLink": (
        "pulumi_digicert.resources.billing_account_link.BillingAccountLinkProvider"
    ),
}

# A required input each resource lacks in an empty declaration: check must name it.
REQUIRED = {
    "Organization": "name",
    "DomainValidation": "domain_name",
    "DomainValidationCheck": "domain_id",
    "DocumentSigningOrder": "product",
    "BillingAccountLink": "billing_account_api_key",
}


def test_every_resource_has_an_old_blob() -> None:
    assert set(BLOBS) == set(PICKLED_PATHS) == set(REQUIRED)


@pytest.mark.parametrize("resource", sorted(BLOBS))
def test_an_old_blob_unpickles_to_the_provider_at_its_contract_path(resource: str) -> None:
    provider = dill.loads(base64.b64decode(BLOBS[resource]))
    cls = type(provider)
    assert f"{cls.__module__}.{cls.__qualname__}" == PICKLED_PATHS[resource]
    # Nothing was pickled with it: no settings, no client, no secret.
    assert vars(provider) == {}


@pytest.mark.parametrize("resource", sorted(BLOBS))
def test_the_host_checks_with_an_old_blob(resource: str) -> None:
    urn = make_urn(f"pulumi-python:dynamic/digicert:{resource}", "old", project="old")
    news: dict[str, Any] = {PROVIDER_KEY: BLOBS[resource]}
    with ProviderHost(project="old") as host:
        host.configure({})
        checked, failures = host.check(urn, {}, news)
    assert checked[PROVIDER_KEY] == BLOBS[resource]
    assert REQUIRED[resource] in {failure.property for failure in failures}
