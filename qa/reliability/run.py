"""The campaign's sections, in the order they run, and the run itself."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from qa.reliability.bad_input import bad_input
from qa.reliability.bad_keys import bad_keys
from qa.reliability.campaign import Campaign, CampaignConfig, SectionResult
from qa.reliability.concurrency import concurrency
from qa.reliability.crash_recovery import crash_recovery
from qa.reliability.drift import drift
from qa.reliability.hostile_answers import hostile_answers
from qa.reliability.never_buy_twice import never_buy_twice
from qa.reliability.preview import preview
from qa.reliability.sandbox_input import sandbox_input
from qa.reliability.surfaces import configured_provider_blobs, scan_results

log = logging.getLogger("qa.reliability")

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
"""Every section but ``secrets``, which scans what they all produced and runs last."""


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
