"""examples/partner-billing: two BillingAccountLinks whose keys are secrets, under mocks and
against a sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.examples.support import (
    PARTNER_BILLING_PROJECT,
    TYPE,
    DigiCertMocks,
    example_program,
    partner_billing_engine,
)

from pulumi_digicert.testing.engine import HostEngine
from pulumi_digicert.testing.program import execute_program

PROJECT = PARTNER_BILLING_PROJECT
BILLING_KEY = "billing-key-NEVER-IN-STATE-1"
SUBACCOUNT_KEY = "subaccount-partner-key-NEVER-IN-STATE-2"
program = example_program("partner-billing")


def test_links_parent_and_subaccount_with_secret_keys() -> None:
    config = {
        f"{PROJECT}:billingAccountApiKey": BILLING_KEY,
        f"{PROJECT}:subaccountPartnerApiKey": SUBACCOUNT_KEY,
    }
    run = execute_program(
        program,
        project=PROJECT,
        stack="sandbox",
        config=config,
        secret_config_keys=list(config),
        mocks=DigiCertMocks(),
    )
    assert [r.type for r in run.resources] == [TYPE.format("BillingAccountLink")] * 2
    parent = run.by_name("parent-billing")
    assert parent.args == {"billing_account_api_key": BILLING_KEY}
    assert parent.secret_inputs == {"billing_account_api_key"}
    subaccount = run.by_name("subaccount-billing")
    assert subaccount.args == {
        "billing_account_api_key": BILLING_KEY,
        "partner_api_key": SUBACCOUNT_KEY,
    }
    assert subaccount.secret_inputs == {"billing_account_api_key", "partner_api_key"}
    assert set(run.exports) == {"parent_linked", "subaccount_linked"}


def test_subaccount_may_have_its_own_billing_account() -> None:
    config = {
        f"{PROJECT}:billingAccountApiKey": BILLING_KEY,
        f"{PROJECT}:subaccountPartnerApiKey": SUBACCOUNT_KEY,
        f"{PROJECT}:subaccountBillingAccountApiKey": "other-billing-key",
    }
    run = execute_program(
        program,
        project=PROJECT,
        config=config,
        secret_config_keys=list(config),
        mocks=DigiCertMocks(),
    )
    subaccount = run.by_name("subaccount-billing")
    assert subaccount.args["billing_account_api_key"] == "other-billing-key"
    assert "billing_account_api_key" in subaccount.secret_inputs


@pytest.fixture
def engine(sandbox: Any) -> HostEngine:
    return partner_billing_engine(sandbox, SUBACCOUNT_KEY)


def test_both_accounts_are_linked_and_no_key_reaches_the_outputs(
    engine: HostEngine, sandbox: Any
) -> None:
    deployment = engine.up(program)
    assert deployment.exports == {"parent_linked": True, "subaccount_linked": True}
    links = sandbox.control.account_links()["links"]
    assert len(links) == 2
    assert len({link["billing_account_id"] for link in links}) == 1
    resources = deployment.resource_entries().values()
    outputs = json.dumps([entry["outputs"] for entry in resources])
    for key in (sandbox.api_key, SUBACCOUNT_KEY):
        assert key not in outputs
    for entry in resources:
        assert "billing_account_api_key" in entry["secret_inputs"]
    assert not engine.up(program, deployment.state).changed
