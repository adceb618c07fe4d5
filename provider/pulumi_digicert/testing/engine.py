"""A small deployment engine: run a Pulumi program end to end without the Pulumi CLI.

:class:`HostEngine` is a ``pulumi.runtime.Mocks`` whose ``new_resource`` does for each
resource what the engine does during ``pulumi up``, sending Python dynamic resources
(``pulumi-python:dynamic/...``) through a real :class:`~pulumi_digicert.testing.ProviderHost`:

* no prior state: Check, then Create;
* prior state: Check (old inputs, new inputs), Diff (old outputs, checked inputs), then
  Update, replace (Create the new one, Delete the old one at the end of the run; Delete first
  when the diff or the resource options ask for delete-before-replace), or nothing;
* resources in the prior state that the program no longer declares are deleted, last created
  first; ``retain_on_delete`` resources are only forgotten.

Because ``new_resource`` answers with the real outputs, values flow from one resource into its
dependents exactly as in a deployment. With ``preview=True`` nothing is created, updated or
deleted: new resources answer with their checked inputs (other outputs unknown), as
``pulumi preview`` shows them.

State is a JSON-serialisable ``dict``: ``urn -> {"id", "type", "inputs", "outputs", ...}``,
kept in creation order. Values are stored in plain text, with the names of secret properties
listed beside them (``secret_inputs`` / ``secret_outputs``); :func:`redacted` masks them.
The operation log names properties but never prints a value.

Resources that are not dynamic are echoed (id = name, outputs = inputs) unless a handler for
their type token is given.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks

from pulumi_digicert.testing._values import (
    UNKNOWN,
    contains_secret,
    secret,
    secret_keys,
    unwrap_secrets,
)
from pulumi_digicert.testing.host import (
    PROVIDER_KEY,
    CheckFailure,
    DiffSummary,
    ProviderHost,
    make_urn,
    split_urn,
)
from pulumi_digicert.testing.program import (
    DYNAMIC_TYPE_PREFIX,
    ProgramRun,
    RegisteredResource,
    Registration,
    current_registration,
    execute_program,
)

__all__ = [
    "CheckFailedError",
    "Deployment",
    "DeploymentError",
    "HostEngine",
    "Operation",
    "ResourceHandler",
    "State",
    "redacted",
]

State = dict[str, dict[str, Any]]
"""Deployment state: URN -> ``{"id", "type", "inputs", "outputs", "custom", "secret_inputs",
"secret_outputs", "retain_on_delete", "dependencies"}``, in creation order."""

ResourceHandler = Callable[[MockResourceArgs], tuple[str, dict[str, Any]]]
"""Answers ``new_resource`` for a non-dynamic type: ``(id, outputs)``."""

_SYMBOLS = {
    "create": "+",
    "update": "~",
    "replace": "+-",
    "delete": "-",
    "delete-replaced": "--",
    "read": ">",
    "refresh": "~",
    "same": " ",
}

SECRET_MASK = "[secret]"  # noqa: S105 - the mask, not a secret


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
    """The outcome of :meth:`HostEngine.up`, ``preview``, ``refresh`` or ``destroy``."""

    state: State
    log: list[Operation]
    preview: bool = False
    resources: list[RegisteredResource] = field(default_factory=list)
    exports: dict[str, Any] = field(default_factory=dict)

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
        """The log as ``pulumi up`` prints it, then a summary line (``no changes`` if none)."""
        lines = [str(entry) for entry in self.log if show_same or entry.op != "same"]
        if not self.changed:
            lines.append("no changes")
        else:
            counts = self.summary()
            lines.append("Resources: " + ", ".join(f"{counts[op]} {op}" for op in sorted(counts)))
        return "\n".join(lines)

    def outputs(self, name: str) -> dict[str, Any]:
        """Recorded outputs of the resource called ``name``."""
        return dict(self.entry(name)["outputs"])

    def entry(self, name: str) -> dict[str, Any]:
        matches = [entry for urn, entry in self.state.items() if split_urn(urn)[1] == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r} in state")
        return matches[0]


class DeploymentError(Exception):
    """A deployment failed part-way; ``deployment`` holds the state and log up to the failure,
    so a test can retry with it as a real ``pulumi up`` would after a failure."""

    def __init__(self, message: str, deployment: Deployment) -> None:
        super().__init__(message)
        self.deployment = deployment


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


def _changed_keys(olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[str, ...]:
    keys = (set(olds) | set(news)) - {PROVIDER_KEY}
    return tuple(sorted(key for key in keys if olds.get(key) != news.get(key)))


def _is_dynamic(type_token: str) -> bool:
    return type_token.startswith(DYNAMIC_TYPE_PREFIX)


class _Run:
    """Bookkeeping of one ``up`` / ``preview``."""

    def __init__(self, old: State, preview: bool) -> None:
        self.old = old
        self.preview = preview
        self.new: State = {}
        self.log: list[Operation] = []
        self.replaced: list[tuple[str, dict[str, Any]]] = []
        self.lock = threading.Lock()

    def record(self, urn: str, entry: dict[str, Any], operation: Operation) -> None:
        with self.lock:
            self.new[urn] = entry
            self.log.append(operation)


class HostEngine(Mocks):
    """Deploy programs through a real provider host; see the module documentation.

    ``config`` is the stack configuration: the program reads it through ``pulumi.Config``,
    and, unless ``configure_host`` is false, the host is configured with it (secret keys as
    ``secret_config_keys``, default: names that look secret). ``handlers`` map type tokens of
    non-dynamic resources to functions that answer for them.

    One engine runs one deployment at a time; resources within a deployment are processed
    concurrently, as the Pulumi runtime registers them.
    """

    def __init__(
        self,
        host: ProviderHost,
        *,
        project: str = "test",
        stack: str = "dev",
        config: Mapping[str, Any] | None = None,
        secret_config_keys: Iterable[str] | None = None,
        handlers: Mapping[str, ResourceHandler] | None = None,
        configure_host: bool = True,
    ) -> None:
        self.host = host
        self.project = project
        self.stack = stack
        self.config = dict(config or {})
        self.secret_config_keys = (
            list(secret_config_keys) if secret_config_keys is not None else None
        )
        self.handlers = dict(handlers or {})
        self._run: _Run | None = None
        self._deploy_lock = threading.Lock()
        if configure_host and not host.configured:
            host.configure(self.config, self.secret_config_keys)

    # -- deployments --------------------------------------------------------------------------

    def up(
        self,
        program: Callable[[], None],
        state: State | None = None,
        *,
        preview: bool = False,
    ) -> Deployment:
        """Run ``program`` against ``state`` (``None`` for a new stack); return the new state.

        Raises :class:`DeploymentError` (holding the partial state) if a step fails.
        """
        with self._deploy_lock:
            run = _Run(copy.deepcopy(state or {}), preview)
            self._run = run
            program_run: ProgramRun | None = None
            try:
                program_run = execute_program(
                    program,
                    project=self.project,
                    stack=self.stack,
                    config={k: str(v) for k, v in self.config.items() if v is not None},
                    secret_config_keys=self.secret_config_keys,
                    mocks=self,
                    preview=preview,
                )
                self._finish(run)
            except Exception as exc:
                partial = self._partial(run)
                raise DeploymentError(f"deployment failed: {exc}", partial) from exc
            finally:
                self._run = None
            return Deployment(
                state=run.old if preview else run.new,
                log=list(run.log),
                preview=preview,
                resources=program_run.resources,
                exports=program_run.exports,
            )

    def preview(self, program: Callable[[], None], state: State | None = None) -> Deployment:
        """``pulumi preview``: Check and Diff only; the returned state is the input state."""
        return self.up(program, state, preview=True)

    def refresh(self, state: State) -> Deployment:
        """``pulumi refresh``: Read every dynamic resource and record what it returns."""
        with self._deploy_lock:
            new: State = {}
            log: list[Operation] = []
            for urn, entry in state.items():
                type_token, name = split_urn(urn)
                if not (entry.get("custom", True) and _is_dynamic(entry["type"])):
                    new[urn] = copy.deepcopy(entry)
                    log.append(Operation("same", urn, type_token, name, entry.get("id", "")))
                    continue
                try:
                    read_id, outputs, inputs = self.host.read(
                        entry["id"], urn, entry["outputs"], entry["inputs"]
                    )
                except Exception as exc:
                    new.update({k: v for k, v in state.items() if k not in new})
                    raise DeploymentError(
                        f"refresh of {urn} failed: {exc}", Deployment(new, log)
                    ) from exc
                if not read_id:
                    log.append(
                        Operation("delete", urn, type_token, name, entry["id"], detail="gone")
                    )
                    continue
                refreshed = dict(entry, id=read_id, outputs=unwrap_secrets(outputs))
                if inputs is not None:
                    refreshed["inputs"] = unwrap_secrets(inputs)
                refreshed["secret_outputs"] = sorted(
                    set(entry.get("secret_outputs", ())) | secret_keys(outputs)
                )
                changed = _changed_keys(entry["outputs"], refreshed["outputs"])
                input_changes = _changed_keys(entry["inputs"], refreshed["inputs"])
                op = "refresh" if changed or input_changes else "same"
                log.append(
                    Operation(
                        op,
                        urn,
                        type_token,
                        name,
                        read_id,
                        changes=tuple(sorted(set(changed) | set(input_changes))),
                    )
                )
                new[urn] = refreshed
            return Deployment(new, log)

    def destroy(self, state: State) -> Deployment:
        """``pulumi destroy``: Delete every resource, last created first."""
        with self._deploy_lock:
            remaining = copy.deepcopy(state)
            log: list[Operation] = []
            for urn in reversed(list(state)):
                try:
                    log.append(self._delete(urn, state[urn], op="delete"))
                except Exception as exc:
                    raise DeploymentError(
                        f"delete of {urn} failed: {exc}", Deployment(remaining, log)
                    ) from exc
                del remaining[urn]
            return Deployment({}, log)

    # -- Mocks --------------------------------------------------------------------------------

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        return {}, None

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        run = self._run
        if run is None:
            raise RuntimeError("HostEngine.new_resource called outside up()/preview()")
        registration = current_registration()
        if registration is None:
            # Called directly rather than through the recording monitor: assume top level.
            registration = Registration(
                type=args.typ,
                name=args.name,
                urn=make_urn(args.typ, args.name, project=self.project, stack=self.stack),
                custom=bool(args.custom),
                raw_inputs=dict(args.inputs),
            )
        if registration.read:
            return self._read_external(run, registration)
        if registration.custom and _is_dynamic(registration.type):
            return self._deploy_dynamic(run, registration)
        return self._deploy_other(run, registration, args)

    # -- steps ----------------------------------------------------------------------------------

    def _deploy_dynamic(self, run: _Run, reg: Registration) -> tuple[str | None, dict[str, Any]]:
        urn = reg.urn
        news = reg.raw_inputs
        old = run.old.get(urn)
        secret_inputs = sorted(secret_keys(news))
        options = reg.options
        if old is None:
            checked, failures = self.host.check(urn, {}, news)
            if failures:
                raise CheckFailedError(urn, failures)
            if run.preview:
                resource_id, outputs = "", dict(checked)
            else:
                resource_id, outputs = self.host.create(urn, checked)
            entry = self._entry(reg, resource_id, checked, outputs, secret_inputs)
            run.record(
                urn,
                entry,
                Operation("create", urn, reg.type, reg.name, resource_id, planned=run.preview),
            )
            return resource_id or None, self._program_outputs(entry)

        checked, failures = self.host.check(urn, old["inputs"], news)
        if failures:
            raise CheckFailedError(urn, failures)
        diff = self.host.diff(
            old["id"],
            urn,
            old["outputs"],
            checked,
            old_inputs=old["inputs"],
            ignore_changes=options.ignore_changes,
        )
        changed = _changed_keys(old["inputs"], unwrap_secrets(checked))
        replaces = self._replaces(diff, changed, options.replace_on_changes)
        if replaces:
            return self._replace(run, reg, old, checked, diff, changed, replaces, secret_inputs)
        if diff.changes is True or (diff.changes is None and self._legacy_changed(old, checked)):
            if run.preview:
                outputs = {**old["outputs"], **checked}
            else:
                outputs = self.host.update(
                    old["id"],
                    urn,
                    old["outputs"],
                    checked,
                    old_inputs=old["inputs"],
                    ignore_changes=options.ignore_changes,
                )
            entry = self._entry(reg, old["id"], checked, outputs, secret_inputs)
            run.record(
                urn,
                entry,
                Operation(
                    "update",
                    urn,
                    reg.type,
                    reg.name,
                    old["id"],
                    changes=changed,
                    planned=run.preview,
                ),
            )
            return old["id"], self._program_outputs(entry)
        entry = self._entry(reg, old["id"], checked, old["outputs"], secret_inputs)
        run.record(urn, entry, Operation("same", urn, reg.type, reg.name, old["id"]))
        return old["id"], self._program_outputs(entry)

    @staticmethod
    def _replaces(
        diff: DiffSummary, changed: tuple[str, ...], replace_on_changes: tuple[str, ...]
    ) -> tuple[str, ...]:
        if diff.changes is False:
            return ()
        forced = tuple(
            key for key in changed if "*" in replace_on_changes or key in replace_on_changes
        )
        return tuple(dict.fromkeys([*diff.replaces, *forced]))

    @staticmethod
    def _legacy_changed(old: Mapping[str, Any], checked: Mapping[str, Any]) -> bool:
        # DIFF_UNKNOWN: the engine compares old and new inputs itself, __provider included.
        return dict(old["inputs"]) != unwrap_secrets(dict(checked))

    def _replace(
        self,
        run: _Run,
        reg: Registration,
        old: dict[str, Any],
        checked: dict[str, Any],
        diff: DiffSummary,
        changed: tuple[str, ...],
        replaces: tuple[str, ...],
        secret_inputs: list[str],
    ) -> tuple[str | None, dict[str, Any]]:
        urn = reg.urn
        delete_first = (
            reg.options.delete_before_replace
            if reg.options.delete_before_replace is not None
            else diff.delete_before_replace
        )
        detail = "delete before replace" if delete_first else ""
        if run.preview:
            resource_id, outputs = "", dict(checked)
        else:
            if delete_first:
                deleted = self._delete(urn, old, op="delete-replaced")
                with run.lock:
                    run.log.append(deleted)
            resource_id, outputs = self.host.create(urn, checked)
            if not delete_first:
                with run.lock:
                    run.replaced.append((urn, old))
        entry = self._entry(reg, resource_id, checked, outputs, secret_inputs)
        run.record(
            urn,
            entry,
            Operation(
                "replace",
                urn,
                reg.type,
                reg.name,
                resource_id,
                changes=changed,
                replaces=replaces,
                detail=detail,
                planned=run.preview,
            ),
        )
        return resource_id or None, self._program_outputs(entry)

    def _deploy_other(
        self, run: _Run, reg: Registration, args: MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        handler = self.handlers.get(reg.type)
        if handler is not None:
            resource_id, outputs = handler(args)
        else:
            resource_id, outputs = (reg.name if reg.custom else ""), dict(reg.raw_inputs)
        inputs = reg.raw_inputs
        entry = self._entry(reg, resource_id, inputs, outputs, sorted(secret_keys(inputs)))
        old = run.old.get(reg.urn)
        changes: tuple[str, ...] = ()
        if old is None:
            op = "create"
        else:
            changes = _changed_keys(old["inputs"], entry["inputs"])
            op = "update" if changes else "same"
        run.record(
            reg.urn,
            entry,
            Operation(
                op,
                reg.urn,
                reg.type,
                reg.name,
                resource_id,
                changes=changes,
                planned=run.preview and op != "same",
            ),
        )
        return resource_id or None, self._program_outputs(entry)

    def _read_external(self, run: _Run, reg: Registration) -> tuple[str | None, dict[str, Any]]:
        if _is_dynamic(reg.type):
            resource_id, outputs, _ = self.host.read(reg.read_id, reg.urn, reg.raw_inputs)
        else:
            resource_id, outputs = reg.read_id, dict(reg.raw_inputs)
        entry = self._entry(reg, resource_id, reg.raw_inputs, outputs, [])
        entry["external"] = True
        run.record(reg.urn, entry, Operation("read", reg.urn, reg.type, reg.name, resource_id))
        return resource_id, self._program_outputs(entry)

    def _delete(self, urn: str, entry: Mapping[str, Any], *, op: str) -> Operation:
        type_token, name = split_urn(urn)
        detail = ""
        if entry.get("retain_on_delete"):
            detail = "retained"
        elif entry.get("external"):
            detail = "external, not deleted"
        elif entry.get("custom", True) and _is_dynamic(entry["type"]):
            self.host.delete(entry["id"], urn, entry["outputs"], old_inputs=entry["inputs"])
        return Operation(op, urn, type_token, name, entry.get("id", ""), detail=detail)

    def _finish(self, run: _Run) -> None:
        """Deletes that happen after the program: replaced resources, then removed ones."""
        for urn, old in reversed(run.replaced):
            run.log.append(self._delete(urn, old, op="delete-replaced"))
        run.replaced.clear()
        for urn in reversed(list(run.old)):
            if urn in run.new:
                continue
            entry = run.old[urn]
            if run.preview:
                type_token, name = split_urn(urn)
                run.log.append(
                    Operation("delete", urn, type_token, name, entry.get("id", ""), planned=True)
                )
            else:
                run.log.append(self._delete(urn, entry, op="delete"))

    def _partial(self, run: _Run) -> Deployment:
        """State after a failure: what was done, plus what was not reached yet."""
        state: State = {}
        if run.preview:
            state = run.old
        else:
            for urn, entry in run.old.items():
                state[urn] = run.new.get(urn, entry)
            for urn, entry in run.new.items():
                state.setdefault(urn, entry)
            for urn, old in run.replaced:
                state[f"{urn}#pending-delete"] = old
        return Deployment(state=state, log=list(run.log), preview=run.preview)

    @staticmethod
    def _entry(
        reg: Registration,
        resource_id: str,
        inputs: Mapping[str, Any],
        outputs: Mapping[str, Any],
        secret_inputs: list[str],
    ) -> dict[str, Any]:
        plain_outputs = unwrap_secrets(dict(outputs))
        secret_outputs = (
            {key for key in secret_inputs if key in plain_outputs}
            | {key for key in reg.options.additional_secret_outputs if key in plain_outputs}
            | {key for key, value in outputs.items() if contains_secret(value)}
        )
        if PROVIDER_KEY in plain_outputs:
            secret_outputs.add(PROVIDER_KEY)
        return {
            "id": resource_id,
            "type": reg.type,
            "custom": reg.custom,
            "inputs": unwrap_secrets(dict(inputs)),
            "outputs": plain_outputs,
            "secret_inputs": sorted(secret_inputs),
            "secret_outputs": sorted(secret_outputs),
            "retain_on_delete": bool(reg.options.retain_on_delete),
            "dependencies": list(reg.dependencies),
        }

    @staticmethod
    def _program_outputs(entry: Mapping[str, Any]) -> dict[str, Any]:
        """Outputs as the engine hands them back to the program: secrets marked."""
        secrets = set(entry["secret_outputs"])
        return {
            key: secret(value) if key in secrets and value != UNKNOWN else value
            for key, value in entry["outputs"].items()
        }
