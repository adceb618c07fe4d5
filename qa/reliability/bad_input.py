"""Section ``bad_input``: bad input to the provider's own code. Generated inputs to every
resource's Check, in a host configured with nothing (counted at the sandbox: no API call), then
damaged and older-version saved states to Diff, Read, Update and Delete and inputs Check accepts
to Create, in a configured host (:mod:`qa.reliability.entry_points`)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from hypothesis import given, seed

from pulumi_digicert.testing import HostError, ProviderHost
from qa.reliability.campaign import Campaign, Deployed, SectionResult, deploy_everything, last_line
from qa.reliability.entry_points import fuzz_entry_points
from qa.reliability.fuzzing import Tally, hypothesis_settings, mutate, mutation_ops
from qa.scenarios import stack_config


def fuzz_checks(
    campaign: Campaign, host: ProviderHost, deployed: Mapping[str, Deployed]
) -> dict[str, Tally]:
    """Bad inputs to each resource's Check, on create (no olds) and on update (olds)."""
    return {type_name: _fuzz_check(campaign, host, d) for type_name, d in deployed.items()}


def _fuzz_check(campaign: Campaign, host: ProviderHost, d: Deployed) -> Tally:
    tally = Tally()
    valid = dict(d.resource.inputs)

    @seed(campaign.config.seed)
    @hypothesis_settings(campaign.config.check_examples_per_resource)
    @given(ops=mutation_ops(valid))
    def one_case(ops: list[tuple[Any, ...]]) -> None:
        news = mutate(valid, ops)
        started = time.monotonic()
        tally.cases += 1
        failures: list[Any] = []
        for olds in ({}, d.inputs):
            try:
                _, failures = host.check(d.urn, olds, news)
            except HostError as exc:
                tally.crash(f"{d.type_name}: {last_line(exc.details, 400)}")
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
            tally.refused += 1
        else:
            tally.accepted += 1

    one_case()
    return tally


def bad_input(campaign: Campaign) -> SectionResult:
    result = SectionResult("bad_input")
    with campaign.sandbox(rate_limit=False) as server:
        config = stack_config(server)
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
        "check_rejected_with_failures": sum(t.refused for t in checks.values()),
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
                "answered": t.accepted,
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
    return result.finish()
