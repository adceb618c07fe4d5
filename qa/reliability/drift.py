"""Section ``drift``: objects changed or removed behind the provider's back (the sandbox's control
API, or another admin through the API), then read. Read must show each change, and input drift
must show in the next preview. ``BillingAccountLink`` is not counted: the Partner API has no
endpoint that reads a link, so read returns the recorded state (documented)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from pulumi_digicert.sandbox import SandboxControl, SandboxServer
from pulumi_digicert.testing import DiffSummary, ProviderHost
from qa import scenarios
from qa.reliability.campaign import (
    ORGANIZATION,
    Campaign,
    Deployed,
    SectionResult,
    deploy,
    domain_program,
)
from qa.scenarios import stack_config

#: Any value (:meth:`_Drift.went` compares only what is given).
ANY = object()

#: Long enough for every validation the sandbox grants (397 days, seed 000) to expire.
THREE_YEARS = 3 * 366 * 86400

#: Order status changes made through the control API: the actions, the change's name, whether
#: read must then find the order gone, and the status it must read otherwise.
ORDER_CHANGES: tuple[tuple[tuple[str, ...], str, bool, str | None], ...] = (
    (("approve",), "approved", False, "pending"),
    (("approve", "issue"), "issued", False, "issued"),
    (("reject",), "rejected", True, None),
    (("approve", "cancel"), "canceled", True, None),
    (("approve", "issue", "revoke"), "revoked", False, "revoked"),
    (("approve", "issue", "expire"), "expired", False, "expired"),
)


@dataclass
class DriftCase:
    resource: str
    change: str
    detected: bool
    how: str


@dataclass
class _Drift:
    """One run's objects and what it saw; each ``*_drift`` method changes objects and reads."""

    campaign: Campaign
    server: SandboxServer
    host: ProviderHost
    admin: httpx.Client
    """Another admin of the same account, through the API."""
    cases: list[DriftCase] = field(default_factory=list)
    not_observable: list[dict[str, str]] = field(default_factory=list)
    organization_id: int = 0

    @property
    def control(self) -> SandboxControl:
        return self.server.control

    def case(self, resource: str, change: str, detected: bool, how: str) -> None:
        self.cases.append(DriftCase(resource, change, detected, how))

    def gone(self, d: Deployed, change: str) -> None:
        """Read must find the object gone: no id."""
        read_id, _, _ = self.read(d)
        self.case(d.type_name, change, read_id == "", "read returns no id")

    def went(self, d: Deployed, change: str, key: str, old: Any = ANY, new: Any = ANY) -> None:
        """Read must show output ``key`` changed (from ``old``, to ``new`` where given)."""
        _, outs, _ = self.read(d)
        before, after = d.outputs.get(key), outs.get(key)
        detected = before != after and old in (ANY, before) and new in (ANY, after)
        self.case(d.type_name, change, detected, f"{key} {before} -> {after}")

    def taken_in(self, d: Deployed, change: str, path: tuple[str, ...], new: Any) -> None:
        """Read must carry input ``path`` at its ``new`` value, and the next preview must show
        an update (the program still declares the old one)."""
        _, outs, inputs = self.read(d)
        shown = self.next_preview(d, outs)
        carried: Any = inputs or {}
        for key in path:
            carried = carried.get(key, {}) if isinstance(carried, Mapping) else None
        self.case(
            d.type_name,
            change,
            carried == new and shown.update,
            f"read inputs carry the new {path[0]}; next preview: update {shown.diffs or ''}",
        )

    def one(self, program: Any) -> Deployed:
        (deployed,) = deploy(self.campaign, self.host, program)
        return deployed

    def read(self, d: Deployed) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
        return self.host.read(d.id, d.urn, d.outputs, d.inputs)

    def next_preview(self, d: Deployed, outputs: Mapping[str, Any]) -> DiffSummary:
        """What the next ``pulumi preview`` shows after a refresh: the program's inputs diffed
        against the refreshed state."""
        checked, _ = self.host.check(d.urn, d.inputs, d.resource.inputs)
        return self.host.diff(d.id, d.urn, dict(outputs), checked, old_inputs=d.inputs)

    def organization(self, index: int, **extra: Any) -> Deployed:
        args = {**ORGANIZATION, "name": f"Drift Corp {index}", **extra}

        def program() -> None:
            import pulumi_digicert as digicert

            digicert.Organization(f"drift-org-{index}", **args)

        return self.one(program)

    def domain(self, index: int) -> Deployed:
        name = f"drift{index}.example.com"
        return self.one(domain_program(f"drift-domain-{index}", name, self.organization_id))

    def domain_check(self, name: str, domain_id: int) -> Deployed:
        def program() -> None:
            import pulumi_digicert as digicert

            digicert.DomainValidationCheck(name, domain_id=domain_id, wait_timeout_seconds=0)

        return self.one(program)

    def order(self, index: int) -> Deployed:
        organization_id = self.organization_id

        def program() -> None:
            import pulumi_digicert as digicert

            digicert.DocumentSigningOrder(
                f"drift-order-{index}",
                product="document_signing_org_1",
                organization_id=organization_id,
                validity_years=1,
                subject={**scenarios.SUBJECT, "name": "Drift Desk"},
            )

        return self.one(program)

    def organization_drift(self) -> None:
        o = self.organization(1)
        self.control.set_organization_status(int(o.id), "inactive")
        self.went(o, "deactivated", "is_active", old=True, new=False)
        o = self.organization(2)
        other = scenarios.OTHER_CONTACT
        contacts = {"contacts": [{"contact_type": "organization_contact", **other}]}
        self.admin.put(f"/organization/{o.id}/contact", json=contacts).raise_for_status()
        path = ("organization_contact", "email")
        self.taken_in(o, "contact changed by another admin", path, other["email"])
        o = self.organization(3)
        self.admin.delete(f"/organization/{o.id}").raise_for_status()
        self.gone(o, "deleted")
        o = self.organization(4, validations=[{"type": "ov"}])
        self.control.complete_org_validation(int(o.id), "ov")
        self.went(o, "validation completed", "validations")

    def domain_drift(self) -> None:
        dv = self.domain(1)
        self.admin.put(f"/domain/{dv.id}/deactivate").raise_for_status()
        self.gone(dv, "deactivated")
        dv = self.domain(2)
        method = {"dcv_method": "dns-cname-token"}
        self.admin.put(f"/domain/{dv.id}/dcv/method", json=method).raise_for_status()
        self.taken_in(dv, "DCV method changed by another admin", ("dcv_method",), "dns-cname-token")
        dv = self.domain(3)
        self.control.complete_dcv(int(dv.id))
        self.went(dv, "DCV completed", "validation_status")
        dv = self.domain(4)
        self.control.fail_dcv(int(dv.id))
        _, outs, _ = self.read(dv)
        changed = sorted(k for k in set(outs) | set(dv.outputs) if outs.get(k) != dv.outputs.get(k))
        self.case("DomainValidation", "DCV failed", bool(changed), f"changed outputs: {changed}")

    def check_drift(self) -> None:
        domain_id = int(self.domain(5).id)
        dc = self.domain_check("drift-check", domain_id)
        self.control.complete_dcv(domain_id)
        self.went(dc, "DCV completed after the check", "validated", old=False, new=True)

    def order_drift(self) -> None:
        for actions, change, expect_gone, expect_status in ORDER_CHANGES:
            od = self.order(len(self.cases))
            for action in actions:
                self.control.advance_order(int(od.id), action)
            if expect_gone:
                self.gone(od, change)
            else:
                self.went(od, change, "status", new=expect_status)

    def expiry_drift(self) -> None:
        """Validations expire: the sandbox clock moves on, nothing else changes."""
        dv = self.domain(7)
        self.control.complete_dcv(int(dv.id))
        _, dv.outputs, _ = self.read(dv)
        dc = self.domain_check("drift-check-expiry", int(dv.id))
        self.control.advance_clock(THREE_YEARS)
        self.went(dv, "validation expired", "validation_status", new="expired")
        self.went(dc, "validation expired", "validated", old=True, new=False)

    def billing_link_drift(self) -> None:
        """Relinked to another billing account: the Partner API has no read, so not counted."""
        first, second = self.campaign.secrets.billing_api_keys
        self.control.create_account("Drift Billing", api_key=first)
        self.control.create_account("Drift Billing 2", api_key=second)

        def program() -> None:
            import pulumi_digicert as digicert

            digicert.BillingAccountLink("drift-link", billing_account_api_key=first)

        link = self.one(program)
        headers = {"X-PARTNER-APIKEY": self.server.partner_api_key, "X-DC-DEVKEY": second}
        httpx.put(
            self.server.partner_url + "/finance/account-link", headers=headers, timeout=10
        ).raise_for_status()
        _, outs, _ = self.read(link)
        self.not_observable.append(
            {
                "resource": "BillingAccountLink",
                "change": "relinked to another billing account",
                "why": "the Partner Subscriptions API has no endpoint that reads a link; "
                "read returns the recorded state (documented)",
                "read_changed": str(outs != link.outputs),
            }
        )


def drift(campaign: Campaign) -> SectionResult:
    result = SectionResult("drift")
    with campaign.sandbox(rate_limit=False) as server:
        admin = httpx.Client(
            base_url=server.services_url, headers={"X-DC-DEVKEY": server.api_key}, timeout=10
        )
        with admin, campaign.host("drift", stack_config(server)) as host:
            run = _Drift(campaign, server, host, admin)
            run.organization_drift()
            run.organization_id = int(run.organization(5).id)
            run.domain_drift()
            run.check_drift()
            run.order_drift()
            run.expiry_drift()
            run.billing_link_drift()
    detected = sum(1 for c in run.cases if c.detected)
    result.figures = {
        "cases": len(run.cases),
        "detected": detected,
        "detected_of_total": f"{detected}/{len(run.cases)}",
        "by_case": [asdict(c) for c in run.cases],
        "not_observable": run.not_observable,
    }
    for c in run.cases:
        result.expect(c.detected, f"{c.resource}: {c.change} not detected ({c.how})")
    return result.finish()
