"""Test Pulumi programs and dynamic providers without the Pulumi CLI.

* :class:`ProviderHost` runs the real dynamic-provider host (``python -m pulumi.dynamic``)
  and calls it over gRPC as the engine does.
* :func:`run_program` runs a Pulumi program under ``pulumi.runtime.set_mocks`` and returns
  every registered resource with its inputs (including the ``__provider`` blob).
* :class:`HostEngine` combines both into a small engine that behaves as Pulumi's: preview, up,
  refresh, destroy and import against a JSON-serialisable state, each operation with a fresh
  host, and a ``pulumi up``-style operation log.

What belongs here: the engine's side of the protocol, as users' own tests need it. What does
not: this project's test inputs and campaigns (``qa/``, ``tests/``). Everything it uses below
the Pulumi SDK's public API is imported in :mod:`pulumi_digicert.testing._pulumi_sdk` alone.
"""

from __future__ import annotations

from pulumi_digicert.testing._values import (
    UNKNOWN,
    contains_secret,
    contains_unknown,
    from_struct,
    is_secret,
    is_unknown,
    secret,
    to_struct,
    unwrap_secrets,
)
from pulumi_digicert.testing.engine import (
    CheckFailedError,
    Deployment,
    DeploymentError,
    EngineError,
    HostEngine,
    HostFactory,
    Operation,
    ResourceHandler,
    State,
    redacted,
)
from pulumi_digicert.testing.host import (
    CHANNEL_OPTIONS,
    DYNAMIC_PROVIDER_PACKAGE,
    PROVIDER_KEY,
    CheckFailure,
    DiffSummary,
    HostError,
    HostStartError,
    ProviderHost,
    is_secret_config_key,
    make_urn,
    provider_blob,
    split_urn,
)
from pulumi_digicert.testing.program import (
    DYNAMIC_TYPE_PREFIX,
    EchoMocks,
    ProgramRun,
    RegisteredResource,
    Registration,
    ResourceOptionsInfo,
    current_registration,
    execute_program,
    run_program,
)
from pulumi_digicert.testing.state import (
    DEFAULT_PROVIDER_TYPE,
    default_provider_urn,
    is_provider_type,
    stack_config,
)

__all__ = [
    "CHANNEL_OPTIONS",
    "DEFAULT_PROVIDER_TYPE",
    "DYNAMIC_PROVIDER_PACKAGE",
    "DYNAMIC_TYPE_PREFIX",
    "PROVIDER_KEY",
    "UNKNOWN",
    "CheckFailedError",
    "CheckFailure",
    "Deployment",
    "DeploymentError",
    "DiffSummary",
    "EchoMocks",
    "EngineError",
    "HostEngine",
    "HostError",
    "HostFactory",
    "HostStartError",
    "Operation",
    "ProgramRun",
    "ProviderHost",
    "RegisteredResource",
    "Registration",
    "ResourceHandler",
    "ResourceOptionsInfo",
    "State",
    "contains_secret",
    "contains_unknown",
    "current_registration",
    "default_provider_urn",
    "execute_program",
    "from_struct",
    "is_provider_type",
    "is_secret",
    "is_secret_config_key",
    "is_unknown",
    "make_urn",
    "provider_blob",
    "redacted",
    "run_program",
    "secret",
    "split_urn",
    "stack_config",
    "to_struct",
    "unwrap_secrets",
]
