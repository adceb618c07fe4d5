"""What the doctor connects with: the provider's own settings, read the provider's way.

Stack config first (from a ``Pulumi.<stack>.yaml`` given with ``--stack-config``), then the
``DIGICERT_*`` environment variables, then the defaults (DESIGN.md, "Contract: package,
config"). The stack file's encrypted values (``secure:``) can only be read through the Pulumi
CLI, so for those the environment variable is used, and the doctor says so.

Base URLs follow the provider's rule: https, or plain http only to a loopback address, with no
user, password, query or fragment; a refused URL is never echoed. Keys must be printable ASCII.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml  # type: ignore[import-untyped]

from pulumi_digicert.config import DEFAULT_BASE_URL, DEFAULT_PARTNER_BASE_URL, Secret

__all__ = [
    "DEFAULT_TIMEOUT",
    "EU_BASE_URL",
    "DoctorSettings",
    "SettingsError",
    "checked_url",
]

EU_BASE_URL = "https://certcentral.digicert.eu/services/v2"
DEFAULT_TIMEOUT = 30.0
_NAMESPACE = "digicert"


class SettingsError(ValueError):
    """A setting is missing or unusable; the message names it (never its value)."""


@dataclass(frozen=True)
class DoctorSettings:
    api_key: Secret
    base_url: str
    partner_api_key: Secret | None
    partner_base_url: str
    request_timeout: float
    notes: tuple[str, ...] = ()
    """Where a setting came from when that is worth saying (no values)."""

    @property
    def instance(self) -> str:
        """``us``, ``eu`` or ``other``: which CertCentral the base URL names."""
        if self.base_url == DEFAULT_BASE_URL:
            return "us"
        if self.base_url == EU_BASE_URL:
            return "eu"
        return "other"

    @classmethod
    def resolve(
        cls, environ: Mapping[str, str], stack_config: Path | None = None
    ) -> DoctorSettings:
        reader = _Reader(_stack_values(stack_config) if stack_config else {}, environ)
        api_key = reader.secret("apiKey", "DIGICERT_API_KEY")
        if api_key is None:
            raise SettingsError(
                "No API key: set DIGICERT_API_KEY (or digicert:apiKey in the file given with "
                "--stack-config) to the CertCentral API key of the account to check."
            )
        timeout = reader.raw("requestTimeout", "DIGICERT_REQUEST_TIMEOUT")
        return cls(
            api_key=api_key,
            base_url=reader.url("baseUrl", "DIGICERT_BASE_URL", DEFAULT_BASE_URL),
            partner_api_key=reader.secret("partnerApiKey", "DIGICERT_PARTNER_API_KEY"),
            partner_base_url=reader.url(
                "partnerBaseUrl", "DIGICERT_PARTNER_BASE_URL", DEFAULT_PARTNER_BASE_URL
            ),
            request_timeout=DEFAULT_TIMEOUT if timeout is None else _seconds(*timeout),
            notes=tuple(reader.notes),
        )


def _stack_values(path: Path) -> dict[str, Any]:
    """The ``config:`` mapping of a Pulumi stack file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(
            f"Cannot read the stack config file {path} ({exc.strerror}); check --stack-config."
        ) from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        raise SettingsError(
            f"The stack config file {path} is not valid YAML; check --stack-config."
        ) from None
    config = document.get("config") if isinstance(document, dict) else None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise SettingsError(
            f"The stack config file {path} has no 'config:' mapping; check --stack-config."
        )
    return config


class _Reader:
    def __init__(self, stack: Mapping[str, Any], environ: Mapping[str, str]) -> None:
        self._stack = stack
        self._environ = environ
        self.notes: list[str] = []

    def raw(self, name: str, env: str) -> tuple[Any, str] | None:
        key = f"{_NAMESPACE}:{name}"
        value = self._stack.get(key)
        if isinstance(value, dict) and "secure" in value:
            # Encrypted in the stack file: only the Pulumi CLI can read it.
            env_value = self._environ.get(env, "")
            if not env_value.strip():
                raise SettingsError(
                    f"{key} is encrypted in the stack config file; pass it in the environment "
                    f'instead: {env}="$(pulumi config get {key})".'
                )
            self.notes.append(f"{key} is encrypted in the stack file: {env} was used")
            return env_value, env
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value, key
        from_env = self._environ.get(env)
        if from_env is not None and from_env.strip():
            return from_env, env
        return None

    def secret(self, name: str, env: str) -> Secret | None:
        found = self.raw(name, env)
        return None if found is None else _secret(*found)

    def url(self, name: str, env: str, default: str) -> str:
        found = self.raw(name, env)
        return default if found is None else checked_url(str(found[0]), found[1])


def _secret(value: Any, source: str) -> Secret:
    if not isinstance(value, str):
        raise SettingsError(f"{source} must be a string; set it again.")
    text = value.strip()
    if "\n" in text or "\r" in text:
        raise SettingsError(f"{source} contains a line break; set it again without it.")
    if not all(" " <= char <= "~" for char in text):
        raise SettingsError(
            f"{source} contains a character that is not printable ASCII; set it again."
        )
    return Secret(text)


def checked_url(text: str, source: str) -> str:
    """``text`` without a trailing slash, or :class:`SettingsError` naming ``source``."""
    rule = (
        f"{source} must be an https URL (plain http only to a loopback address) without user, "
        f"password, query or fragment; fix {source}."
    )
    try:
        parts = urlsplit(text.strip())
        host = parts.hostname
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        raise SettingsError(rule) from None
    if not host or not port_ok or parts.username is not None or parts.password is not None:
        raise SettingsError(rule)
    if parts.query or parts.fragment or text.strip().endswith(("?", "#")):
        raise SettingsError(rule)
    if parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(host)):
        return text.strip().rstrip("/")
    raise SettingsError(rule)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _seconds(value: Any, source: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number <= 0:
        raise SettingsError(f"{source} must be a number of seconds > 0; fix {source}.")
    return number
