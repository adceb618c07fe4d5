"""API calls per lifecycle operation, per resource, counted at the sandbox.

Each operation goes through the real provider host (``python -m pulumi.dynamic`` over gRPC) with
the ``__provider`` blob and inputs a real program registers; the sandbox's traffic counters are
reset before and read after each one. The same run measures the size of each resource's
``__provider`` blob and of its recorded outputs.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import provider_host, registered_resources, request_counts, sandbox
from pulumi_digicert.sandbox import SandboxServer
from pulumi_digicert.testing import PROVIDER_KEY, UNKNOWN, ProviderHost
from pulumi_digicert.testing.program import RegisteredResource
from qa.mutations import host_sitecustomize
from qa.scenarios import CSR, OTHER_CONTACT, RESOURCE_TYPES, stack_config


@dataclass
class OperationCount:
    resource: str
    operation: str
    calls: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "operation": self.operation,
            "total": self.total,
            "calls": dict(sorted(self.calls.items())),
        }


@dataclass
class StateSize:
    resource: str
    provider_blob_bytes: int
    outputs_bytes: int
    """Compact JSON of the outputs after create, without ``__provider``."""

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "provider_blob_bytes": self.provider_blob_bytes,
            "outputs_bytes": self.outputs_bytes,
            "state_bytes": self.provider_blob_bytes + self.outputs_bytes,
        }


@dataclass
class LifecycleResult:
    counts: list[OperationCount] = field(default_factory=list)
    sizes: list[StateSize] = field(default_factory=list)

    def count(self, resource: str, operation: str) -> int | None:
        for entry in self.counts:
            if entry.resource == resource and entry.operation == operation:
                return entry.total
        return None

    def calls(self, resource: str, operation: str) -> dict[str, int]:
        for entry in self.counts:
            if entry.resource == resource and entry.operation == operation:
                return dict(entry.calls)
        return {}


def json_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), sort_keys=True).encode())


class _Run:
    def __init__(
        self, server: SandboxServer, host: ProviderHost, registered: dict[str, RegisteredResource]
    ) -> None:
        self.server = server
        self.host = host
        self.registered = registered
        self.result = LifecycleResult()

    def measure(self, resource: str, operation: str, action: Callable[[], Any]) -> Any:
        self.server.control.reset_stats()
        value = action()
        self.result.counts.append(OperationCount(resource, operation, request_counts(self.server)))
        return value

    def urn(self, resource: str, suffix: str = "") -> str:
        urn = self.registered[resource].urn
        return urn + suffix

    def checked(self, resource: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Any:
        checked, failures = self.host.check(self.urn(resource), olds, news)
        if failures:
            raise AssertionError(f"{resource}: check failed: {failures}")
        return checked

    def preview(
        self, resource: str, inputs: dict[str, Any], id_: str, outs: dict[str, Any], change: str
    ) -> None:
        """Check of a new resource (an unknown input where one may depend on another resource),
        then check + diff of ``change`` to the existing one."""
        host, urn = self.host, self.urn(resource)

        def run() -> None:
            unknown = {
                k: (UNKNOWN if k in ("organization_id", "domain_id", "dcv_token") else v)
                for k, v in inputs.items()
            }
            host.check(urn + "-new", {}, unknown)
            news = self.checked(resource, inputs, {**inputs, **_change(resource, change)})
            host.diff(id_, urn, outs, news)

        self.measure(resource, "preview", run)

    def size(self, resource: str, outs: Mapping[str, Any]) -> None:
        blob = outs[PROVIDER_KEY]
        self.result.sizes.append(
            StateSize(
                resource,
                provider_blob_bytes=len(str(blob).encode()),
                outputs_bytes=json_size({k: v for k, v in outs.items() if k != PROVIDER_KEY}),
            )
        )

    def lifecycle(
        self,
        resource: str,
        inputs: dict[str, Any],
        *,
        adopt: bool = True,
        delete: bool = True,
        after_create: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> tuple[str, dict[str, Any]]:
        host, urn = self.host, self.urn(resource)
        checked = self.checked(resource, {}, inputs)
        id_, outs = self.measure(resource, "create", lambda: host.create(urn, checked))
        if outs[PROVIDER_KEY] != self.registered[resource].provider_blob:
            raise AssertionError(f"{resource}: the host returned another __provider blob")
        self.size(resource, outs)
        if after_create is not None:
            after_create(id_, outs)
        self.preview(resource, inputs, id_, outs, "update")
        if adopt:
            again_id, again = self.measure(
                resource, "create_adopt", lambda: host.create(urn + "-again", checked)
            )
            if again_id != id_ or again.get("adopted") is not True:
                raise AssertionError(f"{resource}: the second create did not adopt {id_}")
        _, read_outs, _ = self.measure(resource, "read", lambda: host.read(id_, urn, outs, inputs))
        news = self.checked(resource, inputs, {**inputs, **_change(resource, "update")})
        updated = self.measure(resource, "update", lambda: host.update(id_, urn, read_outs, news))
        _check_update(resource, read_outs, updated)
        if delete:
            self.measure(resource, "delete", lambda: host.delete(id_, urn, updated))
        return id_, updated

    def renewal(self, resource: str, inputs: dict[str, Any]) -> None:
        """An order whose certificate CertCentral hands out: its first refresh once issued,
        then, inside its renewal window, the create of its replacement (the renewal)."""
        host, urn = self.host, self.urn(resource, "-renewing")
        checked = self.checked(resource, {}, inputs)
        id_, outs = host.create(urn, checked)
        self.server.control.advance_order(int(id_), "issue")
        _, issued, _ = self.measure(
            resource, "read_issued", lambda: host.read(id_, urn, outs, inputs)
        )
        if not issued.get("certificate_pem"):
            raise AssertionError(f"{resource}: the issued certificate was not read")
        self.server.control.advance_clock(RENEWAL_CLOCK_ADVANCE)
        _, due, _ = host.read(id_, urn, issued, inputs)
        if due.get("renewal_due") is not True:
            raise AssertionError(f"{resource}: refresh did not find the renewal due")
        _, renewed = self.measure(
            resource, "create_renewal", lambda: host.create(urn + "-renewal", checked)
        )
        if renewed.get("renewal_of_order_id") != int(id_):
            raise AssertionError(f"{resource}: the renewal is not linked to order {id_}")


# A one-year order 340 days on: 25 days left, inside a 30-day renewal window.
RENEWAL_CLOCK_ADVANCE = 340 * 86_400.0

_CHANGES: dict[str, dict[str, Any]] = {
    "Organization": {"organization_contact": OTHER_CONTACT},
    "DomainValidation": {"dcv_method": "dns-cname-token"},
    "DomainValidationCheck": {"wait_timeout_seconds": 30.0},
    "DocumentSigningOrder": {"comments": "approved by legal"},
    "BillingAccountLink": {},  # set by the scenario: another billing account's key
}


def _change(resource: str, kind: str) -> dict[str, Any]:
    del kind
    return _CHANGES[resource]


def _check_update(resource: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """An update must return complete outputs: every output present before is present after."""
    missing = sorted(k for k in before if k not in after)
    if missing:
        raise AssertionError(f"{resource}: update dropped outputs {missing}")


def run_lifecycle(*, mutation: str | None = None) -> LifecycleResult:
    """Every resource's lifecycle against a fresh sandbox, through one provider host.

    ``mutation`` plants a deliberate bug in the host (:mod:`qa.mutations`),
    for the test that shows a count above its minimum fails."""
    registered = registered_resources()
    with contextlib.ExitStack() as stack:
        pythonpath: list[str] = []
        if mutation is not None:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-mutation-"))
            host_sitecustomize(directory, mutation=mutation)
            pythonpath.append(directory)
        server = stack.enter_context(sandbox())
        host = stack.enter_context(provider_host(stack_config(server), pythonpath=pythonpath))
        return _run_every_lifecycle(server, host, registered)


def _run_every_lifecycle(
    server: SandboxServer, host: ProviderHost, registered: dict[str, RegisteredResource]
) -> LifecycleResult:
    run = _Run(server, host, registered)

    org_inputs = dict(registered["Organization"].inputs)
    run.lifecycle("Organization", org_inputs)
    # The later resources need a live organization.
    kept_org = dict(org_inputs, name="Bench Holdings")
    kept_org_id, _ = host.create(run.urn("Organization", "-kept"), kept_org)
    org_ref = float(kept_org_id)

    domain_inputs = {**registered["DomainValidation"].inputs, "organization_id": org_ref}
    run.lifecycle("DomainValidation", domain_inputs)
    # A second domain whose TXT token is published, for the check to validate.
    second = {**domain_inputs, "domain_name": "check.bench.example.com"}
    second_id, second_outs = host.create(run.urn("DomainValidation", "-check"), second)
    server.control.publish_dns("check.bench.example.com", "TXT", second_outs["dcv_token"])
    check_inputs = {
        **registered["DomainValidationCheck"].inputs,
        "domain_id": float(second_id),
        "dcv_token": second_outs["dcv_token"],
        "wait_timeout_seconds": 0.0,
    }
    run.lifecycle("DomainValidationCheck", check_inputs, adopt=False)

    order_inputs = {
        **registered["DocumentSigningOrder"].inputs,
        "organization_id": org_ref,
        "alternative_order_id": "benchorder1",
    }
    run.lifecycle("DocumentSigningOrder", order_inputs)
    run.renewal(
        "DocumentSigningOrder",
        {
            **order_inputs,
            "alternative_order_id": "benchorder2",
            "cs_provisioning_method": "email",
            "csr": CSR,
            "renew_within_days": 30.0,
        },
    )

    billing = server.control.create_account("Bench Billing")
    other = server.control.create_account("Bench Billing 2")
    _CHANGES["BillingAccountLink"] = {"billing_account_api_key": other["api_key"]}
    link_inputs = {
        **registered["BillingAccountLink"].inputs,
        "billing_account_api_key": billing["api_key"],
    }
    run.lifecycle("BillingAccountLink", link_inputs, adopt=False)
    order = {name: index for index, name in enumerate(RESOURCE_TYPES)}
    run.result.counts.sort(key=lambda c: order[c.resource])
    return run.result
