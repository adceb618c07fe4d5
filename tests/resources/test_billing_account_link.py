"""BillingAccountLink provider methods against a real sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pulumi_digicert.client import errors
from pulumi_digicert.resources import BillingAccountLinkProvider


@pytest.fixture
def links(configured: Callable[..., Any]) -> BillingAccountLinkProvider:
    provider: BillingAccountLinkProvider = configured(BillingAccountLinkProvider)
    return provider


@pytest.fixture
def billing(sandbox: Any) -> dict[str, Any]:
    """A billing account in the sandbox: its ``account_id`` and ``api_key``."""
    account: dict[str, Any] = sandbox.control.create_account("Billing")
    return account


def test_create_links_and_stores_only_fingerprints(
    links: BillingAccountLinkProvider, billing: dict[str, Any], sandbox: Any
) -> None:
    result = links.create({"billing_account_api_key": billing["api_key"]})
    assert result.outs is not None
    assert result.outs["linked"] is True
    assert billing["api_key"] not in repr(result.outs)
    links = sandbox.control.account_links()["links"]
    assert billing["account_id"] in {link["billing_account_id"] for link in links}


def test_update_relinks_to_another_account(links: BillingAccountLinkProvider, sandbox: Any) -> None:
    first = sandbox.control.create_account("First")
    second = sandbox.control.create_account("Second")
    created = links.create({"billing_account_api_key": first["api_key"]})
    assert created.outs is not None
    news = {"billing_account_api_key": second["api_key"]}
    assert links.diff(created.id, created.outs, news).changes is True
    updated = links.update(created.id, created.outs, news)
    assert updated.outs is not None
    assert links.diff(created.id, updated.outs, news).changes is False
    links = sandbox.control.account_links()["links"]
    assert second["account_id"] in {link["billing_account_id"] for link in links}


def test_a_subaccount_key_links_the_subaccount(
    links: BillingAccountLinkProvider, billing: dict[str, Any], sandbox: Any
) -> None:
    sub = sandbox.control.create_partner_subaccount("Sub")
    links.create(
        {"billing_account_api_key": billing["api_key"], "partner_api_key": sub["partner_api_key"]}
    )
    links = sandbox.control.account_links()["links"]
    assert {
        "partner_account_id": sub["account_id"],
        "billing_account_id": billing["account_id"],
    } in [{k: link[k] for k in ("partner_account_id", "billing_account_id")} for link in links]


def test_an_unknown_billing_key_fails_without_echoing_it(links: BillingAccountLinkProvider) -> None:
    with pytest.raises(errors.DigiCertError) as raised:
        links.create({"billing_account_api_key": "NOSUCHKEY0123456789"})
    assert "NOSUCHKEY0123456789" not in str(raised.value)
    assert "NOSUCHKEY0123456789" not in repr(raised.value)


def test_read_returns_recorded_state_and_delete_only_forgets(
    links: BillingAccountLinkProvider, billing: dict[str, Any], sandbox: Any
) -> None:
    created = links.create({"billing_account_api_key": billing["api_key"]})
    assert created.outs is not None
    sandbox.control.reset_stats()
    read = links.read(created.id, {**created.outs, "__provider": "blob"})
    assert read.outs == created.outs
    links.delete(created.id, created.outs)
    assert sandbox.control.stats()["total"] == 0
