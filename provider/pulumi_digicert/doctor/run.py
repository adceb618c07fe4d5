"""One doctor run: build the read-only HTTP layers, run the checks, gather the report."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from pulumi_digicert.config import Secret
from pulumi_digicert.doctor.checks import Doctor
from pulumi_digicert.doctor.http import (
    DEFAULT_BUDGET,
    DEFAULT_PACE,
    Budget,
    Pacer,
    ReadOnlyHttp,
    Traffic,
)
from pulumi_digicert.doctor.report import Report
from pulumi_digicert.doctor.settings import DoctorSettings

__all__ = ["DEFAULT_SAMPLE", "run_doctor"]

#: Objects of each kind (organizations, domains, orders) read in full.
DEFAULT_SAMPLE = 3


def run_doctor(
    settings: DoctorSettings,
    *,
    budget: int = DEFAULT_BUDGET,
    sample: int = DEFAULT_SAMPLE,
    pace: tuple[int, float] = DEFAULT_PACE,
    transport: httpx.BaseTransport | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Report:
    """Check the account ``settings`` name. ``transport`` replaces the network (tests); the
    GET-only guards wrap it like any other."""
    traffic = Traffic()
    shared_budget = Budget(budget)
    pacer = Pacer(*pace, clock=clock, sleep=sleep)

    def layer(base_url: str, header: str, key: Secret) -> ReadOnlyHttp:
        return ReadOnlyHttp(
            base_url,
            key_header=header,
            key=key,
            timeout=settings.request_timeout,
            budget=shared_budget,
            pacer=pacer,
            traffic=traffic,
            transport=transport,
            sleep=sleep,
        )

    services = layer(settings.base_url, "X-DC-DEVKEY", settings.api_key)
    partner = (
        layer(settings.partner_base_url, "X-PARTNER-APIKEY", settings.partner_api_key)
        if settings.partner_api_key is not None
        else None
    )
    keys = [settings.api_key.get()]
    if settings.partner_api_key is not None:
        keys.append(settings.partner_api_key.get())
    try:
        findings = Doctor(services, partner, sample=sample, identifying=keys).run()
    finally:
        services.close()
        if partner is not None:
            partner.close()
    return Report(
        findings=findings,
        instance=settings.instance,
        partner_key_configured=partner is not None,
        requests=traffic.requests,
        methods=sorted(traffic.methods),
        budget=budget,
        rate_limited=traffic.rate_limited,
        retry_after_seen=traffic.retry_after_seen,
        notes=list(settings.notes),
    )
