"""Resource options as the engine applies them: ignore_changes, replace_on_changes, protect,
deleted_with, retain_on_delete (pkg/resource/deploy/step_generator.go and step.go)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from pulumi_digicert.testing import Deployment, DeploymentError, EngineError, HostEngine
from testing.echo_provider import Echo


def one(value: Any = "one", **options: Any) -> Callable[[], None]:
    extra = options.pop("extra", {})

    def program() -> None:
        Echo("it", value=value, opts=pulumi.ResourceOptions(**options), **extra)

    return program


def deploy_twice(
    engine: HostEngine, first: Callable[[], None], second: Callable[[], None]
) -> Deployment:
    """``first`` deployed (``--skip-preview``: it is only the setup), then ``second``."""
    return engine.up(second, engine.up(first, skip_preview=True).state)


# -- ignore_changes (step_generator.go: processIgnoreChanges before Check, and again in
#    diffResource's DIFF_UNKNOWN fallback) ----------------------------------------------


def test_ignore_changes_resets_the_new_inputs_to_the_old_ones_before_check(
    engine: HostEngine,
) -> None:
    deployment = deploy_twice(
        engine, one("one", ignore_changes=["value"]), one("two", ignore_changes=["value"])
    )
    assert deployment.op_for("it") == "same"
    assert deployment.entry("it")["inputs"]["value"] == "one", "Check saw the old value"
    assert "Update" not in deployment.host_calls


def test_without_ignore_changes_the_same_change_updates(engine: HostEngine) -> None:
    assert deploy_twice(engine, one("one"), one("two")).op_for("it") == "update"


def test_ignore_changes_follows_nested_paths(engine: HostEngine) -> None:
    first = one(extra={"tags": {"a": "1", "b": "1"}}, ignore_changes=["tags.a"])
    second = one(extra={"tags": {"a": "2", "b": "1"}}, ignore_changes=["tags.a"])
    assert deploy_twice(engine, first, second).op_for("it") == "same"

    third = one(extra={"tags": {"a": "2", "b": "2"}}, ignore_changes=["tags.a"])
    deployment = deploy_twice(engine, first, third)
    assert deployment.op_for("it") == "update"
    assert deployment.entry("it")["inputs"]["tags"] == {"a": "1", "b": "2"}


def test_ignore_changes_applies_when_the_provider_diff_gives_no_verdict(
    engine: HostEngine,
) -> None:
    quiet = {"unknown_diff": True}
    same = deploy_twice(
        engine,
        one("one", extra=quiet, ignore_changes=["value"]),
        one("two", extra=quiet, ignore_changes=["value"]),
    )
    assert same.op_for("it") == "same"
    changed = deploy_twice(engine, one("one", extra=quiet), one("two", extra=quiet))
    assert changed.op_for("it") == "update", "the engine compared the inputs itself"


# -- replace_on_changes (step_generator.go: applyReplaceOnChanges acts on the keys the engine
#    knows changed; the Python host reports none with DIFF_SOME) --------------------------


def test_replace_on_changes_does_nothing_for_a_diff_some_answer(engine: HostEngine) -> None:
    deployment = deploy_twice(
        engine,
        one("one", replace_on_changes=["value"]),
        one("two", replace_on_changes=["value"]),
    )
    assert deployment.op_for("it") == "update"


@pytest.mark.parametrize("paths", [["value"], ["*"]])
def test_replace_on_changes_replaces_when_the_engine_found_the_change_itself(
    engine: HostEngine, paths: list[str]
) -> None:
    quiet = {"unknown_diff": True}
    deployment = deploy_twice(
        engine,
        one("one", extra=quiet, replace_on_changes=paths),
        one("two", extra=quiet, replace_on_changes=paths),
    )
    assert [op.op for op in deployment.log] == ["replace", "delete-replaced"]
    assert deployment.ops("replace")[0].replaces == ("value",)


def test_replace_on_changes_ignores_keys_that_did_not_change(engine: HostEngine) -> None:
    quiet = {"unknown_diff": True}
    deployment = deploy_twice(
        engine,
        one("one", extra={**quiet, "tags": {"a": "1"}}, replace_on_changes=["tags"]),
        one("two", extra={**quiet, "tags": {"a": "1"}}, replace_on_changes=["tags"]),
    )
    assert deployment.op_for("it") == "update"


# -- protect (step.go: deleteProtectedError; step_generator.go: no replacement) ------------


def test_protect_refuses_destroy_without_calling_delete(engine: HostEngine) -> None:
    state = engine.up(one(protect=True), skip_preview=True).state
    with pytest.raises(DeploymentError, match="because it is protected") as raised:
        engine.destroy(state)
    assert isinstance(raised.value.__cause__, EngineError)
    assert "Delete" not in raised.value.deployment.host_calls
    assert raised.value.deployment.resource_entries(), "nothing left the state"


def test_protect_refuses_the_delete_of_a_resource_removed_from_the_program(
    engine: HostEngine,
) -> None:
    state = engine.up(one(protect=True), skip_preview=True).state
    with pytest.raises(DeploymentError, match="because it is protected"):
        engine.up(lambda: None, state)


def test_protect_refuses_a_replacement(engine: HostEngine) -> None:
    state = engine.up(one(protect=True, extra={"name": "a"}), skip_preview=True).state
    with pytest.raises(DeploymentError, match="unable to replace resource") as raised:
        engine.up(one(protect=True, extra={"name": "b"}), state)
    assert "Create" not in raised.value.deployment.host_calls


def test_unprotecting_allows_the_destroy(engine: HostEngine) -> None:
    state = engine.up(one(protect=True), skip_preview=True).state
    unprotected = engine.up(one(protect=False), state)
    assert engine.destroy(unprotected.state).state == {}


# -- deleted_with (step.go: isDeletedWith) and retain_on_delete ----------------------------


def parent_and_child() -> None:
    parent = Echo("parent", value="p")
    Echo("child", value="c", opts=pulumi.ResourceOptions(deleted_with=parent))


def test_deleted_with_skips_the_delete_when_its_resource_is_deleted_too(
    engine: HostEngine,
) -> None:
    state = engine.up(parent_and_child, skip_preview=True).state
    destroyed = engine.destroy(state)
    assert {op.name: op.detail for op in destroyed.log} == {
        "child": "deleted with parent",
        "parent": "",
    }
    assert destroyed.host_calls["Delete"] == 1


def test_deleted_with_still_deletes_when_only_the_dependent_goes(engine: HostEngine) -> None:
    state = engine.up(parent_and_child, skip_preview=True).state

    def parent_only() -> None:
        Echo("parent", value="p")

    shrunk = engine.up(parent_only, state)
    assert shrunk.op_for("child") == "delete"
    assert shrunk.host_calls["Delete"] == 1


def test_retain_on_delete_forgets_a_removed_resource(engine: HostEngine) -> None:
    state = engine.up(one(retain_on_delete=True), skip_preview=True).state
    removed = engine.up(lambda: None, state)
    assert removed.ops("delete")[0].detail == "retained"
    assert "Delete" not in removed.host_calls
    assert removed.resource_entries() == {}
