"""Every endpoint: method, path, query, headers and body sent, and the parsed response."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from pulumi_digicert.client import DigiCertClient, errors, models

from .conftest import (
    API_KEY,
    BILLING_KEY,
    PARTNER_KEY,
    ClientFactory,
    Recorder,
    error_response,
    json_response,
)


@dataclass
class Case:
    name: str
    call: Callable[[DigiCertClient], Any]
    method: str
    path: str
    response: httpx.Response
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None
    check: Callable[[Any], Any] = lambda result: None


def _is(model: type[Any]) -> Callable[[Any], bool]:
    def check(result: Any) -> bool:
        return isinstance(result, model)

    return check


ORG = {
    "id": 1001,
    "name": "Example Inc",
    "assumed_name": "Example",
    "display_name": "Example Inc (Example)",
    "status": "active",
    "is_active": True,
    "country": "us",
    "container": {"id": 5, "name": "Main"},
    "organization_contact": {"first_name": "Ada", "email": "ada@example.com"},
    "validations": [{"type": "ov", "status": "active", "validated_until": "2027-01-01"}],
}
DOMAIN = {
    "id": 77,
    "name": "example.com",
    "is_active": True,
    "dcv_method": "dns-txt-token",
    "dcv_token": {"token": "tok", "status": "pending", "expiration_date": "2026-12-01"},
    "organization": {"id": 1001, "is_active": "1"},
    "validations": [{"type": "ov", "status": "pending", "dcv_status": "pending"}],
}

CASES = [
    Case(
        "organizations.create",
        lambda c: c.organizations.create({"name": "Example Inc", "country": "us"}),
        "POST",
        "/services/v2/organization",
        json_response(201, {"id": 1001}),
        body={"name": "Example Inc", "country": "us"},
        check=lambda r: (_is(models.CreatedObject)(r), r.id == 1001),
    ),
    Case(
        "organizations.get asks for validations",
        lambda c: c.organizations.get(1001),
        "GET",
        "/services/v2/organization/1001",
        json_response(200, ORG),
        query={"include_validation": "true"},
        check=lambda r: (_is(models.Organization)(r), r.validations[0].type == "ov"),
    ),
    Case(
        "organizations.get without validations",
        lambda c: c.organizations.get(1001.0, include_validation=False),  # type: ignore[arg-type]
        "GET",
        "/services/v2/organization/1001",
        json_response(200, {k: v for k, v in ORG.items() if k != "validations"}),
        check=lambda r: r.validations == [],
    ),
    Case(
        "organizations.list filters",
        lambda c: c.organizations.list(
            status="active",
            search="%Example",
            validation="pending",
            container_id=5,
            include_validation=True,
        ),
        "GET",
        "/services/v2/organization",
        json_response(200, {"organizations": [ORG], "page": {"total": 1}}),
        query={
            "filters[status]": "active",
            "filters[search]": "%Example",
            "filters[validation]": "pending",
            "filters[container_id_for_organization]": "5",
            "include_validation": "true",
            "limit": "1000",
            "offset": "0",
        },
        check=lambda r: [o.id for o in r] == [1001],
    ),
    Case(
        "organizations.delete",
        lambda c: c.organizations.delete(1001),
        "DELETE",
        "/services/v2/organization/1001",
        httpx.Response(204),
        check=lambda r: r is None,
    ),
    Case(
        "organizations.update_contacts",
        lambda c: c.organizations.update_contacts(
            1001, [{"contact_type": "technical_contact", "first_name": "Bo"}]
        ),
        "PUT",
        "/services/v2/organization/1001/contact",
        httpx.Response(204),
        body={"contacts": [{"contact_type": "technical_contact", "first_name": "Bo"}]},
    ),
    Case(
        "organizations.submit_validation",
        lambda c: c.organizations.submit_validation(1001, [{"type": "ov"}]),
        "POST",
        "/services/v2/organization/1001/validation",
        httpx.Response(204),
        body={"validations": [{"type": "ov"}]},
    ),
    Case(
        "organizations.list_validations",
        lambda c: c.organizations.list_validations(1001),
        "GET",
        "/services/v2/organization/1001/validation",
        json_response(200, {"validations": [{"type": "ov", "status": "pending"}]}),
        check=lambda r: r[0].status == "pending",
    ),
    Case(
        "domains.add",
        lambda c: c.domains.add({"name": "example.com", "organization": {"id": 1001}}),
        "POST",
        "/services/v2/domain",
        json_response(201, {"id": 77, "dcv_token": {"token": "tok", "status": "pending"}}),
        body={"name": "example.com", "organization": {"id": 1001}},
        check=lambda r: (r.id == 77, r.dcv_token.token == "tok"),
    ),
    Case(
        "domains.get",
        lambda c: c.domains.get(77, include_dcv=True, include_validation=True),
        "GET",
        "/services/v2/domain/77",
        json_response(200, DOMAIN),
        query={"include_dcv": "true", "include_validation": "true"},
        check=lambda r: (r.organization.is_active is True, r.dcv_token.token == "tok"),
    ),
    Case(
        "domains.list",
        lambda c: c.domains.list(search="example.com", status="active", include_validation=True),
        "GET",
        "/services/v2/domain",
        json_response(200, {"domains": [DOMAIN], "page": {"total": 1}}),
        query={
            "filters[search]": "example.com",
            "filters[status]": "active",
            "include_validation": "true",
            "limit": "1000",
            "offset": "0",
        },
        check=lambda r: r[0].name == "example.com",
    ),
    Case(
        "domains.change_dcv_method",
        lambda c: c.domains.change_dcv_method(77, "dns-cname-token", send_dcv_email_flag=False),
        "PUT",
        "/services/v2/domain/77/dcv/method",
        json_response(
            200, {"dcv_token": {"token": "t2", "verification_value": "dcv.digicert.com"}}
        ),
        body={"dcv_method": "dns-cname-token", "send_dcv_email_flag": False},
        check=lambda r: r.dcv_token.verification_value == "dcv.digicert.com",
    ),
    Case(
        "domains.change_dcv_method to email answers the recipients",
        lambda c: c.domains.change_dcv_method(77, "email"),
        "PUT",
        "/services/v2/domain/77/dcv/method",
        json_response(200, {"validation_emails": {"name_scope": "example.com"}}),
        body={"dcv_method": "email"},
        check=lambda r: (r.dcv_token is None, r.validation_emails["name_scope"] == "example.com"),
    ),
    Case(
        "domains.change_dcv_method to email answers {}",
        lambda c: c.domains.change_dcv_method(77, "email"),
        "PUT",
        "/services/v2/domain/77/dcv/method",
        json_response(200, {}),
        body={"dcv_method": "email"},
        check=lambda r: r.dcv_token is None,
    ),
    Case(
        "domains.check_dcv",
        lambda c: c.domains.check_dcv(77),
        "PUT",
        "/services/v2/domain/77/dcv/validate-token",
        json_response(200, {"token": "tok", "status": "active"}),
        check=lambda r: r.status == "active",
    ),
    Case(
        "domains.new_dcv_token",
        lambda c: c.domains.new_dcv_token(77),
        "POST",
        "/services/v2/domain/77/dcv/token",
        json_response(201, {"token": "t3", "expiration_date": "2026-12-31T00:00:00+00:00"}),
        check=lambda r: r.token == "t3",
    ),
    Case(
        "domains.submit_validation 204",
        lambda c: c.domains.submit_validation(77, ["ov"]),
        "POST",
        "/services/v2/domain/77/validation",
        httpx.Response(204),
        body={"validations": [{"type": "ov"}]},
        check=lambda r: r is None,
    ),
    Case(
        "domains.submit_validation with method and emails",
        lambda c: c.domains.submit_validation(
            77, ["ov", "ev"], dcv_method="email", email_array=["admin@example.com"]
        ),
        "POST",
        "/services/v2/domain/77/validation",
        json_response(201, {"validation_emails": {"name_scope": "example.com"}}),
        body={
            "validations": [{"type": "ov"}, {"type": "ev"}],
            "dcv_method": "email",
            "email_array": ["admin@example.com"],
        },
        check=lambda r: (r.id == 77, r.validation_emails == {"name_scope": "example.com"}),
    ),
    Case(
        "domains.activate",
        lambda c: c.domains.activate(77),
        "PUT",
        "/services/v2/domain/77/activate",
        httpx.Response(204),
    ),
    Case(
        "domains.deactivate",
        lambda c: c.domains.deactivate(77),
        "PUT",
        "/services/v2/domain/77/deactivate",
        httpx.Response(204),
    ),
    Case(
        "orders.order_document_signing",
        lambda c: c.orders.order_document_signing(
            "document_signing_org_1",
            {"organization": {"id": 1001}, "order_validity": {"years": 1}},
        ),
        "POST",
        "/services/v2/order/certificate/document_signing_org_1",
        json_response(201, {"id": 9001, "requests": [{"id": 31, "status": "pending"}]}),
        body={"organization": {"id": 1001}, "order_validity": {"years": 1}},
        check=lambda r: (r.id == 9001, r.requests[0].id == 31, r.certificate_id is None),
    ),
    Case(
        "orders.get",
        lambda c: c.orders.get(9001),
        "GET",
        "/services/v2/order/certificate/9001",
        json_response(
            200,
            {
                "id": 9001,
                "status": "pending",
                "product": {"name_id": "document_signing_org_1"},
                "certificate": {"id": 44},
                "alternative_order_id": "abc",
                "requests": [{"id": 31, "status": "pending", "type": "new_request"}],
            },
        ),
        check=lambda r: (r.product_name_id == "document_signing_org_1", r.certificate_id == 44),
    ),
    Case(
        "orders.list_by_alternative_id quotes the id",
        lambda c: c.orders.list_by_alternative_id("a b/c"),
        "GET",
        "/services/v2/order/alternate/a%20b%2Fc",
        json_response(
            200,
            {
                "orders": [{"order_id": 9001, "certificate_id": 44, "status": "pending"}],
                "page": {"total": 1, "limit": 1000, "offset": 0},
            },
        ),
        query={"limit": "1000", "offset": "0"},
        check=lambda r: r[0].order_id == 9001,
    ),
    Case(
        "orders.list_by_alternative_id 404 means none",
        lambda c: c.orders.list_by_alternative_id("nothing"),
        "GET",
        "/services/v2/order/alternate/nothing",
        error_response(404, "not_found", "No orders"),
        query={"limit": "1000", "offset": "0"},
        check=lambda r: r == [],
    ),
    Case(
        "orders.update_status",
        lambda c: c.orders.update_status(9001, "canceled", "no longer needed"),
        "PUT",
        "/services/v2/order/certificate/9001/status",
        httpx.Response(204),
        body={"status": "canceled", "note": "no longer needed"},
    ),
    Case(
        "orders.update_contacts",
        lambda c: c.orders.update_contacts(
            9001,
            [
                {
                    "contact_type": "technical_contact",
                    "first_name": "Grace",
                    "last_name": "Hopper",
                    "email": "grace@example.com",
                }
            ],
        ),
        "PUT",
        "/services/v2/order/certificate/9001/contact",
        httpx.Response(204),
        body={
            "contacts": [
                {
                    "contact_type": "technical_contact",
                    "first_name": "Grace",
                    "last_name": "Hopper",
                    "email": "grace@example.com",
                }
            ]
        },
        check=lambda r: r is None,
    ),
    Case(
        "orders.get_request",
        lambda c: c.orders.get_request(31),
        "GET",
        "/services/v2/request/31",
        json_response(200, {"id": 31, "status": "pending", "type": "new_request"}),
        check=lambda r: r.type == "new_request",
    ),
    Case(
        "orders.update_request_status",
        lambda c: c.orders.update_request_status(31, "approved", "ok"),
        "PUT",
        "/services/v2/request/31/status",
        httpx.Response(204),
        body={"status": "approved", "processor_comment": "ok"},
    ),
    Case(
        "orders.revoke with approval",
        lambda c: c.orders.revoke(9001, comments="compromised"),
        "PUT",
        "/services/v2/order/certificate/9001/revoke",
        json_response(201, {"id": 32, "type": "revoke", "status": "pending"}),
        body={"comments": "compromised"},
        check=lambda r: (r.id == 32, r.type == "revoke"),
    ),
    Case(
        "orders.revoke skipping approval",
        lambda c: c.orders.revoke(9001, skip_approval=True),
        "PUT",
        "/services/v2/order/certificate/9001/revoke",
        httpx.Response(204),
        body={"skip_approval": True},
        check=lambda r: r is None,
    ),
    Case(
        "finance.balance",
        lambda c: c.finance.balance(container_id=5),
        "GET",
        "/services/v2/finance/balance",
        json_response(200, {"balance": "454.00", "currency": "USD"}),
        query={"container_id": "5"},
        check=lambda r: r.balance == Decimal("454.00"),
    ),
    Case(
        "finance.balance unlimited negative balance",
        lambda c: c.finance.balance(),
        "GET",
        "/services/v2/finance/balance",
        # API.md D1: present only when true, and then no limit and no total are given.
        json_response(
            200,
            {"balance": "-250000.00", "currency": "USD", "unlimited_negative_balance": True},
        ),
        check=lambda r: (
            r.unlimited_negative_balance is True,
            r.negative_balance_limit is None,
            r.total_available_funds is None,
            r.balance == Decimal("-250000.00"),
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_endpoint_sends_the_documented_request_and_parses_the_answer(
    case: Case, client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(case.response)
    result = case.call(client)
    assert len(recorder.requests) == 1
    request = recorder.requests[0]
    assert request.method == case.method
    assert request.url.raw_path.split(b"?")[0].decode() == case.path
    assert dict(parse_qsl(request.url.query.decode(), keep_blank_values=True)) == case.query
    assert request.headers["X-DC-DEVKEY"] == API_KEY
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("pulumi-digicert/")
    assert request.headers["User-Agent"].endswith(" (+python httpx)")
    assert "X-PARTNER-APIKEY" not in request.headers
    assert recorder.body() == case.body
    checked = case.check(result)
    if isinstance(checked, tuple):
        assert all(checked), checked
    elif isinstance(checked, bool):
        assert checked


@pytest.mark.parametrize(
    ("info", "requests"),
    [
        (ORG, ["/services/v2/organization/1001"]),
        # Info without validations (as public clients' fixtures show it): the validations are
        # read from their own endpoint instead of being taken as none.
        (
            {k: v for k, v in ORG.items() if k != "validations"},
            ["/services/v2/organization/1001", "/services/v2/organization/1001/validation"],
        ),
    ],
    ids=["info-has-them", "info-lacks-them"],
)
def test_organization_info_always_comes_with_its_validations(
    info: dict[str, Any], requests: list[str], client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(json_response(200, info))
    recorder.responses.append(
        json_response(200, {"validations": [{"type": "ev", "status": "pending"}]})
    )
    organization = client.organizations.get(1001)
    assert [r.url.path for r in recorder.requests] == requests
    assert recorder.requests[0].url.params["include_validation"] == "true"
    expected = "ov" if len(requests) == 1 else "ev"
    assert [v.type for v in organization.validations] == [expected]


def test_partner_link_sends_both_keys_to_the_partner_base_url(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(httpx.Response(204))
    assert client.partner.link_billing_account(BILLING_KEY) is None
    request = recorder.requests[0]
    assert request.method == "PUT"
    assert (
        str(request.url)
        == "https://certcentral.test/partner-subscription/api/v1/finance/account-link"
    )
    assert request.headers["X-PARTNER-APIKEY"] == PARTNER_KEY
    assert request.headers["X-DC-DEVKEY"] == BILLING_KEY
    assert request.headers["Content-Type"] == "application/json"
    assert request.content == b""


def test_partner_link_uses_the_partner_key_override(
    client: DigiCertClient, recorder: Recorder
) -> None:
    client.partner.link_billing_account(BILLING_KEY, partner_api_key="sub-account-key")
    assert recorder.requests[0].headers["X-PARTNER-APIKEY"] == "sub-account-key"


def test_partner_link_without_partner_key_names_the_setting(
    make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(settings={"partner_api_key": None})
    with pytest.raises(errors.MissingCredentialsError) as caught:
        client.partner.link_billing_account(BILLING_KEY)
    assert "digicert:partnerApiKey" in str(caught.value)
    assert "DIGICERT_PARTNER_API_KEY" in str(caught.value)
    assert recorder.requests == []


def test_call_without_api_key_names_the_setting_and_sends_nothing(
    make_client: ClientFactory, recorder: Recorder
) -> None:
    client = make_client(settings={"api_key": None})
    with pytest.raises(errors.MissingCredentialsError) as caught:
        client.organizations.get(1)
    assert "digicert:apiKey" in str(caught.value)
    assert "DIGICERT_API_KEY" in str(caught.value)
    assert recorder.requests == []


@pytest.mark.parametrize("bad_id", [0, -3, True, 1.5, "", "abc", None])
def test_numeric_path_ids_are_checked_before_sending(
    bad_id: Any, client: DigiCertClient, recorder: Recorder
) -> None:
    with pytest.raises(ValueError, match="domain_id"):
        client.domains.get(bad_id)
    assert recorder.requests == []


@pytest.mark.parametrize("bad_id", ["", "   ", None, 5])
def test_string_path_ids_are_checked_before_sending(
    bad_id: Any, client: DigiCertClient, recorder: Recorder
) -> None:
    with pytest.raises(ValueError, match="alternative_order_id"):
        client.orders.list_by_alternative_id(bad_id)
    assert recorder.requests == []


def test_product_path_segment_is_url_quoted(client: DigiCertClient, recorder: Recorder) -> None:
    recorder.responses.append(json_response(201, {"id": 1}))
    client.orders.order_document_signing("../domain?x=1", {})
    assert recorder.requests[0].url.raw_path == (
        b"/services/v2/order/certificate/..%2Fdomain%3Fx%3D1"
    )


def test_list_follows_pages_until_total(client: DigiCertClient, recorder: Recorder) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        names = [{"id": i + 1, "name": f"d{i}"} for i in range(offset, min(offset + 2, 5))]
        return json_response(200, {"domains": names, "page": {"total": 5, "offset": offset}})

    recorder.handler = handler
    domains = client.domains.list()
    assert [d.id for d in domains] == [1, 2, 3, 4, 5]
    assert [r.url.params["offset"] for r in recorder.requests] == ["0", "2", "4"]


def test_list_stops_on_an_empty_page(client: DigiCertClient, recorder: Recorder) -> None:
    recorder.responses.extend(
        [
            json_response(200, {"organizations": [{"id": 1}], "page": {"total": 10}}),
            json_response(200, {"organizations": [], "page": {"total": 10}}),
        ]
    )
    assert [o.id for o in client.organizations.list()] == [1]
    assert len(recorder.requests) == 2


def test_http_client_is_created_lazily_and_reopened_after_close(
    client: DigiCertClient, recorder: Recorder
) -> None:
    assert client._core._http is None
    client.domains.activate(1)
    assert client._core._http is not None
    client.close()
    assert client._core._http is None
    client.domains.activate(1)
    assert len(recorder.requests) == 2


def test_request_timeout_setting_reaches_httpx(make_client: ClientFactory) -> None:
    client = make_client(settings={"request_timeout": 12.5})
    timeout = client._core.http.timeout
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (12.5,) * 4


PEM_BUNDLE = (
    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n"
)


def test_certificate_download_asks_for_the_document_and_returns_its_text(
    client: DigiCertClient, recorder: Recorder
) -> None:
    # DigiCert's glossary: pem_all answers application/x-pem-file.
    recorder.responses.append(
        httpx.Response(
            200, content=PEM_BUNDLE.encode(), headers={"Content-Type": "application/x-pem-file"}
        )
    )
    assert client.orders.download_certificate(5000001) == PEM_BUNDLE
    [request] = recorder.requests
    assert request.method == "GET"
    assert request.url.path == "/services/v2/certificate/download/order/5000001/format/pem_all"
    assert request.headers["Accept"] == "*/*"
    assert request.headers["X-DC-DEVKEY"] == API_KEY


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (json_response(200, {"errors": [{"code": "x", "message": "y"}]}), "JSON instead"),
        (httpx.Response(200, content=b"\xff\xfe", headers={"Content-Type": "text/plain"}), "UTF-8"),
        (httpx.Response(204), "empty"),
    ],
    ids=["json", "not-utf8", "empty"],
)
def test_a_certificate_download_that_is_not_a_document_is_unreadable(
    client: DigiCertClient, recorder: Recorder, response: httpx.Response, reason: str
) -> None:
    recorder.responses.append(response)
    with pytest.raises(errors.InvalidResponseError) as unreadable:
        client.orders.download_certificate(5000001)
    assert reason in unreadable.value.reason


def test_a_refused_certificate_download_is_the_api_error(
    client: DigiCertClient, recorder: Recorder
) -> None:
    recorder.responses.append(error_response(404, "not_found|certificate", "No certificate."))
    with pytest.raises(errors.NotFoundError):
        client.orders.download_certificate(5000001)


def test_order_info_hides_the_hardware_init_code_from_its_repr() -> None:
    order = models.Order.model_validate({"id": 1, "hardware_init_code": "INITCODE1234"})
    assert order.hardware_init_code == "INITCODE1234"
    assert "INITCODE1234" not in repr(order)
