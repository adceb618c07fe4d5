"""Organization provider methods against a real sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from tests.resources.inputs import CONTACT, ORDER, ORGANIZATION

from pulumi_digicert.resources import DocumentSigningOrderProvider, OrganizationProvider
from pulumi_digicert.resources._common import ResourceError

OTHER_CONTACT = {**CONTACT, "first_name": "Grace", "last_name": "Hopper", "email": "g@example.com"}


def organizations(api: httpx.Client) -> list[dict[str, Any]]:
    response = api.get("/organization")
    response.raise_for_status()
    return list(response.json()["organizations"])


def test_create_places_a_new_organization(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    before = len(organizations(api))
    result = provider.create(dict(ORGANIZATION))
    assert result.outs is not None
    assert result.outs["organization_id"] == int(result.id)
    assert result.outs["adopted"] is False
    assert result.outs["validations"][0]["type"] == "ov"
    assert len(organizations(api)) == before + 1
    live = api.get(f"/organization/{result.id}").json()
    assert live["name"] == "Acme Corp"
    assert live["organization_contact"]["email"] == CONTACT["email"]


def test_create_adopts_an_identical_active_organization(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    first = provider.create(dict(ORGANIZATION))
    before = len(organizations(api))
    second = provider.create({**ORGANIZATION, "name": "ACME CORP"})
    assert second.id == first.id
    assert second.outs is not None
    assert second.outs["adopted"] is True
    assert len(organizations(api)) == before


def test_skip_duplicate_org_check_always_creates(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    first = provider.create(dict(ORGANIZATION))
    second = provider.create({**ORGANIZATION, "skip_duplicate_org_check": True})
    assert second.id != first.id
    assert second.outs is not None
    assert second.outs["adopted"] is False


def test_technical_contact_is_set_after_create(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    result = provider.create({**ORGANIZATION, "technical_contact": OTHER_CONTACT})
    live = api.get(f"/organization/{result.id}").json()
    assert live["technical_contact"]["email"] == OTHER_CONTACT["email"]


def test_update_changes_contacts_in_place(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    news = {**ORGANIZATION, "organization_contact": OTHER_CONTACT}
    updated = provider.update(created.id, created.outs, news)
    assert updated.outs is not None
    assert updated.outs["organization_contact"]["email"] == OTHER_CONTACT["email"]
    assert updated.outs["organization_id"] == int(created.id)
    live = api.get(f"/organization/{created.id}").json()
    assert live["organization_contact"]["email"] == OTHER_CONTACT["email"]


def test_update_submits_an_added_validation(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    news = {**ORGANIZATION, "validations": [{"type": "ov"}, {"type": "ds"}]}
    updated = provider.update(created.id, created.outs, news)
    assert updated.outs is not None
    assert [v["type"] for v in updated.outs["validations"]] == ["ov", "ds"]
    live = api.get(f"/organization/{created.id}/validation").json()
    assert "ds" in {v["type"] for v in live["validations"]}


def test_read_reports_contacts_changed_outside_pulumi(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    response = api.put(
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
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    assert api.delete(f"/organization/{created.id}").status_code in (200, 204)
    read = provider.read(created.id, created.outs)
    assert (read.id, read.outs) == ("", {})


def test_delete_removes_it_and_a_second_delete_succeeds(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    provider.delete(created.id, created.outs)
    assert api.get(f"/organization/{created.id}").status_code == 404
    provider.delete(created.id, created.outs)


def test_delete_of_an_adopted_organization_only_forgets_it(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    provider.create(dict(ORGANIZATION))
    adopted = provider.create(dict(ORGANIZATION))
    assert adopted.outs is not None
    assert adopted.outs["adopted"] is True
    provider.delete(adopted.id, adopted.outs)
    assert api.get(f"/organization/{adopted.id}").status_code == 200


def test_delete_refused_while_an_order_uses_it_names_retain_on_delete(
    configured: Callable[..., Any], api: httpx.Client
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    created = provider.create(dict(ORGANIZATION))
    assert created.outs is not None
    orders: DocumentSigningOrderProvider = configured(DocumentSigningOrderProvider)
    orders.create(
        {**ORDER, "organization_id": float(created.id), "alternative_order_id": "orgdel1"}
    )
    with pytest.raises(ResourceError, match="retain_on_delete"):
        provider.delete(created.id, created.outs)
    assert api.get(f"/organization/{created.id}").status_code == 200


def test_create_after_a_lost_response_adopts_the_organization_it_made(
    configured: Callable[..., Any], api: httpx.Client, sandbox: Any
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    before = len(organizations(api))
    sandbox.control.inject_fault(
        kind="drop_response", method="POST", path_regex="/organization$", count=1
    )
    result = provider.create({**ORGANIZATION, "name": "Lost Response Ltd"})
    assert len(organizations(api)) == before + 1
    assert api.get(f"/organization/{result.id}").json()["name"] == "Lost Response Ltd"


def test_read_keeps_the_declared_spelling_of_an_unchanged_value(
    configured: Callable[..., Any],
) -> None:
    provider: OrganizationProvider = configured(OrganizationProvider)
    declared = {**ORGANIZATION, "country": "US"}
    created = provider.create(declared)
    assert created.outs is not None
    read = provider.read(created.id, created.outs)
    assert read.inputs is not None
    assert read.inputs["country"] == "US"
