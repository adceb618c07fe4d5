"""Section ``secrets``: after the other sections, what is left to scan (the report itself, the
providers serialized after they were configured and called), and a probe that passes once over
every surface the scan claims to cover, so a test can plant a leak in each and watch it found."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

import httpx
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_digicert.client.errors import DigiCertError
from pulumi_digicert.resources import PROVIDERS
from pulumi_digicert.testing import HostError, provider_blob
from qa import scenarios
from qa.reliability.campaign import (
    PROJECT,
    Campaign,
    SectionResult,
    last_line,
    organization_program,
)
from qa.scenarios import stack_config


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
    found = 0
    with campaign.sandbox(rate_limit=False) as server:
        config = stack_config(server)
        for cls in PROVIDERS:
            provider = cls()
            provider.configure(ConfigureRequest(Config(config, PROJECT)))
            try:
                # Any answer will do: the call only has to build the client and its limiter.
                with contextlib.suppress(DigiCertError):
                    provider.api.finance.balance()
                blob = provider_blob(provider)
            finally:
                provider.close()
            where = f"{cls.__name__} after configure and an API call"
            found += campaign.scanner.scan_blob(where, blob)
    return found


def surfaces_probe(campaign: Campaign) -> SectionResult:
    """One pass over every surface the secret scan covers, through the campaign's own plumbing:
    an Organization checked, created, read, diffed and updated through a recording host, a
    sandbox answer, the providers serialized after configure, and the probe's own report."""
    result = SectionResult("surfaces_probe")
    errors: list[str] = []
    with campaign.sandbox(rate_limit=False) as server:
        with campaign.host("probe", stack_config(server)) as host:
            (org,) = campaign.registered(organization_program("probe-org"))
            try:
                checked, _ = host.check(org.urn, {}, dict(org.inputs))
                id_, outs = host.create(org.urn, checked)
                host.read(id_, org.urn, outs, checked)
                changed = {**org.inputs, "organization_contact": scenarios.OTHER_CONTACT}
                news, _ = host.check(org.urn, checked, changed)
                host.diff(id_, org.urn, outs, news, old_inputs=checked)
                host.update(id_, org.urn, outs, news, old_inputs=checked)
            except HostError as exc:
                errors.append(last_line(exc.details))
        with httpx.Client(base_url=server.services_url, timeout=10) as http:
            answer = http.get("/finance/balance", headers={"X-DC-DEVKEY": server.api_key})
            campaign.scanner.scan(
                "sandbox responses", "probe: GET /finance/balance", answer.content
            )
    configured_provider_blobs(campaign)
    result.figures = {"errors": errors}
    scan_results(campaign, {result.name: result})
    return result
