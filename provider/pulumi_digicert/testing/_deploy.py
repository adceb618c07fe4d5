"""One ``pulumi preview`` or ``pulumi up`` deployment: the engine's step generator and step
executor for the resources a program registers, through one provider host.

Each behaviour cites where pulumi/pulumi implements it: ``step_generator.go`` and ``step.go``
under ``pkg/resource/deploy/``, ``provider_plugin.go`` under ``pkg/resource/plugin/``.
"""

from __future__ import annotations

import copy
import threading
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from pulumi.runtime import MockResourceArgs

from pulumi_digicert.testing._paths import process_ignore_changes
from pulumi_digicert.testing._session import HostFactory, HostSession, ProviderConfig
from pulumi_digicert.testing._steps import (
    Plan,
    annotate_secrets,
    delete_step,
    display_changes,
    is_dynamic,
    make_entry,
    program_outputs,
    provider_diff,
    replace_on_changes,
    with_secrets,
)
from pulumi_digicert.testing._values import UNKNOWN
from pulumi_digicert.testing.host import ProviderHost, split_urn
from pulumi_digicert.testing.program import Registration
from pulumi_digicert.testing.state import (
    DEFAULT_PROVIDER_TYPE,
    UNKNOWN_ID,
    CheckFailedError,
    Deployment,
    EngineError,
    Operation,
    State,
    default_provider_urn,
)

__all__ = ["ProgramDeployment", "ResourceHandler"]

Answer = tuple[str | None, dict[str, Any]]
"""What ``Mocks.new_resource`` returns to the program: id and outputs."""

ResourceHandler = Callable[[MockResourceArgs], tuple[str, dict[str, Any]]]
"""Answers ``new_resource`` for a non-dynamic type: ``(id, outputs)``."""


class ProgramDeployment:
    """The steps of one deployment, fed by the program's registrations (``register``) and
    completed by ``finish`` once the program has returned."""

    def __init__(
        self,
        *,
        old: State,
        preview: bool,
        project: str,
        stack: str,
        config: Mapping[str, str],
        secret_config_keys: frozenset[str],
        host_factory: HostFactory,
        handlers: Mapping[str, ResourceHandler],
    ) -> None:
        self.old = old
        self.handlers = dict(handlers)
        self.preview = preview
        self.new: State = {}
        self.log: list[Operation] = []
        self.diagnostics: list[str] = []
        self.provider_urn = default_provider_urn(project, stack)
        self.session = HostSession(
            host_factory, project=project, stack=stack, config=self._provider_config
        )
        self._config = dict(config)
        self._secret_config_keys = secret_config_keys
        self._provider_ref = ""
        self._pending_deletes: list[tuple[str, dict[str, Any]]] = []
        self._deleting: set[str] = set()  # step_generator.go: sg.deletes
        self._gone: set[str] = set()  # old resources already deleted in this deployment
        self._recreate: dict[str, tuple[str, ...]] = {}  # DBR dependents deleted early
        self._registered: set[str] = set()
        self._replacing: set[str] = set()  # step_generator.go: sg.replaces
        self.lock = threading.RLock()

    # -- plumbing --------------------------------------------------------------------------

    def host(self) -> ProviderHost:
        return self.session.host()

    def _provider_config(self) -> ProviderConfig:
        # The provider this deployment registered (current stack config); failing that, the
        # one in the old state, which is how the engine loads a provider it only needs for
        # deletes (deployment.go, EnsureProvider).
        entry = self.new.get(self.provider_urn) or self.old.get(self.provider_urn)
        if entry is None:
            raise EngineError(f"could not find provider {self.provider_urn}")
        return ProviderConfig(
            self.provider_urn, entry["id"], entry["inputs"], frozenset(entry["secret_inputs"])
        )

    def _ensure_provider(self) -> str:
        """default_providers.go, ``newRegisterDefaultProviderEvent``: the first dynamic resource
        registers the default provider with the stack config (target.go,
        ``GetPackageConfig``). Its steps are internal: state only, no log entry."""
        with self.lock:
            if not self._provider_ref:
                old = self.old.get(self.provider_urn)
                if old is not None:
                    provider_id = old["id"]
                else:
                    provider_id = UNKNOWN_ID if self.preview else str(uuid.uuid4())
                secrets = sorted(self._secret_config_keys)
                self.new[self.provider_urn] = {
                    "id": provider_id,
                    "type": DEFAULT_PROVIDER_TYPE,
                    "custom": True,
                    "inputs": dict(self._config),
                    "outputs": dict(self._config),
                    "secret_inputs": secrets,
                    "secret_outputs": secrets,
                    "provider": "",
                    "dependencies": [],
                    "property_dependencies": {},
                    "protect": False,
                    "retain_on_delete": False,
                    "deleted_with": "",
                    "ignore_changes": [],
                    "replace_on_changes": [],
                    "additional_secret_outputs": [],
                    "import_id": "",
                }
                self._registered.add(self.provider_urn)
                self._provider_ref = f"{self.provider_urn}::{provider_id}"
            return self._provider_ref

    def _record(self, urn: str, entry: dict[str, Any], operation: Operation | None) -> Answer:
        with self.lock:
            self.new[urn] = entry
            if operation is not None:
                self.log.append(operation)
        return (entry["id"] or None), program_outputs(entry)

    def _op(self, op: str, reg: Registration, resource_id: str, **details: Any) -> Operation:
        return Operation(
            op, reg.urn, reg.type, reg.name, resource_id, planned=self.preview, **details
        )

    # -- registrations ---------------------------------------------------------------------

    def register(self, reg: Registration, args: MockResourceArgs) -> Answer:
        with self.lock:
            self._registered.add(reg.urn)
        if reg.read:
            return self._read(reg)
        if reg.custom and is_dynamic(reg.type):
            return self._register_dynamic(reg)
        return self._register_other(reg, args)

    def _register_dynamic(self, reg: Registration) -> Answer:
        urn, goal, options = reg.urn, reg.raw_inputs, reg.options
        provider = self._ensure_provider()
        old = self.old.get(urn)
        with self.lock:
            recreating = urn in self._recreate
            dependent_keys = self._recreate.pop(urn, ())
        # step_generator.go, continueStepsFromRefresh: an import when the goal has an id that
        # the old resource does not.
        imported = bool(options.import_id) and (
            old is None
            or bool(old.get("external"))
            or (old.get("import_id") or old["id"]) != options.import_id
        )
        if imported:
            old = self.import_resource(reg, options.import_id)
        # step_generator.go, continueStepsFromImport: ignore_changes resets the new inputs to
        # the old ones before Check (processIgnoreChanges); a new, re-created or formerly
        # external resource is checked against no old inputs.
        inputs = goal
        if old is not None:
            old_inputs = with_secrets(old["inputs"], old["secret_inputs"])
            inputs, invalid = process_ignore_changes(goal, old_inputs, options.ignore_changes)
            self._cannot_ignore(urn, invalid)
        if recreating or old is None or old.get("external"):
            checked = self._check(urn, {}, goal)
            inputs = goal
        else:
            checked = self._check(urn, old["inputs"], inputs)
        checked = annotate_secrets(checked, inputs)
        if recreating:
            # step_generator.go "Case 1: recreating": deleted for a delete-before-replace
            # dependency, now created again as its replacement.
            return self._create(reg, checked, provider, op="replace", replaces=dependent_keys)
        if old is None:
            return self._create(reg, checked, provider, op="create")
        if old.get("external"):
            # "Case 2: wasExternal": take ownership by creating; the read one is not deleted.
            return self._create(reg, checked, provider, op="replace", replaces=("id",))
        plan = self._diff(reg, old, checked)
        changed = display_changes(old["inputs"], checked)
        if plan.changes and plan.replace:
            return self._replace(reg, old, plan, changed, provider)
        if plan.changes:
            return self._update(reg, old, checked, changed, provider)
        if imported:
            return self._record(urn, old, None)  # imported and unchanged: the import step
        entry = make_entry(reg, old["id"], checked, old["outputs"], provider=provider)
        entry["secret_outputs"] = sorted(set(entry["secret_outputs"]) | set(old["secret_outputs"]))
        return self._record(urn, entry, self._op("same", reg, old["id"]))

    def _cannot_ignore(self, urn: str, invalid: list[str]) -> None:
        if invalid:
            paths = ", ".join(invalid)
            message = (
                f"{urn}: cannot ignore changes in added or removed elements of the path: {paths}"
            )
            with self.lock:
                self.diagnostics.append(message)

    def _check(self, urn: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        checked, failures = self.host().check(urn, olds, news)
        if failures:
            raise CheckFailedError(urn, failures)
        return checked

    def _diff(self, reg: Registration, old: Mapping[str, Any], checked: Mapping[str, Any]) -> Plan:
        options = reg.options
        # step_generator.go, diff: a resource deleted with one being replaced is replaced too.
        if options.deleted_with and options.deleted_with in self._replacing:
            return Plan(True, ("deletedWith",))
        plan = provider_diff(
            self.host(),
            reg.urn,
            old["id"],
            old_inputs=old["inputs"],
            old_outputs=old["outputs"],
            new_inputs=checked,
            ignore_changes=options.ignore_changes,
        )
        return replace_on_changes(plan, options.replace_on_changes)

    def _create(
        self,
        reg: Registration,
        checked: dict[str, Any],
        provider: str,
        *,
        op: str,
        replaces: tuple[str, ...] = (),
        changes: tuple[str, ...] = (),
        detail: str = "",
    ) -> Answer:
        host = self.host()
        if self.preview and not host.supports_preview:
            # provider_plugin.go, Create: a provider without preview support (the dynamic host
            # answers Configure with supportsPreview=false) is not called; its checked inputs
            # stand in for the outputs, so every other output is unknown to the program.
            resource_id, outputs = "", dict(checked)
        else:
            resource_id, outputs = host.create(reg.urn, checked, preview=self.preview)
            if not resource_id and not self.preview:
                raise EngineError(f"plugin returned empty resource.ID from create '{reg.urn}'")
        outputs = annotate_secrets(outputs, checked)
        entry = make_entry(reg, resource_id, checked, outputs, provider=provider)
        operation = self._op(
            op, reg, resource_id, replaces=replaces, changes=changes, detail=detail
        )
        return self._record(reg.urn, entry, operation)

    def _update(
        self,
        reg: Registration,
        old: Mapping[str, Any],
        checked: dict[str, Any],
        changed: tuple[str, ...],
        provider: str,
    ) -> Answer:
        host = self.host()
        if self.preview and not host.supports_preview:
            # provider_plugin.go, Update: as for Create, the checked inputs are the outputs;
            # step.go, UpdateStep.Apply keeps the id, so it stays known.
            outputs = dict(checked)
        else:
            outputs = host.update(
                old["id"],
                reg.urn,
                old["outputs"],
                checked,
                old_inputs=old["inputs"],
                ignore_changes=reg.options.ignore_changes,
            )
        outputs = annotate_secrets(outputs, checked)
        entry = make_entry(reg, old["id"], checked, outputs, provider=provider)
        return self._record(reg.urn, entry, self._op("update", reg, old["id"], changes=changed))

    def _replace(
        self,
        reg: Registration,
        old: dict[str, Any],
        plan: Plan,
        changed: tuple[str, ...],
        provider: str,
    ) -> Answer:
        urn, options = reg.urn, reg.options
        # step_generator.go, continueStepsFromDiff.
        if options.protect and old.get("protect"):
            raise EngineError(
                f"unable to replace resource {urn!r}\nas it is currently marked for protection. "
                "To unprotect the resource, remove the `protect` flag from the resource in your "
                "Pulumi program and run `pulumi up`"
            )
        if options.import_id:
            message = (
                "previously-imported resources that still specify an ID may not be replaced; "
                "please remove the `import` declaration from your program"
            )
            if not self.preview:
                raise EngineError(message)
            with self.lock:
                self.diagnostics.append(f"{urn}: {message}")
        with self.lock:
            self._replacing.add(urn)
        # The replacement is a new resource: Check again, against no old inputs.
        checked = annotate_secrets(self._check(urn, {}, reg.raw_inputs), reg.raw_inputs)
        delete_first = (
            options.delete_before_replace
            if options.delete_before_replace is not None
            else plan.delete_before_replace
        )
        if not delete_first:
            with self.lock:
                self._pending_deletes.append((urn, old))
            return self._create(
                reg, checked, provider, op="replace", replaces=plan.replace_keys, changes=changed
            )
        for dependent_urn, dependent, keys in reversed(self._dependent_replacements(urn, old)):
            with self.lock:
                if dependent_urn in self._gone:
                    continue
            if dependent.get("protect"):
                raise EngineError(
                    f"unable to replace resource {dependent_urn!r} as part of replacing {urn!r} "
                    "as it is currently marked for protection. To unprotect the resource, remove "
                    "the `protect` flag from the resource in your Pulumi program and run "
                    f"`pulumi up`, or use the command:\n`pulumi state unprotect '{dependent_urn}'`"
                )
            self._delete_now(dependent_urn, dependent)
            with self.lock:
                self._recreate[dependent_urn] = keys
        self._delete_now(urn, old)
        return self._create(
            reg,
            checked,
            provider,
            op="replace",
            replaces=plan.replace_keys,
            changes=changed,
            detail="delete before replace",
        )

    def _delete_now(self, urn: str, entry: Mapping[str, Any]) -> None:
        with self.lock:
            self._deleting.add(urn)
        operation = delete_step(
            self.host,
            urn,
            entry,
            op="delete-replaced",
            replacing=True,
            deleting=self._deleting,
            preview=self.preview,
        )
        with self.lock:
            self._gone.add(urn)
            if operation is not None:
                self.log.append(operation)

    def _dependent_replacements(
        self, root: str, root_entry: Mapping[str, Any]
    ) -> list[tuple[str, dict[str, Any], tuple[str, ...]]]:
        """step_generator.go, ``calculateDependentReplacements``: the old state's dependents
        of ``root`` (graph/dependency_graph.go, ``DependingOn``) that are not registered yet,
        each diffed with the inputs that depend on a replaced resource set to unknown; those
        whose diff asks for a replacement must be deleted before ``root``."""
        with self.lock:
            registered = set(self._registered)
        urns = list(self.old)
        start = urns.index(root) + 1 if root in urns else len(urns)
        dependent_set = {root}
        dependents: list[str] = []
        for urn in urns[start:]:
            entry = self.old[urn]
            if urn in registered:
                continue
            edges = set(entry.get("dependencies", ()))
            for deps in entry.get("property_dependencies", {}).values():
                edges.update(deps)
            if entry.get("deleted_with"):
                edges.add(entry["deleted_with"])
            if edges & dependent_set:
                dependents.append(urn)
                dependent_set.add(urn)
        replace_set = {root}
        found: list[tuple[str, dict[str, Any], tuple[str, ...]]] = []
        for urn in dependents:
            entry = self.old[urn]
            keys = self._dependent_replace_keys(urn, entry, replace_set)
            if keys is not None:
                found.append((urn, entry, keys))
                replace_set.add(urn)
        return found

    def _dependent_replace_keys(
        self, urn: str, entry: Mapping[str, Any], replace_set: set[str]
    ) -> tuple[str, ...] | None:
        if not entry.get("custom", True) or entry.get("external"):
            return None
        if entry.get("deleted_with") in replace_set:
            return ()
        property_dependencies = entry.get("property_dependencies", {})
        inputs_for_diff = dict(entry["inputs"])
        depends = False
        for key in entry["inputs"]:
            if set(property_dependencies.get(key, ())) & replace_set:
                inputs_for_diff[key] = UNKNOWN
                depends = True
        if not depends or not is_dynamic(entry["type"]):
            return None
        plan = provider_diff(
            self.host(),
            urn,
            entry["id"],
            old_inputs=entry["inputs"],
            old_outputs=entry["outputs"],
            new_inputs=inputs_for_diff,
            ignore_changes=entry.get("ignore_changes", ()),
        )
        plan = replace_on_changes(plan, entry.get("replace_on_changes", ()))
        return plan.replace_keys if plan.replace else None

    def import_resource(self, reg: Registration, import_id: str) -> dict[str, Any]:
        """step.go, ``ImportStep.Apply``: Read with the import id and neither inputs nor state.
        The Python dynamic host cannot find ``__provider`` in an empty request and fails
        (pulumi/pulumi#16175): the import fails with the host's own error."""
        provider = self._ensure_provider()
        read_id, outputs, inputs = self.host().read(import_id, reg.urn, {}, None)
        if not outputs:
            raise EngineError(f"resource '{import_id}' does not exist")
        if inputs is None:
            raise EngineError(
                "provider does not support importing resources; please try updating the "
                f"'{split_urn(reg.urn)[0].split(':')[0]}' plugin"
            )
        entry = make_entry(reg, read_id or import_id, inputs, outputs, provider=provider)
        entry["import_id"] = import_id
        with self.lock:
            self.log.append(self._op("import", reg, entry["id"]))
        return entry

    def _read(self, reg: Registration) -> Answer:
        """step.go, ``ReadStep.Apply`` (``.get()``): Read sends the given properties as both
        inputs and state, in previews too; an unknown id reads nothing."""
        resource_id, outputs = reg.read_id, dict(reg.raw_inputs)
        provider = ""
        if is_dynamic(reg.type):
            provider = self._ensure_provider()
            if reg.read_id == UNKNOWN:
                outputs = {}
            else:
                read_id, outputs, _ = self.host().read(
                    reg.read_id, reg.urn, reg.raw_inputs, reg.raw_inputs
                )
                if not outputs:
                    raise EngineError(f"resource '{reg.read_id}' does not exist")
                resource_id = read_id or reg.read_id
        entry = make_entry(reg, resource_id, reg.raw_inputs, outputs, provider=provider)
        entry["external"] = True
        return self._record(reg.urn, entry, self._op("read", reg, resource_id))

    def _register_other(self, reg: Registration, args: MockResourceArgs) -> Answer:
        """Resources without a dynamic provider: the ``handlers`` answer, or an echo."""
        handler = self.handlers.get(reg.type)
        if handler is not None:
            resource_id, outputs = handler(args)
        elif reg.custom:
            resource_id, outputs = reg.options.import_id or reg.name, dict(reg.raw_inputs)
        else:
            resource_id, outputs = "", dict(reg.raw_inputs)
        entry = make_entry(reg, resource_id, reg.raw_inputs, outputs)
        old = self.old.get(reg.urn)
        changes: tuple[str, ...] = ()
        if old is None:
            op = "create"
        else:
            changes = display_changes(old["inputs"], entry["inputs"])
            op = "update" if changes else "same"
        operation = Operation(
            op,
            reg.urn,
            reg.type,
            reg.name,
            resource_id,
            changes=changes,
            planned=self.preview and op != "same",
        )
        return self._record(reg.urn, entry, operation)

    # -- after the program -----------------------------------------------------------------

    def finish(self) -> None:
        """step_generator.go, ``GenerateDeletes``: replaced resources (create-before-delete),
        then resources the program no longer declares, last created first."""
        removed = [
            urn
            for urn in reversed(list(self.old))
            if urn not in self._registered and urn not in self._gone
        ]
        deletes = [(urn, old, True) for urn, old in reversed(self._pending_deletes)]
        deletes += [(urn, self.old[urn], False) for urn in removed]
        with self.lock:
            self._deleting.update(urn for urn, _, _ in deletes)
        for urn, entry, replacing in deletes:
            operation = delete_step(
                self.host,
                urn,
                entry,
                op="delete-replaced" if replacing else "delete",
                replacing=replacing,
                deleting=self._deleting,
                preview=self.preview,
            )
            with self.lock:
                if replacing:
                    self._pending_deletes.remove((urn, entry))
                else:
                    self._gone.add(urn)
                if operation is not None:
                    self.log.append(operation)

    def state(self) -> State:
        """The state after the deployment: ``new`` on success; after a failure, what was done
        plus what was not reached, with replaced resources still waiting for their delete."""
        if self.preview:
            return self.old
        state: State = {}
        for urn, entry in self.old.items():
            if urn in self.new:
                state[urn] = self.new[urn]
            elif urn not in self._gone:
                state[urn] = entry
        for urn, entry in self.new.items():
            state.setdefault(urn, entry)
        for urn, old in self._pending_deletes:
            state[f"{urn}#pending-delete"] = old
        return state

    def deployment(self, **fields: Any) -> Deployment:
        with self.lock:
            log, diagnostics = list(self.log), list(self.diagnostics)
        return Deployment(
            state=copy.deepcopy(self.state()),
            log=log,
            preview=self.preview,
            diagnostics=diagnostics,
            **self.session.report(),
            **fields,
        )
