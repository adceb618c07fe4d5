"""Every example's one-command route against a local sandbox, end to end without the Pulumi CLI:
``bash scripts/quickstart.sh [EXAMPLE]``, as the README gives it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.examples.support import README, ROOT

# What each run must show (written from the README's Examples section and the example programs).
EXPECTED: dict[str, list[str]] = {
    "quickstart": [
        "Resources: 3 create",
        r"order_status\s+: \"needs_approval\"",
        r"order \d+: issued",
    ],
    "dns-validation": [
        "Resources: 4 create",
        r"validated\s+: true",
        r"domain \d+: validated=true \(validated\)",
        "sandbox DNS: 1 TXT record(s) at _dnsauth.dns.example.com",
        "Resources: 4 delete",
        "sandbox DNS after destroy: 0 TXT record(s)",
    ],
    "partner-billing": [
        r"the sandbox creates partner subaccount \d+",
        "Resources: 2 create",
        r"parent_linked\s+: true",
        r"subaccount_linked\s+: true",
        "sandbox: 2 partner account(s) linked to a billing account",
    ],
}


def test_the_readme_gives_one_command_per_example() -> None:
    text = README.read_text()
    for example in EXPECTED:
        command = "bash scripts/quickstart.sh" + ("" if example == "quickstart" else f" {example}")
        assert f"\n{command}" in text, command


@pytest.mark.parametrize("example", list(EXPECTED))
def test_example_runs_end_to_end_against_the_sandbox(tmp_path: Path, example: str) -> None:
    # pulumi-cloudflare is never needed for the sandbox route: make importing it fail.
    blocked = tmp_path / "blocked"
    (blocked / "pulumi_cloudflare").mkdir(parents=True)
    (blocked / "pulumi_cloudflare" / "__init__.py").write_text(
        "raise ImportError('the sandbox route must not import pulumi_cloudflare')\n"
    )
    work = tmp_path / "work"
    work.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DIGICERT_")},
        "QUICKSTART_VENV": sys.prefix,
        "QUICKSTART_SKIP_INSTALL": "1",
        "QUICKSTART_USE_CLI": "no",
        "TMPDIR": str(work),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(blocked), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "quickstart.sh"), example],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert f"running examples/{example} through the real provider host" in out
    for pattern in EXPECTED[example]:
        assert re.search(pattern if "\\" in pattern else re.escape(pattern), out), pattern
    assert "== pulumi up (again)\nno changes\n" in out  # the same declaration: nothing to do
    for secret in ("sandbox-certcentral-key", "sandbox-partner-key", "sandbox-subaccount-key"):
        assert secret not in out
    assert list(work.iterdir()) == [], "the script leaves no temporary files behind"


def test_an_unknown_example_is_refused_in_one_line() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "quickstart.sh"), "no-such-example"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "quickstart: unknown example no-such-example; use quickstart, dns-validation or "
        "partner-billing"
    ]
