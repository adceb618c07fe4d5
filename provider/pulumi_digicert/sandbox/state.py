"""The sandbox's state: its settings, its clock, its accounts, and the transaction (:class:`Ctx`)
in which every operation runs.

What belongs here: what the API, the control API and the command line share about the running
sandbox. What does not: SQL (``store``), HTTP (``app``, ``routes``) and what each API area does
(the area modules, which are functions over a :class:`Ctx`).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from . import accounts, domains, order_lifecycle, organizations
from .accounts import DEFAULT_API_KEY, DEFAULT_PARTNER_API_KEY
from .errors import not_found
from .store import Row, Store, Tx

logger = logging.getLogger("digicert_sandbox")

DEFAULT_BURST_LIMIT = 100
DEFAULT_BURST_WINDOW = 5.0
DEFAULT_SUSTAINED_LIMIT = 1000
DEFAULT_SUSTAINED_WINDOW = 180.0

# The sandbox clock may run ahead of real time by at most this much in total: far enough for
# every expiry (validations last 397 days, certificates 3 years), near enough that every date
# it prints stays a real date. Durations in settings have the same ceiling.
MAX_CLOCK_OFFSET = 100 * 366 * 86_400.0
MAX_COUNT = 10**9

# ------------------------------------------------------------------ settings


class SettingsError(ValueError):
    """A settings update named an unknown setting or gave a value of the wrong type."""


@dataclass(frozen=True)
class SandboxSettings:
    """What the control API's ``/_sandbox/settings`` reads and writes."""

    require_unique_alternative_order_ids: bool = False
    """Account option: refuse an order whose alternative_order_id is already used."""
    auto_issue_after: float | None = None
    """Seconds after approval at which a pending order is issued; None: only by the control API."""
    auto_validate_after: float | None = None
    """Seconds after submission at which organization validations and domain DCV complete."""
    rate_limit_enabled: bool = True
    burst_limit: int = DEFAULT_BURST_LIMIT
    burst_window: float = DEFAULT_BURST_WINDOW
    sustained_limit: int = DEFAULT_SUSTAINED_LIMIT
    sustained_window: float = DEFAULT_SUSTAINED_WINDOW
    order_requires_approval: bool = True
    """A new order waits for an administrator (needs_approval) unless skip_approval is sent."""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def updated(self, changes: Mapping[str, Any]) -> SandboxSettings:
        """A copy with ``changes`` applied; raises SettingsError for unknown names or bad values."""
        fields = {field.name: field for field in dataclasses.fields(self)}
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in fields:
                raise SettingsError(f"unknown setting {name!r}")
            clean[name] = _check_value(name, value)
        return dataclasses.replace(self, **clean)


_BOOLS = {"require_unique_alternative_order_ids", "rate_limit_enabled", "order_requires_approval"}
_OPTIONAL_SECONDS = {"auto_issue_after", "auto_validate_after"}
_POSITIVE_INTS = {"burst_limit", "sustained_limit"}
_POSITIVE_SECONDS = {"burst_window", "sustained_window"}


def _is_seconds(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value <= MAX_CLOCK_OFFSET
    )


def _check_value(name: str, value: Any) -> Any:
    if name in _BOOLS:
        if not isinstance(value, bool):
            raise SettingsError(f"{name} must be a boolean")
        return value
    if name in _OPTIONAL_SECONDS:
        if value is None:
            return None
        if not _is_seconds(value) or value < 0:
            raise SettingsError(
                f"{name} must be a number of seconds >= 0 (at most 100 years) or null"
            )
        return float(value)
    if name in _POSITIVE_INTS:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_COUNT:
            raise SettingsError(f"{name} must be an integer from 1 to {MAX_COUNT}")
        return value
    if name in _POSITIVE_SECONDS:
        if not _is_seconds(value) or value <= 0:
            raise SettingsError(f"{name} must be a number of seconds > 0 (at most 100 years)")
        return float(value)
    raise SettingsError(f"unknown setting {name!r}")  # pragma: no cover - fields are listed above


# ------------------------------------------------------------------ one operation's context


@dataclass
class Ctx:
    """What every API operation works in: one transaction, the caller's account, time, settings."""

    tx: Tx
    now: float
    settings: SandboxSettings
    account: Row
    """The caller's account; empty for the control API, which sees every account."""

    @property
    def account_id(self) -> int:
        return int(self.account["id"])

    def owned(self, table: str, entity_id: int, kind: str) -> Row:
        """The caller's object (any account's for the control API); 404 ``not_found|kind``."""
        entity = self.tx.get(table, entity_id)
        if entity is None or (self.account and entity["account_id"] != self.account_id):
            raise not_found(kind)
        return entity


# ------------------------------------------------------------------ the state machine


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
            accounts.ensure_default_accounts(tx, api_key, partner_api_key)

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
            accounts.ensure_default_accounts(tx, self.api_key, self.partner_api_key)

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------ accounts by key

    def account_for_key(self, api_key: str) -> Row | None:
        with self.store.transaction() as tx:
            return accounts.by_key(tx, api_key)

    def partner_account_for_key(self, partner_api_key: str) -> Row | None:
        with self.store.transaction() as tx:
            return accounts.partner_by_key(tx, partner_api_key)

    def default_account_id(self) -> int:
        account = self.account_for_key(self.api_key)
        assert account is not None
        return int(account["id"])


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
    order_lifecycle.run_timed_transitions(ctx)
