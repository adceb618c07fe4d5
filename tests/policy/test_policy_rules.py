"""Each policy rule, called as the analyzer calls it, on inputs the resource classes register."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from policy_programs import (
    BILLING_ADDRESS,
    CARD,
    CSR,
    ORGANIZATION_DETAILS,
    ORGANIZATION_ID,
    billing_link,
    config_for,
    domain,
    order,
    organization,
    registered,
    registered_one,
    replacing_inputs,
)
from policy_support import (
    POLICIES_DIR,
    Registration,
    Reported,
    find,
    resource_args,
    stack_args,
)
from pulumi_policy import ResourceValidationArgs, StackValidationArgs

from digicert_policies import rules
from digicert_policies.values import UNKNOWN, SecretValue, matches_recorded_fingerprint, plain
from pulumi_digicert.resources._fingerprints import fingerprint

ResourceRule = Callable[[ResourceValidationArgs, Any], None]
StackRule = Callable[[StackValidationArgs, Any], None]


def violations(
    rule: ResourceRule, registration: Registration, config: Mapping[str, Any] | None = None
) -> list[str]:
    reported = Reported()
    rule(resource_args(registration, config_for(config or {})), reported)
    return reported.messages


def stack_violations(
    rule: StackRule, registrations: list[Registration], config: Mapping[str, Any] | None = None
) -> list[tuple[str, str | None]]:
    reported = Reported()
    rule(stack_args(registrations, config_for(config or {})), reported)
    return reported.violations


def one(messages: list[str]) -> str:
    assert len(messages) == 1, messages
    return messages[0]


# --- alternative_order_id ---------------------------------------------------------------------


def assert_signer_passes_while_unknown(
    rule: ResourceRule, program: Callable[[], None], field: str
) -> None:
    """``program``'s order "signer" has ``field`` unknown during preview: ``rule`` passes it
    then (it cannot judge yet), and passes the same declaration on `up`."""
    signer = registered_one(program, "signer", preview=True)
    assert plain(signer.properties[field]) is UNKNOWN
    assert violations(rule, signer) == []
    signer = registered_one(program, "signer", preview=False)
    assert violations(rule, signer) == []


def test_alternative_order_id_derived_default_passes() -> None:
    signer = registered_one(order, "signer")
    assert signer.properties["alternative_order_id"]  # the class derived one
    assert violations(rules.check_alternative_order_id, signer) == []


def test_alternative_order_id_given_alphanumeric_passes() -> None:
    signer = registered_one(lambda: order(alternative_order_id="Acme2026Signer1"), "signer")
    assert violations(rules.check_alternative_order_id, signer) == []


def test_alternative_order_id_too_long_fails() -> None:
    signer = registered_one(lambda: order(alternative_order_id="A" * 65), "signer")
    message = one(violations(rules.check_alternative_order_id, signer))
    assert "DocumentSigningOrder 'signer'" in message
    assert "65 characters" in message
    assert "Fix:" in message


def test_alternative_order_id_with_punctuation_fails() -> None:
    signer = registered_one(lambda: order(alternative_order_id="acme-signer_1"), "signer")
    assert "not alphanumeric" in one(violations(rules.check_alternative_order_id, signer))


def test_alternative_order_id_empty_fails() -> None:
    signer = registered_one(lambda: order(alternative_order_id=""), "signer")
    message = one(violations(rules.check_alternative_order_id, signer))
    assert "has no alternative_order_id" in message
    assert "leave alternative_order_id unset" in message


def test_alternative_order_id_unknown_during_preview_is_skipped() -> None:
    # Derived from an organization created in the same stack: unknown until `up`.
    def program() -> None:
        order(organization_id=organization().organization_id)

    # On `up` the same declaration has a known, valid id.
    assert_signer_passes_while_unknown(
        rules.check_alternative_order_id, program, "alternative_order_id"
    )


# --- product and validity ---------------------------------------------------------------------


def test_product_and_validity_defaults_allow_both_products_up_to_three_years() -> None:
    for product in ("document_signing_org_1", "document_signing_org_2"):

        def program(product: str = product) -> None:
            order(product=product, validity_years=3)

        signer = registered_one(program, "signer")
        assert violations(rules.check_product_and_validity, signer) == []


def test_product_not_allowed_by_config_fails() -> None:
    signer = registered_one(lambda: order(product="document_signing_org_2"), "signer")
    config = {"allowedProducts": ["document_signing_org_1"]}
    message = one(violations(rules.check_product_and_validity, signer, config))
    assert "DocumentSigningOrder 'signer' orders product 'document_signing_org_2'" in message
    assert "'document_signing_org_1'" in message
    assert "allowedProducts" in message


def test_validity_above_default_maximum_fails() -> None:
    signer = registered_one(lambda: order(validity_years=4), "signer")
    assert "validity_years=4" in one(violations(rules.check_product_and_validity, signer))


def test_validity_above_configured_maximum_fails() -> None:
    signer = registered_one(lambda: order(validity_years=2), "signer")
    config = {"maxValidityYears": 1}
    message = one(violations(rules.check_product_and_validity, signer, config))
    assert "validity_years=2, more than the allowed 1" in message
    assert violations(rules.check_product_and_validity, signer, {"maxValidityYears": 2}) == []


# --- payment method ---------------------------------------------------------------------------


def test_payment_unset_means_balance_and_passes() -> None:
    signer = registered_one(order, "signer")
    assert "payment_method" not in signer.properties
    assert violations(rules.check_payment_method, signer) == []


def test_card_payment_registered_by_the_class_is_a_secret_and_passes() -> None:
    signer = registered_one(
        lambda: order(payment_method="card", credit_card=CARD, billing_address=BILLING_ADDRESS),
        "signer",
    )
    assert isinstance(plain(resource_args(signer).props)["credit_card"], SecretValue)
    assert violations(rules.check_payment_method, signer) == []


def test_card_forbidden_by_config_fails() -> None:
    signer = registered_one(
        lambda: order(payment_method="card", credit_card=CARD, billing_address=BILLING_ADDRESS),
        "signer",
    )
    config = {"allowedPaymentMethods": ["balance", "profile"]}
    message = one(violations(rules.check_payment_method, signer, config))
    assert "payment_method 'card'" in message
    assert "'balance', 'profile'" in message
    assert CARD["number"] not in message


def test_balance_forbidden_by_config_fails_even_when_unset() -> None:
    signer = registered_one(order, "signer")
    config = {"allowedPaymentMethods": ["profile"]}
    assert "payment_method 'balance'" in one(violations(rules.check_payment_method, signer, config))


def test_card_in_plain_text_fails() -> None:
    def program() -> None:
        order(
            payment_method="card",
            credit_card=CARD,
            billing_address=BILLING_ADDRESS,
            opts=replacing_inputs(credit_card=CARD),
        )

    signer = registered_one(program, "signer")
    message = one(violations(rules.check_payment_method, signer))
    assert "carries credit_card as plain text" in message
    assert "require_secret_object" in message
    assert CARD["number"] not in message


# --- skip_approval ----------------------------------------------------------------------------


def test_skip_approval_unset_passes() -> None:
    assert violations(rules.check_skip_approval, registered_one(order, "signer")) == []


def test_skip_approval_fails_by_default() -> None:
    signer = registered_one(lambda: order(skip_approval=True), "signer")
    message = one(violations(rules.check_skip_approval, signer))
    assert "DocumentSigningOrder 'signer' sets skip_approval=True" in message
    assert "allowedOrders" in message


def test_skip_approval_allowed_by_config() -> None:
    signer = registered_one(lambda: order(skip_approval=True), "signer")
    assert violations(rules.check_skip_approval, signer, {"allowSkipApproval": True}) == []
    assert violations(rules.check_skip_approval, signer, {"allowedOrders": ["signer"]}) == []
    assert violations(rules.check_skip_approval, signer, {"allowedOrders": ["other"]}) != []


# --- provisioning -----------------------------------------------------------------------------


def test_ship_token_with_ship_info_passes() -> None:
    ship_info = {"name": "Ada Signer", **BILLING_ADDRESS, "method": "standard"}
    signer = registered_one(
        lambda: order(cs_provisioning_method="ship_token", ship_info=ship_info), "signer"
    )
    assert violations(rules.check_provisioning, signer) == []


def test_ship_token_without_ship_info_fails() -> None:
    signer = registered_one(lambda: order(cs_provisioning_method="ship_token"), "signer")
    message = one(violations(rules.check_provisioning, signer))
    assert "'ship_token' without ship_info" in message
    assert "Fix: set ship_info" in message


def test_email_provisioning_needs_a_csr() -> None:
    without = registered_one(lambda: order(cs_provisioning_method="email"), "signer")
    assert "without a csr" in one(violations(rules.check_provisioning, without))
    with_csr = registered_one(lambda: order(cs_provisioning_method="email", csr=CSR), "signer")
    assert violations(rules.check_provisioning, with_csr) == []


# --- renewal ----------------------------------------------------------------------------------


def test_renewal_rule_asks_for_renew_within_days_and_says_how() -> None:
    signer = registered_one(lambda: order(), "signer")
    message = one(violations(rules.check_renewal, signer))
    assert "does not set renew_within_days" in message
    assert "Fix: set renew_within_days (at least 30)" in message
    assert "exemptOrders" in message


@pytest.mark.parametrize(
    ("days", "config", "passes"),
    [
        (30, {}, True),
        (90, {}, True),
        (29, {}, False),
        (7, {"minRenewWithinDays": 7}, True),
        (6, {"minRenewWithinDays": 7}, False),
    ],
)
def test_renewal_rule_holds_the_window_to_the_minimum(
    days: int, config: dict[str, Any], passes: bool
) -> None:
    signer = registered_one(lambda: order(renew_within_days=days), "signer")
    found = violations(rules.check_renewal, signer, config)
    assert (found == []) is passes, found
    if not passes:
        assert f"renew_within_days={days}" in one(found)


def test_renewal_rule_spares_exempt_orders() -> None:
    signer = registered_one(lambda: order(), "signer")
    assert violations(rules.check_renewal, signer, {"exemptOrders": ["signer"]}) == []
    assert violations(rules.check_renewal, signer, {"exemptOrders": ["other"]}) != []


def test_renewal_rule_skips_a_window_unknown_during_preview() -> None:
    def program() -> None:
        order(renew_within_days=organization().organization_id.apply(lambda _: 45))

    assert_signer_passes_while_unknown(rules.check_renewal, program, "renew_within_days")


# --- DCV method -------------------------------------------------------------------------------


def test_dcv_default_method_passes() -> None:
    assert violations(rules.check_dcv_method, registered_one(domain, "example-com")) == []


def test_dcv_email_fails_by_default() -> None:
    example = registered_one(lambda: domain(dcv_method="email"), "example-com")
    message = one(violations(rules.check_dcv_method, example))
    assert "DomainValidation 'example-com' uses dcv_method 'email'" in message
    assert "cannot be automated" in message


def test_dcv_email_allowed_by_config() -> None:
    example = registered_one(lambda: domain(dcv_method="email"), "example-com")
    config = {"allowedDcvMethods": ["email", "dns-txt-token"]}
    assert violations(rules.check_dcv_method, example, config) == []


def test_dcv_method_outside_configured_list_fails() -> None:
    example = registered_one(lambda: domain(dcv_method="http-token"), "example-com")
    config = {"allowedDcvMethods": ["dns-txt-token"]}
    assert "'http-token'" in one(violations(rules.check_dcv_method, example, config))


def test_http_token_for_wildcard_fails_even_when_allowed() -> None:
    wildcard = registered_one(
        lambda: domain("wildcard", "*.example.com", dcv_method="http-token"), "wildcard"
    )
    message = one(violations(rules.check_dcv_method, wildcard))
    assert "wildcard name '*.example.com'" in message
    plain_name = registered_one(lambda: domain(dcv_method="http-token"), "example-com")
    assert violations(rules.check_dcv_method, plain_name) == []


# --- organization by id -----------------------------------------------------------------------


def test_organization_by_id_passes_for_an_organization_output_and_a_literal_id() -> None:
    def program() -> None:
        acme = organization()
        order("from-output", organization_id=acme.organization_id)
        domain("example-com", organization_id=acme.organization_id)
        order("by-literal", organization_id=ORGANIZATION_ID)

    for preview in (True, False):
        for registration in registered(program, preview=preview):
            assert violations(rules.check_organization_by_id, registration) == []


def test_organization_by_its_resource_id_passes_in_preview_and_up() -> None:
    # organization.id stays known through an in-place update of the organization, so this is
    # the form that previews truthfully (see the README's references between resources).
    def program() -> None:
        acme = organization()
        order("from-id", organization_id=acme.id)
        domain("example-com", organization_id=acme.id)

    for preview in (True, False):
        registrations = registered(program, preview=preview)
        for registration in registrations:
            assert violations(rules.check_organization_by_id, registration) == []
        assert stack_violations(rules.check_domain_organization_in_stack, registrations) == []
    up = registered(program, preview=False)
    assert find(up, "example-com").properties["organization_id"] == "1001"


def test_inline_organization_fails() -> None:
    inline = {"name": "Acme Corp", "address": "2801 N Thanksgiving Way", "country": "us"}

    def program() -> None:
        order(opts=replacing_inputs(organization=inline, organization_id=None))
        domain(opts=replacing_inputs(organization=inline, organization_id=None))

    registrations = registered(program)
    for name, kind in (("signer", "DocumentSigningOrder"), ("example-com", "DomainValidation")):
        message = one(violations(rules.check_organization_by_id, find(registrations, name)))
        assert f"{kind} '{name}' describes its organization inline ('Acme Corp')" in message
        assert "set organization_id" in message


def test_organization_name_instead_of_id_fails() -> None:
    signer = registered_one(lambda: order(organization_id="Acme Corp"), "signer")
    message = one(violations(rules.check_organization_by_id, signer))
    assert "organization_id 'Acme Corp', which is not an organization id" in message


def test_missing_organization_fails() -> None:
    example = registered_one(lambda: domain(organization_id=None), "example-com")
    assert "names no organization" in one(violations(rules.check_organization_by_id, example))


# --- stack: unique alternative_order_id -------------------------------------------------------


def test_orders_with_their_own_alternative_order_ids_pass() -> None:
    def program() -> None:
        order("first")
        order("second")  # derived defaults differ by resource name
        order("third", alternative_order_id="Third1")

    registrations = registered(program)
    assert stack_violations(rules.check_unique_alternative_order_ids, registrations) == []


def test_orders_sharing_an_alternative_order_id_fail_for_each_order() -> None:
    def program() -> None:
        order("first", alternative_order_id="Shared1")
        order("second", alternative_order_id="Shared1")
        order("third")

    registrations = registered(program)
    reported = stack_violations(rules.check_unique_alternative_order_ids, registrations)
    assert [urn for _, urn in reported] == [
        find(registrations, "first").urn,
        find(registrations, "second").urn,
    ]
    assert "DocumentSigningOrder 'first' shares alternative_order_id 'Shared1'" in reported[0][0]
    assert "'second'" in reported[0][0]


# --- stack: one declaration per organization --------------------------------------------------

# (second declaration's changes, same organization?) written from the rule's promise: names,
# address fields and the telephone compare ignoring case and spacing, the country ignoring case;
# a declared container only separates two declarations that both declare one.
DUPLICATE_ORGANIZATION_CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("identical", {}, True),
    ("name in other letters", {"name": "ACME CORP"}, True),
    ("name with extra spaces", {"name": "  Acme   Corp "}, True),
    ("address in other letters and spacing", {"address": "2801 n  thanksgiving WAY"}, True),
    (
        "city, state and zip in other letters",
        {"city": "LEHI", "state": "ut", "zip": " 84043"},
        True,
    ),
    ("country in lower case", {"country": "us"}, True),
    ("telephone with other spacing", {"telephone": "+1  801 555 0100 "}, True),
    ("another telephone", {"telephone": "+1 801 555 0199"}, False),
    ("another name", {"name": "Acme Corporation"}, False),
    ("another assumed name", {"assumed_name": "Acme Signing"}, False),
    ("another address2", {"address2": "Suite 400"}, False),
    ("another city", {"city": "Provo"}, False),
    ("another zip", {"zip": "84044"}, False),
    ("another country", {"country": "CA"}, False),
    ("one declares a container", {"container_id": 7}, True),
    ("skip_duplicate_org_check on one of them", {"skip_duplicate_org_check": True}, True),
]


@pytest.mark.parametrize(
    ("changes", "same"),
    [(changes, same) for _, changes, same in DUPLICATE_ORGANIZATION_CASES],
    ids=[case for case, _, _ in DUPLICATE_ORGANIZATION_CASES],
)
def test_two_declarations_of_one_organization_are_flagged_for_each(
    changes: dict[str, Any], same: bool
) -> None:
    def program() -> None:
        organization("acme")
        organization("acme-again", **changes)
        organization("other", name="Other Corp")

    for preview in (True, False):
        registrations = registered(program, preview=preview)
        reported = stack_violations(rules.check_unique_organizations, registrations)
        if not same:
            assert reported == []
            continue
        assert [urn for _, urn in reported] == [
            find(registrations, "acme").urn,
            find(registrations, "acme-again").urn,
        ]
        first, second = (message for message, _ in reported)
        assert first.startswith("Organization 'acme' declares the same organization as ")
        assert "Organization 'acme-again'" in first
        assert "'other'" not in first
        assert "Organization 'acme'" in second
        assert "organization_id=organization.id" in first


def test_declarations_in_different_containers_are_two_organizations() -> None:
    def program() -> None:
        organization("acme", container_id=7)
        organization("acme-again", container_id=8)

    assert stack_violations(rules.check_unique_organizations, registered(program)) == []


def test_declarations_that_each_skip_the_duplicate_check_are_two_organizations() -> None:
    def program() -> None:
        organization("acme", skip_duplicate_org_check=True)
        organization("acme-again", skip_duplicate_org_check=True)

    assert stack_violations(rules.check_unique_organizations, registered(program)) == []


def test_declaration_with_a_detail_unknown_during_preview_is_checked_on_up() -> None:
    def program() -> None:
        source = organization("source", name="Source Corp")
        organization("acme")
        organization("acme-again", city=source.status.apply(lambda _: "Lehi"))

    preview = registered(program, preview=True)
    assert plain(find(preview, "acme-again").properties["city"]) is UNKNOWN
    assert stack_violations(rules.check_unique_organizations, preview) == []
    up = registered(program, preview=False)
    assert len(stack_violations(rules.check_unique_organizations, up)) == 2


def test_two_states_holding_one_organization_id_are_flagged() -> None:
    # After `up`, the stack rules see state: two organizations that adopted the same one.
    def program() -> None:
        organization("acme")
        organization("acme-renamed", name="Acme Renamed Corp")

    registrations = registered(program, preview=False)
    for registration in registrations:
        registration.outputs = {"organization_id": 424242, "status": "active"}
    reported = Reported()
    rules.check_unique_organizations(stack_args(registrations, outputs=True), reported)
    assert [urn for _, urn in reported.violations] == [r.urn for r in registrations]


IDENTITY_CASES = [
    (case, changes)
    for case, changes, _ in DUPLICATE_ORGANIZATION_CASES
    if set(changes) <= set(rules.ORGANIZATION_IDENTITY)
]


def test_the_pack_compares_the_fields_the_provider_compares() -> None:
    from pulumi_digicert.resources.organization import IDENTITY_TEXT_FIELDS

    assert set(rules.ORGANIZATION_IDENTITY) == set(IDENTITY_TEXT_FIELDS)
    # Every field of the identity is exercised by the agreement cases below.
    exercised = {changed for _, changes in IDENTITY_CASES for changed in changes}
    assert exercised == set(IDENTITY_TEXT_FIELDS)


@pytest.mark.parametrize(
    "changes",
    [changes for _, changes in IDENTITY_CASES],
    ids=[case for case, _ in IDENTITY_CASES],
)
def test_identity_comparison_agrees_with_the_provider_adoption(changes: dict[str, Any]) -> None:
    # The provider adopts a live organization when same_identity(live, declared) holds; the pack
    # must call two declarations one organization exactly then.
    from pulumi_digicert.client import models
    from pulumi_digicert.resources.organization import OrganizationArgs, same_identity

    declared = dict(ORGANIZATION_DETAILS)
    live = models.Organization.model_validate({**declared, **changes})
    provider_says = same_identity(live, OrganizationArgs.model_validate(declared))

    def program() -> None:
        organization("acme")
        organization("acme-again", **changes)

    assert bool(stack_violations(rules.check_unique_organizations, registered(program))) == (
        provider_says
    )


# --- stack: domains belong to an organization of the stack ------------------------------------


def test_domain_of_an_organization_in_the_stack_passes_in_preview_and_up() -> None:
    def program() -> None:
        domain(organization_id=organization().organization_id)

    for preview in (True, False):
        registrations = registered(program, preview=preview)
        assert stack_violations(rules.check_domain_organization_in_stack, registrations) == []


def test_domain_of_an_outside_organization_fails_unless_listed() -> None:
    def program() -> None:
        organization()
        domain()  # organization_id=ORGANIZATION_ID, not declared in this stack

    registrations = registered(program)
    reported = stack_violations(rules.check_domain_organization_in_stack, registrations)
    assert len(reported) == 1
    message, urn = reported[0]
    assert urn == find(registrations, "example-com").urn
    assert f"belongs to organization {ORGANIZATION_ID}" in message
    assert "allowedOrganizationIds" in message
    config = {"allowedOrganizationIds": [ORGANIZATION_ID]}
    assert stack_violations(rules.check_domain_organization_in_stack, registrations, config) == []
    as_strings = {"allowedOrganizationIds": [str(ORGANIZATION_ID)]}
    assert (
        stack_violations(rules.check_domain_organization_in_stack, registrations, as_strings) == []
    )


def test_domain_repeating_the_id_of_an_organization_in_state_passes() -> None:
    # On `up`, the stack rules see outputs: the Organization's state carries its id, so a domain
    # that repeats the number instead of referencing the output still belongs to this stack.
    def program() -> None:
        organization()  # the mocks give the first resource id 1001
        domain(organization_id=1001)

    registrations = registered(program, preview=False)
    assert find(registrations, "acme").outputs["organization_id"] == 1001
    args = stack_args(registrations, outputs=True)
    reported = Reported()
    rules.check_domain_organization_in_stack(args, reported)
    assert reported.violations == []


# --- stack: one billing link per partner account ----------------------------------------------


def test_one_link_per_partner_account_passes() -> None:
    def program() -> None:
        billing_link("parent")
        billing_link("subaccount", partner_api_key="subaccount-partner-key")

    registrations = registered(program)
    assert stack_violations(rules.check_one_billing_link_per_partner, registrations) == []


def test_two_links_for_the_default_partner_account_fail() -> None:
    def program() -> None:
        billing_link("first")
        billing_link("second", billing_account_api_key="other-billing-key")

    registrations = registered(program)
    reported = stack_violations(rules.check_one_billing_link_per_partner, registrations)
    assert [urn for _, urn in reported] == [r.urn for r in registrations]
    assert "the default partner account (digicert:partnerApiKey)" in reported[0][0]
    assert "BillingAccountLink 'second'" in reported[0][0]


def test_two_links_with_the_same_partner_key_fail_without_showing_it() -> None:
    def program() -> None:
        billing_link("first", partner_api_key="subaccount-partner-key")
        billing_link("second", partner_api_key="subaccount-partner-key")

    registrations = registered(program)
    reported = stack_violations(rules.check_one_billing_link_per_partner, registrations)
    assert len(reported) == 2
    assert all("subaccount-partner-key" not in message for message, _ in reported)


def test_new_link_for_a_partner_account_already_linked_in_state_fails() -> None:
    # After `up` the state keeps a salted fingerprint of the partner key, not the key.
    def program() -> None:
        billing_link("existing", partner_api_key="subaccount-partner-key")
        billing_link("added", partner_api_key="subaccount-partner-key")

    registrations = registered(program)
    existing = find(registrations, "existing")
    existing.properties = {
        "linked": True,
        "billing_account_api_key_fingerprint": fingerprint("billing-account-key"),
        "partner_api_key_fingerprint": fingerprint("subaccount-partner-key"),
    }
    reported = stack_violations(rules.check_one_billing_link_per_partner, registrations)
    assert len(reported) == 2
    existing.properties["partner_api_key_fingerprint"] = fingerprint("another-partner-key")
    assert stack_violations(rules.check_one_billing_link_per_partner, registrations) == []


def test_fingerprint_check_agrees_with_the_provider() -> None:
    recorded = fingerprint("partner-key")
    assert matches_recorded_fingerprint("partner-key", recorded)
    assert not matches_recorded_fingerprint("other-key", recorded)
    assert not matches_recorded_fingerprint("partner-key", "not-a-fingerprint")


def test_link_with_unknown_partner_key_is_skipped() -> None:
    def program() -> None:
        billing_link("first")
        billing_link("second", partner_api_key=organization().organization_id.apply(str))

    registrations = registered(program)
    assert plain(find(registrations, "second").properties["partner_api_key"]).value is UNKNOWN
    assert stack_violations(rules.check_one_billing_link_per_partner, registrations) == []


# --- resources of other providers -------------------------------------------------------------


@pytest.mark.parametrize("rule", [spec.validate for spec in rules.RULES if not spec.stack])
def test_resource_rules_ignore_other_types(rule: ResourceRule) -> None:
    signer = registered_one(lambda: order(skip_approval=True, alternative_order_id=""), "signer")
    signer.type = "pulumi-python:dynamic/other:DocumentSigningOrder"
    assert violations(rule, signer) == []


def test_the_pack_does_not_need_the_provider_package() -> None:
    # The pack's own virtualenv has pulumi-policy only (policies/requirements.txt).
    for path in POLICIES_DIR.rglob("*.py"):
        if "venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                imported = [node.module or ""]
            else:
                continue
            assert not any(name.startswith("pulumi_digicert") for name in imported), path
    requirements = (POLICIES_DIR / "requirements.txt").read_text()
    assert "pulumi-policy" in requirements
