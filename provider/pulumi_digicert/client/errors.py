"""Errors raised by the DigiCert client.

Every error is a :class:`DigiCertError`. Errors that come from an HTTP exchange carry the HTTP
``method``, the API ``path`` (relative to the base URL, without the query string), the
``status`` (``None`` when no response arrived) and every ``errors[].code`` / ``message`` pair
DigiCert returned, in :attr:`DigiCertError.errors`. Codes often carry a ``|`` qualifier
(``not_found|order``); :attr:`DigiCertError.codes` gives the part before it.

Tree::

    DigiCertError
     +-- APIStatusError                 any non-2xx response
     |    +-- BadRequestError           400
     |    |    +-- AlternativeOrderIdTakenError
     |    +-- AuthenticationError       401
     |    +-- PermissionDeniedError     403
     |    +-- NotFoundError             404
     |    +-- ConflictError             409
     |    +-- RateLimitError            429
     |    +-- ServerError               5xx
     +-- APIConnectionError             no response (connection refused, reset, dropped)
     |    +-- APITimeoutError
     +-- OutcomeUnknownError            a creating POST may or may not have been applied
     +-- InvalidResponseError           a 2xx response the client cannot read
     +-- MissingCredentialsError        a call needs a key that is not configured
     +-- ConfigError                    a provider setting has an invalid value

No message, ``repr`` or attribute of these errors ever holds an API key: the request core
redacts every key it knows about from response text before it builds a message, and no
``httpx.Request`` (whose headers carry the key) is kept on an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AlternativeOrderIdTakenError",
    "ApiErrorDetail",
    "AuthenticationError",
    "BadRequestError",
    "ConfigError",
    "ConflictError",
    "DigiCertError",
    "InvalidResponseError",
    "MissingCredentialsError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "error_details_from_body",
    "status_error",
    "truncate",
]

#: How many characters of a response body that is not a DigiCert error envelope are quoted.
BODY_EXCERPT_CHARS = 200

#: CertCentral's answer to an unknown or revoked API key (403).
INVALID_KEY_CODE = "access_denied|access_denied_invalid_key"

_ALTERNATIVE_ORDER_ID = re.compile(r"alternat\w*[\s_-]*order[\s_-]*id", re.IGNORECASE)


@dataclass(frozen=True)
class ApiErrorDetail:
    """One entry of DigiCert's ``{"errors": [{"code": ..., "message": ...}]}`` envelope."""

    code: str
    """The error code, possibly with a ``|`` qualifier, e.g. ``not_found|order``."""
    message: str
    """The human-readable message."""

    @property
    def base_code(self) -> str:
        """The code without its ``|`` qualifier."""
        return self.code.split("|", 1)[0]

    def __str__(self) -> str:
        if self.code and self.message:
            return f"{self.code}: {self.message}"
        return self.code or self.message


class DigiCertError(Exception):
    """Root of every error the client raises."""

    method: str | None
    path: str | None
    status: int | None
    errors: list[ApiErrorDetail]

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        errors: Iterable[ApiErrorDetail] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.errors = list(errors)

    @property
    def codes(self) -> list[str]:
        """DigiCert error codes without their ``|`` qualifier, in response order."""
        return [detail.base_code for detail in self.errors]

    def has_code(self, code: str) -> bool:
        """Whether DigiCert returned ``code`` (compared without the ``|`` qualifier).

        ``has_code("not_found")`` matches ``not_found|order``; ``has_code("not_found|order")``
        matches only that exact code.
        """
        if "|" in code:
            return any(detail.code == code for detail in self.errors)
        return code in self.codes

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class APIStatusError(DigiCertError):
    """DigiCert answered with a non-2xx status."""

    status: int


class BadRequestError(APIStatusError):
    """400: the request was refused (invalid field, duplicate, wrong state...)."""


class AlternativeOrderIdTakenError(BadRequestError):
    """400 refusing an order because its ``alternative_order_id`` is already used.

    Raised when the account requires unique alternative order ids. DigiCert does not document
    the error code, so any 400 whose code or message mentions the alternative order id is
    classified as this error.
    """


class AuthenticationError(APIStatusError):
    """401, or CertCentral's 403 ``access_denied|access_denied_invalid_key``: the API key is
    missing, unknown or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key's user or role may not do this."""


class NotFoundError(APIStatusError):
    """404: the object (or route) does not exist for this account."""


class ConflictError(APIStatusError):
    """409: the object is in a state that conflicts with the request."""


class RateLimitError(APIStatusError):
    """429 ``request_limit_exceeded``: retried by the client; raised once retries run out."""


class ServerError(APIStatusError):
    """5xx: DigiCert failed (or maintenance). Retried for idempotent requests."""


class APIConnectionError(DigiCertError):
    """No HTTP response arrived: connection refused, reset or dropped.

    ``request_sent`` is ``False`` only when the request provably never left the client
    (connection refused / could not connect); ``None`` when unknown.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        request_sent: bool | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path)
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, write, read or waiting for a pooled connection)."""


class OutcomeUnknownError(DigiCertError):
    """A creating POST failed in a way that leaves its outcome unknown.

    The request may or may not have been applied by DigiCert (timeout after it was sent,
    connection dropped before the response, or a 5xx). The client never retries it: look the
    object up (for an order: ``GET /order/alternate/{alternative_order_id}``) before trying
    again. :attr:`cause` is the underlying :class:`DigiCertError`.
    """

    cause: DigiCertError

    def __init__(self, cause: DigiCertError) -> None:
        message = (
            f"DigiCert API {cause.method} {cause.path}: outcome unknown, the request may or may "
            f"not have been applied (look the object up before retrying): {cause.message}"
        )
        super().__init__(
            message, method=cause.method, path=cause.path, status=cause.status, errors=cause.errors
        )
        self.cause = cause

    def __reduce__(self) -> tuple[type[OutcomeUnknownError], tuple[DigiCertError]]:
        return (type(self), (self.cause,))


class InvalidResponseError(DigiCertError):
    """A 2xx response whose body is not the JSON the client expects."""


class MissingCredentialsError(DigiCertError):
    """A call needs a key that is not configured (names the stack config key and env var)."""


class ConfigError(DigiCertError, ValueError):
    """A provider setting has an invalid value (names the config key or environment variable)."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


_STATUS_CLASSES: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def truncate(text: str, limit: int = BODY_EXCERPT_CHARS) -> str:
    """Collapse whitespace and cut ``text`` to ``limit`` characters (marking the cut)."""
    collapsed = " ".join(text.split())
    if len(collapsed) <= limit:
        return collapsed
    return collapsed[:limit] + "... (truncated)"


def _detail(entry: Any) -> ApiErrorDetail | None:
    if isinstance(entry, Mapping):
        code = entry.get("code")
        message = entry.get("message")
        if code is None and message is None:
            return None
        return ApiErrorDetail(
            code="" if code is None else str(code), message="" if message is None else str(message)
        )
    if isinstance(entry, str):
        return ApiErrorDetail(code="", message=entry)
    return None


def error_details_from_body(body: Any) -> list[ApiErrorDetail]:
    """Read DigiCert's error envelope, in either shape.

    Accepts ``{"errors": [{"code", "message"}, ...]}`` (documented) and
    ``{"errors": {"code", "message"}}`` (seen in client fixtures); anything else yields ``[]``.
    """
    if not isinstance(body, Mapping):
        return []
    raw = body.get("errors")
    entries: list[Any]
    if isinstance(raw, list):
        entries = raw
    elif raw is not None:
        entries = [raw]
    elif "code" in body or "message" in body:
        entries = [body]
    else:
        return []
    return [detail for detail in (_detail(entry) for entry in entries) if detail is not None]


def _mentions_alternative_order_id(details: Iterable[ApiErrorDetail]) -> bool:
    return any(
        _ALTERNATIVE_ORDER_ID.search(detail.code) or _ALTERNATIVE_ORDER_ID.search(detail.message)
        for detail in details
    )


def status_error(
    *,
    method: str,
    path: str,
    status: int,
    details: list[ApiErrorDetail],
    body_excerpt: str,
) -> APIStatusError:
    """Build the error for a non-2xx response.

    ``details`` is the parsed envelope; ``body_excerpt`` (already redacted and truncated) is
    quoted instead when the body carried no envelope (HTML maintenance pages, proxies...).
    """
    cls = ServerError if status >= 500 else _STATUS_CLASSES.get(status, APIStatusError)
    if cls is BadRequestError and method == "POST" and _mentions_alternative_order_id(details):
        cls = AlternativeOrderIdTakenError
    invalid_key = status == 403 and any(d.code == INVALID_KEY_CODE for d in details)
    if invalid_key:
        # An unknown or revoked key, not a permission this key lacks (a recorded exchange).
        cls = AuthenticationError
    if details:
        reason = "; ".join(str(detail) for detail in details)
    elif body_excerpt:
        reason = body_excerpt
    else:
        reason = "empty response body"
    message = f"DigiCert API {method} {path} failed ({status}): {reason}"
    if invalid_key:
        message += (
            ". CertCentral does not accept the API key (unknown or revoked): set digicert:apiKey "
            "(or DIGICERT_API_KEY) to an active key."
        )
    return cls(message, method=method, path=path, status=status, errors=details)
