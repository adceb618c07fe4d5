"""A small deployment engine: run a Pulumi program end to end without the Pulumi CLI.

:class:`HostEngine` is a ``pulumi.runtime.Mocks`` whose ``new_resource`` does for each
resource what the engine does, sending Python dynamic resources (``pulumi-python:dynamic/...``)
through the real dynamic-provider host (``python -m pulumi.dynamic``) over gRPC. It imitates
pulumi/pulumi's engine, and cites the source of each behaviour beside its code:

* every operation (``preview``, ``up``, ``refresh``, ``destroy``, ``import_``) starts a fresh
  host process, configured with every stack key as a string (secure keys as secrets);
  ``refresh`` and ``destroy`` configure it from the config saved in the state with the default
  provider, as the engine does without the program;
* ``up`` previews first and then updates, each with its own host and its own Check
  (``skip_preview=True`` is ``pulumi up --skip-preview``);
* a new resource: Check, then Create; an existing one: ``ignore_changes`` applied to the new
  inputs, Check (old inputs, new inputs), Diff (old outputs, checked inputs; the engine's own
  comparison when the provider's diff gives no verdict), ``replace_on_changes`` for the keys the
  engine knows changed, then Update, replacement or nothing;
* a replacement is checked again against no old inputs, then created before the old one is
  deleted at the end, or, delete-before-replace, after deleting the old one and every
  dependent whose diff (with the replaced resource's outputs unknown) asks for a replacement;
* in a preview the host is not asked to Create or Update (it does not support previews): the
  checked inputs stand in for the outputs, so every other output is unknown to the program;
  an update keeps its id;
* ``import_`` and the ``import_`` resource option Read with neither inputs nor state, which
  the Python host cannot serve (pulumi/pulumi#16175): they fail with the host's error;
* ``refresh`` Reads each resource and asks the provider's Diff whether it changed;
* ``protect`` refuses deletes and replacements, ``retain_on_delete`` and ``deleted_with`` skip
  the Delete call; an empty id from Create fails the step.

See :mod:`pulumi_digicert.testing.state` for the state. Resources that are not dynamic are
echoed (id = name, outputs = inputs) unless a handler for their type token is given.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks

from pulumi_digicert.testing._deploy import ProgramDeployment, ResourceHandler
from pulumi_digicert.testing._session import HostFactory, HostSession, ProviderConfig
from pulumi_digicert.testing._steps import (
    delete_step,
    display_changes,
    is_dynamic,
    provider_diff,
)
from pulumi_digicert.testing.host import ProviderHost, make_urn, split_urn
from pulumi_digicert.testing.program import (
    ProgramRun,
    Registration,
    current_registration,
    execute_program,
)
from pulumi_digicert.testing.state import (
    CheckFailedError,
    Deployment,
    DeploymentError,
    EngineError,
    Operation,
    State,
    default_provider_urn,
    is_provider_type,
    redacted,
    stack_config,
)

__all__ = [
    "CheckFailedError",
    "Deployment",
    "DeploymentError",
    "EngineError",
    "HostEngine",
    "HostFactory",
    "Operation",
    "ResourceHandler",
    "State",
    "redacted",
]


class HostEngine(Mocks):
    """Deploy programs through real provider hosts; see the module documentation.

    ``config`` is the stack configuration (``{"digicert:apiKey": ..., "<project>:key": ...}``):
    the program reads it through ``pulumi.Config``, and the provider is configured with all of
    it. Keys in ``secret_config_keys`` are secure (default: names that look secret, see
    :func:`~pulumi_digicert.testing.is_secret_config_key`). ``config`` may be changed between
    operations, as ``pulumi config set`` would.

    ``host_factory`` makes the provider host of each operation: it is called with ``project=``
    and ``stack=`` and returns an unstarted :class:`ProviderHost` (default: ``ProviderHost``
    itself; use ``functools.partial(ProviderHost, cwd=..., pythonpath=[...])`` for options).
    ``handlers`` map type tokens of non-dynamic resources to functions that answer for them.

    One engine runs one operation at a time; resources within a deployment are processed
    concurrently, as the Pulumi runtime registers them.
    """

    def __init__(
        self,
        *,
        project: str = "test",
        stack: str = "dev",
        config: Mapping[str, Any] | None = None,
        secret_config_keys: Iterable[str] | None = None,
        handlers: Mapping[str, ResourceHandler] | None = None,
        host_factory: HostFactory = ProviderHost,
    ) -> None:
        self.project = project
        self.stack = stack
        self.config = dict(config or {})
        self.secret_config_keys = (
            list(secret_config_keys) if secret_config_keys is not None else None
        )
        self.handlers = dict(handlers or {})
        self.host_factory = host_factory
        self._run: ProgramDeployment | None = None
        self._lock = threading.Lock()

    # -- program-driven operations ----------------------------------------------------------

    def up(
        self,
        program: Callable[[], None],
        state: State | None = None,
        *,
        skip_preview: bool = False,
    ) -> Deployment:
        """``pulumi up``: a preview, then the update (pkg/backend/apply.go,
        ``PreviewThenPromptThenExecute``); ``Deployment.planned`` is the preview.

        Raises :class:`DeploymentError` (holding the partial state) if a step fails; a failed
        preview changes nothing.
        """
        planned = None if skip_preview else self._deploy(program, state, preview=True)
        deployment = self._deploy(program, state, preview=False)
        deployment.planned = planned
        return deployment

    def preview(self, program: Callable[[], None], state: State | None = None) -> Deployment:
        """``pulumi preview``: the returned state is the input state; the log is the plan."""
        return self._deploy(program, state, preview=True)

    def _deployment(
        self, old: State, *, preview: bool
    ) -> tuple[ProgramDeployment, dict[str, str], frozenset[str]]:
        """A deployment from ``old`` with this engine's stack, hosts and handlers; also the
        stack config it sends (values, and which keys are secret)."""
        values, secrets = stack_config(self.config, self.secret_config_keys)
        run = ProgramDeployment(
            old=old,
            preview=preview,
            project=self.project,
            stack=self.stack,
            config=values,
            secret_config_keys=secrets,
            host_factory=self.host_factory,
            handlers=self.handlers,
        )
        return run, values, secrets

    def _deploy(
        self, program: Callable[[], None], state: State | None, *, preview: bool
    ) -> Deployment:
        run, values, secrets = self._deployment(copy.deepcopy(state or {}), preview=preview)
        with self._lock:
            self._run = run
            program_run: ProgramRun | None = None
            try:
                program_run = execute_program(
                    program,
                    project=self.project,
                    stack=self.stack,
                    config=values,
                    secret_config_keys=secrets,
                    mocks=self,
                    preview=preview,
                )
                run.finish()
            except Exception as exc:
                run.session.close()
                raise DeploymentError(f"deployment failed: {exc}", run.deployment()) from exc
            finally:
                self._run = None
            run.session.close()
            return run.deployment(resources=program_run.resources, exports=program_run.exports)

    # -- Mocks ------------------------------------------------------------------------------

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
        return run.register(registration, args)

    # -- operations on the state alone -------------------------------------------------------

    def _saved_session(self, state: State) -> HostSession:
        """A host configured from the state's default provider (deployment.go,
        ``EnsureProvider`` / registry.go, ``Same``: the provider's inputs in the snapshot)."""
        urn = default_provider_urn(self.project, self.stack)

        def saved() -> ProviderConfig:
            entry = state.get(urn)
            if entry is None:
                raise EngineError(f"could not find provider {urn} in the state")
            return ProviderConfig(
                urn, entry["id"], entry["inputs"], frozenset(entry["secret_inputs"])
            )

        return HostSession(self.host_factory, project=self.project, stack=self.stack, config=saved)

    def refresh(self, state: State) -> Deployment:
        """``pulumi refresh`` (without the program, ``--skip-preview``): Read every dynamic
        resource, then ask the provider's Diff whether what it read differs from the inputs
        (step.go, ``RefreshStep.Apply``/``ResultOp``)."""
        with self._lock:
            session = self._saved_session(state)
            new: State = {}
            log: list[Operation] = []
            try:
                for urn, entry in state.items():
                    refreshed, operation = self._refresh_one(session, urn, entry)
                    if refreshed is not None:
                        new[urn] = refreshed
                    if operation is not None:
                        log.append(operation)
            except Exception as exc:
                session.close()
                new.update({k: v for k, v in state.items() if k not in new})
                partial = Deployment(new, log, **session.report())
                raise DeploymentError(f"refresh failed: {exc}", partial) from exc
            session.close()
            return Deployment(new, log, **session.report())

    def _refresh_one(
        self, session: HostSession, urn: str, entry: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, Operation | None]:
        type_token, name = split_urn(urn)
        if is_provider_type(entry["type"]):
            return copy.deepcopy(entry), None
        if not (entry.get("custom", True) and is_dynamic(entry["type"])):
            return copy.deepcopy(entry), Operation("same", urn, type_token, name, entry["id"])
        host = session.host()
        read_id, outputs, inputs = host.read(entry["id"], urn, entry["outputs"], entry["inputs"])
        if not read_id:
            return None, Operation("delete", urn, type_token, name, entry["id"], detail="gone")
        new_inputs = inputs if inputs is not None else entry["inputs"]
        # step_executor.go, ``continueExecuteStep``: every step's new state, the
        # refresh's too, makes the outputs named by the saved additionalSecretOutputs secret,
        # also one the provider returns for the first time.
        secret_outputs = set(entry.get("secret_outputs", ())) | set(
            entry.get("additional_secret_outputs", ())
        )
        refreshed = dict(
            entry,
            id=read_id,
            inputs=new_inputs,
            outputs=outputs,
            secret_inputs=sorted(set(entry.get("secret_inputs", ())) & set(new_inputs)),
            secret_outputs=sorted(secret_outputs & set(outputs)),
        )
        if entry.get("external"):
            changed = entry["outputs"] != outputs
        else:
            # The diff a no-change `up` would show, old and new swapped: the refreshed inputs
            # and outputs as the olds, the inputs before the refresh as the news.
            plan = provider_diff(
                host,
                urn,
                read_id,
                old_inputs=new_inputs,
                old_outputs=outputs,
                new_inputs=entry["inputs"],
                ignore_changes=entry.get("ignore_changes", ()),
            )
            changed = plan.changes
        keys = sorted(
            set(display_changes(entry["outputs"], outputs))
            | set(display_changes(entry["inputs"], new_inputs))
        )
        op = "refresh" if changed else "same"
        return refreshed, Operation(op, urn, type_token, name, read_id, changes=tuple(keys))

    def destroy(self, state: State) -> Deployment:
        """``pulumi destroy`` (without the program, ``--skip-preview``): Delete every
        resource, last created first, with the provider configured from the state."""
        with self._lock:
            session = self._saved_session(state)
            remaining = copy.deepcopy(state)
            log: list[Operation] = []
            deleting = set(state)
            try:
                for urn in reversed(list(state)):
                    operation = delete_step(
                        session.host,
                        urn,
                        state[urn],
                        op="delete",
                        replacing=False,
                        deleting=deleting,
                        preview=False,
                    )
                    if operation is not None:
                        log.append(operation)
                    del remaining[urn]
            except Exception as exc:
                session.close()
                partial = Deployment(remaining, log, **session.report())
                raise DeploymentError(f"destroy failed: {exc}", partial) from exc
            session.close()
            return Deployment({}, log, **session.report())

    def import_(
        self, type_token: str, name: str, resource_id: str, state: State | None = None
    ) -> Deployment:
        """``pulumi import <type> <name> <id>``: an import deployment (step.go, ``ImportStep``
        planned): Read with the id and neither inputs nor state, then Check the inputs it
        returned (failures are only reported). For a Python dynamic resource the host cannot
        find ``__provider`` and fails (pulumi/pulumi#16175), so this raises
        :class:`DeploymentError` with its error."""
        old = copy.deepcopy(state or {})
        urn = make_urn(type_token, name, project=self.project, stack=self.stack)
        run, _, _ = self._deployment(old, preview=False)
        with self._lock:
            try:
                if urn in old:
                    raise EngineError(f"resource '{urn}' already exists")
                if not is_dynamic(type_token):
                    raise EngineError(f"no provider for {type_token}: only dynamic resources")
                entry = run.import_resource(
                    Registration(type=type_token, name=name, urn=urn, custom=True, raw_inputs={}),
                    resource_id,
                )
                inputs = entry["inputs"]
                _, failures = run.host().check(urn, inputs, inputs)
            except Exception as exc:
                run.session.close()
                partial = Deployment(old, [], **run.session.report())
                raise DeploymentError(f"import failed: {exc}", partial) from exc
            run.session.close()
            entry["import_id"] = ""  # as `pulumi import` records it (ImportStep.Apply)
            state = {**old, **run.new, urn: entry}
            diagnostics = [f"{urn}: {f.property}: {f.reason}" for f in failures]
            return Deployment(state, list(run.log), diagnostics=diagnostics, **run.session.report())
