"""Whole numbers however DigiCert or the engine sent them, for the client and the doctor alike
(the doctor may not use the client whose assumptions it checks)."""

from __future__ import annotations

from typing import Any

__all__ = ["whole_number"]


def whole_number(value: Any) -> int | None:
    """``value`` as an ``int`` when it is one, an integral ``float`` or a string of digits;
    ``None`` otherwise (a ``bool`` is not a number here)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
