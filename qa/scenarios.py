"""The one set of scenarios: what the tests, the benchmarks and the campaign declare.

Values are written as a program declares them (whole numbers as ``int``). A test that calls a
provider method directly hands it what the engine would, numbers as floats (DESIGN.md: numbers
cross the engine as floats): :func:`as_the_engine_sends` converts. Override a field with
``{**ORGANIZATION, "name": ...}`` rather than writing a new organization.

The address and the contact are also valid CertCentral request bodies (API.md A1: the
organization's fields have the same names), so code that arranges objects in a sandbox over plain
HTTP posts them too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

ADDRESS: dict[str, Any] = {
    "address": "1 Main St",
    "city": "Lehi",
    "state": "Utah",
    "zip": "84043",
    "country": "us",
}
"""A postal address: an organization's, and a card's billing address."""

TELEPHONE = "+1 555 0100"

CONTACT: dict[str, Any] = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "job_title": "CTO",
    "telephone": TELEPHONE,
}

OTHER_CONTACT: dict[str, Any] = {
    **CONTACT,
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@example.com",
}
"""The contact an update changes :data:`CONTACT` to."""

ORGANIZATION: dict[str, Any] = {
    "name": "Acme Corp",
    **ADDRESS,
    "telephone": TELEPHONE,
    "organization_contact": CONTACT,
}
"""An organization's arguments (no validations: add ``"validations": [{"type": "ov"}]``)."""

BILLING_ADDRESS: dict[str, Any] = dict(ADDRESS)

SUBJECT: dict[str, Any] = {
    "name": "Signing Desk",
    "job_title": "Release Engineering",
    "phone": "+1 801 555 0100",
    "email": "signing@example.com",
}
"""A document signing order's subject: the order page requires all four fields (seed 003)."""

CARD_NUMBER = "4111111111111111"

CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"


def card(number: str = CARD_NUMBER, *, cvv: int = 123) -> dict[str, Any]:
    """The order page's ``credit_card`` object (seed 003: integers where it says integer)."""
    return {
        "number": number,
        "expiration_month": 12,
        "expiration_year": 2031,
        "cvv": cvv,
        "cardholder_name": "Ada Lovelace",
    }


def by_card(number: str = CARD_NUMBER) -> dict[str, Any]:
    """The arguments that make a document signing order pay by card."""
    return {
        "payment_method": "card",
        "credit_card": card(number),
        "billing_address": BILLING_ADDRESS,
    }


def as_the_engine_sends(value: Any) -> Any:
    """``value`` as the engine hands it to a provider: every number a float, recursively."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, Mapping):
        return {key: as_the_engine_sends(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_the_engine_sends(item) for item in value]
    return value


def stack_config(server: Any, **extra: str) -> dict[str, str]:
    """Stack configuration that points the provider at a sandbox (keys as the engine sends
    them); ``extra`` adds settings (``**{"digicert:maxRetries": "1"}``)."""
    return {
        "digicert:apiKey": server.api_key,
        "digicert:baseUrl": server.services_url,
        "digicert:partnerApiKey": server.partner_api_key,
        "digicert:partnerBaseUrl": server.partner_url,
        **extra,
    }


#: DigiCert's published limits per API key: (requests, seconds) for the burst and the sustained
#: window. The sandbox enforces the same ones by default.
DIGICERT_WINDOWS: tuple[tuple[int, float], tuple[int, float]] = ((100, 5.0), (1000, 180.0))


@dataclass(frozen=True)
class Windows:
    """The rate limits a run enforces (both at the sandbox and in the provider's limiter)."""

    burst_limit: int = 100
    burst_window: float = 5.0
    sustained_limit: int = 1000
    sustained_window: float = 180.0

    @classmethod
    def digicert(cls, scale: float = 1.0) -> Windows:
        """DigiCert's limits, with both window lengths multiplied by ``scale``."""
        (burst, burst_s), (sustained, sustained_s) = DIGICERT_WINDOWS
        return cls(burst, burst_s * scale, sustained, sustained_s * scale)

    def pairs(self) -> tuple[tuple[int, float], ...]:
        return (
            (self.burst_limit, self.burst_window),
            (self.sustained_limit, self.sustained_window),
        )

    def limits(self) -> dict[str, Any]:
        """The sandbox's settings for these windows (``SandboxServer(**limits)``)."""
        return asdict(self)

    def sandbox_settings(self) -> dict[str, Any]:
        """The sandbox's settings to enforce these windows (``control.update_settings``)."""
        return {"rate_limit_enabled": True, **self.limits()}

    def provider_config(self) -> dict[str, str]:
        """The provider's settings for these windows (its own limiter keeps under them)."""
        return {
            "digicert:rateLimitBurst": f"{self.burst_limit}/{self.burst_window:g}",
            "digicert:rateLimitSustained": f"{self.sustained_limit}/{self.sustained_window:g}",
        }

    def describe(self) -> str:
        """``100/5s, 1000/180s``."""
        return (
            f"{self.burst_limit}/{self.burst_window:g}s, "
            f"{self.sustained_limit}/{self.sustained_window:g}s"
        )


RESOURCE_TYPES = (
    "Organization",
    "DomainValidation",
    "DomainValidationCheck",
    "DocumentSigningOrder",
    "BillingAccountLink",
)
"""The resource classes, in the order :func:`one_of_each` declares them."""


def one_of_each(
    *,
    organization: Mapping[str, Any] | None = None,
    domain: Mapping[str, Any] | None = None,
    check: Mapping[str, Any] | None = None,
    order: Mapping[str, Any] | None = None,
    billing_account_api_key: str = "placeholder-billing-key",
    check_token: bool = False,
) -> Callable[[], None]:
    """A program that declares one resource of each type, as a user's stack does: an
    organization, a domain validated for it, the domain's DCV check, a document signing order
    for the organization, and a billing link. Each mapping overrides that resource's arguments
    (a literal ``organization_id``/``domain_id`` instead of the reference, say). References use
    the parent's ``id``, as the README asks; ``check_token`` also hands the check the domain's
    ``dcv_token``, as the README advises so that a new token is checked again. Names: ``org``,
    ``domain``, ``domain-check``, ``order``, ``billing``."""

    def program() -> None:
        import pulumi_digicert as digicert

        org = digicert.Organization("org", **{**ORGANIZATION, **(organization or {})})
        dv = digicert.DomainValidation(
            "domain",
            **{"domain_name": "example.com", "organization_id": org.id, **(domain or {})},
        )
        token = {"dcv_token": dv.dcv_token} if check_token else {}
        digicert.DomainValidationCheck(
            "domain-check", **{"domain_id": dv.id, **token, **(check or {})}
        )
        digicert.DocumentSigningOrder(
            "order",
            **{
                "product": "document_signing_org_1",
                "organization_id": org.id,
                "validity_years": 1,
                "subject": SUBJECT,
                **(order or {}),
            },
        )
        digicert.BillingAccountLink("billing", billing_account_api_key=billing_account_api_key)

    return program
