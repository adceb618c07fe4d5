"""Fixtures shared by every test package.

* ``free_port``: a free loopback TCP port.
* ``provider_host``: module-scoped factory of running ``python -m pulumi.dynamic`` hosts
  (``ProviderHost``); every host it started is stopped when the module's tests end.
* ``sandbox`` / ``sandbox_config``: a started local CertCentral sandbox (``:memory:`` db, rate
  limits on) and the stack config that points a provider at it. They skip while
  ``pulumi_digicert.sandbox.SandboxServer`` is not importable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.hosts import HostFactory
from support.ports import free_port as _free_port
from support.sandbox import running_sandbox, stack_config


@pytest.fixture
def free_port() -> int:
    return _free_port()


@pytest.fixture(scope="module")
def provider_host() -> Iterator[HostFactory]:
    factory = HostFactory()
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture
def sandbox() -> Iterator[Any]:
    with running_sandbox() as server:
        yield server


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[Any]:
    """One sandbox for a whole test module (tests share its state)."""
    with running_sandbox() as server:
        yield server


@pytest.fixture
def sandbox_config(sandbox: Any) -> dict[str, str]:
    return stack_config(sandbox)
