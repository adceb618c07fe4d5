"""Pieces of the engine's steps that every HostEngine operation shares: the diff a step is
planned from, the delete step, and how a step's result is recorded in state."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_digicert.testing._paths import (
    parse_property_path,
    path_contains,
    process_ignore_changes,
)
from pulumi_digicert.testing._values import (
    UNKNOWN,
    contains_secret,
    secret,
    unwrap_secrets,
)
from pulumi_digicert.testing.host import PROVIDER_KEY, ProviderHost, split_urn
from pulumi_digicert.testing.program import DYNAMIC_TYPE_PREFIX, Registration
from pulumi_digicert.testing.state import EngineError, Operation, is_provider_type

__all__ = [
    "Plan",
    "annotate_secrets",
    "delete_step",
    "display_changes",
    "is_dynamic",
    "make_entry",
    "program_outputs",
    "provider_diff",
    "with_secrets",
]


def is_dynamic(type_token: str) -> bool:
    return type_token.startswith(DYNAMIC_TYPE_PREFIX)


@dataclass(frozen=True)
class Plan:
    """What the engine makes of a provider's Diff (``plugin.DiffResult``, after the engine's
    own fallback and ``replace_on_changes``)."""

    changes: bool
    replace_keys: tuple[str, ...] = ()
    delete_before_replace: bool = False
    changed_keys: tuple[str, ...] = ()

    @property
    def replace(self) -> bool:
        return bool(self.replace_keys)


def _present(value: Any) -> bool:
    return value is not None


def input_changes(olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[str, ...]:
    """Top-level keys whose values differ, secrets unwrapped, ``__provider`` included, absent
    and null alike (``PropertyMap.Diff`` of ``unwrapResourceSecretsAndOutputs``)."""
    plain_old, plain_new = unwrap_secrets(dict(olds)), unwrap_secrets(dict(news))
    keys = sorted(set(plain_old) | set(plain_new))
    return tuple(
        key
        for key in keys
        if (_present(plain_old.get(key)) or _present(plain_new.get(key)))
        and plain_old.get(key) != plain_new.get(key)
    )


def display_changes(olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys ``pulumi up`` shows as changed (inputs, without ``__provider``)."""
    return tuple(key for key in input_changes(olds, news) if key != PROVIDER_KEY)


def replace_on_changes(plan: Plan, paths: Sequence[str]) -> Plan:
    """step_generator.go, ``applyReplaceOnChanges``: a changed key under one of ``paths``
    forces a replacement. Only keys the engine knows changed count: the Python host sends no
    ``diffs``, so for its DIFF_SOME answers this adds nothing."""
    if not plan.changes or not paths:
        return plan
    parsed = [parse_property_path(path) for path in paths]
    forced: list[str] = []
    for key in plan.changed_keys:
        try:
            key_path = parse_property_path(key)
        except ValueError:
            continue
        if any(path_contains(path, key_path) for path in parsed):
            forced.append(key)
    keys = tuple(dict.fromkeys([*plan.replace_keys, *forced]))
    return Plan(plan.changes, keys, plan.delete_before_replace, plan.changed_keys)


def provider_diff(
    host: ProviderHost,
    urn: str,
    resource_id: str,
    *,
    old_inputs: Mapping[str, Any],
    old_outputs: Mapping[str, Any],
    new_inputs: Mapping[str, Any],
    ignore_changes: Sequence[str] = (),
) -> Plan:
    """step_generator.go, ``diffResource``: the provider's Diff; when it answers DIFF_UNKNOWN
    (its ``diff`` returned no verdict) the engine compares the old inputs with the new ones,
    ``ignore_changes`` applied again, ``__provider`` included."""
    summary = host.diff(
        resource_id,
        urn,
        old_outputs,
        new_inputs,
        old_inputs=old_inputs,
        ignore_changes=ignore_changes,
    )
    changed = tuple(summary.diffs)
    changes = summary.changes
    if changes is None:
        news, _ = process_ignore_changes(new_inputs, old_inputs, ignore_changes)
        changed = input_changes(old_inputs, news)
        changes = bool(changed)
    return Plan(changes, tuple(summary.replaces), summary.delete_before_replace, changed)


def annotate_secrets(values: Mapping[str, Any], *sources: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with each key that is secret in one of ``sources`` marked secret
    (provider_plugin.go, ``annotateSecrets``: a provider that does not accept secrets gets them
    unwrapped, and the engine restores the secret bit by property name)."""
    names = {key for source in sources for key, value in source.items() if contains_secret(value)}
    return {
        key: secret(value) if key in names and not contains_secret(value) else value
        for key, value in values.items()
    }


def with_secrets(values: Mapping[str, Any], secret_keys: Iterable[str]) -> dict[str, Any]:
    """State values with their secret keys wrapped again, as the engine holds them."""
    names = set(secret_keys)
    return {key: secret(value) if key in names else value for key, value in values.items()}


def make_entry(
    reg: Registration,
    resource_id: str,
    inputs: Mapping[str, Any],
    outputs: Mapping[str, Any],
    *,
    provider: str = "",
    import_id: str = "",
) -> dict[str, Any]:
    """A state entry for a step's result.

    ``inputs`` and ``outputs`` may hold rpc secret envelopes. Outputs named like a secret
    input stay secret (provider_plugin.go, ``annotateSecrets``, for a provider that does not
    accept secrets), as do ``additional_secret_outputs``: ``__provider`` is secret only when
    its input was.
    """
    plain_inputs = unwrap_secrets(dict(inputs))
    plain_outputs = unwrap_secrets(dict(outputs))
    secret_inputs = {key for key, value in inputs.items() if contains_secret(value)}
    secret_outputs = (
        {key for key in secret_inputs if key in plain_outputs}
        | {key for key in reg.options.additional_secret_outputs if key in plain_outputs}
        | {key for key, value in outputs.items() if contains_secret(value)}
    )
    options = reg.options
    return {
        "id": resource_id,
        "type": reg.type,
        "custom": reg.custom,
        "inputs": plain_inputs,
        "outputs": plain_outputs,
        "secret_inputs": sorted(secret_inputs),
        "secret_outputs": sorted(secret_outputs),
        "provider": provider,
        "dependencies": list(reg.dependencies),
        "property_dependencies": {
            key: list(urns) for key, urns in reg.property_dependencies.items()
        },
        "protect": bool(options.protect),
        "retain_on_delete": bool(options.retain_on_delete),
        "deleted_with": options.deleted_with,
        "ignore_changes": list(options.ignore_changes),
        "replace_on_changes": list(options.replace_on_changes),
        "additional_secret_outputs": list(options.additional_secret_outputs),
        "import_id": import_id,
    }


def program_outputs(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Outputs as the engine hands them back to the program: secrets marked."""
    secrets = set(entry["secret_outputs"])
    return {
        key: secret(value) if key in secrets and value != UNKNOWN else value
        for key, value in entry["outputs"].items()
    }


def _protected_message(urn: str) -> str:
    # step.go, deleteProtectedError.Error
    return (
        f"resource {urn!r} cannot be deleted\n"
        "because it is protected. To unprotect the resource, either remove the `protect` flag "
        "from the resource in your Pulumi program and run `pulumi up`, or use the command:\n"
        f"`pulumi state unprotect '{urn}'`"
    )


def delete_step(
    host: Callable[[], ProviderHost],
    urn: str,
    entry: Mapping[str, Any],
    *,
    op: str,
    replacing: bool,
    deleting: Collection[str],
    preview: bool,
) -> Operation | None:
    """step.go, ``DeleteStep.Apply``. ``deleting`` holds the URNs this deployment deletes (a
    resource ``deleted_with`` one of them needs no Delete of its own). Returns ``None`` for a
    provider resource: its delete only unloads the plugin and is not shown."""
    if is_provider_type(entry["type"]):
        return None
    type_token, name = split_urn(urn)
    if not replacing and entry.get("protect"):
        raise EngineError(_protected_message(urn))
    detail = ""
    if entry.get("external"):
        detail = "external, not deleted"
    elif entry.get("retain_on_delete"):
        detail = "retained"
    elif entry.get("deleted_with") and entry["deleted_with"] in deleting:
        detail = f"deleted with {split_urn(entry['deleted_with'])[1]}"
    elif not preview and entry.get("custom", True) and is_dynamic(entry["type"]):
        host().delete(entry["id"], urn, entry["outputs"], old_inputs=entry["inputs"])
    return Operation(op, urn, type_token, name, entry.get("id", ""), detail=detail, planned=preview)
