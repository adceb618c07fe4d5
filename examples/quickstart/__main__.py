"""pulumi-digicert quickstart: an organization, a domain to validate and a document signing order.

Run it from the repository root (`Pulumi.yaml` there points here):

    bash scripts/quickstart.sh        # starts a local sandbox and runs this program against it

or, with a sandbox already running on port 8787 (`digicert-sandbox`):

    pulumi stack select --create dev && pulumi up

Stack config read here (all optional):

    domainName               the domain to validate (default quickstart.example.com)
    dcvMethod                dns-txt-token (default), dns-cname-token, http-token or email
    waitForIssuanceSeconds   how long `up` waits for the order to be issued (default 0)
"""

from __future__ import annotations

import pulumi

import pulumi_digicert as digicert

config = pulumi.Config()
domain_name = config.get("domainName") or "quickstart.example.com"
dcv_method = config.get("dcvMethod") or "dns-txt-token"
wait_for_issuance = config.get_float("waitForIssuanceSeconds") or 0

contact = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "job_title": "Security Lead",
    "telephone": "+1 801 555 0100",
}

# The legal entity named on certificates. CertCentral cannot change an organization's legal
# identity (a change replaces it). Deleting the resource keeps the organization in CertCentral
# (set delete_on_destroy=True to delete it); the line `organization ... kept` says so.
organization = digicert.Organization(
    "acme",
    name="Acme Quickstart Ltd",
    address="1 Example Way",
    city="Lehi",
    state="Utah",
    zip="84043",
    country="us",
    telephone="+1 801 555 0100",
    organization_contact=contact,
    validations=[{"type": "ov"}],
)

# The domain, validated for the organization. References use the parent's `id`, which stays
# known while the parent is updated in place, so the preview shows no change here then.
# Publish `dcv_token` in DNS to prove control (examples/dns-validation does that).
domain = digicert.DomainValidation(
    "quickstart-domain",
    domain_name=domain_name,
    organization_id=organization.id,
    validations=["ov"],
    dcv_method=dcv_method,
)

# A purchase. Its alternative_order_id is derived from the project, stack, resource name and
# the fields that define the certificate, so a re-run never orders twice. Once issued, a refresh
# within 30 days of its end finds it due, and `up --refresh` places its renewal (README: Renewal).
order = digicert.DocumentSigningOrder(
    "release-signing",
    product="document_signing_org_1",
    organization_id=organization.id,
    validity_years=1,
    subject={
        "name": "Release Engineering",
        "job_title": "Signing Desk",
        "phone": contact["telephone"],
        "email": contact["email"],
    },
    payment_method="balance",
    wait_for_issuance_seconds=wait_for_issuance,
    renew_within_days=30,
)

pulumi.export("organization_id", organization.organization_id)
pulumi.export("organization_status", organization.status)
pulumi.export("domain_id", domain.domain_id)
pulumi.export("dcv_method", dcv_method)
pulumi.export("dcv_token", domain.dcv_token)
pulumi.export("domain_validation_status", domain.validation_status)
pulumi.export("order_id", order.order_id)
pulumi.export("order_status", order.status)
pulumi.export("request_status", order.request_status)
pulumi.export("alternative_order_id", order.alternative_order_id)
