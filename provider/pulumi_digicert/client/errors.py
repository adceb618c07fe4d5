"""Errors of the DigiCert client: the tree, how an HTTP answer becomes one, and how one is worded.

The classes live in :mod:`pulumi_digicert._exceptions` (so the settings can raise
:class:`ConfigError` without importing the client) and are re-exported here, their public
path. Errors that come from an HTTP exchange carry the HTTP ``method``, the API ``path``
(relative to the base URL, without the query string), the ``status`` (``None`` when no response
arrived) and every ``errors[].code`` / ``message`` pair DigiCert returned, in
:attr:`DigiCertError.errors`. Codes often carry a ``|`` qualifier (``not_found|order``);
:attr:`DigiCertError.codes` gives the part before it.

``str(error)`` is technical (method, path, status, DigiCert's codes). :func:`user_message` turns
any of these errors into the one sentence a person reads at the end of a failed ``pulumi up``:
what happened, and the setting or input to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_digicert._exceptions import (
    AlternativeOrderIdTakenError,
    APIConnectionError,
    ApiErrorDetail,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    ConflictError,
    DigiCertError,
    InvalidResponseError,
    MissingCredentialsError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)

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
    "detail_text",
    "error_details_from_body",
    "one_line",
    "short_reason",
    "status_error",
    "truncate",
    "user_message",
]

#: How many characters of a response body that is not a DigiCert error envelope are quoted.
BODY_EXCERPT_CHARS = 200

#: CertCentral's answer to an unknown or revoked API key (403).
INVALID_KEY_CODE = "access_denied|access_denied_invalid_key"

_ALTERNATIVE_ORDER_ID = re.compile(r"alternat\w*[\s_-]*order[\s_-]*id", re.IGNORECASE)


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


def detail_text(exc: DigiCertError) -> str:
    """DigiCert's own codes and messages (``code: message; ...``), else ``HTTP <status>``: what
    a resource quotes when it says why CertCentral refused."""
    detail = "; ".join(f"{d.code}: {d.message}" for d in exc.errors)
    return detail or f"HTTP {exc.status}"


def short_reason(exc: DigiCertError) -> str:
    """A few words on what went wrong with a request, for inside a sentence."""
    if isinstance(exc, InvalidResponseError | APIConnectionError):
        return exc.reason
    if exc.status is None:
        return one_line(exc.message, 200)
    detail = "; ".join(f"{d.code}: {d.message}" for d in exc.errors)
    return one_line(f"{exc.status} {detail}".strip(), 200)
