"""In every example, the preview of an in-place update of any resource shows no change for the
resources that depend on it, and `up` then does exactly what the preview showed.

A Python dynamic provider cannot preview an update: the engine previews its outputs as its checked
inputs, every other output unknown (pulumi/pulumi ``pkg/resource/plugin/provider_plugin.go``,
``Update`` when the plugin does not support previews; ``sdk/python/lib/pulumi/runtime/rpc.py``,
``resolve_outputs`` in a dry run). The test engine does the same, so a dependent wired to an
output that is not an input would show here as changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pulumi.dynamic
import pytest
import yaml
from tests.examples.support import (
    ROOT,
    dns_validation_engine,
    example_program,
    partner_billing_engine,
)

from pulumi_digicert.testing import HostEngine

OTHER_CONTACT = {
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@example.com",
    "job_title": "Security Lead",
}
SUBACCOUNT_KEY = "subaccount-partner-key-preview-truth"


@dataclass(frozen=True)
class Change:
    """One in-place change: a resource of the example, one of its inputs, a new value."""

    example: str
    resource: str
    field: str
    value: Any


# One change per resource and per in-place mode (update through the API, or state only), for
# every DigiCert resource in every example.
CHANGES: list[Change] = [
    Change("quickstart", "acme", "organization_contact", OTHER_CONTACT),
    Change("quickstart", "acme", "delete_on_destroy", True),
    Change("quickstart", "quickstart-domain", "validations", ["ov", "ev"]),
    Change("quickstart", "quickstart-domain", "revalidate_days_before_expiry", 30),
    Change("quickstart", "release-signing", "technical_contact", OTHER_CONTACT),
    Change("quickstart", "release-signing", "comments", "approved by legal"),
    Change("dns-validation", "organization", "technical_contact", OTHER_CONTACT),
    Change("dns-validation", "domain", "validations", ["ov", "ev"]),
    Change("dns-validation", "domain", "revalidate_days_before_expiry", 30),
    Change("dns-validation", "domain-check", "wait_timeout_seconds", 5),
    # Another billing account of the sandbox, made when the test runs.
    Change("partner-billing", "parent-billing", "billing_account_api_key", "account:Billing Two"),
    Change("partner-billing", "subaccount-billing", "billing_account_api_key", "account:Billing 3"),
]


@contextlib.contextmanager
def changed(change: Change) -> Iterator[None]:
    """Run programs with one resource's input replaced, as if the program had been edited."""
    original = pulumi.dynamic.Resource.__init__

    def init(self: Any, provider: Any, name: str, props: Any, opts: Any = None) -> None:
        if name == change.resource:
            props = {**props, change.field: change.value}
        original(self, provider, name, props, opts)

    pulumi.dynamic.Resource.__init__ = init  # type: ignore[method-assign]
    try:
        yield
    finally:
        pulumi.dynamic.Resource.__init__ = original  # type: ignore[method-assign]


def engine_for(example: str, sandbox: Any) -> HostEngine:
    if example == "quickstart":
        data = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
        config = {str(k): str(v) for k, v in data["config"].items()}
        config["digicert:baseUrl"] = sandbox.services_url
        return HostEngine(project="digicert-quickstart", stack="dev", config=config)
    if example == "dns-validation":
        return dns_validation_engine(sandbox, "preview.example.com", dcv_wait_seconds=10)
    return partner_billing_engine(sandbox, SUBACCOUNT_KEY)


def changes_in(log: Any) -> list[tuple[str, str]]:
    return [(op.op, op.name) for op in log if op.op != "same"]


@pytest.mark.parametrize(
    "change", CHANGES, ids=[f"{c.example}:{c.resource}.{c.field}" for c in CHANGES]
)
def test_an_in_place_update_previews_as_no_change_for_its_dependents(
    change: Change, sandbox: Any
) -> None:
    engine = engine_for(change.example, sandbox)
    program: Callable[[], None] = example_program(change.example)
    deployed = engine.up(program, skip_preview=True)
    # What CI runs (`pulumi up --refresh`): outputs read back, tokens among them.
    state = engine.refresh(deployed.state).state

    if isinstance(change.value, str) and change.value.startswith("account:"):
        key = sandbox.control.create_account(change.value.removeprefix("account:"))["api_key"]
        change = Change(change.example, change.resource, change.field, key)
    with changed(change):
        planned = engine.preview(program, state)
        applied = engine.up(program, state, skip_preview=True)

    assert changes_in(planned.log) == [("update", change.resource)], planned.render()
    assert changes_in(applied.log) == changes_in(planned.log), applied.render()


def test_every_digicert_resource_of_every_example_is_changed_once() -> None:
    names = {
        "quickstart": {"acme", "quickstart-domain", "release-signing"},
        "dns-validation": {"organization", "domain", "domain-check"},
        "partner-billing": {"parent-billing", "subaccount-billing"},
    }
    for example, resources in names.items():
        changed_here = {c.resource for c in CHANGES if c.example == example}
        assert changed_here == resources, example
