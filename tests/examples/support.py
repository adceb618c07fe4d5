"""Helpers for the example tests: run an example program, mocks that answer like DigiCert, and
engines that deploy an example against a sandbox."""

from __future__ import annotations

import functools
import runpy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks

from pulumi_digicert.sandbox.control import CONTROL_TOKEN_ENV
from pulumi_digicert.testing import HostEngine, ProviderHost
from qa.scenarios import stack_config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
README = ROOT / "README.md"

TYPE = "pulumi-python:dynamic/digicert:{}"

ORGANIZATION_ID = 3000001
DOMAIN_ID = 4000001
DCV_TOKEN = "mocktoken0123456789abcdefghijklm"
ORDER_ID = 5000001

DNS_VALIDATION_PROJECT = "digicert-dns-validation"
PARTNER_BILLING_PROJECT = "digicert-partner-billing"


def example_program(name: str) -> Callable[[], None]:
    """The program of ``examples/<name>/__main__.py``, run as ``pulumi up`` runs it."""
    path = EXAMPLES / name / "__main__.py"

    def program() -> None:
        runpy.run_path(str(path), run_name="__main__")

    return program


class DigiCertMocks(Mocks):
    """Echo inputs, plus the outputs DigiCert would add (ids, the DCV token, statuses)."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        outputs = dict(args.inputs)
        resource_id = args.name
        if args.typ == TYPE.format("Organization"):
            resource_id = str(ORGANIZATION_ID)
            outputs.update(organization_id=ORGANIZATION_ID, status="active", is_active=True)
        elif args.typ == TYPE.format("DomainValidation"):
            resource_id = str(DOMAIN_ID)
            outputs.update(domain_id=DOMAIN_ID, dcv_token=DCV_TOKEN, validation_status="pending")
        elif args.typ == TYPE.format("DomainValidationCheck"):
            outputs.update(validated=True, validation_status="validated")
        elif args.typ == TYPE.format("DocumentSigningOrder"):
            resource_id = str(ORDER_ID)
            outputs.update(order_id=ORDER_ID, status="needs_approval", request_status="pending")
        elif args.typ == TYPE.format("BillingAccountLink"):
            outputs.update(linked=True)
        return resource_id, outputs

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        return {}, None


def sandbox_stack(sandbox: Any, project: str, **settings: str) -> dict[str, str]:
    """An example's ``sandbox`` stack config: the provider pointed at ``sandbox``, plus the
    example's own settings (``domainName="..."`` becomes ``<project>:domainName``)."""
    return stack_config(sandbox, **{f"{project}:{name}": value for name, value in settings.items()})


def dns_validation_engine(sandbox: Any, domain_name: str, dcv_wait_seconds: int) -> HostEngine:
    """examples/dns-validation with its sandbox DNS record, which reads the control token from
    the environment, as under ``pulumi up``."""
    config = sandbox_stack(
        sandbox,
        DNS_VALIDATION_PROJECT,
        dnsProvider="sandbox",
        domainName=domain_name,
        dcvWaitSeconds=str(dcv_wait_seconds),
    )
    env = {CONTROL_TOKEN_ENV: sandbox.control_token}
    return HostEngine(
        project=DNS_VALIDATION_PROJECT,
        stack="sandbox",
        config=config,
        host_factory=functools.partial(ProviderHost, env=env),
    )


def partner_billing_engine(sandbox: Any, subaccount_key: str) -> HostEngine:
    """examples/partner-billing: a partner subaccount with ``subaccount_key`` is created in the
    sandbox, and both accounts are linked to the sandbox's own billing account."""
    sandbox.control.create_partner_subaccount("Subaccount", partner_api_key=subaccount_key)
    project = PARTNER_BILLING_PROJECT
    config = sandbox_stack(
        sandbox,
        project,
        billingAccountApiKey=sandbox.api_key,
        subaccountPartnerApiKey=subaccount_key,
    )
    return HostEngine(
        project=project,
        stack="sandbox",
        config=config,
        secret_config_keys=[
            "digicert:apiKey",
            "digicert:partnerApiKey",
            f"{project}:billingAccountApiKey",
            f"{project}:subaccountPartnerApiKey",
        ],
    )
