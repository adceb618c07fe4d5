"""The client against the sandbox: every client method on a live server, so the client's paths,
bodies and models and the sandbox's reading of API.md are checked against each other."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from pulumi_digicert.client import DigiCertClient, errors
from pulumi_digicert.config import ProviderSettings
from pulumi_digicert.sandbox import SandboxServer

from .builders import CSR, ORGANIZATION, PRODUCT, order_body


@pytest.fixture
def client(clean_sandbox: SandboxServer) -> Iterator[DigiCertClient]:
    settings = ProviderSettings.resolve(
        {
            "digicert:apiKey": clean_sandbox.api_key,
            "digicert:baseUrl": clean_sandbox.services_url,
            "digicert:partnerApiKey": clean_sandbox.partner_api_key,
            "digicert:partnerBaseUrl": clean_sandbox.partner_url,
            "digicert:maxRetries": "0",
        },
        environ={},
    )
    with DigiCertClient(settings) as services_api:
        yield services_api


def test_organizations_round_trip(client: DigiCertClient) -> None:
    organization_id = client.organizations.create(
        {**ORGANIZATION, "validations": [{"type": "ov"}]}
    ).id
    organization = client.organizations.get(organization_id)
    assert organization.id == organization_id
    assert organization.name == ORGANIZATION["name"]
    assert organization.is_active is True
    assert organization.organization_contact is not None
    assert organization.organization_contact.email == "ada@example.com"

    listed = client.organizations.list(status="active", search="%Acme")
    assert [o.id for o in listed] == [organization_id]

    client.organizations.update_contacts(
        organization_id,
        [
            {
                "first_name": "Grace",
                "last_name": "Hopper",
                "email": "grace@example.com",
                "contact_type": "technical_contact",
            }
        ],
    )
    technical = client.organizations.get(organization_id).technical_contact
    assert technical is not None
    assert technical.email == "grace@example.com"

    client.organizations.submit_validation(organization_id, [{"type": "ds"}])
    types = {v.type for v in client.organizations.list_validations(organization_id)}
    assert {"ov", "ds"} <= types

    client.organizations.delete(organization_id)
    with pytest.raises(errors.NotFoundError):
        client.organizations.get(organization_id)


def test_domains_round_trip(client: DigiCertClient, clean_sandbox: SandboxServer) -> None:
    organization_id = client.organizations.create(ORGANIZATION).id
    created = client.domains.add(
        {
            "name": "www.example.com",
            "organization": {"id": organization_id},
            "validations": [{"type": "ov"}],
            "dcv_method": "dns-txt-token",
        }
    )
    assert created.dcv_token is not None
    assert created.dcv_token.token

    domain = client.domains.get(created.id, include_dcv=True, include_validation=True)
    assert domain.name == "example.com"  # the leading www. is stripped
    assert domain.dcv_method == "dns-txt-token"
    assert [v.type for v in domain.validations] == ["ov"]
    assert [d.id for d in client.domains.list(search="example.com")] == [created.id]

    changed = client.domains.change_dcv_method(created.id, "dns-cname-token")
    assert changed.dcv_token is not None
    assert changed.dcv_token.verification_value
    renewed = client.domains.new_dcv_token(created.id)
    assert renewed.token
    assert renewed.token != changed.dcv_token.token

    with pytest.raises(errors.BadRequestError) as not_found_yet:
        client.domains.check_dcv(created.id)
    assert not_found_yet.value.codes == ["invalid_dns_cname"]
    clean_sandbox.control.complete_dcv(created.id)
    assert client.domains.check_dcv(created.id).status in ("active", "complete")

    assert client.domains.submit_validation(created.id, ["ev"]) is None
    with_method = client.domains.submit_validation(created.id, ["ov"], dcv_method="dns-txt-token")
    assert with_method is not None
    assert with_method.dcv_token is not None

    client.domains.deactivate(created.id)
    assert client.domains.get(created.id).is_active is False
    client.domains.activate(created.id)
    assert client.domains.get(created.id).is_active is True


def test_orders_round_trip(client: DigiCertClient, clean_sandbox: SandboxServer) -> None:
    organization_id = client.organizations.create(ORGANIZATION).id
    assert client.orders.list_by_alternative_id("nothinghere") == []

    created = client.orders.order_document_signing(
        PRODUCT, order_body(organization_id, alternative_order_id="roundtrip")
    )
    assert created.requests
    request_id = created.requests[0].id
    assert request_id is not None

    order = client.orders.get(created.id)
    assert order.id == created.id
    assert order.status == "needs_approval"
    found = client.orders.list_by_alternative_id("roundtrip")
    assert [(o.order_id, o.status) for o in found] == [(created.id, "needs_approval")]

    request = client.orders.get_request(request_id)
    assert request.status == "pending"
    client.orders.update_request_status(request_id, "approved", processor_comment="ok")
    assert client.orders.get(created.id).status == "pending"

    client.orders.update_status(created.id, "canceled", note="no longer needed")
    assert client.orders.get(created.id).status == "canceled"


def test_revoke_an_issued_order(client: DigiCertClient, clean_sandbox: SandboxServer) -> None:
    organization_id = client.organizations.create(ORGANIZATION).id
    body = order_body(
        organization_id, skip_approval=True, certificate={"signature_hash": "sha256", "csr": CSR}
    )
    created = client.orders.order_document_signing(PRODUCT, body)
    clean_sandbox.control.advance_order(created.id, "issue")
    request = client.orders.revoke(created.id, comments="key lost")
    # Without skip_approval: 201 with the revoke request, awaiting approval (API.md C7).
    assert request is not None
    assert request.type == "revoke"
    assert request.status == "pending"
    assert client.orders.get(created.id).status == "issued"


def test_revoke_with_skip_approval_revokes_at_once(
    client: DigiCertClient, clean_sandbox: SandboxServer
) -> None:
    organization_id = client.organizations.create(ORGANIZATION).id
    body = order_body(
        organization_id, skip_approval=True, certificate={"signature_hash": "sha256", "csr": CSR}
    )
    created = client.orders.order_document_signing(PRODUCT, body)
    clean_sandbox.control.advance_order(created.id, "issue")
    # With skip_approval: 204, no request to approve, the order is revoked (API.md C7).
    assert client.orders.revoke(created.id, comments="key lost", skip_approval=True) is None
    assert client.orders.get(created.id).status == "revoked"


def test_balance_is_debited_by_an_order_paid_from_balance(client: DigiCertClient) -> None:
    before = client.finance.balance()
    assert before.currency == "USD"
    organization_id = client.organizations.create(ORGANIZATION).id
    client.orders.order_document_signing(PRODUCT, order_body(organization_id))
    after = client.finance.balance()
    assert Decimal(str(after.balance)) < Decimal(str(before.balance))


def test_partner_link_with_both_keys(client: DigiCertClient, clean_sandbox: SandboxServer) -> None:
    billing = clean_sandbox.control.create_account("Billing")
    client.partner.link_billing_account(billing["api_key"])
    links = clean_sandbox.control.account_links()["links"]
    assert billing["account_id"] in {link["billing_account_id"] for link in links}
    with pytest.raises(errors.DigiCertError) as refused:
        client.partner.link_billing_account("NOTAKEY000000000000")
    assert "NOTAKEY000000000000" not in str(refused.value)


def test_a_wrong_key_is_an_authentication_error(clean_sandbox: SandboxServer) -> None:
    settings = ProviderSettings.resolve(
        {"digicert:apiKey": "WRONGKEY0000000000", "digicert:baseUrl": clean_sandbox.services_url},
        environ={},
    )
    with (
        DigiCertClient(settings) as services_api,
        pytest.raises(errors.AuthenticationError) as raised,
    ):
        services_api.organizations.list()
    # CertCentral answers 403 access_denied|access_denied_invalid_key: a key it does not
    # accept, never a permission the key lacks.
    assert raised.value.status == 403
    assert raised.value.codes == ["access_denied"]
    assert str(raised.value).endswith("set digicert:apiKey (or DIGICERT_API_KEY) to an active key.")
    assert "WRONGKEY" not in str(raised.value)
