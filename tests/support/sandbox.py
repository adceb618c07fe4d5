"""Start the local CertCentral sandbox for a test, or skip while it cannot be imported."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

SANDBOX_MODULE = "pulumi_digicert.sandbox"


def sandbox_class() -> Any:
    """``pulumi_digicert.sandbox.SandboxServer``, or ``pytest.skip`` if it does not exist yet.

    Only the sandbox package (or the class in it) being absent skips; any other import error
    (a bug, a missing dependency) fails the test loudly.
    """
    try:
        module = importlib.import_module(SANDBOX_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name == SANDBOX_MODULE:
            pytest.skip(f"{SANDBOX_MODULE} is not available yet: {exc}")
        raise
    server = getattr(module, "SandboxServer", None)
    if server is None:
        pytest.skip(f"{SANDBOX_MODULE}.SandboxServer is not available yet")
    return server


@contextmanager
def running_sandbox(**kwargs: Any) -> Iterator[Any]:
    """A started ``SandboxServer`` (in-memory db, rate limits on unless overridden)."""
    options: dict[str, Any] = {"db_path": ":memory:", "rate_limit": True}
    options.update(kwargs)
    with sandbox_class()(**options) as server:
        yield server


def stack_config(server: Any) -> dict[str, str]:
    """Stack configuration pointing the provider at ``server`` (keys as the engine sends them)."""
    return {
        "digicert:apiKey": server.api_key,
        "digicert:baseUrl": server.services_url,
        "digicert:partnerApiKey": server.partner_api_key,
        "digicert:partnerBaseUrl": server.partner_url,
    }
