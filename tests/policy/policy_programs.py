"""Pulumi programs that declare pulumi-digicert resources, for the policy tests.

Each helper runs a small program under mocks and returns what the resource classes registered,
so the policies are tested against the exact inputs a real stack sends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pulumi
from policy_support import Registration, find, run_program

import pulumi_digicert as digicert

ORGANIZATION_ID = 123456
CARD: dict[str, Any] = {
    "number": "4111111111111111",
    "expiry_month": 12,
    "expiry_year": 2030,
    "cvv": "123",
}
BILLING_ADDRESS = {
    "address": "2801 N Thanksgiving Way",
    "city": "Lehi",
    "state": "UT",
    "zip": "84043",
    "country": "US",
}
SUBJECT = {
    "name": "Ada Signer",
    "job_title": "CFO",
    "phone": "+1 801 555 0100",
    "email": "ada@example.com",
}
CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"


def organization(resource_name: str = "acme") -> digicert.Organization:
    return digicert.Organization(
        resource_name,
        name="Acme Corp",
        address="2801 N Thanksgiving Way",
        city="Lehi",
        state="UT",
        zip="84043",
        country="US",
        telephone="+1 801 555 0100",
    )


def order(
    resource_name: str = "signer", organization_id: Any = ORGANIZATION_ID, **inputs: Any
) -> digicert.DocumentSigningOrder:
    """A document signing order; ``inputs`` override the defaults below."""
    arguments: dict[str, Any] = {
        "product": "document_signing_org_1",
        "validity_years": 1,
        "subject": SUBJECT,
        "cs_provisioning_method": "client_app",
    }
    arguments.update(inputs)
    return digicert.DocumentSigningOrder(
        resource_name, organization_id=organization_id, **arguments
    )


def domain(
    resource_name: str = "example-com",
    domain_name: str = "example.com",
    organization_id: Any = ORGANIZATION_ID,
    **inputs: Any,
) -> digicert.DomainValidation:
    return digicert.DomainValidation(
        resource_name, domain_name=domain_name, organization_id=organization_id, **inputs
    )


def billing_link(resource_name: str = "billing", **inputs: Any) -> digicert.BillingAccountLink:
    arguments: dict[str, Any] = {"billing_account_api_key": "billing-account-key"}
    arguments.update(inputs)
    return digicert.BillingAccountLink(resource_name, **arguments)


def registered(program: Callable[[], Any], *, preview: bool = True) -> list[Registration]:
    """Everything ``program`` registered."""

    def run() -> None:
        program()

    return run_program(run, preview=preview)


def registered_one(program: Callable[[], Any], name: str, *, preview: bool = True) -> Registration:
    """The registration of the resource ``name`` declared by ``program``."""
    return find(registered(program, preview=preview), name)


def replacing_inputs(**changes: Any) -> pulumi.ResourceOptions:
    """Options with a transformation that rewrites inputs just before registration.

    Stands for what the resource classes never do themselves but a stack can: a transformation
    or wrapper that passes a card in plain text or an organization inline.
    """

    def transformation(
        args: pulumi.ResourceTransformationArgs,
    ) -> pulumi.ResourceTransformationResult:
        props: dict[str, Any] = dict(args.props)
        for key, value in changes.items():
            if value is None:
                props.pop(key, None)
            else:
                props[key] = value
        return pulumi.ResourceTransformationResult(props, args.opts)

    return pulumi.ResourceOptions(transformations=[transformation])


def config_for(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Policy config as the analyzer hands it to a rule (numbers arrive as floats)."""
    return {
        key: float(value) if isinstance(value, int) and not isinstance(value, bool) else value
        for key, value in settings.items()
    }
