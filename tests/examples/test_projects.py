"""Every example folder is a Pulumi project a team can copy, and its stack files only use
config keys that exist."""

from __future__ import annotations

import re
from importlib import metadata
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


def test_the_dns_validation_sandbox_stack_installs_no_dns_provider() -> None:
    folder = EXAMPLES / "dns-validation"
    requirements = requirement_lines(folder / "requirements.txt")
    assert requirements == ["-e ../.."]
    cloudflare = requirement_lines(folder / "requirements-cloudflare.txt")
    assert cloudflare[0] == "-r requirements.txt"
    assert any(line.startswith("pulumi-cloudflare") for line in cloudflare)


def requirement_lines(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def test_the_readme_says_which_extra_the_tests_need() -> None:
    # The quickstart's .venv has the sandbox extra only; the test command needs pytest.
    readme = (ROOT / "README.md").read_text()
    tests = readme[readme.index("## Tests\n") : readme.index("### Testing your own stacks")]
    install = tests.index('.venv/bin/pip install -e ".[dev]"')
    assert install < tests.index(".venv/bin/python -m pytest tests/examples")
    requires = metadata.requires("pulumi-digicert") or []
    dev = [r for r in requires if re.search(r"extra\s*==\s*[\"']dev[\"']", r)]
    assert any(requirement.startswith("pytest") for requirement in dev), dev
