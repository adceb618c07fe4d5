"""Pulumi programs that declare pulumi-digicert resources, for the policy tests.

Each helper runs a small program under mocks and returns what the resource classes registered,
so the policies are tested against the exact inputs a real stack sends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from policy_support import Registration, find, run_program

import pulumi_digicert as digicert
from qa import scenarios

ORGANIZATION_ID = 123456
# Values no rule looks into (the rules ask only whether they are present, or secret): the shared
# scenarios'.
CARD: dict[str, Any] = scenarios.card()
BILLING_ADDRESS = scenarios.BILLING_ADDRESS
SUBJECT = scenarios.SUBJECT
CSR = scenarios.CSR

# The legal identity the duplicate-organization cases spell again in other letters and spacing
# (test_policy_rules.DUPLICATE_ORGANIZATION_CASES): its own values, which those cases depend on.
ORGANIZATION_DETAILS: dict[str, Any] = {
    "name": "Acme Corp",
    "address": "2801 N Thanksgiving Way",
    "city": "Lehi",
    "state": "UT",
    "zip": "84043",
    "country": "US",
    "telephone": "+1 801 555 0100",
}


def organization(resource_name: str = "acme", **inputs: Any) -> digicert.Organization:
    """An organization; ``inputs`` override :data:`ORGANIZATION_DETAILS` (None drops one)."""
    arguments = {**ORGANIZATION_DETAILS, **inputs}
    return digicert.Organization(
        resource_name, **{key: value for key, value in arguments.items() if value is not None}
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
    return sweep_options(None, **changes)


def config_for(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Policy config as the analyzer hands it to a rule (numbers arrive as floats)."""
    return {
        key: float(value) if isinstance(value, int) and not isinstance(value, bool) else value
        for key, value in settings.items()
    }


# --- one stack that breaks every rule, for the secret sweep -----------------------------------


@dataclass(frozen=True)
class SweepValues:
    """The values a stack breaking every rule declares. Two sets (:data:`SWEEP_A`,
    :data:`SWEEP_B`) break the same rules in the same way with different values, so a message
    that tells one set from the other shows a value."""

    product: str
    validity_years: int
    long_alternative_order_id: str
    punctuated_alternative_order_id: str
    shared_alternative_order_id: str
    organization_name: str
    city: str
    wildcard_domain: str
    mail_domain: str
    outside_organization_id: int


# Each field with its value in set A and in set B.
_SWEEP_FIELDS: tuple[tuple[str, Any, Any], ...] = (
    ("product", "document_signing_org_7", "document_signing_org_8"),
    ("validity_years", 5, 6),
    ("long_alternative_order_id", "A" * 65, "B" * 70),
    ("punctuated_alternative_order_id", "acme-signer_1", "beta-signer_22"),
    ("shared_alternative_order_id", "SharedAlpha1", "SharedBeta22"),
    ("organization_name", "Acme Corp", "Beta Holdings"),
    ("city", "Lehi", "Provo"),
    ("wildcard_domain", "*.alpha.example", "*.beta.example"),
    ("mail_domain", "mail.alpha.example", "mail.beta.example"),
    ("outside_organization_id", 654321, 765432),
)
SWEEP_A = SweepValues(**{name: a for name, a, _ in _SWEEP_FIELDS})
SWEEP_B = SweepValues(**{name: b for name, _, b in _SWEEP_FIELDS})
SWEEP_CONFIG: dict[str, dict[str, Any]] = {
    "digicert-order-payment-method": {"allowedPaymentMethods": ["balance", "profile"]},
}
SECRET_MODES = ("whole", "leaves")
"""``whole``: every input a secret; ``leaves``: every value inside the inputs a secret."""


def _secret(value: Any, mode: str) -> Any:
    if value is None:
        return None
    if mode == "leaves" and isinstance(value, Mapping):
        return {key: _secret(item, mode) for key, item in value.items()}
    if mode == "leaves" and isinstance(value, list):
        return [_secret(item, mode) for item in value]
    return pulumi.Output.secret(value)


def sweep_options(secret_mode: str | None, **changes: Any) -> pulumi.ResourceOptions:
    """Options that rewrite inputs (as :func:`replacing_inputs`), then mark every input secret
    the way a program does with ``pulumi.Output.secret`` (``secret_mode``: see SECRET_MODES)."""

    def transformation(
        args: pulumi.ResourceTransformationArgs,
    ) -> pulumi.ResourceTransformationResult:
        props: dict[str, Any] = dict(args.props)
        for key, value in changes.items():
            if value is None:
                props.pop(key, None)
            else:
                props[key] = value
        if secret_mode is not None:
            props = {
                key: value if key.startswith("__") else _secret(value, secret_mode)
                for key, value in props.items()
            }
        return pulumi.ResourceTransformationResult(props, args.opts)

    return pulumi.ResourceOptions(transformations=[transformation])


def sweep_stack(values: SweepValues, secret_mode: str | None) -> Callable[[], None]:
    """A program whose resources break every rule of the pack at least once."""

    def opts(**changes: Any) -> pulumi.ResourceOptions:
        return sweep_options(secret_mode, **changes)

    def program() -> None:
        acme = organization("acme", name=values.organization_name, city=values.city, opts=opts())
        organization(
            "acme-again",
            name=values.organization_name.upper(),
            city=values.city,
            opts=opts(),
        )
        order(
            "signer",
            organization_id=acme.id,
            product=values.product,
            validity_years=values.validity_years,
            skip_approval=True,
            cs_provisioning_method="ship_token",
            payment_method="card",
            credit_card=CARD,
            billing_address=BILLING_ADDRESS,
            opts=opts(),
        )
        order("hsm-provisioned", cs_provisioning_method="email", opts=opts())
        order("too-long", alternative_order_id=values.long_alternative_order_id, opts=opts())
        order(
            "punctuated",
            alternative_order_id=values.punctuated_alternative_order_id,
            opts=opts(),
        )
        order("no-id", alternative_order_id="", opts=opts())
        order("shared-1", alternative_order_id=values.shared_alternative_order_id, opts=opts())
        order("shared-2", alternative_order_id=values.shared_alternative_order_id, opts=opts())
        order("by-name", organization_id=values.organization_name, opts=opts())
        order(
            "inline",
            opts=opts(
                organization={"name": values.organization_name, "country": "us"},
                organization_id=None,
            ),
        )
        for name, fqdn, owner, method in (
            ("wildcard", values.wildcard_domain, acme.id, "http-token"),
            ("mail", values.mail_domain, values.outside_organization_id, "email"),
        ):
            domain(name, fqdn, organization_id=owner, dcv_method=method, opts=opts())
        domain("no-organization", organization_id=None, opts=opts())
        billing_link("first-link", opts=opts())
        billing_link("second-link", billing_account_api_key="other-billing-key", opts=opts())

    return program
