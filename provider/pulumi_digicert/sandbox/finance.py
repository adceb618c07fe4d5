"""Account balance (API.md D1) and the Partner Subscriptions billing link (API.md E1)."""

from __future__ import annotations

from typing import Any

from .context import Ctx
from .errors import not_found
from .orders import available_funds
from .schemas import Query
from .store import Row
from .values import iso_time, money

BALANCE_PARAMETERS = {"container_id"}


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
    account = ctx.tx.get("accounts", ctx.account_id)
    assert account is not None
    if container_id is not None and container_id != account["container"]["id"]:
        raise not_found("container", f"Container {container_id} does not exist.")
    return render_balance(account)


def link_billing_account(ctx: Ctx, partner_account: Row, billing_account: Row) -> None:
    """``PUT /finance/account-link``: the partner account now bills to this CertCentral account."""
    ctx.tx.put(
        "account_links",
        {
            "id": partner_account["id"],
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
