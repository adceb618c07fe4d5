"""Drive the real Python dynamic-provider host over gRPC, the way the Pulumi engine does.

The engine runs dynamic resources through ``python -m pulumi.dynamic`` (started by the
``pulumi-resource-pulumi-python`` plugin script with ``-u``). The host prints the port of its
gRPC ``ResourceProvider`` server on stdout and then serves Configure, Check, Diff, Create, Read,
Update and Delete, unpickling the provider from the ``__provider`` property of each request.

:class:`ProviderHost` starts that same process and offers one typed method per RPC. It sends
what the engine sends:

* property bags are serialized with ``pulumi.runtime.rpc.serialize_properties``; numbers
  therefore arrive in the provider as floats, and ``None`` values inside objects vanish;
* ``Configure`` carries the stack configuration as ``args`` (``"digicert:apiKey"``-style keys,
  secret values in the rpc secret envelope) and answers ``acceptSecrets=False``, so every later
  request is sent with secrets unwrapped, as the engine does for such a provider;
* unknown values (``pulumi.runtime.rpc.UNKNOWN``) may appear in Check and Diff inputs, as during
  ``pulumi preview``; the provider sees them as ``pulumi.output.Unknown`` instances.

Results come back as plain data (see :mod:`pulumi_digicert.testing._values`): unknowns as the
``UNKNOWN`` string, numbers as floats. gRPC failures raise :class:`HostError`, whose ``details``
is the traceback text the host sends back.

The channel is the engine's: error details of up to 16 MiB are received whole, and calls have no
deadline (see ``CHANNEL_OPTIONS``).
"""

from __future__ import annotations

import io
import os
import queue
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, cast

import grpc

from pulumi_digicert.testing._process import Stream, terminate
from pulumi_digicert.testing._pulumi_sdk import (
    GRPC_CHANNEL_OPTIONS,
    provider_pb2,
    provider_pb2_grpc,
)
from pulumi_digicert.testing._responses import CheckFailure, DiffSummary
from pulumi_digicert.testing._values import from_struct, secret, to_struct, unwrap_secrets
from pulumi_digicert.testing.conventions import (
    DYNAMIC_PROVIDER_PACKAGE,
    PROVIDER_KEY,
    config_string,
    config_variable_key,
    is_secret_config_key,
    make_urn,
    provider_blob,
    split_urn,
)

__all__ = [
    "CHANNEL_OPTIONS",
    "DYNAMIC_PROVIDER_PACKAGE",
    "PROVIDER_KEY",
    "CheckFailure",
    "DiffSummary",
    "HostError",
    "HostStartError",
    "ProviderHost",
    "config_string",
    "config_variable_key",
    "is_secret_config_key",
    "make_urn",
    "provider_blob",
    "split_urn",
    "terminate",
]

# The engine's grpc-go client accepts response headers and trailers up to 16 MiB
# (grpc-go internal/transport/defaults.go, defaultClientMaxHeaderListSize = 16 << 20). A failed
# call's details are the host's whole traceback (pulumi/dynamic/__main__.py,
# _abort_with_traceback), which quotes the path of every frame: C-core's defaults (8 KiB soft,
# 16 KiB hard) would drop a long one as RESOURCE_EXHAUSTED where the engine shows it.
_MAX_METADATA_SIZE = 16 * 1024 * 1024
CHANNEL_OPTIONS: tuple[tuple[str, int], ...] = (
    *GRPC_CHANNEL_OPTIONS,
    ("grpc.max_metadata_size", _MAX_METADATA_SIZE),
    ("grpc.absolute_max_metadata_size", _MAX_METADATA_SIZE),
)
"""Options of the channel to the host: the SDK's own, plus the engine's limit on error details."""


class HostError(Exception):
    """A gRPC call to the provider host failed.

    ``code`` is the ``grpc.StatusCode``; ``details`` is what the host sent back, which for a
    provider exception is the full Python traceback (``StatusCode.UNKNOWN``).
    """

    def __init__(self, method: str, code: grpc.StatusCode, details: str) -> None:
        self.method = method
        self.code = code
        self.details = details
        super().__init__(f"{method} failed ({code.name}): {details}")


class HostStartError(RuntimeError):
    """The provider host process did not start or did not report its port."""


class ProviderHost:
    """A running ``python -m pulumi.dynamic`` process and a gRPC client for it.

    Use as a context manager (or call :meth:`start` / :meth:`stop`). Safe to call from several
    threads at once: the host serves up to four requests concurrently, as under the engine.

    ``pythonpath`` entries are prepended to ``PYTHONPATH`` so the host can import providers
    that live outside installed packages (for example a test module). Environment variables
    whose names start with one of ``scrub_env_prefixes`` are removed from the inherited
    environment (default ``DIGICERT_``: tests decide explicitly what the provider sees); ``env``
    is applied last. ``interceptors`` (``grpc.UnaryUnaryClientInterceptor``) see every request
    on its way to the host. ``call_timeout`` is ``None``, as in the engine, which sets no
    deadline on provider calls (a Create may wait an hour for issuance).
    """

    def __init__(
        self,
        *,
        project: str = "test",
        stack: str = "dev",
        organization: str = "organization",
        pythonpath: Sequence[str | os.PathLike[str]] = (),
        env: Mapping[str, str] | None = None,
        scrub_env_prefixes: Sequence[str] = ("DIGICERT_",),
        python: str = sys.executable,
        cwd: str | os.PathLike[str] | None = None,
        start_timeout: float = 30.0,
        call_timeout: float | None = None,
        interceptors: Sequence[grpc.UnaryUnaryClientInterceptor] = (),
    ) -> None:
        self.project = project
        self.stack = stack
        self.organization = organization
        self.python = python
        self.cwd = cwd
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout
        self.interceptors = tuple(interceptors)
        self._pythonpath = [os.fspath(p) for p in pythonpath]
        self._env_overrides = dict(env or {})
        self._scrub = tuple(scrub_env_prefixes)
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: Any = None
        self._port: int | None = None
        self._stdout = Stream()
        self._stderr = Stream()
        self._readers: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._calls: Counter[str] = Counter()
        self.accept_secrets = False
        self.supports_preview = False
        self.configured = False

    # -- process lifecycle -------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        """The environment the host process is (or will be) started with."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not any(key.startswith(prefix) for prefix in self._scrub)
        }
        env["PULUMI_PROJECT"] = self.project
        env["PULUMI_STACK"] = self.stack
        env["PULUMI_ORGANIZATION"] = self.organization
        env["PYTHONUNBUFFERED"] = "1"
        paths = [*self._pythonpath]
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        if paths:
            env["PYTHONPATH"] = os.pathsep.join(paths)
        env.update(self._env_overrides)
        return env

    def start(self) -> ProviderHost:
        """Start the host process, wait for its port and for the gRPC channel to be ready."""
        if self._process is not None:
            raise RuntimeError("provider host already started")
        process = subprocess.Popen(  # noqa: S603 - fixed argv: this interpreter, -m pulumi.dynamic
            [self.python, "-u", "-m", "pulumi.dynamic"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.environment(),
            cwd=self.cwd,
        )
        self._process = process
        first_line: queue.Queue[str | None] = queue.Queue(maxsize=1)
        self._readers = [
            threading.Thread(
                target=self._read_stdout,
                args=(process, first_line),
                name=f"provider-host-{process.pid}-stdout",
                daemon=True,
            ),
            threading.Thread(
                target=self._stderr.pump,
                args=(process.stderr,),
                name=f"provider-host-{process.pid}-stderr",
                daemon=True,
            ),
        ]
        for reader in self._readers:
            reader.start()
        try:
            line = first_line.get(timeout=self.start_timeout)
        except queue.Empty:
            self.stop()
            raise HostStartError(
                f"provider host printed no port within {self.start_timeout} s; "
                f"stderr:\n{self.stderr}"
            ) from None
        if line is None or not line.strip().isdigit():
            self.stop()
            raise HostStartError(
                f"provider host did not report a port (got {line!r}); stderr:\n{self.stderr}"
            )
        self._port = int(line.strip())
        channel = grpc.insecure_channel(f"127.0.0.1:{self._port}", options=list(CHANNEL_OPTIONS))
        try:
            grpc.channel_ready_future(channel).result(timeout=self.start_timeout)
        except grpc.FutureTimeoutError:
            channel.close()
            self.stop()
            raise HostStartError(
                f"provider host on port {self._port} did not accept a connection"
            ) from None
        self._channel = channel
        calls = (
            grpc.intercept_channel(channel, *self.interceptors) if self.interceptors else channel
        )
        self._stub = provider_pb2_grpc.ResourceProviderStub(calls)
        return self

    def _read_stdout(
        self, process: subprocess.Popen[bytes], first: queue.Queue[str | None]
    ) -> None:
        pipe = cast(io.BufferedReader, process.stdout)
        line = pipe.readline()
        first.put(line.decode("utf-8", "replace") if line else None)
        self._stdout.pump(pipe)

    def stop(self) -> None:
        """Close the channel and end the host process (idempotent)."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
            self._stub = None
        process, self._process = self._process, None
        if process is None:
            return
        terminate(process, timeout=5)
        for reader in self._readers:
            reader.join(timeout=5)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()

    def __enter__(self) -> ProviderHost:
        if self._process is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("provider host not started")
        return self._port

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def stderr(self) -> str:
        """Everything the host wrote to stderr so far (provider logs, warnings).

        A reader thread collects it, so a line written during a call may arrive a moment after
        the call returns: use :meth:`wait_for_stderr` for a line you expect, and scan for
        secrets after :meth:`stop`, when the output is complete.
        """
        return self._stderr.text()

    def wait_for_stderr(self, text: str, timeout: float = 10.0) -> bool:
        """Wait until ``text`` appears in the host's stderr; False if it did not in time."""
        return self._stderr.wait_for(text, timeout)

    @property
    def stdout(self) -> str:
        """Everything the host wrote to stdout after its port line (provider ``print``)."""
        return self._stdout.text()

    @property
    def call_count(self) -> int:
        """Number of gRPC calls made so far (all methods)."""
        with self._lock:
            return sum(self._calls.values())

    @property
    def calls(self) -> dict[str, int]:
        """Number of gRPC calls made so far, by method name (``"Create"`` ...)."""
        with self._lock:
            return dict(self._calls)

    # -- RPCs ---------------------------------------------------------------------------------

    def _call(self, method: str, request: Any) -> Any:
        stub = self._stub
        if stub is None:
            raise RuntimeError("provider host not started")
        with self._lock:
            self._calls[method] += 1
        try:
            return getattr(stub, method)(request, timeout=self.call_timeout)
        except grpc.RpcError as exc:
            call: Any = exc
            raise HostError(method, call.code(), call.details() or "") from None

    def _outbound(self, props: Mapping[str, Any] | None) -> Any:
        """Serialize a property bag for a request, as the engine would for this provider."""
        values = dict(props or {})
        if not self.accept_secrets:
            values = unwrap_secrets(values)
        return to_struct(values)

    def configure(
        self,
        config: Mapping[str, Any],
        secret_keys: Iterable[str] | None = None,
        *,
        urn: str | None = None,
        id: str | None = None,
        package: str = DYNAMIC_PROVIDER_PACKAGE,
    ) -> None:
        """Send ``Configure`` with the provider's inputs (``{"digicert:apiKey": ...}``).

        Keys in ``secret_keys`` (default: keys whose name ends in apiKey, secret, password,
        token or passphrase) are sent in the rpc secret envelope, as the engine sends secure
        stack config. :class:`HostEngine` sends what the engine sends a dynamic provider: every
        stack key, each value a string. The host keeps the config and hands it to each
        provider's ``configure`` the first time it unpickles that provider: a later
        ``configure`` call does not reach a provider blob the host has already loaded.
        """
        if secret_keys is None:
            secrets = {key for key in config if is_secret_config_key(key)}
        else:
            secrets = set(secret_keys)
        args = {key: secret(value) if key in secrets else value for key, value in config.items()}
        # pkg/resource/plugin/provider_plugin.go, Configure: `variables` skips "version" and
        # holds secrets unwrapped; `args` keeps them wrapped.
        request = provider_pb2.ConfigureRequest(
            variables={
                config_variable_key(key, package): config_string(value)
                for key, value in config.items()
                if value is not None and key != "version"
            },
            args=to_struct(args),
            acceptSecrets=True,
            acceptResources=True,
            sends_old_inputs=True,
            sends_old_inputs_to_delete=True,
            type=f"pulumi:providers:{package}",
        )
        if urn is not None:
            request.urn = urn
            request.name = split_urn(urn)[1]
        if id is not None:
            request.id = id
        response = self._call("Configure", request)
        self.accept_secrets = bool(response.acceptSecrets)
        self.supports_preview = bool(response.supportsPreview)
        self.configured = True

    def get_plugin_info(self) -> str:
        """The version the host reports (``GetPluginInfo``)."""
        from google.protobuf import empty_pb2

        response = self._call("GetPluginInfo", empty_pb2.Empty())
        return str(response.version)

    def check(
        self,
        urn: str,
        olds: Mapping[str, Any] | None,
        news: Mapping[str, Any],
        *,
        random_seed: bytes = b"",
        keep_unknowns: bool = True,
    ) -> tuple[dict[str, Any], list[CheckFailure]]:
        """``Check``: olds are the prior inputs (empty on create), news the program's inputs.

        Returns the checked inputs (``__provider`` included, unknowns as ``UNKNOWN`` unless
        ``keep_unknowns`` is false) and the failures.
        """
        type_token, name = split_urn(urn)
        request = provider_pb2.CheckRequest(
            urn=urn,
            olds=self._outbound(olds),
            news=self._outbound(news),
            randomSeed=random_seed,
            name=name,
            type=type_token,
        )
        response = self._call("Check", request)
        inputs = from_struct(response.inputs, keep_unknowns=keep_unknowns)
        failures = [CheckFailure(f.property, f.reason) for f in response.failures]
        return inputs, failures

    def diff(
        self,
        id: str,
        urn: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        ignore_changes: Sequence[str] = (),
    ) -> DiffSummary:
        """``Diff``: olds are the prior *outputs* (as the engine sends), news the checked inputs."""
        type_token, name = split_urn(urn)
        request = provider_pb2.DiffRequest(
            id=id,
            urn=urn,
            olds=self._outbound(olds),
            news=self._outbound(news),
            ignoreChanges=list(ignore_changes),
            old_inputs=self._outbound(old_inputs) if old_inputs is not None else None,
            name=name,
            type=type_token,
        )
        return DiffSummary.of(self._call("Diff", request))

    def create(
        self,
        urn: str,
        props: Mapping[str, Any],
        *,
        preview: bool = False,
        timeout: float = 0.0,
    ) -> tuple[str, dict[str, Any]]:
        """``Create``: props are the checked inputs. Returns ``(id, outputs)``.

        The dynamic host ignores ``preview`` and always runs the provider's ``create``; the
        engine never sends ``preview=True`` to it because Configure answers
        ``supportsPreview=False``.
        """
        type_token, name = split_urn(urn)
        request = provider_pb2.CreateRequest(
            urn=urn,
            properties=self._outbound(props),
            timeout=timeout,
            preview=preview,
            name=name,
            type=type_token,
        )
        response = self._call("Create", request)
        return str(response.id), from_struct(response.properties)

    def read(
        self,
        id: str,
        urn: str,
        props: Mapping[str, Any],
        inputs: Mapping[str, Any] | None = None,
    ) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
        """``Read``: props are the prior outputs, inputs the prior inputs (refresh); both the
        given inputs (``.get()``); empty props and no inputs (an import).

        Returns ``(id, outputs, inputs)``; ``id`` is ``""`` when the resource is gone, and
        ``inputs`` is ``None`` when the provider returned none (the engine keeps the old ones).
        """
        type_token, name = split_urn(urn)
        request = provider_pb2.ReadRequest(
            id=id,
            urn=urn,
            properties=self._outbound(props),
            inputs=self._outbound(inputs) if inputs is not None else None,
            name=name,
            type=type_token,
        )
        response = self._call("Read", request)
        new_inputs = from_struct(response.inputs) if response.HasField("inputs") else None
        return str(response.id), from_struct(response.properties), new_inputs

    def update(
        self,
        id: str,
        urn: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        ignore_changes: Sequence[str] = (),
        timeout: float = 0.0,
    ) -> dict[str, Any]:
        """``Update``: olds are the prior outputs, news the checked inputs. Returns outputs.

        The host uses only what the provider's ``update`` returns (plus ``__provider``): an
        ``UpdateResult()`` without outs leaves the resource with no outputs.
        """
        type_token, name = split_urn(urn)
        request = provider_pb2.UpdateRequest(
            id=id,
            urn=urn,
            olds=self._outbound(olds),
            news=self._outbound(news),
            timeout=timeout,
            ignoreChanges=list(ignore_changes),
            old_inputs=self._outbound(old_inputs) if old_inputs is not None else None,
            name=name,
            type=type_token,
        )
        response = self._call("Update", request)
        return from_struct(response.properties)

    def delete(
        self,
        id: str,
        urn: str,
        props: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        timeout: float = 0.0,
    ) -> None:
        """``Delete``: props are the prior outputs (they carry ``__provider``)."""
        type_token, name = split_urn(urn)
        request = provider_pb2.DeleteRequest(
            id=id,
            urn=urn,
            properties=self._outbound(props),
            timeout=timeout,
            old_inputs=self._outbound(old_inputs) if old_inputs is not None else None,
            name=name,
            type=type_token,
        )
        self._call("Delete", request)

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"ProviderHost(pid={self.pid}, port={self._port}, {state})"
