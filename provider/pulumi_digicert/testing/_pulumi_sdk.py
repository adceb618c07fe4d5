"""The parts of the Pulumi Python SDK below its public API that the harness relies on, imported
here and nowhere else in :mod:`pulumi_digicert.testing`.

The harness sends what the engine sends, so it uses what the SDK itself uses to speak to the
engine: the property serialization of ``pulumi.runtime.rpc``, the gRPC channel options of
``pulumi.runtime._grpc_settings``, the provider protocol's generated modules, the mock resource
monitor, the runtime's settings and ``run_pulumi_func``, and ``serialize_provider``. None of them
is promised to stay. If a Pulumi release moves or drops one, ``import pulumi_digicert.testing``
fails here with :class:`PulumiSdkChangedError`, one sentence naming the missing piece and the
installed ``pulumi``, instead of an ``AttributeError`` in the middle of a test. The provider
itself (``pulumi_digicert.resources``) never imports this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import metadata
from types import ModuleType
from typing import Any

__all__ = [
    "GRPC_CHANNEL_OPTIONS",
    "MockMonitor",
    "PulumiSdkChangedError",
    "Unknown",
    "provider_pb2",
    "provider_pb2_grpc",
    "reset_runtime",
    "rpc",
    "run_pulumi_func",
    "serialize_provider",
]


class PulumiSdkChangedError(ImportError):
    """The installed Pulumi SDK lacks an internal the harness is built on."""


def sdk_changed(missing: str) -> PulumiSdkChangedError:
    """The error for an internal ``missing`` from the installed SDK (a module or a name)."""
    try:
        installed = f"pulumi {metadata.version('pulumi')}"
    except metadata.PackageNotFoundError:
        installed = "the installed pulumi"
    return PulumiSdkChangedError(
        f"pulumi_digicert.testing needs {missing} from the Pulumi SDK, which {installed} does "
        "not have: install a pulumi release this package supports (see its pyproject.toml)"
    )


def check(needed: Mapping[ModuleType | type, Sequence[str]]) -> None:
    """Raise :func:`sdk_changed` for the first name a module (or class) of ``needed`` lacks."""
    for owner, names in needed.items():
        for name in names:
            if not hasattr(owner, name):
                where = getattr(owner, "__module__", "") + "." if isinstance(owner, type) else ""
                raise sdk_changed(f"{where}{owner.__name__}.{name}")


try:
    import pulumi.dynamic.dynamic as _dynamic
    import pulumi.output as _output
    import pulumi.runtime._grpc_settings as _grpc_settings
    import pulumi.runtime.mocks as _mocks
    import pulumi.runtime.rpc as rpc
    import pulumi.runtime.settings as _settings
    import pulumi.runtime.stack as _stack
    from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc
except ImportError as exc:
    # A Pulumi module that moved gets one sentence naming it; a missing third-party dependency
    # of the SDK is an installation problem and keeps its own error.
    if not (exc.name or "").startswith("pulumi"):
        raise
    raise sdk_changed(exc.name or str(exc)) from None

# What the harness uses from each module: a name that moved fails here, not in a test.
check(
    {
        _dynamic: ("serialize_provider",),
        _output: ("Unknown",),
        _grpc_settings: ("_GRPC_CHANNEL_OPTIONS",),
        _mocks: ("MockMonitor",),
        rpc: (
            "UNKNOWN",
            "serialize_properties",
            "deserialize_properties",
            "wrap_rpc_secret",
            "is_rpc_secret",
            "unwrap_rpc_secret",
        ),
        _settings: ("ROOT", "SETTINGS"),
        _stack: ("run_pulumi_func",),
        provider_pb2: ("ConfigureRequest", "CheckRequest", "DiffResponse"),
        provider_pb2_grpc: ("ResourceProviderStub",),
        _mocks.MockMonitor: ("make_urn", "get_registered_resources"),
    }
)

serialize_provider = _dynamic.serialize_provider
Unknown = _output.Unknown
MockMonitor = _mocks.MockMonitor
run_pulumi_func = _stack.run_pulumi_func
GRPC_CHANNEL_OPTIONS: tuple[tuple[str, Any], ...] = tuple(_grpc_settings._GRPC_CHANNEL_OPTIONS)
"""The options of the SDK's own gRPC channels to the engine."""


def reset_runtime() -> None:
    """Forget the root stack resource and the outputs an earlier program left in the runtime's
    settings, so a program run under mocks starts as a fresh ``pulumi up`` would."""
    _settings.ROOT.set(None)
    _settings.SETTINGS.outputs = set()
