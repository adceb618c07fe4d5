"""The client class; imported on first use through :mod:`pulumi_digicert.client`."""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import httpx

from pulumi_digicert.client._core import RequestCore
from pulumi_digicert.client.domains import Domains
from pulumi_digicert.client.finance import Finance
from pulumi_digicert.client.orders import Orders
from pulumi_digicert.client.organizations import Organizations
from pulumi_digicert.client.partner import Partner

if TYPE_CHECKING:
    from pulumi_digicert.config import ProviderSettings

__all__ = ["DigiCertClient"]

T = TypeVar("T")


class DigiCertClient:
    """Thread-safe DigiCert client; create it after ``configure`` and share it between threads.

    ``transport`` replaces the network (tests: ``httpx.MockTransport``); ``sleep`` and
    ``random`` drive retry delays and rate-limiter waits; ``clock`` (monotonic seconds) is the
    rate limiter's clock. The HTTP connection pool is opened on the first request.
    """

    def __init__(
        self,
        settings: ProviderSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._core = RequestCore(
            settings, transport=transport, sleep=sleep, random=random, clock=clock
        )
        self.organizations = Organizations(self._core)
        self.domains = Domains(self._core)
        self.orders = Orders(self._core)
        self.finance = Finance(self._core)
        self.partner = Partner(self._core)

    def find_after_unknown_outcome(
        self, lookup: Callable[[], T | None], *, accepted: bool = False
    ) -> T | None:
        """Look up an object whose creating request may or may not have been applied, asking
        again as the retry policy says (see :mod:`pulumi_digicert.client.retry`)."""
        return self._core.find_after_unknown_outcome(lookup, accepted=accepted)

    @property
    def settings(self) -> ProviderSettings:
        """The settings the client was created with."""
        return self._core.settings

    def close(self) -> None:
        """Close the connection pool (a later call opens a new one)."""
        self._core.close()

    def __enter__(self) -> DigiCertClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"DigiCertClient(base_url={self.settings.base_url!r}, "
            f"partner_base_url={self.settings.partner_base_url!r})"
        )

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            "DigiCertClient holds credentials and is never pickled: create it in configure()"
        )

    def __getstate__(self) -> Any:
        self.__reduce__()
