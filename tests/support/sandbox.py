"""Start the local CertCentral sandbox for a test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pulumi_digicert.sandbox import SandboxServer


def sandbox_class() -> type[SandboxServer]:
    """``pulumi_digicert.sandbox.SandboxServer``: the sandbox ships with the package, so a test
    that needs it runs (an import error fails it loudly, never skips it)."""
    return SandboxServer


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
