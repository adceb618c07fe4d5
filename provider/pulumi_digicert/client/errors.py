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

No message, ``repr`` or attribute of these errors ever holds an API key, a card number or a
base URL: the request core redacts every secret it knows about from response text before it
builds a message, and no ``httpx.Request`` (whose headers carry the key) is kept on an error.

``str(error)`` is technical (method, path, status, DigiCert's codes). :func:`user_message` turns
any of these errors into the one sentence a person reads at the end of a failed ``pulumi up``:
what happened, and the setting or input to change.
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
    "user_message",
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
    """Root of every error the client raises.

    The request core also records where the request went, as the names of settings (never
    their values): ``base_url_setting`` (``digicert:baseUrl`` or ``digicert:partnerBaseUrl``),
    ``key_setting`` (which key was sent) and ``attempts`` (how many times it was sent).
    """

    method: str | None
    path: str | None
    status: int | None
    errors: list[ApiErrorDetail]
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
    (connection refused / could not connect); ``None`` when unknown. ``reason`` says what
    failed in a few words (``connection refused``, ``ReadTimeout``), never with an address.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        request_sent: bool | None = None,
        reason: str = "no response",
    ) -> None:
        super().__init__(message, method=method, path=path)
        self.request_sent = request_sent
        self.reason = reason


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

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        errors: Iterable[ApiErrorDetail] = (),
        reason: str = "unexpected content",
    ) -> None:
        super().__init__(message, method=method, path=path, status=status, errors=errors)
        self.reason = reason


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


# ---------------------------------------------------------------------------------------------
# What a person reads

#: Longest text quoted from DigiCert's error details in a user message.
_DETAIL_CHARS = 300
#: Longest user message (the engine shows it under the resource; the gRPC text stays < 2 KB).
MESSAGE_CHARS = 1000

_BASE_URL_ENV = {
    "digicert:baseUrl": ("DIGICERT_BASE_URL", "/services/v2"),
    "digicert:partnerBaseUrl": ("DIGICERT_PARTNER_BASE_URL", "/partner-subscription/api/v1"),
}
_DEFAULT_KEY_SETTING = "digicert:apiKey (or DIGICERT_API_KEY)"

# DigiCert's `not_found|<kind>` qualifiers and the argument that names that object.
_NOT_FOUND_INPUTS = {
    "product": "product",
    "organization": "organization_id",
    "domain": "domain_id",
    "container": "container_id",
    "order": "the order id (run `pulumi refresh` if it was removed in CertCentral)",
    "request": "the order id (run `pulumi refresh` if it was removed in CertCentral)",
}
# Codes whose fix is known: what to change.
_CODE_ADVICE = {
    "insufficient_funds": "add funds to the account balance or set payment_method to 'card' or "
    "'profile'",
    "invalid_dcv_method": "set dcv_method to a token method (dns-txt-token, dns-cname-token or "
    "http-token)",
    "invalid_wildcard_dcv_method": "set dcv_method to dns-txt-token or dns-cname-token",
    "contact_type_duplicate": "give each contact type once",
    # The partner account-link's X-DC-DEVKEY names no CertCentral account (PSA link page).
    "invalid_api_key": "set billing_account_api_key to an active API key of the CertCentral "
    "account that pays",
}


def one_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    """``text`` on one line (whitespace collapsed), cut to ``limit`` characters."""
    collapsed = " ".join(str(text).split())
    if len(collapsed) <= limit:
        return collapsed
    return collapsed[: limit - 3].rstrip() + "..."


def _operation(exc: DigiCertError) -> str:
    if exc.method and exc.path:
        return f"{exc.method} {exc.path}"
    return "the request"


def _details(exc: DigiCertError) -> str:
    return one_line("; ".join(str(detail) for detail in exc.errors), _DETAIL_CHARS)


def _status_and_details(exc: DigiCertError) -> str:
    details = _details(exc)
    status = "" if exc.status is None else str(exc.status)
    return f"{status} {details}".strip() if details else status


def _after_attempts(exc: DigiCertError) -> str:
    return f" after {exc.attempts} attempts" if exc.attempts > 1 else ""


def _base_url(exc: DigiCertError) -> tuple[str, str]:
    """``("digicert:baseUrl (or DIGICERT_BASE_URL)", "/services/v2")`` for the error's API."""
    setting = exc.base_url_setting or "digicert:baseUrl"
    env, suffix = _BASE_URL_ENV.get(setting, ("DIGICERT_BASE_URL", "/services/v2"))
    return f"{setting} (or {env})", suffix


def _end(sentence: str) -> str:
    sentence = one_line(sentence)
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def user_message(exc: DigiCertError) -> str:
    """One sentence for a person: what happened, and the setting or input to change.

    Built only from the error's structured fields (operation, status, DigiCert's redacted codes
    and messages, setting names), never from a URL, a key or a request body.
    """
    operation = _operation(exc)
    if isinstance(exc, MissingCredentialsError | ConfigError):
        return _end(exc.message)
    if isinstance(exc, OutcomeUnknownError):
        if exc.accepted:
            return _end(
                f"DigiCert accepted {operation} ({exc.status}) but its answer could not be read, "
                "so it was not sent again: run `pulumi up` again, which looks the object up and "
                "adopts it"
            )
        return _end(
            f"DigiCert may or may not have applied {operation} ({user_message(exc.cause)[:-1]}): "
            "run `pulumi up` again, which looks the object up before sending it again"
        )
    if isinstance(exc, AuthenticationError):
        key = exc.key_setting or _DEFAULT_KEY_SETTING
        return _end(
            f"DigiCert refused the API key for {operation} ({_status_and_details(exc)}): set a "
            f"valid key in {key}"
        )
    if isinstance(exc, PermissionDeniedError):
        key = exc.key_setting or _DEFAULT_KEY_SETTING
        return _end(
            f"DigiCert denied {operation} ({_status_and_details(exc)}): give the key in {key} a "
            "role that may do this, such as Orders, Domains and Organizations (101) or "
            "administrator"
        )
    if isinstance(exc, NotFoundError):
        kinds = [d.code.partition("|")[2] for d in exc.errors if d.base_code == "not_found"]
        if not kinds or "route" in kinds:
            setting, suffix = _base_url(exc)
            return _end(
                f"DigiCert has no API route for {operation} ({_status_and_details(exc)}): check "
                f"that {setting} is the API's address, ending in {suffix}"
            )
        target = next((_NOT_FOUND_INPUTS[k] for k in kinds if k in _NOT_FOUND_INPUTS), None)
        change = f"check {target}" if target else "check the ids this resource refers to"
        return _end(
            f"DigiCert found nothing for {operation} ({_status_and_details(exc)}): {change}"
        )
    if isinstance(exc, RateLimitError):
        return _end(
            f"DigiCert kept refusing {operation} for exceeding its rate limit "
            f"({_status_and_details(exc)}){_after_attempts(exc)}: lower digicert:rateLimitBurst "
            "and digicert:rateLimitSustained when other processes use the same key, or raise "
            "digicert:maxRetries"
        )
    if isinstance(exc, ServerError):
        return _end(
            f"DigiCert failed to answer {operation} ({_status_and_details(exc)})"
            f"{_after_attempts(exc)}, as it does during a maintenance window: run `pulumi up` "
            "again later (digicert:maxRetries sets how often a request is retried)"
        )
    if isinstance(exc, APITimeoutError):
        return _end(
            f"DigiCert did not answer {operation} within digicert:requestTimeout"
            f"{_after_attempts(exc)}: run `pulumi up` again later, or raise "
            "digicert:requestTimeout"
        )
    if isinstance(exc, APIConnectionError):
        setting, _ = _base_url(exc)
        if exc.request_sent is False:
            what = "could not connect to DigiCert"
        else:
            what = "lost the connection to DigiCert"
        return _end(
            f"The provider {what} for {operation} ({exc.reason}){_after_attempts(exc)}: check "
            f"{setting} and the network, or run `pulumi up` again after a maintenance window"
        )
    if isinstance(exc, InvalidResponseError):
        setting, suffix = _base_url(exc)
        return _end(
            f"DigiCert's answer to {operation} could not be read ({exc.reason}): check that "
            f"{setting} is the API's address, ending in {suffix}, then run `pulumi up` again"
        )
    if isinstance(exc, APIStatusError):
        advice = next((_CODE_ADVICE[c] for c in exc.codes if c in _CODE_ADVICE), None)
        if advice is None and any("card" in c or "cvv" in c for c in exc.codes):
            advice = "check credit_card (number, expiration, cvv) and billing_address"
        change = advice or "change the input it names"
        return _end(f"DigiCert refused {operation} ({_status_and_details(exc)}): {change}")
    return _end(exc.message)
