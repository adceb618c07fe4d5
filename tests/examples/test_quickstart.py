"""The quickstart: its program under mocks and through the real provider host against a sandbox
(scripts/quickstart.sh end to end: test_sandbox_route.py)."""

from __future__ import annotations

import re
import runpy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from tests.examples.support import (
    DCV_TOKEN,
    DOMAIN_ID,
    ORGANIZATION_ID,
    README,
    ROOT,
    TYPE,
    DigiCertMocks,
    example_program,
)

from pulumi_digicert.testing.engine import HostEngine
from pulumi_digicert.testing.program import execute_program

PROJECT = "digicert-quickstart"
program = example_program("quickstart")


def stack_config() -> dict[str, str]:
    data = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    return {str(k): str(v) for k, v in data["config"].items()}


def readme_outputs() -> dict[str, str]:
    """The ``Outputs:`` block the README shows after the quickstart's ``up``."""
    text = README.read_text()
    match = re.search(r"```text\nOutputs:\n(.*?)```", text, re.S)
    assert match, "README shows no quickstart Outputs block"
    shown: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        if key.strip():
            shown[key.strip()] = value.strip()
    return shown


def test_root_project_runs_the_quickstart() -> None:
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    assert project["name"] == PROJECT
    assert project["runtime"] == {"name": "python", "options": {"virtualenv": ".venv"}}
    assert project["main"] == "examples/quickstart/"
    assert (ROOT / project["main"] / "__main__.py").is_file()


def test_dev_stack_points_at_the_sandbox_by_default() -> None:
    config = stack_config()
    assert config["digicert:baseUrl"] == "http://127.0.0.1:8787/services/v2"
    assert config["digicert:apiKey"] == "sandbox-certcentral-key"


def test_quickstart_registers_organization_domain_and_order() -> None:
    run = execute_program(
        program, project=PROJECT, stack="dev", config=stack_config(), mocks=DigiCertMocks()
    )
    assert [r.type for r in run.resources] == [
        TYPE.format("Organization"),
        TYPE.format("DomainValidation"),
        TYPE.format("DocumentSigningOrder"),
    ]
    org = run.by_name("acme")
    assert org.args["name"] == "Acme Quickstart Ltd"
    assert org.args["validations"] == [{"type": "ov"}]
    # Kept in CertCentral by the provider itself (no delete_on_destroy), not by an option.
    assert org.options.retain_on_delete is None
    assert "delete_on_destroy" not in org.args
    domain = run.by_name("quickstart-domain")
    assert domain.args["domain_name"] == "quickstart.example.com"
    assert domain.args["organization_id"] == str(ORGANIZATION_ID)
    assert domain.args["dcv_method"] == "dns-txt-token"
    order = run.by_name("release-signing")
    assert order.args["product"] == "document_signing_org_1"
    assert order.args["organization_id"] == str(ORGANIZATION_ID)
    assert order.args["validity_years"] == 1
    assert order.args["payment_method"] == "balance"
    assert re.fullmatch(r"[A-Za-z0-9]{1,64}", order.args["alternative_order_id"])
    assert run.exports["domain_id"] == DOMAIN_ID
    assert run.exports["dcv_token"] == DCV_TOKEN
    assert set(readme_outputs()) == set(run.exports)


def test_quickstart_reads_its_documented_config() -> None:
    config = {**stack_config(), f"{PROJECT}:domainName": "signing.example.org"}
    config[f"{PROJECT}:dcvMethod"] = "dns-cname-token"
    config[f"{PROJECT}:waitForIssuanceSeconds"] = "30"
    run = execute_program(program, project=PROJECT, config=config, mocks=DigiCertMocks())
    assert run.by_name("quickstart-domain").args["domain_name"] == "signing.example.org"
    assert run.by_name("quickstart-domain").args["dcv_method"] == "dns-cname-token"
    assert run.by_name("release-signing").args["wait_for_issuance_seconds"] == 30


@pytest.fixture
def engine(sandbox: Any) -> HostEngine:
    config = {**stack_config(), "digicert:baseUrl": sandbox.services_url}
    return HostEngine(project=PROJECT, stack="dev", config=config)


def test_quickstart_through_the_provider_host_reaches_the_readme_outputs(
    engine: HostEngine, sandbox: Any
) -> None:
    first = engine.up(program)
    assert sorted(op.op for op in first.log) == ["create"] * 3
    exports = first.exports
    for key, shown in readme_outputs().items():
        assert key in exports
        if not shown.startswith("<"):
            assert exports[key] == yaml.safe_load(shown), key
    assert exports["order_id"] == sandbox.control.orders()[0]["id"]

    second = engine.up(program, first.state)
    assert not second.changed

    refreshed = engine.refresh(second.state)
    assert not engine.up(program, refreshed.state).changed

    engine.config[f"{PROJECT}:dcvMethod"] = "dns-cname-token"
    changed = engine.up(program, refreshed.state)
    assert [(op.op, op.name) for op in changed.log if op.op != "same"] == [
        ("update", "quickstart-domain")
    ]
    assert changed.exports["dcv_method"] == "dns-cname-token"
    assert changed.exports["order_id"] == exports["order_id"]

    organization_id = int(changed.exports["organization_id"])
    destroyed = engine.destroy(changed.state)
    assert {op.op for op in destroyed.log} == {"delete"}
    # The organization stays in CertCentral, and the provider said so on stderr.
    organization = httpx.get(
        f"{sandbox.services_url}/organization/{organization_id}",
        headers={"X-DC-DEVKEY": sandbox.api_key},
        timeout=10,
    )
    assert organization.status_code == 200
    assert f"organization {organization_id} kept in CertCentral" in destroyed.host_stderr
    # The order was still waiting for approval: destroy rejected its request.
    assert [o["request_status"] for o in sandbox.control.orders()] == ["rejected"]


def quickstart_with_contact_job_title(tmp_path: Path, job_title: str) -> Callable[[], None]:
    """The quickstart program with another job title for the organization contact: a contact
    change, which updates the organization in place (and nothing else)."""
    source = (ROOT / "examples" / "quickstart" / "__main__.py").read_text()
    declared = '"job_title": "Security Lead"'
    assert source.count(declared) == 1
    path = tmp_path / "__main__.py"
    path.write_text(source.replace(declared, f'"job_title": "{job_title}"'))

    def changed() -> None:
        runpy.run_path(str(path), run_name="__main__")

    return changed


@pytest.mark.parametrize("operation", ["up", "preview"])
def test_an_organization_contact_change_updates_only_the_organization(
    engine: HostEngine, tmp_path: Path, operation: str
) -> None:
    """``up`` updates the organization alone, and ``preview`` shows only that update."""
    state = engine.up(program, skip_preview=True).state
    changed = getattr(engine, operation)(quickstart_with_contact_job_title(tmp_path, "CISO"), state)
    assert [(op.op, op.name) for op in changed.log if op.op != "same"] == [("update", "acme")]
