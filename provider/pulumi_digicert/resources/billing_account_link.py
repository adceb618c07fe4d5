"""BillingAccountLink: which CertCentral account pays for a Partner Subscriptions account.

| input | type | on change | notes |
|---|---|---|---|
| `billing_account_api_key` | secret str | update | CertCentral API key of the billing account; `PUT /finance/account-link` |
| `partner_api_key` | secret str | update | optional; defaults to `digicert:partnerApiKey`; set it to link a subaccount |

Outputs: `linked`, `billing_account_api_key_fingerprint`, `partner_api_key_fingerprint` (salted
PBKDF2 fingerprints: a key change shows as an update, the key itself is never stored).

The Partner Subscriptions API has no endpoint to read or remove a link: read returns the recorded
state and delete only forgets the link (the account keeps its billing account; a subaccount
without a link of its own falls back to its parent's).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

import pulumi
import pydantic
from pulumi.dynamic import CreateResult, ReadResult, UpdateResult

from pulumi_digicert._engine_values import plain_inputs
from pulumi_digicert._notice import log
from pulumi_digicert.resources._args import ApiKey, Args, parse_args
from pulumi_digicert.resources._pickling import restore_pickler
from pulumi_digicert.resources._provider import Field, Mode, Provider

FIELDS: tuple[Field, ...] = (
    Field("billing_account_api_key", Mode.UPDATE, secret=True, note="PUT /finance/account-link"),
    Field("partner_api_key", Mode.UPDATE, secret=True, note="PUT /finance/account-link"),
)


class BillingAccountLinkArgs(Args):
    billing_account_api_key: ApiKey = pydantic.Field(min_length=1, repr=False)
    partner_api_key: ApiKey | None = pydantic.Field(default=None, min_length=1, repr=False)


class BillingAccountLinkProvider(Provider):
    fields: ClassVar[tuple[Field, ...]] = FIELDS
    args_model = BillingAccountLinkArgs

    def _link(self, inputs: Mapping[str, Any]) -> None:
        args = parse_args(BillingAccountLinkArgs, inputs)
        self.api.partner.link_billing_account(
            args.billing_account_api_key, partner_api_key=args.partner_api_key
        )

    def _outputs(
        self, inputs: Mapping[str, Any], olds: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        return {**self.recorded_inputs(inputs, olds), "linked": True}

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = plain_inputs(props)
        self._link(inputs)
        return CreateResult(f"account-link-{uuid.uuid4().hex}", self._outputs(inputs))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        # No endpoint reads a link back: the recorded state is all there is.
        return ReadResult(id_, self.carried_outputs(props))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        del id_
        inputs = plain_inputs(news)
        self._link(inputs)
        return UpdateResult(self._outputs(inputs, olds))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        del props
        log.info("%s: the Partner API has no unlink endpoint; the link is only forgotten", id_)


class BillingAccountLink(pulumi.dynamic.Resource, module="digicert", name="BillingAccountLink"):
    """Links a Partner Subscriptions account (or subaccount) to the CertCentral account that
    pays for it. Both keys are secrets and are never stored in state, only fingerprints."""

    linked: pulumi.Output[bool]
    billing_account_api_key_fingerprint: pulumi.Output[str]
    partner_api_key_fingerprint: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        billing_account_api_key: pulumi.Input[str],
        partner_api_key: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "billing_account_api_key": pulumi.Output.secret(billing_account_api_key),
            "partner_api_key": (
                pulumi.Output.secret(partner_api_key) if partner_api_key is not None else None
            ),
            "linked": None,
            "billing_account_api_key_fingerprint": None,
            "partner_api_key_fingerprint": None,
        }
        super().__init__(BillingAccountLinkProvider(), resource_name, props, opts)
        restore_pickler()
