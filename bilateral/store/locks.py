"""Locks that serialise concurrent writers on the same natural key (country pair, official's country)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session


def lock_id(key: str) -> int:
    """Return a stable signed 64-bit number for a lock key (the same in every process and machine)."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big", signed=True)


_LOCK_ALL = text(
    "SELECT pg_advisory_xact_lock(t.id) FROM unnest(CAST(:ids AS bigint[])) WITH ORDINALITY AS t(id, n) "
    "ORDER BY t.n"
)


def lock_keys(session: Session, keys: Iterable[str]) -> None:
    """Take transaction-scoped locks on these keys, in sorted order so that writers never deadlock.

    PostgreSQL: `pg_advisory_xact_lock`, released at commit or when the enclosing savepoint rolls back.
    SQLite has one writer at a time already (the engine begins writes with BEGIN IMMEDIATE), so nothing
    is taken there.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    ids = [lock_id(key) for key in sorted(set(keys))]
    if ids:
        # One round trip: the array's order is the locking order (ORDINALITY keeps it).
        session.execute(_LOCK_ALL, {"ids": ids})
