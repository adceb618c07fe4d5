"""The control API under ``/_sandbox/``: what tests and demos use to drive the sandbox.

It is not part of CertCentral: no API key, no rate limit, never counted in the traffic stats,
never hit by injected faults. It answers JSON, with the same error envelope as the API.

It can create accounts and hand back their keys, so :class:`ControlGuard` lets through only the
process that started the sandbox, never a web page or another local user: every request carries
the token printed at start (``Authorization: Bearer <token>``), is addressed to a loopback name or
the address the sandbox is bound to (a page that rebinds its own DNS name to 127.0.0.1 still
sends its own name as Host), comes from no other web origin, and sends JSON (a cross-site form
or ``text/plain`` POST is refused).
"""

from __future__ import annotations

import hmac
import math
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal
from urllib.parse import urlsplit

from pydantic import Field

from . import accounts, domains, order_lifecycle, organizations
from .errors import ApiError, bad_request, not_found
from .faults import FaultRegistry, FaultSpecError, TrafficStats
from .formats import iso_time, parse_money
from .routes import Call, Reply, Router, as_row_id
from .schemas import Body, ValidationType, parse
from .state import MAX_CLOCK_OFFSET, Backend, SettingsError
from .store import Row

if TYPE_CHECKING:
    from .app import RateLimiter

CONTROL_PREFIX = "/_sandbox"
CONTROL_TOKEN_ENV: Final = "DIGICERT_SANDBOX_CONTROL_TOKEN"  # noqa: S105 - a variable name
"""Where ``digicert-sandbox`` and :class:`~pulumi_digicert.sandbox.SandboxControl` read the
control token when none is given."""
LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_KEY_LENGTH: Final = 200


def new_control_token() -> str:
    return secrets.token_urlsafe(24)


def check_control_token(token: str) -> str:
    """The token, or ValueError when it could not travel in a header."""
    if not token or len(token) > MAX_KEY_LENGTH or not _printable_ascii(token):
        raise ValueError(
            f"the control token must be 1 to {MAX_KEY_LENGTH} printable ASCII characters"
        )
    return token


def _printable_ascii(text: str) -> bool:
    return all(" " < character <= "~" for character in text)


def host_name(value: str) -> str:
    """The host of a Host header or an address: ``[::1]:8787`` -> ``::1``, lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:  # host:port (a bare IPv6 address has more colons)
        value = value.split(":", 1)[0]
    return value.rstrip(".")


class ControlGuard:
    """Decides who may use the control API (see the module docstring)."""

    def __init__(self, token: str, hosts: Iterable[str] = ()) -> None:
        self._token = check_control_token(token).encode()
        self.allowed_hosts = LOOPBACK_HOSTS | {host_name(host) for host in hosts if host}

    def check(self, call: Call, local_address: str | None = None) -> None:
        """Raise the ApiError to answer, or return when the request may go on.

        ``local_address`` is the address the connection arrived on: with the sandbox bound to
        every interface, that is the address the caller typed.
        """
        allowed = self.allowed_hosts | ({host_name(local_address)} if local_address else set())
        if host_name(call.headers.get("host", "")) not in allowed:
            raise ApiError(
                403,
                "forbidden|host",
                "The control API answers only requests addressed to a loopback name "
                "(localhost, 127.0.0.1, [::1]) or the address the sandbox is bound to.",
            )
        origin = call.headers.get("origin")
        if origin is not None and (urlsplit(origin).hostname or "") not in allowed:
            raise ApiError(
                403,
                "forbidden|origin",
                "The control API refuses requests sent by a web page of another origin.",
            )
        scheme, _, token = call.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode("latin-1"), self._token
        ):
            raise ApiError(
                401,
                "unauthorized|control_token",
                "The control API needs the token digicert-sandbox printed at start, sent as "
                f"Authorization: Bearer <token> (SandboxControl reads {CONTROL_TOKEN_ENV}).",
            )
        content_type = call.headers.get("content-type")
        media_type = (content_type or "").split(";", 1)[0].strip().lower()
        if (content_type is not None or call.body.strip()) and media_type != "application/json":
            raise ApiError(
                415,
                "unsupported_media_type",
                "The control API accepts JSON only: send Content-Type: application/json.",
            )


ApiKeyText = Annotated[str, Field(min_length=1, max_length=MAX_KEY_LENGTH, pattern=r"^[!-~]+$")]
Name = Annotated[str, Field(min_length=1, max_length=128)]
RowId = Annotated[int, Field(ge=1, lt=2**63)]


class ClockAdvance(Body):
    advance_seconds: float


class OrderAdvance(Body):
    action: Literal["approve", "issue", "reject", "cancel", "revoke", "expire", "reissue"]


class OrderStatus(Body):
    status: Annotated[str, Field(pattern=r"^[A-Za-z_]{1,32}$")]


class OrganizationImport(Body):
    """An organization as it already exists in an account, e.g. the ids a documented example
    names (``334455``)."""

    name: str
    address: str
    city: str
    state: str
    zip: str
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
    id: Annotated[int, Field(gt=0, lt=2**63)] | None = None
    account_id: int | None = None
    status: Literal["active", "inactive"] = "active"


class DcvResult(Body):
    result: Literal["complete", "fail"] = "complete"


class OrganizationValidationResult(Body):
    type: ValidationType
    result: Literal["complete", "fail"] = "complete"


class OrganizationStatus(Body):
    status: Literal["active", "inactive"]


class DnsRecord(Body):
    name: str
    type: Literal["TXT", "CNAME"]
    value: str


class DnsSelection(Body):
    name: str | None = None
    type: Literal["TXT", "CNAME"] | None = None
    value: str | None = None


class AccountCreate(Body):
    name: Name
    api_key: ApiKeyText | None = None
    container_id: RowId | None = None


class SubaccountCreate(Body):
    name: Name
    partner_api_key: ApiKeyText | None = None


class BalanceUpdate(Body):
    balance: str | None = None
    negative_balance_limit: str | None = None
    unlimited_negative_balance: bool | None = None
    account_id: RowId | None = None


def _money_cents(value: str, name: str) -> int:
    try:
        return parse_money(value)
    except ValueError:
        raise bad_request(f"invalid_field|{name}", f'{name} must look like "454.00".') from None


class ControlApi:
    def __init__(
        self,
        backend: Backend,
        faults: FaultRegistry,
        stats: TrafficStats,
        limiter: RateLimiter,
    ) -> None:
        self.backend = backend
        self.faults = faults
        self.stats = stats
        self.limiter = limiter
        self.router = Router(CONTROL_PREFIX)
        add = self.router.add
        add("POST", "/reset", self.reset)
        add("GET", "/settings", self.get_settings)
        add("PUT", "/settings", self.put_settings)
        add("GET", "/clock", self.get_clock)
        add("POST", "/clock", self.advance_clock)
        add("GET", "/orders", self.list_orders)
        add("POST", "/orders/{order_id}/advance", self.advance_order)
        add("PUT", "/orders/{order_id}/status", self.set_order_status)
        add("POST", "/organizations", self.import_organization)
        add("POST", "/domains/{domain_id}/dcv", self.finish_dcv)
        add("POST", "/organizations/{organization_id}/validation", self.finish_org_validation)
        add("POST", "/organizations/{organization_id}/status", self.set_organization_status)
        add("GET", "/dns", self.list_dns)
        add("POST", "/dns", self.publish_dns)
        add("DELETE", "/dns", self.delete_dns)
        add("POST", "/accounts", self.create_account)
        add("POST", "/partner/subaccounts", self.create_subaccount)
        add("GET", "/partner/links", self.list_links)
        add("GET", "/faults", self.list_faults)
        add("POST", "/faults", self.add_fault)
        add("DELETE", "/faults", self.clear_faults)
        add("GET", "/stats", self.get_stats)
        add("DELETE", "/stats", self.reset_stats)
        add("GET", "/balance", self.get_balance)
        add("PUT", "/balance", self.put_balance)

    # ------------------------------------------------------------ state

    def reset(self, call: Call) -> Reply:
        self.backend.reset()
        self.faults.clear()
        self.stats.reset()
        self.limiter.reset()
        return Reply(200, {"reset": True})

    def get_settings(self, call: Call) -> Reply:
        return Reply(200, self.backend.settings.to_json())

    def put_settings(self, call: Call) -> Reply:
        changes = call.json()
        if not isinstance(changes, dict):
            raise bad_request("bad_request_format", "Send a JSON object of settings.")
        try:
            return Reply(200, self.backend.update_settings(changes).to_json())
        except SettingsError as exc:
            raise bad_request("invalid_setting", str(exc)) from None

    def get_clock(self, call: Call) -> Reply:
        now = self.backend.now()
        return Reply(200, {"now": iso_time(now), "timestamp": now})

    def advance_clock(self, call: Call) -> Reply:
        body = parse(ClockAdvance, call.json())
        seconds = body.advance_seconds
        if not math.isfinite(seconds) or seconds < 0:
            raise bad_request(
                "invalid_field|advance_seconds", "The clock only moves forward, by a number."
            )
        if self.backend.clock_offset + seconds > MAX_CLOCK_OFFSET:
            raise bad_request(
                "invalid_field|advance_seconds",
                "The sandbox clock runs at most 100 years ahead of real time.",
            )
        now = self.backend.advance_clock(seconds)
        return Reply(200, {"now": iso_time(now), "timestamp": now})

    # ------------------------------------------------------------ orders, DCV, validation

    def list_orders(self, call: Call) -> Reply:
        with self.backend.transaction() as ctx:
            rows = ctx.tx.select("orders")
            return Reply(
                200, {"orders": [order_lifecycle.control_summary(ctx, row) for row in rows]}
            )

    def advance_order(self, call: Call) -> Reply:
        order_id = call.int_param("order_id", "order")
        body = parse(OrderAdvance, call.json())
        with self.backend.transaction() as ctx:
            return Reply(200, order_lifecycle.control_advance(ctx, order_id, body.action))

    def set_order_status(self, call: Call) -> Reply:
        order_id = call.int_param("order_id", "order")
        body = parse(OrderStatus, call.json())
        with self.backend.transaction() as ctx:
            return Reply(200, order_lifecycle.control_set_status(ctx, order_id, body.status))

    def import_organization(self, call: Call) -> Reply:
        body = parse(OrganizationImport, call.json())
        account_id = body.account_id or self.backend.default_account_id()
        with self.backend.transaction() as ctx:
            if ctx.tx.get("accounts", account_id) is None:
                raise not_found("account")
            if body.id is not None and ctx.tx.get("organizations", body.id) is not None:
                raise bad_request("invalid_field|id", "An organization already has that id.")
            organization = organizations.import_existing(
                ctx, account_id, body.model_dump(exclude={"account_id"})
            )
        return Reply(201, {"id": organization["id"], "account_id": account_id})

    def finish_dcv(self, call: Call) -> Reply:
        domain_id = call.int_param("domain_id", "domain")
        body = parse(DcvResult, call.json())
        with self.backend.transaction() as ctx:
            domains.finish_dcv(ctx, domain_id, body.result)
        return Reply(200, {"domain_id": domain_id, "result": body.result})

    def finish_org_validation(self, call: Call) -> Reply:
        organization_id = call.int_param("organization_id", "organization")
        body = parse(OrganizationValidationResult, call.json())
        with self.backend.transaction() as ctx:
            organizations.finish_validation(ctx, organization_id, body.type, body.result)
        return Reply(200, {"organization_id": organization_id, **body.model_dump()})

    def set_organization_status(self, call: Call) -> Reply:
        organization_id = call.int_param("organization_id", "organization")
        body = parse(OrganizationStatus, call.json())
        with self.backend.transaction() as ctx:
            organizations.set_status(ctx, organization_id, body.status)
        return Reply(200, {"organization_id": organization_id, "status": body.status})

    # ------------------------------------------------------------ DNS

    def list_dns(self, call: Call) -> Reply:
        with self.backend.transaction() as ctx:
            rows = ctx.tx.execute("SELECT name, type, value FROM dns_records ORDER BY name")
            records = [{"name": n, "type": t, "value": v} for n, t, v in rows.fetchall()]
        return Reply(200, {"records": records})

    def publish_dns(self, call: Call) -> Reply:
        record = parse(DnsRecord, call.json())
        name = domains.normalise_dns_name(record.name)
        with self.backend.transaction() as ctx:
            ctx.tx.execute(
                "INSERT OR IGNORE INTO dns_records (name, type, value) VALUES (?, ?, ?)",
                (name, record.type, record.value.strip()),
            )
        return Reply(200, {"name": name, "type": record.type, "value": record.value.strip()})

    def delete_dns(self, call: Call) -> Reply:
        selection = parse(DnsSelection, call.json())
        clauses: list[str] = []
        params: list[Any] = []
        if selection.name is not None:
            clauses.append("name = ?")
            params.append(domains.normalise_dns_name(selection.name))
        if selection.type is not None:
            clauses.append("type = ?")
            params.append(selection.type)
        if selection.value is not None:
            clauses.append("value = ?")
            params.append(selection.value.strip())
        with self.backend.transaction() as ctx:
            ctx.tx.delete("dns_records", " AND ".join(clauses) or "1", tuple(params))
        return Reply(200, {"deleted": True})

    # ------------------------------------------------------------ accounts

    def create_account(self, call: Call) -> Reply:
        body = parse(AccountCreate, call.json())
        api_key = body.api_key or f"sandbox-key-{secrets.token_hex(16)}"
        if self.backend.account_for_key(api_key) is not None:
            raise bad_request("invalid_field|api_key", "That API key is already in use.")
        with self.backend.transaction() as ctx:
            account = accounts.create_account(
                ctx.tx, body.name, api_key, container_id=body.container_id
            )
        return Reply(
            201,
            {
                "account_id": account["id"],
                "api_key": api_key,
                "container_id": account["container"]["id"],
            },
        )

    def create_subaccount(self, call: Call) -> Reply:
        body = parse(SubaccountCreate, call.json())
        partner_key = body.partner_api_key or f"sandbox-partner-{secrets.token_hex(16)}"
        if self.backend.partner_account_for_key(partner_key) is not None:
            raise bad_request("invalid_field|partner_api_key", "That key is already in use.")
        parent = self.backend.partner_account_for_key(self.backend.partner_api_key)
        with self.backend.transaction() as ctx:
            account = accounts.create_partner_account(
                ctx.tx, body.name, partner_key, parent["id"] if parent else None
            )
        return Reply(201, {"account_id": account["id"], "partner_api_key": partner_key})

    def list_links(self, call: Call) -> Reply:
        with self.backend.transaction() as ctx:
            return Reply(200, {"links": accounts.account_links(ctx)})

    # ------------------------------------------------------------ faults and stats

    def list_faults(self, call: Call) -> Reply:
        return Reply(200, {"faults": self.faults.describe()})

    def add_fault(self, call: Call) -> Reply:
        spec = call.json()
        if not isinstance(spec, dict):
            raise bad_request("bad_request_format", "Send a JSON object describing the fault.")
        try:
            fault = self.faults.add(spec)
        except FaultSpecError as exc:
            raise bad_request("invalid_fault", str(exc)) from None
        return Reply(201, {"fault": fault.describe()})

    def clear_faults(self, call: Call) -> Reply:
        self.faults.clear()
        return Reply(200, {"faults": []})

    def get_stats(self, call: Call) -> Reply:
        return Reply(200, self.stats.snapshot())

    def reset_stats(self, call: Call) -> Reply:
        self.stats.reset()
        return Reply(200, self.stats.snapshot())

    # ------------------------------------------------------------ balance

    def _account(self, account_id: int | None) -> Row:
        if account_id is None:
            account = self.backend.account_for_key(self.backend.api_key)
        else:
            with self.backend.transaction() as ctx:
                account = ctx.tx.get("accounts", account_id)
        if account is None:
            raise not_found("account")
        return account

    def get_balance(self, call: Call) -> Reply:
        raw = call.query.get("account_id")
        account_id = as_row_id(raw) if raw is not None else None
        if raw is not None and not account_id:
            raise bad_request(
                "invalid_field|account_id", "account_id must be a positive integer below 2^63."
            )
        account = self._account(account_id)
        return Reply(200, {"account_id": account["id"], **accounts.render_balance(account)})

    def put_balance(self, call: Call) -> Reply:
        body = parse(BalanceUpdate, call.json())
        account_id = self._account(body.account_id)["id"]
        with self.backend.transaction() as ctx:
            account = ctx.tx.get("accounts", account_id)
            assert account is not None
            if body.balance is not None:
                account["balance_cents"] = _money_cents(body.balance, "balance")
            if body.negative_balance_limit is not None:
                account["negative_balance_limit_cents"] = _money_cents(
                    body.negative_balance_limit, "negative_balance_limit"
                )
            if body.unlimited_negative_balance is not None:
                account["unlimited_negative_balance"] = body.unlimited_negative_balance
            ctx.tx.put("accounts", account)
        return Reply(200, {"account_id": account["id"], **accounts.render_balance(account)})
