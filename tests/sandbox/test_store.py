"""The sandbox's own durability: acknowledged writes survive a SIGKILL of its process.

This is a property of the stand-in (SQLite in WAL mode on a file), not of the provider: no
provider code runs here. What users need from the provider when a process dies mid-create is
measured by the reliability campaign's ``crash_recovery`` section.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pulumi_digicert.sandbox import SandboxControl
from support.sandbox_process import SandboxProcess, WriteBurst, sqlite_integrity

ORGANIZATION = {
    "name": "Durable Corp",
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
    "organization_contact": {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "job_title": "CTO",
        "telephone": "+1 555 0100",
    },
}
ORDER = {
    "certificate": {"signature_hash": "sha256"},
    "organization": {"id": 1},
    "order_validity": {"years": 1},
    "payment_method": "balance",
    "subject": {
        "name": "Signing Desk",
        "job_title": "Release Engineering",
        "phone": "+1 801 555 0100",
        "email": "signing@example.com",
    },
}


def test_acknowledged_writes_survive_sigkill_of_the_sandbox_process(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    sandbox = SandboxProcess(db, api_key="durableKey0123456789", partner_api_key="durablePartner01")
    try:
        sandbox.start()
        control = SandboxControl(sandbox.base_url, token=sandbox.control_token)
        try:
            control.set_balance("100000000.00")
        finally:
            control.close()
        burst = WriteBurst(
            sandbox.services_url,
            sandbox.api_key,
            organization_body=ORGANIZATION,
            order_body=ORDER,
        )
        burst.run_until_killed(0, writers=4, acks_before_kill=40, kill=sandbox.kill)
        integrity = sqlite_integrity(db)
        sandbox.start()
        missing = burst.missing()
    finally:
        sandbox.close()
    assert len(burst.acknowledged) >= 40
    assert integrity == "ok"
    assert missing == []


def test_sqlite_side_files_are_ignored_by_git() -> None:
    # WAL mode leaves <db>-wal and <db>-shm beside the database while it is open.
    root = Path(__file__).resolve().parents[2]
    for name in ("digicert-sandbox.db", "digicert-sandbox.db-wal", "digicert-sandbox.db-shm"):
        result = subprocess.run(
            ["git", "check-ignore", "-q", name], cwd=root, check=False, capture_output=True
        )
        assert result.returncode == 0, f"{name} is not ignored"
