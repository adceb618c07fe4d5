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
(3) For each attempt as a whole, from connecting to the answer's last byte
    (not per read: a server trickling bytes cannot hold a request longer).
(4) ``off`` (or ``false``/``0``) disables the client-side limiter. (5) ``<requests>/<seconds>``.

The rate limits mirror DigiCert's documented per-key limits (100 requests per 5 seconds and
1000 per 3 minutes); DigiCert has changed them before, so they are settings. The limiter is
client-side and per API key per process: set them lower when several processes share a key.

Rules:

* A value set in stack config wins over the environment; an empty string counts as unset.
* The engine hands a dynamic provider the whole stack config, every namespace
  (pulumi/pulumi ``pkg/resource/deploy/target.go``, ``GetPackageConfig``: "For dynamic
  providers, we always pass the full configuration", keys kept as ``namespace:name``). Keys of
  other namespaces (``aws:region``, ``<project>:...``) are ignored; an unknown ``digicert:*``
  key is refused, naming the closest known one, so a misspelt key is never silently dropped.
* Keys must be printable ASCII without spaces (what DigiCert issues): anything else is refused
  naming the setting, never showing the value.
* ``baseUrl``/``partnerBaseUrl`` must be ``https://`` (plain ``http://`` only to a loopback
  address), with no user, password, query or fragment; an error never echoes the URL.
* :meth:`ProviderSettings.resolve` never raises for a missing key, so ``check``/``diff``
  (and ``pulumi preview``) work without credentials. A call that needs a key raises
  :class:`~pulumi_digicert._exceptions.MissingCredentialsError`.
* A value that does not parse raises :class:`~pulumi_digicert._exceptions.ConfigError` naming
  the config key or environment variable it came from, in one sentence that says what is
  expected; the value itself is never quoted (a key pasted into the wrong setting stays hidden).
* Keys are wrapped in :class:`Secret`, whose ``repr``/``str`` is ``Secret('****')`` and which
  refuses to be pickled, so settings never leak into logs or serialized provider state.
"""

from __future__ import annotations

import copy
import difflib
import hmac
import ipaddress
import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar
from urllib.parse import urlsplit

from pulumi_digicert._exceptions import ConfigError

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
    "SETTING_NAMES",
    "ConfigError",
    "ProviderSettings",
    "Secret",
]

DEFAULT_BASE_URL = "https://www.digicert.com/services/v2"
DEFAULT_PARTNER_BASE_URL = "https://www.digicert.com/partner-subscription/api/v1"
#: Retries after the first attempt of one request (so at most 5 attempts). With the backoff
#: policy in ``client/retry.py`` the retries of a 5xx span about 7.5 s at most.
DEFAULT_MAX_RETRIES = 4
#: Seconds allowed for each attempt as a whole (connect, send, and the whole answer).
DEFAULT_REQUEST_TIMEOUT = 30.0
#: DigiCert's burst limit: 100 requests per 5 seconds per API key.
DEFAULT_BURST_LIMIT = 100
DEFAULT_BURST_WINDOW = 5.0
#: DigiCert's sustained limit: 1000 requests per 3 minutes per API key.
DEFAULT_SUSTAINED_LIMIT = 1000
DEFAULT_SUSTAINED_WINDOW = 180.0

_NAMESPACE = "digicert"
#: Every ``digicert:<name>`` the provider reads.
SETTING_NAMES: tuple[str, ...] = (
    "apiKey",
    "baseUrl",
    "partnerApiKey",
    "partnerBaseUrl",
    "maxRetries",
    "requestTimeout",
    "rateLimit",
    "rateLimitBurst",
    "rateLimitSustained",
)
_T = TypeVar("_T")
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
    """Seconds allowed for each attempt, from connecting to the answer's last byte."""
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
        _refuse_unknown_keys(_config_keys(config))
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

    def read(self, name: str, env: str, default: _T, parse: Callable[[Any, str], _T]) -> _T:
        """The setting as ``parse(value, source)`` reads it, or ``default`` when it is unset."""
        found = self.raw(name, env)
        return default if found is None else parse(*found)

    def secret(self, name: str, env: str) -> Secret | None:
        return self.read(name, env, None, _secret)

    def url(self, name: str, env: str, default: str) -> str:
        return self.read(name, env, default, lambda value, source: _url(value, source, default))

    def integer(self, name: str, env: str, default: int) -> int:
        return self.read(name, env, default, _integer)

    def seconds(self, name: str, env: str, default: float) -> float:
        return self.read(name, env, default, _seconds)

    def switch(self, name: str, env: str, *, default: bool) -> bool:
        return self.read(name, env, default, _switch)

    def window(
        self, name: str, env: str, default_limit: int, default_seconds: float
    ) -> tuple[int, float]:
        return self.read(name, env, (default_limit, default_seconds), _window)


def _secret(value: Any, source: str) -> Secret:
    text = value.get() if isinstance(value, Secret) else value
    if not isinstance(text, str):
        raise ConfigError(f"{source} must be a string (an API key)", key=source)
    text = text.strip()
    if not all("!" <= char <= "~" for char in text):
        raise ConfigError(
            f"{source} must be printable ASCII without spaces or line breaks, as DigiCert's "
            "keys are (the value is not shown): set it again",
            key=source,
        )
    return value if isinstance(value, Secret) and text == value.get() else Secret(text)


def _url(value: Any, source: str, default: str) -> str:
    problem = _url_problem(value)
    if problem is not None:
        # The URL itself is never echoed: it may carry a password or a key in its query.
        raise ConfigError(f"{source} {problem}; the default is {default}", key=source)
    return str(value).strip().rstrip("/")


def _integer(value: Any, source: str) -> int:
    number = _to_number(value)
    if number is None or not number.is_integer() or number < 0:
        raise ConfigError(f"{source} must be a whole number of 0 or more, such as 4", key=source)
    return int(number)


def _seconds(value: Any, source: str) -> float:
    number = _to_number(value)
    if number is None or number <= 0:
        raise ConfigError(
            f"{source} must be a number of seconds greater than 0, such as 30", key=source
        )
    return number


def _switch(value: Any, source: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _ON:
        return True
    if text in _OFF:
        return False
    raise ConfigError(f"{source} must be 'on' or 'off'", key=source)


def _window(value: Any, source: str) -> tuple[int, float]:
    limit_text, sep, seconds_text = str(value).partition("/")
    limit = _to_number(limit_text)
    seconds = _to_number(seconds_text) if sep else None
    if limit is None or not limit.is_integer() or limit < 1 or seconds is None or seconds <= 0:
        raise ConfigError(
            f"{source} must be '<requests>/<seconds>' with a whole number of requests, such "
            "as '100/5'",
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


def _config_keys(config: pulumi.dynamic.Config | Mapping[str, Any] | None) -> Iterable[str]:
    if config is None:
        return ()
    if isinstance(config, Mapping):
        return [str(key) for key in config]
    # pulumi.dynamic.Config keeps the raw bag the host received in Configure.
    raw = getattr(config, "_props", None)
    return [str(key) for key in raw] if isinstance(raw, Mapping) else ()


def _squashed(name: str) -> str:
    return name.replace("_", "").replace("-", "").replace(".", "").lower()


def closest_setting(name: str) -> str | None:
    """The known ``digicert:`` setting closest to ``name`` (``api_key`` -> ``apiKey``)."""
    by_squashed = {_squashed(known): known for known in SETTING_NAMES}
    if _squashed(name) in by_squashed:
        return by_squashed[_squashed(name)]
    matches = difflib.get_close_matches(_squashed(name), list(by_squashed), n=1, cutoff=0.6)
    return by_squashed[matches[0]] if matches else None


def _refuse_unknown_keys(keys: Iterable[str]) -> None:
    for key in sorted(keys):
        namespace, sep, name = key.partition(":")
        if not sep or namespace != _NAMESPACE or name in SETTING_NAMES:
            continue
        shown = f"{_NAMESPACE}:{name}" if name.isprintable() and len(name) <= 64 else "a key"
        closest = closest_setting(name)
        hint = (
            f"set {_NAMESPACE}:{closest} instead"
            if closest
            else "the settings are " + ", ".join(f"{_NAMESPACE}:{n}" for n in SETTING_NAMES)
        )
        raise ConfigError(
            f"{shown} is not a setting of the DigiCert provider: {hint} (and remove it with "
            f"`pulumi config rm {shown}`)",
            key=shown,
        )


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_problem(value: Any) -> str | None:
    """What is wrong with a base URL, in words that never quote it; ``None`` when fine."""
    if not isinstance(value, str):
        return "must be a URL"
    text = value.strip()
    if not text or not all("!" <= char <= "~" for char in text):
        return "must be a URL of printable ASCII characters without spaces"
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return "must be a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        return "must start with https://"
    if "@" in parts.netloc:
        return "must not contain a user name or password (the key is sent as a header)"
    if "?" in text:
        return "must not contain a query (?...)"
    if "#" in text:
        return "must not contain a fragment (#...)"
    if not host:
        return "must name a host"
    if scheme == "http" and not _is_loopback(host):
        return (
            "must use https:// so the key is not sent in clear (plain http:// is allowed only "
            "to a loopback address such as 127.0.0.1)"
        )
    return None
