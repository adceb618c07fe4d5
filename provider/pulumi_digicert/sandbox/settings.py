"""Sandbox-wide settings: account options, timed transitions and rate limits."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_API_KEY = "sandbox-certcentral-key"
DEFAULT_PARTNER_API_KEY = "sandbox-partner-key"

DEFAULT_BURST_LIMIT = 100
DEFAULT_BURST_WINDOW = 5.0
DEFAULT_SUSTAINED_LIMIT = 1000
DEFAULT_SUSTAINED_WINDOW = 180.0

# The sandbox clock may run ahead of real time by at most this much in total: far enough for
# every expiry (validations last 397 days, certificates 3 years), near enough that every date
# it prints stays a real date. Durations in settings have the same ceiling.
MAX_CLOCK_OFFSET = 100 * 366 * 86_400.0
MAX_COUNT = 10**9


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
