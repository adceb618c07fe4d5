"""Accounts: their keys and users, the balance orders spend (API.md D1), and the Partner
Subscriptions billing link and account settings (API.md E1, E2).

Every account has a container and one administrator user, and keeps its balance in cents. Keys
are stored only as a digest. Shapes of ``GET /user/me`` follow DigiCert's "User info" example
(``me`` for the key's own user); every sandbox key acts as an administrator (role 1). The
partner settings envelope (``settings[]`` of ``{name, value, is_default}``) is the sandbox's
reading of the "List account settings" page's prose.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from .errors import bad_request, not_found
from .formats import iso_time, money, parse_money
from .routes import Endpoint
from .schemas import NoBody, Query
from .store import Row, Tx

if TYPE_CHECKING:
    from .state import Ctx

DEFAULT_API_KEY = "sandbox-certcentral-key"
DEFAULT_PARTNER_API_KEY = "sandbox-partner-key"
DEFAULT_ACCOUNT_NAME = "Sandbox Account"
DEFAULT_PARTNER_NAME = "Sandbox Partner"
DEFAULT_BALANCE = "100000.00"
DEFAULT_NEGATIVE_BALANCE_LIMIT = "2000.00"
ADMINISTRATOR_ROLE = {"id": 1, "name": "Administrator"}
PARTNER_SETTINGS = ({"name": "auto_renew_subscription", "value": "0", "is_default": True},)


def key_hash(api_key: str) -> str:
    """Keys are stored only as this digest."""
    return hashlib.sha256(api_key.encode()).hexdigest()


# ------------------------------------------------------------------ accounts and keys


def create_account(tx: Tx, name: str, api_key: str, *, container_id: int | None = None) -> Row:
    account_id = tx.next_id("account")
    account: Row = {
        "id": account_id,
        "key_hash": key_hash(api_key),
        "name": name,
        "container": {"id": container_id or tx.next_id("container"), "name": name},
        "user": {
            "id": tx.next_id("user"),
            "first_name": "Sandbox",
            "last_name": "Administrator",
            "email": f"admin+{account_id}@sandbox.invalid",
        },
        "currency": "USD",
        "balance_cents": parse_money(DEFAULT_BALANCE),
        "negative_balance_limit_cents": parse_money(DEFAULT_NEGATIVE_BALANCE_LIMIT),
        "unpaid_invoice_cents": 0,
    }
    tx.put("accounts", account)
    return account


def create_partner_account(tx: Tx, name: str, partner_api_key: str, parent_id: int | None) -> Row:
    partner: Row = {
        "id": tx.next_id("partner_account"),
        "key_hash": key_hash(partner_api_key),
        "parent_id": parent_id,
        "name": name,
    }
    tx.put("partner_accounts", partner)
    return partner


def ensure_default_accounts(tx: Tx, api_key: str, partner_api_key: str) -> None:
    """The default accounts carry the configured keys (a restart may change them)."""
    accounts = tx.select("accounts", "1")
    if not accounts:
        create_account(tx, DEFAULT_ACCOUNT_NAME, api_key)
    elif by_key(tx, api_key) is None:
        first = accounts[0]
        first["key_hash"] = key_hash(api_key)
        tx.put("accounts", first)
    partners = tx.select("partner_accounts", "parent_id IS NULL")
    if not partners:
        create_partner_account(tx, DEFAULT_PARTNER_NAME, partner_api_key, None)
    elif partner_by_key(tx, partner_api_key) is None:
        first = partners[0]
        first["key_hash"] = key_hash(partner_api_key)
        tx.put("partner_accounts", first)


def by_key(tx: Tx, api_key: str) -> Row | None:
    rows = tx.select("accounts", "key_hash = ?", (key_hash(api_key),))
    return rows[0] if rows else None


def partner_by_key(tx: Tx, partner_api_key: str) -> Row | None:
    rows = tx.select("partner_accounts", "key_hash = ?", (key_hash(partner_api_key),))
    return rows[0] if rows else None


def load(ctx: Ctx, account_id: int) -> Row:
    account = ctx.tx.get("accounts", account_id)
    assert account is not None
    return account


def user(ctx: Ctx, account_id: int) -> dict[str, Any]:
    """The account's user, as requests name their requester and processor."""
    return dict(load(ctx, account_id)["user"])


def user_me(ctx: Ctx) -> dict[str, Any]:
    """``GET /user/me``: the key's own user."""
    account = ctx.account
    person = account["user"]
    container = account["container"]
    return {
        "id": person["id"],
        "username": person["email"],
        "account_id": account["id"],
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "email": person["email"],
        "status": "active",
        "container": {
            "id": container["id"],
            "name": container["name"],
            "parent_id": 0,
            "is_active": True,
        },
        "access_roles": [dict(ADMINISTRATOR_ROLE)],
        "is_cert_central": True,
        "type": "standard",
    }


# ------------------------------------------------------------------ balance


def available_funds(account: Row) -> int | None:
    """What a balance-paid order may spend; None when the negative balance is unlimited."""
    if account.get("unlimited_negative_balance"):
        return None
    return int(
        account["balance_cents"]
        + account["negative_balance_limit_cents"]
        - account["unpaid_invoice_cents"]
    )


def debit(ctx: Ctx, price_cents: int) -> None:
    """Pay ``price_cents`` from the caller's balance; 400 ``insufficient_funds`` when it cannot."""
    account = load(ctx, ctx.account_id)
    funds = available_funds(account)
    if funds is not None and price_cents > funds:
        raise bad_request("insufficient_funds", "The account balance cannot pay for this order.")
    account["balance_cents"] -= price_cents
    ctx.tx.put("accounts", account)


def refund(ctx: Ctx, order: Row) -> None:
    """Give back what a balance-paid order cost, once."""
    if order.get("paid_from_balance") and not order.get("refunded"):
        account = load(ctx, order["account_id"])
        account["balance_cents"] += order["price_cents"]
        ctx.tx.put("accounts", account)
        order["refunded"] = True


def render_balance(account: Row) -> dict[str, Any]:
    """Money as strings; with an unlimited negative balance, ``unlimited_negative_balance`` is
    true and the limit and total available funds are absent (API.md D1)."""
    rendered: dict[str, Any] = {
        "balance": money(account["balance_cents"]),
        "currency": account["currency"],
        "unpaid_invoice_balance": money(account["unpaid_invoice_cents"]),
        "used_credit_from_other_containers": "0.00",
    }
    funds = available_funds(account)
    if funds is None:
        rendered["unlimited_negative_balance"] = True
    else:
        rendered["negative_balance_limit"] = money(account["negative_balance_limit_cents"])
        rendered["total_available_funds"] = money(funds)
    return rendered


def balance(ctx: Ctx, query: Query) -> dict[str, Any]:
    container_id = query.integer("container_id")
    account = load(ctx, ctx.account_id)
    if container_id is not None and container_id != account["container"]["id"]:
        raise not_found("container", f"Container {container_id} does not exist.")
    return render_balance(account)


# ------------------------------------------------------------------ Partner Subscriptions API


def link_billing_account(ctx: Ctx, dev_key: str | None) -> None:
    """``PUT /finance/account-link``: the partner account (the caller) now bills to the
    CertCentral account whose key is sent in ``X-DC-DEVKEY``."""
    if not dev_key:
        raise bad_request(
            "missing_header|X-DC-DEVKEY",
            "Send the billing account's CertCentral API key in the X-DC-DEVKEY header.",
        )
    billing_account = by_key(ctx.tx, dev_key)
    if billing_account is None:
        raise bad_request(
            "invalid_api_key|X-DC-DEVKEY",
            "The X-DC-DEVKEY API key does not resolve to a CertCentral account.",
        )
    ctx.tx.put(
        "account_links",
        {
            "id": ctx.account["id"],
            "billing_account_id": billing_account["id"],
            "date_linked": iso_time(ctx.now),
        },
    )


def account_links(ctx: Ctx) -> list[dict[str, Any]]:
    return [
        {
            "partner_account_id": link["id"],
            "billing_account_id": link["billing_account_id"],
            "date_linked": link["date_linked"],
        }
        for link in ctx.tx.select("account_links")
    ]


def partner_account_settings(ctx: Ctx) -> dict[str, Any]:
    return {"settings": [dict(setting) for setting in PARTNER_SETTINGS]}


ENDPOINTS = [
    Endpoint("GET", "/user/me", user_me),
    Endpoint("GET", "/finance/balance", balance, query=frozenset({"container_id"})),
]
PARTNER_ENDPOINTS = [
    Endpoint(
        "PUT", "/finance/account-link", link_billing_account, body=NoBody, header="x-dc-devkey"
    ),
    Endpoint("GET", "/account/settings", partner_account_settings),
]
