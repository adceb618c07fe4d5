"""DigiCert's "Order document signing certificate" page (seeds 003 and 004) is the oracle for
the order body: the sandbox's request schema and DocumentSigningOrder's arguments must agree with
its request table, field by field (name, required or not, JSON type), and the page's own example
body must be accepted as it stands.

A field the page documents that the provider does not send is listed in the README (and below,
with the reason); so is each place where the table and the provider knowingly differ.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
from tests.resources.inputs import CARD, CONTACT, CSR, SUBJECT

from pulumi_digicert.doctor.shapes import json_kind
from pulumi_digicert.resources.document_signing_order import (
    DocumentSigningOrder,
    DocumentSigningOrderArgs,
)
from pulumi_digicert.sandbox import SandboxServer
from qa.scenarios import ADDRESS, card
from support.sandbox import services_client
from support.seeds import SeedField, example_account_api, example_order_body, order_request_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
PRODUCT = "document_signing_org_1"

# Fields of the table the provider does not send, and why (the README lists the same names).
PROVIDER_UNSUPPORTED = {
    "validity_years": "deprecated by the page itself; the provider sends order_validity.years",
    "organization.contacts": "creates an organization with the order; orders name one by id",
    "organization.skip_duplicate_org_check": "likewise only for an organization created inline",
}
# The sandbox accepts validity_years (the page's example body sends it) but not inline
# organizations.
SANDBOX_UNSUPPORTED = {"organization.contacts", "organization.skip_duplicate_org_check"}
# The table types custom_fields as an object holding metadata_id and value; an account may have
# several custom fields, and API.md C1 reads it as a list of such objects, which is what the
# sandbox and the provider use. An open question, recorded in the README's emulation table.
TYPE_EXCEPTIONS = {"custom_fields": "array"}
# Required unless the deprecated alternative is sent (the page's example does exactly that).
ALTERNATIVES = {"order_validity": "validity_years"}
# Conditional fields: required when paying by card (as the full body below does); the state and
# zip of a billing address only for some countries.
CONDITIONAL_REQUIRED_HERE = {"credit_card", "billing_address"}
# Removing an optional field removes what only makes sense with it.
DEPENDENTS = {"payment_method": ("credit_card", "billing_address")}
# Body paths the provider fills from differently named arguments.
ARGUMENTS = {
    "certificate.csr": "csr",
    "certificate.server_platform.id": "server_platform_id",
    "certificate.signature_hash": "signature_hash",
    "order_validity.years": "validity_years",
    "organization.id": "organization_id",
    "container.id": "container_id",
}
# Fields the provider sends that the page's table does not list, each with its JSON type and
# where it is documented (the README lists the same names).
BEYOND_TABLE = {
    "renewal_of_order_id": (
        "integer",
        "a renewal's link to the order it renews: DigiCert's other order pages; public clients "
        "send it (riboseinc/digicert README, sapcc/go-certcentral order.go)",
    ),
}
STRUCTURAL = {"certificate", "certificate.server_platform", "order_validity", "organization"}
STRUCTURAL |= {"container"}

SEED = order_request_table()
BY_PATH = {field.path: field for field in SEED}


def seed_ids(fields: Any) -> list[str]:
    return [field.path for field in fields]


def test_the_table_is_read_whole() -> None:
    assert len(BY_PATH) == len(SEED), "each path once"
    # A few rows written down from the page by hand, to catch a parse that drifts.
    expected = {
        ("certificate.signature_hash", "required", "string"),
        ("order_validity.years", "required", "integer"),
        ("subject.email", "required", "string"),
        ("credit_card.number", "required", "string"),
        ("credit_card.cvv", "required", "integer"),
        ("credit_card.expiration_year", "required", "integer"),
        ("billing_address.zip", "conditional", "string"),
        ("enable_guest_access", "optional", "integer"),
        ("ship_info.method", "required", "string"),
        ("organization_contact.email", "required", "string"),
    }
    assert expected <= {(f.path, f.requirement, f.json_type) for f in SEED}
    assert set(PROVIDER_UNSUPPORTED) | set(TYPE_EXCEPTIONS) | set(ARGUMENTS) <= set(BY_PATH)
    assert set(PROVIDER_UNSUPPORTED) >= SANDBOX_UNSUPPORTED


# -- helpers over bodies -----------------------------------------------------------------------


def paths(body: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every (dotted path, value) in a body; list elements share their list's path."""
    if isinstance(body, dict):
        for key, value in body.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path, value
            yield from paths(value, path)
    elif isinstance(body, list):
        for item in body:
            yield from paths(item, prefix)


def has_path(body: dict[str, Any], path: str) -> bool:
    return any(found == path for found, _ in paths(body))


def parent_sent_or_required(field: SeedField, body: dict[str, Any]) -> bool:
    parent = field.path.rpartition(".")[0]
    return not parent or has_path(body, parent)


def without(body: dict[str, Any], path: str) -> dict[str, Any]:
    head, _, rest = path.partition(".")
    copy = dict(body)
    if not rest:
        copy.pop(head, None)
    elif isinstance(copy[head], list):
        copy[head] = [without(item, rest) for item in copy[head]]
    else:
        copy[head] = without(copy[head], rest)
    return copy


def replaced(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    head, _, rest = path.partition(".")
    copy = dict(body)
    if not rest:
        copy[head] = value
    elif isinstance(copy[head], list):
        copy[head] = [replaced(item, rest, value) for item in copy[head]]
    else:
        copy[head] = replaced(copy[head], rest, value)
    return copy


# Every optional part of a contact, ship_info (less its method) and billing address filled in.
FULL_CONTACT = {**CONTACT, "telephone_extension": "12"}
SHIP_TO = {
    "name": "Erin Guerra",
    "addr1": "360 Taylor Street",
    "addr2": "Floor 74",
    "city": "Richmond",
    "state": "va",
    "zip": "69662",
    "country": "us",
}
FULL_BILLING_ADDRESS = {**ADDRESS, "address2": "Suite 2"}

WRONG_TYPE = {"string": 12345, "integer": "1", "boolean": "true", "object": "x", "array": "x"}


# -- the sandbox's request schema --------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(rate_limit=False) as server:
        yield server


@pytest.fixture(scope="module")
def api(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with services_client(sandbox) as client:
        yield client


@pytest.fixture(scope="module")
def full_body(api: httpx.Client) -> dict[str, Any]:
    """A body with every field the sandbox supports, each of the table's JSON type."""
    organization = api.post(
        "/organization",
        json={"name": "Seed Table Org", **ADDRESS, "organization_contact": CONTACT},
    ).json()["id"]
    container = api.get(f"/organization/{organization}").json()["container"]["id"]
    return {
        "certificate": {"csr": CSR, "server_platform": {"id": 21}, "signature_hash": "sha256"},
        "cs_provisioning_method": "ship_token",
        "use_org_as_common_name": True,
        "order_validity": {"years": 1},
        "validity_years": 1,
        "comments": "for the approver",
        "organization_contact": FULL_CONTACT,
        "technical_contact": FULL_CONTACT,
        "organization": {"id": organization},
        "container": {"id": container},
        "ship_info": {**SHIP_TO, "method": "standard"},
        "subject": SUBJECT,
        "custom_fields": [{"metadata_id": 1, "value": "x"}],
        "user_id_assignments": [1],
        "skip_approval": True,
        "payment_method": "card",
        "credit_card": card(),
        "billing_address": FULL_BILLING_ADDRESS,
        "vat_number": "GB123",
        "alternative_order_id": "seedtable",
        "enable_guest_access": 1,
    }


def post(api: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return api.post(f"/order/certificate/{PRODUCT}", json=body)


def codes(response: httpx.Response) -> list[str]:
    # List elements show as .0 in the sandbox's paths; the table has none.
    return [re.sub(r"\.\d+(?=\.|$)", "", e["code"]) for e in response.json().get("errors", [])]


def test_the_full_body_has_every_supported_field_with_the_tables_type_and_is_accepted(
    api: httpx.Client, full_body: dict[str, Any]
) -> None:
    sent = dict(paths(full_body))
    assert set(sent) == set(BY_PATH) - SANDBOX_UNSUPPORTED
    for path, value in sent.items():
        expected = TYPE_EXCEPTIONS.get(path, BY_PATH[path].json_type)
        assert json_kind(value) == expected, path
    response = post(api, full_body)
    assert response.status_code == 201, response.text


SANDBOX_FIELDS = [f for f in SEED if f.path not in SANDBOX_UNSUPPORTED]


@pytest.mark.parametrize("field", SANDBOX_FIELDS, ids=seed_ids(SANDBOX_FIELDS))
def test_the_sandbox_requires_what_the_table_requires_and_nothing_else(
    api: httpx.Client, full_body: dict[str, Any], field: SeedField
) -> None:
    body = without(full_body, field.path)
    for other in (ALTERNATIVES.get(field.path), *DEPENDENTS.get(field.path, ())):
        if other:
            body = without(body, other)
    required = field.requirement == "required" or field.path in CONDITIONAL_REQUIRED_HERE
    response = post(api, body)
    if required:
        assert response.status_code == 400, response.text
        assert f"missing_field|{field.path}" in codes(response)
    else:
        assert response.status_code == 201, response.text


@pytest.mark.parametrize("field", SANDBOX_FIELDS, ids=seed_ids(SANDBOX_FIELDS))
def test_the_sandbox_refuses_a_value_of_another_type_naming_the_field(
    api: httpx.Client, full_body: dict[str, Any], field: SeedField
) -> None:
    wrong = WRONG_TYPE[TYPE_EXCEPTIONS.get(field.path, field.json_type)]
    response = post(api, replaced(full_body, field.path, wrong))
    assert response.status_code == 400, response.text
    assert any(code.startswith(f"invalid_field|{field.path}") for code in codes(response))
    assert CARD["number"] not in response.text


def test_the_pages_example_body_is_accepted_by_the_sandbox_as_it_stands(
    sandbox: SandboxServer,
) -> None:
    body = example_order_body()
    with example_account_api(sandbox, body) as example_api:
        response = post(example_api, body)
    assert response.status_code == 201, response.text


# -- the resource's arguments and the body they build ------------------------------------------

RESOURCE_FIELDS = [
    f for f in SEED if f.path not in PROVIDER_UNSUPPORTED and f.path not in STRUCTURAL
]


def argument(path: str) -> pydantic.fields.FieldInfo:
    """The Args model field a body path is filled from, through nested and list models."""
    model: type[pydantic.BaseModel] = DocumentSigningOrderArgs
    parts = ARGUMENTS.get(path, path).split(".")
    for part in parts[:-1]:
        annotation = model.model_fields[part].annotation
        model = next(
            candidate
            for candidate in _members(annotation)
            if isinstance(candidate, type) and issubclass(candidate, pydantic.BaseModel)
        )
    return model.model_fields[parts[-1]]


def _members(annotation: Any) -> Iterator[Any]:
    yield annotation
    for member in getattr(annotation, "__args__", ()):
        yield from _members(member)


CONSTRUCTOR = inspect.signature(DocumentSigningOrder.__init__).parameters


def required_here(field: SeedField) -> bool:
    """Required as the argument sees it: an argument that stands for an optional object and
    its one required field (``container_id`` for ``container.id``) is as optional as the
    object."""
    if field.requirement != "required":
        return False
    if field.path in ARGUMENTS:
        ancestors = field.path.split(".")[:-1]
        prefixes = [".".join(ancestors[: i + 1]) for i in range(len(ancestors))]
        return all(BY_PATH[p].requirement == "required" for p in prefixes)
    return True


@pytest.mark.parametrize("field", RESOURCE_FIELDS, ids=seed_ids(RESOURCE_FIELDS))
def test_each_table_field_has_an_argument_required_as_the_table_says(field: SeedField) -> None:
    name = ARGUMENTS.get(field.path, field.path)
    info = argument(field.path)
    if "." in name:
        user_must_give = info.is_required()
    else:  # what a program sees: the resource class's constructor
        user_must_give = CONSTRUCTOR[name].default is inspect.Parameter.empty
    if required_here(field):
        # The user must give it, or the provider always sends a value of its own.
        assert user_must_give or info.get_default() is not None, field.path
    else:
        assert not user_must_give, field.path


FULL_ARGUMENTS: dict[str, Any] = {
    "product": PRODUCT,
    "organization_id": 1001,
    "validity_years": 2,
    "subject": SUBJECT,
    "signature_hash": "sha256",
    "csr": CSR,
    "server_platform_id": 21,
    "cs_provisioning_method": "ship_token",
    "use_org_as_common_name": False,
    "container_id": 5,
    "organization_contact": FULL_CONTACT,
    "technical_contact": FULL_CONTACT,
    "ship_info": {**SHIP_TO, "method": "expedited"},
    "comments": "for the approver",
    "custom_fields": [{"metadata_id": 1, "value": "x"}],
    "user_id_assignments": [3],
    "skip_approval": True,
    "enable_guest_access": True,
    "payment_method": "card",
    "credit_card": CARD,
    "billing_address": FULL_BILLING_ADDRESS,
    "vat_number": "GB123",
    "alternative_order_id": "seedtable",
}
MINIMAL_ARGUMENTS: dict[str, Any] = {
    "product": PRODUCT,
    "organization_id": 1001,
    "validity_years": 1,
    "subject": SUBJECT,
    "alternative_order_id": "seedminimal",
}


def body_from(arguments: dict[str, Any]) -> dict[str, Any]:
    args = DocumentSigningOrderArgs.model_validate(arguments)
    return args.order_body()


def test_an_order_built_from_every_argument_sends_only_table_fields_of_the_tables_types() -> None:
    body = body_from(FULL_ARGUMENTS)
    sent = dict(paths(body))
    assert set(sent) - set(BY_PATH) == set(), "a field the page does not document"
    assert set(sent) == {f.path for f in SEED} - set(PROVIDER_UNSUPPORTED)
    for path, value in sent.items():
        expected = TYPE_EXCEPTIONS.get(path, BY_PATH[path].json_type)
        assert json_kind(value) == expected, path


@pytest.mark.parametrize("arguments", [MINIMAL_ARGUMENTS, FULL_ARGUMENTS], ids=["min", "full"])
def test_an_order_body_carries_every_field_the_table_requires(arguments: dict[str, Any]) -> None:
    body = body_from(arguments)
    for field in SEED:
        if field.path in PROVIDER_UNSUPPORTED or field.requirement != "required":
            continue
        if parent_sent_or_required(field, body) and field.path not in ALTERNATIVES:
            assert has_path(body, field.path), field.path
    assert has_path(body, "order_validity.years")


@pytest.mark.parametrize("arguments", [MINIMAL_ARGUMENTS, FULL_ARGUMENTS], ids=["min", "full"])
def test_a_renewal_sends_the_order_and_only_the_link_beyond_the_table(
    arguments: dict[str, Any],
) -> None:
    args = DocumentSigningOrderArgs.model_validate(arguments)
    renewal = args.renewal_body(5000001)
    order = body_from(arguments)
    sent = dict(paths(renewal))
    assert set(sent) - set(BY_PATH) == set(BEYOND_TABLE)
    for path, (kind, _source) in BEYOND_TABLE.items():
        assert json_kind(sent[path]) == kind, path
    assert renewal["renewal_of_order_id"] == 5000001
    # The same order otherwise, under its own alternative order id.
    assert {k: v for k, v in renewal.items() if k not in BEYOND_TABLE} == {
        **order,
        "alternative_order_id": renewal["alternative_order_id"],
    }
    assert renewal["alternative_order_id"] != order["alternative_order_id"]


def test_the_sandbox_accepts_a_renewal_and_refuses_a_link_of_another_type(
    sandbox: SandboxServer, api: httpx.Client, full_body: dict[str, Any]
) -> None:
    first = post(api, {**full_body, "alternative_order_id": "seedrenewed"})
    assert first.status_code == 201, first.text
    sandbox.control.advance_order(first.json()["id"], "issue")
    renewal = {**full_body, "alternative_order_id": "seedrenewal"}
    mistyped = post(api, {**renewal, "renewal_of_order_id": str(first.json()["id"])})
    assert mistyped.status_code == 400, mistyped.text
    assert "invalid_field|renewal_of_order_id" in codes(mistyped)
    accepted = post(api, {**renewal, "renewal_of_order_id": first.json()["id"]})
    assert accepted.status_code == 201, accepted.text


def test_the_body_built_from_every_argument_is_accepted_by_the_sandbox(
    api: httpx.Client, full_body: dict[str, Any]
) -> None:
    body = body_from(
        {
            **FULL_ARGUMENTS,
            "organization_id": full_body["organization"]["id"],
            "container_id": full_body["container"]["id"],
        }
    )
    response = post(api, body)
    assert response.status_code == 201, response.text


# -- the README --------------------------------------------------------------------------------


def test_the_readme_lists_the_fields_sent_beyond_the_table() -> None:
    section = README[README.index("### DocumentSigningOrder\n") :]
    section = section[: section.index("\n### ", 1)]
    intro = "Fields this resource sends that the page's request table does not list:"
    listed = section[section.index(intro) + len(intro) :].strip().split("\n\n")[0]
    assert sorted(re.findall(r"^\* `([a-z_.]+)`", listed.strip(), re.M)) == sorted(BEYOND_TABLE)


def test_the_readme_lists_the_table_fields_the_provider_does_not_send() -> None:
    section = README[README.index("### DocumentSigningOrder\n") :]
    section = section[: section.index("\n### ", 1)]
    intro = "Fields of DigiCert's order request that this resource does not send:"
    listed = section[section.index(intro) + len(intro) :].strip().split("\n\n")[0]
    names = re.findall(r"^\* `([a-z_.]+)`", listed.strip(), re.M)
    assert sorted(names) == sorted(PROVIDER_UNSUPPORTED)
