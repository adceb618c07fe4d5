"""The request core: every HTTP exchange with DigiCert goes through :meth:`RequestCore.request`.

It adds the headers (``X-DC-DEVKEY`` or the partner pair, ``Content-Type: application/json`` on
every request, ``Accept``, ``User-Agent``), waits for the per-key rate limiter, sends, retries
by the policy in :mod:`pulumi_digicert.client.retry`, and maps failures to the errors in
:mod:`pulumi_digicert.client.errors`. The API-area modules are thin wrappers over it.

The ``httpx.Client`` is created on first use (so nothing is opened before ``configure``) and is
shared by all threads; keys are sent per request and are never part of a ``repr``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from pulumi_digicert.client import errors
from pulumi_digicert.client.models import DigiCertModel
from pulumi_digicert.client.ratelimit import SlidingWindowLimiter, shared_limiter
from pulumi_digicert.client.retry import Decision, RetryPolicy

if TYPE_CHECKING:
    from pulumi_digicert.config import ProviderSettings

__all__ = [
    "PAGE_SIZE",
    "ApiResponse",
    "Auth",
    "RequestCore",
    "int_id",
    "str_id",
    "user_agent",
]

log = logging.getLogger("pulumi_digicert.client")

#: Page size used when listing (DigiCert's documented maximum).
PAGE_SIZE = 1000
#: Safety stop for pagination against a server that never reports the end.
_MAX_PAGES = 1000
_REDACTED = "****"

ModelT = TypeVar("ModelT", bound=DigiCertModel)


def user_agent() -> str:
    """``pulumi-digicert/<version> (+python httpx)``."""
    try:
        from importlib.metadata import version

        package_version = version("pulumi-digicert")
    except Exception:  # not installed as a distribution
        import pulumi_digicert

        package_version = getattr(pulumi_digicert, "__version__", "0+unknown")
    return f"pulumi-digicert/{package_version} (+python httpx)"


def int_id(value: Any, name: str) -> str:
    """Check a numeric path id and render it.

    Accepts a positive ``int``, an integral ``float`` (ids cross the engine as ``1001.0``) or a
    string of digits; anything else (``bool``, ``0``, ``"abc"``) raises ``ValueError``.
    """
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or number <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return str(number)


def str_id(value: Any, name: str) -> str:
    """Check a string path segment (non-empty) and URL-quote it (``/`` included)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return quote(value, safe="")


@dataclass(frozen=True)
class Auth:
    """Credentials for one request: headers, the key the limiter counts, texts to redact."""

    headers: Mapping[str, str] = field(repr=False)
    limiter_key: str = field(repr=False)
    secrets: tuple[str, ...] = field(repr=False, default=())


@dataclass(frozen=True)
class ApiResponse:
    """A successful response: its status and parsed JSON body (``None`` when empty)."""

    status: int
    data: Any


class RequestCore:
    """Auth, rate limiting, retries and error mapping for every request."""

    def __init__(
        self,
        settings: ProviderSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._sleep = sleep
        self._clock = clock
        policy_args: dict[str, Any] = {"max_retries": settings.max_retries}
        if settings.rate_limit_enabled:
            # After a 429 wait out the burst window actually configured (DigiCert's: 5 s).
            policy_args["rate_limit_floor"] = settings.burst_window
        if random is not None:
            policy_args["random"] = random
        self.policy = RetryPolicy(**policy_args)
        self._http: httpx.Client | None = None
        self._http_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RequestCore(base_url={self.settings.base_url!r})"

    # -- connection -----------------------------------------------------------------------

    @property
    def http(self) -> httpx.Client:
        """The shared ``httpx.Client``, created on first use."""
        client = self._http
        if client is None:
            with self._http_lock:
                client = self._http
                if client is None:
                    client = httpx.Client(
                        transport=self._transport,
                        timeout=httpx.Timeout(self.settings.request_timeout),
                        headers={
                            "User-Agent": user_agent(),
                            "Accept": "application/json",
                            "Content-Type": "application/json",
                        },
                        follow_redirects=False,
                    )
                    self._http = client
        return client

    def close(self) -> None:
        """Close the connection pool (a later request opens a new one)."""
        with self._http_lock:
            client, self._http = self._http, None
        if client is not None:
            client.close()

    # -- credentials ----------------------------------------------------------------------

    def services_auth(self) -> Auth:
        """``X-DC-DEVKEY`` from ``digicert:apiKey`` / ``DIGICERT_API_KEY``."""
        key = self.settings.api_key.get() if self.settings.api_key is not None else ""
        if not key:
            raise errors.MissingCredentialsError(
                "No DigiCert API key is configured: set the stack config `digicert:apiKey` "
                "(pulumi config set --secret digicert:apiKey ...) or the environment variable "
                "DIGICERT_API_KEY."
            )
        return Auth(headers={"X-DC-DEVKEY": key}, limiter_key=key, secrets=(key,))

    def partner_auth(self, devkey: str, partner_key: str | None = None) -> Auth:
        """``X-PARTNER-APIKEY`` (override or ``digicert:partnerApiKey``) plus ``X-DC-DEVKEY``."""
        if partner_key is None and self.settings.partner_api_key is not None:
            partner_key = self.settings.partner_api_key.get()
        if not partner_key:
            raise errors.MissingCredentialsError(
                "No DigiCert partner API key is configured: set the stack config "
                "`digicert:partnerApiKey` (pulumi config set --secret digicert:partnerApiKey ...) "
                "or the environment variable DIGICERT_PARTNER_API_KEY, or pass partner_api_key."
            )
        secrets = tuple(s for s in (partner_key, devkey, self._configured_key()) if s)
        return Auth(
            headers={"X-PARTNER-APIKEY": partner_key, "X-DC-DEVKEY": devkey},
            limiter_key=partner_key,
            secrets=secrets,
        )

    def _configured_key(self) -> str:
        return self.settings.api_key.get() if self.settings.api_key is not None else ""

    def _limiter(self, auth: Auth) -> SlidingWindowLimiter | None:
        windows = self.settings.rate_limits
        if not windows:
            return None
        return shared_limiter(auth.limiter_key, windows, clock=self._clock)

    # -- requests -------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
        partner: bool = False,
        auth: Auth | None = None,
    ) -> ApiResponse:
        """Send one logical request (with retries) and return its parsed 2xx response.

        ``path`` is relative to the Services base URL (or the Partner base URL with
        ``partner=True``) and must already be quoted. ``idempotent`` defaults to
        ``method != "POST"``; a non-idempotent request is never resent once it may have
        reached DigiCert (see :mod:`pulumi_digicert.client.retry`).
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method != "POST"
        creating = not idempotent
        if auth is None:
            auth = self.services_auth()
        base = self.settings.partner_base_url if partner else self.settings.base_url
        url = base.rstrip("/") + path
        content = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        query = _query(params)
        limiter = self._limiter(auth)
        http = self.http
        retries_taken = 0

        while True:
            started = limiter.acquire_start(self._sleep) if limiter is not None else 0.0
            try:
                response = http.request(
                    method, url, params=query, content=content, headers=dict(auth.headers)
                )
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                if limiter is not None:
                    limiter.complete(started)
                error = self._transport_error(exc, method, path, auth)
                decision = (
                    self.policy.decide_transport_error(exc, creating=creating)
                    if isinstance(exc, httpx.TransportError)
                    else Decision.RAISE
                )
                if decision is Decision.OUTCOME_UNKNOWN:
                    raise errors.OutcomeUnknownError(error) from exc
                if decision is Decision.RETRY and retries_taken < self.policy.max_retries:
                    delay = self.policy.delay(retries_taken)
                    log.debug(
                        "retrying %s %s in %.2fs after %s", method, path, delay, type(exc).__name__
                    )
                    self._sleep(delay)
                    retries_taken += 1
                    continue
                raise error from exc

            if limiter is not None:
                limiter.complete(started)
            if response.is_success:
                return self._success(response, method, path, auth, creating=creating)

            status_error = self._status_error(response, method, path, auth)
            decision = self.policy.decide_status(response.status_code, creating=creating)
            if decision is Decision.OUTCOME_UNKNOWN:
                raise errors.OutcomeUnknownError(status_error)
            if decision is Decision.RETRY and retries_taken < self.policy.max_retries:
                delay = self.policy.delay(
                    retries_taken, status=response.status_code, headers=response.headers
                )
                log.debug(
                    "retrying %s %s in %.2fs after HTTP %d",
                    method,
                    path,
                    delay,
                    response.status_code,
                )
                self._sleep(delay)
                retries_taken += 1
                continue
            raise status_error

    def get(self, path: str, *, params: Mapping[str, Any] | None = None) -> ApiResponse:
        """``GET path``."""
        return self.request("GET", path, params=params)

    def paginate(
        self, path: str, key: str, *, params: Mapping[str, Any] | None = None
    ) -> list[Any]:
        """Every item of a paged list endpoint (``{key: [...], "page": {...}}``)."""
        items: list[Any] = []
        offset = 0
        for _ in range(_MAX_PAGES):
            page_params = dict(params or {})
            page_params.update({"limit": PAGE_SIZE, "offset": offset})
            data = self.get(path, params=page_params).data
            if not isinstance(data, Mapping):
                break
            page_items = data.get(key) or []
            if not isinstance(page_items, list):
                break
            items.extend(page_items)
            page = data.get("page")
            total = page.get("total") if isinstance(page, Mapping) else None
            offset += len(page_items)
            if not page_items:
                break
            if isinstance(total, int | float | str) and str(total).strip().isdigit():
                if offset >= int(str(total).strip()):
                    break
            elif len(page_items) < PAGE_SIZE:
                break
        return items

    def parse(
        self, model: type[ModelT], data: Any, method: str, path: str, *, creating: bool = False
    ) -> ModelT:
        """Validate ``data`` as ``model``; a mismatch is an :class:`InvalidResponseError`."""
        try:
            return model.model_validate(data if data is not None else {})
        except ValidationError as exc:
            error = errors.InvalidResponseError(
                f"DigiCert API {method} {path} returned a response the client cannot read "
                f"as {model.__name__}: {exc.error_count()} problem(s)",
                method=method,
                path=path,
            )
            if creating:
                raise errors.OutcomeUnknownError(error) from exc
            raise error from exc

    def parse_list(self, model: type[ModelT], items: Iterable[Any], path: str) -> list[ModelT]:
        """Validate every list item as ``model``."""
        return [self.parse(model, item, "GET", path) for item in items]

    # -- mapping --------------------------------------------------------------------------

    @staticmethod
    def _redact(text: str, auth: Auth) -> str:
        for secret in auth.secrets:
            if secret:
                text = text.replace(secret, _REDACTED)
        return text

    def _success(
        self, response: httpx.Response, method: str, path: str, auth: Auth, *, creating: bool
    ) -> ApiResponse:
        if response.status_code == 204 or not response.content.strip():
            return ApiResponse(response.status_code, None)
        try:
            data = response.json()
        except ValueError as exc:
            excerpt = errors.truncate(self._redact(response.text, auth))
            error = errors.InvalidResponseError(
                f"DigiCert API {method} {path} returned {response.status_code} with a body that "
                f"is not JSON: {excerpt}",
                method=method,
                path=path,
                status=response.status_code,
            )
            if creating:
                raise errors.OutcomeUnknownError(error) from exc
            raise error from exc
        return ApiResponse(response.status_code, data)

    def _status_error(
        self, response: httpx.Response, method: str, path: str, auth: Auth
    ) -> errors.APIStatusError:
        text = response.text
        details: list[errors.ApiErrorDetail] = []
        try:
            details = errors.error_details_from_body(response.json())
        except ValueError:
            details = []
        details = [
            errors.ApiErrorDetail(
                code=self._redact(detail.code, auth), message=self._redact(detail.message, auth)
            )
            for detail in details
        ]
        excerpt = "" if details else errors.truncate(self._redact(text, auth))
        return errors.status_error(
            method=method,
            path=path,
            status=response.status_code,
            details=details,
            body_excerpt=excerpt,
        )

    def _transport_error(
        self, exc: Exception, method: str, path: str, auth: Auth
    ) -> errors.APIConnectionError:
        kind = type(exc).__name__
        detail = self._redact(str(exc), auth) or kind
        never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        request_sent = False if never_sent else None
        if isinstance(exc, httpx.TimeoutException):
            return errors.APITimeoutError(
                f"DigiCert API {method} {path} timed out ({kind}): {detail}",
                method=method,
                path=path,
                request_sent=request_sent,
            )
        return errors.APIConnectionError(
            f"DigiCert API {method} {path} failed without a response ({kind}): {detail}",
            method=method,
            path=path,
            request_sent=request_sent,
        )


def _query(params: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Drop ``None`` values and render booleans as ``true``/``false``."""
    if not params:
        return None
    rendered: dict[str, str] = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            rendered[name] = "true" if value else "false"
        else:
            rendered[name] = str(value)
    return rendered or None
