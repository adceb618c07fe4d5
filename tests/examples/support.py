"""Helpers for the example tests: run an example program, mocks that answer like DigiCert."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
README = ROOT / "README.md"

TYPE = "pulumi-python:dynamic/digicert:{}"

ORGANIZATION_ID = 3000001
DOMAIN_ID = 4000001
DCV_TOKEN = "mocktoken0123456789abcdefghijklm"
ORDER_ID = 5000001


def example_program(name: str) -> Callable[[], None]:
    """The program of ``examples/<name>/__main__.py``, run as ``pulumi up`` runs it."""
    path = EXAMPLES / name / "__main__.py"

    def program() -> None:
        runpy.run_path(str(path), run_name="__main__")

    return program


class DigiCertMocks(Mocks):
    """Echo inputs, plus the outputs DigiCert would add (ids, the DCV token, statuses)."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        outputs = dict(args.inputs)
        resource_id = args.name
        if args.typ == TYPE.format("Organization"):
            resource_id = str(ORGANIZATION_ID)
            outputs.update(organization_id=ORGANIZATION_ID, status="active", is_active=True)
        elif args.typ == TYPE.format("DomainValidation"):
            resource_id = str(DOMAIN_ID)
            outputs.update(domain_id=DOMAIN_ID, dcv_token=DCV_TOKEN, validation_status="pending")
        elif args.typ == TYPE.format("DomainValidationCheck"):
            outputs.update(validated=True, validation_status="validated")
        elif args.typ == TYPE.format("DocumentSigningOrder"):
            resource_id = str(ORDER_ID)
            outputs.update(order_id=ORDER_ID, status="needs_approval", request_status="pending")
        elif args.typ == TYPE.format("BillingAccountLink"):
            outputs.update(linked=True)
        return resource_id, outputs

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        return {}, None
