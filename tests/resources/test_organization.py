"""Organization provider methods against a real sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pulumi.dynamic import CreateResult
from tests.resources.inputs import CONTACT, ORDER, ORGANIZATION

from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert.resources import DocumentSigningOrderProvider, OrganizationProvider
from qa.scenarios import OTHER_CONTACT


@pytest.fixture
def provider(configured: Callable[..., Any]) -> OrganizationProvider:
    organizations: OrganizationProvider = configured(OrganizationProvider)
    return organizations


def organizations(sandbox_http: httpx.Client) -> list[dict[str, Any]]:
    response = sandbox_http.get("/organization")
    response.raise_for_status()
    return list(response.json()["organizations"])


def test_create_places_a_new_organization(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    before = len(organizations(sandbox_http))
    result = provider.create(dict(ORGANIZATION))
    assert result.outs is not None
    assert result.outs["organization_id"] == int(result.id)
    assert result.outs["adopted"] is False
    assert result.outs["validations"][0]["type"] == "ov"
    assert len(organizations(sandbox_http)) == before + 1
    live = sandbox_http.get(f"/organization/{result.id}").json()
    assert live["name"] == "Acme Corp"
    assert live["organization_contact"]["email"] == CONTACT["email"]


def test_create_adopts_an_identical_active_organization(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    first = provider.create(dict(ORGANIZATION))
    before = len(organizations(sandbox_http))
    second = provider.create({**ORGANIZATION, "name": "ACME CORP"})
    assert second.id == first.id
    assert second.outs is not None
    assert second.outs["adopted"] is True
    assert len(organizations(sandbox_http)) == before


def test_skip_duplicate_org_check_always_creates(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    first = provider.create(dict(ORGANIZATION))
    second = provider.create({**ORGANIZATION, "skip_duplicate_org_check": True})
    assert second.id != first.id
    assert second.outs is not None
    assert second.outs["adopted"] is False


def test_technical_contact_is_set_after_create(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    result = provider.create({**ORGANIZATION, "technical_contact": OTHER_CONTACT})
    live = sandbox_http.get(f"/organization/{result.id}").json()
    assert live["technical_contact"]["email"] == OTHER_CONTACT["email"]


def created_then_updated(
    provider: OrganizationProvider, **changes: Any
) -> tuple[CreateResult, dict[str, Any]]:
    """Create :data:`ORGANIZATION`, then update it with ``changes``: the create's result and
    the update's outputs."""
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    updated = provider.update(created.id, created.outs, {**ORGANIZATION, **changes})
    assert updated.outs is not None
    return created, updated.outs


def test_update_changes_contacts_in_place(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    created, updated = created_then_updated(provider, organization_contact=OTHER_CONTACT)
    assert updated["organization_contact"]["email"] == OTHER_CONTACT["email"]
    assert updated["organization_id"] == int(created.id)
    live = sandbox_http.get(f"/organization/{created.id}").json()
    assert live["organization_contact"]["email"] == OTHER_CONTACT["email"]


def test_update_submits_an_added_validation(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    created, updated = created_then_updated(provider, validations=[{"type": "ov"}, {"type": "ds"}])
    assert [v["type"] for v in updated["validations"]] == ["ov", "ds"]
    live = sandbox_http.get(f"/organization/{created.id}/validation").json()
    assert "ds" in {v["type"] for v in live["validations"]}


def test_read_reports_contacts_changed_outside_pulumi(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    response = sandbox_http.put(
        f"/organization/{created.id}/contact",
        json={"contacts": [{**OTHER_CONTACT, "contact_type": "organization_contact"}]},
    )
    assert response.status_code == 204, response.text
    read = provider.read(created.id, created.outs)
    assert read.inputs is not None
    assert read.outs is not None
    assert read.inputs["organization_contact"]["email"] == OTHER_CONTACT["email"]
    diff = provider.diff(created.id, read.outs, dict(ORGANIZATION))
    assert (diff.changes, diff.replaces) == (True, [])


def test_read_of_a_deleted_organization_is_gone(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    assert sandbox_http.delete(f"/organization/{created.id}").status_code in (200, 204)
    read = provider.read(created.id, created.outs)
    assert (read.id, read.outs) == ("", {})


def test_delete_keeps_the_organization_and_says_so_unless_delete_on_destroy(
    provider: OrganizationProvider, sandbox_http: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    provider.delete(created.id, created.outs)
    assert sandbox_http.get(f"/organization/{created.id}").status_code == 200
    said = capsys.readouterr().err
    assert f"organization {created.id} kept in CertCentral" in said
    assert "delete_on_destroy" in said


def test_delete_on_destroy_removes_it_and_a_second_delete_succeeds(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    created = provider.create({**ORGANIZATION, "delete_on_destroy": True})
    assert created.outs is not None
    assert created.outs["delete_on_destroy"] is True
    provider.delete(created.id, created.outs)
    assert sandbox_http.get(f"/organization/{created.id}").status_code == 404
    provider.delete(created.id, created.outs)


def test_delete_of_an_adopted_organization_only_forgets_it(
    provider: OrganizationProvider, sandbox_http: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    provider.create(dict(ORGANIZATION))
    adopted = provider.create({**ORGANIZATION, "delete_on_destroy": True})
    assert adopted.outs is not None
    assert adopted.outs["adopted"] is True
    provider.delete(adopted.id, adopted.outs)
    assert sandbox_http.get(f"/organization/{adopted.id}").status_code == 200
    assert "existed before this stack held it" in capsys.readouterr().err


def test_delete_refused_while_an_order_uses_it_keeps_it_without_failing_destroy(
    provider: OrganizationProvider,
    orders: DocumentSigningOrderProvider,
    sandbox_http: httpx.Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = provider.create({**ORGANIZATION, "delete_on_destroy": True})
    assert created.outs is not None
    orders.create(
        {**ORDER, "organization_id": float(created.id), "alternative_order_id": "orgdel1"}
    )
    provider.delete(created.id, created.outs)
    assert sandbox_http.get(f"/organization/{created.id}").status_code == 200
    said = capsys.readouterr().err
    assert f"organization {created.id} kept in CertCentral: it refused the delete" in said


def test_delete_refused_for_the_keys_permission_fails_naming_the_api_key(
    provider: OrganizationProvider, sandbox_http: httpx.Client, sandbox: Any
) -> None:
    created = provider.create({**ORGANIZATION, "delete_on_destroy": True})
    assert created.outs is not None
    sandbox.control.inject_fault(
        kind="fail", method="DELETE", path_regex="/organization/", status=403, count=1
    )
    with pytest.raises(ResourceError, match=r"digicert:apiKey") as raised:
        provider.delete(created.id, created.outs)
    assert "orders" not in str(raised.value)
    assert sandbox_http.get(f"/organization/{created.id}").status_code == 200


def test_create_after_a_lost_response_adopts_the_organization_it_made(
    provider: OrganizationProvider, sandbox_http: httpx.Client, sandbox: Any
) -> None:
    before = len(organizations(sandbox_http))
    sandbox.control.inject_fault(
        kind="drop_response", method="POST", path_regex="/organization$", count=1
    )
    result = provider.create({**ORGANIZATION, "name": "Lost Response Ltd"})
    assert len(organizations(sandbox_http)) == before + 1
    assert sandbox_http.get(f"/organization/{result.id}").json()["name"] == "Lost Response Ltd"


def test_read_keeps_the_declared_spelling_of_an_unchanged_value(
    provider: OrganizationProvider,
) -> None:
    declared = {**ORGANIZATION, "country": "US"}
    created = provider.create(declared)
    assert created.outs is not None
    read = provider.read(created.id, created.outs)
    assert read.inputs is not None
    assert read.inputs["country"] == "US"


# Each identity field changed for real, and only in case or white space. Written from the field
# table (DESIGN.md: legal identity replaces) and the adoption rule (the same comparison).
IDENTITY_VARIANTS: list[tuple[str, Any, bool]] = [
    # (field, new value, is the same organization)
    ("name", "Acme Widgets", False),
    ("name", "ACME CORP", True),
    ("name", "  Acme   Corp ", True),
    ("assumed_name", "Acme", False),
    ("address", "2 Main St", False),
    ("address", "1 MAIN  ST", True),
    ("address2", "Suite 9", False),
    ("city", "Provo", False),
    ("city", "lehi", True),
    ("state", "Idaho", False),
    ("zip", "84044", False),
    ("country", "ca", False),
    ("country", "US", True),
    ("telephone", "+1 555 0199", False),
    ("telephone", None, False),
    ("telephone", "+1  555 0100", True),
]


@pytest.mark.parametrize(
    ("field", "value", "same"),
    IDENTITY_VARIANTS,
    ids=[f"{f}={v!r}" for f, v, _ in IDENTITY_VARIANTS],
)
def test_diff_replaces_exactly_when_create_would_not_adopt_the_old_organization(
    provider: OrganizationProvider, sandbox_http: httpx.Client, field: str, value: Any, same: bool
) -> None:
    """The ownership invariant: a planned replacement never adopts what it replaces."""
    old = provider.create(dict(ORGANIZATION))
    assert old.outs is not None
    news = provider.check(ORGANIZATION, {**ORGANIZATION, field: value}).inputs
    replaces = provider.diff(old.id, old.outs, news).replaces
    assert bool(replaces) is not same
    new = provider.create(news)
    assert (new.id == old.id) is same
    assert new.outs is not None
    assert new.outs["adopted"] is same


def test_a_container_change_never_adopts_the_organization_it_replaces(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    old = provider.create(dict(ORGANIZATION))
    assert old.outs is not None
    live_container = old.outs["container_id"]
    assert isinstance(live_container, int)
    # Declaring the container it is already in is no change at all.
    same = provider.check(ORGANIZATION, {**ORGANIZATION, "container_id": str(live_container)})
    assert provider.diff(old.id, old.outs, same.inputs).changes is False
    # Another container replaces, and the new declaration cannot match the old organization.
    other = provider.check(ORGANIZATION, {**ORGANIZATION, "container_id": live_container + 1})
    assert provider.diff(old.id, old.outs, other.inputs).replaces == ["container_id"]
    assert provider._find_existing(provider_args(other.inputs)) is None


def test_two_identical_declarations_hold_one_organization_and_only_the_first_owns_it(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    first = provider.create({**ORGANIZATION, "delete_on_destroy": True})
    second = provider.create({**ORGANIZATION, "delete_on_destroy": True})
    assert first.outs is not None
    assert second.outs is not None
    assert first.id == second.id
    assert (first.outs["adopted"], second.outs["adopted"]) == (False, True)
    provider.delete(second.id, second.outs)
    assert sandbox_http.get(f"/organization/{first.id}").status_code == 200


def test_an_organization_found_through_the_duplicate_refusal_is_held_not_owned(
    provider: OrganizationProvider, sandbox_http: httpx.Client
) -> None:
    """Two declarations racing: the second's POST is refused as a duplicate of the first's."""
    first = provider.create(dict(ORGANIZATION))
    args = provider_args(provider.check({}, dict(ORGANIZATION)).inputs)
    assert provider._post(args, preexisting=set()) == (int(first.id), True)


def provider_args(inputs: dict[str, Any]) -> Any:
    from pulumi_digicert.resources._args import parse_args
    from pulumi_digicert.resources.organization import OrganizationArgs

    return parse_args(OrganizationArgs, inputs)


# -- Found by the reliability campaign (qa/reliability), pinned here -------------------------


@pytest.mark.parametrize("where", ["the list", "an item", "a type"])
def test_check_accepts_validations_unknown_in_preview(where: str) -> None:
    # Was: "inputs: could not be validated: TypeError" (check_rules iterated the unknown).
    from pulumi.output import Unknown

    validations = {
        "the list": Unknown(),
        "an item": [Unknown()],
        "a type": [{"type": Unknown()}],
    }[where]
    result = OrganizationProvider().check({}, {**ORGANIZATION, "validations": validations})
    assert result.failures == []


def test_read_of_saved_validations_that_are_not_types_answers(
    provider: OrganizationProvider,
) -> None:
    # Was: "failed unexpectedly during Organization read (TypeError)": a damaged saved state
    # whose validation type was an object made the type lookup unhashable.
    created = provider.create({**ORGANIZATION, "validations": [{"type": "ov"}]})
    assert created.outs is not None
    damaged = {**created.outs, "validations": [{"type": {}}, {"type": "ov"}]}
    read = provider.read(created.id, damaged)
    assert read.id == created.id
    assert read.inputs is not None
    assert read.inputs["validations"] == [{"type": "ov"}]
