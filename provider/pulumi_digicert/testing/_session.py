"""The provider host of one operation.

The engine loads plugins per deployment (pkg/resource/plugin/plugin.go, ``newPlugin``, under
the deployment's plugin context) and ``pulumi up`` runs two deployments, the preview and then
the update (pkg/backend/apply.go, ``PreviewThenPromptThenExecute``). So every operation gets a
fresh ``python -m pulumi.dynamic`` process: nothing a provider cached (client, rate limiter,
configuration) survives from one operation to the next. The process starts when the operation
first needs the provider and is configured as the engine configures the default provider
(pkg/resource/deploy/providers/registry.go, ``Create``/``Update``/``Same``).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_digicert.testing.host import ProviderHost

__all__ = ["HostFactory", "HostSession", "ProviderConfig"]

HostFactory = Callable[..., ProviderHost]
"""Makes an unstarted :class:`ProviderHost`; called with ``project=`` and ``stack=``."""


@dataclass(frozen=True)
class ProviderConfig:
    """The inputs the default provider is configured with: stack config strings and which
    keys are secure."""

    urn: str
    id: str
    values: Mapping[str, str]
    secret_keys: frozenset[str]


class HostSession:
    """Starts one provider host on first use (thread-safe), configures it, stops it at the end.

    ``config`` is asked for the provider's configuration when the host starts, so an operation
    can decide it late (an ``up`` configures from the program's stack config, but only deletes
    removed resources from the saved one when the program registers no dynamic resource).
    """

    def __init__(
        self,
        factory: HostFactory,
        *,
        project: str,
        stack: str,
        config: Callable[[], ProviderConfig],
    ) -> None:
        self._factory = factory
        self._project = project
        self._stack = stack
        self._config = config
        self._host: ProviderHost | None = None
        self._lock = threading.Lock()
        self.stderr = ""
        self.calls: dict[str, int] = {}
        self.pids: tuple[int, ...] = ()

    def host(self) -> ProviderHost:
        with self._lock:
            if self._host is None:
                host = self._factory(project=self._project, stack=self._stack)
                self._host = host
                if not host.running:
                    host.start()
                if host.pid is not None:
                    self.pids = (host.pid,)
                provider = self._config()
                host.configure(
                    dict(provider.values),
                    provider.secret_keys,
                    urn=provider.urn,
                    id=provider.id,
                )
            return self._host

    @property
    def started(self) -> bool:
        return self._host is not None

    def close(self) -> None:
        """Stop the host; its stderr and call counts are complete from here on."""
        with self._lock:
            host, self._host = self._host, None
        if host is None:
            return
        host.stop()
        self.stderr += host.stderr
        calls: Counter[str] = Counter(self.calls)
        calls.update(host.calls)
        self.calls = dict(calls)

    def report(self) -> dict[str, Any]:
        """Keyword arguments for :class:`Deployment` describing this session's host."""
        return {"host_stderr": self.stderr, "host_calls": dict(self.calls), "host_pids": self.pids}
