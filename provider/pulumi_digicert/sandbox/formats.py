"""How CertCentral writes values (ISO timestamps with offset, plain dates, money as strings) and
the opaque random values it hands out (DCV tokens, serial numbers, thumbprints)."""

from __future__ import annotations

import secrets
import string
from datetime import datetime, timezone

DAY = 86_400.0

_ALPHABET = string.ascii_lowercase + string.digits


def iso_time(timestamp: float) -> str:
    """``2018-10-16T20:05:28+00:00``."""
    return datetime.fromtimestamp(int(timestamp), tz=timezone.utc).isoformat()


def iso_date(timestamp: float) -> str:
    """``2018-10-16``."""
    return datetime.fromtimestamp(int(timestamp), tz=timezone.utc).date().isoformat()


def money(cents: int) -> str:
    """``"454.00"``, ``"-1000.70"``."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def parse_money(text: str) -> int:
    """Cents from ``"454.00"``; raises ValueError on anything else."""
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    if not whole.isdigit() or (fraction and not (fraction.isdigit() and len(fraction) <= 2)):
        raise ValueError(f"not a money amount: {text!r}")
    cents = int(whole) * 100 + int(fraction.ljust(2, "0") or "0")
    return -cents if negative else cents


def random_token(length: int = 32) -> str:
    """An opaque alphanumeric random value (DCV tokens, serial numbers)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
