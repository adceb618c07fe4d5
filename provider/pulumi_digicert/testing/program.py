"""Run a Pulumi program in-process under ``pulumi.runtime.set_mocks`` and record what it registers.

Each run happens on a fresh thread with its own event loop and an empty ``contextvars``
context, so the Pulumi runtime's ambient state (settings, root stack resource, config, the RPC
manager and pending outputs) starts clean every time: a test process can run any number of
programs, one after another or at the same time.

What is recorded is what the engine would receive: the ``RegisterResource`` request's
properties, deserialized with ``pulumi.runtime.rpc.deserialize_properties``. So a dynamic
resource's inputs include the exact ``__provider`` blob the SDK produced, and secret and unknown
top-level inputs are reported separately.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import (
    MockCallArgs,
    MockResourceArgs,
    Mocks,
    get_root_resource,
    set_all_config,
    set_mocks,
)

from pulumi_digicert.resources._pickling import restore_pickler
from pulumi_digicert.testing._pulumi_sdk import MockMonitor, reset_runtime, rpc, run_pulumi_func
from pulumi_digicert.testing._values import (
    from_struct,
    secret_keys,
    unknown_keys,
    unwrap_secrets,
)
from pulumi_digicert.testing.host import PROVIDER_KEY, is_secret_config_key

__all__ = [
    "DYNAMIC_TYPE_PREFIX",
    "EchoMocks",
    "ProgramRun",
    "RegisteredResource",
    "Registration",
    "ResourceOptionsInfo",
    "current_registration",
    "execute_program",
    "run_program",
]

DYNAMIC_TYPE_PREFIX = "pulumi-python:dynamic"
"""Type tokens of Python dynamic resources start with this (``pulumi-python:dynamic/mod:Name``)."""

STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass(frozen=True)
class ResourceOptionsInfo:
    """The resource options the SDK sent with ``RegisterResource``."""

    protect: bool | None = None
    retain_on_delete: bool | None = None
    delete_before_replace: bool | None = None
    ignore_changes: tuple[str, ...] = ()
    replace_on_changes: tuple[str, ...] = ()
    additional_secret_outputs: tuple[str, ...] = ()
    import_id: str = ""
    deleted_with: str = ""


@dataclass(frozen=True)
class RegisteredResource:
    """One ``RegisterResource`` (or ``ReadResource``) call made by a program.

    ``inputs`` is the property bag with secrets unwrapped and unknowns as ``UNKNOWN``;
    ``raw_inputs`` keeps the rpc secret envelopes. ``secret_inputs`` and ``unknown_inputs`` name
    the top-level inputs that are (or contain) a secret or an unknown. ``outputs`` is what the
    mocks answered (secrets unwrapped).
    """

    type: str
    name: str
    urn: str
    custom: bool
    id: str | None
    inputs: dict[str, Any]
    raw_inputs: dict[str, Any]
    outputs: dict[str, Any]
    secret_inputs: frozenset[str]
    unknown_inputs: frozenset[str]
    parent: str = ""
    provider: str = ""
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    options: ResourceOptionsInfo = field(default_factory=ResourceOptionsInfo)
    read: bool = False

    @property
    def is_dynamic(self) -> bool:
        """True for a Python dynamic resource (its inputs carry ``__provider``)."""
        return self.type.startswith(DYNAMIC_TYPE_PREFIX)

    @property
    def provider_blob(self) -> str | None:
        """The serialized provider (base64 of a dill pickle), unwrapped from its secret."""
        blob = self.inputs.get(PROVIDER_KEY)
        return blob if isinstance(blob, str) else None

    @property
    def args(self) -> dict[str, Any]:
        """The inputs without ``__provider``."""
        return {k: v for k, v in self.inputs.items() if k != PROVIDER_KEY}


@dataclass
class ProgramRun:
    """Everything one program run registered, in registration order, plus its stack exports."""

    resources: list[RegisteredResource]
    exports: dict[str, Any]
    secret_exports: frozenset[str]
    stack_urn: str

    def by_name(self, name: str) -> RegisteredResource:
        matches = [r for r in self.resources if r.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r}")
        return matches[0]

    def by_type(self, type_token: str) -> list[RegisteredResource]:
        return [r for r in self.resources if r.type == type_token]


class EchoMocks(Mocks):
    """Default mocks: every resource gets ``id = name`` and its inputs as outputs."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        return args.resource_id or args.name, dict(args.inputs)

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        return {}, None


@dataclass(frozen=True)
class Registration:
    """A ``RegisterResource`` / ``ReadResource`` request as the engine receives it.

    While a mock's ``new_resource`` runs, :func:`current_registration` returns the request
    being served (``MockResourceArgs`` has neither the URN nor the resource options).
    ``raw_inputs`` keeps rpc secret envelopes and reports unknowns as ``UNKNOWN``.
    """

    type: str
    name: str
    urn: str
    custom: bool
    raw_inputs: dict[str, Any]
    parent: str = ""
    provider: str = ""
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    options: ResourceOptionsInfo = field(default_factory=ResourceOptionsInfo)
    read: bool = False
    read_id: str = ""


_current = threading.local()


def current_registration() -> Registration | None:
    """The registration a mock's ``new_resource`` is serving on this thread, if any."""
    registration: Registration | None = getattr(_current, "registration", None)
    return registration


class _RecordingMonitor(MockMonitor):
    """A mock resource monitor that also records each request as the engine would see it."""

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self._lock = threading.Lock()
        self._order: list[str] = []
        self._records: dict[str, Registration] = {}
        self.stack_urn = ""

    @property
    def _base(self) -> Any:
        # MockMonitor's gRPC-shaped methods are untyped.
        return super()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # The engine leaves the root stack out of its children's qualified type; the stock mock
        # monitor does not, so URNs would differ from the ones a real deployment records.
        if parent and parent.split("::")[2].split("$")[-1] == STACK_TYPE:
            parent = ""
        urn: str = super().make_urn(parent, type_, name)
        return urn

    def _serve(self, registration: Registration, call: Callable[[], Any]) -> Any:
        with self._lock:
            if registration.urn not in self._records:
                self._order.append(registration.urn)
            self._records[registration.urn] = registration
        _current.registration = registration
        try:
            return call()
        finally:
            _current.registration = None

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            self.stack_urn = urn
            return self._base.RegisterResource(request)
        options = ResourceOptionsInfo(
            protect=request.protect if request.HasField("protect") else None,
            retain_on_delete=(
                request.retainOnDelete if request.HasField("retainOnDelete") else None
            ),
            delete_before_replace=(
                request.deleteBeforeReplace if request.deleteBeforeReplaceDefined else None
            ),
            ignore_changes=tuple(request.ignoreChanges),
            replace_on_changes=tuple(request.replaceOnChanges),
            additional_secret_outputs=tuple(request.additionalSecretOutputs),
            import_id=request.importId,
            deleted_with=request.deletedWith,
        )
        registration = Registration(
            type=request.type,
            name=request.name,
            urn=urn,
            custom=bool(request.custom),
            raw_inputs=from_struct(request.object),
            parent=request.parent,
            provider=request.provider,
            dependencies=tuple(request.dependencies),
            property_dependencies={
                key: tuple(deps.urns) for key, deps in request.propertyDependencies.items()
            },
            options=options,
        )
        return self._serve(registration, lambda: self._base.RegisterResource(request))

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        urn = self.make_urn(request.parent, request.type, request.name)
        registration = Registration(
            type=request.type,
            name=request.name,
            urn=urn,
            custom=True,
            raw_inputs=from_struct(request.properties),
            parent=request.parent,
            provider=request.provider,
            dependencies=tuple(request.dependencies),
            read=True,
            read_id=request.id,
        )
        return self._serve(registration, lambda: self._base.ReadResource(request))

    def results(self) -> list[RegisteredResource]:
        registered = self.get_registered_resources()
        with self._lock:
            records = [self._records[urn] for urn in self._order]
        out: list[RegisteredResource] = []
        for record in records:
            reg = registered.get(record.urn)
            outputs = dict(reg.state) if reg is not None else {}
            out.append(
                RegisteredResource(
                    type=record.type,
                    name=record.name,
                    urn=record.urn,
                    custom=record.custom,
                    id=reg.id if reg is not None else None,
                    inputs=unwrap_secrets(record.raw_inputs),
                    raw_inputs=record.raw_inputs,
                    outputs=unwrap_secrets(outputs),
                    secret_inputs=secret_keys(record.raw_inputs),
                    unknown_inputs=unknown_keys(record.raw_inputs),
                    parent=record.parent,
                    provider=record.provider,
                    dependencies=record.dependencies,
                    property_dependencies=record.property_dependencies,
                    options=record.options,
                    read=record.read,
                )
            )
        return out


def execute_program(
    program: Callable[[], None],
    *,
    project: str = "test",
    stack: str = "dev",
    config: Mapping[str, str] | None = None,
    secret_config_keys: Iterable[str] | None = None,
    mocks: Mocks | None = None,
    preview: bool = False,
    organization: str = "organization",
    timeout: float = 300.0,
    logger: logging.Logger | None = None,
) -> ProgramRun:
    """Run ``program`` under mocks and return what it registered, plus its stack exports.

    ``config`` is stack configuration (``{"digicert:apiKey": "..."}``) as ``pulumi.Config``
    reads it; keys in ``secret_config_keys`` (default: keys that look like secrets, see
    :func:`is_secret_config_key`) are secret, so ``Config.get_secret`` and
    ``require_secret`` return secret outputs. ``preview=True`` runs it as ``pulumi preview``
    (``pulumi.runtime.is_dry_run()``), where mocks may return ``UNKNOWN`` outputs.

    Exceptions raised by the program or the mocks propagate.
    """
    mocks = mocks if mocks is not None else EchoMocks()
    config = dict(config or {})
    if secret_config_keys is None:
        secrets = [key for key in config if is_secret_config_key(key)]
    else:
        secrets = list(secret_config_keys)
    monitor = _RecordingMonitor(mocks)
    outcome: dict[str, Any] = {}

    def run() -> None:
        loop = _new_loop()
        asyncio.set_event_loop(loop)
        executor = _LoopClosingExecutor(thread_name_prefix=f"pulumi-{project}-{stack}")
        loop.set_default_executor(executor)
        try:
            reset_runtime()
            set_all_config(config, secrets)
            set_mocks(
                mocks,
                project=project,
                stack=stack,
                preview=preview,
                logger=logger,
                monitor=monitor,
                organization=organization,
            )
            loop.run_until_complete(run_pulumi_func(program))
            outcome["exports"] = loop.run_until_complete(_stack_exports())
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            # Dynamic resources of any provider nest the SDK's pickler patch once each.
            restore_pickler()
            try:
                _drain(loop)
            finally:
                executor.close_loops()
                asyncio.set_event_loop(None)
                loop.close()

    # A new thread starts with an empty contextvars context: no settings, root resource or
    # config from an earlier run (or from the caller) can leak in.
    thread = threading.Thread(target=run, name=f"pulumi-program-{project}-{stack}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"Pulumi program did not finish within {timeout} s")
    if "error" in outcome:
        raise outcome["error"]
    raw_exports: dict[str, Any] = outcome.get("exports", {})
    return ProgramRun(
        resources=monitor.results(),
        exports=unwrap_secrets(raw_exports),
        secret_exports=secret_keys(raw_exports),
        stack_urn=monitor.stack_urn,
    )


async def _stack_exports() -> dict[str, Any]:
    """The values passed to ``pulumi.export``, serialized as the engine would receive them.

    Under mocks the stack registers its outputs before the program runs, so they are read
    from the root stack resource instead of from ``RegisterResourceOutputs``.
    """
    root = get_root_resource()
    outputs = getattr(root, "outputs", None)
    if not outputs:
        return {}
    struct = await rpc.serialize_properties(dict(outputs), {})
    return from_struct(struct)


def _quiet_unretrieved(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Drop "exception was never retrieved" reports; pass everything else on.

    When a program fails, the runtime leaves futures holding that same exception (already
    raised to the caller). They report it when garbage-collected, possibly much later and in
    another test; formatting that traceback runs ``ast.parse`` (3.11 caret anchors) from a
    finalizer, which can collide with an ``ast.parse`` under way in the same thread (pytest's
    assertion rewriting) and fail it with "AST constructor recursion depth mismatch".
    """
    if "never retrieved" in str(context.get("message", "")):
        return
    loop.default_exception_handler(context)


def _new_loop() -> asyncio.AbstractEventLoop:
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_quiet_unretrieved)
    return loop


class _LoopClosingExecutor(ThreadPoolExecutor):
    """The program's default executor. The Pulumi runtime gives each worker thread its own
    event loop (``_ensure_event_loop``) and never closes it; this executor closes them once
    the program is done, so no ``ResourceWarning`` about unclosed loops follows a run."""

    def __init__(self, thread_name_prefix: str) -> None:
        super().__init__(thread_name_prefix=thread_name_prefix, initializer=self._init_worker_loop)
        self._loops: list[asyncio.AbstractEventLoop] = []
        self._loops_lock = threading.Lock()

    def _init_worker_loop(self) -> None:
        loop = _new_loop()
        asyncio.set_event_loop(loop)
        with self._loops_lock:
            self._loops.append(loop)

    def close_loops(self) -> None:
        self.shutdown(wait=True)
        with self._loops_lock:
            loops, self._loops = self._loops, []
        for loop in loops:
            if not loop.is_closed():
                loop.close()


def _drain(loop: asyncio.AbstractEventLoop) -> None:
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.run_until_complete(loop.shutdown_default_executor())


def run_program(
    program: Callable[[], None],
    *,
    project: str = "test",
    stack: str = "dev",
    config: Mapping[str, str] | None = None,
    mocks: Mocks | None = None,
    preview: bool = False,
    secret_config_keys: Iterable[str] | None = None,
) -> list[RegisteredResource]:
    """Run ``program`` under ``pulumi.runtime.set_mocks``; return its resources in order.

    See :func:`execute_program` for the arguments and for stack exports.
    """
    return execute_program(
        program,
        project=project,
        stack=stack,
        config=config,
        mocks=mocks,
        preview=preview,
        secret_config_keys=secret_config_keys,
    ).resources
