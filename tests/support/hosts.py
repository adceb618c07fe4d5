"""Provider hosts for tests: a factory that starts ``python -m pulumi.dynamic`` processes, and
the host factory HostEngine uses to start one per operation."""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Any

from pulumi_digicert.testing import HostFactory as EngineHostFactory
from pulumi_digicert.testing import ProviderHost

TESTS_DIR = Path(__file__).resolve().parent.parent
"""The ``tests`` directory: on every test host's ``PYTHONPATH`` (with the repository root, in
case tests are imported as ``tests.…``) so test-only providers such as
``testing.echo_provider`` unpickle there too."""

TEST_PYTHONPATH: tuple[Path, ...] = (TESTS_DIR, TESTS_DIR.parent)


def engine_hosts(
    host_class: type[ProviderHost] = ProviderHost, **options: Any
) -> EngineHostFactory:
    """A ``host_factory`` for ``HostEngine`` whose hosts can import test-only providers;
    ``options`` are further :class:`ProviderHost` keyword arguments."""
    return functools.partial(host_class, pythonpath=TEST_PYTHONPATH, **options)


class HostFactory:
    """Starts provider hosts on demand and stops every one of them in :meth:`close`.

    ``factory(**kwargs)`` accepts :class:`ProviderHost` keyword arguments; ``pythonpath``
    entries are added after the ``tests`` directory. ``config=`` (optional) is sent with
    ``Configure`` right away, with ``secret_keys=`` if given.
    """

    def __init__(self) -> None:
        self._hosts: list[ProviderHost] = []
        self._lock = threading.Lock()

    def __call__(
        self,
        *,
        config: dict[str, Any] | None = None,
        secret_keys: list[str] | None = None,
        pythonpath: list[str | os.PathLike[str]] | None = None,
        **kwargs: Any,
    ) -> ProviderHost:
        paths = [*TEST_PYTHONPATH, *(pythonpath or [])]
        host = ProviderHost(pythonpath=paths, **kwargs)
        with self._lock:
            self._hosts.append(host)
        host.start()
        if config is not None:
            host.configure(config, secret_keys)
        return host

    @property
    def hosts(self) -> list[ProviderHost]:
        with self._lock:
            return list(self._hosts)

    def close(self) -> None:
        with self._lock:
            hosts, self._hosts = self._hosts, []
        for host in hosts:
            host.stop()
