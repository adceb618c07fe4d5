"""What every API operation works in: one transaction, the caller's account, time, settings."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import not_found
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

    def owned(self, table: str, entity_id: int, kind: str) -> Row:
        """The caller's object (any account's for the control API); 404 ``not_found|kind``."""
        entity = self.tx.get(table, entity_id)
        if entity is None or (self.account and entity["account_id"] != self.account_id):
            raise not_found(kind)
        return entity
