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
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from pulumi_digicert._notice import log as package_log
from pulumi_digicert._notice import notice
from pulumi_digicert._numbers import whole_number
from pulumi_digicert._version import __version__
from pulumi_digicert.client import errors
from pulumi_digicert.client._redaction import Redactor, log_redaction, redactor_for
from pulumi_digicert.client._transport import (
    MAX_RESPONSE_BYTES,
    Answer,
    DeadlineTransport,
    answer_text,
    attempt_deadline,
    is_json_type,
    read_capped,
    transport_reason,
)
from pulumi_digicert.client.models import DigiCertModel
from pulumi_digicert.client.ratelimit import SlidingWindowLimiter, shared_limiter
from pulumi_digicert.client.retry import Decision, RetryPolicy

if TYPE_CHECKING:
    from pulumi_digicert.config import ProviderSettings

__all__ = [
    "MAX_RESPONSE_BYTES",
    "PAGE_SIZE",
    "ApiResponse",
    "Auth",
    "RequestCore",
    "int_id",
    "is_printable_key",
    "str_id",
    "user_agent",
    "whole_number",
]

log = package_log.getChild("client")

#: Page size used when listing (DigiCert's documented maximum).
PAGE_SIZE = 1000
#: Safety stop for pagination against a server that never reports the end.
_MAX_PAGES = 1000
#: Largest answer read (DigiCert's biggest, a page of 1000 domains, is far smaller).

ModelT = TypeVar("ModelT", bound=DigiCertModel)
T = TypeVar("T")
E = TypeVar("E", bound=errors.DigiCertError)


def user_agent() -> str:
    """``pulumi-digicert/<version> (+python httpx)``."""
    try:
        from importlib.metadata import version

        package_version = version("pulumi-digicert")
    except Exception:  # not installed as a distribution
        package_version = __version__
    return f"pulumi-digicert/{package_version} (+python httpx)"


def int_id(value: Any, name: str) -> str:
    """Check a numeric path id and render it.

    Accepts a positive ``int``, an integral ``float`` (ids cross the engine as ``1001.0``) or a
    string of digits; anything else (``bool``, ``0``, ``"abc"``) raises ``ValueError``.
    """
    number = whole_number(value)
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
    """Credentials for one request: headers, the key the limiter counts, texts to redact, and
    the names of the settings the keys came from (for messages; never the values)."""

    headers: Mapping[str, str] = field(repr=False)
    limiter_key: str = field(repr=False)
    secrets: tuple[str, ...] = field(repr=False, default=())
    key_setting: str = "digicert:apiKey (or DIGICERT_API_KEY)"


def _checked_key(key: str, setting: str) -> str:
    """``key`` if it can be sent as a header value; otherwise an error naming ``setting``.

    A line break or control character in a header would be refused by the HTTP library with a
    message quoting the whole value: check first, and never show it.
    """
    if not is_printable_key(key):
        raise errors.ConfigError(
            f"{setting} must be printable ASCII without spaces or line breaks; the key was not "
            "sent (set it again without the extra characters)",
            key=setting,
        )
    return key


def is_printable_key(key: str) -> bool:
    """Whether ``key`` is visible ASCII only (``!`` to ``~``): what an API key is made of."""
    return bool(key) and all("!" <= char <= "~" for char in key)


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
                        transport=self._transport or DeadlineTransport(),
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
        _checked_key(key, "digicert:apiKey (or DIGICERT_API_KEY)")
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
        partner_setting = "digicert:partnerApiKey (or DIGICERT_PARTNER_API_KEY, or partner_api_key)"
        _checked_key(partner_key, partner_setting)
        _checked_key(devkey, "billing_account_api_key")
        secrets = tuple(s for s in (partner_key, devkey, self._configured_key()) if s)
        return Auth(
            headers={"X-PARTNER-APIKEY": partner_key, "X-DC-DEVKEY": devkey},
            limiter_key=partner_key,
            secrets=secrets,
            key_setting=f"{partner_setting} or billing_account_api_key",
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
        redact: Iterable[str] = (),
        text: bool = False,
    ) -> ApiResponse:
        """Send one logical request (with retries) and return its parsed 2xx response.

        ``path`` is relative to the Services base URL (or the Partner base URL with
        ``partner=True``) and must already be quoted. ``idempotent`` defaults to
        ``method != "POST"``; a non-idempotent request is never resent once it may have
        reached DigiCert (see :mod:`pulumi_digicert.client.retry`). ``redact`` lists further
        secrets of this request (card number, CVV) that must not appear in any error it raises.

        Each attempt has one deadline, ``digicert:requestTimeout`` from its start to the last
        byte of the answer, and answers larger than :data:`MAX_RESPONSE_BYTES` are not read.

        ``text=True`` asks for a document that is not JSON (a certificate download): the 2xx
        body is returned as text, and a JSON answer with a 2xx is unreadable.
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method != "POST"
        creating = not idempotent
        if auth is None:
            auth = self.services_auth()
        redactor = redactor_for((*auth.secrets, *redact))
        log_redaction.register(auth.secrets)
        base_setting = "digicert:partnerBaseUrl" if partner else "digicert:baseUrl"
        base = self.settings.partner_base_url if partner else self.settings.base_url
        url = base.rstrip("/") + path
        content = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        query = _query(params)
        limiter = self._limiter(auth)
        http = self.http
        retries_taken = 0

        def annotate(error: E) -> E:
            error.base_url_setting = base_setting
            error.key_setting = auth.key_setting
            error.attempts = retries_taken + 1
            if isinstance(error, errors.OutcomeUnknownError):
                annotate(error.cause)
            return error

        while True:
            started = limiter.acquire_start(self._sleep) if limiter is not None else 0.0
            try:
                answer = self._attempt(
                    http, method, url, query, content, auth, creating=creating, text=text
                )
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                if limiter is not None:
                    limiter.complete(started)
                error = annotate(self._transport_error(exc, method, path))
                decision = (
                    self.policy.decide_transport_error(exc, creating=creating)
                    if isinstance(exc, httpx.TransportError)
                    else Decision.RAISE
                )
                if decision is Decision.OUTCOME_UNKNOWN:
                    raise annotate(errors.OutcomeUnknownError(error)) from exc
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
            response = answer.response
            if response.is_success:
                try:
                    return self._success(
                        answer, method, path, redactor, creating=creating, text=text
                    )
                except errors.DigiCertError as exc:
                    raise annotate(exc) from None

            status_error = annotate(self._status_error(answer, method, path, redactor))
            decision = self.policy.decide_status(response.status_code, creating=creating)
            if decision is Decision.OUTCOME_UNKNOWN:
                raise annotate(errors.OutcomeUnknownError(status_error))
            if decision is Decision.RETRY and retries_taken < self.policy.max_retries:
                delay = self.policy.delay(
                    retries_taken, status=response.status_code, headers=response.headers
                )
                if response.status_code == 429:
                    notice(
                        f"DigiCert's rate limit was reached (429 on {method} {path}): "
                        f"waiting {delay:.1f} s before trying again"
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

    def _attempt(
        self,
        http: httpx.Client,
        method: str,
        url: str,
        query: dict[str, str] | None,
        content: bytes | None,
        auth: Auth,
        *,
        creating: bool,
        text: bool = False,
    ) -> Answer:
        """One attempt, bounded by one deadline from connect to the answer's last byte."""
        deadline = time.monotonic() + self.settings.request_timeout
        headers = dict(auth.headers)
        if text:
            headers["Accept"] = "*/*"
        with attempt_deadline(deadline):
            response = http.send(
                http.build_request(method, url, params=query, content=content, headers=headers),
                stream=True,
            )
            try:
                body, complete = read_capped(response, deadline)
            except httpx.TransportError:
                if not (creating and response.is_success):
                    raise
                # The 2xx status arrived, then the body broke off: for a creating request that
                # status is the proof it was applied, so it must not read as "no answer".
                body, complete = b"", False
            finally:
                response.close()
        return Answer(response, body, complete)

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
        """Validate ``data`` as ``model``; a mismatch is an :class:`InvalidResponseError`.

        For a creating request the 2xx proves the object exists, so the error raised is an
        :class:`OutcomeUnknownError` with ``accepted`` set: look it up, never send it again.
        """
        try:
            return model.model_validate(data if data is not None else {})
        except (ValidationError, RecursionError) as exc:
            problems = exc.error_count() if isinstance(exc, ValidationError) else "nesting"
            error = errors.InvalidResponseError(
                f"DigiCert API {method} {path} returned a response the client cannot read "
                f"as {model.__name__}: {problems} problem(s)",
                method=method,
                path=path,
                reason=f"not a {model.__name__}",
            )
            if creating:
                raise errors.OutcomeUnknownError(error, accepted=True) from None
            raise error from None

    def find_after_unknown_outcome(
        self, lookup: Callable[[], T | None], *, accepted: bool = False
    ) -> T | None:
        """Look for an object whose creating request may or may not have been applied.

        ``lookup`` returns the object, or ``None`` for DigiCert's documented "none". It is
        asked again as the retry policy says (the lookup's own requests retry too; this covers
        the stretch in which the API cannot be reached at all, e.g. a maintenance window right
        after the request, and answers that cannot be read). Raises the last error when no
        attempt answered. With ``accepted`` (the request got a 2xx, so the object exists) a
        lookup that finds nothing is asked again after the policy's index-lag delays.
        """
        found = self._until_answered(lookup)
        for delay in self.policy.accepted_lookup_delays if accepted else ():
            if found is not None:
                break
            self._sleep(delay)
            found = self._until_answered(lookup)
        return found

    def _until_answered(self, lookup: Callable[[], T | None]) -> T | None:
        attempts_made = 0
        while True:
            try:
                return lookup()
            except errors.DigiCertError as exc:
                attempts_made += 1
                decision = self.policy.decide_lookup(exc, attempts_made=attempts_made)
                if decision is not Decision.RETRY:
                    raise
                delay = self.policy.lookup_delay(attempts_made)
                log.debug("lookup unanswered (%s); again in %.1fs", type(exc).__name__, delay)
                self._sleep(delay)

    def parse_list(self, model: type[ModelT], items: Iterable[Any], path: str) -> list[ModelT]:
        """Validate every list item as ``model``."""
        return [self.parse(model, item, "GET", path) for item in items]

    # -- mapping --------------------------------------------------------------------------

    def _success(
        self,
        answer: Answer,
        method: str,
        path: str,
        redactor: Redactor,
        *,
        creating: bool,
        text: bool = False,
    ) -> ApiResponse:
        response = answer.response
        status = response.status_code

        def unreadable(reason: str) -> errors.DigiCertError:
            error = errors.InvalidResponseError(
                f"DigiCert API {method} {path} returned {status} with a body the client cannot "
                f"read ({reason})",
                method=method,
                path=path,
                status=status,
                reason=reason,
            )
            # A 2xx to a creating request proves it was applied: never send it again.
            return errors.OutcomeUnknownError(error, accepted=True) if creating else error

        if not answer.complete:
            if answer.body:
                raise unreadable(f"larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MiB")
            raise unreadable("too large, or cut off before its end")
        if status == 204 or not answer.body.strip():
            return ApiResponse(status, None)
        if text:
            if is_json_type(response.headers.get("content-type")):
                raise unreadable("JSON instead of the document asked for")
            try:
                return ApiResponse(status, answer.body.decode("utf-8"))
            except UnicodeDecodeError:
                raise unreadable("not UTF-8 text") from None
        if not is_json_type(response.headers.get("content-type")):
            raise unreadable("not JSON: wrong content type")
        try:
            data = json.loads(answer.body)
        except RecursionError:
            raise unreadable("JSON nested too deeply") from None
        except ValueError:  # also UnicodeDecodeError and oversized integers
            excerpt = errors.truncate(redactor(answer_text(answer)), 80)
            raise unreadable(f"not JSON: {excerpt}" if excerpt else "not JSON") from None
        return ApiResponse(status, data)

    def _status_error(
        self, answer: Answer, method: str, path: str, redactor: Redactor
    ) -> errors.APIStatusError:
        details: list[errors.ApiErrorDetail] = []
        if answer.complete:
            try:
                details = errors.error_details_from_body(json.loads(answer.body))
            except (ValueError, RecursionError):
                details = []
        details = [
            errors.ApiErrorDetail(code=redactor(detail.code), message=redactor(detail.message))
            for detail in details
        ]
        excerpt = "" if details else errors.truncate(redactor(answer_text(answer)))
        return errors.status_error(
            method=method,
            path=path,
            status=answer.response.status_code,
            details=details,
            body_excerpt=excerpt,
        )

    @staticmethod
    def _transport_error(exc: Exception, method: str, path: str) -> errors.APIConnectionError:
        # Built from the failure's kind and the OS's reason only: httpx's own text can hold the
        # URL (user, password, query) or a header value, and is never quoted.
        kind = type(exc).__name__
        reason = transport_reason(exc)
        never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        request_sent = False if never_sent else None
        cls: type[errors.APIConnectionError] = errors.APIConnectionError
        what = "failed without a response"
        if isinstance(exc, httpx.TimeoutException):
            cls, what = errors.APITimeoutError, "timed out"
        return cls(
            f"DigiCert API {method} {path} {what} ({kind}): {reason}",
            method=method,
            path=path,
            request_sent=request_sent,
            reason=reason,
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
