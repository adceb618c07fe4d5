"""The doctor reads the provider's settings the provider's way (DESIGN.md "Contract: package,
config"): stack config, then DIGICERT_* variables, then defaults; https base URLs only, plain
http only to loopback; refused values are named, never echoed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_digicert.config import DEFAULT_BASE_URL, DEFAULT_PARTNER_BASE_URL
from pulumi_digicert.doctor.settings import DoctorSettings, SettingsError, checked_url

KEY = "ck-stack-file-key-SECRET"


def stack_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(text)
    return path


def test_the_environment_alone_is_enough_and_defaults_fill_the_rest() -> None:
    settings = DoctorSettings.resolve({"DIGICERT_API_KEY": KEY})
    assert settings.api_key is not None
    assert settings.api_key.get() == KEY
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.partner_base_url == DEFAULT_PARTNER_BASE_URL
    assert settings.partner_api_key is None
    assert settings.request_timeout == 30.0
    assert settings.instance == "us"


def test_stack_config_wins_over_the_environment(tmp_path: Path) -> None:
    path = stack_file(
        tmp_path,
        "config:\n"
        f"  digicert:apiKey: {KEY}\n"
        "  digicert:baseUrl: https://certcentral.digicert.eu/services/v2\n"
        "  digicert:requestTimeout: 12\n"
        "  aws:region: us-east-1\n",
    )
    settings = DoctorSettings.resolve(
        {"DIGICERT_API_KEY": "from-env", "DIGICERT_BASE_URL": "https://other.test/v2"}, path
    )
    assert settings.api_key.get() == KEY
    assert settings.instance == "eu"
    assert settings.request_timeout == 12.0


def test_an_encrypted_stack_value_is_taken_from_the_environment_and_said_so(
    tmp_path: Path,
) -> None:
    path = stack_file(tmp_path, "config:\n  digicert:apiKey:\n    secure: AAABAJ0xciphertext==\n")
    settings = DoctorSettings.resolve({"DIGICERT_API_KEY": KEY}, path)
    assert settings.api_key.get() == KEY
    assert settings.notes == (
        "digicert:apiKey is encrypted in the stack file: DIGICERT_API_KEY was used",
    )


def test_an_encrypted_stack_value_without_the_variable_says_how_to_pass_it(
    tmp_path: Path,
) -> None:
    path = stack_file(tmp_path, "config:\n  digicert:apiKey:\n    secure: AAABAJ0x==\n")
    with pytest.raises(SettingsError) as refused:
        DoctorSettings.resolve({}, path)
    message = str(refused.value)
    assert 'DIGICERT_API_KEY="$(pulumi config get digicert:apiKey)"' in message
    assert "AAABAJ0x" not in message


def test_no_key_anywhere_names_both_places() -> None:
    with pytest.raises(SettingsError) as refused:
        DoctorSettings.resolve({"DIGICERT_API_KEY": "   "})
    assert "DIGICERT_API_KEY" in str(refused.value)
    assert "digicert:apiKey" in str(refused.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.digicert.com/services/v2",
        "https://certcentral.digicert.eu/services/v2/",
        "https://digicert.test:8443/services/v2",
        "http://127.0.0.1:8787/services/v2",
        "http://127.5.6.7/services/v2",
        "http://localhost:8787/services/v2",
        "http://[::1]:8787/services/v2",
    ],
)
def test_https_and_loopback_http_base_urls_are_accepted(url: str) -> None:
    assert checked_url(url, "DIGICERT_BASE_URL") == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://www.digicert.com/services/v2",
        "http://10.0.0.7:8787/services/v2",
        "ftp://www.digicert.com/services/v2",
        "https://user:hunter2@www.digicert.com/services/v2",
        "https://token@www.digicert.com/services/v2",
        "https://www.digicert.com/services/v2?key=hunter2",
        "https://www.digicert.com/services/v2#hunter2",
        "https://www.digicert.com/services/v2?",
        "https:///services/v2",
        "www.digicert.com/services/v2",
        "https://www.digicert.com:99999/services/v2",
    ],
)
def test_other_base_urls_are_refused_by_name_and_never_echoed(url: str) -> None:
    with pytest.raises(SettingsError) as refused:
        DoctorSettings.resolve({"DIGICERT_API_KEY": KEY, "DIGICERT_PARTNER_BASE_URL": url})
    message = str(refused.value)
    assert "DIGICERT_PARTNER_BASE_URL" in message
    assert url not in message
    assert "hunter2" not in message
    assert "digicert.com" not in message


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("ck-line\nbreak", "line break"),
        ("ck-\u00e9t\u00e9", "printable ASCII"),
        ("ck\x07bell", "printable ASCII"),
    ],
)
def test_a_key_that_cannot_be_sent_is_refused_by_name(key: str, problem: str) -> None:
    with pytest.raises(SettingsError) as refused:
        DoctorSettings.resolve({"DIGICERT_API_KEY": key})
    assert "DIGICERT_API_KEY" in str(refused.value)
    assert problem in str(refused.value)
    assert key.strip() not in str(refused.value)


@pytest.mark.parametrize("value", ["0", "-3", "soon", "nan", "inf"])
def test_a_bad_timeout_is_refused_by_name(value: str) -> None:
    with pytest.raises(SettingsError) as refused:
        DoctorSettings.resolve({"DIGICERT_API_KEY": KEY, "DIGICERT_REQUEST_TIMEOUT": value})
    assert "DIGICERT_REQUEST_TIMEOUT" in str(refused.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (None, "Cannot read"),
        ("config: [unclosed", "not valid YAML"),
        ("config: 3\n", "no 'config:'"),
    ],
)
def test_an_unusable_stack_file_names_the_file_and_the_flag(
    tmp_path: Path, text: str | None, problem: str
) -> None:
    path = tmp_path / "Pulumi.missing.yaml" if text is None else stack_file(tmp_path, text)
    with pytest.raises(SettingsError) as refused:
        DoctorSettings.resolve({"DIGICERT_API_KEY": KEY}, path)
    assert problem in str(refused.value)
    assert str(path) in str(refused.value)
    assert "--stack-config" in str(refused.value)


def test_settings_never_show_a_key() -> None:
    settings = DoctorSettings.resolve(
        {"DIGICERT_API_KEY": KEY, "DIGICERT_PARTNER_API_KEY": "pk-partner-SECRET"}
    )
    assert KEY not in repr(settings)
    assert "pk-partner-SECRET" not in repr(settings)
