"""Secret fingerprints: how a change of a secret input is seen without the secret being stored.

A secret input (an API key, a card) never reaches state. Outputs carry a salted, slow,
non-reversible fingerprint of it under ``<name>_fingerprint`` instead, and diff compares a new
value against that fingerprint.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import Any

from pulumi_digicert._engine_values import canonical_json

__all__ = ["fingerprint", "fingerprint_matches"]

_ITERATIONS = 120_000
_PREFIX = "pbkdf2-sha256$"


def fingerprint(value: Any, *, salt: bytes | None = None) -> str:
    """A salted, slow, non-reversible fingerprint of a secret input.

    PBKDF2 rather than a bare hash because card numbers have little entropy.
    """
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", canonical_json(value).encode(), salt, _ITERATIONS)
    encoded_salt = base64.b64encode(salt).decode()
    encoded_digest = base64.b64encode(digest).decode()
    return f"{_PREFIX}{_ITERATIONS}${encoded_salt}${encoded_digest}"


def fingerprint_matches(value: Any, stored: Any) -> bool:
    """Whether ``stored`` is a fingerprint of ``value`` (anything unreadable is not)."""
    if not isinstance(stored, str) or not stored.startswith(_PREFIX):
        return False
    try:
        _, iterations, salt_b64, digest_b64 = stored.split("$")
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(digest_b64)
        rounds = int(iterations)
    except ValueError:
        return False
    actual = hashlib.pbkdf2_hmac("sha256", canonical_json(value).encode(), salt, rounds)
    return hmac.compare_digest(actual, expected)
