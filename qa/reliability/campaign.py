"""What every section of the campaign shares: its size, its result, the campaign's state (keys,
the secret scanner, host logging), and the steps a section takes through a provider host."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from pulumi_digicert.sandbox import SandboxControl, SandboxServer
from pulumi_digicert.testing import HostError, ProviderHost
from pulumi_digicert.testing.program import RegisteredResource, run_program
from qa import scenarios
from qa.reliability.scan import (
    CampaignSecrets,
    HostLogging,
    LogScanner,
    RecordingHost,
    SecretScanner,
)

PROJECT = "reliability"
STACK = "campaign"
DEFAULT_SEED = 20240607
PROCESS_LOGGERS = (
    "digicert_sandbox",
    "uvicorn",
    "uvicorn.error",
    "pulumi_digicert",
    "httpx",
    "qa",
)
#: The organization every section declares (its name tells the campaign's objects apart).
ORGANIZATION: dict[str, Any] = {**scenarios.ORGANIZATION, "name": "Reliability Corp"}
#: Order POSTs (``POST /order/certificate/{product}``), where a lost answer can buy twice.
ORDER_POST = r"/order/certificate/[a-z_0-9]+$"


@dataclass(frozen=True)
class CampaignConfig:
    """How big each section is. ``short`` runs in CI; ``full`` is the published run."""

    mode: str
    seed: int = DEFAULT_SEED
    # never buy twice
    declarations: int = 200
    card_every: int = 5
    drop_probability: float = 0.3
    fail_probability: float = 0.1
    maintenance_seconds: float = 12.0
    maintenance_at: float = 0.3
    """Fraction of first-round creates finished when the maintenance window starts."""
    rate_limit_bursts: int = 3
    burst_limit: int = 100
    burst_window: float = 5.0
    sustained_limit: int = 1000
    sustained_window: float = 180.0
    max_rounds: int = 12
    max_retries: int | None = None
    """``digicert:maxRetries`` during the campaign (None: the provider's default)."""
    # concurrency
    concurrent_creates: int = 100
    concurrency_burst_limit: int = 100
    concurrency_burst_window: float = 5.0
    concurrency_drop_probability: float = 0.2
    concurrency_fail_probability: float = 0.05
    # bad input
    check_examples_per_resource: int = 400
    entry_examples_per_operation: int = 60
    sandbox_examples_per_route: int = 40
    # crash recovery
    crash_declarations_per_point: int = 5

    @classmethod
    def short(cls, seed: int = DEFAULT_SEED) -> CampaignConfig:
        return cls(
            mode="short",
            seed=seed,
            declarations=40,
            maintenance_seconds=3.0,
            max_retries=1,
            rate_limit_bursts=1,
            burst_limit=60,
            burst_window=2.0,
            sustained_limit=1000,
            sustained_window=60.0,
            concurrency_burst_limit=40,
            concurrency_burst_window=1.0,
            check_examples_per_resource=60,
            entry_examples_per_operation=10,
            sandbox_examples_per_route=6,
            crash_declarations_per_point=2,
        )

    @classmethod
    def full(cls, seed: int = DEFAULT_SEED) -> CampaignConfig:
        return cls(mode="full", seed=seed)

    @property
    def windows(self) -> scenarios.Windows:
        """The rate-limit windows of ``never_buy_twice`` (sandbox and client)."""
        return scenarios.Windows(
            self.burst_limit, self.burst_window, self.sustained_limit, self.sustained_window
        )

    @property
    def concurrency_windows(self) -> scenarios.Windows:
        """The rate-limit windows of ``concurrency`` (sandbox and client)."""
        return scenarios.Windows(
            self.concurrency_burst_limit,
            self.concurrency_burst_window,
            self.sustained_limit,
            self.sustained_window,
        )

    def client_limits(self) -> dict[str, str]:
        """The provider's settings for ``never_buy_twice``: its windows, and its retries."""
        retries = {} if self.max_retries is None else {"digicert:maxRetries": str(self.max_retries)}
        return {**retries, **self.windows.provider_config()}


@dataclass
class SectionResult:
    """Figures of one section, and the broken promises it found (empty when it passed)."""

    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    started: float = field(default_factory=time.monotonic, repr=False)

    @property
    def passed(self) -> bool:
        return not self.problems

    def expect(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)

    def finish(self) -> SectionResult:
        """Record how long the section took since this result was made; returns it."""
        self.seconds = round(time.monotonic() - self.started, 2)
        return self


@dataclass
class Campaign:
    """Shared state of one run: secrets, the scanner and the host logging set-up."""

    config: CampaignConfig
    secrets: CampaignSecrets
    scanner: SecretScanner
    host_logging: HostLogging

    @classmethod
    @contextlib.contextmanager
    def open(cls, config: CampaignConfig, *, mutation: str | None = None) -> Iterator[Campaign]:
        """The campaign's shared state; ``mutation`` plants a deliberate bug in every provider
        host (see :mod:`qa.mutations`), for tests that watch a figure turn red."""
        secrets = CampaignSecrets.for_seed(config.seed)
        scanner = SecretScanner(secrets)
        host_logging = HostLogging(mutation)
        try:
            with LogScanner(scanner, PROCESS_LOGGERS):
                yield cls(config, secrets, scanner, host_logging)
        finally:
            host_logging.close()

    @contextlib.contextmanager
    def sandbox(self, **settings: Any) -> Iterator[SandboxServer]:
        """An in-process sandbox with this campaign's keys, its fault sampling seeded (same
        seed, same sequence of draws)."""
        settings.setdefault("rate_limit", True)
        server = SandboxServer(
            api_key=self.secrets.api_key, partner_api_key=self.secrets.partner_api_key, **settings
        )
        server.faults.seed(self.config.seed)
        with server:
            server.control.set_balance("100000000.00")
            yield server

    @contextlib.contextmanager
    def host(self, label: str, config: Mapping[str, Any] | None = None) -> Iterator[RecordingHost]:
        """A provider host (real ``python -m pulumi.dynamic``) configured with ``config``; with
        ``None`` it is configured with nothing at all, as a preview without credentials."""
        host = RecordingHost(
            self.scanner,
            label,
            project=PROJECT,
            stack=STACK,
            pythonpath=[self.host_logging.path],
        )
        with host:
            host.configure(dict(config or {}))
            yield host

    def registered(self, program: Callable[[], None]) -> list[RegisteredResource]:
        """What ``program`` registers (run under mocks), its ``__provider`` blobs scanned."""
        resources = run_program(program, project=PROJECT, stack=STACK)
        for resource in resources:
            self.scanner.scan_blobs(f"program: {resource.name}", resource.inputs)
        return resources

    def card_number(self, index: int) -> str:
        """One of this run's card numbers (the scan looks for them everywhere)."""
        numbers = self.secrets.card_numbers
        return numbers[index % len(numbers)]


class CheckRejectedError(Exception):
    """Check answered with failures where the campaign sent valid inputs."""


def apply(host: ProviderHost, urn: str, inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Check then Create, as ``pulumi up`` does for a new resource."""
    checked, failures = host.check(urn, {}, dict(inputs))
    if failures:
        raise CheckRejectedError("; ".join(f"{p}: {r}" for p, r in failures))
    return host.create(urn, checked)


def create_once(
    host: ProviderHost, resource: RegisteredResource
) -> tuple[tuple[str, dict[str, Any]] | None, str]:
    """One ``pulumi up`` of a new resource (Check, then Create): its id and outputs, or
    ``None`` and the last line of what failed."""
    try:
        return apply(host, resource.urn, resource.inputs), ""
    except HostError as exc:
        return None, last_line(exc.details)
    except CheckRejectedError as exc:
        return None, f"check: {exc}"[:300]


def organization_program(name: str = "org", **overrides: Any) -> Callable[[], None]:
    def program() -> None:
        import pulumi_digicert as digicert

        digicert.Organization(name, **{**ORGANIZATION, **overrides})

    return program


@dataclass
class Deployed:
    """A resource created through the host: its registration, checked inputs, id, outputs."""

    resource: RegisteredResource
    inputs: dict[str, Any]
    id: str
    outputs: dict[str, Any]

    @property
    def type_name(self) -> str:
        return self.resource.type.rsplit(":", 1)[-1]

    @property
    def urn(self) -> str:
        return self.resource.urn


def deploy(campaign: Campaign, host: ProviderHost, program: Callable[[], None]) -> list[Deployed]:
    """Run ``program``, then Check and Create each resource it declares through ``host``."""
    deployed = []
    for resource in campaign.registered(program):
        checked, failures = host.check(resource.urn, {}, resource.inputs)
        if failures:
            raise CheckRejectedError(f"{resource.name}: {failures}")
        id_, outputs = host.create(resource.urn, checked)
        deployed.append(Deployed(resource, checked, id_, outputs))
    return deployed


def create_organization(campaign: Campaign, host: ProviderHost, name: str = "org") -> int:
    """A new organization created through ``host``; its id."""
    (organization,) = deploy(campaign, host, organization_program(name))
    return int(organization.id)


def deploy_everything(
    campaign: Campaign, server: SandboxServer, host: ProviderHost
) -> dict[str, Deployed]:
    """One of each resource created through ``host``, with literal ids so the inputs are
    complete; returned by type name."""
    billing_keys = campaign.secrets.billing_api_keys
    server.control.create_account("Billing", api_key=billing_keys[0])
    with contextlib.suppress(httpx.HTTPStatusError):
        server.control.create_account("Billing 2", api_key=billing_keys[1])
    organization_id = create_organization(campaign, host, "seed-org")
    (seed_domain,) = deploy(
        campaign, host, domain_program("seed-domain", "seed.example.com", organization_id)
    )
    program = scenarios.one_of_each(
        organization={**ORGANIZATION, "validations": [{"type": "ov"}]},
        domain={
            "domain_name": "preview.example.com",
            "organization_id": organization_id,
            "validations": ["ov"],
        },
        check={
            "domain_id": int(seed_domain.id),
            "wait_timeout_seconds": 0,
            "poll_interval_seconds": 1,
        },
        order={
            "organization_id": organization_id,
            **scenarios.by_card(campaign.card_number(0)),
        },
        billing_account_api_key=billing_keys[0],
    )
    return {d.type_name: d for d in deploy(campaign, host, program)}


def domain_program(name: str, domain_name: str, organization_id: int) -> Callable[[], None]:
    """A program declaring one DomainValidation of ``domain_name`` for the organization."""

    def program() -> None:
        import pulumi_digicert as digicert

        digicert.DomainValidation(name, domain_name=domain_name, organization_id=organization_id)

    return program


def stats_by_status(control: SandboxControl) -> Counter[int]:
    """Requests the sandbox answered since its counters were reset, by status (0: no answer)."""
    counts: Counter[int] = Counter()
    for row in control.stats()["requests"]:
        counts[int(row["status"])] += int(row["count"])
    return counts


def inject_order_faults(control: SandboxControl, drop: float, fail: float) -> None:
    """Lose the answers to order POSTs after the order is placed (probability ``drop``), and
    answer any request 503 (probability ``fail``), until cleared."""
    control.inject_fault(
        kind="drop_response", method="POST", path_regex=ORDER_POST, probability=drop, count=None
    )
    control.inject_fault(kind="fail", probability=fail, status=503, count=None)


def orders_by_alternative_id(control: SandboxControl) -> dict[str, list[dict[str, Any]]]:
    """Every order in the sandbox, by its alternative order id."""
    orders: dict[str, list[dict[str, Any]]] = {}
    for order in control.orders():
        orders.setdefault(str(order.get("alternative_order_id")), []).append(order)
    return orders


@dataclass
class OrdersUnderFaults:
    """Declared orders about to be created through ``host`` while the sandbox loses answers to
    order POSTs and answers 503 (see :func:`orders_under_faults`)."""

    server: SandboxServer
    host: RecordingHost
    resources: list[RegisteredResource]

    @property
    def declared(self) -> list[str]:
        """The declarations' alternative order ids."""
        return [str(r.inputs["alternative_order_id"]) for r in self.resources]

    def finish(self) -> OrdersPlaced:
        """Stop the faults; what the sandbox answered meanwhile, and every order it holds."""
        control = self.server.control
        stats = stats_by_status(control)
        control.clear_faults()
        return OrdersPlaced(stats, orders_by_alternative_id(control), self.declared)


@dataclass(frozen=True)
class OrdersPlaced:
    """What the sandbox answered while the faults were on, and the orders it holds."""

    stats: Counter[int]
    """Requests by the status answered (0: cut, no answer)."""
    orders: dict[str, list[dict[str, Any]]]
    """Every order, by alternative order id."""
    declared: list[str]

    def of(self, alternative_id: str) -> list[dict[str, Any]]:
        return self.orders.get(alternative_id, [])

    @property
    def duplicates(self) -> int:
        """Orders beyond the first for each declared alternative order id."""
        return sum(max(0, len(self.of(a)) - 1) for a in self.declared)

    @property
    def declarations_without_order(self) -> int:
        return sum(1 for a in self.declared if not self.of(a))

    def sandbox_figures(self) -> dict[str, int]:
        """The faults' bite, as both order sections report it."""
        return {
            "sandbox_responses_cut": self.stats.get(0, 0),
            "sandbox_5xx": sum(n for status, n in self.stats.items() if status >= 500),
            "sandbox_429": self.stats.get(429, 0),
            "sandbox_requests": sum(self.stats.values()),
        }


@contextlib.contextmanager
def orders_under_faults(
    campaign: Campaign,
    label: str,
    *,
    count: int,
    prefix: str,
    limits: Mapping[str, Any],
    client: Mapping[str, str],
    drop: float,
    fail: float,
) -> Iterator[OrdersUnderFaults]:
    """A sandbox with ``limits``, a host configured with ``client`` settings, an organization,
    ``count`` declared orders (:func:`order_program`, names starting with ``prefix``), and the
    faults on: answers to order POSTs lost after commit (``drop``), any request answered 503
    (``fail``). The sandbox's counters start with the faults."""
    with (
        campaign.sandbox(**limits) as server,
        campaign.host(label, scenarios.stack_config(server, **client)) as host,
    ):
        organization_id = create_organization(campaign, host)
        resources = campaign.registered(order_program(campaign, organization_id, count, prefix))
        server.control.reset_stats()
        inject_order_faults(server.control, drop, fail)
        yield OrdersUnderFaults(server, host, resources)


def order_program(
    campaign: Campaign, organization_id: int, count: int, prefix: str
) -> Callable[[], None]:
    """``count`` document signing orders for the organization, varied in product, validity and
    approval; every ``card_every``-th pays by card."""
    card_every = campaign.config.card_every

    def program() -> None:
        import pulumi_digicert as digicert

        for index in range(count):
            paid_by_card = card_every > 0 and index % card_every == card_every - 1
            digicert.DocumentSigningOrder(
                f"{prefix}{index:04d}",
                product="document_signing_org_1" if index % 2 else "document_signing_org_2",
                organization_id=organization_id,
                validity_years=1 + index % 3,
                subject={**scenarios.SUBJECT, "name": f"Signing Desk {index}"},
                cs_provisioning_method="client_app",
                skip_approval=index % 4 == 0,
                **(scenarios.by_card(campaign.card_number(index)) if paid_by_card else {}),
            )

    return program


def last_line(details: str, limit: int = 300) -> str:
    """The last line of a host error's details (what the engine shows last), cut to ``limit``."""
    text = details.strip()
    return text.splitlines()[-1][:limit] if text else ""
