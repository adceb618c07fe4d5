"""Every error the package raises, at the package root so each part can depend on it.

The client raises the :class:`DigiCertError` tree, the settings (``config.py``) raise
:class:`ConfigError`, and the resource providers raise :class:`ResourceError`; none of them
imports another to reach its errors. ``pulumi_digicert.client.errors`` re-exports the tree with
the functions that build these errors from HTTP answers and word them for people.

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
    ResourceError                       a resource operation the user must act on

No message, ``repr`` or attribute of these errors ever holds an API key, a card number or a
base URL: the request core redacts every secret it knows about from response text before it
builds a message, and no ``httpx.Request`` (whose headers carry the key) is kept on an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# No ``__all__`` here: the client's errors are listed once, at their public path
# ``pulumi_digicert.client.errors``; the resource providers import ``ResourceError`` from here.


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
    """Root of every error the client raises.

    The request core also records where the request went, as the names of settings (never
    their values): ``base_url_setting`` (``digicert:baseUrl`` or ``digicert:partnerBaseUrl``),
    ``key_setting`` (which key was sent) and ``attempts`` (how many times it was sent).
    """

    method: str | None
    path: str | None
    status: int | None
    errors: list[ApiErrorDetail]
    reason: str = ""
    """What went wrong in a few words, for the errors that have no DigiCert envelope to quote
    (each such class sets its default)."""
    base_url_setting: str | None = None
    key_setting: str | None = None
    attempts: int = 1

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        errors: Iterable[ApiErrorDetail] = (),
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.errors = list(errors)
        if reason is not None:
            self.reason = reason

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
    (connection refused / could not connect); ``None`` when unknown. ``reason`` says what
    failed in a few words (``connection refused``, ``ReadTimeout``), never with an address.
    """

    reason = "no response"

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        request_sent: bool | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path, reason=reason)
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, write, read or waiting for a pooled connection)."""


class OutcomeUnknownError(DigiCertError):
    """A creating POST failed in a way that leaves its outcome unknown.

    The request may or may not have been applied by DigiCert (timeout after it was sent,
    connection dropped before the response, or a 5xx). The client never retries it: look the
    object up (for an order: ``GET /order/alternate/{alternative_order_id}``) before trying
    again. :attr:`cause` is the underlying :class:`DigiCertError`.

    ``accepted`` is true when DigiCert answered 2xx but the body could not be read: the object
    was created, so it must never be requested again, even if a lookup does not show it yet.
    """

    cause: DigiCertError
    accepted: bool

    def __init__(self, cause: DigiCertError, *, accepted: bool = False) -> None:
        if accepted:
            message = (
                f"DigiCert API {cause.method} {cause.path}: accepted ({cause.status}) but the "
                f"answer could not be read; the object exists (look it up, never resend): "
                f"{cause.message}"
            )
        else:
            message = (
                f"DigiCert API {cause.method} {cause.path}: outcome unknown, the request may or "
                f"may not have been applied (look the object up before retrying): {cause.message}"
            )
        super().__init__(
            message, method=cause.method, path=cause.path, status=cause.status, errors=cause.errors
        )
        self.cause = cause
        self.accepted = accepted
        self.base_url_setting = cause.base_url_setting
        self.key_setting = cause.key_setting
        self.attempts = cause.attempts

    def __reduce__(self) -> Any:
        return (_outcome_unknown, (type(self), self.cause, self.accepted), self.__dict__)


class InvalidResponseError(DigiCertError):
    """A 2xx response whose body is not the JSON the client expects.

    ``reason`` says why in a few words (``not JSON``, ``nested too deeply``, ``larger than
    8 MiB``, ``orders is not a list``...).
    """

    reason = "unexpected content"


class MissingCredentialsError(DigiCertError):
    """A call needs a key that is not configured (names the stack config key and env var)."""


class ConfigError(DigiCertError, ValueError):
    """A provider setting has an invalid value (names the config key or environment variable)."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def _outcome_unknown(
    cls: type[OutcomeUnknownError], cause: DigiCertError, accepted: bool
) -> OutcomeUnknownError:
    return cls(cause, accepted=accepted)


class ResourceError(Exception):
    """A failure the user must act on, worded for them; never carries a key or card number."""
