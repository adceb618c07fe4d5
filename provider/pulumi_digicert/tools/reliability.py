"""The reliability and security campaign: the provider's three promises under faults, load and
bad input, measured against a real sandbox through the real dynamic-provider host.

Run it::

    python -m pulumi_digicert.tools.reliability                 # full mode, prints the table
    python -m pulumi_digicert.tools.reliability --mode short     # the CI-sized run
    python -m pulumi_digicert.tools.reliability --json out.json --seed 7

Sections (each returns a dict of figures and a list of problems; a run passes when no section
reports a problem):

* ``never_buy_twice``: DocumentSigningOrder creates through the host while the sandbox drops
  create responses after commit, fails requests with 5xx, refuses connections for a maintenance
  window and rate-limits bursts. Every failed Create is run again (Check then Create, same
  inputs) as the next ``pulumi up`` would, until it succeeds.
* ``preview``: Check and Diff of every resource, with no credentials, counted at the sandbox;
  each asked twice, and once more by a configured host (what CI applies).
* ``bad_input``: hypothesis-generated inputs for every resource's Check, damaged and
  older-version saved states for Diff, Read, Update and Delete, accepted inputs for Create.
* ``sandbox_input``: the sandbox's own fuzzing, bad requests to every route (no provider code).
* ``drift``: objects changed or removed behind the provider's back, then read.
* ``concurrency``: creates fired at once at the host's four threads with the limiter on.
* ``crash_recovery``: the provider host killed with SIGKILL in the middle of a Create (before
  the order POST, after it, while waiting for issuance); ``pulumi up`` run again through the
  engine-faithful harness must buy nothing twice and record the one order.
* ``hostile_answers``: DocumentSigningOrder creates against a hostile CertCentral on a loopback
  socket (malformed lookups, unreadable 2xx, statuses in other letters): at most one order each.
* ``bad_keys``: hosts configured with keys that cannot be headers, a wrong key and base URLs
  that could leak a key: refused by the setting's name, never shown.
* ``secrets``: every gRPC response, state blob, log line and error message of all sections,
  scanned for the API keys, partner keys and card numbers used.

Needs the ``dev`` extra (hypothesis) and the ``sandbox`` extra.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

import pulumi_digicert as digicert
from pulumi_digicert.resources import PROVIDERS
from pulumi_digicert.resources._provider import Field
from pulumi_digicert.sandbox import SandboxControl, SandboxServer
from pulumi_digicert.testing import UNKNOWN, DiffSummary, HostError, ProviderHost
from pulumi_digicert.testing.program import RegisteredResource, run_program
from pulumi_digicert.tools._field_contract import (
    MissingContractRowError,
    expected_mode,
    missing_rows,
)
from pulumi_digicert.tools._reliability_crash import crash_recovery
from pulumi_digicert.tools._reliability_entry import fuzz_entry_points
from pulumi_digicert.tools._reliability_hostile import bad_keys, hostile_answers
from pulumi_digicert.tools._reliability_support import (
    SURFACES,
    CampaignSecrets,
    HostLogging,
    LogScanner,
    RecordingHost,
    SecretScanner,
    Stopwatch,
)

if TYPE_CHECKING:
    import hypothesis

log = logging.getLogger("pulumi_digicert.tools.reliability")

PROJECT = "reliability"
STACK = "campaign"
DEFAULT_SEED = 20240607
ORDER_TYPE = "DocumentSigningOrder"
PROCESS_LOGGERS = ("digicert_sandbox", "uvicorn", "uvicorn.error", "pulumi_digicert", "httpx")


# ---------------------------------------------------------------------------------------------
# Configuration


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

    def sandbox_limits(self) -> dict[str, Any]:
        return {
            "burst_limit": self.burst_limit,
            "burst_window": self.burst_window,
            "sustained_limit": self.sustained_limit,
            "sustained_window": self.sustained_window,
        }

    def client_limits(self) -> dict[str, str]:
        retries = {} if self.max_retries is None else {"digicert:maxRetries": str(self.max_retries)}
        return {
            **retries,
            "digicert:rateLimitBurst": f"{self.burst_limit}/{self.burst_window:g}",
            "digicert:rateLimitSustained": f"{self.sustained_limit}/{self.sustained_window:g}",
        }


@dataclass
class SectionResult:
    """Figures of one section, and the broken promises it found (empty when it passed)."""

    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.problems

    def expect(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)


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
        host (see :mod:`~pulumi_digicert.tools._mutations`), for tests that watch a figure
        turn red."""
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
        """An in-process sandbox with this campaign's keys, its faults seeded."""
        settings.setdefault("rate_limit", True)
        server = SandboxServer(
            api_key=self.secrets.api_key, partner_api_key=self.secrets.partner_api_key, **settings
        )
        seed_faults(server, self.config.seed)
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

    def stack_config(self, server: SandboxServer, **extra: str) -> dict[str, str]:
        return {
            "digicert:apiKey": server.api_key,
            "digicert:baseUrl": server.services_url,
            "digicert:partnerApiKey": server.partner_api_key,
            "digicert:partnerBaseUrl": server.partner_url,
            **extra,
        }

    def scan_registrations(self, resources: Sequence[RegisteredResource]) -> None:
        for resource in resources:
            self.scanner.scan_blobs(f"program: {resource.name}", resource.inputs)


def seed_faults(server: SandboxServer, seed: int) -> None:
    """Make the sandbox's fault sampling reproducible (same seed, same sequence of draws)."""
    server.faults.seed(seed)


# The order page requires all four subject fields (seed 003).
SUBJECT = {
    "name": "Signing Desk",
    "job_title": "Release Engineering",
    "phone": "+1 801 555 0100",
    "email": "signing@example.com",
}


def pick_card(secrets: CampaignSecrets, index: int) -> dict[str, Any]:
    return {
        "number": secrets.card_numbers[index % len(secrets.card_numbers)],
        "expiration_month": 12,
        "expiration_year": 2031,
        "cvv": 123,
        "cardholder_name": "Campaign Card",
    }


BILLING_ADDRESS = {
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
}

CONTACT = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "job_title": "CTO",
    "telephone": "+1 555 0100",
}

OTHER_CONTACT = {**CONTACT, "first_name": "Grace", "last_name": "Hopper", "email": "g@example.com"}

ORGANIZATION_ARGS: dict[str, Any] = {
    "name": "Reliability Corp",
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
    "telephone": "+1 555 0100",
    "organization_contact": CONTACT,
}


def organization_program(name: str = "org", **overrides: Any) -> Callable[[], None]:
    def program() -> None:
        digicert.Organization(name, **{**ORGANIZATION_ARGS, **overrides})

    return program


def apply(host: ProviderHost, urn: str, inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Check then Create, as ``pulumi up`` does for a new resource."""
    checked, failures = host.check(urn, {}, dict(inputs))
    if failures:
        raise CheckRejectedError("; ".join(f"{p}: {r}" for p, r in failures))
    return host.create(urn, checked)


class CheckRejectedError(Exception):
    """Check answered with failures where the campaign sent valid inputs."""


def create_organization(host: ProviderHost, name: str = "org") -> tuple[str, dict[str, Any]]:
    (org,) = run_program(organization_program(name), project=PROJECT, stack=STACK)
    return apply(host, org.urn, org.inputs)


def stats_by_status(control: SandboxControl) -> Counter[int]:
    counts: Counter[int] = Counter()
    for row in control.stats()["requests"]:
        counts[int(row["status"])] += int(row["count"])
    return counts


# ---------------------------------------------------------------------------------------------
# Never buy twice


def order_program(
    organization_id: int, count: int, secrets: CampaignSecrets, card_every: int, prefix: str
) -> Callable[[], None]:
    def program() -> None:
        for index in range(count):
            by_card = card_every > 0 and index % card_every == card_every - 1
            extra: dict[str, Any] = {}
            if by_card:
                extra = {
                    "payment_method": "card",
                    "credit_card": pick_card(secrets, index),
                    "billing_address": BILLING_ADDRESS,
                }
            digicert.DocumentSigningOrder(
                f"{prefix}{index:04d}",
                product="document_signing_org_1" if index % 2 else "document_signing_org_2",
                organization_id=organization_id,
                validity_years=1 + index % 3,
                subject={**SUBJECT, "name": f"Signing Desk {index}"},
                cs_provisioning_method="client_app",
                skip_approval=index % 4 == 0,
                **extra,
            )

    return program


@dataclass
class Declaration:
    resource: RegisteredResource
    create_calls: int = 0
    order_id: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def alternative_order_id(self) -> str:
        return str(self.resource.inputs["alternative_order_id"])


class _Triggers:
    """Runs each action once, when the number of finished first-round creates reaches its mark."""

    def __init__(self, actions: Sequence[tuple[int, str, Callable[[], None]]]) -> None:
        self._actions = sorted(actions, key=lambda a: a[0])
        self._done = 0
        self._lock = threading.Lock()
        self.fired: list[str] = []

    def finished_one(self) -> None:
        due: list[tuple[str, Callable[[], None]]] = []
        with self._lock:
            self._done += 1
            while self._actions and self._actions[0][0] <= self._done:
                _, name, action = self._actions.pop(0)
                due.append((name, action))
                self.fired.append(name)
        for _, action in due:
            action()


def fill_rate_limit_window(server: SandboxServer, limit: int) -> int:
    """Another client on the same key spends the burst window: requests until the first 429.
    Returns how many requests it sent."""
    sent = 0
    with httpx.Client(
        base_url=server.services_url, headers={"X-DC-DEVKEY": server.api_key}, timeout=10
    ) as other:
        while sent < limit * 3:
            sent += 1
            with contextlib.suppress(httpx.TransportError):
                if other.get("/finance/balance").status_code == 429:
                    break
    return sent


def never_buy_twice(campaign: Campaign) -> SectionResult:
    cfg = campaign.config
    result = SectionResult("never_buy_twice")
    clock = Stopwatch()
    with campaign.sandbox(**cfg.sandbox_limits()) as server:
        config = campaign.stack_config(server, **cfg.client_limits())
        with campaign.host("never-buy-twice", config) as host:
            org_id, _ = create_organization(host)
            resources = run_program(
                order_program(int(org_id), cfg.declarations, campaign.secrets, cfg.card_every, "o"),
                project=PROJECT,
                stack=STACK,
            )
            campaign.scan_registrations(resources)
            declarations = [Declaration(r) for r in resources]
            control = server.control
            control.reset_stats()
            control.inject_fault(
                kind="drop_response",
                method="POST",
                path_regex=r"/order/certificate/[a-z_0-9]+$",
                probability=cfg.drop_probability,
                count=None,
            )
            control.inject_fault(
                kind="fail", probability=cfg.fail_probability, status=503, count=None
            )
            burst_requests: list[int] = []

            def maintenance() -> None:
                control.inject_fault(kind="maintenance", seconds=cfg.maintenance_seconds)

            def burst() -> None:
                # Another client on the same key fills the burst window once the maintenance
                # window is over (during it nothing reaches the rate limiter). The worker that
                # crossed the mark waits for it; the other three keep creating into a full window.
                while any(f["kind"] == "maintenance" for f in control.faults()):
                    time.sleep(0.05)
                burst_requests.append(fill_rate_limit_window(server, cfg.burst_limit))

            n = len(declarations)
            actions: list[tuple[int, str, Callable[[], None]]] = [
                (max(1, int(n * cfg.maintenance_at)), "maintenance", maintenance)
            ]
            for i in range(cfg.rate_limit_bursts):
                mark = int(n * (0.45 + 0.5 * i / max(1, cfg.rate_limit_bursts)))
                actions.append((max(1, mark), f"burst {i + 1}", burst))
            triggers = _Triggers(actions)

            def attempt(declaration: Declaration, first_round: bool) -> None:
                declaration.create_calls += 1
                try:
                    order_id, outputs = apply(
                        host, declaration.resource.urn, declaration.resource.inputs
                    )
                except HostError as exc:
                    declaration.errors.append(exc.details.strip().splitlines()[-1][:300])
                except CheckRejectedError as exc:
                    declaration.errors.append(f"check: {exc}"[:300])
                else:
                    declaration.order_id, declaration.outputs = order_id, outputs
                finally:
                    if first_round:
                        triggers.finished_one()

            pending = list(declarations)
            rounds = 0
            while pending and rounds < cfg.max_rounds:
                first = rounds == 0
                with ThreadPoolExecutor(max_workers=4, thread_name_prefix="up") as pool:
                    list(pool.map(attempt, pending, [first] * len(pending)))
                rounds += 1
                pending = [d for d in declarations if not d.order_id]
            stats = stats_by_status(control)
            control.clear_faults()
            orders = control.orders()
            refreshed = _refresh_all(host, declarations)

    by_alt: dict[str, list[dict[str, Any]]] = {}
    for order in orders:
        by_alt.setdefault(str(order.get("alternative_order_id")), []).append(order)
    declared = {d.alternative_order_id for d in declarations}
    duplicates = sum(len(by_alt.get(a, [])) - 1 for a in declared if len(by_alt.get(a, [])) > 1)
    exist = sum(1 for a in declared if by_alt.get(a))
    orphans = sum(len(v) for a, v in by_alt.items() if a not in declared)
    unfinished = [d for d in declarations if not d.order_id]
    mismatched = [
        d
        for d in declarations
        if d.order_id
        and [o["id"] for o in by_alt.get(d.alternative_order_id, [])] != [int(d.order_id)]
    ]
    retried = [d for d in declarations if d.create_calls > 1]
    error_kinds = Counter(_error_kind(e) for d in declarations for e in d.errors)
    result.figures = {
        "declarations": len(declarations),
        "paid_by_card": sum(1 for d in declarations if "credit_card" in d.resource.inputs),
        "orders_that_exist": exist,
        "duplicates": duplicates,
        "orders_without_declaration": orphans,
        "declarations_without_order": len(unfinished),
        "state_order_id_mismatches": len(mismatched),
        "creates_that_needed_a_retry": len(retried),
        "max_retries_for_one_declaration": max(
            (d.create_calls - 1 for d in declarations), default=0
        ),
        "create_calls": sum(d.create_calls for d in declarations),
        "rounds": rounds,
        "adopted_after_lost_response": sum(1 for d in declarations if d.outputs.get("adopted")),
        "failed_create_causes": dict(error_kinds.most_common()),
        "failed_create_examples": sorted({e for d in declarations for e in d.errors})[:8],
        "sandbox_responses_cut": stats.get(0, 0),
        "sandbox_5xx": sum(v for k, v in stats.items() if k >= 500),
        "sandbox_429": stats.get(429, 0),
        "sandbox_requests": sum(stats.values()),
        "rate_limit_burst_requests": sum(burst_requests),
        "faults": {
            "drop_create_response_probability": cfg.drop_probability,
            "fail_5xx_probability": cfg.fail_probability,
            "maintenance_seconds": cfg.maintenance_seconds,
            "client_max_retries": cfg.max_retries if cfg.max_retries is not None else "default",
            "rate_limit": f"{cfg.burst_limit}/{cfg.burst_window:g}s",
            "rate_limit_bursts": cfg.rate_limit_bursts,
            "triggered": triggers.fired,
        },
        "refresh_after_campaign_matches": refreshed,
    }
    result.expect(duplicates == 0, f"{duplicates} duplicate order(s)")
    result.expect(orphans == 0, f"{orphans} order(s) no declaration owns")
    result.expect(not unfinished, f"{len(unfinished)} declaration(s) never got an order")
    result.expect(not mismatched, f"{len(mismatched)} declaration(s) recorded another order")
    result.expect(exist == len(declarations), "not every declaration has its order")
    result.expect(refreshed == len(declarations) - len(unfinished), "a refresh lost an order")
    result.expect(bool(retried), "no create needed a retry: the faults did not bite")
    result.seconds = clock.seconds()
    return result


def _refresh_all(host: ProviderHost, declarations: Sequence[Declaration]) -> int:
    """Read every created order back (a ``pulumi refresh``); count those still matching."""
    matching = 0
    for declaration in declarations:
        if not declaration.order_id:
            continue
        urn = declaration.resource.urn
        read_id, outputs, _ = host.read(declaration.order_id, urn, declaration.outputs)
        if read_id == declaration.order_id and outputs.get("order_id") == float(read_id):
            matching += 1
    return matching


def _error_kind(detail: str) -> str:
    for marker in (
        "outcome is unknown",
        "request_limit_exceeded",
        "RateLimitError",
        "APIConnectionError",
        "APITimeoutError",
        "ServerError",
        "ResourceError",
    ):
        if marker in detail:
            return marker
    return detail[:80]


# ---------------------------------------------------------------------------------------------
# Preview tells the truth


@dataclass(frozen=True)
class PreviewCase:
    resource: str
    label: str
    news: dict[str, Any]
    expect_changes: bool
    expect_replaces: tuple[str, ...]


def fields_of(type_name: str) -> tuple[Field, ...]:
    for provider in PROVIDERS:
        if provider.__name__ == f"{type_name}Provider":
            return provider.fields
    raise KeyError(type_name)


def changed_inputs(secrets: CampaignSecrets) -> dict[str, dict[str, Any]]:
    """A valid new value for each declared field of each resource (the preview's test cases)."""
    return {
        "Organization": {
            "name": "Reliability Corporation",
            "assumed_name": "Reliable",
            "address": "2 Main St",
            "address2": "Suite 9",
            "city": "Provo",
            "state": "Idaho",
            "zip": "84601",
            "country": "ca",
            "telephone": "+1 555 0199",
            "container_id": 7.0,
            "organization_contact": OTHER_CONTACT,
            "technical_contact": OTHER_CONTACT,
            "validations": [
                {"type": "ov"},
                {"type": "ev", "verified_users": [{"first_name": "Ada", "last_name": "L"}]},
            ],
            "skip_duplicate_org_check": True,
        },
        "DomainValidation": {
            "domain_name": "other.example.com",
            "organization_id": 99.0,
            "validations": ["ov", "ev"],
            "dcv_method": "dns-cname-token",
        },
        "DomainValidationCheck": {
            "domain_id": 99.0,
            "dcv_token": "another-token",
            "wait_timeout_seconds": 30.0,
            "poll_interval_seconds": 2.0,
        },
        "DocumentSigningOrder": {
            "product": "document_signing_org_2",
            "organization_id": 99.0,
            "subject": {**SUBJECT, "name": "Another Desk"},
            "validity_years": 3.0,
            "csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
            "server_platform_id": 2.0,
            "cs_provisioning_method": "ship_token",
            "use_org_as_common_name": False,
            "container_id": 7.0,
            "ship_info": {
                "name": "Ada",
                "addr1": "1 Main St",
                "city": "Lehi",
                "state": "Utah",
                "zip": "84043",
                "country": "us",
            },
            "organization_contact": OTHER_CONTACT,
            "technical_contact": OTHER_CONTACT,
            "comments": "approved by legal",
            "custom_fields": [{"metadata_id": 5.0, "value": "x"}],
            "user_id_assignments": [3.0],
            "skip_approval": True,
            "enable_guest_access": True,
            "payment_method": "card",
            "credit_card": pick_card(secrets, 1),
            "billing_address": {**BILLING_ADDRESS, "city": "Provo"},
            "vat_number": "GB123",
            "alternative_order_id": "renamed42",
            "adopt_order_id": 99.0,
            "wait_for_issuance_seconds": 10.0,
            "revoke_on_delete": True,
            "revocation_comment": "key compromised",
            "renew_within_days": 30.0,
        },
        "BillingAccountLink": {
            "billing_account_api_key": secrets.billing_api_keys[1],
            "partner_api_key": secrets.partner_api_key + "x",
        },
    }


def preview_cases(
    type_name: str, inputs: Mapping[str, Any], secrets: CampaignSecrets
) -> list[PreviewCase]:
    """The same inputs; each field changed; each field unknown (as in a preview).

    What each case must plan comes from the contract table written apart from the code
    (:mod:`~pulumi_digicert.tools._field_contract`), never from the field table the provider's
    diff uses; a field without a row there stops the section, naming it.
    """
    fields = fields_of(type_name)
    missing = missing_rows(type_name, [f.name for f in fields])
    if missing:
        raise MissingContractRowError(
            f"{type_name}: fields without a row in the expected field modes (or rows without a "
            f"field): {missing}; check each against DESIGN.md and the README, then update "
            "pulumi_digicert/tools/_field_contract.py"
        )
    cases = [PreviewCase(type_name, "unchanged", dict(inputs), False, ())]
    changes = changed_inputs(secrets)[type_name]
    for f in fields:
        if f.name not in changes:
            continue
        if _same(inputs.get(f.name), changes[f.name]):
            continue  # a field with one allowed value (signature_hash) has no other value
        news = {**inputs, f.name: changes[f.name]}
        if f.name == "credit_card" and inputs.get("payment_method") != "card":
            news["payment_method"] = "card"
            news["billing_address"] = BILLING_ADDRESS
        if f.name == "payment_method" and inputs.get("payment_method") == "card":
            news["payment_method"] = "balance"
            news.pop("credit_card", None)
            news.pop("billing_address", None)
        if f.name == "cs_provisioning_method" and changes[f.name] == "ship_token":
            news["ship_info"] = changes["ship_info"]
        expected_replaces = tuple(
            g.name
            for g in fields
            if expected_mode(type_name, g.name) == "replace"
            and not _same(inputs.get(g.name), news.get(g.name))
        )
        if type_name == "DocumentSigningOrder" and expected_replaces:
            # A program derives a new alternative_order_id for a new purchase; keeping the old
            # one is refused by check (it would adopt the order being replaced).
            news["alternative_order_id"] = f"{inputs.get('alternative_order_id')}r"
        cases.append(PreviewCase(type_name, f"change {f.name}", news, True, expected_replaces))
    for f in fields:
        news = {**inputs, f.name: UNKNOWN}
        replaces = (f.name,) if expected_mode(type_name, f.name) == "replace" else ()
        cases.append(PreviewCase(type_name, f"unknown {f.name}", news, True, replaces))
    return cases


def _same(old: Any, new: Any) -> bool:
    return json.dumps(old, sort_keys=True, default=str) == json.dumps(
        new, sort_keys=True, default=str
    )


def everything_program(
    organization_id: int, domain_id: int, secrets: CampaignSecrets
) -> Callable[[], None]:
    """One of each resource, with literal ids so the inputs are complete."""

    def program() -> None:
        digicert.Organization("org", **ORGANIZATION_ARGS, validations=[{"type": "ov"}])
        digicert.DomainValidation(
            "domain",
            domain_name="preview.example.com",
            organization_id=organization_id,
            validations=["ov"],
        )
        digicert.DomainValidationCheck(
            "domain-check", domain_id=domain_id, wait_timeout_seconds=0, poll_interval_seconds=1
        )
        digicert.DocumentSigningOrder(
            "order",
            product="document_signing_org_1",
            organization_id=organization_id,
            validity_years=1,
            subject=SUBJECT,
            payment_method="card",
            credit_card=pick_card(secrets, 0),
            billing_address=BILLING_ADDRESS,
        )
        digicert.BillingAccountLink("link", billing_account_api_key=secrets.billing_api_keys[0])

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


def deploy_everything(
    campaign: Campaign, server: SandboxServer, host: ProviderHost
) -> dict[str, Deployed]:
    """Create one of each resource through ``host``; returns them by type name."""
    server.control.create_account("Billing", api_key=campaign.secrets.billing_api_keys[0])
    with contextlib.suppress(httpx.HTTPStatusError):
        server.control.create_account("Billing 2", api_key=campaign.secrets.billing_api_keys[1])
    org_id, _ = create_organization(host, "seed-org")
    (seed_domain,) = _declare(
        campaign,
        host,
        lambda: digicert.DomainValidation(
            "seed-domain", domain_name="seed.example.com", organization_id=int(org_id)
        ),
    )
    domain_id = seed_domain.id
    resources = run_program(
        everything_program(int(org_id), int(domain_id), campaign.secrets),
        project=PROJECT,
        stack=STACK,
    )
    campaign.scan_registrations(resources)
    deployed: dict[str, Deployed] = {}
    for resource in resources:
        checked, failures = host.check(resource.urn, {}, resource.inputs)
        if failures:
            raise RuntimeError(f"{resource.name}: check failed: {failures}")
        id_, outputs = host.create(resource.urn, checked)
        d = Deployed(resource, checked, id_, outputs)
        deployed[d.type_name] = d
    return deployed


def preview(campaign: Campaign) -> SectionResult:
    result = SectionResult("preview")
    clock = Stopwatch()
    with campaign.sandbox() as server:
        config = campaign.stack_config(server)
        with campaign.host("apply", config) as applying:
            deployed = deploy_everything(campaign, server, applying)
            server.control.reset_stats()
            with campaign.host("preview", None) as previewing:
                outcome = _preview_cases(campaign, deployed, previewing, applying)
            api_calls = server.control.stats()["total"]
    cases, not_twice, apply_differs, wrong, failures_seen, per_resource, notes = outcome
    result.figures = {
        "resources": len(deployed),
        "cases": cases,
        "check_and_diff_calls": cases * 6,
        "api_calls_during_check_and_diff": api_calls,
        "answers_differing_when_asked_twice": not_twice,
        "preview_differs_from_apply_time": apply_differs,
        "verdicts_contradicting_field_table": wrong,
        "check_failures_on_valid_inputs": failures_seen,
        "credentials_in_preview_host": "none (Configure with no config, DIGICERT_* unset)",
        "cases_by_resource": per_resource,
        "notes": notes,
    }
    result.expect(api_calls == 0, f"{api_calls} API call(s) during check/diff")
    result.expect(not_twice == 0, f"{not_twice} answer(s) changed when asked twice")
    result.expect(apply_differs == 0, f"{apply_differs} preview answer(s) differ from apply time")
    result.expect(wrong == 0, f"{wrong} diff verdict(s) contradict the contract's field modes")
    result.expect(failures_seen == 0, f"{failures_seen} valid case(s) failed check")
    result.seconds = clock.seconds()
    return result


def _diff_key(diff: DiffSummary) -> tuple[Any, ...]:
    return (diff.changes, tuple(sorted(diff.replaces)), diff.delete_before_replace)


def _preview_cases(
    campaign: Campaign,
    deployed: Mapping[str, Deployed],
    previewing: ProviderHost,
    applying: ProviderHost,
) -> tuple[int, int, int, int, int, dict[str, int], list[str]]:
    cases = not_twice = apply_differs = wrong = failures_seen = 0
    notes: list[str] = []
    per_resource: dict[str, int] = {}
    for type_name, d in deployed.items():
        urn = d.resource.urn
        program_inputs = dict(d.resource.inputs)
        for case in preview_cases(type_name, program_inputs, campaign.secrets):
            cases += 1
            per_resource[type_name] = per_resource.get(type_name, 0) + 1
            first = previewing.check(urn, d.inputs, case.news)
            second = previewing.check(urn, d.inputs, case.news)
            at_apply = applying.check(urn, d.inputs, case.news)
            not_twice += first != second
            apply_differs += first != at_apply
            if first[1]:
                failures_seen += 1
                notes.append(f"{type_name} {case.label}: check failed: {first[1]}")
                continue
            diff_apply = applying.diff(d.id, urn, d.outputs, at_apply[0], old_inputs=d.inputs)
            try:
                diff_1 = previewing.diff(d.id, urn, d.outputs, first[0], old_inputs=d.inputs)
                diff_2 = previewing.diff(d.id, urn, d.outputs, first[0], old_inputs=d.inputs)
            except HostError as exc:
                # A preview without credentials must never fail (DESIGN: check and diff need
                # none): counted with the cases whose preview differs from apply time.
                apply_differs += 1
                last = exc.details.strip().splitlines()[-1][:200] if exc.details.strip() else ""
                notes.append(f"{type_name} {case.label}: diff failed without credentials: {last}")
                continue
            not_twice += _diff_key(diff_1) != _diff_key(diff_2)
            apply_differs += _diff_key(diff_1) != _diff_key(diff_apply)
            verdict_ok = (diff_1.changes is True) == case.expect_changes and set(
                diff_1.replaces
            ) == set(case.expect_replaces)
            if not verdict_ok:
                wrong += 1
                notes.append(
                    f"{type_name} {case.label}: diff changes={diff_1.changes} "
                    f"replaces={list(diff_1.replaces)}, the contract says "
                    f"changes={case.expect_changes} replaces={list(case.expect_replaces)}"
                )
    return cases, not_twice, apply_differs, wrong, failures_seen, per_resource, notes


# ---------------------------------------------------------------------------------------------
# Bad input


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a property bag (dict keys and list indexes), ``__provider`` excluded."""
    paths: list[tuple[Any, ...]] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not prefix and key == "__provider":
                continue
            paths.append((*prefix, key))
            paths.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.append((*prefix, index))
            paths.extend(_paths(item, (*prefix, index)))
    return paths


def _mutate(inputs: Mapping[str, Any], ops: Sequence[tuple[Any, ...]]) -> dict[str, Any]:
    data: Any = json.loads(json.dumps(dict(inputs), default=str))
    for op in ops:
        kind = op[0]
        if kind == "replace_all":
            data = {**op[1], "__provider": inputs.get("__provider")}
            continue
        if kind == "add":
            data[op[1]] = op[2]
            continue
        path = op[1]
        parent: Any = data
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        last = path[-1]
        if parent is None or not isinstance(parent, (dict, list)):
            continue
        if isinstance(parent, list) and not (isinstance(last, int) and last < len(parent)):
            continue
        if isinstance(parent, dict) and isinstance(last, int):
            continue
        if kind == "delete" and isinstance(parent, dict):
            parent.pop(last, None)
        elif kind == "delete":
            del parent[last]
        else:
            parent[last] = op[2]
    if "__provider" in inputs:
        data["__provider"] = inputs["__provider"]
    return data  # type: ignore[no-any-return]


def junk_values() -> Any:
    """Wrong types, huge strings, unicode, unknowns and nested junk (a hypothesis strategy)."""
    from hypothesis import strategies as st

    specials = st.sampled_from(
        [
            UNKNOWN,
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "null",
            "\x00",
            "\u202eevil",
            "İ",
            "\U0001f600" * 20,
            "9" * 40,
            "<script>",
            "'; DROP TABLE orders; --",
            "-----BEGIN CERTIFICATE REQUEST-----",
        ]
    )
    huge = st.integers(min_value=1_000, max_value=200_000).map(lambda n: "x" * n)
    huge_unicode = st.text(min_size=1, max_size=3).map(lambda s: s * 3_000)
    leaf = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**64), max_value=2**64),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=40),
        specials,
        huge,
        huge_unicode,
    )

    def nested(children: Any) -> Any:
        return st.lists(children, max_size=4) | st.dictionaries(
            st.text(max_size=12), children, max_size=4
        )

    return st.recursive(leaf, nested, max_leaves=10)


def mutation_ops(inputs: Mapping[str, Any]) -> Any:
    from hypothesis import strategies as st

    junk = junk_values()
    ops = [
        st.tuples(st.just("add"), st.text(min_size=1, max_size=20), junk),
        st.tuples(st.just("replace_all"), st.dictionaries(st.text(max_size=12), junk, max_size=5)),
    ]
    paths = _paths(inputs)
    if paths:
        path = st.sampled_from(paths)
        ops += [
            st.tuples(st.just("set"), path, junk),
            st.tuples(st.just("set"), path, st.just(UNKNOWN)),
            st.tuples(st.just("delete"), path),
        ]
    op = st.one_of(*ops)
    return st.lists(op, min_size=1, max_size=4)


@dataclass
class FuzzTally:
    cases: int = 0
    crashes: int = 0
    rejected: int = 0
    accepted: int = 0
    unsendable: int = 0
    routes: int = 0
    slowest_seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    def crash(self, text: str) -> None:
        self.crashes += 1
        if len(self.examples) < 10:
            self.examples.append(text[:400])


def _hypothesis_settings(examples: int) -> hypothesis.settings:
    from hypothesis import HealthCheck, Phase, settings

    return settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def fuzz_checks(
    campaign: Campaign, host: ProviderHost, deployed: Mapping[str, Deployed]
) -> dict[str, FuzzTally]:
    """Bad inputs to each resource's Check, on create (no olds) and on update (olds)."""
    tallies: dict[str, FuzzTally] = {}
    for type_name, d in deployed.items():
        tallies[type_name] = _fuzz_check(campaign, host, d)
    return tallies


def _fuzz_check(campaign: Campaign, host: ProviderHost, d: Deployed) -> FuzzTally:
    from hypothesis import given, seed

    tally = FuzzTally()
    valid = dict(d.resource.inputs)

    @seed(campaign.config.seed)
    @_hypothesis_settings(campaign.config.check_examples_per_resource)
    @given(ops=mutation_ops(valid))
    def one_case(ops: list[tuple[Any, ...]]) -> None:
        news = _mutate(valid, ops)
        started = time.monotonic()
        tally.cases += 1
        failures: list[Any] = []
        for olds in ({}, d.inputs):
            try:
                _, failures = host.check(d.resource.urn, olds, news)
            except HostError as exc:
                tally.crash(f"{d.type_name}: {exc.details.strip().splitlines()[-1]}")
                return
            except (TypeError, ValueError, OverflowError):
                tally.unsendable += 1
                return
            masked = [r for _, r in failures if "could not be validated" in r]
            if masked or any("Traceback" in r for _, r in failures):
                tally.crash(f"{d.type_name}: check failure hides a crash: {masked} for {ops!r}")
                return
        tally.slowest_seconds = max(tally.slowest_seconds, time.monotonic() - started)
        if failures:
            tally.rejected += 1
        else:
            tally.accepted += 1

    one_case()
    return tally


SANDBOX_BODIES: dict[str, dict[str, Any]] = {
    "POST /services/v2/organization": {
        "name": "Fuzz Corp",
        "address": "1 Main St",
        "city": "Lehi",
        "state": "Utah",
        "zip": "84043",
        "country": "us",
        "organization_contact": CONTACT,
    },
    "PUT /services/v2/organization/{organization_id}/contact": {
        "contacts": [{"contact_type": "organization_contact", **CONTACT}]
    },
    "POST /services/v2/organization/{organization_id}/validation": {
        "validations": [{"type": "ov"}]
    },
    "POST /services/v2/domain": {
        "name": "fuzz.example.com",
        "organization": {"id": 1},
        "validations": [{"type": "ov"}],
        "dcv_method": "dns-txt-token",
    },
    "PUT /services/v2/domain/{domain_id}/dcv/method": {"dcv_method": "dns-cname-token"},
    "POST /services/v2/domain/{domain_id}/validation": {"validations": [{"type": "ov"}]},
    "POST /services/v2/order/certificate/{product}": {
        "certificate": {"signature_hash": "sha256"},
        "organization": {"id": 1},
        "order_validity": {"years": 1},
        "payment_method": "balance",
        "alternative_order_id": "fuzz1",
    },
    "PUT /services/v2/order/certificate/{order_id}/status": {"status": "canceled"},
    "PUT /services/v2/order/certificate/{order_id}/revoke": {"comments": "fuzz"},
    "PUT /services/v2/request/{request_id}/status": {"status": "rejected"},
    "PUT /partner-subscription/api/v1/finance/account-link": {},
}


def sandbox_routes(server: SandboxServer) -> list[tuple[str, str, bool]]:
    """Every route the sandbox serves: ``(method, template, is_control)``. The control API's
    reset is left out (it would undo the objects the other cases refer to)."""
    from pulumi_digicert.sandbox import SandboxApp

    app = SandboxApp(server.backend, faults=server.faults, stats=server.stats)
    return [route for route in app.routes() if route[1] != "/_sandbox/reset"]


def _valid_envelope(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    errors = body.get("errors") if isinstance(body, dict) else None
    return (
        isinstance(errors, list)
        and bool(errors)
        and all(
            isinstance(e, dict)
            and isinstance(e.get("code"), str)
            and isinstance(e.get("message"), str)
            for e in errors
        )
    )


def fuzz_sandbox(campaign: Campaign, server: SandboxServer, ids: Mapping[str, int]) -> FuzzTally:
    """Bad requests to every route the sandbox serves: 4xx with the envelope, never a 5xx."""
    tally = FuzzTally()
    baseline = server.control.settings()
    routes = sandbox_routes(server)
    tally.routes = len(routes)
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        for method, template, is_control in routes:
            _fuzz_route(campaign, server, http, ids, tally, method, template, is_control, baseline)
    return tally


def _request_strategies(server: SandboxServer, ids: Mapping[str, int], key: str) -> dict[str, Any]:
    from hypothesis import strategies as st

    junk = junk_values()
    template = SANDBOX_BODIES.get(key)
    bodies = [
        st.just(("none", None)),
        junk.map(lambda v: ("json", v)),
        st.binary(max_size=300).map(lambda b: ("raw", b)),
    ]
    if template is not None:
        bodies.append(st.just(("json", template)))
        bodies.append(mutation_ops(template).map(lambda ops: ("json", _mutate(template, ops))))
    return {
        "param": st.one_of(
            st.sampled_from([str(v) for v in ids.values()]),
            st.integers(min_value=-(10**3), max_value=10**30).map(str),
            st.text(max_size=30),
            st.sampled_from(["document_signing_org_1", "ssl_basic", "0", "-1", "9" * 40, "%00"]),
        ),
        "query": st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=3),
        "body": st.one_of(*bodies),
        "api_key": st.one_of(
            st.just(server.api_key),
            st.just(server.api_key),
            st.none(),
            st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
        ),
    }


def _fuzz_route(
    campaign: Campaign,
    server: SandboxServer,
    http: httpx.Client,
    ids: Mapping[str, int],
    tally: FuzzTally,
    method: str,
    template: str,
    is_control: bool,
    baseline: Mapping[str, Any],
) -> None:
    from urllib.parse import quote

    from hypothesis import given, seed
    from hypothesis import strategies as st

    names = [part[1:-1] for part in template.split("/") if part.startswith("{")]
    strategies = _request_strategies(server, ids, f"{method} {template}")

    @seed(campaign.config.seed)
    @_hypothesis_settings(campaign.config.sandbox_examples_per_route)
    @given(
        params=st.lists(strategies["param"], min_size=len(names), max_size=len(names)),
        query=strategies["query"],
        body=strategies["body"],
        api_key=strategies["api_key"],
    )
    def one_case(
        params: list[str], query: dict[str, str], body: tuple[str, Any], api_key: str | None
    ) -> None:
        path = template
        for name, value in zip(names, params, strict=True):
            path = path.replace("{" + name + "}", quote(value, safe=""), 1)
        headers = {"Content-Type": "application/json"}
        if is_control:  # past the guard: the routes themselves are what is fuzzed here
            headers["Authorization"] = f"Bearer {server.control_token}"
        if api_key is not None:
            headers["X-DC-DEVKEY"] = api_key
            partner = server.partner_api_key if api_key == server.api_key else api_key
            headers["X-PARTNER-APIKEY"] = partner
        kind, value = body
        content: bytes | None = None
        if kind == "json":
            content = json.dumps(value).encode()
        elif kind == "raw":
            content = value
        tally.cases += 1
        try:
            response = http.request(method, path, params=query, content=content, headers=headers)
        except httpx.LocalProtocolError:
            # The client itself refused to send it (a header value with a leading or trailing
            # space, say): no request reached the sandbox, so it says nothing about it.
            tally.cases -= 1
            tally.unsendable += 1
            return
        except httpx.HTTPError as exc:
            tally.crash(f"{method} {template}: no response ({type(exc).__name__})")
            return
        finally:
            if is_control:
                server.faults.clear()
                server.control.update_settings(**baseline)
        campaign.scanner.scan("sandbox responses", f"{method} {template}", response.content)
        if response.status_code >= 500:
            tally.crash(f"{method} {path}: {response.status_code} {response.text[:200]}")
        elif response.status_code >= 400:
            if _valid_envelope(response):
                tally.rejected += 1
            else:
                tally.crash(f"{method} {path}: {response.status_code} without the envelope")
        else:
            tally.accepted += 1

    one_case()


def bad_input(campaign: Campaign) -> SectionResult:
    """Bad input to the provider's own code: generated inputs to every resource's Check (in a
    host configured with nothing, counted at the sandbox: no API call), then damaged and
    older-version saved states to Diff, Read, Update and Delete, and inputs Check accepts to
    Create (in a configured host)."""
    result = SectionResult("bad_input")
    clock = Stopwatch()
    with campaign.sandbox(rate_limit=False) as server:
        config = campaign.stack_config(server)
        with campaign.host("apply", config) as applying:
            deployed = deploy_everything(campaign, server, applying)
        server.control.reset_stats()
        with campaign.host("bad-input", None) as host:
            checks = fuzz_checks(campaign, host, deployed)
            host_alive = host.running
        api_calls = server.control.stats()["total"]
        with campaign.host("entry-points", config) as host:
            entries = fuzz_entry_points(campaign, host, deployed)
            host_alive = host_alive and host.running
    check_cases = sum(t.cases for t in checks.values())
    check_crashes = sum(t.crashes for t in checks.values())
    entry_cases = sum(t.cases for t in entries.values())
    entry_crashes = sum(t.crashes for t in entries.values())
    result.figures = {
        "check_cases": check_cases,
        "check_crashes": check_crashes,
        "check_rejected_with_failures": sum(t.rejected for t in checks.values()),
        "check_accepted": sum(t.accepted for t in checks.values()),
        "check_slowest_seconds": round(max(t.slowest_seconds for t in checks.values()), 3),
        "check_api_calls": api_calls,
        "check_cases_by_resource": {k: t.cases for k, t in checks.items()},
        "entry_point_cases": entry_cases,
        "entry_point_crashes": entry_crashes,
        "older_version_state_cases": sum(t.older_state_cases for t in entries.values()),
        "entry_points": {
            op: {
                "cases": t.cases,
                "answered": t.answered,
                "refused_in_one_sentence": t.refused,
                "crashes": t.crashes,
                "slowest_seconds": round(t.slowest_seconds, 3),
            }
            for op, t in entries.items()
        },
        "crashes": check_crashes + entry_crashes,
        "crash_examples": [e for t in checks.values() for e in t.examples]
        + [e for t in entries.values() for e in t.examples],
        "seed": campaign.config.seed,
    }
    result.expect(check_crashes == 0, f"{check_crashes} Check crash(es)")
    result.expect(
        entry_crashes == 0, f"{entry_crashes} crash(es) of Diff/Read/Update/Create/Delete"
    )
    result.expect(api_calls == 0, f"{api_calls} API call(s) from Check")
    result.expect(host_alive, "the provider host died")
    result.seconds = clock.seconds()
    return result


def sandbox_input(campaign: Campaign) -> SectionResult:
    """The sandbox's own input fuzzing (no provider code runs): bad requests to every route it
    serves must be answered 4xx with DigiCert's envelope, never 5xx."""
    result = SectionResult("sandbox_input")
    clock = Stopwatch()
    with campaign.sandbox(rate_limit=False) as server:
        with campaign.host("apply", campaign.stack_config(server)) as applying:
            deployed = deploy_everything(campaign, server, applying)
        ids = {
            "organization": int(deployed["Organization"].id),
            "domain": int(deployed["DomainValidation"].id),
            "order": int(deployed["DocumentSigningOrder"].id),
            "request": int(deployed["DocumentSigningOrder"].outputs.get("request_id") or 1),
        }
        tally = fuzz_sandbox(campaign, server, ids)
    result.figures = {
        "cases": tally.cases,
        "crashes": tally.crashes,
        "4xx_with_envelope": tally.rejected,
        "2xx": tally.accepted,
        "not_sendable_by_the_client": tally.unsendable,
        "routes": tally.routes,
        "crash_examples": tally.examples,
        "seed": campaign.config.seed,
    }
    result.expect(tally.crashes == 0, f"{tally.crashes} sandbox crash(es)")
    result.seconds = clock.seconds()
    return result


# ---------------------------------------------------------------------------------------------
# Drift


@dataclass
class DriftCase:
    resource: str
    change: str
    detected: bool
    how: str


def _declare(
    campaign: Campaign, host: ProviderHost, declare: Callable[[], object]
) -> list[Deployed]:
    """Run a program that declares resources, then Check and Create each through ``host``."""

    def program() -> None:
        declare()

    resources = run_program(program, project=PROJECT, stack=STACK)
    campaign.scan_registrations(resources)
    deployed = []
    for resource in resources:
        checked, failures = host.check(resource.urn, {}, resource.inputs)
        if failures:
            raise CheckRejectedError(f"{resource.name}: {failures}")
        id_, outputs = host.create(resource.urn, checked)
        deployed.append(Deployed(resource, checked, id_, outputs))
    return deployed


def _read(host: ProviderHost, d: Deployed) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
    return host.read(d.id, d.resource.urn, d.outputs, d.inputs)


def _next_preview(host: ProviderHost, d: Deployed, outputs: Mapping[str, Any]) -> DiffSummary:
    """What the next ``pulumi preview`` shows after a refresh: the program's inputs diffed
    against the refreshed state."""
    checked, _ = host.check(d.resource.urn, d.inputs, d.resource.inputs)
    return host.diff(d.id, d.resource.urn, dict(outputs), checked, old_inputs=d.inputs)


def drift(campaign: Campaign) -> SectionResult:
    result = SectionResult("drift")
    clock = Stopwatch()
    cases: list[DriftCase] = []
    not_observable: list[dict[str, str]] = []
    with campaign.sandbox(rate_limit=False) as server:
        control = server.control
        admin = httpx.Client(
            base_url=server.services_url, headers={"X-DC-DEVKEY": server.api_key}, timeout=10
        )
        with admin, campaign.host("drift", campaign.stack_config(server)) as host:

            def case(resource: str, change: str, detected: bool, how: str) -> None:
                cases.append(DriftCase(resource, change, detected, how))

            def org(index: int, **extra: Any) -> Deployed:
                args = {**ORGANIZATION_ARGS, "name": f"Drift Corp {index}", **extra}
                return _declare(
                    campaign, host, lambda: digicert.Organization(f"drift-org-{index}", **args)
                )[0]

            # Organization
            o = org(1)
            control.set_organization_status(int(o.id), "inactive")
            _, outs, _ = _read(host, o)
            case(
                "Organization",
                "deactivated",
                outs.get("is_active") is False and o.outputs.get("is_active") is True,
                f"is_active {o.outputs.get('is_active')} -> {outs.get('is_active')}",
            )
            o = org(2)
            contact = {"contact_type": "organization_contact", **OTHER_CONTACT}
            admin.put(
                f"/organization/{o.id}/contact", json={"contacts": [contact]}
            ).raise_for_status()
            _, outs, inputs = _read(host, o)
            shown = _next_preview(host, o, outs)
            case(
                "Organization",
                "contact changed by another admin",
                (inputs or {}).get("organization_contact", {}).get("email")
                == OTHER_CONTACT["email"]
                and shown.update,
                f"read inputs carry the new contact; next preview: update {shown.diffs or ''}",
            )
            o = org(3)
            admin.delete(f"/organization/{o.id}").raise_for_status()
            read_id, _, _ = _read(host, o)
            case("Organization", "deleted", read_id == "", "read returns no id")
            o = org(4, validations=[{"type": "ov"}])
            control.complete_org_validation(int(o.id), "ov")
            _, outs, _ = _read(host, o)
            case(
                "Organization",
                "validation completed",
                outs.get("validations") != o.outputs.get("validations"),
                f"validations {o.outputs.get('validations')} -> {outs.get('validations')}",
            )
            base_org = org(5)
            organization_id = int(base_org.id)

            # DomainValidation
            def domain(index: int) -> Deployed:
                return _declare(
                    campaign,
                    host,
                    lambda: digicert.DomainValidation(
                        f"drift-domain-{index}",
                        domain_name=f"drift{index}.example.com",
                        organization_id=organization_id,
                    ),
                )[0]

            dv = domain(1)
            admin.put(f"/domain/{dv.id}/deactivate").raise_for_status()
            read_id, _, _ = _read(host, dv)
            case("DomainValidation", "deactivated", read_id == "", "read returns no id")
            dv = domain(2)
            admin.put(
                f"/domain/{dv.id}/dcv/method", json={"dcv_method": "dns-cname-token"}
            ).raise_for_status()
            _, outs, inputs = _read(host, dv)
            shown = _next_preview(host, dv, outs)
            case(
                "DomainValidation",
                "DCV method changed by another admin",
                (inputs or {}).get("dcv_method") == "dns-cname-token" and shown.update,
                "read inputs carry the new method; next preview: update",
            )
            dv = domain(3)
            control.complete_dcv(int(dv.id))
            _, outs, _ = _read(host, dv)
            case(
                "DomainValidation",
                "DCV completed",
                outs.get("validation_status") != dv.outputs.get("validation_status"),
                f"validation_status {dv.outputs.get('validation_status')} -> "
                f"{outs.get('validation_status')}",
            )
            dv = domain(4)
            control.fail_dcv(int(dv.id))
            _, outs, _ = _read(host, dv)
            changed = sorted(
                k for k in set(outs) | set(dv.outputs) if outs.get(k) != dv.outputs.get(k)
            )
            case("DomainValidation", "DCV failed", bool(changed), f"changed outputs: {changed}")

            # DomainValidationCheck
            dv = domain(5)
            domain_id = int(dv.id)
            (dc,) = _declare(
                campaign,
                host,
                lambda: digicert.DomainValidationCheck(
                    "drift-check", domain_id=domain_id, wait_timeout_seconds=0
                ),
            )
            control.complete_dcv(domain_id)
            _, outs, _ = _read(host, dc)
            case(
                "DomainValidationCheck",
                "DCV completed after the check",
                outs.get("validated") is True and dc.outputs.get("validated") is False,
                f"validated {dc.outputs.get('validated')} -> {outs.get('validated')}",
            )

            # DocumentSigningOrder
            def order(index: int) -> Deployed:
                return _declare(
                    campaign,
                    host,
                    lambda: digicert.DocumentSigningOrder(
                        f"drift-order-{index}",
                        product="document_signing_org_1",
                        organization_id=organization_id,
                        validity_years=1,
                        subject={**SUBJECT, "name": "Drift Desk"},
                    ),
                )[0]

            for actions, change, expect_gone, expect_status in (
                (["approve"], "approved", False, "pending"),
                (["approve", "issue"], "issued", False, "issued"),
                (["reject"], "rejected", True, None),
                (["approve", "cancel"], "canceled", True, None),
                (["approve", "issue", "revoke"], "revoked", False, "revoked"),
                (["approve", "issue", "expire"], "expired", False, "expired"),
            ):
                od = order(len(cases))
                for action in actions:
                    control.advance_order(int(od.id), action)
                read_id, outs, _ = _read(host, od)
                if expect_gone:
                    case("DocumentSigningOrder", change, read_id == "", "read returns no id")
                else:
                    case(
                        "DocumentSigningOrder",
                        change,
                        read_id == od.id and outs.get("status") == expect_status,
                        f"status {od.outputs.get('status')} -> {outs.get('status')}",
                    )

            # Time: validations expire (the sandbox clock moves on, nothing else changes).
            dv = domain(7)
            control.complete_dcv(int(dv.id))
            _, dv.outputs, _ = _read(host, dv)
            expiring_id = int(dv.id)
            (dc,) = _declare(
                campaign,
                host,
                lambda: digicert.DomainValidationCheck(
                    "drift-check-expiry", domain_id=expiring_id, wait_timeout_seconds=0
                ),
            )
            control.advance_clock(3 * 366 * 86400)
            _, outs, _ = _read(host, dv)
            case(
                "DomainValidation",
                "validation expired",
                outs.get("validation_status") == "expired",
                f"validation_status {dv.outputs.get('validation_status')} -> "
                f"{outs.get('validation_status')}",
            )
            _, outs, _ = _read(host, dc)
            case(
                "DomainValidationCheck",
                "validation expired",
                dc.outputs.get("validated") is True and outs.get("validated") is False,
                f"validated {dc.outputs.get('validated')} -> {outs.get('validated')}",
            )

            # BillingAccountLink: the Partner API has no read endpoint.
            control.create_account("Drift Billing", api_key=campaign.secrets.billing_api_keys[0])
            control.create_account("Drift Billing 2", api_key=campaign.secrets.billing_api_keys[1])
            key = campaign.secrets.billing_api_keys[0]
            (link,) = _declare(
                campaign,
                host,
                lambda: digicert.BillingAccountLink("drift-link", billing_account_api_key=key),
            )
            partner = httpx.put(
                server.partner_url + "/finance/account-link",
                headers={
                    "X-PARTNER-APIKEY": server.partner_api_key,
                    "X-DC-DEVKEY": campaign.secrets.billing_api_keys[1],
                },
                timeout=10,
            )
            partner.raise_for_status()
            _, outs, _ = _read(host, link)
            not_observable.append(
                {
                    "resource": "BillingAccountLink",
                    "change": "relinked to another billing account",
                    "why": "the Partner Subscriptions API has no endpoint that reads a link; "
                    "read returns the recorded state (documented)",
                    "read_changed": str(outs != link.outputs),
                }
            )
    detected = sum(1 for c in cases if c.detected)
    result.figures = {
        "cases": len(cases),
        "detected": detected,
        "detected_of_total": f"{detected}/{len(cases)}",
        "by_case": [asdict(c) for c in cases],
        "not_observable": not_observable,
    }
    for c in cases:
        result.expect(c.detected, f"{c.resource}: {c.change} not detected ({c.how})")
    result.seconds = clock.seconds()
    return result


# ---------------------------------------------------------------------------------------------
# Concurrency


def concurrency(campaign: Campaign) -> SectionResult:
    """Creates fired at once at the host's four threads, the client's limiter and the sandbox
    at the same windows, while order responses are lost after commit and requests fail with
    503: no 429 may come back from the sandbox (what the limiter is for), no order may be
    bought twice, and every create that failed is run again as the next ``pulumi up`` would."""
    cfg = campaign.config
    result = SectionResult("concurrency")
    clock = Stopwatch()
    limits = {
        "burst_limit": cfg.concurrency_burst_limit,
        "burst_window": cfg.concurrency_burst_window,
        "sustained_limit": cfg.sustained_limit,
        "sustained_window": cfg.sustained_window,
    }
    windows = (
        f"{cfg.concurrency_burst_limit}/{cfg.concurrency_burst_window:g}s, "
        f"{cfg.sustained_limit}/{cfg.sustained_window:g}s"
    )
    with campaign.sandbox(**limits) as server:
        config = campaign.stack_config(
            server,
            **{
                "digicert:rateLimitBurst": (
                    f"{cfg.concurrency_burst_limit}/{cfg.concurrency_burst_window:g}"
                ),
                "digicert:rateLimitSustained": f"{cfg.sustained_limit}/{cfg.sustained_window:g}",
            },
        )
        with campaign.host("concurrency", config) as host:
            org_id, _ = create_organization(host)
            resources = run_program(
                order_program(
                    int(org_id), cfg.concurrent_creates, campaign.secrets, cfg.card_every, "c"
                ),
                project=PROJECT,
                stack=STACK,
            )
            campaign.scan_registrations(resources)
            control = server.control
            control.reset_stats()
            control.inject_fault(
                kind="drop_response",
                method="POST",
                path_regex=r"/order/certificate/[a-z_0-9]+$",
                probability=cfg.concurrency_drop_probability,
                count=None,
            )
            control.inject_fault(
                kind="fail", probability=cfg.concurrency_fail_probability, status=503, count=None
            )
            errors: list[str] = []
            outputs: dict[str, tuple[str, dict[str, Any]]] = {}
            attempts: Counter[str] = Counter()
            lock = threading.Lock()

            def create(resource: RegisteredResource, start: threading.Barrier) -> None:
                start.wait()
                with lock:
                    attempts[resource.name] += 1
                try:
                    created = apply(host, resource.urn, resource.inputs)
                except (HostError, CheckRejectedError) as exc:
                    with lock:
                        errors.append(str(exc)[-300:])
                    return
                with lock:
                    outputs[resource.name] = created

            pending = list(resources)
            rounds = 0
            while pending and rounds < cfg.max_rounds:
                rounds += 1
                start = threading.Barrier(len(pending))
                threads = [threading.Thread(target=create, args=(r, start)) for r in pending]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                pending = [r for r in resources if r.name not in outputs]
            stats = stats_by_status(control)
            control.clear_faults()
            orders = control.orders()
    by_alt = Counter(str(o.get("alternative_order_id")) for o in orders)
    declared = {str(r.inputs["alternative_order_id"]): r for r in resources}
    duplicates = sum(n - 1 for alt, n in by_alt.items() if alt in declared and n > 1)
    lost = 0
    for r in resources:
        created = outputs.get(r.name)
        if created is None:
            lost += 1
            continue
        id_, outs = created
        complete = (
            id_
            and outs.get("order_id") == float(id_)
            and outs.get("alternative_order_id") == r.inputs["alternative_order_id"]
            and outs.get("request_id")
            and outs.get("status")
            and outs.get("__provider") == r.provider_blob
        )
        lost += not complete
    sandbox_429 = stats.get(429, 0)
    user_429 = sum(1 for e in errors if "429" in e or "request_limit_exceeded" in e)
    result.figures = {
        "creates": len(resources),
        "host_threads": 4,
        "limiter": f"{windows} (client and sandbox)",
        "faults": {
            "drop_create_response_probability": cfg.concurrency_drop_probability,
            "fail_5xx_probability": cfg.concurrency_fail_probability,
        },
        "sandbox_responses_cut": stats.get(0, 0),
        "sandbox_5xx": sum(v for k, v in stats.items() if k >= 500),
        "429_answered_by_sandbox": sandbox_429,
        "429_reaching_the_user": user_429,
        "sandbox_requests": sum(stats.values()),
        "failed_creates_run_again": len(errors),
        "rounds": rounds,
        "creates_that_needed_a_retry": sum(1 for n in attempts.values() if n > 1),
        "duplicates": duplicates,
        "orders": sum(by_alt[a] for a in declared),
        "declarations_without_order": sum(1 for a in declared if not by_alt.get(a)),
        "lost_outputs": lost,
        "errors": sorted(set(errors))[:5],
    }
    result.expect(sandbox_429 == 0, f"the sandbox answered {sandbox_429} request(s) with 429")
    result.expect(user_429 == 0, f"{user_429} 429(s) reached the user")
    result.expect(duplicates == 0, f"{duplicates} duplicate order(s)")
    result.expect(lost == 0, f"{lost} create(s) lost their outputs")
    result.expect(stats.get(0, 0) > 0, "no response was cut: the faults did not bite")
    result.seconds = clock.seconds()
    return result


# ---------------------------------------------------------------------------------------------
# The campaign


SECTIONS: dict[str, Callable[[Campaign], SectionResult]] = {
    "never_buy_twice": never_buy_twice,
    "preview": preview,
    "bad_input": bad_input,
    "sandbox_input": sandbox_input,
    "drift": drift,
    "concurrency": concurrency,
    "crash_recovery": crash_recovery,
    "hostile_answers": hostile_answers,
    "bad_keys": bad_keys,
}


def run_campaign(
    config: CampaignConfig, only: Sequence[str] | None = None
) -> dict[str, SectionResult]:
    """Run the sections (all, or ``only``) and the secret scan over everything they produced."""
    results: dict[str, SectionResult] = {}
    with Campaign.open(config) as campaign:
        for name, section in SECTIONS.items():
            if only and name not in only:
                continue
            log.info("reliability: %s", name)
            try:
                results[name] = section(campaign)
            except Exception as exc:  # a section that breaks is a failed section, not a crash
                log.exception("section %s raised", name)
                failed = SectionResult(name)
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                failed.problems.append(
                    f"raised {type(exc).__name__}: {exc} "
                    f"({Path(frame.filename).name}:{frame.lineno})"
                )
                campaign.scanner.scan("error messages", f"{name}: exception", str(exc))
                results[name] = failed
        scan_results(campaign, results)
        configured_provider_blobs(campaign)
        secrets_result = SectionResult("secrets", figures=campaign.scanner.figures())
        leaks = secrets_result.figures["leaks"]
        secrets_result.expect(leaks == 0, f"{leaks} secret(s) found in plain text")
        if not only:
            unscanned = [
                k for k, n in secrets_result.figures["distinct_texts_by_surface"].items() if not n
            ]
            secrets_result.expect(not unscanned, f"surfaces never scanned: {unscanned}")
        results["secrets"] = secrets_result
    return results


def scan_results(campaign: Campaign, results: Mapping[str, SectionResult]) -> None:
    """The report itself is a surface: every section's problems and figures are scanned."""
    for section_result in results.values():
        campaign.scanner.scan_json(
            "error messages", f"{section_result.name}: problems", section_result.problems
        )
        campaign.scanner.scan_json(
            "report", f"{section_result.name}: figures", section_result.figures
        )


def configured_provider_blobs(campaign: Campaign) -> int:
    """Each provider configured with the campaign's keys, as the host configures it, and made
    to call the API (so its client and limiter exist), then serialized as the SDK serializes a
    provider: the blob must hold no setting, key or client. (Blobs a program registers are made
    before anything is configured, so they alone could not show such a leak.)"""
    from pulumi.dynamic import ConfigureRequest
    from pulumi.dynamic.config import Config
    from pulumi.dynamic.dynamic import serialize_provider

    from pulumi_digicert.client.errors import DigiCertError
    from pulumi_digicert.resources._pickling import restore_pickler

    found = 0
    with campaign.sandbox(rate_limit=False) as server:
        config = campaign.stack_config(server)
        for cls in PROVIDERS:
            provider = cls()
            provider.configure(ConfigureRequest(Config(config, PROJECT)))
            try:
                # Any answer will do: the call only has to build the client and its limiter.
                with contextlib.suppress(DigiCertError):
                    provider.api.finance.balance()
                blob = serialize_provider(provider)
            finally:
                restore_pickler()
                provider.close()
            where = f"{cls.__name__} after configure and an API call"
            found += campaign.scanner.scan_blob(where, blob)
    return found


def surfaces_probe(campaign: Campaign) -> SectionResult:
    """One pass over every surface the secret scan covers, through the campaign's own plumbing:
    an Organization checked, created, read, diffed and updated through a recording host, a
    sandbox answer, the providers serialized after configure, and the probe's own report. Tests
    plant a leak in each surface and watch the scan find it there."""
    result = SectionResult("surfaces_probe")
    errors: list[str] = []
    with campaign.sandbox(rate_limit=False) as server:
        config = campaign.stack_config(server)
        with campaign.host("probe", config) as host:
            (org,) = run_program(organization_program("probe-org"), project=PROJECT, stack=STACK)
            campaign.scan_registrations([org])
            try:
                checked, _ = host.check(org.urn, {}, dict(org.inputs))
                id_, outs = host.create(org.urn, checked)
                host.read(id_, org.urn, outs, checked)
                news, _ = host.check(
                    org.urn, checked, {**org.inputs, "organization_contact": OTHER_CONTACT}
                )
                host.diff(id_, org.urn, outs, news, old_inputs=checked)
                host.update(id_, org.urn, outs, news, old_inputs=checked)
            except HostError as exc:
                errors.append(exc.details.strip().splitlines()[-1][:300])
        with httpx.Client(base_url=server.services_url, timeout=10) as http:
            answer = http.get("/finance/balance", headers={"X-DC-DEVKEY": server.api_key})
            campaign.scanner.scan(
                "sandbox responses", "probe: GET /finance/balance", answer.content
            )
    configured_provider_blobs(campaign)
    result.figures = {"errors": errors}
    scan_results(campaign, {result.name: result})
    return result


@dataclass(frozen=True)
class Figure:
    """One row of the published table: where its value is in the results, what it counts,
    what is required of it, and whether the seed reproduces it."""

    section: str
    key: str
    """A key of the section's figures; dots go into nested figures."""
    label: str
    required: str = ""
    reproducible: bool = True
    """False for counts of what faults and thread timing did in one run."""

    def value(self, figures: Mapping[str, Any]) -> Any:
        value: Any = figures
        for part in self.key.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return "n/a"
            value = value[part]
        return value


TABLE: tuple[Figure, ...] = (
    Figure(
        "never_buy_twice", "declarations", "DocumentSigningOrder declarations created under faults"
    ),
    Figure(
        "never_buy_twice", "orders_that_exist", "declarations with their order", "= declarations"
    ),
    Figure("never_buy_twice", "duplicates", "orders bought twice", "0"),
    Figure(
        "never_buy_twice",
        "creates_that_needed_a_retry",
        "declarations whose create failed and ran again (next `up`)",
        reproducible=False,
    ),
    Figure(
        "never_buy_twice",
        "adopted_after_lost_response",
        "creates that adopted the order a lost response had placed",
        reproducible=False,
    ),
    Figure(
        "never_buy_twice",
        "sandbox_responses_cut",
        "responses cut (dropped after commit, maintenance)",
        reproducible=False,
    ),
    Figure("never_buy_twice", "sandbox_5xx", "requests answered 5xx", reproducible=False),
    Figure(
        "never_buy_twice",
        "sandbox_429",
        "requests answered 429 (another client filled the window)",
        reproducible=False,
    ),
    Figure("hostile_answers", "cases", "scripted hostile answers, one create each"),
    Figure("hostile_answers", "orders_sent_beyond_one", "orders sent that must not be", "0"),
    Figure(
        "hostile_answers", "outcomes_not_as_required", "creates ending other than required", "0"
    ),
    Figure("hostile_answers", "longest_message_bytes", "longest message (bytes)", "<= 2048"),
    Figure("bad_keys", "cases", "bad keys and leaky base URLs configured"),
    Figure("bad_keys", "refused_naming_the_setting", "refused naming the setting", "= cases"),
    Figure(
        "bad_keys",
        "requests_sent_despite_a_refused_setting",
        "requests sent despite a refused setting",
        "0",
    ),
    Figure("bad_keys", "key_or_url_parts_shown", "key or URL parts shown", "0"),
    Figure("preview", "cases", "Check+Diff cases (each field changed, each unknown)"),
    Figure("preview", "api_calls_during_check_and_diff", "API calls during Check and Diff", "0"),
    Figure(
        "preview", "answers_differing_when_asked_twice", "answers differing when asked twice", "0"
    ),
    Figure("preview", "preview_differs_from_apply_time", "preview differing from apply time", "0"),
    Figure(
        "preview",
        "verdicts_contradicting_field_table",
        "diffs contradicting the contract's field modes",
        "0",
    ),
    Figure("bad_input", "check_cases", "generated inputs to Check"),
    Figure(
        "bad_input",
        "entry_point_cases",
        "damaged or older saved states to Diff/Read/Update/Delete, accepted inputs to Create",
    ),
    Figure("bad_input", "older_version_state_cases", "of which states an older version wrote"),
    Figure("bad_input", "crashes", "crashes of the provider's entry points", "0"),
    Figure("sandbox_input", "cases", "bad requests to the sandbox's routes (no provider code)"),
    Figure("sandbox_input", "crashes", "answers 5xx or without the error envelope", "0"),
    Figure("drift", "detected_of_total", "drift cases detected by read", "all"),
    Figure("concurrency", "creates", "creates sent at once to 4 host threads, faults injected"),
    Figure(
        "concurrency",
        "sandbox_responses_cut",
        "order responses cut after commit",
        reproducible=False,
    ),
    Figure(
        "concurrency",
        "429_answered_by_sandbox",
        "429 from the sandbox at the configured limits",
        "0",
    ),
    Figure("concurrency", "duplicates", "orders bought twice", "0"),
    Figure("concurrency", "lost_outputs", "creates without complete outputs", "0"),
    Figure("crash_recovery", "sigkills", "provider hosts killed mid-create (SIGKILL)", "3"),
    Figure("crash_recovery", "declarations", "declarations deployed across the kills"),
    Figure("crash_recovery", "duplicate_orders", "orders bought twice after the next `up`", "0"),
    Figure(
        "crash_recovery",
        "declarations_with_wrong_state",
        "declarations recording other than their one order",
        "0",
    ),
    *(
        Figure(
            "secrets",
            f"distinct_texts_by_surface.{surface}",
            f"distinct texts scanned: {surface}",
            "> 0",
            reproducible=False,
        )
        for surface in SURFACES
    ),
    Figure("secrets", "leaks", "secrets found in plain text", "0"),
)


def table_rows(sections: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The published table's rows from a report's ``sections`` (name -> {"figures": ...})."""
    rows = []
    for figure in TABLE:
        if figure.section not in sections:
            continue
        value = figure.value(sections[figure.section].get("figures", {}))
        seed = "yes" if figure.reproducible else "varies"
        rows.append(
            f"| {figure.section.replace('_', ' ')} | {figure.label} | {value} | "
            f"{figure.required} | {seed} |"
        )
    return rows


TABLE_HEADER = (
    "| section | figure | value | required | same seed, same value |",
    "|---|---|---|---|---|",
)


def render_table(results: Mapping[str, SectionResult], config: CampaignConfig) -> str:
    sections = {name: {"figures": r.figures} for name, r in results.items()}
    lines = [
        f"Reliability campaign, {config.mode} mode, seed {config.seed}",
        "",
        *TABLE_HEADER,
        *table_rows(sections),
        "",
    ]
    for name, section_result in results.items():
        verdict = "pass" if section_result.passed else "FAIL: " + "; ".join(section_result.problems)
        lines.append(f"- {name}: {verdict} ({section_result.seconds:.1f} s)")
    return "\n".join(lines)


def report(results: Mapping[str, SectionResult], config: CampaignConfig) -> dict[str, Any]:
    return {
        "mode": config.mode,
        "seed": config.seed,
        "passed": all(r.passed for r in results.values()),
        "config": asdict(config),
        "command": f"python -m pulumi_digicert.tools.reliability --mode {config.mode} "
        f"--seed {config.seed}",
        "python": sys.version.split()[0],
        "sections": {
            name: {
                "passed": r.passed,
                "problems": r.problems,
                "seconds": r.seconds,
                "figures": r.figures,
            }
            for name, r in results.items()
        },
    }


class _PrintedRecords(logging.Filter):
    def __init__(self, *, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return self.verbose and record.name == log.name


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pulumi_digicert.tools.reliability",
        description="Run the reliability and security campaign against a local sandbox.",
    )
    parser.add_argument("--mode", choices=("short", "full"), default="full")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON here")
    parser.add_argument(
        "--only", action="append", choices=sorted(SECTIONS), help="run only this section"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    # The campaign turns every logger it scans up to DEBUG; what is printed is only the
    # campaign's own progress (with -v) and warnings.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    handler.addFilter(_PrintedRecords(verbose=args.verbose))
    logging.getLogger().addHandler(handler)
    log.setLevel(logging.INFO)
    factory = CampaignConfig.short if args.mode == "short" else CampaignConfig.full
    config = factory(args.seed)
    results = run_campaign(config, args.only)
    print(render_table(results, config))
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report(results, config), indent=2, sort_keys=False) + "\n")
        print(f"\nfigures written to {path}")
    return 0 if all(r.passed for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
