"""Replacements as the engine plans them (pkg/resource/deploy/step_generator.go,
``continueStepsFromDiff`` and ``calculateDependentReplacements``), and a Create without an id
(pkg/resource/plugin/provider_plugin.go, ``Create``)."""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pytest

from pulumi_digicert.testing import Deployment, DeploymentError, EngineError, HostEngine, State
from testing.echo_provider import Echo
from testing.test_engine import echo_lines


def family(root_name: str, *, dbr: bool = True) -> Callable[[], None]:
    """A root and three dependents: one whose replacing input (``name``) comes from the root,
    one whose in-place input (``value``) does, and one that only ``depends_on`` it."""

    def program() -> None:
        root = Echo("root", value="r", name=root_name, dbr=dbr)
        Echo("named-by-root", value="n", name=root.echo_id)
        Echo("valued-by-root", value=root.echo_id)
        Echo("after-root", value="a", opts=pulumi.ResourceOptions(depends_on=[root]))

    return program


def single(**inputs: object) -> Callable[[], None]:
    def program() -> None:
        Echo("it", **inputs)  # type: ignore[arg-type]

    return program


def ids(state: State) -> dict[str, str]:
    return {urn.split("::")[-1]: entry["id"] for urn, entry in state.items()}


def steps(deployment: Deployment) -> list[tuple[str, str]]:
    return [(op.op, op.name) for op in deployment.log if op.op != "same"]


Steps = list[tuple[str, str] | frozenset[tuple[str, str]]]

# The two dependents register at the same time, so their steps may come in either order.
DEPENDENTS = frozenset({("replace", "named-by-root"), ("update", "valued-by-root")})
DELETE_BEFORE_REPLACE: Steps = [
    ("delete-replaced", "named-by-root"),
    ("delete-replaced", "root"),
    ("replace", "root"),
    DEPENDENTS,
]
CREATE_BEFORE_DELETE: Steps = [
    ("replace", "root"),
    DEPENDENTS,
    ("delete-replaced", "named-by-root"),
    ("delete-replaced", "root"),
]


def assert_steps(deployment: Deployment, expected: Steps) -> None:
    """The deployment's steps in ``expected`` order; a set stands for steps in any order."""
    actual = steps(deployment)
    seen: Steps = []
    index = 0
    for part in expected:
        if isinstance(part, frozenset):
            seen.append(frozenset(actual[index : index + len(part)]))
            index += len(part)
        else:
            seen.append(actual[index] if index < len(actual) else ("", ""))
            index += 1
    assert seen == expected, actual
    assert index == len(actual), actual


def test_delete_before_replace_first_deletes_the_dependents_the_replacement_would_replace(
    engine: HostEngine,
) -> None:
    before = engine.up(family("a"), skip_preview=True).state
    old = ids(before)
    replaced = engine.up(family("b"), before)

    assert_steps(replaced, DELETE_BEFORE_REPLACE)
    assert echo_lines(replaced, "delete") == [old["named-by-root"], old["root"]]
    new = ids(replaced.state)
    lines = replaced.host_stderr.splitlines()
    assert lines.index(f"echo: delete {old['root']} greeting=hi") < lines.index(
        f"echo: create {new['root']}"
    ), "the old root is gone before its replacement is created"
    assert replaced.outputs("named-by-root")["name"] == new["root"]
    assert replaced.entry("valued-by-root")["id"] == old["valued-by-root"]
    assert replaced.entry("after-root")["id"] == old["after-root"]
    assert replaced.ops("replace")[1].replaces == ("name",), "the key its diff blamed"


def test_delete_before_replace_preview_plans_the_same_steps_and_changes_nothing(
    engine: HostEngine,
) -> None:
    before = engine.up(family("a"), skip_preview=True).state
    planned = engine.preview(family("b"), before)
    assert_steps(planned, DELETE_BEFORE_REPLACE)
    assert not {"Create", "Delete", "Update"} & set(planned.host_calls)
    assert planned.state == before


def test_create_before_delete_leaves_dependents_to_their_own_diffs(engine: HostEngine) -> None:
    before = engine.up(family("a", dbr=False), skip_preview=True).state
    replaced = engine.up(family("b", dbr=False), before)
    assert_steps(replaced, CREATE_BEFORE_DELETE)


def test_a_replacement_is_checked_again_against_no_old_inputs(engine: HostEngine) -> None:
    before = engine.up(single(value="v", name="a", report_olds=True), skip_preview=True)
    assert before.entry("it")["inputs"]["check_had_olds"] is False
    updated = engine.up(single(value="w", name="a", report_olds=True), before.state)
    assert updated.entry("it")["inputs"]["check_had_olds"] is True, "an update keeps its olds"

    replaced = engine.up(single(value="w", name="b", report_olds=True), updated.state)
    assert replaced.op_for("it") == "delete-replaced"
    assert replaced.entry("it")["inputs"]["check_had_olds"] is False
    assert replaced.host_calls["Check"] == 2, "the diff's Check, then the replacement's"


def test_create_that_returns_no_id_fails_the_step(engine: HostEngine) -> None:
    with pytest.raises(DeploymentError, match=r"returned empty resource\.ID from create") as raised:
        engine.up(single(value="v", empty_id=True))
    assert isinstance(raised.value.__cause__, EngineError)
    assert raised.value.deployment.resource_entries() == {}
