"""Scan text for secrets that must never appear in it."""

from __future__ import annotations

from collections.abc import Iterable


def leaked(text: str, secrets: Iterable[str]) -> list[str]:
    """The secrets (non-empty) that occur in ``text``, masked so the failure does not print them."""
    return [_mask(secret) for secret in secrets if secret and secret in text]


def assert_no_secrets(text: str, secrets: Iterable[str], where: str = "text") -> None:
    """Fail if any of ``secrets`` occurs in ``text``; the message names only masked forms."""
    found = leaked(text, secrets)
    assert not found, f"secret(s) {found} found in {where}"


def _mask(secret: str) -> str:
    return f"{secret[:2]}…({len(secret)} chars)"
