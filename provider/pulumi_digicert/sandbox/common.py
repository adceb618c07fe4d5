"""Pieces shared by the API areas: validation records, list paging and sorting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import bad_request
from .schemas import Query
from .store import Row
from .values import DAY, VALIDATION_REUSE_DAYS, iso_time

MAX_PAGE = 1000

VALIDATION_NAMES: dict[str, tuple[str, str]] = {
    "ov": ("OV", "Normal Organization Validation"),
    "ev": ("EV", "Extended Organization Validation (EV)"),
    "dv": ("DV", "Domain Validation"),
    "cs": ("CS", "Code Signing Organization Validation"),
    "ev_cs": ("EV CS", "Code Signing Organization Extended Validation (EV CS)"),
    "ds": ("DS", "Document Signing Organization Validation"),
    "smime": ("S/MIME", "Secure Email Organization Validation"),
}

# ------------------------------------------------------------------ validation records
#
# A validation record is stored as {type, date_created, submitted_at, validated_until, rejected,
# verified_users}; its status is derived, so expiry needs no background job:
# active while validated_until is ahead, else pending while a submission waits, else rejected
# or expired.


def submit_validation(
    validations: dict[str, Row], kind: str, now: float, verified_users: list[Row] | None = None
) -> None:
    record = validations.get(kind) or {"type": kind, "date_created": now}
    record["submitted_at"] = now
    record["rejected"] = False
    if verified_users is not None:
        record["verified_users"] = verified_users
    validations[kind] = record


def complete_validation(record: Row, when: float) -> None:
    record["validated_until"] = when + VALIDATION_REUSE_DAYS * DAY
    record["submitted_at"] = None
    record["rejected"] = False


def reject_validation(record: Row) -> None:
    record["submitted_at"] = None
    record["rejected"] = True


def validation_status(record: Row, now: float) -> str:
    validated_until = record.get("validated_until")
    if validated_until is not None and validated_until > now:
        return "active"
    if record.get("submitted_at") is not None:
        return "pending"
    if record.get("rejected"):
        return "rejected"
    return "expired" if validated_until is not None else "pending"


def pending_since(validations: dict[str, Row]) -> float | None:
    times = [r["submitted_at"] for r in validations.values() if r.get("submitted_at") is not None]
    return min(times) if times else None


def render_validation(record: Row, now: float) -> dict[str, Any]:
    name, description = VALIDATION_NAMES.get(record["type"], (record["type"].upper(), ""))
    validated_until = record.get("validated_until")
    return {
        "type": record["type"],
        "name": name,
        "description": description,
        "date_created": iso_time(record["date_created"]),
        "validated_until": iso_time(validated_until) if validated_until is not None else None,
        "status": validation_status(record, now),
        "verified_users": record.get("verified_users"),
    }


def display_name(name: str | None, assumed_name: str | None) -> str | None:
    """``Name (Assumed Name)``, or the name alone."""
    return f"{name} ({assumed_name})" if assumed_name else name


# ------------------------------------------------------------------ lists


def search_matches(pattern: str | None, *candidates: str) -> bool:
    """``filters[search]``: exact match, or "contains" when the value starts with ``%``."""
    if pattern is None:
        return True
    if pattern.startswith("%"):
        needle = pattern.lstrip("%").lower()
        return any(needle in candidate.lower() for candidate in candidates)
    return any(pattern.lower() == candidate.lower() for candidate in candidates)


def sort_items(items: list[Row], sort: str | None, allowed: set[str]) -> list[Row]:
    """``sort=name,-date_created``: ascending unless prefixed with ``-``."""
    if not sort:
        return items
    keys = [part.strip() for part in sort.split(",") if part.strip()]
    for key in reversed(keys):
        name = key.lstrip("-")
        if name not in allowed:
            raise bad_request("invalid_field|sort", f"Cannot sort by {name}.")
        items = sorted(items, key=_sort_key(name), reverse=key.startswith("-"))
    return items


def _sort_key(name: str) -> Callable[[Row], tuple[bool, Any]]:
    def key(item: Row) -> tuple[bool, Any]:
        value = item.get(name)
        return (value is None, value if value is not None else 0)

    return key


def paginate(items: list[Any], query: Query) -> tuple[list[Any], dict[str, int]]:
    """``offset``/``limit`` (at most 1000) and the ``page`` object."""
    offset = query.integer("offset") or 0
    limit = query.integer("limit", minimum=1, maximum=MAX_PAGE) or MAX_PAGE
    return items[offset : offset + limit], {"total": len(items), "limit": limit, "offset": offset}
