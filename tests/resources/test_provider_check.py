"""check: every problem is a CheckFailure naming the property; unknowns are not problems."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ResourceProvider
from pulumi.output import Unknown
from tests.resources.inputs import (
    BILLING_ADDRESS,
    CARD,
    CONTACT,
    CSR,
    DOMAIN,
    LINK,
    ORDER,
    ORGANIZATION,
    SUBJECT,
)

from pulumi_digicert._engine_values import UNKNOWN
from pulumi_digicert.resources import (
    BillingAccountLinkProvider,
    DocumentSigningOrderProvider,
    DomainValidationCheckProvider,
    DomainValidationProvider,
    OrganizationProvider,
)


def failures(provider: ResourceProvider, inputs: dict[str, Any]) -> dict[str, str]:
    result = provider.check({}, {**inputs, "__provider": "blob"})
    return {f.property: f.reason for f in result.failures}


@pytest.mark.parametrize(
    ("provider", "inputs"),
    [
        (OrganizationProvider(), ORGANIZATION),
        (DomainValidationProvider(), DOMAIN),
        (DomainValidationCheckProvider(), {"domain_id": 5.0}),
        (DocumentSigningOrderProvider(), ORDER),
        (BillingAccountLinkProvider(), LINK),
    ],
)
def test_valid_inputs_pass_and_keep_the_provider_blob(
    provider: ResourceProvider, inputs: dict[str, Any]
) -> None:
    result = provider.check({}, {**inputs, "__provider": "blob"})
    assert result.failures == []
    assert result.inputs["__provider"] == "blob"


def test_check_applies_documented_defaults() -> None:
    result = DomainValidationProvider().check(
        {}, {"domain_name": "a.example", "organization_id": 1}
    )
    assert result.inputs["dcv_method"] == "dns-txt-token"
    assert result.inputs["validations"] == ["ov"]


@pytest.mark.parametrize(
    ("change", "prop", "fragment"),
    [
        ({"name": None}, "name", "required"),
        ({"name": "x" * 65}, "name", "at most 64"),
        ({"country": "USA"}, "country", "two-letter ISO country code"),
        ({"assumed_name": "y" * 40, "name": "x" * 30}, "assumed_name", "61"),
        ({"organization_contact": {**CONTACT, "email": "nope"}}, "organization_contact.email", ""),
        (
            {"organization_contact": {"first_name": "A"}},
            "organization_contact.last_name",
            "required",
        ),
        ({"validations": [{"type": "xx"}]}, "validations[0].type", ""),
        ({"validations": [{"type": "ev"}]}, "validations[0].verified_users", "required for ev"),
        ({"validations": [{"type": "ov"}, {"type": "ov"}]}, "validations", "once"),
        ({"container_id": -3.0}, "container_id", "greater than 0"),
        ({"nmae": "typo"}, "nmae", "not a known argument"),
    ],
)
def test_organization_check_names_the_field(
    change: dict[str, Any], prop: str, fragment: str
) -> None:
    inputs = {**ORGANIZATION, **change}
    inputs = {k: v for k, v in inputs.items() if v is not None}
    found = failures(OrganizationProvider(), inputs)
    assert prop in found, found
    assert fragment in found[prop]


@pytest.mark.parametrize(
    ("change", "prop", "fragment"),
    [
        ({"domain_name": "not a domain"}, "domain_name", "not a valid domain"),
        ({"organization_id": "abc"}, "organization_id", "whole number"),
        ({"organization_id": 1.5}, "organization_id", "whole number"),
        ({"dcv_method": "carrier-pigeon"}, "dcv_method", ""),
        ({"validations": []}, "validations", "at least 1"),
        ({"domain_name": "*.example.com", "dcv_method": "http-token"}, "dcv_method", "wildcard"),
    ],
)
def test_domain_check_names_the_field(change: dict[str, Any], prop: str, fragment: str) -> None:
    found = failures(DomainValidationProvider(), {**DOMAIN, **change})
    assert prop in found, found
    assert fragment in found[prop]


def test_wildcard_domain_with_a_dns_method_is_fine() -> None:
    assert failures(DomainValidationProvider(), {**DOMAIN, "domain_name": "*.example.com"}) == {}


@pytest.mark.parametrize(
    ("change", "prop", "fragment"),
    [
        ({"product": "ssl_basic"}, "product", ""),
        ({"validity_years": 4.0}, "validity_years", "must be 3 or less"),
        ({"validity_years": 0.0}, "validity_years", "must be 1 or more"),
        ({"alternative_order_id": "has-dash"}, "alternative_order_id", "letters or digits"),
        (
            {"alternative_order_id": "a" * 65},
            "alternative_order_id",
            "is 65 characters; at most 64",
        ),
        ({"signature_hash": "sha1"}, "signature_hash", ""),
        ({"subject": {"email": "x@example.com"}}, "subject.name", "required"),
        *(
            (
                {"subject": {k: v for k, v in SUBJECT.items() if k != field}},
                f"subject.{field}",
                "required",
            )
            for field in ("name", "job_title", "phone", "email")
        ),
        ({"enable_guest_access": 2.0}, "enable_guest_access", ""),
        ({"payment_method": "card"}, "credit_card", "required when payment_method is 'card'"),
        ({"payment_method": "card", "credit_card": CARD}, "billing_address", "required"),
        ({"credit_card": CARD}, "credit_card", "only used with payment_method 'card'"),
        ({"cs_provisioning_method": "email"}, "csr", "required when cs_provisioning_method"),
        ({"csr": "not pem"}, "csr", "PEM"),
        ({"wait_for_issuance_seconds": -1.0}, "wait_for_issuance_seconds", "must be 0 or more"),
        ({"payment_method": "wire"}, "payment_method", ""),
    ],
)
def test_order_check_names_the_field(change: dict[str, Any], prop: str, fragment: str) -> None:
    found = failures(DocumentSigningOrderProvider(), {**ORDER, **change})
    assert prop in found, found
    assert fragment in found[prop]


def test_order_without_subject_is_refused_in_preview() -> None:
    inputs = {k: v for k, v in ORDER.items() if k != "subject"}
    assert failures(DocumentSigningOrderProvider(), inputs) == {"subject": "is required"}


def test_order_without_alternative_order_id_is_refused() -> None:
    inputs = {k: v for k, v in ORDER.items() if k != "alternative_order_id"}
    assert "alternative_order_id" in failures(DocumentSigningOrderProvider(), inputs)


def with_card(card: Any) -> dict[str, Any]:
    return {
        **ORDER,
        "payment_method": "card",
        "credit_card": card,
        "billing_address": BILLING_ADDRESS,
    }


@pytest.mark.parametrize(
    ("change", "props"),
    [
        ({"number": "4111111111111112"}, {"credit_card.number"}),
        ({"number": "41111111"}, {"credit_card.number"}),
        ({"cvv": 12345.0}, {"credit_card.cvv"}),
        ({"cvv": "12x"}, {"credit_card.cvv"}),
        ({"expiration_month": 13.0}, {"credit_card.expiration_month"}),
        ({"expiration_year": 31.0}, {"credit_card.expiration_year"}),
        ({"cardholder_name": "  "}, {"credit_card.cardholder_name"}),
        ({"number": "4111111111111112", "cvv": 98765.0}, {"credit_card.number", "credit_card.cvv"}),
    ],
)
def test_card_problems_name_the_field_and_never_echo_the_card(
    change: dict[str, Any], props: set[str]
) -> None:
    card = {**CARD, **change}
    found = failures(DocumentSigningOrderProvider(), with_card(card))
    assert set(found) == props
    text = repr(found)
    secrets = [card["number"], card["cardholder_name"].strip(), CARD["number"]]
    secrets.append(str(int(card["cvv"])) if isinstance(card["cvv"], float) else card["cvv"])
    for secret in secrets:
        assert not secret or secret not in text, secret


@pytest.mark.parametrize(
    "missing", ["number", "expiration_month", "expiration_year", "cvv", "cardholder_name"]
)
def test_every_card_field_is_required(missing: str) -> None:
    card = {k: v for k, v in CARD.items() if k != missing}
    assert failures(DocumentSigningOrderProvider(), with_card(card)) == {
        f"credit_card.{missing}": "is required"
    }


def test_the_card_shape_the_order_page_does_not_document_is_refused() -> None:
    old_shape = {"number": CARD["number"], "expiration": {"month": 12, "year": 2031}, "cvv": "123"}
    found = failures(DocumentSigningOrderProvider(), with_card(old_shape))
    assert found["credit_card.expiration"] == "is not a known argument of this resource"
    assert {"credit_card.expiration_month", "credit_card.cardholder_name"} <= set(found)
    assert CARD["number"] not in repr(found)


def test_a_cvv_given_as_digits_is_accepted() -> None:
    assert failures(DocumentSigningOrderProvider(), with_card({**CARD, "cvv": "0123"})) == {}


def test_card_payment_with_card_and_address_passes() -> None:
    inputs = {
        **ORDER,
        "payment_method": "card",
        "credit_card": CARD,
        "billing_address": BILLING_ADDRESS,
        "csr": CSR,
    }
    assert failures(DocumentSigningOrderProvider(), inputs) == {}


def test_link_requires_the_billing_key_and_never_echoes_keys() -> None:
    found = failures(BillingAccountLinkProvider(), {"partner_api_key": "PARTNERKEY0123456789"})
    assert "billing_account_api_key" in found
    assert "PARTNERKEY" not in repr(found)


@pytest.mark.parametrize(
    ("provider", "inputs"),
    [
        (
            OrganizationProvider(),
            {**ORGANIZATION, "name": UNKNOWN, "organization_contact": UNKNOWN},
        ),
        (
            DomainValidationProvider(),
            {**DOMAIN, "organization_id": UNKNOWN, "domain_name": UNKNOWN},
        ),
        (
            DomainValidationProvider(),
            {**DOMAIN, "domain_name": "*.example.com", "dcv_method": UNKNOWN},
        ),
        (DocumentSigningOrderProvider(), {**ORDER, "organization_id": UNKNOWN}),
        (DocumentSigningOrderProvider(), {**ORDER, "alternative_order_id": UNKNOWN}),
        (DocumentSigningOrderProvider(), {**ORDER, "subject": {**SUBJECT, "name": UNKNOWN}}),
        (DocumentSigningOrderProvider(), {**ORDER, "subject": UNKNOWN}),
        (
            DocumentSigningOrderProvider(),
            {**ORDER, "payment_method": "card", "credit_card": UNKNOWN, "billing_address": UNKNOWN},
        ),
        (DomainValidationCheckProvider(), {"domain_id": UNKNOWN}),
        (BillingAccountLinkProvider(), {"billing_account_api_key": UNKNOWN}),
        (OrganizationProvider(), {**ORGANIZATION, "validations": [UNKNOWN]}),
    ],
)
@pytest.mark.parametrize("as_host_sends", [False, True], ids=["wire-string", "host-object"])
def test_unknown_values_during_preview_are_not_failures(
    provider: ResourceProvider, inputs: dict[str, Any], as_host_sends: bool
) -> None:
    if as_host_sends:
        inputs = as_unknown_objects(inputs)
    assert failures(provider, inputs) == {}


def as_unknown_objects(value: Any) -> Any:
    """The dynamic host deserializes unknowns as pulumi.output.Unknown instances."""
    if value == UNKNOWN:
        return Unknown()
    if isinstance(value, dict):
        return {k: as_unknown_objects(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_unknown_objects(v) for v in value]
    return value


@pytest.mark.parametrize(
    "junk",
    [None, 3.0, "text", [], {"nested": {"junk": [1, 2]}}, ["a", {"b": None}], "\x00" * 10],
)
@pytest.mark.parametrize(
    "provider",
    [
        OrganizationProvider(),
        DomainValidationProvider(),
        DomainValidationCheckProvider(),
        DocumentSigningOrderProvider(),
        BillingAccountLinkProvider(),
    ],
)
def test_check_never_raises_on_junk(provider: ResourceProvider, junk: Any) -> None:
    inputs = dict.fromkeys(("name", "subject", "organization_id", "domain_name"), junk)
    result = provider.check({}, {**inputs, "__provider": "blob"})
    assert result.failures, "junk must be reported"


def test_check_needs_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DIGICERT_API_KEY", "DIGICERT_PARTNER_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert failures(DocumentSigningOrderProvider(), ORDER) == {}


# Every input that places a new order, per DESIGN.md's DocumentSigningOrder contract.
ORDER_REPLACING_CHANGES: list[tuple[str, Any]] = [
    ("product", "document_signing_org_2"),
    ("organization_id", 1002.0),
    (
        "subject",
        {"name": "Legal", "job_title": "Counsel", "phone": "+1 555 0101", "email": "l@example.com"},
    ),
    ("validity_years", 2.0),
    ("csr", "-----BEGIN CERTIFICATE REQUEST-----\nabc\n-----END CERTIFICATE REQUEST-----"),
    ("server_platform_id", 21.0),
    ("cs_provisioning_method", "ship_token"),
    ("use_org_as_common_name", False),
    ("container_id", 3.0),
]


@pytest.mark.parametrize(
    ("name", "value"), ORDER_REPLACING_CHANGES, ids=[n for n, _ in ORDER_REPLACING_CHANGES]
)
def test_a_new_purchase_under_the_old_explicit_alternative_order_id_is_refused_in_preview(
    name: str, value: Any
) -> None:
    provider = DocumentSigningOrderProvider()
    olds = {**ORDER, "alternative_order_id": "payroll2026"}
    result = provider.check(olds, {**olds, name: value})
    failures = {f.property: f.reason for f in result.failures}
    assert "alternative_order_id" in failures
    assert name in failures["alternative_order_id"]
    assert "set a new alternative_order_id" in failures["alternative_order_id"]


def test_a_new_purchase_with_a_new_alternative_order_id_is_accepted() -> None:
    provider = DocumentSigningOrderProvider()
    olds = {**ORDER, "alternative_order_id": "payroll2026"}
    news = {**olds, "validity_years": 2.0, "alternative_order_id": "payroll2026b"}
    assert provider.check(olds, news).failures == []


def test_the_replacement_recheck_with_empty_olds_accepts_the_explicit_id() -> None:
    # The engine checks a replacement again with empty olds before creating it (step_generator).
    provider = DocumentSigningOrderProvider()
    news = {**ORDER, "alternative_order_id": "payroll2026", "validity_years": 2.0}
    assert provider.check({}, news).failures == []
