"""ProviderSettings.resolve: stack config, then environment, then defaults."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from typing import Any

import pytest
from pulumi.dynamic.config import Config

from pulumi_digicert.client.errors import ConfigError, DigiCertError
from pulumi_digicert.config import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PARTNER_BASE_URL,
    DEFAULT_REQUEST_TIMEOUT,
    ProviderSettings,
    Secret,
)


def test_defaults_apply_when_nothing_is_configured() -> None:
    settings = ProviderSettings.resolve(None, {})
    assert settings.api_key is None
    assert settings.partner_api_key is None
    assert settings.base_url == DEFAULT_BASE_URL == "https://www.digicert.com/services/v2"
    assert settings.partner_base_url == DEFAULT_PARTNER_BASE_URL
    assert DEFAULT_PARTNER_BASE_URL == "https://www.digicert.com/partner-subscription/api/v1"
    assert settings.max_retries == DEFAULT_MAX_RETRIES == 4
    assert settings.request_timeout == DEFAULT_REQUEST_TIMEOUT == 30.0
    assert settings.rate_limit_enabled is True
    assert settings.rate_limits == ((100, 5.0), (1000, 180.0))


def test_missing_keys_never_raise_at_resolve_time() -> None:
    settings = ProviderSettings.resolve({}, {"DIGICERT_API_KEY": "", "DIGICERT_BASE_URL": "  "})
    assert settings.api_key is None
    assert settings.base_url == DEFAULT_BASE_URL


def test_environment_is_read_when_stack_config_is_absent() -> None:
    env = {
        "DIGICERT_API_KEY": "env-key",
        "DIGICERT_BASE_URL": "http://127.0.0.1:8787/services/v2/",
        "DIGICERT_PARTNER_API_KEY": "env-partner",
        "DIGICERT_PARTNER_BASE_URL": "http://127.0.0.1:8787/partner-subscription/api/v1",
        "DIGICERT_MAX_RETRIES": "2",
        "DIGICERT_REQUEST_TIMEOUT": "7.5",
    }
    settings = ProviderSettings.resolve(None, env)
    assert settings.api_key is not None
    assert settings.api_key.get() == "env-key"
    assert settings.partner_api_key is not None
    assert settings.partner_api_key.get() == "env-partner"
    assert settings.base_url == "http://127.0.0.1:8787/services/v2"
    assert settings.partner_base_url == "http://127.0.0.1:8787/partner-subscription/api/v1"
    assert settings.max_retries == 2
    assert settings.request_timeout == 7.5


def test_stack_config_wins_over_environment() -> None:
    config = {
        "digicert:apiKey": "config-key",
        "digicert:baseUrl": "https://certcentral.digicert.eu/services/v2",
        "digicert:maxRetries": "1",
        "digicert:requestTimeout": 12,
    }
    env = {
        "DIGICERT_API_KEY": "env-key",
        "DIGICERT_BASE_URL": "http://ignored",
        "DIGICERT_MAX_RETRIES": "9",
    }
    settings = ProviderSettings.resolve(config, env)
    assert settings.api_key is not None
    assert settings.api_key.get() == "config-key"
    assert settings.base_url == "https://certcentral.digicert.eu/services/v2"
    assert settings.max_retries == 1
    assert settings.request_timeout == 12.0


def test_pulumi_dynamic_config_object_is_read_with_namespaced_keys() -> None:
    config = Config({"digicert:apiKey": "k", "digicert:maxRetries": "3"}, "myproject")
    settings = ProviderSettings.resolve(config, {})
    assert settings.api_key is not None
    assert settings.api_key.get() == "k"
    assert settings.max_retries == 3


def test_os_environ_is_the_default_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGICERT_MAX_RETRIES", "6")
    assert ProviderSettings.resolve().max_retries == 6


@pytest.mark.parametrize(
    ("source", "key", "value"),
    [
        ("config", "digicert:maxRetries", "lots"),
        ("config", "digicert:maxRetries", "-1"),
        ("config", "digicert:maxRetries", "1.5"),
        ("env", "DIGICERT_MAX_RETRIES", "three"),
        ("config", "digicert:requestTimeout", "0"),
        ("env", "DIGICERT_REQUEST_TIMEOUT", "soon"),
        ("env", "DIGICERT_REQUEST_TIMEOUT", "nan"),
        ("config", "digicert:baseUrl", "ftp://example"),
        ("env", "DIGICERT_RATE_LIMIT", "sometimes"),
        ("env", "DIGICERT_RATE_LIMIT_BURST", "100"),
        ("config", "digicert:rateLimitSustained", "x/180"),
    ],
)
def test_bad_value_raises_config_error_naming_the_key(source: str, key: str, value: str) -> None:
    config: dict[str, Any] = {key: value} if source == "config" else {}
    env = {key: value} if source == "env" else {}
    with pytest.raises(ConfigError) as caught:
        ProviderSettings.resolve(config, env)
    assert key in str(caught.value)
    assert caught.value.key == key
    assert isinstance(caught.value, DigiCertError)
    assert isinstance(caught.value, ValueError)


def test_rate_limit_off_disables_the_limiter() -> None:
    settings = ProviderSettings.resolve(None, {"DIGICERT_RATE_LIMIT": "off"})
    assert settings.rate_limit_enabled is False
    assert settings.rate_limits == ()


def test_rate_limit_windows_are_configurable() -> None:
    settings = ProviderSettings.resolve(
        {"digicert:rateLimitBurst": "20/2"}, {"DIGICERT_RATE_LIMIT_SUSTAINED": "500/300"}
    )
    assert settings.rate_limits == ((20, 2.0), (500, 300.0))


def test_secret_never_shows_its_value() -> None:
    secret = Secret("hunter2-value")
    assert repr(secret) == "Secret('****')"
    assert str(secret) == "Secret('****')"
    assert f"{secret}" == "Secret('****')"
    assert secret.get() == "hunter2-value"
    assert secret == Secret("hunter2-value")
    assert secret != Secret("other")


def test_settings_repr_hides_keys() -> None:
    settings = ProviderSettings.resolve(
        {"digicert:apiKey": "the-api-key", "digicert:partnerApiKey": "the-partner-key"}, {}
    )
    assert "the-api-key" not in repr(settings)
    assert "the-partner-key" not in repr(settings)
    assert "Secret('****')" in repr(settings)


def test_secret_and_settings_refuse_to_be_pickled() -> None:
    settings = ProviderSettings.resolve({"digicert:apiKey": "k"}, {})
    with pytest.raises(TypeError):
        pickle.dumps(Secret("k"))
    with pytest.raises(TypeError):
        pickle.dumps(settings)
    assert copy.deepcopy(settings) == settings


def test_config_module_imports_on_its_own() -> None:
    for module in ("pulumi_digicert.config", "pulumi_digicert.client"):
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
