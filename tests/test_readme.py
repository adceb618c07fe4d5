"""The README is the reference: what it documents must exist in the code, and the reverse.

Checked: the two commands, every config key and environment variable, every resource's
arguments (names, required or not, and update/replace/state from the field tables), outputs,
and the examples it names.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import pulumi_digicert as digicert
from pulumi_digicert.resources import PROVIDERS, RESOURCES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
CONFIG_SOURCE = (ROOT / "provider" / "pulumi_digicert" / "config.py").read_text()


def section(heading: str, text: str = README) -> str:
    """The text under ``heading`` (a whole Markdown heading line) up to the next heading of
    the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n") + len(heading) + 1
    stop = re.compile(rf"^#{{1,{len(level)}}} ", re.M).search(text, start)
    return text[start : stop.start() if stop else len(text)]


def table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
    return rows[1:]  # without the header


def code_names(cell: str) -> list[str]:
    return re.findall(r"`([a-z_][a-z0-9_]*)`", cell)


# -- the two commands ---------------------------------------------------------------------


def test_readme_gives_the_quickstart_and_test_commands() -> None:
    quickstart = section("## Quickstart")
    assert "```bash\nbash scripts/quickstart.sh\n```" in quickstart
    assert (ROOT / "scripts" / "quickstart.sh").is_file()
    assert (ROOT / "scripts" / "quickstart_local.py").is_file()
    tests = section("## Tests")
    assert "```bash\nbash .ci/run\n```" in tests
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest" in ci
    assert "ruff check" in ci
    assert "mypy" in ci


def test_quickstart_project_files_match_the_readme() -> None:
    quickstart = section("## Quickstart")
    assert "examples/quickstart/" in quickstart
    assert (ROOT / "Pulumi.yaml").is_file()
    assert (ROOT / "Pulumi.dev.yaml").is_file()
    program = (ROOT / "examples" / "quickstart" / "__main__.py").read_text()
    for key in re.findall(r"^Stack config the quickstart program reads: (.*)$", quickstart, re.M):
        for name in re.findall(r"`(\w+)` \(default", key):
            assert f'"{name}"' in program, name


# -- configuration ------------------------------------------------------------------------


def code_settings() -> set[tuple[str, str]]:
    """(config key, environment variable) pairs that ProviderSettings.resolve reads."""
    pairs = re.findall(r'\(\s*"(\w+)",\s*"(DIGICERT_\w+)"', CONFIG_SOURCE)
    assert pairs, "found no settings in config.py"
    return {(f"digicert:{name}", env) for name, env in pairs}


def test_config_table_documents_exactly_the_settings_the_provider_reads() -> None:
    documented = set()
    for row in table_rows(section("## Configuration")):
        keys = re.findall(r"`(digicert:\w+)`", row[0])
        envs = re.findall(r"`(DIGICERT_\w+)`", row[1])
        if keys:
            documented.add((keys[0], envs[0]))
    assert documented == code_settings()


def test_every_config_key_mentioned_anywhere_exists() -> None:
    known = {key for key, _ in code_settings()}
    mentioned = set(re.findall(r"digicert:[a-z][A-Za-z]+", README))
    assert mentioned <= known
    envs = {env for _, env in code_settings()}
    # The sandbox's own variable (its control token) is not a provider setting.
    from pulumi_digicert.sandbox.control import CONTROL_TOKEN_ENV

    assert set(re.findall(r"DIGICERT_[A-Z_]+", README)) - {CONTROL_TOKEN_ENV} <= envs


def test_config_defaults_in_the_readme_are_the_code_defaults() -> None:
    from pulumi_digicert import config

    rows = {
        re.findall(r"`(digicert:\w+)`", row[0])[0]: row[2]
        for row in table_rows(section("## Configuration"))
    }
    assert f"`{config.DEFAULT_BASE_URL}`" in rows["digicert:baseUrl"]
    assert f"`{config.DEFAULT_PARTNER_BASE_URL}`" in rows["digicert:partnerBaseUrl"]
    assert f"`{config.DEFAULT_MAX_RETRIES}`" in rows["digicert:maxRetries"]
    assert f"`{config.DEFAULT_REQUEST_TIMEOUT:g}`" in rows["digicert:requestTimeout"]
    burst = f"`{config.DEFAULT_BURST_LIMIT}/{config.DEFAULT_BURST_WINDOW:g}`"
    assert burst in rows["digicert:rateLimitBurst"]
    sustained = f"`{config.DEFAULT_SUSTAINED_LIMIT}/{config.DEFAULT_SUSTAINED_WINDOW:g}`"
    assert sustained in rows["digicert:rateLimitSustained"]


# -- resources ----------------------------------------------------------------------------

RESOURCE_PROVIDERS = dict(zip(RESOURCES, PROVIDERS, strict=True))


def constructor_arguments(cls: type) -> dict[str, bool]:
    """Argument name -> required, from the resource class's constructor."""
    parameters = inspect.signature(cls.__init__).parameters  # type: ignore[misc]
    return {
        name: p.default is inspect.Parameter.empty
        for name, p in parameters.items()
        if name not in ("self", "resource_name", "opts")
    }


def documented_arguments(cls: type) -> dict[str, tuple[str, str]]:
    """Argument name -> (required cell, on-change cell) from the README's table."""
    text = section(f"### {cls.__name__}")
    documented: dict[str, tuple[str, str]] = {}
    for row in table_rows(text):
        if len(row) != 5:
            continue
        for name in code_names(row[0]):
            documented[name] = (row[2], row[3])
    return documented


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_resource_arguments_are_documented_exactly(cls: type) -> None:
    documented = documented_arguments(cls)
    arguments = constructor_arguments(cls)
    assert set(documented) == set(arguments)
    for name, required in arguments.items():
        assert documented[name][0] == ("yes" if required else "no"), name


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_resource_on_change_column_is_the_field_table(cls: type) -> None:
    documented = documented_arguments(cls)
    modes = {field.name: field.mode.value for field in RESOURCE_PROVIDERS[cls].fields}
    assert set(modes) == set(documented)
    for name, mode in modes.items():
        assert documented[name][1] == mode, name


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_resource_outputs_are_declared_by_the_class(cls: type) -> None:
    text = section(f"### {cls.__name__}")
    match = re.search(r"\*\*Outputs:\*\*(.*?)\n\n", text, re.S)
    assert match, f"no Outputs paragraph for {cls.__name__}"
    # Names in parentheses are values or sub-fields, not outputs.
    outputs = set(code_names(re.sub(r"\([^)]*\)", "", match.group(1))))
    declared = set(inspect.get_annotations(cls))
    assert outputs == declared


def test_every_resource_has_a_reference_section() -> None:
    reference = section("## Resources")
    for cls in RESOURCES:
        assert f"### {cls.__name__}\n" in reference
        assert getattr(digicert, cls.__name__) is cls


# -- examples -----------------------------------------------------------------------------


def test_examples_named_in_the_readme_exist() -> None:
    for path in re.findall(r"\]\((examples/[^)#]+)\)", README):
        assert (ROOT / path).exists(), path
    for name in ("quickstart", "dns-validation", "partner-billing", "ci"):
        assert f"examples/{name}" in section("## Examples")
    for name in ("dns-validation", "partner-billing"):
        assert (ROOT / "examples" / name / "Pulumi.sandbox.yaml").is_file()


def test_readme_links_to_its_own_sections() -> None:
    headings = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
        for h in re.findall(r"^#+ (.*)$", README, re.M)
    }
    for anchor in re.findall(r"\]\(#([^)]+)\)", README):
        assert anchor in headings, anchor


# -- digicert-doctor ----------------------------------------------------------------------

DOCTOR = "## Check your account first: digicert-doctor"


def test_the_doctor_table_lists_every_check_with_the_sections_it_answers() -> None:
    from pulumi_digicert.doctor.checks import CHECKS

    tables = section(DOCTOR).split("\n\n| open question")
    documented = {
        row[0].strip("`"): tuple(ref.strip() for ref in row[2].split(","))
        for row in table_rows(tables[0])
        if len(row) == 3
    }
    assert documented == {check: answers for check, (_, answers) in CHECKS.items()}


def test_the_doctor_open_questions_table_matches_what_it_checks() -> None:
    from pulumi_digicert.doctor.checks import CHECKS
    from pulumi_digicert.doctor.report import NOT_CHECKED

    text = "| open question" + section(DOCTOR).split("\n\n| open question")[1]
    rows = {row[0].split(":")[0]: row[1] for row in table_rows(text)}
    assert set(rows) == {f"Q{n}" for n in range(1, 11)}
    unanswerable = {question for question, _ in NOT_CHECKED}
    for question, answer in rows.items():
        named = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", answer))
        if question in unanswerable:
            assert answer.startswith("none:"), question
        else:
            answering = {c for c, (_, refs) in CHECKS.items() if question in refs}
            assert named == answering, question


def test_the_doctor_flags_and_limits_in_the_readme_are_the_codes() -> None:
    from pulumi_digicert.doctor import cli
    from pulumi_digicert.doctor.http import DEFAULT_BUDGET, DEFAULT_PACE
    from pulumi_digicert.doctor.run import DEFAULT_SAMPLE

    text = section(DOCTOR)
    parser_flags = {
        option
        for action in cli.build_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    assert set(re.findall(r"`(--[a-z-]+)", text)) == parser_flags
    assert f"at most {DEFAULT_BUDGET} requests" in text
    assert f"at most {DEFAULT_PACE[0]} in any {DEFAULT_PACE[1]:g} seconds" in text
    assert {1: "one", 2: "two", 3: "three"}[DEFAULT_SAMPLE] + " objects of each kind" in text
