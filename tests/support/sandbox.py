"""Start the local CertCentral sandbox for a test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from pulumi_digicert.sandbox import SandboxServer
from qa.scenarios import stack_config

__all__ = ["running_sandbox", "sandbox_class", "services_client", "stack_config"]


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


def services_client(server: Any, api_key: str | None = None, **options: Any) -> httpx.Client:
    """Plain HTTP to a sandbox's CertCentral API, for arranging and asserting, as the account
    whose ``api_key`` is given (the default account's otherwise); ``options`` go to httpx."""
    return httpx.Client(
        base_url=server.services_url,
        headers={"X-DC-DEVKEY": api_key or server.api_key, "Content-Type": "application/json"},
        **{"timeout": 10, **options},
    )
