"""``digicert-doctor`` as a user runs it: exit status, the summary, the report file, and failures
that are one short sentence naming what to change."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from pulumi_digicert.doctor import cli
from pulumi_digicert.doctor.http import WriteRefusedError
from pulumi_digicert.sandbox import SandboxServer
from support.sandbox import running_sandbox
from support.secrets import assert_no_secrets

from .account import plant


def environment(planted_server: SandboxServer, **changes: str) -> dict[str, str]:
    env = {
        "DIGICERT_API_KEY": planted_server.api_key,
        "DIGICERT_BASE_URL": planted_server.services_url,
        "DIGICERT_PARTNER_API_KEY": planted_server.partner_api_key,
        "DIGICERT_PARTNER_BASE_URL": planted_server.partner_url,
    }
    env.update(changes)
    return env


def run(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(argv, environ=env, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def assert_one_sentence_failure(stderr: str, *names: str) -> None:
    assert len(stderr.encode()) <= 2048
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("digicert-doctor: ")
    assert lines[0].endswith(".")
    for name in names:
        assert name in lines[0]


def test_the_console_script_is_installed_with_the_package() -> None:
    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts["digicert-doctor"] == "pulumi_digicert.doctor.cli:main"
    assert (
        'digicert-doctor = "pulumi_digicert.doctor.cli:main"'
        in (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    )


def test_the_installed_command_checks_a_rate_limited_sandbox_at_its_real_pace(
    tmp_path: Path,
) -> None:
    script = Path(sys.executable).with_name("digicert-doctor")
    assert script.is_file(), "install the package (pip install -e .) to get digicert-doctor"
    report_file = tmp_path / "doctor.json"
    with running_sandbox(rate_limit=True) as planted_server:
        planted = plant(planted_server)
        completed = subprocess.run(
            [str(script), "--json", str(report_file)],
            env={"PATH": "/usr/bin:/bin", **environment(planted_server)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert completed.returncode == 0, completed.stderr
    assert "17 checks: holds 17, differs 0, could not tell 0." in completed.stdout
    assert "no rate limit hit" in completed.stdout
    assert f"Report written to {report_file}" in completed.stdout
    document = json.loads(report_file.read_text())
    assert document["summary"]["holds"] == 17
    for text, where in (
        (completed.stdout + completed.stderr, "output"),
        (report_file.read_text(), "report"),
    ):
        assert_no_secrets(text, planted.sensitive, where)


def test_a_refused_key_exits_1_after_two_requests() -> None:
    with running_sandbox(rate_limit=False) as planted_server:
        status, out, err = run([], environment(planted_server, DIGICERT_API_KEY="wrong-key"))
    assert status == 1
    assert err == ""
    assert "differs         credentials.api_key" in out
    assert re.search(r"GET /user/me answered HTTP 40[13] \(", out)
    assert "2 request(s), all GET" in out


def test_no_key_is_one_sentence_naming_the_variable() -> None:
    status, out, err = run([], {})
    assert status == 2
    assert out == ""
    assert_one_sentence_failure(err, "DIGICERT_API_KEY", "digicert:apiKey")


def test_a_refused_base_url_is_named_not_shown() -> None:
    url = "http://evil.example:8080/services/v2?token=abc"
    status, _, err = run([], {"DIGICERT_API_KEY": "k", "DIGICERT_BASE_URL": url})
    assert status == 2
    assert_one_sentence_failure(err, "DIGICERT_BASE_URL")
    assert "evil.example" not in err


def test_a_report_that_cannot_be_written_names_the_flag(tmp_path: Path) -> None:
    target = tmp_path / "missing-directory" / "doctor.json"
    with running_sandbox(rate_limit=False) as planted_server:
        status, out, err = run(
            ["--json", str(target), "--max-requests", "10"],
            environment(planted_server, DIGICERT_API_KEY="wrong-key"),
        )
    assert status == 2
    assert "credentials.api_key" in out  # the summary still came
    assert_one_sentence_failure(err, "--json", str(target))


@pytest.mark.parametrize(
    "argv", [["--max-requests", "5"], ["--max-requests", "lots"], ["--sample", "0"], ["--bogus"]]
)
def test_bad_flags_are_refused_by_argparse(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv, environ={"DIGICERT_API_KEY": "k"})
    assert exited.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        # Anything unexpected: its message (here holding the key) is never shown.
        (RuntimeError("leaked sandbox-certcentral-key"), ("RuntimeError", "nothing was changed")),
        # A write the doctor refused to send: a bug of the doctor, said so.
        (WriteRefusedError("POST"), ("POST", "Nothing was sent")),
    ],
    ids=["unexpected_error", "refused_write"],
)
def test_a_failure_inside_the_doctor_is_one_sentence_without_the_key(
    failure: Exception, words: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*args: Any, **kwargs: Any) -> Any:
        raise failure

    monkeypatch.setattr(cli, "run_doctor", fails)
    status, _, err = run([], {"DIGICERT_API_KEY": "sandbox-certcentral-key"})
    assert status == 2
    assert_one_sentence_failure(err, *words)
    assert "sandbox-certcentral-key" not in err


def test_python_dash_m_runs_the_same_command() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pulumi_digicert.doctor", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0
    assert "--stack-config" in completed.stdout
    assert "only GET requests are sent" in completed.stdout
