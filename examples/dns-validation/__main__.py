"""Domain control validation in one `pulumi up`: DigiCert issues a token, DNS publishes it, and
DigiCert is asked to check it.

    DomainValidation  ->  TXT record `_dnsauth.<domain>` = dcv_token  ->  DomainValidationCheck

Stack config:

    domainName        the domain to validate (required)
    dnsProvider       cloudflare (default) or sandbox
    cloudflareZoneId  the Cloudflare zone of the domain (dnsProvider=cloudflare)
    organizationName  the organization the domain is validated for (default "Acme Example Ltd")
    dcvWaitSeconds    how long `up` waits for DigiCert to see the record (default 300)

With `dnsProvider: sandbox` (stack `sandbox`, see Pulumi.sandbox.yaml) the TXT record is
published through the local sandbox's control API, so the same program runs without a DNS
account or pulumi-cloudflare; the control API wants the token `digicert-sandbox` printed at start,
read from the DIGICERT_SANDBOX_CONTROL_TOKEN environment variable (never stored in state).
With Cloudflare, install requirements-cloudflare.txt; it reads its token from
`cloudflare:apiToken` (set it with --secret) or the CLOUDFLARE_API_TOKEN environment variable.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider

import pulumi_digicert as digicert

config = pulumi.Config()
domain_name = config.require("domainName")
dns_provider = config.get("dnsProvider") or "cloudflare"
if dns_provider not in ("cloudflare", "sandbox"):
    raise ValueError(f"dnsProvider must be 'cloudflare' or 'sandbox', not {dns_provider!r}")

organization = digicert.Organization(
    "organization",
    name=config.get("organizationName") or "Acme Example Ltd",
    address="1 Example Way",
    city="Lehi",
    state="Utah",
    zip="84043",
    country="us",
    organization_contact={
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "telephone": "+1 801 555 0100",
    },
    # Organizations are long-lived and shared by orders: deleting the resource keeps it in
    # CertCentral unless delete_on_destroy=True.
)

domain = digicert.DomainValidation(
    "domain",
    domain_name=domain_name,
    organization_id=organization.id,
    validations=["ov"],
    dcv_method="dns-txt-token",
)

# DigiCert looks for the token in a TXT record on the domain itself or on `_dnsauth.<domain>`.
record_name = f"_dnsauth.{domain_name}"


class _SandboxDnsRecordProvider(ResourceProvider):
    """Publishes a DNS record through the sandbox's control API (`/_sandbox/dns`)."""

    @staticmethod
    def _control_headers() -> dict[str, str]:
        """The control API's token, from the environment of `pulumi up` (never from state)."""
        import os

        token = os.environ.get("DIGICERT_SANDBOX_CONTROL_TOKEN")
        if not token:
            raise RuntimeError(
                "The sandbox DNS record needs the control token digicert-sandbox printed at "
                "start: export DIGICERT_SANDBOX_CONTROL_TOKEN before pulumi up."
            )
        return {"Authorization": f"Bearer {token}"}

    def create(self, props: dict[str, Any]) -> CreateResult:
        import httpx

        record = {"name": props["name"], "type": props["type"], "value": props["value"]}
        httpx.post(
            f"{props['control_url']}/dns", json=record, headers=self._control_headers(), timeout=10
        ).raise_for_status()
        return CreateResult(f"{props['type']}:{props['name']}", dict(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        keys = ("control_url", "name", "type", "value")
        replaces = [k for k in keys if olds.get(k) != news.get(k)]
        return DiffResult(changes=bool(replaces), replaces=replaces, delete_before_replace=False)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        import httpx

        record = {"name": props["name"], "type": props["type"], "value": props["value"]}
        httpx.request(
            "DELETE",
            f"{props['control_url']}/dns",
            json=record,
            headers=self._control_headers(),
            timeout=10,
        ).raise_for_status()


class SandboxDnsRecord(pulumi.dynamic.Resource, module="sandbox", name="DnsRecord"):
    """A DNS record in the local sandbox: the stand-in for a cloud DNS record."""

    def __init__(
        self,
        resource_name: str,
        *,
        control_url: str,
        name: pulumi.Input[str],
        type: str,
        value: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {"control_url": control_url, "name": name, "type": type, "value": value}
        super().__init__(_SandboxDnsRecordProvider(), resource_name, props, opts)


record: pulumi.Resource
if dns_provider == "sandbox":
    base_url = pulumi.Config("digicert").require("baseUrl").rstrip("/")
    control_url = base_url.removesuffix("/services/v2") + "/_sandbox"
    record = SandboxDnsRecord(
        "dcv-txt", control_url=control_url, name=record_name, type="TXT", value=domain.dcv_token
    )
else:
    import pulumi_cloudflare as cloudflare

    record = cloudflare.DnsRecord(
        "dcv-txt",
        zone_id=config.require("cloudflareZoneId"),
        name=record_name,
        type="TXT",
        content=domain.dcv_token,
        ttl=60,
        comment="DigiCert domain control validation (managed by Pulumi)",
    )

# Asks DigiCert to check now and waits up to 5 minutes; a slow DNS never fails the `up`:
# `validated` says whether it got there, and `pulumi refresh` carries the status forward.
check = digicert.DomainValidationCheck(
    "domain-check",
    domain_id=domain.id,
    dcv_token=domain.dcv_token,
    wait_timeout_seconds=dcv_wait
    if (dcv_wait := config.get_float("dcvWaitSeconds")) is not None
    else 300,
    poll_interval_seconds=10,
    opts=pulumi.ResourceOptions(depends_on=[record]),
)

pulumi.export("domain_id", domain.domain_id)
pulumi.export("dcv_record", {"name": record_name, "type": "TXT", "value": domain.dcv_token})
pulumi.export("validated", check.validated)
pulumi.export("validation_status", check.validation_status)
