"""diff: driven by each resource's field table; compares declared inputs only, after normalising.

What each field must plan comes from the contract table written apart from the code
(``qa.field_contract``, from DESIGN.md and the README), never from the field
table the diff itself uses: a misclassified field fails here.

olds are what the engine keeps as outputs: recorded inputs plus computed outputs.
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from tests.resources.inputs import BILLING_ADDRESS, CARD, CONTACT, DOMAIN, LINK, ORDER, ORGANIZATION

from pulumi_digicert._engine_values import UNKNOWN
from pulumi_digicert.resources import (
    BillingAccountLinkProvider,
    DocumentSigningOrderProvider,
    DomainValidationCheckProvider,
    DomainValidationProvider,
    OrganizationProvider,
)
from pulumi_digicert.resources._provider import Field, Mode, Provider
from qa.field_contract import (
    EXPECTED_MODES,
    MissingContractRowError,
    expected_mode,
    missing_rows,
)

PROVIDER_CLASSES: tuple[type[Provider], ...] = (
    OrganizationProvider,
    DomainValidationProvider,
    DomainValidationCheckProvider,
    DocumentSigningOrderProvider,
    BillingAccountLinkProvider,
)

OTHER_CONTACT = {**CONTACT, "email": "grace@example.com", "first_name": "Grace"}

# One changed value per input: (provider, base inputs, field, new value).
CHANGES: list[tuple[Provider, dict[str, Any], str, Any]] = [
    (OrganizationProvider(), ORGANIZATION, "name", "Acme Inc"),
    (OrganizationProvider(), ORGANIZATION, "assumed_name", "Acme"),
    (OrganizationProvider(), ORGANIZATION, "address", "2 Main St"),
    (OrganizationProvider(), ORGANIZATION, "address2", "Suite 9"),
    (OrganizationProvider(), ORGANIZATION, "city", "Provo"),
    (OrganizationProvider(), ORGANIZATION, "state", "Idaho"),
    (OrganizationProvider(), ORGANIZATION, "zip", "84044"),
    (OrganizationProvider(), ORGANIZATION, "country", "ca"),
    (OrganizationProvider(), ORGANIZATION, "telephone", "+1 555 0199"),
    (OrganizationProvider(), ORGANIZATION, "container_id", 7.0),
    (OrganizationProvider(), ORGANIZATION, "organization_contact", OTHER_CONTACT),
    (OrganizationProvider(), ORGANIZATION, "technical_contact", OTHER_CONTACT),
    (OrganizationProvider(), ORGANIZATION, "validations", [{"type": "ov"}, {"type": "ds"}]),
    (OrganizationProvider(), ORGANIZATION, "skip_duplicate_org_check", True),
    (OrganizationProvider(), ORGANIZATION, "delete_on_destroy", True),
    (DomainValidationProvider(), DOMAIN, "domain_name", "example.org"),
    (DomainValidationProvider(), DOMAIN, "organization_id", 1002.0),
    (DomainValidationProvider(), DOMAIN, "validations", ["ov", "ev"]),
    (DomainValidationProvider(), DOMAIN, "dcv_method", "dns-cname-token"),
    (DomainValidationProvider(), DOMAIN, "revalidate_days_before_expiry", 30.0),
    (DomainValidationCheckProvider(), {"domain_id": 5.0}, "domain_id", 6.0),
    (DomainValidationCheckProvider(), {"domain_id": 5.0}, "dcv_token", "newtoken"),
    (DomainValidationCheckProvider(), {"domain_id": 5.0}, "wait_timeout_seconds", 60.0),
    (DomainValidationCheckProvider(), {"domain_id": 5.0}, "poll_interval_seconds", 2.0),
    (DocumentSigningOrderProvider(), ORDER, "product", "document_signing_org_2"),
    (DocumentSigningOrderProvider(), ORDER, "organization_id", 1002.0),
    (DocumentSigningOrderProvider(), ORDER, "subject", {"name": "Legal"}),
    (DocumentSigningOrderProvider(), ORDER, "validity_years", 2.0),
    # Only sha256 is valid today; a state recorded with another hash must still replace.
    (
        DocumentSigningOrderProvider(),
        {**ORDER, "signature_hash": "sha384"},
        "signature_hash",
        "sha256",
    ),
    (DocumentSigningOrderProvider(), ORDER, "csr", "-----BEGIN CERTIFICATE REQUEST-----"),
    (DocumentSigningOrderProvider(), ORDER, "server_platform_id", 21.0),
    (DocumentSigningOrderProvider(), ORDER, "cs_provisioning_method", "ship_token"),
    (DocumentSigningOrderProvider(), ORDER, "use_org_as_common_name", False),
    (DocumentSigningOrderProvider(), ORDER, "container_id", 3.0),
    (DocumentSigningOrderProvider(), ORDER, "adopt_order_id", 42.0),
    (DocumentSigningOrderProvider(), ORDER, "ship_info", {"name": "Ada", "method": "expedited"}),
    (DocumentSigningOrderProvider(), ORDER, "organization_contact", CONTACT),
    (DocumentSigningOrderProvider(), ORDER, "technical_contact", CONTACT),
    (DocumentSigningOrderProvider(), ORDER, "comments", "for legal"),
    (DocumentSigningOrderProvider(), ORDER, "custom_fields", [{"metadata_id": 1, "value": "x"}]),
    (DocumentSigningOrderProvider(), ORDER, "user_id_assignments", [12.0]),
    (DocumentSigningOrderProvider(), ORDER, "skip_approval", True),
    (DocumentSigningOrderProvider(), ORDER, "enable_guest_access", True),
    (DocumentSigningOrderProvider(), ORDER, "payment_method", "profile"),
    (DocumentSigningOrderProvider(), ORDER, "credit_card", CARD),
    (DocumentSigningOrderProvider(), ORDER, "billing_address", BILLING_ADDRESS),
    (DocumentSigningOrderProvider(), ORDER, "vat_number", "GB123"),
    (DocumentSigningOrderProvider(), ORDER, "alternative_order_id", "pdother"),
    (DocumentSigningOrderProvider(), ORDER, "wait_for_issuance_seconds", 30.0),
    (DocumentSigningOrderProvider(), ORDER, "revoke_on_delete", True),
    (DocumentSigningOrderProvider(), ORDER, "revocation_comment", "key retired"),
    (DocumentSigningOrderProvider(), ORDER, "renew_within_days", 30.0),
    (BillingAccountLinkProvider(), LINK, "billing_account_api_key", "OTHERBILLINGKEY"),
    (BillingAccountLinkProvider(), LINK, "partner_api_key", "OTHERPARTNERKEY"),
]


def state_after_create(provider: Provider, inputs: dict[str, Any]) -> dict[str, Any]:
    """What the engine holds as olds: recorded inputs plus outputs and the provider blob."""
    checked = provider.check({}, {**inputs, "__provider": "blob"}).inputs
    return {**provider.recorded_inputs(checked), "id_output": 1, "__provider": "blob"}


def resource_name(provider: Provider | type[Provider]) -> str:
    cls = provider if isinstance(provider, type) else type(provider)
    return cls.__name__.removesuffix("Provider")


def test_every_field_of_every_table_is_covered() -> None:
    covered = {(type(p).__name__, name) for p, _, name, _ in CHANGES}
    declared = {(cls.__name__, field.name) for cls in PROVIDER_CLASSES for field in cls.fields}
    assert declared == covered


@pytest.mark.parametrize("cls", PROVIDER_CLASSES, ids=lambda c: c.__name__)
def test_every_declared_field_has_a_row_in_the_contract_table(cls: type[Provider]) -> None:
    missing = missing_rows(resource_name(cls), [f.name for f in cls.fields])
    assert missing == [], (
        f"{resource_name(cls)}: fields without a contract row (or rows without a field): "
        f"{missing}; check each against DESIGN.md and the README, then update "
        "qa/field_contract.py"
    )
    assert set(EXPECTED_MODES) == {resource_name(c) for c in PROVIDER_CLASSES}


def test_a_field_without_a_contract_row_is_refused_by_name() -> None:
    with pytest.raises(MissingContractRowError, match=r"DocumentSigningOrder\.auto_reissue"):
        expected_mode("DocumentSigningOrder", "auto_reissue")


def assert_field_changes_as_the_contract_says(
    provider: Provider, inputs: dict[str, Any], name: str, value: Any
) -> None:
    olds = state_after_create(provider, inputs)
    news = provider.check(olds, {**inputs, name: value, "__provider": "blob"}).inputs
    result = provider.diff("1", olds, news)
    mode = expected_mode(resource_name(provider), name)
    assert result.changes is True, f"{name}: a change must show"
    assert result.replaces == ([name] if mode == "replace" else []), (
        f"{resource_name(provider)}.{name} is '{mode}' in the contract; diff planned "
        f"replaces={result.replaces}"
    )


@pytest.mark.parametrize(
    ("provider", "inputs", "name", "value"),
    CHANGES,
    ids=[f"{type(p).__name__}.{n}" for p, _, n, _ in CHANGES],
)
def test_each_field_changes_as_the_contract_says(
    provider: Provider, inputs: dict[str, Any], name: str, value: Any
) -> None:
    assert_field_changes_as_the_contract_says(provider, inputs, name, value)


def test_a_misclassified_field_turns_this_guard_red(monkeypatch: pytest.MonkeyPatch) -> None:
    # Planted bug: product moved from the identity fields to the purchase-time ones, so a
    # product change would keep the old order. The guard above must fail on it.
    moved = tuple(
        Field(f.name, Mode.STATE, f.secret, f.note) if f.name == "product" else f
        for f in DocumentSigningOrderProvider.fields
    )
    monkeypatch.setattr(DocumentSigningOrderProvider, "fields", moved)
    with pytest.raises(AssertionError, match="product is 'replace' in the contract"):
        assert_field_changes_as_the_contract_says(
            DocumentSigningOrderProvider(), ORDER, "product", "document_signing_org_2"
        )


@pytest.mark.parametrize(
    ("provider", "inputs"),
    [
        (OrganizationProvider(), ORGANIZATION),
        (DomainValidationProvider(), DOMAIN),
        (DomainValidationCheckProvider(), {"domain_id": 5.0}),
        (DocumentSigningOrderProvider(), {**ORDER, "payment_method": "card", "credit_card": CARD}),
        (BillingAccountLinkProvider(), LINK),
    ],
)
def test_same_declaration_is_no_change_and_the_answer_is_stable(
    provider: Provider, inputs: dict[str, Any]
) -> None:
    olds = state_after_create(provider, inputs)
    news = provider.check(olds, {**inputs, "__provider": "other-blob"}).inputs
    first = provider.diff("1", olds, news)
    second = provider.diff("1", olds, news)
    assert (first.changes, first.replaces) == (False, [])
    assert (second.changes, second.replaces) == (False, [])


def test_numbers_as_floats_and_case_do_not_count_as_changes() -> None:
    provider = OrganizationProvider()
    olds = state_after_create(provider, {**ORGANIZATION, "container_id": 7})
    news = {**ORGANIZATION, "container_id": 7.0, "country": "US"}
    assert provider.diff("1", olds, news).changes is False


def test_domain_name_compares_as_certcentral_stores_it() -> None:
    provider = DomainValidationProvider()
    olds = state_after_create(provider, DOMAIN)
    for same in ("EXAMPLE.com", "www.example.com", "example.com."):
        assert provider.diff("1", olds, {**DOMAIN, "domain_name": same}).changes is False


def test_organization_validation_order_and_output_status_do_not_count() -> None:
    provider = OrganizationProvider()
    inputs = {**ORGANIZATION, "validations": [{"type": "ov"}, {"type": "ds"}]}
    olds = state_after_create(provider, inputs)
    olds["validations"] = [
        {"type": "ds", "status": "active", "validated_until": "2027-01-01"},
        {"type": "ov", "status": "pending", "validated_until": None},
    ]
    news = {**inputs, "validations": [{"type": "ds"}, {"type": "ov"}]}
    assert provider.diff("1", olds, news).changes is False


@pytest.mark.parametrize("unknown", [UNKNOWN, Unknown()], ids=["wire-string", "host-object"])
def test_unknown_identity_plans_a_replacement(unknown: Any) -> None:
    provider = DocumentSigningOrderProvider()
    olds = state_after_create(provider, ORDER)
    result = provider.diff("1", olds, {**ORDER, "organization_id": unknown})
    assert result.replaces == ["organization_id"]


def test_unknown_state_field_plans_an_update_not_a_purchase() -> None:
    provider = DocumentSigningOrderProvider()
    olds = state_after_create(provider, ORDER)
    result = provider.diff("1", olds, {**ORDER, "comments": UNKNOWN})
    assert (result.changes, result.replaces) == (True, [])


def test_outputs_and_provider_blob_never_cause_a_diff() -> None:
    provider = DocumentSigningOrderProvider()
    olds = {**state_after_create(provider, ORDER), "status": "issued", "order_id": 9}
    news = {**ORDER, "__provider": "a-new-blob"}
    assert provider.diff("1", olds, news).changes is False


def test_secret_is_recorded_only_as_a_fingerprint() -> None:
    provider = DocumentSigningOrderProvider()
    state = state_after_create(provider, {**ORDER, "payment_method": "card", "credit_card": CARD})
    assert "credit_card" not in state
    assert "4111111111111111" not in repr(state)
    assert state["credit_card_fingerprint"].startswith("pbkdf2-sha256$")


def test_removing_a_secret_is_a_change() -> None:
    provider = BillingAccountLinkProvider()
    olds = state_after_create(provider, LINK)
    news = {"billing_account_api_key": LINK["billing_account_api_key"]}
    result = provider.diff("1", olds, news)
    assert (result.changes, result.replaces) == (True, [])


def test_read_on_import_turns_raw_secrets_into_fingerprints() -> None:
    provider = BillingAccountLinkProvider()
    carried = provider.carried_outputs({**LINK, "__provider": "blob"})
    assert "billing_account_api_key" not in carried
    assert LINK["billing_account_api_key"] not in repr(carried)
    assert carried["billing_account_api_key_fingerprint"].startswith("pbkdf2-sha256$")
    again = provider.carried_outputs(carried)
    assert again == carried
