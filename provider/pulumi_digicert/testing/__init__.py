"""Test Pulumi programs and dynamic providers without the Pulumi CLI.

* :class:`ProviderHost` runs the real dynamic-provider host (``python -m pulumi.dynamic``)
  and calls it over gRPC as the engine does.
* :func:`run_program` runs a Pulumi program under ``pulumi.runtime.set_mocks`` and returns
  every registered resource with its inputs (including the ``__provider`` blob).
* :class:`HostEngine` combines both into a small engine: up, preview, refresh and destroy
  against a JSON-serialisable state, with a ``pulumi up``-style operation log.
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
    HostEngine,
    Operation,
    ResourceHandler,
    State,
    redacted,
)
from pulumi_digicert.testing.host import (
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

__all__ = [
    "DYNAMIC_TYPE_PREFIX",
    "PROVIDER_KEY",
    "UNKNOWN",
    "CheckFailedError",
    "CheckFailure",
    "Deployment",
    "DeploymentError",
    "DiffSummary",
    "EchoMocks",
    "HostEngine",
    "HostError",
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
    "execute_program",
    "from_struct",
    "is_secret",
    "is_secret_config_key",
    "is_unknown",
    "make_urn",
    "provider_blob",
    "redacted",
    "run_program",
    "secret",
    "split_urn",
    "to_struct",
    "unwrap_secrets",
]
