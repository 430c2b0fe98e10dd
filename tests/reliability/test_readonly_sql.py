"""`bilateral sql` refuses every write or escape on both backends, and leaves the archive byte-identical.

Each attempt runs through the command line; it must exit non-zero with one `Error:` line, and afterwards
the archive must be exactly what it was: on SQLite the file's bytes, on both backends a fingerprint of
every table's rows, the schema's objects and the canonical dump.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from bilateral.store.engine import make_engine

PROBE = "/tmp/bilateral-readonly-probe"

COMMON = [
    "INSERT INTO countries (iso3, name) VALUES ('ZZZ', 'Nowhere')",
    "INSERT INTO meetings (kind, status, date_precision, confidence) SELECT kind, status, "
    "date_precision, confidence FROM meetings",
    "UPDATE meetings SET kind = 'call'",
    "DELETE FROM meetings",
    "DELETE FROM articles WHERE id IN (SELECT min(id) FROM articles)",
    "DROP TABLE meeting_sources",
    "DROP VIEW dyad_events",
    "CREATE TABLE evil (x INTEGER)",
    "CREATE VIEW evil AS SELECT 1 AS x",
    "CREATE INDEX evil ON meetings (place)",
    "CREATE TEMP TABLE evil AS SELECT * FROM meetings",
    "ALTER TABLE meetings ADD COLUMN evil INTEGER",
    "ALTER TABLE meetings RENAME TO gatherings",
    "WITH gone AS (DELETE FROM meetings RETURNING id) SELECT count(*) FROM gone",
    "SELECT 1; DELETE FROM meetings",
    "SELECT count(*) FROM meetings; DROP TABLE meetings;",
    "BEGIN",
    "COMMIT",
    "SAVEPOINT evil",
]

SQLITE = [
    "INSERT OR REPLACE INTO countries (iso3, name) VALUES ('IRN', 'Persia')",
    "REPLACE INTO organizations (code, name) VALUES ('UN', 'Evil')",
    "ATTACH DATABASE '" + PROBE + ".db' AS evil",
    "VACUUM INTO '" + PROBE + ".db'",
    "VACUUM",
    "PRAGMA writable_schema = ON",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA user_version = 7",
    "PRAGMA foreign_keys = OFF",
    "PRAGMA wal_checkpoint(TRUNCATE)",
    "SELECT * FROM pragma_journal_mode('delete')",
    "SELECT load_extension('" + PROBE + ".so')",
    "SELECT load_extension('" + PROBE + ".so', 'sqlite3_extension_init')",
    "ANALYZE",
    "REINDEX",
    "CREATE TRIGGER evil AFTER INSERT ON meetings BEGIN DELETE FROM meetings; END",
    "BEGIN IMMEDIATE",
    "DETACH DATABASE main",
]

POSTGRESQL = [
    "COPY meetings TO PROGRAM 'touch " + PROBE + "'",
    "COPY (SELECT 1) TO '" + PROBE + "'",
    "COPY countries FROM '/etc/hostname'",
    "SET TRANSACTION READ WRITE",
    "SELECT set_config('transaction_read_only', 'off', true)",
    "SET ROLE postgres",
    "RESET ROLE",
    "SET SESSION AUTHORIZATION postgres",
    "SELECT * INTO evil FROM meetings",
    "SELECT nextval(pg_get_serial_sequence('meetings', 'id'))",
    "SELECT setval(pg_get_serial_sequence('meetings', 'id'), 1)",
    "SELECT lo_import('/etc/hostname')",
    "SELECT lo_export(0, '" + PROBE + "')",
    "SELECT pg_read_file('/etc/hostname')",
    "SELECT pg_ls_dir('.')",
    "SELECT pg_reload_conf()",
    "TRUNCATE meetings CASCADE",
    "LOCK TABLE meetings IN ACCESS EXCLUSIVE MODE",
    "GRANT ALL ON meetings TO PUBLIC",
    "CREATE EXTENSION IF NOT EXISTS dblink",
    "DO $$ BEGIN DELETE FROM meetings; END $$",
    "PREPARE evil AS DELETE FROM meetings",
    "VACUUM meetings",
    "SELECT query_to_xml('DELETE FROM meetings RETURNING id', true, false, '')",
    "SELECT query_to_xml('COPY (SELECT 1) TO PROGRAM ''touch " + PROBE + "''', true, false, '')",
]

ROLE_ESCAPES = [
    "SELECT set_config('role', 'postgres', true)",
    "SELECT set_config('session_authorization', 'postgres', true)",
    "SELECT set_config('role', 'postgres', true) AS r, "
    "query_to_xml('SELECT pg_read_file(''/etc/hostname'')', true, false, '') AS x",
]
"""Ways back to the superuser the archive is opened as (they got through until `bilateral sql` logged in as
the read-only role itself)."""

SLOW = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c",
    "postgresql": "SELECT pg_sleep(30)",
}


def attempts(backend: str) -> list[str]:
    """Return the attempts that must be refused on a backend."""
    return [*COMMON, *(SQLITE if backend == "sqlite" else POSTGRESQL)]


def fingerprint(db_url: str) -> dict[str, Any]:
    """Return a fingerprint of the archive: every table's rows, the schema's objects, the file's bytes."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            tables = sorted(inspector.get_table_names())
            result: dict[str, Any] = {
                "tables": tables,
                "views": sorted(inspector.get_view_names()),
                "indexes": {t: sorted(str(i["name"]) for i in inspector.get_indexes(t)) for t in tables},
                "columns": {t: [c["name"] for c in inspector.get_columns(t)] for t in tables},
            }
            for table in tables:
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                result[table] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
            if conn.dialect.name == "postgresql":
                result["objects"] = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = current_schema()"
                    )
                ).scalar_one()
                result["temp_objects"] = conn.execute(
                    text("SELECT count(*) FROM pg_class WHERE relpersistence = 't'")
                ).scalar_one()
                result["large_objects"] = conn.execute(
                    text("SELECT count(*) FROM pg_largeobject_metadata")
                ).scalar_one()
                result["sequences"] = conn.execute(
                    text("SELECT last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1")
                ).all()
            conn.rollback()
    finally:
        engine.dispose()
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal"):
            part = path.with_name(path.name + suffix)
            result[f"bytes{suffix}"] = (
                hashlib.sha256(part.read_bytes()).hexdigest() if part.exists() else None
            )
    return result


@pytest.fixture
def archive(filled: str, bl) -> tuple[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Return a filled archive's URL and its fingerprint after a harmless query (WAL checkpointed)."""
    harmless = bl.invoke(filled, "sql", "--format", "csv", "SELECT count(*) AS n FROM meetings")
    assert harmless.exit_code == 0 and harmless.stdout.startswith("n\n"), harmless.output
    before = fingerprint(filled)
    again = bl.invoke(filled, "sql", "SELECT kind FROM meetings")
    assert again.exit_code == 0
    assert fingerprint(filled) == before, "a plain SELECT changed the archive"
    return filled, before


def _refused(bl, db_url: str, query: str, *options: str) -> None:  # type: ignore[no-untyped-def]
    """Run one attempt and check it fails with a single error line and no traceback."""
    probe = Path(PROBE)
    probe.unlink(missing_ok=True)
    result = bl.invoke(db_url, "sql", *options, query)
    assert result.exit_code not in (0, None), f"not refused: {query!r} gave {result.output!r}"
    assert result.stdout == "", result.stdout
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output
    assert not probe.exists(), f"{query!r} wrote {probe}"


def test_attempt_table_is_long_enough() -> None:
    assert len(attempts("sqlite")) >= 20
    assert len(attempts("postgresql")) + len(ROLE_ESCAPES) >= 20


@pytest.fixture
def backend(filled: str) -> str:
    """Return the name of the backend under test."""
    return "sqlite" if filled.startswith("sqlite") else "postgresql"


def test_every_write_or_escape_is_refused_and_changes_nothing(
    archive: tuple[str, dict[str, Any]], backend: str, bl
) -> None:  # type: ignore[no-untyped-def]
    db_url, before = archive
    failures: list[str] = []
    for query in attempts(backend):
        try:
            _refused(bl, db_url, query)
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
        after = fingerprint(db_url)
        if after != before:
            changed = sorted(k for k in before if before[k] != after.get(k))
            failures.append(f"{query!r} changed {changed}")
            before = after
    assert failures == []


def test_a_query_past_the_timeout_is_stopped(archive: tuple[str, dict[str, Any]], backend: str, bl) -> None:  # type: ignore[no-untyped-def]
    db_url, before = archive
    _refused(bl, db_url, SLOW[backend], "--timeout", "0.5")
    assert fingerprint(db_url) == before


@pytest.mark.parametrize("filled_template", ["postgresql"], indirect=True)
@pytest.mark.parametrize("query", ROLE_ESCAPES)
def test_switching_back_to_the_session_user_is_refused(
    archive: tuple[str, dict[str, Any]], query: str, bl
) -> None:  # type: ignore[no-untyped-def]
    db_url, before = archive
    _refused(bl, db_url, query)
    assert fingerprint(db_url) == before
