"""Secrets kept out of every text the client shows: response bodies quoted in errors, and the
HTTP libraries' debug logs."""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Iterable

__all__ = ["REDACTED", "Redactor", "log_redaction", "redactor_for"]

REDACTED = "****"


class Redactor:
    """Removes secrets from response text, also in the forms a server or library prints them:
    escaped (``\\n`` for a line break), as bytes, and, for digit strings such as a card
    number or CVV, with spaces or dashes between the digits and only as a whole number."""

    def __init__(self, secrets: Iterable[str]) -> None:
        plain: set[str] = set()
        patterns: list[str] = []
        for secret in secrets:
            if not secret:
                continue
            if secret.isdigit():
                patterns.append(r"(?<!\d)" + r"[\s-]?".join(secret) + r"(?!\d)")
                continue
            plain.add(secret)
            plain.add(secret.encode("unicode_escape").decode("ascii"))
            plain.add(repr(secret.encode("utf-8", "replace"))[2:-1])
        self._plain = sorted(plain, key=len, reverse=True)
        self._digits = re.compile("|".join(patterns)) if patterns else None

    def __call__(self, text: str) -> str:
        for secret in self._plain:
            text = text.replace(secret, REDACTED)
        if self._digits is not None:
            text = self._digits.sub(REDACTED, text)
        return text


@functools.lru_cache(maxsize=64)
def redactor_for(secrets: tuple[str, ...]) -> Redactor:
    """One redactor per set of secrets (a process uses a handful of keys)."""
    return Redactor(secrets)


# -- the HTTP libraries' debug logs --------------------------------------------------------
#
# httpcore logs response headers at DEBUG, and a server may echo a key in one. Every key the
# request core sends is registered here, and a filter on those loggers removes it from each
# record before any handler sees it (filters run only for records that are logged at all).

_HTTP_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class LogRedaction(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._redactor = Redactor(())

    def register(self, secrets: Iterable[str]) -> None:
        if self._secrets.issuperset(secrets):
            return
        fresh = {secret for secret in secrets if secret} - self._secrets
        if fresh:
            with self._lock:
                self._secrets |= fresh
                self._redactor = Redactor(self._secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._redactor(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


log_redaction = LogRedaction()
for _name in _HTTP_LOGGERS:
    logging.getLogger(_name).addFilter(log_redaction)
