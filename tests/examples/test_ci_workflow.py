"""examples/ci: the GitHub Actions workflow does what the README says."""

from __future__ import annotations

from typing import Any

import yaml
from tests.examples.support import EXAMPLES, ROOT

WORKFLOW = EXAMPLES / "ci" / "digicert.yml"


def workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    return data


def pulumi_step(job: dict[str, Any]) -> dict[str, Any]:
    steps = [s for s in job["steps"] if str(s.get("uses", "")).startswith("pulumi/actions@")]
    assert len(steps) == 1
    return steps[0]


def test_previews_pull_requests_with_the_policy_pack_and_posts_the_diff() -> None:
    data = workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["pull_request"]["branches"] == ["main"]
    job = data["jobs"]["preview"]
    assert "pull_request" in job["if"]
    step = pulumi_step(job)["with"]
    assert step["command"] == "preview"
    assert step["refresh"] is True  # what the preview compares is CertCentral as it is now
    assert step["comment-on-pr"] is True
    assert step["diff"] is True
    assert step["policyPacks"] == "policies"
    assert (ROOT / step["policyPackConfigs"]).is_file()
    assert data["permissions"]["pull-requests"] == "write"


def test_applies_main_one_run_at_a_time() -> None:
    data = workflow()
    triggers = data.get("on", data.get(True))
    assert triggers["push"]["branches"] == ["main"]
    job = data["jobs"]["up"]
    assert "refs/heads/main" in job["if"]
    assert job["concurrency"]["cancel-in-progress"] is False
    assert "${{" not in job["concurrency"]["group"], "one fixed group for the stack"
    step = pulumi_step(job)["with"]
    assert step["command"] == "up"
    assert step["refresh"] is True
    assert step["policyPacks"] == "policies"


def test_credentials_come_from_repository_secrets() -> None:
    env = workflow()["env"]
    for name in ("PULUMI_ACCESS_TOKEN", "DIGICERT_API_KEY", "DIGICERT_PARTNER_API_KEY"):
        assert env[name] == f"${{{{ secrets.{name} }}}}"
    text = WORKFLOW.read_text()
    assert "sandbox-" not in text
