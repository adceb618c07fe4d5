"""Fixtures of the harness's own tests: an engine over echo providers, and what its hosts were
sent."""

from __future__ import annotations

import pytest

from pulumi_digicert.testing import HostEngine
from support.hosts import engine_hosts
from testing.recorder import CallRecorder


@pytest.fixture
def recorder() -> CallRecorder:
    """Every call :func:`engine`'s hosts were sent."""
    return CallRecorder()


@pytest.fixture
def engine(recorder: CallRecorder) -> HostEngine:
    """An engine whose echo providers greet "hi"; its hosts' calls go through ``recorder``."""
    return HostEngine(
        config={"echo:greeting": "hi"}, host_factory=engine_hosts(interceptors=[recorder])
    )
