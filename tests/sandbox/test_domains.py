"""Domains and DCV (API.md B1-B10) spoken to in plain HTTP."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from pulumi_digicert.sandbox import SandboxServer

from .builders import add_domain, domain_body, error_codes


def timestamp(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def test_add_with_dns_txt_token_returns_token_expiring_in_30_days(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    created = add_domain(services_api, organization_id)
    assert isinstance(created["id"], int)
    token = created["dcv_token"]
    assert token["status"] == "pending"
    assert token["token"].isalnum()
    assert abs(timestamp(token["expiration_date"]) - (clean_sandbox.control.now() + 30 * 86400)) < 5
    assert "verification_value" not in token
    assert "http_token_url" not in token


def test_add_with_cname_and_http_tokens(services_api: httpx.Client, organization_id: int) -> None:
    cname = add_domain(services_api, organization_id, "cname.example.com", "dns-cname-token")
    assert cname["dcv_token"]["verification_value"] == "dcv.digicert.com"
    http = add_domain(services_api, organization_id, "files.example.com", "http-token")
    assert http["dcv_token"]["http_token_url"] == (
        "http://files.example.com/.well-known/pki-validation/fileauth.txt"
    )


def test_add_defaults_to_email_with_validation_emails(
    services_api: httpx.Client, organization_id: int
) -> None:
    response = services_api.post(
        "/domain",
        json=domain_body(
            organization_id, "mail.example.org", email_array=["admin@mail.example.org"]
        ),
    )
    assert response.status_code == 201
    emails = response.json()["validation_emails"]
    assert emails["name_scope"] == "mail.example.org"
    assert "admin@mail.example.org" in emails["base_emails"]
    assert emails["email_array"] == ["admin@mail.example.org"]
    assert "dcv_token" not in response.json()


def add_named(
    services_api: httpx.Client, organization_id: int, name: str, method: str, **extra: object
) -> str:
    created = add_domain(services_api, organization_id, name, method, **extra)
    return str(services_api.get(f"/domain/{created['id']}").json()["name"])


@pytest.mark.parametrize(
    ("method", "keep_www", "stored"),
    [
        # Email and DNS methods drop www. unless keep_www (DigiCert change log, "Keep the www
        # subdomain label when adding a domain"); file-based DCV validates the exact name.
        ("email", None, "example.com"),
        ("dns-txt-token", None, "example.com"),
        ("dns-cname-token", None, "example.com"),
        ("email", True, "www.example.com"),
        ("dns-txt-token", True, "www.example.com"),
        ("dns-cname-token", True, "www.example.com"),
        ("dns-txt-token", False, "example.com"),
        ("http-token", None, "www.example.com"),
        ("http-token", False, "www.example.com"),
        ("http-token", True, "www.example.com"),
    ],
)
def test_www_is_dropped_for_email_and_dns_unless_keep_www_and_kept_for_http_token(
    services_api: httpx.Client,
    organization_id: int,
    method: str,
    keep_www: bool | None,
    stored: str,
) -> None:
    extra = {} if keep_www is None else {"keep_www": keep_www}
    assert add_named(services_api, organization_id, "WWW.Example.COM", method, **extra) == stored


def test_http_token_is_refused_for_wildcards(
    services_api: httpx.Client, organization_id: int
) -> None:
    response = services_api.post(
        "/domain", json=domain_body(organization_id, "*.example.com", dcv_method="http-token")
    )
    assert response.status_code == 400
    assert error_codes(response) == ["invalid_wildcard_dcv_method"]
    wildcard = add_domain(services_api, organization_id, "*.example.com")
    change = services_api.put(
        f"/domain/{wildcard['id']}/dcv/method", json={"dcv_method": "http-token"}
    )
    assert error_codes(change) == ["invalid_wildcard_dcv_method"]


def test_add_errors(services_api: httpx.Client, organization_id: int) -> None:
    base = {"organization": {"id": organization_id}, "validations": [{"type": "ov"}]}
    add_domain(services_api, organization_id)
    duplicate = services_api.post("/domain", json={**base, "name": "example.com"})
    assert error_codes(duplicate) == ["duplicate_domain"]
    unknown_org = services_api.post(
        "/domain", json={**base, "name": "a.example", "organization": {"id": 3999999}}
    )
    assert error_codes(unknown_org) == ["invalid_organization"]
    bad_name = services_api.post("/domain", json={**base, "name": "not a domain"})
    assert error_codes(bad_name) == ["invalid_field|name"]
    no_validations = services_api.post(
        "/domain", json={**base, "name": "b.example", "validations": []}
    )
    assert error_codes(no_validations) == ["invalid_field|validations"]
    bad_method = services_api.post(
        "/domain", json={**base, "name": "c.example", "dcv_method": "dns"}
    )
    assert error_codes(bad_method) == ["invalid_field|dcv_method"]
    unknown_field = services_api.post(
        "/domain", json={**base, "name": "d.example", "colour": "red"}
    )
    assert error_codes(unknown_field) == ["invalid_field|colour"]
    missing = services_api.post("/domain", json={"name": "e.example"})
    assert set(error_codes(missing)) == {"missing_field|organization", "missing_field|validations"}


def test_info_includes_dcv_and_validation_only_when_asked(
    services_api: httpx.Client, organization_id: int
) -> None:
    created = add_domain(services_api, organization_id)
    plain = services_api.get(f"/domain/{created['id']}").json()
    assert plain["name"] == "example.com"
    assert plain["is_active"] is True
    assert plain["status"] == "pending"
    assert plain["is_pending_validation"] is True
    assert plain["dcv_method"] == "dns-txt-token"
    assert plain["organization"]["id"] == organization_id
    assert plain["organization"]["is_active"] == "1"
    assert "dcv_token" not in plain
    assert "validations" not in plain
    full = services_api.get(
        f"/domain/{created['id']}", params={"include_dcv": "true", "include_validation": "true"}
    ).json()
    assert full["dcv_token"]["token"] == created["dcv_token"]["token"]
    assert full["validations"][0]["type"] == "ov"
    assert full["validations"][0]["status"] == "pending"
    assert full["validations"][0]["dcv_status"] == "pending"
    assert services_api.get(f"/domain/{created['id']}", params={"include": "x"}).status_code == 400
    assert error_codes(services_api.get("/domain/4999999")) == ["not_found|domain"]


def test_validate_token_finds_published_txt_record(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    created = add_domain(services_api, organization_id)
    token = created["dcv_token"]["token"]
    not_yet = services_api.put(f"/domain/{created['id']}/dcv/validate-token")
    # A failed check is an error, as CertCentral answers it (public clients match this code).
    assert not_yet.status_code == 400
    assert error_codes(not_yet) == ["invalid_dns_txt"]
    assert token not in not_yet.text

    clean_sandbox.control.publish_dns("_dnsauth.example.com", "TXT", token)
    active = services_api.put(f"/domain/{created['id']}/dcv/validate-token")
    assert active.json() == {"token": token, "status": "active"}
    info = services_api.get(
        f"/domain/{created['id']}", params={"include_validation": "true", "include_dcv": "true"}
    ).json()
    assert info["status"] == "approved"
    assert info["validations"][0]["status"] == "active"
    assert info["validations"][0]["dcv_status"] == "complete"
    assert info["dcv_token"]["status"] == "active"
    until = timestamp(info["validations"][0]["validated_until"])
    assert abs(until - (clean_sandbox.control.now() + 397 * 86400)) < 5
    assert info["dcv_expiration_datetime"] == info["validations"][0]["validated_until"]


def test_validate_token_for_cname_and_wildcard(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    cname = add_domain(services_api, organization_id, "cname.example.com", "dns-cname-token")
    token = cname["dcv_token"]["token"]
    clean_sandbox.control.publish_dns(f"{token}.cname.example.com.", "CNAME", "dcv.digicert.com.")
    assert (
        services_api.put(f"/domain/{cname['id']}/dcv/validate-token").json()["status"] == "active"
    )
    wildcard = add_domain(services_api, organization_id, "*.wild.example")
    clean_sandbox.control.publish_dns("wild.example", "TXT", wildcard["dcv_token"]["token"])
    assert (
        services_api.put(f"/domain/{wildcard['id']}/dcv/validate-token").json()["status"]
        == "active"
    )


def test_validate_token_ignores_an_expired_token(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    created = add_domain(services_api, organization_id)
    clean_sandbox.control.advance_clock(31 * 86400)
    clean_sandbox.control.publish_dns("example.com", "TXT", created["dcv_token"]["token"])
    expired = services_api.put(f"/domain/{created['id']}/dcv/validate-token")
    assert expired.status_code == 400
    assert error_codes(expired) == ["invalid_dns_txt"]
    assert "expired" in expired.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("method", "code"),
    [("dns-cname-token", "invalid_dns_cname"), ("http-token", "invalid_http_token")],
)
def test_a_failed_check_names_what_was_not_found_per_method(
    services_api: httpx.Client, organization_id: int, method: str, code: str
) -> None:
    created = add_domain(services_api, organization_id, "check.example.com", method)
    response = services_api.put(f"/domain/{created['id']}/dcv/validate-token")
    assert response.status_code == 400
    assert error_codes(response) == [code]


def test_token_operations_need_a_token_method(
    services_api: httpx.Client, organization_id: int
) -> None:
    created = services_api.post(
        "/domain", json=domain_body(organization_id, "email.example")
    ).json()
    for response in (
        services_api.put(f"/domain/{created['id']}/dcv/validate-token"),
        services_api.post(f"/domain/{created['id']}/dcv/token"),
    ):
        assert response.status_code == 400
        assert error_codes(response) == ["invalid_dcv_method"]


def test_change_dcv_method_returns_new_token_or_the_email_recipients(
    services_api: httpx.Client, organization_id: int
) -> None:
    created = add_domain(services_api, organization_id)
    to_cname = services_api.put(
        f"/domain/{created['id']}/dcv/method", json={"dcv_method": "dns-cname-token"}
    )
    assert to_cname.status_code == 200
    token = to_cname.json()["dcv_token"]
    assert token["status"] == "pending"
    assert token["verification_value"] == "dcv.digicert.com"
    assert token["token"] != created["dcv_token"]["token"]
    to_email = services_api.put(
        f"/domain/{created['id']}/dcv/method",
        json={"dcv_method": "email", "send_dcv_email_flag": False},
    )
    assert to_email.status_code == 200
    # Older pages showed {} here; newer ones return the DCV email recipients.
    emails = to_email.json()["validation_emails"]
    assert emails["name_scope"] == "example.com"
    assert "admin@example.com" in emails["base_emails"]
    assert "dcv_token" not in to_email.json()
    assert services_api.get(f"/domain/{created['id']}").json()["dcv_method"] == "email"
    missing = services_api.put(f"/domain/{created['id']}/dcv/method", json={})
    assert error_codes(missing) == ["missing_field|dcv_method"]


def test_new_dcv_token_replaces_the_domain_random_value(
    services_api: httpx.Client, organization_id: int
) -> None:
    created = add_domain(services_api, organization_id, "files.example.com", "http-token")
    response = services_api.post(f"/domain/{created['id']}/dcv/token")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiration_date", "http_token_url"}
    assert body["token"] != created["dcv_token"]["token"]
    info = services_api.get(f"/domain/{created['id']}", params={"include_dcv": "true"}).json()
    assert info["dcv_token"]["token"] == body["token"]


def test_submit_validation_204_without_method_201_with_method(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    created = add_domain(services_api, organization_id)
    clean_sandbox.control.complete_dcv(created["id"])
    url = f"/domain/{created['id']}/validation"
    plain = services_api.post(url, json={"validations": [{"type": "ov"}]})
    assert plain.status_code == 204
    assert plain.content == b""
    info = services_api.get(
        f"/domain/{created['id']}", params={"include_validation": "true"}
    ).json()
    # the current validation stays in use while the revalidation is pending
    assert info["validations"][0]["status"] == "active"
    assert info["is_pending_validation"] is True

    switched = services_api.post(
        url, json={"validations": [{"type": "ev"}], "dcv_method": "dns-cname-token"}
    )
    assert switched.status_code == 201
    assert switched.json()["id"] == created["id"]
    assert switched.json()["dcv_token"]["verification_value"] == "dcv.digicert.com"
    to_email = services_api.post(url, json={"validations": [{"type": "ov"}], "dcv_method": "email"})
    assert to_email.status_code == 201
    assert to_email.json()["validation_emails"]["name_scope"] == "example.com"
    assert services_api.post(url, json={"validations": []}).status_code == 400


def test_activate_and_deactivate(services_api: httpx.Client, organization_id: int) -> None:
    created = add_domain(services_api, organization_id)
    assert services_api.put(f"/domain/{created['id']}/deactivate").status_code == 204
    assert services_api.get(f"/domain/{created['id']}").json()["is_active"] is False
    inactive = services_api.get("/domain", params={"filters[status]": "inactive"}).json()["domains"]
    assert [d["id"] for d in inactive] == [created["id"]]
    assert services_api.put(f"/domain/{created['id']}/activate").status_code == 204
    assert services_api.get(f"/domain/{created['id']}").json()["is_active"] is True
    assert services_api.put("/domain/4999999/activate").status_code == 404
    assert (
        services_api.put(f"/domain/{created['id']}/activate", json={"force": True}).status_code
        == 400
    )


def test_list_search_filters_and_page(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    first = add_domain(services_api, organization_id, "alpha.example.com")
    second = add_domain(services_api, organization_id, "beta.example.com", "dns-cname-token")
    clean_sandbox.control.complete_dcv(first["id"])
    listed = services_api.get("/domain", params={"include_validation": "true"}).json()
    assert [d["id"] for d in listed["domains"]] == [first["id"], second["id"]]
    assert listed["page"] == {"total": 2, "limit": 1000, "offset": 0}
    item = listed["domains"][0]
    assert item["dcv_method"] == "dns-txt-token"
    assert item["validations"][0]["status"] == "active"
    assert len(item["dcv_expiration"]["ov"]) == len("2026-01-01")
    assert "last_submitted_datetime" in item
    exact = services_api.get("/domain", params={"filters[search]": "beta.example.com"}).json()
    assert [d["id"] for d in exact["domains"]] == [second["id"]]
    assert services_api.get("/domain", params={"filters[search]": "beta"}).json()["domains"] == []
    contains = services_api.get("/domain", params={"filters[search]": "%beta"}).json()
    assert [d["id"] for d in contains["domains"]] == [second["id"]]
    by_method = services_api.get(
        "/domain", params={"filters[dcv_method]": "dns-cname-token"}
    ).json()
    assert [d["id"] for d in by_method["domains"]] == [second["id"]]
    paged = services_api.get("/domain", params={"limit": 1, "offset": 1}).json()
    assert [d["id"] for d in paged["domains"]] == [second["id"]]
    assert paged["page"] == {"total": 2, "limit": 1, "offset": 1}


def test_auto_validate_after_completes_dcv_by_time(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    clean_sandbox.control.update_settings(auto_validate_after=30)
    created = add_domain(services_api, organization_id)
    clean_sandbox.control.advance_clock(31)
    assert (
        services_api.put(f"/domain/{created['id']}/dcv/validate-token").json()["status"] == "active"
    )


def test_failed_dcv_reads_failed(
    services_api: httpx.Client, clean_sandbox: SandboxServer, organization_id: int
) -> None:
    created = add_domain(services_api, organization_id)
    clean_sandbox.control.fail_dcv(created["id"])
    info = services_api.get(
        f"/domain/{created['id']}", params={"include_validation": "true"}
    ).json()
    assert info["validations"][0]["status"] == "rejected"
    assert info["validations"][0]["dcv_status"] == "failed"
