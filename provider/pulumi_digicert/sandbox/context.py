"""What every API operation works in: one transaction, the caller's account, time, settings."""

from __future__ import annotations

from dataclasses import dataclass

from .settings import SandboxSettings
from .store import Row, Tx


@dataclass
class Ctx:
    tx: Tx
    now: float
    settings: SandboxSettings
    account: Row
    """The caller's CertCentral account; empty for the control API, which sees every account."""

    @property
    def account_id(self) -> int:
        return int(self.account["id"])
