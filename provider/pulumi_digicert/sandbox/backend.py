"""The sandbox's state machine: accounts, the clock, settings and timed transitions.

The API areas (organizations, domains, orders, finance) are modules of functions over a
:class:`Ctx`: one transaction, the caller's account, the sandbox time and settings. Routes never
touch SQL; this module and the area modules never touch HTTP.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import domains, orders, organizations
from .context import Ctx
from .settings import (
    DEFAULT_API_KEY,
    DEFAULT_PARTNER_API_KEY,
    MAX_CLOCK_OFFSET,
    SandboxSettings,
    SettingsError,
)
from .store import Row, Store, Tx
from .values import key_hash, parse_money

logger = logging.getLogger("digicert_sandbox")

DEFAULT_ACCOUNT_NAME = "Sandbox Account"
DEFAULT_PARTNER_NAME = "Sandbox Partner"
DEFAULT_BALANCE = "100000.00"
DEFAULT_NEGATIVE_BALANCE_LIMIT = "2000.00"


class Backend:
    """State behind the API, the control API and the command line."""

    def __init__(
        self,
        db_path: str,
        *,
        api_key: str = DEFAULT_API_KEY,
        partner_api_key: str = DEFAULT_PARTNER_API_KEY,
        initial_settings: SandboxSettings | None = None,
    ) -> None:
        self.store = Store(db_path)
        self.api_key = api_key
        self.partner_api_key = partner_api_key
        self.initial_settings = initial_settings or SandboxSettings()
        with self.store.transaction() as tx:
            stored = tx.get_meta("settings")
            if stored is None:
                self._settings = self.initial_settings
                tx.set_meta("settings", self._settings.to_json())
            else:
                try:
                    self._settings = SandboxSettings().updated(stored)
                except SettingsError:
                    # Written before settings were bounded: start from the defaults again.
                    logger.warning("the stored sandbox settings were not valid; reset to defaults")
                    self._settings = self.initial_settings
                    tx.set_meta("settings", self._settings.to_json())
            self._clock_offset = _stored_clock_offset(tx.get_meta("clock_offset"))
            tx.set_meta("clock_offset", self._clock_offset)
            self._ensure_default_accounts(tx)

    # ------------------------------------------------------------ clock and settings

    def now(self) -> float:
        return time.time() + self._clock_offset

    @property
    def clock_offset(self) -> float:
        """Seconds the sandbox clock runs ahead of real time."""
        return self._clock_offset

    def advance_clock(self, seconds: float) -> float:
        offset = self._clock_offset + seconds
        if not (math.isfinite(seconds) and seconds >= 0 and offset <= MAX_CLOCK_OFFSET):
            raise ValueError("the sandbox clock moves forward by at most 100 years in total")
        with self.store.transaction() as tx:
            tx.set_meta("clock_offset", offset)
            self._clock_offset = offset
        return self.now()

    @property
    def settings(self) -> SandboxSettings:
        return self._settings

    def update_settings(self, changes: dict[str, Any]) -> SandboxSettings:
        new_settings = self._settings.updated(changes)
        with self.store.transaction() as tx:
            tx.set_meta("settings", new_settings.to_json())
        self._settings = new_settings
        return new_settings

    # ------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self, account: Row | None = None) -> Iterator[Ctx]:
        """A transaction in which timed transitions up to now have already happened."""
        with self.store.transaction() as tx:
            ctx = Ctx(tx=tx, now=self.now(), settings=self._settings, account=account or {})
            run_timed_transitions(ctx)
            yield ctx

    def reset(self) -> None:
        """Forget everything: back to the default accounts, settings and clock."""
        self.store.wipe()
        self._settings = self.initial_settings
        self._clock_offset = 0.0
        with self.store.transaction() as tx:
            tx.set_meta("settings", self._settings.to_json())
            self._ensure_default_accounts(tx)

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------ accounts

    def account_for_key(self, api_key: str) -> Row | None:
        with self.store.transaction() as tx:
            rows = tx.select("accounts", "key_hash = ?", (key_hash(api_key),))
        return rows[0] if rows else None

    def partner_account_for_key(self, partner_api_key: str) -> Row | None:
        with self.store.transaction() as tx:
            rows = tx.select("partner_accounts", "key_hash = ?", (key_hash(partner_api_key),))
        return rows[0] if rows else None

    def default_account_id(self) -> int:
        account = self.account_for_key(self.api_key)
        assert account is not None
        return int(account["id"])

    def create_account(
        self, tx: Tx, name: str, api_key: str, *, container_id: int | None = None
    ) -> Row:
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

    def create_partner_account(
        self, tx: Tx, name: str, partner_api_key: str, parent_id: int | None
    ) -> Row:
        partner: Row = {
            "id": tx.next_id("partner_account"),
            "key_hash": key_hash(partner_api_key),
            "parent_id": parent_id,
            "name": name,
        }
        tx.put("partner_accounts", partner)
        return partner

    def _ensure_default_accounts(self, tx: Tx) -> None:
        """The default account carries the configured key (a restart may change it)."""
        accounts = tx.select("accounts", "1")
        if not accounts:
            self.create_account(tx, DEFAULT_ACCOUNT_NAME, self.api_key)
        elif not tx.select("accounts", "key_hash = ?", (key_hash(self.api_key),)):
            first = accounts[0]
            first["key_hash"] = key_hash(self.api_key)
            tx.put("accounts", first)
        partners = tx.select("partner_accounts", "parent_id IS NULL")
        if not partners:
            self.create_partner_account(tx, DEFAULT_PARTNER_NAME, self.partner_api_key, None)
        elif not tx.select("partner_accounts", "key_hash = ?", (key_hash(self.partner_api_key),)):
            first = partners[0]
            first["key_hash"] = key_hash(self.partner_api_key)
            tx.put("partner_accounts", first)


def _stored_clock_offset(stored: Any) -> float:
    """The stored clock offset; one that no clock can have (a database written before offsets
    were checked may hold NaN) starts the clock again at real time."""
    if isinstance(stored, bool) or not isinstance(stored, (int, float)):
        return 0.0
    offset = float(stored)
    if not math.isfinite(offset) or not 0.0 <= offset <= MAX_CLOCK_OFFSET:
        logger.warning("the stored sandbox clock offset was not a valid time; reset to 0")
        return 0.0
    return offset


def run_timed_transitions(ctx: Ctx) -> None:
    """Apply every transition whose time has come (validation, issuance, expiry)."""
    organizations.run_timed_transitions(ctx)
    domains.run_timed_transitions(ctx)
    orders.run_timed_transitions(ctx)
