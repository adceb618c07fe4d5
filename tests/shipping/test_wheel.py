"""The wheel ships what users import and nothing that only proves it.

It is built from this checkout and installed into a fresh virtualenv with ``pip install
--no-deps --no-index``; every module it ships is then imported there, from a directory outside
the checkout, and its console scripts run. The run stays offline: the build uses the
``hatchling`` of the ``dev`` extra (no build isolation, nothing downloaded), and the fresh
virtualenv takes the third-party dependencies (pulumi, httpx, pydantic, Starlette...) from the
test's own environment through a path entry. Resolving those from a package index is pip's
work, not the wheel's, and needs the network; what the test checks, that the wheel carries every
module its own code imports and no development-only one, does not.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "provider" / "pulumi_digicert"
#: What the source tree holds that users never import: development-only folders at the root.
DEVELOPMENT_ONLY = ("qa", "benchmarks", "tests", "scripts", "policies", "examples")
CONSOLE_SCRIPTS = ("digicert-sandbox", "digicert-doctor")


def run(*command: str | Path, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def not_shipped(names: list[str]) -> list[str]:
    """The wheel entries that are neither the package nor its metadata, or that sit under a
    folder that left the package (``pulumi_digicert/tools``) or a cache."""
    wrong = []
    for name in names:
        parts = PurePosixPath(name).parts
        top = parts[0]
        if not (top == "pulumi_digicert" or top.endswith(".dist-info")):
            wrong.append(name)
        elif "tools" in parts[:-1] or "__pycache__" in parts or name.endswith(".pyc"):
            wrong.append(name)
    return wrong


def source_files() -> set[str]:
    """The package's files in the checkout, as wheel entries (independent of the build)."""
    return {
        "pulumi_digicert/" + path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-index",
        "--no-build-isolation",
        "--wheel-dir",
        out,
        ROOT,
    )
    (built,) = out.glob("pulumi_digicert-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv with only the wheel installed (and the dependencies on a path entry)."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--python", python)
    run(*pip, "install", "--quiet", "--no-deps", "--no-index", wheel)
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    fresh_site = Path(run(python, "-c", where).strip())
    # A plain path line: the directory joins sys.path after the fresh site-packages, and its own
    # .pth files (this checkout's editable install among them) are not processed.
    (fresh_site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_the_wheel_holds_the_package_and_nothing_that_proves_it(wheel: Path) -> None:
    names = wheel_names(wheel)
    assert not_shipped(names) == []
    assert {n.split("/")[0] for n in names} == {
        "pulumi_digicert",
        "pulumi_digicert-0.1.0.dist-info",
    }


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    shipped = {n for n in wheel_names(wheel) if n.startswith("pulumi_digicert/")}
    assert shipped == source_files()
    assert "pulumi_digicert/py.typed" in shipped


def test_the_check_names_a_development_folder_that_slips_in() -> None:
    planted = [
        "pulumi_digicert/__init__.py",
        "pulumi_digicert/tools/reliability.py",
        "qa/scenarios.py",
        "benchmarks/common.py",
        "tests/conftest.py",
        "pulumi_digicert/__pycache__/config.cpython-311.pyc",
        "pulumi_digicert-0.1.0.dist-info/METADATA",
    ]
    assert not_shipped(planted) == planted[1:-1]


def imported_roots(path: Path) -> set[str]:
    """The top-level names ``path`` imports (absolute imports only)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_package_imports_nothing_from_the_development_folders() -> None:
    wrong = {
        str(path.relative_to(PACKAGE)): sorted(
            imported_roots(path) & {*DEVELOPMENT_ONLY, "support"}
        )
        for path in PACKAGE.rglob("*.py")
    }
    assert {path: roots for path, roots in wrong.items() if roots} == {}


def test_a_fresh_install_imports_every_module_it_ships(wheel: Path, fresh_venv: Path) -> None:
    modules = sorted(
        name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for name in wheel_names(wheel)
        if name.endswith(".py") and not name.endswith("__main__.py")
    )
    assert "pulumi_digicert.testing._pulumi_sdk" in modules
    site = sysconfig.get_paths()["purelib"]
    script = (
        "import importlib, sys\n"
        f"modules = {modules!r}\n"
        "for name in modules:\n"
        "    module = importlib.import_module(name)\n"
        f"    assert not module.__file__.startswith({str(ROOT)!r}), module.__file__\n"
        f"    assert not module.__file__.startswith({site!r}), module.__file__\n"
        f"dev = sorted(m for m in sys.modules if m.split('.')[0] in {DEVELOPMENT_ONLY!r} "
        "or m.split('.')[0] == 'support')\n"
        "assert dev == [], dev\n"
        "print(len(modules))\n"
    )
    # From a directory outside the checkout, so only the installed copy can be found.
    printed = run(fresh_venv / "bin" / "python", "-c", script, cwd=fresh_venv)
    assert printed.strip() == str(len(modules))


@pytest.mark.parametrize("script", CONSOLE_SCRIPTS)
def test_a_fresh_install_runs_its_console_scripts(fresh_venv: Path, script: str) -> None:
    printed = run(fresh_venv / "bin" / script, "--help", cwd=fresh_venv)
    assert "usage:" in printed
