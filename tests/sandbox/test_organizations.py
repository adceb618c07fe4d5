"""Organizations (API.md A1-A8) spoken to in plain HTTP."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer
from support.seeds import EXAMPLE_ORGANIZATION

from .builders import (
    ORGANIZATION,
    PRODUCT,
    create_organization,
    domain_body,
    error_codes,
    order_body,
)

WITH_VALIDATIONS = {"include_validation": "true"}


def test_create_returns_201_with_the_new_id(services_api: httpx.Client) -> None:
    response = services_api.post("/organization", json=ORGANIZATION)
    assert response.status_code == 201
    assert set(response.json()) == {"id"}
    assert isinstance(response.json()["id"], int)


def test_info_shape(services_api: httpx.Client) -> None:
    organization_id = create_organization(services_api, assumed_name="Acme")
    response = services_api.get(f"/organization/{organization_id}")
    assert response.status_code == 200
    info = response.json()
    assert info["id"] == organization_id
    assert info["status"] == "active"
    assert info["is_active"] is True
    assert info["display_name"] == "Acme Widgets (Acme)"
    assert info["country"] == "us"
    assert info["container"]["id"] > 0
    assert info["organization_contact"]["first_name"] == "Ada"
    assert isinstance(info["organization_contact"]["id"], int)
    # Validations only when asked for, as the list endpoint documents and public clients'
    # fixtures show for organization info.
    assert "validations" not in info
    asked = services_api.get(
        f"/organization/{organization_id}", params={"include_validation": "true"}
    )
    assert asked.json()["validations"] == []


def test_same_details_are_refused_unless_skip_duplicate_org_check(
    services_api: httpx.Client,
) -> None:
    first = create_organization(services_api)
    duplicate = services_api.post("/organization", json={**ORGANIZATION, "city": "LEHI "})
    assert duplicate.status_code == 400
    assert error_codes(duplicate) == ["duplicate_organization"]
    assert str(first) in duplicate.json()["errors"][0]["message"]
    forced = services_api.post(
        "/organization", json={**ORGANIZATION, "skip_duplicate_org_check": True}
    )
    assert forced.status_code == 201
    assert forced.json()["id"] != first


def test_required_fields_missing_are_each_reported(services_api: httpx.Client) -> None:
    response = services_api.post("/organization", json={"name": "Only A Name"})
    assert response.status_code == 400
    assert set(error_codes(response)) == {
        "missing_field|address",
        "missing_field|city",
        "missing_field|state",
        "missing_field|zip",
        "missing_field|country",
    }


def test_unknown_and_mistyped_fields_are_refused(services_api: httpx.Client) -> None:
    unknown = services_api.post("/organization", json={**ORGANIZATION, "nickname": "acme"})
    assert unknown.status_code == 400
    assert error_codes(unknown) == ["invalid_field|nickname"]
    nested = services_api.post(
        "/organization",
        json={
            **ORGANIZATION,
            "organization_contact": {**ORGANIZATION["organization_contact"], "x": 1},
        },
    )
    assert error_codes(nested) == ["invalid_field|organization_contact.x"]
    mistyped = services_api.post(
        "/organization", json={**ORGANIZATION, "skip_duplicate_org_check": "yes"}
    )
    assert error_codes(mistyped) == ["invalid_field|skip_duplicate_org_check"]
    too_long = services_api.post("/organization", json={**ORGANIZATION, "address": "x" * 65})
    assert error_codes(too_long) == ["invalid_field|address"]
    bad_country = services_api.post("/organization", json={**ORGANIZATION, "country": "usa"})
    assert error_codes(bad_country) == ["invalid_field|country"]


def test_name_and_assumed_name_together_at_most_61(services_api: httpx.Client) -> None:
    response = services_api.post(
        "/organization", json={**ORGANIZATION, "name": "n" * 40, "assumed_name": "a" * 22}
    )
    assert error_codes(response) == ["invalid_field|assumed_name"]


def test_unknown_organization_is_404_not_found(services_api: httpx.Client) -> None:
    response = services_api.get("/organization/3999999")
    assert response.status_code == 404
    assert error_codes(response) == ["not_found|organization"]
    assert services_api.get("/organization/abc").status_code == 404


def test_list_filters_search_and_pages(services_api: httpx.Client) -> None:
    ids = [
        create_organization(services_api, name=f"Org {index}", skip_duplicate_org_check=True)
        for index in range(5)
    ]
    everything = services_api.get("/organization").json()
    assert [o["id"] for o in everything["organizations"]] == ids
    assert everything["page"] == {"total": 5, "limit": 1000, "offset": 0}
    assert "validations" not in everything["organizations"][0]

    page = services_api.get("/organization", params={"limit": 2, "offset": 2}).json()
    assert [o["id"] for o in page["organizations"]] == ids[2:4]
    assert page["page"] == {"total": 5, "limit": 2, "offset": 2}

    by_name = services_api.get("/organization", params={"filters[search]": "org 3"}).json()
    assert [o["id"] for o in by_name["organizations"]] == [ids[3]]
    by_id = services_api.get("/organization", params={"filters[search]": str(ids[1])}).json()
    assert [o["id"] for o in by_id["organizations"]] == [ids[1]]
    active = services_api.get("/organization", params={"filters[status]": "inactive"}).json()
    assert active["organizations"] == []
    descending = services_api.get("/organization", params={"sort": "-name"}).json()
    assert [o["id"] for o in descending["organizations"]] == ids[::-1]
    with_validation = services_api.get(
        "/organization", params={"include_validation": "true"}
    ).json()
    assert with_validation["organizations"][0]["validations"] == []


def test_list_refuses_unknown_parameters(services_api: httpx.Client) -> None:
    response = services_api.get("/organization", params={"filters[colour]": "blue"})
    assert response.status_code == 400
    assert error_codes(response) == ["invalid_field|filters[colour]"]
    assert services_api.get("/organization", params={"limit": 1001}).status_code == 400
    assert (
        services_api.get("/organization", params={"filters[status]": "asleep"}).status_code == 400
    )


def test_list_filters_by_pending_validation(services_api: httpx.Client) -> None:
    pending = create_organization(services_api, validations=[{"type": "ov"}])
    plain = create_organization(services_api, name="Plain Co")
    listed = services_api.get("/organization", params={"filters[validation]": "pending"}).json()
    assert [o["id"] for o in listed["organizations"]] == [pending]
    others = services_api.get("/organization", params={"filters[validation]": "not_pending"}).json()
    assert [o["id"] for o in others["organizations"]] == [plain]


def test_delete_is_204_and_then_404(services_api: httpx.Client) -> None:
    organization_id = create_organization(services_api)
    assert services_api.delete(f"/organization/{organization_id}").status_code == 204
    assert services_api.get(f"/organization/{organization_id}").status_code == 404
    assert services_api.delete(f"/organization/{organization_id}").status_code == 404


def test_delete_is_refused_while_an_order_references_the_organization(
    services_api: httpx.Client,
) -> None:
    organization_id = create_organization(services_api)
    placed = services_api.post(f"/order/certificate/{PRODUCT}", json=order_body(organization_id))
    assert placed.status_code == 201
    refused = services_api.delete(f"/organization/{organization_id}")
    assert refused.status_code == 400
    assert error_codes(refused) == ["organization_in_use"]
    assert "order" in refused.json()["errors"][0]["message"]


def test_delete_removes_the_organizations_domains(services_api: httpx.Client) -> None:
    organization_id = create_organization(services_api)
    domain = services_api.post("/domain", json=domain_body(organization_id)).json()
    assert services_api.delete(f"/organization/{organization_id}").status_code == 204
    assert services_api.get(f"/domain/{domain['id']}").status_code == 404


# ---------------------------------------------------------------- contacts (A7)


def contact(contact_type: str, **fields: str) -> dict[str, str]:
    return {"contact_type": contact_type, **fields}


def test_contact_update_same_person_keeps_id_and_clears_omitted_fields(
    services_api: httpx.Client,
) -> None:
    organization_id = create_organization(services_api)
    before = services_api.get(f"/organization/{organization_id}").json()["organization_contact"]
    response = services_api.put(
        f"/organization/{organization_id}/contact",
        json={
            "contacts": [
                contact(
                    "organization_contact",
                    first_name="Ada",
                    last_name="Lovelace",
                    email="ADA@example.com",
                    telephone="801-555-0199",
                )
            ]
        },
    )
    assert response.status_code == 204
    assert response.content == b""
    after = services_api.get(f"/organization/{organization_id}").json()["organization_contact"]
    assert after["id"] == before["id"]
    assert after["telephone"] == "801-555-0199"
    assert "job_title" not in after  # optional fields left out are cleared


def test_contact_update_different_person_replaces_contact(services_api: httpx.Client) -> None:
    organization_id = create_organization(services_api)
    before = services_api.get(f"/organization/{organization_id}").json()["organization_contact"]
    services_api.put(
        f"/organization/{organization_id}/contact",
        json={
            "contacts": [
                contact(
                    "organization_contact", first_name="Grace", last_name="Hopper", email="g@x.org"
                )
            ]
        },
    )
    after = services_api.get(f"/organization/{organization_id}").json()["organization_contact"]
    assert after["id"] != before["id"]
    assert after["first_name"] == "Grace"


@pytest.mark.parametrize("language_id", ["1", 1])
def test_contact_language_id_as_the_pages_example_sends_it_or_as_an_integer(
    services_api: httpx.Client, language_id: object
) -> None:
    organization_id = create_organization(services_api)
    contact_body = contact(
        "organization_contact", first_name="Ada", last_name="Lovelace", email="ada@example.com"
    )
    response = services_api.put(
        f"/organization/{organization_id}/contact",
        json={"contacts": [{**contact_body, "language_id": language_id}]},
    )
    assert response.status_code == 204, response.text
    refused = services_api.put(
        f"/organization/{organization_id}/contact",
        json={"contacts": [{**contact_body, "language_id": "en"}]},
    )
    assert error_codes(refused) == ["invalid_field|contacts.0.language_id"]


def test_control_imports_an_organization_with_the_id_an_example_names(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    # Upper case as a user may write it; the answer has the lower case of the examples (API.md A1).
    imported = clean_sandbox.control.import_organization(
        id=334455, **{**EXAMPLE_ORGANIZATION, "country": "US"}
    )
    assert imported["id"] == 334455
    info = services_api.get("/organization/334455").json()
    assert (info["name"], info["country"], info["status"]) == ("Example Org", "us", "active")
    with pytest.raises(httpx.HTTPStatusError) as taken:
        clean_sandbox.control.import_organization(
            id=334455, name="Again", address="a", city="c", state="s", zip="1", country="us"
        )
    assert taken.value.response.status_code == 400


def test_technical_contact_added_then_removed_by_type_only(services_api: httpx.Client) -> None:
    organization_id = create_organization(services_api)
    tech = contact("technical_contact", first_name="Tim", last_name="Berners", email="t@x.org")
    services_api.put(f"/organization/{organization_id}/contact", json={"contacts": [tech]})
    info = services_api.get(f"/organization/{organization_id}").json()
    assert info["technical_contact"]["first_name"] == "Tim"
    assert info["organization_contact"]["first_name"] == "Ada"  # type left out: untouched
    removed = services_api.put(
        f"/organization/{organization_id}/contact",
        json={"contacts": [{"contact_type": "technical_contact"}]},
    )
    assert removed.status_code == 204
    assert "technical_contact" not in services_api.get(f"/organization/{organization_id}").json()


def test_contact_errors(services_api: httpx.Client) -> None:
    organization_id = create_organization(services_api)
    url = f"/organization/{organization_id}/contact"
    person = {"first_name": "A", "last_name": "B", "email": "a@b.c"}
    duplicate = services_api.put(
        url,
        json={
            "contacts": [
                contact("technical_contact", **person),
                contact("technical_contact", **person),
            ]
        },
    )
    assert duplicate.status_code == 400
    assert error_codes(duplicate) == ["contact_type_duplicate"]
    org_removal = services_api.put(
        url, json={"contacts": [{"contact_type": "organization_contact"}]}
    )
    assert error_codes(org_removal) == ["invalid_contact|organization_contact"]
    incomplete = services_api.put(
        url, json={"contacts": [contact("technical_contact", first_name="A")]}
    )
    assert set(error_codes(incomplete)) == {
        "missing_field|contacts.0.last_name",
        "missing_field|contacts.0.email",
    }
    bad_type = services_api.put(url, json={"contacts": [contact("billing_contact", **person)]})
    assert error_codes(bad_type) == ["invalid_field|contacts.0.contact_type"]


# ---------------------------------------------------------------- validation (A5, A6)


def test_submit_validation_is_pending_until_completed(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    organization_id = create_organization(services_api)
    response = services_api.post(
        f"/organization/{organization_id}/validation", json={"validations": [{"type": "ov"}]}
    )
    assert response.status_code == 204
    listed = services_api.get(f"/organization/{organization_id}/validation").json()["validations"]
    assert [(v["type"], v["status"]) for v in listed] == [("ov", "pending")]
    assert "validated_until" not in listed[0]

    clean_sandbox.control.complete_org_validation(organization_id, "ov")
    validation = services_api.get(f"/organization/{organization_id}/validation").json()[
        "validations"
    ][0]
    assert validation["status"] == "active"
    until = datetime.fromisoformat(validation["validated_until"]).timestamp()
    assert abs(until - (clean_sandbox.control.now() + 397 * 86400)) < 5
    info = services_api.get(f"/organization/{organization_id}", params=WITH_VALIDATIONS).json()
    assert info["validations"][0]["status"] == "active"


def test_validation_lasts_397_days_then_expires(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    organization_id = create_organization(services_api, validations=[{"type": "ov"}])
    clean_sandbox.control.complete_org_validation(organization_id, "ov")
    clean_sandbox.control.advance_clock(396 * 86400)
    assert (
        services_api.get(f"/organization/{organization_id}/validation").json()["validations"][0][
            "status"
        ]
        == "active"
    )
    clean_sandbox.control.advance_clock(2 * 86400)
    assert (
        services_api.get(f"/organization/{organization_id}/validation").json()["validations"][0][
            "status"
        ]
        == "expired"
    )


def test_auto_validate_after_completes_submissions_by_time(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    clean_sandbox.control.update_settings(auto_validate_after=60)
    organization_id = create_organization(services_api, validations=[{"type": "ov"}])
    assert (
        services_api.get(f"/organization/{organization_id}", params=WITH_VALIDATIONS).json()[
            "validations"
        ][0]["status"]
        == "pending"
    )
    clean_sandbox.control.advance_clock(61)
    assert (
        services_api.get(f"/organization/{organization_id}", params=WITH_VALIDATIONS).json()[
            "validations"
        ][0]["status"]
        == "active"
    )


def test_failed_validation_reads_rejected(
    services_api: httpx.Client, clean_sandbox: SandboxServer
) -> None:
    organization_id = create_organization(services_api, validations=[{"type": "ov"}])
    clean_sandbox.control.fail_org_validation(organization_id, "ov")
    listed = services_api.get(f"/organization/{organization_id}/validation").json()["validations"]
    assert listed[0]["status"] == "rejected"


def test_ev_validation_needs_verified_users(services_api: httpx.Client) -> None:
    organization_id = create_organization(services_api)
    url = f"/organization/{organization_id}/validation"
    missing = services_api.post(url, json={"validations": [{"type": "ev"}]})
    assert error_codes(missing) == ["missing_field|validations.0.verified_users"]
    partial = services_api.post(
        url, json={"validations": [{"type": "ev", "verified_users": [{"first_name": "A"}]}]}
    )
    assert "missing_field|validations.0.verified_users.0.email" in error_codes(partial)
    accepted = services_api.post(
        url,
        json={
            "validations": [
                {
                    "type": "ev",
                    "verified_users": [
                        {"id": 12},
                        {
                            "first_name": "A",
                            "last_name": "B",
                            "job_title": "CEO",
                            "telephone": "1",
                            "email": "a@b.c",
                        },
                    ],
                }
            ]
        },
    )
    assert accepted.status_code == 204
    users = services_api.get(url).json()["validations"][0]["verified_users"]
    assert users[0] == {"id": 12}
    assert users[1]["first_name"] == "A"
    assert services_api.post(url, json={"validations": [{"type": "xx"}]}).status_code == 400
    assert services_api.post(url, json={"validations": []}).status_code == 400
