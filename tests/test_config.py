"""ProviderSettings.resolve: stack config, then environment, then defaults."""

from __future__ import annotations

import copy
import pickle
import re
import subprocess
import sys
from pathlib import Path
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


def _read(settings: ProviderSettings, *names: str) -> dict[str, Any]:
    """The named settings, keys as their plain text, to compare with a table at once."""
    values = {name: getattr(settings, name) for name in names}
    return {name: v.get() if isinstance(v, Secret) else v for name, v in values.items()}


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
    expected = {
        "api_key": "env-key",
        "partner_api_key": "env-partner",
        "base_url": "http://127.0.0.1:8787/services/v2",
        "partner_base_url": "http://127.0.0.1:8787/partner-subscription/api/v1",
        "max_retries": 2,
        "request_timeout": 7.5,
    }
    assert _read(ProviderSettings.resolve(None, env), *expected) == expected


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
    expected = {
        "api_key": "config-key",
        "base_url": "https://certcentral.digicert.eu/services/v2",
        "max_retries": 1,
        "request_timeout": 12.0,
    }
    assert _read(ProviderSettings.resolve(config, env), *expected) == expected


def test_pulumi_dynamic_config_object_is_read_with_namespaced_keys() -> None:
    config = Config({"digicert:apiKey": "k", "digicert:maxRetries": "3"}, "myproject")
    expected = {"api_key": "k", "max_retries": 3}
    assert _read(ProviderSettings.resolve(config, {}), *expected) == expected


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


# -- what the host hands configure: every namespace --------------------------------------------


def test_other_namespaces_of_the_stack_config_are_ignored() -> None:
    # The engine passes a dynamic provider the whole stack config (pkg/resource/deploy/target.go).
    config = {
        "aws:region": "us-east-1",
        "quickstart:organizationName": "Acme",
        "pulumi:disable-default-providers": '["*"]',
        "digicert:apiKey": "k-123",
    }
    assert ProviderSettings.resolve(config, {}).api_key == Secret("k-123")


@pytest.mark.parametrize(
    ("key", "closest"),
    [
        ("digicert:api_key", "digicert:apiKey"),
        ("digicert:apikey", "digicert:apiKey"),
        ("digicert:baseURL", "digicert:baseUrl"),
        ("digicert:base_url", "digicert:baseUrl"),
        ("digicert:partner_api_key", "digicert:partnerApiKey"),
        ("digicert:maxRetry", "digicert:maxRetries"),
        ("digicert:requestTimeOut", "digicert:requestTimeout"),
        ("digicert:ratelimit", "digicert:rateLimit"),
        ("digicert:rateLimitBrust", "digicert:rateLimitBurst"),
    ],
)
def test_a_misspelt_key_is_refused_naming_the_closest_known_one(key: str, closest: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ProviderSettings.resolve({key: "x", "digicert:apiKey": "k-123"}, {})
    message = str(caught.value)
    assert message.startswith(f"{key} is not a setting")
    assert f"set {closest} instead" in message
    assert "\n" not in message


def test_an_unrelated_unknown_key_lists_the_settings() -> None:
    with pytest.raises(ConfigError) as caught:
        ProviderSettings.resolve({"digicert:colour": "blue"}, {})
    from pulumi_digicert.config import SETTING_NAMES

    for name in SETTING_NAMES:
        assert f"digicert:{name}" in str(caught.value)


def test_every_setting_the_provider_reads_is_a_known_key() -> None:
    from pulumi_digicert.config import SETTING_NAMES

    source = (Path(__file__).parents[1] / "provider/pulumi_digicert/config.py").read_text()
    read = set(re.findall(r'\(\s*"(\w+)",\s*"DIGICERT_\w+"', source))
    assert read == set(SETTING_NAMES)


BAD_KEYS = [
    "Qz81ab\nXv72cd",
    "Qz81ab\r\nXv72cd",
    "Qz81ab\x00Xv72cd",
    "Qz81ab Xv72cd",
    "Qz81abéXv72cd",
]


@pytest.mark.parametrize("key", BAD_KEYS)
@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("config", "digicert:apiKey"),
        ("config", "digicert:partnerApiKey"),
        ("env", "DIGICERT_API_KEY"),
        ("env", "DIGICERT_PARTNER_API_KEY"),
    ],
)
def test_a_key_outside_printable_ascii_is_refused_by_name_never_shown(
    key: str, source: str, name: str
) -> None:
    config = {name: key} if source == "config" else {}
    env = {name: key} if source == "env" else {}
    with pytest.raises(ConfigError) as caught:
        ProviderSettings.resolve(config, env)
    text = str(caught.value) + repr(caught.value)
    assert name in text
    assert "printable ASCII" in text
    assert "Qz81ab" not in text
    assert "Xv72cd" not in text


URL_SECRET = "Zp3secretPart"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"http://certcentral.example.com/{URL_SECRET}", "must use https://"),
        (f"http://10.0.0.5/{URL_SECRET}", "must use https://"),
        (f"https://user:{URL_SECRET}@www.digicert.com/services/v2", "user name or password"),
        (f"https://{URL_SECRET}@www.digicert.com/services/v2", "user name or password"),
        (f"https://www.digicert.com/services/v2?key={URL_SECRET}", "must not contain a query"),
        (f"https://www.digicert.com/services/v2#{URL_SECRET}", "must not contain a fragment"),
        (f"ftp://www.digicert.com/{URL_SECRET}", "must start with https://"),
        (f"www.digicert.com/{URL_SECRET}", "must start with https://"),
        (f"https://www.digicert.com:99999/{URL_SECRET}", "must be a valid URL"),
        (f"https:///{URL_SECRET}", "must name a host"),
        (f"https://www.digicert.com/{URL_SECRET}\n", None),
        (f"https://www.digi cert.com/{URL_SECRET}", "printable ASCII"),
    ],
)
@pytest.mark.parametrize("setting", ["baseUrl", "partnerBaseUrl"])
def test_a_base_url_that_could_leak_the_key_is_refused_without_echoing_it(
    url: str, problem: str | None, setting: str
) -> None:
    if problem is None:  # surrounding whitespace is trimmed: fine
        ProviderSettings.resolve({f"digicert:{setting}": url}, {})
        return
    with pytest.raises(ConfigError) as caught:
        ProviderSettings.resolve({f"digicert:{setting}": url}, {})
    message = str(caught.value)
    assert message.startswith(f"digicert:{setting} ")
    assert problem in message
    assert URL_SECRET not in message + repr(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.digicert.com/services/v2",
        "https://certcentral.digicert.eu/services/v2/",
        "http://127.0.0.1:8080/services/v2",
        "http://127.1.2.3/services/v2",
        "http://localhost:9000/services/v2",
        "http://[::1]:9000/services/v2",
    ],
)
def test_https_and_plain_http_to_loopback_are_accepted(url: str) -> None:
    settings = ProviderSettings.resolve({"digicert:baseUrl": url}, {})
    assert settings.base_url == url.rstrip("/")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("digicert:maxRetries", "Zp3secretPart"),
        ("digicert:requestTimeout", "Zp3secretPart"),
        ("digicert:rateLimit", "Zp3secretPart"),
        ("digicert:rateLimitBurst", "Zp3secretPart"),
    ],
)
def test_an_unparsable_value_is_one_line_naming_the_key_without_the_value(
    key: str, value: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        ProviderSettings.resolve({key: value}, {})
    message = str(caught.value)
    assert message.startswith(key)
    assert "\n" not in message
    assert value not in message
