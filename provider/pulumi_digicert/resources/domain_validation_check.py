"""DomainValidationCheck: ask CertCentral to check a domain's DCV now, and wait for the result.

| input | type | on change | notes |
|---|---|---|---|
| `domain_id` | int | replace | the DomainValidation's `domain_id` |
| `dcv_token` | str | replace | optional: pass the DomainValidation's `dcv_token` so a new token is checked again |
| `wait_timeout_seconds` | number, 0-3600 | state | default 300 |
| `poll_interval_seconds` | number, 1-600 | state | default 10 |

Outputs: `dcv_status`, `validation_status`, `validated_until`, `validated`.

Create calls ``PUT /domain/{id}/dcv/validate-token`` and polls until the domain validates or the
timeout passes. It returns the status either way: slow DNS never fails an ``up``; ``validated``
says whether it got there, and a refresh carries the status forward. A domain whose DCV method
is not a token (``email``), or a check CertCentral refuses as impossible
(``invalid_dcv_method``), fails at once, naming the method to use. Delete only forgets.
Declare it after the DNS record that publishes the token (``depends_on``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
import pydantic
from pulumi.dynamic import CreateResult, ReadResult, UpdateResult

from pulumi_digicert._engine_values import plain_inputs
from pulumi_digicert._exceptions import ResourceError
from pulumi_digicert._notice import log, notice
from pulumi_digicert.client import errors
from pulumi_digicert.resources._args import Args, PositiveId, parse_args
from pulumi_digicert.resources._pickling import restore_pickler
from pulumi_digicert.resources._provider import Field, Mode, Provider
from pulumi_digicert.resources.domain_validation import summarise_validations

if TYPE_CHECKING:
    from pulumi_digicert.client import models

DEFAULT_WAIT_TIMEOUT = 300.0
TOKEN_METHODS = ("dns-txt-token", "dns-cname-token", "http-token")
"""The DCV methods ``PUT /domain/{id}/dcv/validate-token`` checks (API.md B5)."""
CANNOT_CHECK_CODES = frozenset({"invalid_dcv_method", "invalid_wildcard_dcv_method"})
"""Answers that mean the check can never succeed as the domain is set up (API.md F3)."""
DEFAULT_POLL_INTERVAL = 10.0

FIELDS: tuple[Field, ...] = (
    Field("domain_id", Mode.REPLACE),
    Field("dcv_token", Mode.REPLACE, note="a new token is checked again"),
    Field("wait_timeout_seconds", Mode.STATE),
    Field("poll_interval_seconds", Mode.STATE),
)


class DomainValidationCheckArgs(Args):
    domain_id: PositiveId
    dcv_token: str | None = None
    wait_timeout_seconds: float = pydantic.Field(default=DEFAULT_WAIT_TIMEOUT, ge=0, le=3600)
    poll_interval_seconds: float = pydantic.Field(default=DEFAULT_POLL_INTERVAL, ge=1, le=600)


class DomainValidationCheckProvider(Provider):
    fields: ClassVar[tuple[Field, ...]] = FIELDS
    args_model = DomainValidationCheckArgs
    defaults: ClassVar[Mapping[str, Any]] = {
        "wait_timeout_seconds": DEFAULT_WAIT_TIMEOUT,
        "poll_interval_seconds": DEFAULT_POLL_INTERVAL,
    }
    id_fields: ClassVar[frozenset[str]] = frozenset({"domain_id"})

    # Overridable in tests; never used by check or diff.
    clock: Callable[[], float] = staticmethod(time.monotonic)
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def _live(self, domain_id: int) -> models.Domain:
        return self.api.domains.get(domain_id, include_dcv=True, include_validation=True)

    def _status(self, domain_id: int, dcv_status: str | None) -> dict[str, Any]:
        return self._status_of(self._live(domain_id), dcv_status)

    @staticmethod
    def _status_of(live: models.Domain, dcv_status: str | None) -> dict[str, Any]:
        declared = [v.type for v in live.validations] or ["ov"]
        validation_status, validated_until = summarise_validations(live, [str(t) for t in declared])
        token_status = live.dcv_token.status if live.dcv_token else None
        dcv = dcv_status or token_status or "pending"
        if any(v.dcv_status == "complete" for v in live.validations):
            dcv = "complete"
        return {
            "dcv_status": dcv,
            "validation_status": validation_status,
            "validated_until": validated_until,
            # A token stays "active" after the validation it proved has expired.
            "validated": validation_status == "validated"
            or (dcv in ("complete", "active") and validation_status == "pending"),
        }

    def _check_once(self, domain_id: int) -> str | None:
        try:
            return str(self.api.domains.check_dcv(domain_id).status or "") or None
        except errors.BadRequestError as exc:
            if any(code in CANNOT_CHECK_CODES for code in exc.codes):
                return f"refused: {errors.detail_text(exc)}"
            # A record CertCentral could not find yet is reported as an error: not yet published.
            log.debug("DCV check for domain %s: not yet (%s)", domain_id, exc.codes)
            return "pending"

    @staticmethod
    def _refuse_impossible(domain_id: int, dcv_status: str | None) -> None:
        if dcv_status and dcv_status.startswith("refused: "):
            raise ResourceError(
                f"CertCentral cannot check domain {domain_id}'s DCV by its token "
                f"({dcv_status.removeprefix('refused: ')}); set the DomainValidation's dcv_method "
                f"to {' or '.join(TOKEN_METHODS)}, or remove this DomainValidationCheck."
            )

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = plain_inputs(props)
        args = parse_args(DomainValidationCheckArgs, inputs)
        deadline = self.clock() + args.wait_timeout_seconds
        dcv_status = self._check_once(args.domain_id)
        live = self._live(args.domain_id)
        method = live.dcv_method
        if method and method not in TOKEN_METHODS:
            # validate-token only checks published tokens: waiting could never succeed.
            raise ResourceError(
                f"Domain {args.domain_id} uses dcv_method {method!r}, which DigiCert completes by "
                f"email, not by a token check; set the DomainValidation's dcv_method to "
                f"{' or '.join(TOKEN_METHODS)}, or remove this DomainValidationCheck."
            )
        self._refuse_impossible(args.domain_id, dcv_status)
        status = self._status_of(live, dcv_status)
        if not status["validated"] and args.wait_timeout_seconds > 0:
            notice(
                f"waiting up to {args.wait_timeout_seconds:g} s for DCV of domain "
                f"{args.domain_id} (the token must be published)"
            )
        while not status["validated"]:
            remaining = deadline - self.clock()
            if remaining <= 0:
                notice(f"domain {args.domain_id} is not validated yet; refresh reads its status")
                break
            self.sleep(min(args.poll_interval_seconds, remaining))
            try:
                dcv_status = self._check_once(args.domain_id)
                self._refuse_impossible(args.domain_id, dcv_status)
                status = self._status(args.domain_id, dcv_status)
            except (errors.APIConnectionError, errors.ServerError, errors.RateLimitError):
                log.debug("DCV check for domain %s: API unavailable, retrying", args.domain_id)
        outs = {**self.recorded_inputs(inputs), **status}
        return CreateResult(str(args.domain_id), outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            status = self._status(int(id_), None)
        except errors.NotFoundError:
            return ReadResult("", {})
        return ReadResult(id_, {**self.recorded_inputs(plain_inputs(props)), **status})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Only the wait settings update in place (domain_id and dcv_token replace): they are
        # recorded without an API call, and the status outputs are carried.
        del id_
        return UpdateResult(self.carried_with(olds, plain_inputs(news)))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        del id_, props


class DomainValidationCheck(
    pulumi.dynamic.Resource, module="digicert", name="DomainValidationCheck"
):
    """Completes domain control validation inside one ``pulumi up``.

    Depend on the DNS record (or file) that publishes the DomainValidation's token.
    """

    dcv_status: pulumi.Output[str]
    validation_status: pulumi.Output[str]
    validated_until: pulumi.Output[str]
    validated: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        domain_id: pulumi.Input[int],
        dcv_token: pulumi.Input[str] | None = None,
        wait_timeout_seconds: pulumi.Input[float] | None = None,
        poll_interval_seconds: pulumi.Input[float] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "domain_id": domain_id,
            "dcv_token": dcv_token,
            "wait_timeout_seconds": wait_timeout_seconds,
            "poll_interval_seconds": poll_interval_seconds,
            "dcv_status": None,
            "validation_status": None,
            "validated_until": None,
            "validated": None,
        }
        super().__init__(DomainValidationCheckProvider(), resource_name, props, opts)
        restore_pickler()
