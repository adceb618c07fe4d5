"""The harness reaches below the Pulumi SDK's public API in one guarded module only
(``pulumi_digicert.testing._pulumi_sdk``), and an SDK that lacks one of those internals fails the
import with one sentence naming it."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import pulumi_digicert.testing

TESTING = Path(pulumi_digicert.testing.__file__).parent
GUARDED = "_pulumi_sdk.py"
#: The SDK's public modules; what each exports is its own ``__all__``.
PUBLIC = ("pulumi", "pulumi.dynamic", "pulumi.runtime")


def pulumi_imports(path: Path) -> list[tuple[str, str]]:
    """``(module, name)`` for every import of a Pulumi SDK module in ``path`` (name ``""`` for a
    plain ``import module``)."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.module, alias.name) for alias in node.names]
    return [(module, name) for module, name in found if module.split(".")[0] == "pulumi"]


def is_public(module: str, name: str) -> bool:
    if module not in PUBLIC:
        return False
    exported: list[str] = list(getattr(importlib.import_module(module), "__all__", []))
    return name in exported


def test_only_the_guarded_module_imports_what_the_sdk_does_not_export() -> None:
    beyond = {
        f"{path.name}: {module} {name}".strip()
        for path in sorted(TESTING.glob("*.py"))
        if path.name != GUARDED
        for module, name in pulumi_imports(path)
        if not is_public(module, name)
    }
    assert beyond == set()
    assert any(not is_public(m, n) for m, n in pulumi_imports(TESTING / GUARDED))


@pytest.mark.parametrize(
    ("break_the_sdk", "missing"),
    [
        (
            "sys.modules['pulumi.runtime._grpc_settings'] = None",
            "pulumi.runtime._grpc_settings",
        ),
        (
            "import pulumi.runtime.rpc; del pulumi.runtime.rpc.wrap_rpc_secret",
            "pulumi.runtime.rpc.wrap_rpc_secret",
        ),
        (
            "import pulumi.runtime.mocks; del pulumi.runtime.mocks.MockMonitor.make_urn",
            "pulumi.runtime.mocks.MockMonitor.make_urn",
        ),
    ],
    ids=["a module", "a function", "a method"],
)
def test_an_sdk_without_an_internal_fails_the_import_naming_it(
    break_the_sdk: str, missing: str
) -> None:
    code = f"import sys, pulumi; {break_the_sdk}; import pulumi_digicert.testing"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last == (
        f"pulumi_digicert.testing._pulumi_sdk.PulumiSdkChangedError: pulumi_digicert.testing "
        f"needs {missing} from the Pulumi SDK, which pulumi {metadata.version('pulumi')} does "
        "not have: install a pulumi release this package supports (see its pyproject.toml)"
    )
    assert "During handling of the above exception" not in done.stderr
