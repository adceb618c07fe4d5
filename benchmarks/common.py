"""What every benchmark shares: a sandbox, the stack config pointing a provider host at it, the
sandbox's request counters, and a program that yields the real ``__provider`` blobs."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pulumi_digicert.sandbox import SandboxServer
from pulumi_digicert.testing import ProviderHost
from pulumi_digicert.testing.program import RegisteredResource, run_program

PROJECT = "bench"
STACK = "dev"

#: DigiCert's published limits per API key: (requests, seconds) for the burst and the sustained
#: window. The sandbox enforces the same ones by default.
DIGICERT_WINDOWS: tuple[tuple[int, float], tuple[int, float]] = ((100, 5.0), (1000, 180.0))

CONTACT: dict[str, Any] = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "job_title": "CTO",
    "telephone": "+1 555 0100",
}
OTHER_CONTACT: dict[str, Any] = {
    **CONTACT,
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@example.com",
}


@dataclass(frozen=True)
class Windows:
    """The rate limits a run enforces (both at the sandbox and in the provider's limiter)."""

    burst_limit: int = 100
    burst_window: float = 5.0
    sustained_limit: int = 1000
    sustained_window: float = 180.0

    @classmethod
    def digicert(cls, scale: float = 1.0) -> Windows:
        """DigiCert's limits, with both window lengths multiplied by ``scale``."""
        (burst, burst_s), (sustained, sustained_s) = DIGICERT_WINDOWS
        return cls(burst, burst_s * scale, sustained, sustained_s * scale)

    def pairs(self) -> tuple[tuple[int, float], ...]:
        return (
            (self.burst_limit, self.burst_window),
            (self.sustained_limit, self.sustained_window),
        )

    def sandbox_settings(self) -> dict[str, Any]:
        return {
            "rate_limit_enabled": True,
            "burst_limit": self.burst_limit,
            "burst_window": self.burst_window,
            "sustained_limit": self.sustained_limit,
            "sustained_window": self.sustained_window,
        }

    def provider_config(self) -> dict[str, str]:
        return {
            "digicert:rateLimitBurst": f"{self.burst_limit}/{self.burst_window:g}",
            "digicert:rateLimitSustained": f"{self.sustained_limit}/{self.sustained_window:g}",
        }

    def describe(self) -> str:
        return (
            f"{self.burst_limit}/{self.burst_window:g}s, "
            f"{self.sustained_limit}/{self.sustained_window:g}s"
        )


@contextmanager
def sandbox(*, rate_limit: bool = True) -> Iterator[SandboxServer]:
    """A sandbox on a free loopback port with an in-memory database, stopped afterwards."""
    with SandboxServer(db_path=":memory:", rate_limit=rate_limit, log_level="error") as server:
        yield server


def stack_config(server: SandboxServer) -> dict[str, str]:
    """Stack configuration pointing the provider at ``server`` (keys as the engine sends them)."""
    return {
        "digicert:apiKey": server.api_key,
        "digicert:baseUrl": server.services_url,
        "digicert:partnerApiKey": server.partner_api_key,
        "digicert:partnerBaseUrl": server.partner_url,
    }


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


def benchmark_program() -> None:
    """One resource of each type, as a user's stack declares them."""
    import pulumi_digicert as digicert

    org = digicert.Organization(
        "org",
        name="Bench Corp",
        address="1 Main St",
        city="Lehi",
        state="Utah",
        zip="84043",
        country="us",
        telephone="+1 555 0100",
        organization_contact=CONTACT,
        validations=[{"type": "ov"}],
    )
    domain = digicert.DomainValidation(
        "domain", domain_name="bench.example.com", organization_id=org.organization_id
    )
    digicert.DomainValidationCheck(
        "domain-check", domain_id=domain.domain_id, dcv_token=domain.dcv_token
    )
    digicert.DocumentSigningOrder(
        "order",
        product="document_signing_org_1",
        organization_id=org.organization_id,
        validity_years=1,
        subject={
            "name": "Signing Desk",
            "job_title": "Release Engineering",
            "phone": "+1 801 555 0100",
            "email": "signing@example.com",
        },
        cs_provisioning_method="client_app",
    )
    digicert.BillingAccountLink("billing", billing_account_api_key="placeholder-billing-key")


RESOURCE_TYPES = (
    "Organization",
    "DomainValidation",
    "DomainValidationCheck",
    "DocumentSigningOrder",
    "BillingAccountLink",
)


def registered_resources() -> dict[str, RegisteredResource]:
    """The benchmark program's registrations by class name (``Organization`` ...)."""
    resources = run_program(benchmark_program, project=PROJECT, stack=STACK)
    return {r.type.rsplit(":", 1)[-1]: r for r in resources if r.is_dynamic}
