"""Provider settings, read from stack config, then the environment, then defaults.

| stack config                     | environment                     | default                |
|----------------------------------|---------------------------------|------------------------|
| ``digicert:apiKey`` (secret)     | ``DIGICERT_API_KEY``            | none (1)               |
| ``digicert:baseUrl``             | ``DIGICERT_BASE_URL``           | ``DEFAULT_BASE_URL``   |
| ``digicert:partnerApiKey`` (s.)  | ``DIGICERT_PARTNER_API_KEY``    | none (1)               |
| ``digicert:partnerBaseUrl``      | ``DIGICERT_PARTNER_BASE_URL``   | ``DEFAULT_PARTNER_..`` |
| ``digicert:maxRetries``          | ``DIGICERT_MAX_RETRIES``        | 4 (2)                  |
| ``digicert:requestTimeout``      | ``DIGICERT_REQUEST_TIMEOUT``    | 30 seconds (3)         |
| ``digicert:rateLimit``           | ``DIGICERT_RATE_LIMIT``         | ``on`` (4)             |
| ``digicert:rateLimitBurst``      | ``DIGICERT_RATE_LIMIT_BURST``   | ``100/5`` (5)          |
| ``digicert:rateLimitSustained``  | ``DIGICERT_RATE_LIMIT_SUSTAINED``| ``1000/180`` (5)      |

(1) The first API call that needs the key fails with a message naming the config key and the
    environment variable. (2) Retries after the first attempt (see ``client/retry.py``).
(3) Per attempt: connect, write, read and pool wait each. (4) ``off`` (or ``false``/``0``)
    disables the client-side limiter. (5) ``<requests>/<seconds>``.

The rate limits mirror DigiCert's documented per-key limits (100 requests per 5 seconds and
1000 per 3 minutes); DigiCert has changed them before, so they are settings. The limiter is
client-side and per API key per process: set them lower when several processes share a key.

Rules:

* A value set in stack config wins over the environment; an empty string counts as unset.
* :meth:`ProviderSettings.resolve` never raises for a missing key, so ``check``/``diff``
  (and ``pulumi preview``) work without credentials. A call that needs a key raises
  :class:`~pulumi_digicert.client.errors.MissingCredentialsError`.
* A value that does not parse raises :class:`~pulumi_digicert.client.errors.ConfigError` naming
  the config key or environment variable it came from (never the value of a secret).
* Keys are wrapped in :class:`Secret`, whose ``repr``/``str`` is ``Secret('****')`` and which
  refuses to be pickled, so settings never leak into logs or serialized provider state.
"""

from __future__ import annotations

import copy
import hmac
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from pulumi_digicert.client.errors import ConfigError

if TYPE_CHECKING:
    import pulumi.dynamic

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_BURST_LIMIT",
    "DEFAULT_BURST_WINDOW",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_PARTNER_BASE_URL",
    "DEFAULT_REQUEST_TIMEOUT",
    "DEFAULT_SUSTAINED_LIMIT",
    "DEFAULT_SUSTAINED_WINDOW",
    "ConfigError",
    "ProviderSettings",
    "Secret",
]

DEFAULT_BASE_URL = "https://www.digicert.com/services/v2"
DEFAULT_PARTNER_BASE_URL = "https://www.digicert.com/partner-subscription/api/v1"
#: Retries after the first attempt of one request (so at most 5 attempts). With the backoff
#: policy in ``client/retry.py`` the retries of a 5xx span about 7.5 s at most.
DEFAULT_MAX_RETRIES = 4
#: Seconds allowed for each attempt (connect, write, read and pool wait each).
DEFAULT_REQUEST_TIMEOUT = 30.0
#: DigiCert's burst limit: 100 requests per 5 seconds per API key.
DEFAULT_BURST_LIMIT = 100
DEFAULT_BURST_WINDOW = 5.0
#: DigiCert's sustained limit: 1000 requests per 3 minutes per API key.
DEFAULT_SUSTAINED_LIMIT = 1000
DEFAULT_SUSTAINED_WINDOW = 180.0

_NAMESPACE = "digicert"
_OFF = frozenset({"off", "false", "0", "no", "disabled"})
_ON = frozenset({"on", "true", "1", "yes", "enabled"})


class Secret:
    """A secret string that never shows itself.

    ``repr``/``str`` give ``Secret('****')``; :meth:`get` returns the value. Pickling raises
    ``TypeError`` so a secret can never end up in serialized provider state.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("Secret wraps a str")
        self._value = value

    def get(self) -> str:
        """The secret value."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> NoReturn:
        raise TypeError("Secret values cannot be pickled (they must never reach provider state)")

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret:
        return self


@dataclass(frozen=True)
class ProviderSettings:
    """Everything the client needs, resolved once in ``ResourceProvider.configure``."""

    api_key: Secret | None = None
    """CertCentral Services API key (``X-DC-DEVKEY``); ``None`` when not configured."""
    base_url: str = DEFAULT_BASE_URL
    """CertCentral Services API v2 base URL (EU: ``https://certcentral.digicert.eu/services/v2``)."""
    partner_api_key: Secret | None = None
    """Partner Subscriptions key (``X-PARTNER-APIKEY``); ``None`` when not configured."""
    partner_base_url: str = DEFAULT_PARTNER_BASE_URL
    """Partner Subscriptions API base URL."""
    max_retries: int = DEFAULT_MAX_RETRIES
    """Retries after the first attempt of a request that may be retried (see client/retry.py)."""
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    """Seconds allowed for each attempt."""
    rate_limit_enabled: bool = True
    """Whether the client-side per-key rate limiter is on."""
    burst_limit: int = DEFAULT_BURST_LIMIT
    """Requests allowed per ``burst_window`` seconds, per key."""
    burst_window: float = DEFAULT_BURST_WINDOW
    """Length of the burst window in seconds."""
    sustained_limit: int = DEFAULT_SUSTAINED_LIMIT
    """Requests allowed per ``sustained_window`` seconds, per key."""
    sustained_window: float = DEFAULT_SUSTAINED_WINDOW
    """Length of the sustained window in seconds."""

    @property
    def rate_limits(self) -> tuple[tuple[int, float], ...]:
        """The limiter windows as ``(requests, seconds)`` pairs; empty when disabled."""
        if not self.rate_limit_enabled:
            return ()
        return (
            (self.burst_limit, self.burst_window),
            (self.sustained_limit, self.sustained_window),
        )

    @classmethod
    def resolve(
        cls,
        config: pulumi.dynamic.Config | Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> ProviderSettings:
        """Resolve settings from stack config, then ``environ`` (default ``os.environ``).

        ``config`` is the ``pulumi.dynamic.Config`` given to ``configure`` or a mapping keyed
        ``digicert:<name>`` (a bare ``<name>`` is accepted too). Missing keys never raise;
        values that do not parse raise :class:`ConfigError` naming their source.
        """
        reader = _Reader(config, os.environ if environ is None else environ)
        burst_limit, burst_window = reader.window(
            "rateLimitBurst", "DIGICERT_RATE_LIMIT_BURST", DEFAULT_BURST_LIMIT, DEFAULT_BURST_WINDOW
        )
        sustained_limit, sustained_window = reader.window(
            "rateLimitSustained",
            "DIGICERT_RATE_LIMIT_SUSTAINED",
            DEFAULT_SUSTAINED_LIMIT,
            DEFAULT_SUSTAINED_WINDOW,
        )
        return cls(
            api_key=reader.secret("apiKey", "DIGICERT_API_KEY"),
            base_url=reader.url("baseUrl", "DIGICERT_BASE_URL", DEFAULT_BASE_URL),
            partner_api_key=reader.secret("partnerApiKey", "DIGICERT_PARTNER_API_KEY"),
            partner_base_url=reader.url(
                "partnerBaseUrl", "DIGICERT_PARTNER_BASE_URL", DEFAULT_PARTNER_BASE_URL
            ),
            max_retries=reader.integer("maxRetries", "DIGICERT_MAX_RETRIES", DEFAULT_MAX_RETRIES),
            request_timeout=reader.seconds(
                "requestTimeout", "DIGICERT_REQUEST_TIMEOUT", DEFAULT_REQUEST_TIMEOUT
            ),
            rate_limit_enabled=reader.switch("rateLimit", "DIGICERT_RATE_LIMIT", default=True),
            burst_limit=burst_limit,
            burst_window=burst_window,
            sustained_limit=sustained_limit,
            sustained_window=sustained_window,
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> ProviderSettings:
        return copy.copy(self)


class _Reader:
    """Looks a setting up in stack config, then the environment; remembers where it was found."""

    def __init__(
        self, config: pulumi.dynamic.Config | Mapping[str, Any] | None, environ: Mapping[str, str]
    ) -> None:
        self._config = config
        self._environ = environ

    def _from_config(self, name: str) -> Any:
        if self._config is None:
            return None
        full = f"{_NAMESPACE}:{name}"
        if isinstance(self._config, Mapping):
            value = self._config.get(full)
            if value is None:
                value = self._config.get(name)
            return value
        return self._config.get(full)

    def raw(self, name: str, env: str) -> tuple[Any, str] | None:
        """The first non-empty value and the name of its source, or ``None``."""
        value = self._from_config(name)
        if not _is_unset(value):
            return value, f"{_NAMESPACE}:{name}"
        env_value = self._environ.get(env)
        if not _is_unset(env_value):
            return env_value, env
        return None

    def secret(self, name: str, env: str) -> Secret | None:
        found = self.raw(name, env)
        if found is None:
            return None
        value, source = found
        if isinstance(value, Secret):
            return value
        if not isinstance(value, str):
            raise ConfigError(f"{source} must be a string", key=source)
        return Secret(value.strip())

    def url(self, name: str, env: str, default: str) -> str:
        found = self.raw(name, env)
        if found is None:
            return default
        value, source = found
        text = str(value).strip()
        if not text.startswith(("http://", "https://")):
            raise ConfigError(f"{source} must be an http(s) URL, got {_shown(value)}", key=source)
        return text.rstrip("/")

    def integer(self, name: str, env: str, default: int) -> int:
        found = self.raw(name, env)
        if found is None:
            return default
        value, source = found
        number = _to_number(value)
        if number is None or not number.is_integer() or number < 0:
            raise ConfigError(
                f"{source} must be a whole number >= 0, got {_shown(value)}", key=source
            )
        return int(number)

    def seconds(self, name: str, env: str, default: float) -> float:
        found = self.raw(name, env)
        if found is None:
            return default
        value, source = found
        number = _to_number(value)
        if number is None or number <= 0:
            raise ConfigError(
                f"{source} must be a number of seconds > 0, got {_shown(value)}", key=source
            )
        return number

    def switch(self, name: str, env: str, *, default: bool) -> bool:
        found = self.raw(name, env)
        if found is None:
            return default
        value, source = found
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _ON:
            return True
        if text in _OFF:
            return False
        raise ConfigError(f"{source} must be 'on' or 'off', got {_shown(value)}", key=source)

    def window(
        self, name: str, env: str, default_limit: int, default_seconds: float
    ) -> tuple[int, float]:
        found = self.raw(name, env)
        if found is None:
            return default_limit, default_seconds
        value, source = found
        limit_text, sep, seconds_text = str(value).partition("/")
        limit = _to_number(limit_text)
        seconds = _to_number(seconds_text) if sep else None
        if limit is None or not limit.is_integer() or limit < 1 or seconds is None or seconds <= 0:
            raise ConfigError(
                f"{source} must look like '<requests>/<seconds>' (e.g. '100/5'), "
                f"got {_shown(value)}",
                key=source,
            )
        return int(limit), seconds


def _is_unset(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _shown(value: Any) -> str:
    """A short rendering of a bad (non-secret) value for an error message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."
