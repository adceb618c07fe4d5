"""A program can declare thousands of dynamic resources: the SDK's pickler patch is undone."""

from __future__ import annotations

import pickle

from pulumi.dynamic.dynamic import serialize_provider

import pulumi_digicert as digicert
from pulumi_digicert.resources import OrganizationProvider
from pulumi_digicert.resources._pickling import restore_pickler
from pulumi_digicert.testing.program import run_program

ORIGINAL = pickle._Pickler.__dict__["_batch_setitems"]


def test_the_sdk_alone_nests_its_patch_until_recursion_fails() -> None:
    """Why the guard exists: without it, serialize_provider fails near a thousand calls."""
    provider = OrganizationProvider()
    failed_at = None
    try:
        for call in range(3000):
            try:
                serialize_provider(provider)
            except RecursionError:
                failed_at = call
                break
    finally:
        restore_pickler()
    assert failed_at is not None
    assert pickle._Pickler.__dict__["_batch_setitems"] is ORIGINAL


def test_a_program_with_two_thousand_resources_registers_them_all() -> None:
    def program() -> None:
        for index in range(2000):
            digicert.DomainValidationCheck(f"check-{index}", domain_id=index + 1)

    resources = run_program(program)
    assert len(resources) == 2000
    blobs = {r.provider_blob for r in resources}
    assert len(blobs) == 1  # deterministic: the SDK still sorts while it serializes
