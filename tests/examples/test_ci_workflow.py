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


WATCH = EXAMPLES / "ci" / "digicert-watch.yml"


def watch_workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WATCH.read_text())
    return data


def test_the_apply_can_be_run_by_hand_to_place_a_renewal() -> None:
    data = workflow()
    triggers = data.get("on", data.get(True))
    assert "workflow_dispatch" in triggers
    job = data["jobs"]["up"]
    assert "refs/heads/main" in job["if"]
    assert "pull_request" in job["if"], "never applies a pull request"


def test_a_scheduled_refreshed_preview_fails_on_any_change_and_opens_an_issue() -> None:
    data = watch_workflow()
    triggers = data.get("on", data.get(True))
    assert triggers["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"], "every day"
    job = data["jobs"]["watch"]
    preview = pulumi_step(job)
    step = preview["with"]
    assert step["command"] == "preview"
    assert step["refresh"] is True  # refresh records renewal_due and reads drift
    assert step["expect-no-changes"] is True  # a due renewal or drift is a change
    assert step["policyPacks"] == "policies"
    assert (ROOT / step["policyPackConfigs"]).is_file()
    # The preview's failure is reported, then fails the job.
    assert preview["continue-on-error"] is True
    reporting = [
        s for s in job["steps"] if s.get("if") == f"steps.{preview['id']}.outcome == 'failure'"
    ]
    assert [s.get("uses", "run") for s in reporting] == ["actions/github-script@v7", "run"]
    assert "issues.create" in reporting[0]["with"]["script"]
    assert "exit 1" in reporting[1]["run"]
    assert data["permissions"] == {"contents": "read", "issues": "write"}
    # It waits for an apply of the same stack rather than running beside it.
    apply = workflow()["jobs"]["up"]["concurrency"]["group"]
    assert job["concurrency"] == {"group": apply, "cancel-in-progress": False}


def test_scheduled_renewal_applies_only_where_the_repository_opts_in() -> None:
    data = watch_workflow()
    job = data["jobs"]["renew"]
    assert job["needs"] == "watch"
    assert "vars.RENEW_ON_SCHEDULE == 'true'" in job["if"]
    assert "needs.watch.outputs.changed == 'true'" in job["if"]
    step = pulumi_step(job)["with"]
    assert (step["command"], step["refresh"]) == ("up", True)
    assert step["policyPacks"] == "policies"
    apply = workflow()["jobs"]["up"]["concurrency"]["group"]
    assert job["concurrency"] == {"group": apply, "cancel-in-progress": False}


def test_the_watch_reads_the_same_secrets_as_the_apply() -> None:
    assert watch_workflow()["env"] == workflow()["env"]
    assert "sandbox-" not in WATCH.read_text()
