"""Serves the DigiCert policy pack; the rules live in digicert_policies (importable, tested)."""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, PolicyPack

from digicert_policies import PACK_NAME, build_policies

PolicyPack(
    name=PACK_NAME,
    description="Review rules for DigiCert CertCentral resources managed with pulumi-digicert.",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=build_policies(),
)
