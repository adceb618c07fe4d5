"""Section ``preview``: Check and Diff of every resource, in a host configured with nothing (no
key, ``DIGICERT_*`` unset), counted at the sandbox; each asked twice, and once more by a
configured host (what CI applies).

Cases: the same inputs, each field changed, and each field unknown (as in a preview). What each
case must plan comes from the contract table written apart from the code
(:mod:`qa.field_contract`), never from the field table the provider's diff uses; a field without
a row there stops the section, naming it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pulumi_digicert.resources import PROVIDERS
from pulumi_digicert.testing import UNKNOWN, DiffSummary, HostError, ProviderHost
from qa import scenarios
from qa.field_contract import MissingContractRowError, expected_mode, missing_rows
from qa.reliability.campaign import Campaign, Deployed, SectionResult, deploy_everything, last_line
from qa.reliability.scan import CampaignSecrets
from qa.scenarios import stack_config


class _Field(Protocol):
    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class PreviewCase:
    resource: str
    label: str
    news: dict[str, Any]
    expect_changes: bool
    expect_replaces: tuple[str, ...]


def field_names(type_name: str) -> list[str]:
    """The inputs ``type_name``'s provider declares, in its field table's order."""
    for provider in PROVIDERS:
        if provider.__name__ == f"{type_name}Provider":
            fields: Sequence[_Field] = provider.fields
            return [f.name for f in fields]
    raise KeyError(type_name)


def changed_inputs(secrets: CampaignSecrets) -> dict[str, dict[str, Any]]:
    """A valid new value for each declared field of each resource (the preview's test cases)."""
    other = scenarios.OTHER_CONTACT
    return {
        "Organization": {
            "name": "Reliability Corporation",
            "assumed_name": "Reliable",
            "address": "2 Main St",
            "address2": "Suite 9",
            "city": "Provo",
            "state": "Idaho",
            "zip": "84601",
            "country": "ca",
            "telephone": "+1 555 0199",
            "container_id": 7.0,
            "organization_contact": other,
            "technical_contact": other,
            "validations": [
                {"type": "ov"},
                {"type": "ev", "verified_users": [{"first_name": "Ada", "last_name": "L"}]},
            ],
            "skip_duplicate_org_check": True,
        },
        "DomainValidation": {
            "domain_name": "other.example.com",
            "organization_id": 99.0,
            "validations": ["ov", "ev"],
            "dcv_method": "dns-cname-token",
        },
        "DomainValidationCheck": {
            "domain_id": 99.0,
            "dcv_token": "another-token",
            "wait_timeout_seconds": 30.0,
            "poll_interval_seconds": 2.0,
        },
        "DocumentSigningOrder": {
            "product": "document_signing_org_2",
            "organization_id": 99.0,
            "subject": {**scenarios.SUBJECT, "name": "Another Desk"},
            "validity_years": 3.0,
            "csr": scenarios.CSR,
            "server_platform_id": 2.0,
            "cs_provisioning_method": "ship_token",
            "use_org_as_common_name": False,
            "container_id": 7.0,
            "ship_info": {"name": "Ada", "addr1": "1 Main St", **_without_street()},
            "organization_contact": other,
            "technical_contact": other,
            "comments": "approved by legal",
            "custom_fields": [{"metadata_id": 5.0, "value": "x"}],
            "user_id_assignments": [3.0],
            "skip_approval": True,
            "enable_guest_access": True,
            "payment_method": "card",
            "credit_card": scenarios.card(secrets.card_numbers[1]),
            "billing_address": {**scenarios.BILLING_ADDRESS, "city": "Provo"},
            "vat_number": "GB123",
            "alternative_order_id": "renamed42",
            "adopt_order_id": 99.0,
            "wait_for_issuance_seconds": 10.0,
            "revoke_on_delete": True,
            "revocation_comment": "key compromised",
            "renew_within_days": 30.0,
        },
        "BillingAccountLink": {
            "billing_account_api_key": secrets.billing_api_keys[1],
            "partner_api_key": secrets.partner_api_key + "x",
        },
    }


def _without_street() -> dict[str, Any]:
    return {k: v for k, v in scenarios.ADDRESS.items() if k != "address"}


def preview_cases(
    type_name: str, inputs: Mapping[str, Any], secrets: CampaignSecrets
) -> list[PreviewCase]:
    """The same inputs; each field changed; each field unknown (as in a preview)."""
    names = field_names(type_name)
    missing = missing_rows(type_name, names)
    if missing:
        raise MissingContractRowError(
            f"{type_name}: fields without a row in the expected field modes (or rows without a "
            f"field): {missing}; check each against DESIGN.md and the README, then update "
            "qa/field_contract.py"
        )
    cases = [PreviewCase(type_name, "unchanged", dict(inputs), False, ())]
    changes = changed_inputs(secrets)[type_name]
    for name in names:
        if name not in changes or _same(inputs.get(name), changes[name]):
            continue  # a field with one allowed value (signature_hash) has no other value
        news = _changed(inputs, name, changes)
        expected_replaces = tuple(
            other
            for other in names
            if expected_mode(type_name, other) == "replace"
            and not _same(inputs.get(other), news.get(other))
        )
        if type_name == "DocumentSigningOrder" and expected_replaces:
            # A program derives a new alternative_order_id for a new purchase; keeping the old
            # one is refused by check (it would adopt the order being replaced).
            news["alternative_order_id"] = f"{inputs.get('alternative_order_id')}r"
        cases.append(PreviewCase(type_name, f"change {name}", news, True, expected_replaces))
    for name in names:
        news = {**inputs, name: UNKNOWN}
        replaces = (name,) if expected_mode(type_name, name) == "replace" else ()
        cases.append(PreviewCase(type_name, f"unknown {name}", news, True, replaces))
    return cases


def _changed(inputs: Mapping[str, Any], name: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """``inputs`` with ``name`` changed, plus what the change needs to stay valid."""
    news = {**inputs, name: changes[name]}
    if name == "credit_card" and inputs.get("payment_method") != "card":
        news["payment_method"] = "card"
        news["billing_address"] = scenarios.BILLING_ADDRESS
    if name == "payment_method" and inputs.get("payment_method") == "card":
        news["payment_method"] = "balance"
        news.pop("credit_card", None)
        news.pop("billing_address", None)
    if name == "cs_provisioning_method" and changes[name] == "ship_token":
        news["ship_info"] = changes["ship_info"]
    return news


def _same(old: Any, new: Any) -> bool:
    return json.dumps(old, sort_keys=True, default=str) == json.dumps(
        new, sort_keys=True, default=str
    )


@dataclass
class _Tally:
    """Counts under the section's figure names, cases per resource, and a note per miss."""

    counts: Counter[str] = field(default_factory=Counter)
    per_resource: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def preview(campaign: Campaign) -> SectionResult:
    result = SectionResult("preview")
    with campaign.sandbox() as server, campaign.host("apply", stack_config(server)) as applying:
        deployed = deploy_everything(campaign, server, applying)
        server.control.reset_stats()
        with campaign.host("preview", None) as previewing:
            tally = _run_cases(campaign, deployed, previewing, applying)
        api_calls = server.control.stats()["total"]
    counts = tally.counts
    result.figures = {
        "resources": len(deployed),
        "cases": counts["cases"],
        "check_and_diff_calls": counts["cases"] * 6,
        "api_calls_during_check_and_diff": api_calls,
        "answers_differing_when_asked_twice": counts["not_twice"],
        "preview_differs_from_apply_time": counts["apply_differs"],
        "verdicts_contradicting_field_table": counts["wrong"],
        "check_failures_on_valid_inputs": counts["failures_seen"],
        "credentials_in_preview_host": "none (Configure with no config, DIGICERT_* unset)",
        "cases_by_resource": dict(tally.per_resource),
        "notes": tally.notes,
    }
    result.expect(api_calls == 0, f"{api_calls} API call(s) during check/diff")
    for key, problem in (
        ("not_twice", "answer(s) changed when asked twice"),
        ("apply_differs", "preview answer(s) differ from apply time"),
        ("wrong", "diff verdict(s) contradict the contract's field modes"),
        ("failures_seen", "valid case(s) failed check"),
    ):
        result.expect(not counts[key], f"{counts[key]} {problem}")
    return result.finish()


def _diff_key(diff: DiffSummary) -> tuple[Any, ...]:
    return (diff.changes, tuple(sorted(diff.replaces)), diff.delete_before_replace)


def _run_cases(
    campaign: Campaign,
    deployed: Mapping[str, Deployed],
    previewing: ProviderHost,
    applying: ProviderHost,
) -> _Tally:
    tally = _Tally()
    for type_name, d in deployed.items():
        for case in preview_cases(type_name, dict(d.resource.inputs), campaign.secrets):
            tally.counts["cases"] += 1
            tally.per_resource[type_name] += 1
            _run_case(tally, case, d, previewing, applying)
    return tally


def _run_case(
    tally: _Tally, case: PreviewCase, d: Deployed, previewing: ProviderHost, applying: ProviderHost
) -> None:
    first = previewing.check(d.urn, d.inputs, case.news)
    second = previewing.check(d.urn, d.inputs, case.news)
    at_apply = applying.check(d.urn, d.inputs, case.news)
    tally.counts["not_twice"] += first != second
    tally.counts["apply_differs"] += first != at_apply
    where = f"{case.resource} {case.label}"
    if first[1]:
        tally.counts["failures_seen"] += 1
        tally.notes.append(f"{where}: check failed: {first[1]}")
        return
    diff_apply = applying.diff(d.id, d.urn, d.outputs, at_apply[0], old_inputs=d.inputs)
    try:
        diff_1 = previewing.diff(d.id, d.urn, d.outputs, first[0], old_inputs=d.inputs)
        diff_2 = previewing.diff(d.id, d.urn, d.outputs, first[0], old_inputs=d.inputs)
    except HostError as exc:
        # A preview without credentials must never fail (DESIGN: check and diff need none):
        # counted with the cases whose preview differs from apply time.
        tally.counts["apply_differs"] += 1
        tally.notes.append(
            f"{where}: diff failed without credentials: {last_line(exc.details, 200)}"
        )
        return
    tally.counts["not_twice"] += _diff_key(diff_1) != _diff_key(diff_2)
    tally.counts["apply_differs"] += _diff_key(diff_1) != _diff_key(diff_apply)
    verdict_ok = (diff_1.changes is True) == case.expect_changes and set(diff_1.replaces) == set(
        case.expect_replaces
    )
    if not verdict_ok:
        tally.counts["wrong"] += 1
        tally.notes.append(
            f"{where}: diff changes={diff_1.changes} replaces={list(diff_1.replaces)}, the "
            f"contract says changes={case.expect_changes} replaces={list(case.expect_replaces)}"
        )
