"""The package's parts depend on each other in one direction only.

The root's private modules (errors, version, notices, the engine's value conventions) depend on
no other part; the settings on the root alone; the client on the settings and the root; the
resources on the client, the settings and the root; the doctor on the settings and the root,
not on the client it checks. No module reaches up to the package root
(``pulumi_digicert/__init__.py``, which loads the resources): that is how the client once
imported the resources' package to read ``__version__``, and the settings imported the client
for ``ConfigError``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "provider" / "pulumi_digicert"

ROOT_MODULES = ("_exceptions", "_version", "_notice", "_engine_values", "_numbers")
# Which parts of the package each part may import, written from DESIGN.md's layout.
MAY_IMPORT: dict[str, frozenset[str]] = {
    **{name: frozenset() for name in ROOT_MODULES},
    "config": frozenset(ROOT_MODULES),
    "client": frozenset({*ROOT_MODULES, "config", "client"}),
    "resources": frozenset({*ROOT_MODULES, "config", "client", "resources"}),
    # The doctor checks what the client assumes with its own HTTP layer, so never uses it.
    "doctor": frozenset({*ROOT_MODULES, "config", "doctor"}),
}


def _part(module: Path) -> str:
    relative = module.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imports(module: Path) -> list[tuple[int, str]]:
    """Every ``pulumi_digicert...`` name the module imports (also under ``TYPE_CHECKING`` and
    inside functions), with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(module.read_text(), str(module))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "pulumi_digicert":
                found += [(node.lineno, f"pulumi_digicert.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] == "pulumi_digicert"]


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize(
    "module",
    [m for m in MODULES if _part(m) in MAY_IMPORT],
    ids=lambda m: str(m.relative_to(PACKAGE)),
)
def test_a_module_imports_only_the_parts_below_it(module: Path) -> None:
    allowed = MAY_IMPORT[_part(module)]
    upward = [
        f"line {line}: {name}"
        for line, name in _imports(module)
        if name == "pulumi_digicert" or name.split(".")[1] not in allowed
    ]
    assert upward == []


# The campaign (``tools/``) writes programs the way users do, through the public root: it sits
# above the whole package, not inside it.
@pytest.mark.parametrize(
    "module",
    [m for m in MODULES if _part(m) != "tools"],
    ids=lambda m: str(m.relative_to(PACKAGE)),
)
def test_no_module_imports_the_package_root(module: Path) -> None:
    if module == PACKAGE / "__init__.py":
        return
    root_names = {f"pulumi_digicert.{a.stem}" for a in PACKAGE.glob("*.py")}
    root_names |= {f"pulumi_digicert.{p.name}" for p in PACKAGE.iterdir() if p.is_dir()}
    upward = [
        f"line {line}: {name}"
        for line, name in _imports(module)
        if name == "pulumi_digicert"
        or name.split(".")[:2] == ["pulumi_digicert", "__version__"]
        or ".".join(name.split(".")[:2]) not in root_names
    ]
    assert upward == []


@pytest.mark.parametrize(
    ("module", "not_loaded"),
    [
        ("pulumi_digicert.config", "pulumi_digicert.client"),
        ("pulumi_digicert._exceptions", "pulumi_digicert.client"),
        ("pulumi_digicert.client", "pulumi_digicert.resources"),
        ("pulumi_digicert.client._client", "pulumi_digicert.resources"),
    ],
)
def test_importing_a_part_loads_nothing_above_it(module: str, not_loaded: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"loaded = sorted(m for m in sys.modules if m == {not_loaded!r} "
        f"or m.startswith({not_loaded + '.'!r}))\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_the_public_paths_of_errors_and_version_still_work() -> None:
    import pulumi_digicert
    from pulumi_digicert import _exceptions, _version
    from pulumi_digicert.client import errors
    from pulumi_digicert.config import ConfigError

    assert pulumi_digicert.__version__ == _version.__version__
    assert ConfigError is errors.ConfigError is _exceptions.ConfigError
    # Every class of the client's error tree, found in the module rather than in a list of it.
    tree = [
        name
        for name, value in vars(_exceptions).items()
        if isinstance(value, type)
        and (issubclass(value, _exceptions.DigiCertError) or value is _exceptions.ApiErrorDetail)
    ]
    assert len(tree) == 17  # the 16 classes the module docstring draws, and ApiErrorDetail
    for name in tree:
        assert name in errors.__all__
        assert getattr(errors, name) is getattr(_exceptions, name)
