"""No delete destroys what another resource holds: every replacing input, through the engine.

For every resource and every input that plans a replacement (and for changes only in case or white
space, which must compare the way adoption compares), the whole create-before-delete cycle runs
through the test engine and real provider hosts against the sandbox: the engine creates the
replacement, then deletes the old object (pulumi/pulumi ``pkg/resource/deploy/step_generator.go``:
a replacement is create-before-delete unless asked otherwise; ``step_executor.go`` deletes the
replaced resource after its replacement). Afterwards the resource must hold a live object, and
where an object was deleted, it must not be that one.

The table is checked against the field tables, so an input that replaces cannot be left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from tests.resources.inputs import SUBJECT

import pulumi_digicert as digicert
from pulumi_digicert.resources import PROVIDERS
from pulumi_digicert.resources._base import Mode
from pulumi_digicert.testing import HostEngine
from qa import scenarios
from support.sandbox import stack_config

CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIBownership\n-----END CERTIFICATE REQUEST-----"

ORGANIZATION = {
    **scenarios.ORGANIZATION,
    "name": "Ownership Corp",
    # So the replaced organization is really deleted, and the test sees what that destroys.
    "delete_on_destroy": True,
}


@dataclass(frozen=True)
class Row:
    """A change to one input of one resource, and whether it plans a replacement."""

    resource: str
    field: str
    value: Any
    """The new value, or ``(name of the program's other object, attribute)`` to refer to it."""
    replaces: bool
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.resource}.{self.field}{'-' + self.label if self.label else ''}"


ROWS: list[Row] = [
    # Organization: the legal identity replaces; case and white space are no change.
    Row("Organization", "name", "Ownership Widgets", True),
    Row("Organization", "name", "OWNERSHIP CORP", False, "case"),
    Row("Organization", "name", "Ownership   Corp", False, "spaces"),
    Row("Organization", "assumed_name", "Owners", True),
    Row("Organization", "address", "2 Main St", True),
    Row("Organization", "address", "1  MAIN ST", False, "case-spaces"),
    Row("Organization", "address2", "Suite 9", True),
    Row("Organization", "city", "Provo", True),
    Row("Organization", "city", "lehi", False, "case"),
    Row("Organization", "state", "Idaho", True),
    Row("Organization", "zip", "84044", True),
    Row("Organization", "country", "ca", True),
    Row("Organization", "country", "US", False, "case"),
    Row("Organization", "telephone", "+1 555 0199", True),
    Row("Organization", "telephone", "+1  555 0100", False, "spaces"),
    Row("Organization", "container_id", ("org", "container_id"), False, "its-own"),
    # DomainValidation
    Row("DomainValidation", "domain_name", "own2.example.com", True),
    Row("DomainValidation", "domain_name", "OWN.Example.com", False, "case"),
    Row("DomainValidation", "domain_name", "www.own.example.com", False, "www-dns"),
    Row("DomainValidation", "organization_id", ("org2", "id"), True),
    # DomainValidationCheck: delete only forgets, so nothing held can be destroyed.
    Row("DomainValidationCheck", "domain_id", ("dom2", "id"), True),
    Row("DomainValidationCheck", "dcv_token", "anothertoken", True),
    # DocumentSigningOrder: a new purchase under a new derived alternative_order_id.
    Row("DocumentSigningOrder", "product", "document_signing_org_2", True),
    Row("DocumentSigningOrder", "organization_id", ("org2", "id"), True),
    Row("DocumentSigningOrder", "subject", {**SUBJECT, "name": "Legal Desk"}, True),
    Row("DocumentSigningOrder", "subject", {**SUBJECT, "name": "SIGNING DESK"}, True, "case"),
    Row("DocumentSigningOrder", "validity_years", 2, True),
    Row("DocumentSigningOrder", "csr", CSR, True),
    Row("DocumentSigningOrder", "server_platform_id", 21, True),
    Row("DocumentSigningOrder", "cs_provisioning_method", "ship_token", True),
    Row("DocumentSigningOrder", "use_org_as_common_name", False, True),
    Row("DocumentSigningOrder", "container_id", ("org", "container_id"), True),
    Row("DocumentSigningOrder", "adopt_order_id", ("outside", "order_id"), True),
]

# Replacing inputs without a replacing row here, and why.
NOT_REPLACED_HERE: dict[tuple[str, str], str] = {
    ("Organization", "container_id"): (
        "the sandbox holds one container per account; test_organization shows a container "
        "change never finds the organization it replaces"
    ),
    ("DocumentSigningOrder", "signature_hash"): "sha256 is the only value the order page allows",
}


def test_every_replacing_input_of_every_resource_is_in_the_table() -> None:
    replacing = {
        (provider.__name__.removesuffix("Provider"), f.name)
        for provider in PROVIDERS
        for f in provider.fields
        if f.mode is Mode.REPLACE
    }
    covered = {(row.resource, row.field) for row in ROWS if row.replaces}
    missing = replacing - covered - set(NOT_REPLACED_HERE)
    assert not missing, f"add a row to ROWS for {sorted(missing)}"
    assert set(NOT_REPLACED_HERE) <= replacing


def program_for(row: Row, change: dict[str, Any], outside_order: int | None) -> Callable[[], None]:
    def program() -> None:
        org = digicert.Organization("org", **ORGANIZATION)
        refs: dict[str, Any] = {"org": org}
        assert row.resource != "Organization", "organizations use organization_program"
        org2 = digicert.Organization("org2", **{**ORGANIZATION, "name": "Second Holder Ltd"})
        refs["org2"] = org2
        if row.resource in ("DomainValidation", "DomainValidationCheck"):
            dom_inputs: dict[str, Any] = {
                "domain_name": "own.example.com",
                "organization_id": org.id,
            }
            if row.resource == "DomainValidation":
                dom_inputs.update(resolve(change, refs))
            dom = digicert.DomainValidation("dom", **dom_inputs)
            if row.resource == "DomainValidationCheck":
                dom2 = digicert.DomainValidation(
                    "dom2", domain_name="own2.example.com", organization_id=org.id
                )
                refs["dom2"] = dom2
                digicert.DomainValidationCheck(
                    "chk",
                    **{"domain_id": dom.id, "wait_timeout_seconds": 0, **resolve(change, refs)},
                )
            return
        order: dict[str, Any] = {
            "product": "document_signing_org_1",
            "organization_id": org.id,
            "validity_years": 1,
            "subject": SUBJECT,
            "cs_provisioning_method": "client_app",
        }
        refs["outside"] = {"order_id": outside_order}
        digicert.DocumentSigningOrder("order", **{**order, **resolve(change, refs)})

    return program


def resolve(change: dict[str, Any], refs: dict[str, Any]) -> dict[str, Any]:
    resolved = {}
    for name, value in change.items():
        if isinstance(value, tuple):
            target, attribute = value
            holder = refs[target]
            value = holder[attribute] if isinstance(holder, dict) else getattr(holder, attribute)
        resolved[name] = value
    return resolved


def organization_program(change: dict[str, Any], refs_from: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        digicert.Organization("org", **{**ORGANIZATION, **resolve(change, refs_from)})

    return program


def live(api: httpx.Client, resource: str, outputs: dict[str, Any]) -> bool:
    """Whether the object the resource holds is alive in CertCentral."""
    if resource == "Organization":
        answer = api.get(f"/organization/{int(outputs['organization_id'])}")
        return answer.status_code == 200 and answer.json().get("status") == "active"
    if resource in ("DomainValidation", "DomainValidationCheck"):
        answer = api.get(f"/domain/{int(outputs.get('domain_id') or outputs['__id'])}")
        return answer.status_code == 200 and answer.json().get("is_active") is True
    answer = api.get(f"/order/certificate/{int(outputs['order_id'])}")
    return answer.status_code == 200 and answer.json().get("status") not in (
        "canceled",
        "rejected",
        "revoked",
    )


NAME = {
    "Organization": "org",
    "DomainValidation": "dom",
    "DomainValidationCheck": "chk",
    "DocumentSigningOrder": "order",
}


@pytest.fixture
def api(sandbox: Any) -> Any:
    with httpx.Client(
        base_url=sandbox.services_url,
        headers={"X-DC-DEVKEY": sandbox.api_key, "Content-Type": "application/json"},
        timeout=10,
    ) as client:
        yield client


def place_outside_order(api: httpx.Client, organization_id: int) -> int:
    """An order placed by someone else (the console, another tool), for adopt_order_id."""
    body = {
        "certificate": {"signature_hash": "sha256"},
        "organization": {"id": organization_id},
        "order_validity": {"years": 1},
        "subject": SUBJECT,
        "payment_method": "balance",
    }
    answer = api.post("/order/certificate/document_signing_org_1", json=body)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_a_replacement_holds_a_live_object_that_is_not_the_one_deleted(
    row: Row, sandbox: Any, api: httpx.Client
) -> None:
    engine = HostEngine(project="ownership", stack="dev", config=stack_config(sandbox))
    name = NAME[row.resource]
    if row.resource == "Organization":
        first = engine.up(organization_program({}, {}), skip_preview=True)
        refs = {"org": first.outputs("org")}
        second_program = organization_program({row.field: row.value}, refs)
    else:
        first = engine.up(program_for(row, {}, None), skip_preview=True)
        outside = None
        if row.field == "adopt_order_id":
            outside = place_outside_order(api, int(first.entry("org")["id"]))
        second_program = program_for(row, {row.field: row.value}, outside)
    old = first.entry(name)

    second = engine.up(second_program, first.state, skip_preview=True)

    ops = [(op.op, op.name) for op in second.log if op.op != "same"]
    if row.replaces:
        assert ops == [("replace", name), ("delete-replaced", name)], second.render()
    else:
        assert ops in ([], [("update", name)]), second.render()
    new = second.entry(name)
    outputs = {**new["outputs"], "__id": new["id"]}
    assert live(api, row.resource, outputs), f"{row.id}: the object {name} holds is gone"
    if row.replaces and row.resource != "DomainValidationCheck":
        # The old object was deleted (or retired) by the engine: the new one must be another.
        assert new["id"] != old["id"], f"{row.id}: the replacement holds the object it replaced"
    if not row.replaces:
        assert new["id"] == old["id"]
