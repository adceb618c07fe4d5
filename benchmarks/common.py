"""What every benchmark shares: a sandbox, the stack config pointing a provider host at it, the
sandbox's request counters, and a program that yields the real ``__provider`` blobs."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from pulumi_digicert.sandbox import SandboxServer
from pulumi_digicert.testing import ProviderHost
from pulumi_digicert.testing.program import RegisteredResource, run_program
from qa import scenarios
from qa.scenarios import Windows

__all__ = [
    "PROJECT",
    "STACK",
    "Windows",
    "median",
    "provider_host",
    "registered_resources",
    "request_counts",
    "sandbox",
    "short_template",
]

PROJECT = "bench"
STACK = "dev"


@contextmanager
def sandbox(*, rate_limit: bool = True) -> Iterator[SandboxServer]:
    """A sandbox on a free loopback port with an in-memory database, stopped afterwards."""
    with SandboxServer(db_path=":memory:", rate_limit=rate_limit, log_level="error") as server:
        yield server


@contextmanager
def provider_host(
    config: Mapping[str, str], *, pythonpath: Sequence[str] = ()
) -> Iterator[ProviderHost]:
    """A running ``python -m pulumi.dynamic`` configured with ``config`` (``pythonpath`` goes
    first on the host's ``PYTHONPATH``: a ``sitecustomize`` there runs at host start)."""
    with ProviderHost(
        project=PROJECT, stack=STACK, call_timeout=900.0, pythonpath=pythonpath
    ) as host:
        host.configure(dict(config))
        yield host


def request_counts(server: SandboxServer) -> Counter[str]:
    """The API requests the sandbox saw since its counters were reset: ``"GET /path" -> n``.

    Requests answered 429 are counted under their own key (``"429 GET /path"``).
    """
    counts: Counter[str] = Counter()
    for row in server.control.stats()["requests"]:
        prefix = "429 " if row["status"] == 429 else ""
        counts[f"{prefix}{row['method']} {short_template(row['path_template'])}"] += row["count"]
    return counts


def short_template(template: str) -> str:
    for prefix in ("/services/v2", "/partner-subscription/api/v1"):
        if template.startswith(prefix):
            return template[len(prefix) :] or "/"
    return template


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


# ---------------------------------------------------------------------------------------------
# The program whose registrations give the real blobs and inputs

#: One resource of each type, as a user's stack declares them.
BENCHMARK_PROGRAM = scenarios.one_of_each(
    organization={"name": "Bench Corp", "validations": [{"type": "ov"}]},
    domain={"domain_name": "bench.example.com"},
    order={"cs_provisioning_method": "client_app"},
    check_token=True,
)


def registered_resources() -> dict[str, RegisteredResource]:
    """The benchmark program's registrations by class name (``Organization`` ...)."""
    resources = run_program(BENCHMARK_PROGRAM, project=PROJECT, stack=STACK)
    return {r.type.rsplit(":", 1)[-1]: r for r in resources if r.is_dynamic}
