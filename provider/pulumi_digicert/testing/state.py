"""What a HostEngine operation produces: the state (the engine's snapshot), the step log and
the errors the engine reports.

State is a JSON-serialisable ``dict``: ``urn -> entry``, in the order resources were created
(dependencies first, as in the engine's snapshot). Values are stored in plain text, with the
names of secret properties listed beside them (``secret_inputs`` / ``secret_outputs``);
:func:`redacted` masks them. A resource entry holds ``id``, ``type``, ``custom``, ``inputs``,
``outputs``, ``secret_inputs``, ``secret_outputs``, ``provider`` (``"<provider urn>::<id>"``),
``dependencies``, ``property_dependencies`` and the options the engine keeps in state:
``protect``, ``retain_on_delete``, ``deleted_with``, ``ignore_changes``, ``replace_on_changes``,
``import_id``; ``external`` marks a resource read with ``.get()``.

As in the engine, the default provider of dynamic resources is a resource of the state too
(``pulumi:providers:pulumi-python``, named ``default``). Its inputs are the stack configuration
it was configured with (every key, each value a string, secure keys listed in
``secret_inputs``): ``refresh`` and ``destroy`` configure the provider from them, not from the
engine's current config. The step log leaves it out, as ``pulumi up`` does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_digicert.testing.host import (
    DYNAMIC_PROVIDER_PACKAGE,
    CheckFailure,
    config_string,
    is_secret_config_key,
    make_urn,
    split_urn,
)
from pulumi_digicert.testing.program import RegisteredResource

__all__ = [
    "DEFAULT_PROVIDER_TYPE",
    "SECRET_MASK",
    "CheckFailedError",
    "Deployment",
    "DeploymentError",
    "EngineError",
    "Operation",
    "State",
    "default_provider_urn",
    "is_provider_type",
    "redacted",
    "stack_config",
]

State = dict[str, dict[str, Any]]
"""Deployment state: URN -> entry (see the module documentation), in creation order."""

DEFAULT_PROVIDER_TYPE = f"pulumi:providers:{DYNAMIC_PROVIDER_PACKAGE}"
DEFAULT_PROVIDER_NAME = "default"
UNKNOWN_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The id the engine gives a provider it only previews (pkg/resource/deploy/providers/
registry.go, ``UnknownID``)."""

SECRET_MASK = "[secret]"  # noqa: S105 - the mask, not a secret

_SYMBOLS = {
    "create": "+",
    "update": "~",
    "replace": "+-",
    "delete": "-",
    "delete-replaced": "--",
    "read": ">",
    "import": "=",
    "refresh": "~",
    "same": " ",
}


def is_provider_type(type_token: str) -> bool:
    """True for a provider resource (``pulumi:providers:<package>``)."""
    return type_token.startswith("pulumi:providers:")


def default_provider_urn(project: str, stack: str) -> str:
    """URN of the default provider of dynamic resources in a stack."""
    return make_urn(DEFAULT_PROVIDER_TYPE, DEFAULT_PROVIDER_NAME, project=project, stack=stack)


def stack_config(
    config: Mapping[str, Any], secret_config_keys: Iterable[str] | None = None
) -> tuple[dict[str, str], frozenset[str]]:
    """The default provider's inputs for a dynamic provider, and which of them are secret.

    pkg/resource/deploy/target.go, ``GetPackageConfig``: a dynamic provider gets every stack
    key, namespace kept; each value is the config entry's string (``config.Value``: objects as
    JSON), secret where the key is secure. ``None`` values are left out (no such key).
    """
    values = {key: config_string(value) for key, value in config.items() if value is not None}
    if secret_config_keys is None:
        secrets = frozenset(key for key in values if is_secret_config_key(key))
    else:
        secrets = frozenset(key for key in secret_config_keys if key in values)
    return values, secrets


@dataclass(frozen=True)
class Operation:
    """One step of a deployment, as ``pulumi up`` would print it (no values, only names)."""

    op: str
    urn: str
    type: str
    name: str
    id: str = ""
    changes: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    detail: str = ""
    planned: bool = False

    @property
    def symbol(self) -> str:
        return _SYMBOLS.get(self.op, "?")

    def __str__(self) -> str:
        line = f"{self.symbol:>2} {self.op:<15} {self.type} {self.name}"
        keys = self.replaces or self.changes
        if keys:
            line += f" [{', '.join(keys)}]"
        if self.detail:
            line += f" ({self.detail})"
        return line


@dataclass
class Deployment:
    """The outcome of one :class:`~pulumi_digicert.testing.HostEngine` operation.

    ``planned`` is the preview that ``up`` ran first (``None`` for the other operations).
    ``host_stderr``, ``host_calls`` and ``host_pids`` tell what the provider host processes of
    this operation did: their complete stderr, their gRPC calls by method, and their process
    ids (one fresh host per operation, none if it needed no provider).
    """

    state: State
    log: list[Operation]
    preview: bool = False
    resources: list[RegisteredResource] = field(default_factory=list)
    exports: dict[str, Any] = field(default_factory=dict)
    planned: Deployment | None = None
    diagnostics: list[str] = field(default_factory=list)
    host_stderr: str = ""
    host_calls: dict[str, int] = field(default_factory=dict)
    host_pids: tuple[int, ...] = ()

    def ops(self, op: str) -> list[Operation]:
        """Log entries of one kind (``"create"``, ``"update"``, ``"replace"`` ...)."""
        return [entry for entry in self.log if entry.op == op]

    def op_for(self, name: str) -> str:
        """The (last) operation performed on the resource called ``name``."""
        entries = [entry for entry in self.log if entry.name == name]
        if not entries:
            raise KeyError(f"no operation on {name!r}")
        return entries[-1].op

    @property
    def changed(self) -> bool:
        return any(entry.op != "same" for entry in self.log)

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.log:
            counts[entry.op] = counts.get(entry.op, 0) + 1
        return counts

    def render(self, *, show_same: bool = False) -> str:
        """The log as ``pulumi up`` prints it, then a summary line (``no changes`` if none),
        then what the provider hosts wrote on stderr, as the CLI shows it under Diagnostics.

        The engine reads each stderr line of a dynamic provider host and logs it with no URN
        (pulumi/pulumi ``sdk/go/common/resource/plugin/plugin.go``, ``runtrace``:
        ``Diag.Infoerrf``); the CLI shows such lines under the stack.
        """
        lines = [str(entry) for entry in self.log if show_same or entry.op != "same"]
        if not self.changed:
            lines.append("no changes")
        else:
            counts = self.summary()
            lines.append("Resources: " + ", ".join(f"{counts[op]} {op}" for op in sorted(counts)))
        said = self.provider_lines()
        if said:
            lines += ["", "Diagnostics:", "  pulumi:pulumi:Stack:", *(f"    {x}" for x in said)]
        return "\n".join(lines)

    def provider_lines(self) -> list[str]:
        """The non-empty lines the provider hosts wrote on stderr during this operation."""
        return [line.strip() for line in self.host_stderr.splitlines() if line.strip()]

    def resource_entries(self) -> dict[str, dict[str, Any]]:
        """The state without provider resources: ``urn -> entry``."""
        return {
            urn: entry for urn, entry in self.state.items() if not is_provider_type(entry["type"])
        }

    def entry(self, name: str) -> dict[str, Any]:
        """The state entry of the (non-provider) resource called ``name``."""
        matches = [
            entry for urn, entry in self.resource_entries().items() if split_urn(urn)[1] == name
        ]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r} in state")
        return matches[0]

    def outputs(self, name: str) -> dict[str, Any]:
        """Recorded outputs of the resource called ``name``."""
        return dict(self.entry(name)["outputs"])


class DeploymentError(Exception):
    """A deployment failed part-way; ``deployment`` holds the state and log up to the failure,
    so a test can retry with it as a real ``pulumi up`` would after a failure."""

    def __init__(self, message: str, deployment: Deployment) -> None:
        super().__init__(message)
        self.deployment = deployment


class EngineError(Exception):
    """An error the engine itself reports (not the provider), worded as the engine words it."""


class CheckFailedError(Exception):
    """The provider's check returned failures (the engine refuses to go on)."""

    def __init__(self, urn: str, failures: list[CheckFailure]) -> None:
        self.urn = urn
        self.failures = failures
        reasons = "; ".join(f"{f.property}: {f.reason}" for f in failures)
        super().__init__(f"check failed for {urn}: {reasons}")


def redacted(state: State) -> State:
    """A copy of ``state`` whose secret inputs and outputs read ``[secret]``."""
    out: State = {}
    for urn, entry in state.items():
        masked = copy.deepcopy(entry)
        for section, names in (("inputs", "secret_inputs"), ("outputs", "secret_outputs")):
            for key in entry.get(names, ()):
                if key in masked.get(section, {}):
                    masked[section][key] = SECRET_MASK
        out[urn] = masked
    return out
