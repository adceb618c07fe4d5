"""Every example folder is a Pulumi project a team can copy, and its stack files only use
config keys that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from tests.examples.support import EXAMPLES, ROOT

PROGRAMS = ["dns-validation", "partner-billing"]
CONFIG_SOURCE = (ROOT / "provider" / "pulumi_digicert" / "config.py").read_text()
PROVIDER_KEYS = {
    f"digicert:{name}" for name in re.findall(r'\(\s*"(\w+)",\s*"DIGICERT_', CONFIG_SOURCE)
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_example_is_a_python_pulumi_project(name: str) -> None:
    folder = EXAMPLES / name
    project = yaml.safe_load((folder / "Pulumi.yaml").read_text())
    assert project["name"] == f"digicert-{name}"
    assert project["runtime"] == {"name": "python", "options": {"virtualenv": ".venv"}}
    assert (folder / "__main__.py").is_file()
    requirements = (folder / "requirements.txt").read_text()
    assert "-e ../.." in requirements


@pytest.mark.parametrize(
    "stack_file",
    [ROOT / "Pulumi.dev.yaml", *(EXAMPLES / name / "Pulumi.sandbox.yaml" for name in PROGRAMS)],
    ids=lambda p: str(Path(p).relative_to(ROOT)),
)
def test_stack_files_use_known_keys(stack_file: Path) -> None:
    project_file = stack_file.parent / "Pulumi.yaml"
    project = yaml.safe_load(project_file.read_text())["name"]
    program_path = stack_file.parent / yaml.safe_load(project_file.read_text()).get("main", "")
    program = (program_path / "__main__.py").read_text()
    config = yaml.safe_load(stack_file.read_text())["config"]
    for key in config:
        namespace, _, name = key.partition(":")
        if namespace == "digicert":
            assert key in PROVIDER_KEYS, key
        else:
            assert namespace == project, key
            assert f'"{name}"' in program, key
    assert config["digicert:baseUrl"] == "http://127.0.0.1:8787/services/v2"
