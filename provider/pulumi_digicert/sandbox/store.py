"""SQLite persistence: one connection, one writer at a time, every request in a transaction.

Each entity is a row whose ``data`` column holds the whole object as JSON; the columns beside
it are copies of the fields that queries filter on. A lock serialises transactions, so the
sandbox is safe under concurrent requests whether the database is a file or ``:memory:``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Row = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS partner_accounts (
    id INTEGER PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, parent_id INTEGER, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account_links (
    id INTEGER PRIMARY KEY, billing_account_id INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organizations (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, pending_since REAL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS domains (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, organization_id INTEGER NOT NULL,
    name TEXT NOT NULL, pending_since REAL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, organization_id INTEGER NOT NULL,
    alternative_order_id TEXT, status TEXT NOT NULL, approved_at REAL, expires_at REAL,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, order_id INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dns_records (
    name TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name, type, value));
CREATE INDEX IF NOT EXISTS organizations_account ON organizations (account_id);
CREATE INDEX IF NOT EXISTS organizations_pending ON organizations (pending_since);
CREATE INDEX IF NOT EXISTS domains_account ON domains (account_id, name);
CREATE INDEX IF NOT EXISTS domains_pending ON domains (pending_since);
CREATE INDEX IF NOT EXISTS orders_account ON orders (account_id, alternative_order_id);
CREATE INDEX IF NOT EXISTS orders_status ON orders (status, approved_at);
CREATE INDEX IF NOT EXISTS orders_organization ON orders (organization_id);
CREATE INDEX IF NOT EXISTS requests_order ON requests (order_id);
"""

# Columns copied out of each entity for queries (besides id and data).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("key_hash",),
    "partner_accounts": ("key_hash", "parent_id"),
    "account_links": ("billing_account_id",),
    "organizations": ("account_id", "pending_since"),
    "domains": ("account_id", "organization_id", "name", "pending_since"),
    "orders": (
        "account_id",
        "organization_id",
        "alternative_order_id",
        "status",
        "approved_at",
        "expires_at",
    ),
    "requests": ("account_id", "order_id"),
}

# Every kind of object gets its own id range, so an order id used as a request id is a 404.
ID_STARTS: dict[str, int] = {
    "account": 1_000_001,
    "partner_account": 1_500_001,
    "container": 2_000_001,
    "organization": 3_000_001,
    "contact": 3_500_001,
    "domain": 4_000_001,
    "order": 5_000_001,
    "request": 6_000_001,
    "certificate": 7_000_001,
    "user": 8_000_001,
}

TABLES = (*_COLUMNS, "meta", "counters", "dns_records")


class Tx:
    """One open transaction: typed helpers over the connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, params)

    def next_id(self, kind: str) -> int:
        row = self.execute("SELECT value FROM counters WHERE name = ?", (kind,)).fetchone()
        value = int(row[0]) if row else ID_STARTS[kind]
        self.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (kind, value + 1),
        )
        return value

    def get(self, table: str, entity_id: int) -> Row | None:
        row = self.execute(f"SELECT data FROM {table} WHERE id = ?", (entity_id,)).fetchone()  # noqa: S608
        return _load(row[0]) if row else None

    def select(self, table: str, where: str = "1", params: tuple[Any, ...] = ()) -> list[Row]:
        sql = f"SELECT data FROM {table} WHERE {where} ORDER BY id"  # noqa: S608
        return [_load(row[0]) for row in self.execute(sql, params).fetchall()]

    def put(self, table: str, entity: Row) -> None:
        columns = _COLUMNS[table]
        names = ", ".join(("id", *columns, "data"))
        marks = ", ".join("?" for _ in range(len(columns) + 2))
        values = (entity["id"], *(entity.get(column) for column in columns), json.dumps(entity))
        self.execute(f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})", values)  # noqa: S608

    def delete(self, table: str, where: str, params: tuple[Any, ...]) -> None:
        self.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608

    def get_meta(self, key: str) -> Any:
        row = self.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value: Any) -> None:
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )


def _load(data: str) -> Row:
    value = json.loads(data)
    assert isinstance(value, dict)
    return value


class Store:
    """The database; ``transaction()`` is the only way in."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self._lock = threading.RLock()
        self._connection = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        if db_path != ":memory:":
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._connection)
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def wipe(self) -> None:
        with self.transaction() as tx:
            for table in TABLES:
                tx.execute(f"DELETE FROM {table}")  # noqa: S608

    def close(self) -> None:
        with self._lock:
            self._connection.close()
