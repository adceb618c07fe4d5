"""The quickstart with the real Pulumi CLI and a local file backend, against a sandbox:
``up``, a second ``up`` with no changes, ``refresh``, a change that updates in place, ``destroy``.

Runs where ``pulumi`` is on PATH; skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.examples.support import EXAMPLES, ROOT

PULUMI = shutil.which("pulumi")

pytestmark = [
    pytest.mark.cli,
    pytest.mark.skipif(PULUMI is None, reason="the pulumi CLI is not on PATH"),
]


def quickstart_project(tmp_path: Path, services_url: str) -> Path:
    """A copy of the root quickstart project whose dev stack points at ``services_url``."""
    project = tmp_path / "project"
    (project / "examples").mkdir(parents=True)
    shutil.copy(ROOT / "Pulumi.yaml", project / "Pulumi.yaml")
    shutil.copytree(EXAMPLES / "quickstart", project / "examples" / "quickstart")
    (project / ".venv").symlink_to(sys.prefix)
    stack = (ROOT / "Pulumi.dev.yaml").read_text()
    (project / "Pulumi.dev.yaml").write_text(
        stack.replace("http://127.0.0.1:8787/services/v2", services_url)
    )
    return project


def test_quickstart_up_refresh_update_destroy_with_the_cli(tmp_path: Path, sandbox: Any) -> None:
    project = quickstart_project(tmp_path, sandbox.services_url)
    (tmp_path / "state").mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DIGICERT_")},
        "PULUMI_BACKEND_URL": f"file://{tmp_path / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": "cli-test",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_HOME": str(tmp_path / "pulumi-home"),
    }

    def pulumi(*args: str) -> str:
        assert PULUMI is not None
        result = subprocess.run(
            [PULUMI, *args, "--non-interactive", "--stack", "dev"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"pulumi {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    subprocess.run(
        [PULUMI, "stack", "init", "dev", "--non-interactive"],  # type: ignore[list-item]
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    pulumi("up", "--yes")
    outputs = json.loads(pulumi("stack", "output", "--json"))
    assert outputs["order_status"] == "needs_approval"
    assert outputs["organization_status"] == "active"
    assert len(sandbox.control.orders()) == 1

    pulumi("up", "--yes", "--expect-no-changes")
    pulumi("refresh", "--yes")
    pulumi("up", "--yes", "--expect-no-changes")

    pulumi("config", "set", "dcvMethod", "dns-cname-token")
    preview = json.loads(pulumi("preview", "--json"))
    ops = {step["urn"].split("::")[-1]: step["op"] for step in preview["steps"]}
    assert ops["quickstart-domain"] == "update"
    assert ops["release-signing"] == "same"
    pulumi("up", "--yes")
    assert json.loads(pulumi("stack", "output", "--json"))["dcv_method"] == "dns-cname-token"
    assert len(sandbox.control.orders()) == 1, "no second order"

    pulumi("destroy", "--yes")
    assert [o["request_status"] for o in sandbox.control.orders()] == ["rejected"]
