"""Programs under pulumi.runtime.set_mocks: what the resource classes register."""

from __future__ import annotations

import base64
from typing import Any

import dill
import pytest
from tests.resources.inputs import (
    BILLING_ADDRESS,
    CARD,
    CONTACT,
    declared_organization,
    signing_order,
)

import pulumi_digicert as digicert
from pulumi_digicert.resources import derive_alternative_order_id
from pulumi_digicert.resources._provider import Provider
from pulumi_digicert.testing.program import RegisteredResource, run_program

API_KEY = "CONFIGAPIKEY0123456789ABCDEF"
PARTNER_KEY = "CONFIGPARTNERKEY0123456789"
BILLING_KEY = "BILLINGKEY0123456789ABCDEF"
STACK_CONFIG = {"digicert:apiKey": API_KEY, "digicert:partnerApiKey": PARTNER_KEY}
#: The subject of the program whose order id release 0.1.0 derived: pinned, not shared.
SUBJECT: dict[str, Any] = {
    "name": "Signing Desk",
    "job_title": "Release Engineering",
    "phone": "+1 555 0102",
    "email": "signing@example.com",
}


def full_program(order_name: str = "signing", validity_years: int = 1) -> None:
    org = digicert.Organization(
        "acme",
        **declared_organization("Acme Corp"),
        validations=[{"type": "ov"}],
    )
    domain = digicert.DomainValidation("example", domain_name="example.com", organization_id=org.id)
    digicert.DomainValidationCheck("example-check", domain_id=domain.domain_id)
    digicert.DocumentSigningOrder(
        order_name,
        product="document_signing_org_1",
        organization_id=1001,
        validity_years=validity_years,
        subject=SUBJECT,
        payment_method="card",
        credit_card=CARD,
        billing_address=BILLING_ADDRESS,
    )
    digicert.BillingAccountLink("billing", billing_account_api_key=BILLING_KEY)


def run(**kwargs: Any) -> dict[str, RegisteredResource]:
    resources = run_program(
        lambda: full_program(**kwargs), project="quickstart", stack="dev", config=STACK_CONFIG
    )
    return {r.name: r for r in resources}


def test_type_tokens_follow_the_contract() -> None:
    types = {name: r.type for name, r in run().items()}
    assert types == {
        "acme": "pulumi-python:dynamic/digicert:Organization",
        "example": "pulumi-python:dynamic/digicert:DomainValidation",
        "example-check": "pulumi-python:dynamic/digicert:DomainValidationCheck",
        "signing": "pulumi-python:dynamic/digicert:DocumentSigningOrder",
        "billing": "pulumi-python:dynamic/digicert:BillingAccountLink",
    }


def test_registered_inputs_are_the_declared_ones() -> None:
    resources = run()
    assert resources["acme"].args == {
        "name": "Acme Corp",
        "address": "1 Main St",
        "city": "Lehi",
        "state": "Utah",
        "zip": "84043",
        "country": "us",
        "organization_contact": CONTACT,
        "validations": [{"type": "ov"}],
    }
    order = resources["signing"].args
    assert order["product"] == "document_signing_org_1"
    assert order["validity_years"] == 1
    assert order["credit_card"]["number"] == CARD["number"]


def test_secret_inputs_are_registered_as_secrets() -> None:
    resources = run()
    assert "credit_card" in resources["signing"].secret_inputs
    assert "billing_account_api_key" in resources["billing"].secret_inputs


def test_derived_alternative_order_id_is_stable_and_follows_identity() -> None:
    first = run()["signing"].args["alternative_order_id"]
    again = run()["signing"].args["alternative_order_id"]
    changed = run(validity_years=2)["signing"].args["alternative_order_id"]
    renamed = run(order_name="signing2")["signing2"].args["alternative_order_id"]
    assert first == again
    assert len({first, changed, renamed}) == 3
    assert first.isalnum()
    assert len(first) <= 64


# Ids the derivation produced in release 0.1.0, written down once. They are a contract with
# every stack that has run `up`: after an interrupted `up`, the next one finds its order only
# under the same id. A change to the derivation must fail here and ship as a migration that
# still looks orders up under the ids below.
_BASE_IDENTITY: dict[str, Any] = {
    "product": "document_signing_org_1",
    "organization_id": 1001,
    "subject": {"name": "Signing Desk", "email": "signing@example.com"},
    "validity_years": 1,
    "signature_hash": "sha256",
    "csr": None,
    "server_platform_id": None,
    "cs_provisioning_method": None,
    "use_org_as_common_name": None,
    "container_id": None,
}
GOLDEN_ALTERNATIVE_ORDER_IDS: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("quickstart", "dev", "signing", _BASE_IDENTITY, "pdd74be0bcea20e2a3e34cbfcbffc270206f190c3d"),
    ("quickstart", "prod", "signing", _BASE_IDENTITY, "pd2453952d3c02ba2693fe1bdc0a49734ef8f957c7"),
    (
        "payroll",
        "prod",
        "release-signing",
        {
            **_BASE_IDENTITY,
            "product": "document_signing_org_2",
            "organization_id": 424242,
            "subject": {
                "name": "Release Engineering",
                "job_title": "Signing Desk",
                "phone": "+1 801 555 0100",
                "email": "release@example.com",
            },
            "validity_years": 3,
            "csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----",
            "server_platform_id": 21,
            "cs_provisioning_method": "email",
            "use_org_as_common_name": False,
            "container_id": 7,
        },
        "pd1b7321a2a709343a58d5506770ead3e23db9360e",
    ),
]


@pytest.mark.parametrize(
    ("project", "stack", "name", "identity", "golden"),
    GOLDEN_ALTERNATIVE_ORDER_IDS,
    ids=[f"{p}/{s}/{n}" for p, s, n, _, _ in GOLDEN_ALTERNATIVE_ORDER_IDS],
)
def test_the_derivation_still_yields_the_ids_of_release_0_1_0(
    project: str, stack: str, name: str, identity: dict[str, Any], golden: str
) -> None:
    assert derive_alternative_order_id(project, stack, name, identity) == golden


@pytest.mark.parametrize(
    "organization_id", [1001, 1001.0, "1001"], ids=["int", "float", "digit-string"]
)
def test_every_spelling_of_the_organization_id_derives_the_golden_id(
    organization_id: Any,
) -> None:
    identity = {**_BASE_IDENTITY, "organization_id": organization_id}
    derived = derive_alternative_order_id("quickstart", "dev", "signing", identity)
    assert derived == GOLDEN_ALTERNATIVE_ORDER_IDS[0][4]


def test_a_program_derives_the_id_release_0_1_0_derived_for_it() -> None:
    order = run()["signing"].args
    # The program's subject (all four fields) under release 0.1.0's derivation.
    assert order["alternative_order_id"] == "pd7ac5dc8691b821b61ddfbce216d752c67ad0f007"


def test_another_stack_derives_another_id() -> None:
    dev = run()["signing"].args["alternative_order_id"]
    prod = {
        r.name: r
        for r in run_program(full_program, project="quickstart", stack="prod", config=STACK_CONFIG)
    }["signing"].args["alternative_order_id"]
    assert dev != prod


def test_an_explicit_alternative_order_id_is_kept() -> None:
    def program() -> None:
        digicert.DocumentSigningOrder(
            "explicit",
            product="document_signing_org_2",
            organization_id=7,
            validity_years=3,
            subject=SUBJECT,
            alternative_order_id="TEAMCHOSEN42",
        )

    (order,) = run_program(program)
    assert order.args["alternative_order_id"] == "TEAMCHOSEN42"


def test_derived_id_is_unknown_in_preview_while_the_organization_is_unknown() -> None:
    def program() -> None:
        org = digicert.Organization("acme", **declared_organization("Acme"))
        signing_order("signing", org.organization_id, subject=SUBJECT)

    resources = {r.name: r for r in run_program(program, preview=True)}
    assert "alternative_order_id" in resources["signing"].unknown_inputs


def provider_of(resource: RegisteredResource) -> Any:
    blob = resource.provider_blob
    assert blob is not None
    return dill.loads(base64.b64decode(blob))


@pytest.mark.parametrize("name", ["acme", "example", "example-check", "signing", "billing"])
def test_provider_blob_is_small_and_holds_no_secret_or_config(name: str) -> None:
    resource = run()[name]
    blob = resource.provider_blob
    assert blob is not None
    assert len(blob) < 1024, len(blob)
    decoded = base64.b64decode(blob)
    for secret in (API_KEY, PARTNER_KEY, BILLING_KEY, CARD["number"], "digicert:"):
        assert secret.encode() not in decoded
        assert secret not in blob
    provider = provider_of(resource)
    assert isinstance(provider, Provider)
    assert vars(provider) == {}
