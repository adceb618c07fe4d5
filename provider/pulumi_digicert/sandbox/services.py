"""Routes of the CertCentral Services API v2 and the Partner Subscriptions API.

Each handler parses the request (schemas), runs one operation in one transaction (the area
modules) and shapes the reply; nothing else.
"""

from __future__ import annotations

from . import domains, finance, lookups, orders, organizations
from .backend import Backend
from .errors import ApiError, bad_request, unauthorized
from .routing import Call, Reply, Router
from .schemas import (
    Body,
    ContactsUpdate,
    DcvMethodChange,
    DcvTokenCreate,
    DocumentSigningOrder,
    DomainAdd,
    DomainValidationSubmit,
    OrderContactsUpdate,
    OrderStatusUpdate,
    OrganizationCreate,
    OrganizationValidationSubmit,
    Query,
    RequestStatusUpdate,
    RevokeOrder,
    parse,
)

SERVICES_PREFIX = "/services/v2"
PARTNER_PREFIX = "/partner-subscription/api/v1"
PAGE_PARAMETERS = {"offset", "limit"}


class NoBody(Body):
    """Endpoints documented without a body accept none (or ``{}``)."""


ROUTES: list[tuple[str, str, str]] = [
    # (method, path template under /services/v2, handler)
    ("POST", "/organization", "create_organization"),
    ("GET", "/organization", "list_organizations"),
    ("GET", "/organization/{organization_id}", "organization_info"),
    ("DELETE", "/organization/{organization_id}", "delete_organization"),
    ("PUT", "/organization/{organization_id}/contact", "update_contacts"),
    ("POST", "/organization/{organization_id}/validation", "submit_org_validation"),
    ("GET", "/organization/{organization_id}/validation", "list_org_validations"),
    ("POST", "/domain", "add_domain"),
    ("GET", "/domain", "list_domains"),
    ("GET", "/domain/{domain_id}", "domain_info"),
    ("PUT", "/domain/{domain_id}/dcv/method", "change_dcv_method"),
    ("PUT", "/domain/{domain_id}/dcv/validate-token", "check_dcv"),
    ("POST", "/domain/{domain_id}/dcv/token", "new_dcv_token"),
    ("POST", "/domain/{domain_id}/validation", "submit_domain_validation"),
    ("PUT", "/domain/{domain_id}/activate", "activate_domain"),
    ("PUT", "/domain/{domain_id}/deactivate", "deactivate_domain"),
    ("POST", "/order/certificate/{product}", "order_certificate"),
    ("GET", "/order/certificate/{order_id}", "order_info"),
    ("PUT", "/order/certificate/{order_id}/status", "update_order_status"),
    ("PUT", "/order/certificate/{order_id}/contact", "update_order_contacts"),
    ("PUT", "/order/certificate/{order_id}/revoke", "revoke_order"),
    ("GET", "/order/alternate/{alternative_order_id}", "orders_by_alternative_id"),
    (
        "GET",
        "/certificate/download/order/{order_id}/format/{format_type}",
        "download_certificate",
    ),
    ("GET", "/request/{request_id}", "request_info"),
    ("PUT", "/request/{request_id}/status", "update_request_status"),
    ("GET", "/finance/balance", "balance"),
]


class ServicesApi:
    """``/services/v2``: routes to operations, for the account that owns the key."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.router = Router(SERVICES_PREFIX)
        for method, template, handler in ROUTES:
            self.router.add(method, template, getattr(self, handler))
        lookups.register(self.router, backend)

    # ------------------------------------------------------------ organizations

    def create_organization(self, call: Call) -> Reply:
        Query(call.query, set())
        body = parse(OrganizationCreate, call.json())
        with self.backend.transaction(call.account) as ctx:
            return Reply(201, {"id": organizations.create(ctx, body)})

    def list_organizations(self, call: Call) -> Reply:
        query = Query(call.query, organizations.LIST_PARAMETERS)
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, organizations.list_organizations(ctx, query))

    def organization_info(self, call: Call) -> Reply:
        query = Query(call.query, {"include_validation"})
        organization_id = call.int_param("organization_id", "organization")
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, organizations.info(ctx, organization_id, query))

    def delete_organization(self, call: Call) -> Reply:
        Query(call.query, set())
        parse(NoBody, call.json())
        organization_id = call.int_param("organization_id", "organization")
        with self.backend.transaction(call.account) as ctx:
            organizations.delete(ctx, organization_id)
        return Reply(204)

    def update_contacts(self, call: Call) -> Reply:
        Query(call.query, set())
        organization_id = call.int_param("organization_id", "organization")
        body = parse(ContactsUpdate, call.json())
        with self.backend.transaction(call.account) as ctx:
            organizations.update_contacts(ctx, organization_id, body)
        return Reply(204)

    def submit_org_validation(self, call: Call) -> Reply:
        Query(call.query, set())
        organization_id = call.int_param("organization_id", "organization")
        body = parse(OrganizationValidationSubmit, call.json())
        with self.backend.transaction(call.account) as ctx:
            organizations.submit_validation(ctx, organization_id, body)
        return Reply(204)

    def list_org_validations(self, call: Call) -> Reply:
        Query(call.query, set())
        organization_id = call.int_param("organization_id", "organization")
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, organizations.list_validations(ctx, organization_id))

    # ------------------------------------------------------------ domains

    def add_domain(self, call: Call) -> Reply:
        Query(call.query, set())
        body = parse(DomainAdd, call.json())
        with self.backend.transaction(call.account) as ctx:
            return Reply(201, domains.add(ctx, body))

    def list_domains(self, call: Call) -> Reply:
        query = Query(call.query, domains.LIST_PARAMETERS)
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, domains.list_domains(ctx, query))

    def domain_info(self, call: Call) -> Reply:
        query = Query(call.query, domains.INFO_PARAMETERS)
        domain_id = call.int_param("domain_id", "domain")
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, domains.info(ctx, domain_id, query))

    def change_dcv_method(self, call: Call) -> Reply:
        Query(call.query, set())
        domain_id = call.int_param("domain_id", "domain")
        body = parse(DcvMethodChange, call.json())
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, domains.change_dcv_method(ctx, domain_id, body))

    def check_dcv(self, call: Call) -> Reply:
        Query(call.query, set())
        domain_id = call.int_param("domain_id", "domain")
        parse(NoBody, call.json())
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, domains.check_dcv(ctx, domain_id))

    def new_dcv_token(self, call: Call) -> Reply:
        Query(call.query, set())
        domain_id = call.int_param("domain_id", "domain")
        parse(DcvTokenCreate, call.json())
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, domains.new_dcv_token(ctx, domain_id))

    def submit_domain_validation(self, call: Call) -> Reply:
        Query(call.query, set())
        domain_id = call.int_param("domain_id", "domain")
        body = parse(DomainValidationSubmit, call.json())
        with self.backend.transaction(call.account) as ctx:
            created = domains.submit_validation(ctx, domain_id, body)
        return Reply(204) if created is None else Reply(201, created)

    def activate_domain(self, call: Call) -> Reply:
        return self._set_domain_active(call, True)

    def deactivate_domain(self, call: Call) -> Reply:
        return self._set_domain_active(call, False)

    def _set_domain_active(self, call: Call, active: bool) -> Reply:
        Query(call.query, set())
        domain_id = call.int_param("domain_id", "domain")
        parse(NoBody, call.json())
        with self.backend.transaction(call.account) as ctx:
            domains.set_active(ctx, domain_id, active)
        return Reply(204)

    # ------------------------------------------------------------ orders

    def order_certificate(self, call: Call) -> Reply:
        Query(call.query, set())
        product = call.params["product"]
        orders.check_product(product)
        body = parse(DocumentSigningOrder, call.json())
        with self.backend.transaction(call.account) as ctx:
            return Reply(201, orders.create(ctx, product, body))

    def order_info(self, call: Call) -> Reply:
        Query(call.query, {"include_caa_status"})
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, orders.info(ctx, call.params["order_id"]))

    def update_order_status(self, call: Call) -> Reply:
        Query(call.query, set())
        order_id = call.int_param("order_id", "order")
        body = parse(OrderStatusUpdate, call.json())
        with self.backend.transaction(call.account) as ctx:
            orders.update_status(ctx, order_id, body)
        return Reply(204)

    def update_order_contacts(self, call: Call) -> Reply:
        Query(call.query, set())
        order_id = call.int_param("order_id", "order")
        body = parse(OrderContactsUpdate, call.json())
        with self.backend.transaction(call.account) as ctx:
            orders.update_contacts(ctx, order_id, body)
        return Reply(204)

    def revoke_order(self, call: Call) -> Reply:
        Query(call.query, set())
        order_id = call.int_param("order_id", "order")
        body = parse(RevokeOrder, call.json())
        with self.backend.transaction(call.account) as ctx:
            request = orders.revoke(ctx, order_id, body)
        return Reply(204) if request is None else Reply(201, request)

    def orders_by_alternative_id(self, call: Call) -> Reply:
        query = Query(call.query, PAGE_PARAMETERS)
        with self.backend.transaction(call.account) as ctx:
            return Reply(
                200, orders.by_alternative_id(ctx, call.params["alternative_order_id"], query)
            )

    def download_certificate(self, call: Call) -> Reply:
        Query(call.query, set())
        order_id = call.int_param("order_id", "order")
        with self.backend.transaction(call.account) as ctx:
            pem = orders.download(ctx, order_id, call.params["format_type"])
        return Reply(200, pem, media_type="application/x-pem-file")

    def request_info(self, call: Call) -> Reply:
        Query(call.query, set())
        request_id = call.int_param("request_id", "request")
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, orders.request_info(ctx, request_id))

    def update_request_status(self, call: Call) -> Reply:
        Query(call.query, set())
        request_id = call.int_param("request_id", "request")
        body = parse(RequestStatusUpdate, call.json())
        with self.backend.transaction(call.account) as ctx:
            orders.update_request_status(ctx, request_id, body)
        return Reply(204)

    # ------------------------------------------------------------ finance

    def balance(self, call: Call) -> Reply:
        query = Query(call.query, finance.BALANCE_PARAMETERS)
        with self.backend.transaction(call.account) as ctx:
            return Reply(200, finance.balance(ctx, query))


class PartnerApi:
    """``/partner-subscription/api/v1``: the billing link."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.router = Router(PARTNER_PREFIX)
        self.router.add("PUT", "/finance/account-link", self.link_billing_account)
        lookups.register_partner(self.router, backend)

    def link_billing_account(self, call: Call) -> Reply:
        Query(call.query, set())
        parse(NoBody, call.json())
        dev_key = call.headers.get("x-dc-devkey")
        if not dev_key:
            raise bad_request(
                "missing_header|X-DC-DEVKEY",
                "Send the billing account's CertCentral API key in the X-DC-DEVKEY header.",
            )
        billing_account = self.backend.account_for_key(dev_key)
        if billing_account is None:
            raise bad_request(
                "invalid_api_key|X-DC-DEVKEY",
                "The X-DC-DEVKEY API key does not resolve to a CertCentral account.",
            )
        with self.backend.transaction() as ctx:
            finance.link_billing_account(ctx, call.account, billing_account)
        return Reply(204)


def missing_key(header: str) -> ApiError:
    """The Partner API's answer to a missing or unknown key (401, seed 002)."""
    return unauthorized(f"Authentication failed: missing or invalid {header} header.")


def invalid_key() -> ApiError:
    """CertCentral's answer to an unknown or revoked key, as recorded from the live API:
    403 ``access_denied|access_denied_invalid_key``. A missing key is answered the same way
    (a guess: no recorded exchange shows it)."""
    return ApiError(
        403, "access_denied|access_denied_invalid_key", "Access denied: invalid API key."
    )
