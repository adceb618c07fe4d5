"""The pack served as its own process, called over the analyzer gRPC interface like the CLI does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from google.protobuf import empty_pb2, json_format
from policy_programs import (
    BILLING_ADDRESS,
    CARD,
    SWEEP_A,
    billing_link,
    domain,
    order,
    organization,
    registered,
    replacing_inputs,
    sweep_stack,
)
from policy_support import (
    POLICIES_DIR,
    PolicyPackProcess,
    Registration,
    analyze_request,
    analyze_stack_request,
    find,
    policy_config,
)
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from digicert_policies import rules

MANDATORY = analyzer_pb2.MANDATORY
ADVISORY = analyzer_pb2.ADVISORY


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPackProcess]:
    process = PolicyPackProcess()
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def analyzer(pack: PolicyPackProcess) -> analyzer_pb2_grpc.AnalyzerStub:
    assert pack.stub is not None
    pack.stub.Configure(policy_config({}))  # every test starts from the pack's defaults
    return pack.stub


def _compliant_stack() -> None:
    acme = organization()
    domain(organization_id=acme.organization_id)
    order(organization_id=acme.organization_id, renew_within_days=30)
    billing_link()


def _offending_stack() -> None:
    acme = organization()
    domain(
        "wildcard", "*.example.com", organization_id=acme.organization_id, dcv_method="http-token"
    )
    domain("mail-validated", "example.org", organization_id=654321, dcv_method="email")
    order(
        "signer",
        organization_id=acme.organization_id,
        alternative_order_id="Shared1",
        validity_years=5,
        skip_approval=True,
        cs_provisioning_method="ship_token",
        payment_method="card",
        credit_card=CARD,
        billing_address=BILLING_ADDRESS,
        opts=replacing_inputs(credit_card=CARD),  # the card reaches the engine in plain text
    )
    order("second-signer", organization_id="Acme Corp", alternative_order_id="Shared1")
    order("too-long-id", organization_id=acme.organization_id, alternative_order_id="A" * 65)
    billing_link("first-link")
    billing_link("second-link", billing_account_api_key="other-billing-key")


def _diagnostics(
    analyzer: analyzer_pb2_grpc.AnalyzerStub, registration: Registration
) -> set[tuple[str, int]]:
    response = analyzer.Analyze(analyze_request(registration))
    return {(d.policyName, d.enforcementLevel) for d in response.diagnostics}


def test_analyzer_info_lists_every_rule_with_its_level_and_config_schema(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == rules.PACK_NAME
    assert info.supportsConfig
    policies = {policy.name: policy for policy in info.policies}
    assert list(policies) == [rule.name for rule in rules.RULES]
    assert policies[rules.ORGANIZATION_BY_ID].enforcementLevel == ADVISORY
    assert policies[rules.PAYMENT_METHOD].enforcementLevel == MANDATORY
    assert policies[rules.UNIQUE_ALTERNATIVE_ORDER_IDS].policy_type == (
        analyzer_pb2.POLICY_TYPE_STACK
    )
    schema = json_format.MessageToDict(policies[rules.DCV_METHOD].configSchema.properties)
    assert schema["allowedDcvMethods"]["default"] == [
        "dns-txt-token",
        "dns-cname-token",
        "http-token",
    ]
    for rule in rules.RULES:
        schema = json_format.MessageToDict(policies[rule.name].configSchema.properties)
        assert set(schema) == set(rules.CONFIG_SCHEMAS.get(rule.name, {}))


def test_compliant_stack_has_no_violations(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    for preview in (True, False):
        registrations = registered(_compliant_stack, preview=preview)
        for registration in registrations:
            assert _diagnostics(analyzer, registration) == set(), registration.name
        response = analyzer.AnalyzeStack(analyze_stack_request(registrations))
        assert list(response.diagnostics) == []


def test_analyze_reports_each_resource_rule_with_its_level(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    registrations = registered(_offending_stack)
    assert _diagnostics(analyzer, find(registrations, "signer")) == {
        (rules.PRODUCT_AND_VALIDITY, MANDATORY),
        (rules.PAYMENT_METHOD, MANDATORY),
        (rules.SKIP_APPROVAL, MANDATORY),
        (rules.PROVISIONING, MANDATORY),
        (rules.RENEWAL, ADVISORY),
    }
    assert _diagnostics(analyzer, find(registrations, "second-signer")) == {
        (rules.ORGANIZATION_BY_ID, ADVISORY),
        (rules.RENEWAL, ADVISORY),
    }
    assert _diagnostics(analyzer, find(registrations, "too-long-id")) == {
        (rules.ALTERNATIVE_ORDER_ID, MANDATORY),
        (rules.RENEWAL, ADVISORY),
    }
    assert _diagnostics(analyzer, find(registrations, "wildcard")) == {
        (rules.DCV_METHOD, MANDATORY)
    }
    assert _diagnostics(analyzer, find(registrations, "mail-validated")) == {
        (rules.DCV_METHOD, MANDATORY)
    }
    assert _diagnostics(analyzer, find(registrations, "acme")) == set()


def test_analyze_messages_name_the_resource_and_the_fix_and_no_secret(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    registrations = registered(_offending_stack)
    response = analyzer.Analyze(analyze_request(find(registrations, "signer")))
    messages = {d.policyName: d.message for d in response.diagnostics}
    card = messages[rules.PAYMENT_METHOD]
    assert "DocumentSigningOrder 'signer' carries credit_card as plain text" in card
    assert "Fix:" in card
    for diagnostic in response.diagnostics:
        assert CARD["number"] not in diagnostic.message


def test_card_registered_by_the_class_is_seen_as_a_secret(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    def program() -> None:
        order(
            payment_method="card",
            credit_card=CARD,
            billing_address=BILLING_ADDRESS,
            renew_within_days=30,
        )

    signer = find(registered(program), "signer")
    assert _diagnostics(analyzer, signer) == set()


def test_analyze_stack_reports_stack_rules_against_each_resource(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    registrations = registered(_offending_stack)
    response = analyzer.AnalyzeStack(analyze_stack_request(registrations))
    reported = sorted((d.policyName, d.enforcementLevel, d.urn) for d in response.diagnostics)
    urn = {r.name: r.urn for r in registrations}
    assert reported == sorted(
        [
            (rules.UNIQUE_ALTERNATIVE_ORDER_IDS, MANDATORY, urn["signer"]),
            (rules.UNIQUE_ALTERNATIVE_ORDER_IDS, MANDATORY, urn["second-signer"]),
            (rules.DOMAIN_ORGANIZATION_IN_STACK, MANDATORY, urn["mail-validated"]),
            (rules.ONE_BILLING_LINK_PER_PARTNER, MANDATORY, urn["first-link"]),
            (rules.ONE_BILLING_LINK_PER_PARTNER, MANDATORY, urn["second-link"]),
        ]
    )


def test_config_changes_levels_and_settings(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    config: dict[str, dict[str, Any]] = {
        rules.PRODUCT_AND_VALIDITY: {"enforcementLevel": "advisory", "maxValidityYears": 3},
        rules.SKIP_APPROVAL: {"enforcementLevel": "mandatory", "allowedOrders": ["signer"]},
        rules.PAYMENT_METHOD: {
            "enforcementLevel": "mandatory",
            "allowedPaymentMethods": ["balance", "profile"],
        },
        rules.PROVISIONING: {"enforcementLevel": "disabled"},
        rules.ORGANIZATION_BY_ID: {"enforcementLevel": "mandatory"},
        rules.DCV_METHOD: {
            "enforcementLevel": "advisory",
            "allowedDcvMethods": ["email", "dns-txt-token"],
        },
        rules.DOMAIN_ORGANIZATION_IN_STACK: {
            "enforcementLevel": "mandatory",
            "allowedOrganizationIds": [654321],
        },
        rules.ONE_BILLING_LINK_PER_PARTNER: {"enforcementLevel": "advisory"},
        rules.RENEWAL: {"enforcementLevel": "mandatory", "exemptOrders": ["second-signer"]},
    }
    analyzer.Configure(policy_config(config))
    registrations = registered(_offending_stack)

    signer = analyzer.Analyze(analyze_request(find(registrations, "signer")))
    assert {(d.policyName, d.enforcementLevel) for d in signer.diagnostics} == {
        (rules.PRODUCT_AND_VALIDITY, ADVISORY),  # validity 5 > 3, now advisory
        (rules.PAYMENT_METHOD, MANDATORY),  # card: plain text and not allowed
        (rules.RENEWAL, MANDATORY),  # no renew_within_days, now mandatory
    }
    payment = next(d.message for d in signer.diagnostics if d.policyName == rules.PAYMENT_METHOD)
    assert "payment_method 'card'" in payment
    assert _diagnostics(analyzer, find(registrations, "second-signer")) == {
        (rules.ORGANIZATION_BY_ID, MANDATORY),
    }
    assert _diagnostics(analyzer, find(registrations, "mail-validated")) == set()
    assert _diagnostics(analyzer, find(registrations, "wildcard")) == {(rules.DCV_METHOD, ADVISORY)}

    response = analyzer.AnalyzeStack(analyze_stack_request(registrations))
    assert sorted((d.policyName, d.enforcementLevel) for d in response.diagnostics) == sorted(
        [
            (rules.UNIQUE_ALTERNATIVE_ORDER_IDS, MANDATORY),
            (rules.UNIQUE_ALTERNATIVE_ORDER_IDS, MANDATORY),
            (rules.ONE_BILLING_LINK_PER_PARTNER, ADVISORY),
            (rules.ONE_BILLING_LINK_PER_PARTNER, ADVISORY),
        ]
    )


def test_values_unknown_during_preview_give_no_spurious_violations(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    registrations = registered(_compliant_stack, preview=True)
    signer = find(registrations, "signer")
    assert "alternative_order_id" in signer.properties  # present, but unknown until `up`
    response = analyzer.Analyze(analyze_request(signer))
    assert list(response.diagnostics) == []
    assert list(response.not_applicable) == []


def test_example_ci_config_is_accepted(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    config = json.loads((POLICIES_DIR / "policy-config.ci.json").read_text())
    for name, values in config.items():
        assert name in {rule.name for rule in rules.RULES}
        settings = set(values) - {"enforcementLevel"}
        assert settings <= set(rules.CONFIG_SCHEMAS.get(name, {})), name
    analyzer.Configure(policy_config(config))

    def program() -> None:
        order(payment_method="card", credit_card=CARD, billing_address=BILLING_ADDRESS)

    signer = find(registered(program), "signer")
    assert _diagnostics(analyzer, signer) == {
        (rules.PAYMENT_METHOD, MANDATORY),
        (rules.RENEWAL, MANDATORY),  # CI renews: no renew_within_days fails the check
    }


def test_served_pack_shows_secret_inputs_as_secret(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    # The engine sends secrets in envelopes; the pack must keep them to hide the values.
    registrations = registered(sweep_stack(SWEEP_A, "whole"))
    messages: list[str] = []
    for registration in registrations:
        messages += [d.message for d in analyzer.Analyze(analyze_request(registration)).diagnostics]
    response = analyzer.AnalyzeStack(analyze_stack_request(registrations))
    messages += [d.message for d in response.diagnostics]
    assert sum("[secret]" in message for message in messages) >= 8
    text = "\n".join(messages)
    for value in (
        SWEEP_A.product,
        SWEEP_A.long_alternative_order_id,
        SWEEP_A.punctuated_alternative_order_id,
        SWEEP_A.shared_alternative_order_id,
        SWEEP_A.organization_name,
        SWEEP_A.wildcard_domain,
        str(SWEEP_A.outside_organization_id),
        "validity_years=5",
    ):
        assert value not in text
