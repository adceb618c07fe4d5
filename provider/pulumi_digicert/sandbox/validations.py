"""Validation records: what an organization or a domain holds for each validation type.

A record is stored as ``{type, date_created, submitted_at, validated_until, rejected,
verified_users}``; its status is derived from the sandbox clock, so expiry needs no background
job: active while ``validated_until`` is ahead, else pending while a submission waits, else
rejected or expired. A completed validation lasts 397 days (API.md A5, B10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .formats import DAY, iso_time
from .store import Row

if TYPE_CHECKING:
    from .state import Ctx

VALIDATION_REUSE_DAYS = 397

VALIDATION_NAMES: dict[str, tuple[str, str]] = {
    "ov": ("OV", "Normal Organization Validation"),
    "ev": ("EV", "Extended Organization Validation (EV)"),
    "dv": ("DV", "Domain Validation"),
    "cs": ("CS", "Code Signing Organization Validation"),
    "ev_cs": ("EV CS", "Code Signing Organization Extended Validation (EV CS)"),
    "ds": ("DS", "Document Signing Organization Validation"),
    "smime": ("S/MIME", "Secure Email Organization Validation"),
}


def start_validation(
    records: dict[str, Row], kind: str, now: float, verified_users: list[Row] | None = None
) -> None:
    """Submit (or submit again) the validation of ``kind``: it waits until completed."""
    record = records.get(kind) or {"type": kind, "date_created": now}
    record["submitted_at"] = now
    record["rejected"] = False
    if verified_users is not None:
        record["verified_users"] = verified_users
    records[kind] = record


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


def pending_since(records: dict[str, Row]) -> float | None:
    """When the oldest waiting submission was made; None when nothing waits."""
    times = [r["submitted_at"] for r in records.values() if r.get("submitted_at") is not None]
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


def due_for_auto_validation(ctx: Ctx, table: str) -> tuple[float, list[Row]]:
    """With ``auto_validate_after`` set: that delay, and the rows of ``table`` (organizations or
    domains) holding a submission at least that old. Otherwise ``(0, [])``."""
    after = ctx.settings.auto_validate_after
    if after is None:
        return 0.0, []
    due = ctx.tx.select(
        table, "pending_since IS NOT NULL AND pending_since <= ?", (ctx.now - after,)
    )
    return after, due
