"""examples/dns-validation: the TXT record publishes the DomainValidation's dcv_token, and the
check runs after it; under mocks for both DNS branches, and end to end against a sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from tests.examples.support import (
    DCV_TOKEN,
    DNS_VALIDATION_PROJECT,
    DOMAIN_ID,
    ORGANIZATION_ID,
    TYPE,
    DigiCertMocks,
    dns_validation_engine,
    example_program,
    sandbox_stack,
)

from pulumi_digicert.testing.engine import DeploymentError, HostEngine
from pulumi_digicert.testing.program import ProgramRun, execute_program

PROJECT = DNS_VALIDATION_PROJECT
SANDBOX_RECORD = "pulumi-python:dynamic/sandbox:DnsRecord"
CLOUDFLARE_RECORD = "cloudflare:index/dnsRecord:DnsRecord"
program = example_program("dns-validation")


def run(config: dict[str, str]) -> ProgramRun:
    full = {f"{PROJECT}:{k}" if ":" not in k else k: v for k, v in config.items()}
    return execute_program(
        program, project=PROJECT, stack="sandbox", config=full, mocks=DigiCertMocks()
    )


def assert_wired(result: ProgramRun, record_type: str, value_key: str) -> None:
    types = [r.type for r in result.resources]
    assert types == [
        TYPE.format("Organization"),
        TYPE.format("DomainValidation"),
        record_type,
        TYPE.format("DomainValidationCheck"),
    ]
    domain = result.by_name("domain")
    assert domain.args["domain_name"] == "dns.example.com"
    assert domain.args["organization_id"] == str(ORGANIZATION_ID)
    assert domain.args["dcv_method"] == "dns-txt-token"
    record = result.by_name("dcv-txt")
    assert record.args["name"] == "_dnsauth.dns.example.com"
    assert record.args["type"] == "TXT"
    assert record.args[value_key] == DCV_TOKEN
    assert domain.urn in record.property_dependencies[value_key]
    check = result.by_name("domain-check")
    assert check.args["domain_id"] == str(DOMAIN_ID)
    assert check.args["dcv_token"] == DCV_TOKEN
    assert record.urn in check.dependencies
    assert result.by_name("organization").options.retain_on_delete is None
    assert result.exports["dcv_record"]["value"] == DCV_TOKEN


def test_sandbox_record_publishes_the_dcv_token_before_the_check() -> None:
    result = run(
        {
            "digicert:baseUrl": "http://127.0.0.1:8787/services/v2",
            "dnsProvider": "sandbox",
            "domainName": "dns.example.com",
        }
    )
    assert_wired(result, SANDBOX_RECORD, "value")
    assert result.by_name("dcv-txt").args["control_url"] == "http://127.0.0.1:8787/_sandbox"


# pulumi-cloudflare comes with the dev extra, so this branch (the example's default) always runs.
# The package warns at import about its own renamed resources.
@pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_cloudflare")
def test_cloudflare_record_publishes_the_dcv_token_before_the_check() -> None:
    result = run({"domainName": "dns.example.com", "cloudflareZoneId": "zone-123"})
    assert_wired(result, CLOUDFLARE_RECORD, "content")
    assert result.by_name("dcv-txt").args["zoneId"] == "zone-123"


def test_unknown_dns_provider_is_refused() -> None:
    with pytest.raises(Exception, match="dnsProvider must be"):
        run({"dnsProvider": "route66", "domainName": "dns.example.com"})


@pytest.fixture
def engine(sandbox: Any) -> HostEngine:
    return dns_validation_engine(sandbox, "dns.example.com", dcv_wait_seconds=20)


def test_dns_validation_completes_in_one_up_against_the_sandbox(
    engine: HostEngine, sandbox: Any
) -> None:
    deployment = engine.up(program)
    assert deployment.exports["validated"] is True
    assert deployment.exports["validation_status"] == "validated"
    token = deployment.outputs("domain")["dcv_token"]
    assert deployment.exports["dcv_record"]["value"] == token
    assert {"name": "_dnsauth.dns.example.com", "type": "TXT", "value": token} in (
        sandbox.control.dns_records()
    )
    assert not engine.up(program, deployment.state).changed

    engine.destroy(deployment.state)
    assert sandbox.control.dns_records() == []


def test_the_sandbox_record_without_the_control_token_says_which_variable_to_set(
    sandbox: Any,
) -> None:
    config = sandbox_stack(
        sandbox, PROJECT, dnsProvider="sandbox", domainName="dns.example.com", dcvWaitSeconds="1"
    )
    # Hosts scrub DIGICERT_* from their environment: the token is not there.
    engine = HostEngine(project=PROJECT, stack="sandbox", config=config)
    with pytest.raises(DeploymentError) as failed:
        engine.up(program)
    message = str(failed.value.__cause__ or failed.value)
    assert "export DIGICERT_SANDBOX_CONTROL_TOKEN before pulumi up" in message
    assert sandbox.control.dns_records() == []
