"""The DigiCert policy rules: resource rules and stack rules, with their config and defaults.

Each rule is a plain function ``(args, report_violation) -> None`` so tests can call it with a
``ResourceValidationArgs`` / ``StackValidationArgs``; :data:`POLICIES` wraps them as
pulumi-policy policies with a name, description, default enforcement level and config schema.

Rules match resources by type token (``pulumi-python:dynamic/digicert:<ClassName>``) and never
read a value that is unknown during preview: a check that needs such a value is skipped, and runs
again when ``pulumi up`` analyzes the resolved inputs. Messages name the resource and the fix, and
show every value through :func:`~digicert_policies.values.shown`, so a value the program marked
secret appears as ``[secret]`` (and its length is not told either).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from .values import (
    BILLING_ACCOUNT_LINK,
    DOCUMENT_SIGNING_ORDER,
    DOMAIN_VALIDATION,
    ORGANIZATION,
    SECRET_TEXT,
    TYPE_PREFIX,
    DigiCertResource,
    SecretValue,
    as_int,
    as_number,
    contains_secret,
    is_unknown,
    keep_secret_markers,
    matches_recorded_fingerprint,
    names,
    shown,
    shown_number,
    unwrap,
    view,
)

PACK_NAME: Final = "digicert"

DOCUMENT_SIGNING_PRODUCTS: Final = ("document_signing_org_1", "document_signing_org_2")
PAYMENT_METHODS: Final = ("balance", "card", "profile")
DCV_METHODS: Final = ("email", "dns-txt-token", "dns-cname-token", "http-token")
DEFAULT_DCV_METHOD: Final = "dns-txt-token"
DEFAULT_PAYMENT_METHOD: Final = "balance"
MAX_ALTERNATIVE_ORDER_ID_LENGTH: Final = 64
_ALPHANUMERIC: Final = re.compile(r"[A-Za-z0-9]+")

# Policy names (stable: users refer to them in their policy config files).
ALTERNATIVE_ORDER_ID: Final = "digicert-order-alternative-order-id"
PRODUCT_AND_VALIDITY: Final = "digicert-order-product-and-validity"
PAYMENT_METHOD: Final = "digicert-order-payment-method"
SKIP_APPROVAL: Final = "digicert-order-skip-approval"
PROVISIONING: Final = "digicert-order-provisioning"
RENEWAL: Final = "digicert-order-renewal"
DCV_METHOD: Final = "digicert-domain-dcv-method"
ORGANIZATION_BY_ID: Final = "digicert-organization-by-id"
UNIQUE_ALTERNATIVE_ORDER_IDS: Final = "digicert-unique-alternative-order-ids"
UNIQUE_ORGANIZATIONS: Final = "digicert-unique-organizations"
DOMAIN_ORGANIZATION_IN_STACK: Final = "digicert-domain-organization-in-stack"
ONE_BILLING_LINK_PER_PARTNER: Final = "digicert-one-billing-link-per-partner-account"

# Config schemas: the single place where each setting and its default is written down.
CONFIG_SCHEMAS: Final[Mapping[str, Mapping[str, dict[str, Any]]]] = {
    PRODUCT_AND_VALIDITY: {
        "allowedProducts": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(DOCUMENT_SIGNING_PRODUCTS),
            "description": "Products a DocumentSigningOrder may order.",
        },
        "maxValidityYears": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3,
            "default": 3,
            "description": "Largest validity_years an order may ask for.",
        },
    },
    PAYMENT_METHOD: {
        "allowedPaymentMethods": {
            "type": "array",
            "items": {"type": "string", "enum": list(PAYMENT_METHODS)},
            "default": list(PAYMENT_METHODS),
            "description": "Payment methods an order may use (unset means balance). "
            'Use ["balance", "profile"] to forbid cards, e.g. in stacks applied from CI.',
        },
    },
    SKIP_APPROVAL: {
        "allowSkipApproval": {
            "type": "boolean",
            "default": False,
            "description": "Allow skip_approval on every order.",
        },
        "allowedOrders": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Names of the orders (Pulumi resource names) that may skip approval.",
        },
    },
    RENEWAL: {
        "minRenewWithinDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 180,
            "default": 30,
            "description": "Smallest renew_within_days an order may set: a renewal waits for "
            "approval and DigiCert's validation, so a window of a few days risks a lapse.",
        },
        "exemptOrders": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Names of the orders (Pulumi resource names) that need not renew "
            "from the stack.",
        },
    },
    DCV_METHOD: {
        "allowedDcvMethods": {
            "type": "array",
            "items": {"type": "string", "enum": list(DCV_METHODS)},
            "default": ["dns-txt-token", "dns-cname-token", "http-token"],
            "description": "DCV methods a DomainValidation may use (unset means dns-txt-token). "
            "email is left out by default: it needs a person to click a link.",
        },
    },
    DOMAIN_ORGANIZATION_IN_STACK: {
        "allowedOrganizationIds": {
            "type": "array",
            "items": {"type": ["integer", "string"]},
            "default": [],
            "description": "Ids of organizations managed outside this stack that its domains "
            "may belong to.",
        },
    },
}


def setting(policy_name: str, config: Mapping[str, Any], key: str) -> Any:
    """A config value, or its default from :data:`CONFIG_SCHEMAS`."""
    if key in config and config[key] is not None:
        return config[key]
    return CONFIG_SCHEMAS[policy_name][key]["default"]


def _string_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return [str(item) for item in value]
    return []


def _quoted(items: Sequence[str]) -> str:
    return ", ".join(f"'{item}'" for item in items) if items else "(none)"


def _resource(args: ResourceValidationArgs, *kinds: str) -> DigiCertResource | None:
    """The resource under validation when it is this provider's, of one of ``kinds``."""
    resource = view(args.resource_type, args.name, args.urn, args.props)
    return resource if resource is not None and resource.kind in kinds else None


def _method_and_allowed(
    args: ResourceValidationArgs, kind: str, field: str, default: str, allowed_in: tuple[str, str]
) -> tuple[DigiCertResource, Any, list[str]] | None:
    """For a resource of ``kind``: the method it declares in ``field`` (the provider's
    ``default`` when unset) and the methods allowed by ``allowed_in`` (policy name, config
    key); ``None`` for any other resource."""
    resource = _resource(args, kind)
    if resource is None:
        return None
    method = resource.get(field)
    allowed = _string_list(setting(allowed_in[0], args.get_config(), allowed_in[1]))
    return resource, default if method is None else method, allowed


def _stack_resources(args: StackValidationArgs) -> list[tuple[DigiCertResource, PolicyResource]]:
    """This provider's resources in the stack, each with its PolicyResource."""
    found: list[tuple[DigiCertResource, PolicyResource]] = []
    for item in args.resources:
        resource = view(item.resource_type, item.name, item.urn, item.props)
        if resource is not None:
            found.append((resource, item))
    return found


def _is_true(value: Any) -> bool:
    value = unwrap(value)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return value is True or (isinstance(value, (int, float)) and value == 1)


# --- resource rules ---------------------------------------------------------------------------


def check_alternative_order_id(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Orders carry an alternative_order_id of at most 64 alphanumeric characters."""
    order = _resource(args, DOCUMENT_SIGNING_ORDER)
    if order is None or order.is_unknown("alternative_order_id"):
        return
    value = order.get("alternative_order_id")
    if value is None or value == "":
        report(
            f"{order.label} has no alternative_order_id, so a lost API response or a re-run "
            "could place a second, billable order. Fix: leave alternative_order_id unset to "
            "use the id the provider derives, or set one of at most 64 letters and digits.",
            None,
        )
        return
    if not isinstance(value, str):
        report(
            f"{order.label} has an alternative_order_id that is not a string. Fix: use at most "
            "64 letters and digits.",
            None,
        )
        return
    secret = order.is_secret_anywhere("alternative_order_id")
    problems: list[str] = []
    if len(value) > MAX_ALTERNATIVE_ORDER_ID_LENGTH:
        length = "more than 64" if secret else str(len(value))
        problems.append(f"{length} characters long (DigiCert allows at most 64)")
    if not _ALPHANUMERIC.fullmatch(value):
        problems.append("not alphanumeric (only A-Z, a-z and 0-9 are allowed)")
    if problems:
        report(
            f"{order.label} has alternative_order_id {order.shown('alternative_order_id')} that is "
            + " and ".join(problems)
            + ". Fix: shorten it or drop the other characters, or leave it unset to use the "
            "derived default.",
            None,
        )


def check_product_and_validity(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Orders use an allowed product and at most the allowed validity."""
    order = _resource(args, DOCUMENT_SIGNING_ORDER)
    if order is None:
        return
    config = args.get_config()
    allowed = _string_list(setting(PRODUCT_AND_VALIDITY, config, "allowedProducts"))
    product = order.get("product")
    if isinstance(product, str) and product not in allowed:
        report(
            f"{order.label} orders product {order.shown('product')}, which this stack's policy "
            "does not "
            f"allow. Fix: use one of {_quoted(allowed)}, or add the product to allowedProducts "
            f"in the {PRODUCT_AND_VALIDITY} policy config.",
            None,
        )
    max_years = as_number(setting(PRODUCT_AND_VALIDITY, config, "maxValidityYears"))
    years = as_number(order.get("validity_years"))
    if max_years is not None and years is not None and years > max_years:
        report(
            f"{order.label} asks for validity_years={shown_number(order.raw('validity_years'))}, "
            "more than the allowed "
            f"{max_years:g}. Fix: set validity_years to {max_years:g} or less, or raise "
            f"maxValidityYears in the {PRODUCT_AND_VALIDITY} policy config.",
            None,
        )


def check_payment_method(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Orders pay with an allowed method; a card is always a secret."""
    found = _method_and_allowed(
        args,
        DOCUMENT_SIGNING_ORDER,
        "payment_method",
        DEFAULT_PAYMENT_METHOD,
        (PAYMENT_METHOD, "allowedPaymentMethods"),
    )
    if found is None:
        return
    order, method, allowed = found
    if isinstance(method, str) and method not in allowed:
        method_shown = shown(order.raw("payment_method") or method)
        report(
            f"{order.label} pays with payment_method {method_shown}, which this stack's policy "
            f"does not allow. Fix: use one of {_quoted(allowed)} (for example pay from the "
            f"account balance), or change allowedPaymentMethods in the {PAYMENT_METHOD} policy "
            "config.",
            None,
        )
    if order.has("credit_card") and not order.is_secret("credit_card"):
        report(
            f"{order.label} carries credit_card as plain text, so the card would be readable "
            "in the state and the preview. Fix: read it from secret config with "
            "pulumi.Config().require_secret_object(...) (set with `pulumi config set --secret`) "
            "or wrap it in pulumi.Output.secret(...).",
            None,
        )


def check_skip_approval(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """skip_approval only where the policy config allows it."""
    order = _resource(args, DOCUMENT_SIGNING_ORDER)
    if order is None:
        return
    if not _is_true(order.get("skip_approval")):
        return
    config = args.get_config()
    if _is_true(setting(SKIP_APPROVAL, config, "allowSkipApproval")):
        return
    if order.name in _string_list(setting(SKIP_APPROVAL, config, "allowedOrders")):
        return
    flag = SECRET_TEXT if order.is_secret_anywhere("skip_approval") else "True"
    report(
        f"{order.label} sets skip_approval={flag}, which bypasses the approval step for a "
        "billable order. Fix: remove skip_approval, or allow it for this order by adding "
        f"'{order.name}' to allowedOrders (or allowSkipApproval: true) in the {SKIP_APPROVAL} "
        "policy config.",
        None,
    )


def check_provisioning(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """ship_token provisioning needs ship_info; email provisioning needs a CSR."""
    order = _resource(args, DOCUMENT_SIGNING_ORDER)
    if order is None:
        return
    method = order.get("cs_provisioning_method")
    method_shown = order.shown("cs_provisioning_method")
    if method == "ship_token" and not order.has("ship_info"):
        report(
            f"{order.label} uses cs_provisioning_method {method_shown} without ship_info, so "
            "DigiCert would ship the hardware token to the account's default address. Fix: set "
            "ship_info with the delivery address and method ('standard' or 'expedited').",
            None,
        )
    if method == "email" and not order.has("csr"):
        report(
            f"{order.label} uses cs_provisioning_method {method_shown} without a csr; DigiCert "
            "requires "
            "one to issue onto your own HSM. Fix: set csr to the PEM certificate signing request "
            "generated on the HSM.",
            None,
        )


def check_renewal(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Orders renew from the stack: renew_within_days is set, to at least the minimum."""
    order = _resource(args, DOCUMENT_SIGNING_ORDER)
    if order is None:
        return
    config = args.get_config()
    if order.name in _string_list(setting(RENEWAL, config, "exemptOrders")):
        return
    if order.is_unknown("renew_within_days"):
        return  # checked again on `up`, with the value
    minimum = as_number(setting(RENEWAL, config, "minRenewWithinDays"))
    if not order.has("renew_within_days"):
        report(
            f"{order.label} does not set renew_within_days, so its certificate is not renewed "
            "from the stack and lapses unless someone renews it in CertCentral. Fix: set "
            f"renew_within_days (at least {minimum:g}), or add '{order.name}' to exemptOrders "
            f"in the {RENEWAL} policy config.",
            None,
        )
        return
    days = as_number(order.get("renew_within_days"))
    if minimum is not None and days is not None and days < minimum:
        report(
            f"{order.label} sets renew_within_days={shown_number(order.raw('renew_within_days'))}"
            f", less than the {minimum:g} days a renewal may need to be approved and issued. "
            f"Fix: set renew_within_days to {minimum:g} or more, or lower minRenewWithinDays in "
            f"the {RENEWAL} policy config.",
            None,
        )


def check_dcv_method(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Domains use an allowed DCV method, and never http-token for a wildcard name."""
    found = _method_and_allowed(
        args, DOMAIN_VALIDATION, "dcv_method", DEFAULT_DCV_METHOD, (DCV_METHOD, "allowedDcvMethods")
    )
    if found is None:
        return
    domain, method, allowed = found
    if not isinstance(method, str):
        return
    secret_method = domain.is_secret_anywhere("dcv_method")
    method_shown = shown(domain.raw("dcv_method") or method)
    if method not in allowed:
        reason = (
            " (email needs a person to act on a DigiCert email, so it cannot be automated)"
            if method == "email" and not secret_method
            else ""
        )
        report(
            f"{domain.label} uses dcv_method {method_shown}, which this stack's policy does not "
            f"allow{reason}. Fix: use one of {_quoted(allowed)} and publish the token with a "
            f"DNS resource, or change allowedDcvMethods in the {DCV_METHOD} policy config.",
            None,
        )
    domain_name = domain.get("domain_name")
    if method == "http-token" and isinstance(domain_name, str) and domain_name.startswith("*."):
        report(
            f"{domain.label} validates the wildcard name {domain.shown('domain_name')} with "
            f"dcv_method {method_shown}, which DigiCert refuses for wildcard names. Fix: use "
            "'dns-txt-token' or 'dns-cname-token'.",
            None,
        )


def check_organization_by_id(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Orders and domains reference their organization by id, not by inline details."""
    resource = _resource(args, DOCUMENT_SIGNING_ORDER, DOMAIN_VALIDATION)
    if resource is None:
        return
    if resource.has("organization"):
        inline = resource.get("organization")
        described = ""
        if isinstance(inline, Mapping):
            name = inline.get("name")
            if isinstance(unwrap(name), str) and unwrap(name):
                # A secret organization object hides every value inside it.
                whole_secret = isinstance(resource.raw("organization"), SecretValue)
                described = f" ({SECRET_TEXT if whole_secret else shown(name)})"
        report(
            f"{resource.label} describes its organization inline{described} instead of naming "
            "it by id. DigiCert matches inline details against existing organizations and may "
            "create a new one that needs its own validation; DigiCert recommends always passing "
            "the organization id. Fix: remove organization and set organization_id to the id "
            "of a digicert.Organization resource (organization_id=organization.id) or to the id "
            "of an existing organization.",
            None,
        )
        return
    if not resource.has("organization_id"):
        report(
            f"{resource.label} names no organization. Fix: set organization_id to the id of a "
            "digicert.Organization resource (organization_id=organization.id) or to the id of an "
            "existing organization.",
            None,
        )
        return
    value = resource.raw("organization_id")
    if is_unknown(value):
        return
    organization_id = as_int(value)
    if organization_id is None or organization_id <= 0:
        report(
            f"{resource.label} gives organization_id {shown(value)}, which is not an "
            "organization id (a positive whole number such as 123456). Fix: use the id of a "
            "digicert.Organization resource (organization_id=organization.id) or the numeric id "
            "shown in CertCentral, not the organization's name.",
            None,
        )


# --- stack rules ------------------------------------------------------------------------------


def check_unique_alternative_order_ids(args: StackValidationArgs, report: ReportViolation) -> None:
    """No two orders in the stack share an alternative_order_id."""
    by_id: dict[str, list[DigiCertResource]] = defaultdict(list)
    for resource, _ in _stack_resources(args):
        if resource.kind != DOCUMENT_SIGNING_ORDER:
            continue
        value = resource.get("alternative_order_id")
        if isinstance(value, str) and value:
            by_id[value].append(resource)
    for orders in by_id.values():
        if len(orders) < 2:
            continue
        # One secret holder hides the value in every message of the group.
        secret = any(order.is_secret_anywhere("alternative_order_id") for order in orders)
        value_shown = SECRET_TEXT if secret else orders[0].shown("alternative_order_id")
        for order in orders:
            others = [other for other in orders if other is not order]
            report(
                f"{order.label} shares alternative_order_id {value_shown} with "
                f"{DOCUMENT_SIGNING_ORDER} {names(others)}. The provider looks orders up by this "
                "id before buying, so one of them would adopt the other's order instead of "
                "placing its own. Fix: give each order its own alternative_order_id, or leave it "
                "unset to use the derived default (unique per resource).",
                order.urn,
            )


# The legal identity the provider matches an existing organization on before it creates one
# (pulumi_digicert.resources.organization.same_identity: create adopts an active organization
# whose text fields are equal ignoring case and runs of spaces, and whose container is the
# declared one when one is declared; diff compares the same way). Two declarations that differ
# in any of these create two organizations (the provider overrides CertCentral's own, looser
# duplicate check), so only the same identity is one organization.
ORGANIZATION_IDENTITY: Final = (
    "name",
    "assumed_name",
    "address",
    "address2",
    "city",
    "state",
    "zip",
    "country",
    "telephone",
)


def _identity_text(value: Any) -> str:
    return " ".join(str(value if value is not None else "").split()).casefold()


@dataclass(frozen=True)
class _OrganizationIdentity:
    text: tuple[str, ...]
    container_id: int | None

    def same_as(self, other: _OrganizationIdentity) -> bool:
        # An undeclared container matches any: the provider then adopts from every container.
        containers_differ = (
            self.container_id is not None
            and other.container_id is not None
            and self.container_id != other.container_id
        )
        return self.text == other.text and not containers_differ


def _organization_identity(organization: DigiCertResource) -> _OrganizationIdentity | None:
    """The organization's legal identity, or None while any part of it is unknown."""
    if any(organization.is_unknown(key) for key in (*ORGANIZATION_IDENTITY, "container_id")):
        return None
    if not organization.has("name"):
        return None  # state without inputs: only the id can tell
    return _OrganizationIdentity(
        text=tuple(_identity_text(organization.get(key)) for key in ORGANIZATION_IDENTITY),
        container_id=as_int(organization.get("container_id")),
    )


def check_unique_organizations(args: StackValidationArgs, report: ReportViolation) -> None:
    """No two Organization declarations in the stack describe one organization."""
    organizations: list[tuple[DigiCertResource, _OrganizationIdentity | None, int | None]] = []
    for resource, _ in _stack_resources(args):
        if resource.kind != ORGANIZATION:
            continue
        if resource.is_unknown("skip_duplicate_org_check"):
            continue
        organization_id = as_int(resource.get("organization_id"))
        organizations.append(
            (
                resource,
                _organization_identity(resource),
                organization_id if organization_id and organization_id > 0 else None,
            )
        )

    def one_organization(
        first: tuple[DigiCertResource, _OrganizationIdentity | None, int | None],
        second: tuple[DigiCertResource, _OrganizationIdentity | None, int | None],
    ) -> bool:
        (a, a_identity, a_id), (b, b_identity, b_id) = first, second
        if a_id is not None and a_id == b_id:
            return True  # both already hold the same CertCentral organization
        if _is_true(a.get("skip_duplicate_org_check")) and _is_true(
            b.get("skip_duplicate_org_check")
        ):
            return False  # each creates its own, never adopting
        return a_identity is not None and b_identity is not None and a_identity.same_as(b_identity)

    for entry in organizations:
        organization = entry[0]
        others = [
            other[0]
            for other in organizations
            if other[0] is not organization and one_organization(entry, other)
        ]
        if not others:
            continue
        report(
            f"{organization.label} declares the same organization as {ORGANIZATION} "
            f"{names(others)}: the same legal name, address, country and telephone (compared "
            "ignoring case and spacing) or the same organization_id. The provider adopts an "
            "existing organization with these details instead of creating one, so the "
            "declarations would hold one CertCentral organization, and what one of them does "
            "to it (a replacement, a delete with delete_on_destroy) happens to the organization "
            "the other still uses. Fix: declare the organization once and pass its id to every "
            "resource that needs it (organization_id=organization.id), or set "
            "skip_duplicate_org_check=True on each declaration that must be an organization of "
            "its own.",
            organization.urn,
        )


def check_domain_organization_in_stack(args: StackValidationArgs, report: ReportViolation) -> None:
    """Every DomainValidation belongs to an Organization of this stack or an allowed id."""
    resources = _stack_resources(args)
    organization_urns = {resource.urn for resource, _ in resources if resource.kind == ORGANIZATION}
    stack_organization_ids = {
        organization_id
        for resource, _ in resources
        if resource.kind == ORGANIZATION
        for organization_id in [as_int(resource.get("organization_id"))]
        if organization_id is not None
    }
    allowed_ids = {
        organization_id
        for item in _string_list(
            setting(DOMAIN_ORGANIZATION_IN_STACK, args.get_config(), "allowedOrganizationIds")
        )
        for organization_id in [as_int(item)]
        if organization_id is not None
    }
    fix = (
        "Fix: set organization_id to the id of a digicert.Organization declared in this stack "
        "(organization_id=organization.id), or add the id to allowedOrganizationIds in the "
        f"{DOMAIN_ORGANIZATION_IN_STACK} policy config."
    )
    for domain, policy_resource in resources:
        if domain.kind != DOMAIN_VALIDATION:
            continue
        sources = (policy_resource.property_dependencies or {}).get("organization_id") or []
        if any(
            source.urn in organization_urns or source.resource_type == TYPE_PREFIX + ORGANIZATION
            for source in sources
        ):
            continue
        value = domain.raw("organization_id")
        if value is None:
            report(f"{domain.label} has no organization_id. {fix}", domain.urn)
            continue
        if is_unknown(value):
            report(
                f"{domain.label} takes its organization_id from a value that is unknown during "
                "preview and does not come from an Organization of this stack, so the "
                f"organization cannot be checked. {fix}",
                domain.urn,
            )
            continue
        organization_id = as_int(value)
        if organization_id in stack_organization_ids or organization_id in allowed_ids:
            continue
        if contains_secret(value):
            organization_shown = SECRET_TEXT
        elif organization_id is not None:
            organization_shown = str(organization_id)
        else:
            organization_shown = shown(value)
        listed = ", ".join(sorted(str(item) for item in allowed_ids)) or "empty"
        report(
            f"{domain.label} belongs to organization {organization_shown}, which is neither an "
            "Organization "
            f"of this stack nor listed in allowedOrganizationIds ({listed}). {fix}",
            domain.urn,
        )


@dataclass(frozen=True)
class _PartnerAccount:
    """What a BillingAccountLink says about the partner account it configures."""

    key: str | None = None
    """The partner key, when the inputs still carry it (preview of a new or changed link)."""
    recorded: str | None = None
    """The provider's salted fingerprint of the key, when only the state carries it."""

    @property
    def is_default(self) -> bool:
        return self.key is None and self.recorded is None

    def same_as(self, other: _PartnerAccount) -> bool:
        if self.is_default or other.is_default:
            return self.is_default and other.is_default
        if self.key is not None and other.key is not None:
            return self.key == other.key
        if self.key is not None and other.recorded is not None:
            return matches_recorded_fingerprint(self.key, other.recorded)
        if self.recorded is not None and other.key is not None:
            return matches_recorded_fingerprint(other.key, self.recorded)
        # Two salted fingerprints never compare equal; both links were checked when added.
        return self.recorded == other.recorded


def _partner_account(link: DigiCertResource) -> _PartnerAccount | None:
    """The partner account a link configures; None when it is not known yet."""
    if link.has("partner_api_key"):
        if link.is_unknown("partner_api_key"):
            return None
        key = link.get("partner_api_key")
        return _PartnerAccount(key=str(key)) if key else _PartnerAccount()
    if link.is_unknown("partner_api_key_fingerprint"):
        return None
    recorded = link.get("partner_api_key_fingerprint")
    if isinstance(recorded, str) and recorded:
        return _PartnerAccount(recorded=recorded)
    return _PartnerAccount()


def check_one_billing_link_per_partner(args: StackValidationArgs, report: ReportViolation) -> None:
    """At most one BillingAccountLink per partner account."""
    links: list[tuple[DigiCertResource, _PartnerAccount]] = []
    for resource, _ in _stack_resources(args):
        if resource.kind != BILLING_ACCOUNT_LINK:
            continue
        account = _partner_account(resource)
        if account is not None:
            links.append((resource, account))
    for link, account in links:
        others = [
            other
            for other, other_account in links
            if other is not link and account.same_as(other_account)
        ]
        if not others:
            continue
        which = (
            "the default partner account (digicert:partnerApiKey)"
            if account.is_default
            else "the same partner account (the same partner_api_key)"
        )
        report(
            f"{link.label} links {which} as {BILLING_ACCOUNT_LINK} {names(others)}. A partner "
            "account has one billing account, so whichever link is applied last silently wins. "
            "Fix: keep one BillingAccountLink per partner account; to link a subaccount, set "
            "partner_api_key to that subaccount's key.",
            link.urn,
        )


# --- the policies -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """One rule: its name, what it checks, its default level and (optional) config."""

    name: str
    description: str
    validate: Callable[[Any, ReportViolation], None]
    enforcement_level: EnforcementLevel
    stack: bool = False


RULES: Final[tuple[RuleSpec, ...]] = (
    RuleSpec(
        ALTERNATIVE_ORDER_ID,
        "Document signing orders carry an alternative_order_id of at most 64 alphanumeric "
        "characters (it keeps a re-run from buying twice).",
        check_alternative_order_id,
        EnforcementLevel.MANDATORY,
    ),
    RuleSpec(
        PRODUCT_AND_VALIDITY,
        "Document signing orders use an allowed product and at most the allowed validity.",
        check_product_and_validity,
        EnforcementLevel.MANDATORY,
    ),
    RuleSpec(
        PAYMENT_METHOD,
        "Document signing orders pay with an allowed payment method; a card is a secret.",
        check_payment_method,
        EnforcementLevel.MANDATORY,
    ),
    RuleSpec(
        SKIP_APPROVAL,
        "Document signing orders skip approval only where the policy config allows it.",
        check_skip_approval,
        EnforcementLevel.MANDATORY,
    ),
    RuleSpec(
        PROVISIONING,
        "Document signing orders provisioned by ship_token have ship_info; by email, a CSR.",
        check_provisioning,
        EnforcementLevel.MANDATORY,
    ),
    RuleSpec(
        RENEWAL,
        "Document signing orders renew from the stack: renew_within_days is set, to at least "
        "the configured minimum.",
        check_renewal,
        EnforcementLevel.ADVISORY,
    ),
    RuleSpec(
        DCV_METHOD,
        "Domain validations use an allowed DCV method, and no http-token for wildcard names.",
        check_dcv_method,
        EnforcementLevel.MANDATORY,
    ),
    RuleSpec(
        ORGANIZATION_BY_ID,
        "Orders and domains reference their organization by id, as DigiCert recommends.",
        check_organization_by_id,
        EnforcementLevel.ADVISORY,
    ),
    RuleSpec(
        UNIQUE_ALTERNATIVE_ORDER_IDS,
        "No two document signing orders in the stack share an alternative_order_id.",
        check_unique_alternative_order_ids,
        EnforcementLevel.MANDATORY,
        stack=True,
    ),
    RuleSpec(
        UNIQUE_ORGANIZATIONS,
        "No two Organization declarations in the stack describe one organization (the same legal "
        "identity, ignoring case and spacing, or the same organization_id).",
        check_unique_organizations,
        EnforcementLevel.MANDATORY,
        stack=True,
    ),
    RuleSpec(
        DOMAIN_ORGANIZATION_IN_STACK,
        "Every domain validation belongs to an Organization of this stack or an allowed id.",
        check_domain_organization_in_stack,
        EnforcementLevel.MANDATORY,
        stack=True,
    ),
    RuleSpec(
        ONE_BILLING_LINK_PER_PARTNER,
        "At most one billing account link per partner account.",
        check_one_billing_link_per_partner,
        EnforcementLevel.MANDATORY,
        stack=True,
    ),
)


def _config_schema(name: str) -> PolicyConfigSchema | None:
    properties = CONFIG_SCHEMAS.get(name)
    if not properties:
        return None
    return PolicyConfigSchema(properties={key: dict(value) for key, value in properties.items()})


def build_policies() -> list[Policy]:
    """The pack's policies, in a stable order.

    Also makes the analyzer keep the engine's secret markers (:func:`keep_secret_markers`), which
    the payment rule needs to tell a secret card from a plain-text one.
    """
    keep_secret_markers()
    policies: list[Policy] = []
    for rule in RULES:
        kind = StackValidationPolicy if rule.stack else ResourceValidationPolicy
        policies.append(
            kind(
                name=rule.name,
                description=rule.description,
                validate=rule.validate,
                enforcement_level=rule.enforcement_level,
                config_schema=_config_schema(rule.name),
            )
        )
    return policies
