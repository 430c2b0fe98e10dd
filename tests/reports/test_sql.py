"""Read-only SQL: every write or escape attempt is refused or stopped on both backends; nothing changes."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.pool import NullPool

from bilateral.reports.filters import ReportError
from bilateral.reports.sql import (
    READER_ROLE_SQL,
    ReadOnlyViolation,
    query_text,
    run_readonly,
    shipped_queries,
    typed_value,
)
from bilateral.store.engine import open_archive

BOTH = [
    "INSERT INTO countries (iso3, iso2, name) VALUES ('ZZZ', 'ZZ', 'Nowhere')",
    "UPDATE meetings SET kind = 'call'",
    "DELETE FROM meetings",
    "DROP TABLE meetings",
    "DROP VIEW dyad_events",
    "CREATE TABLE stolen (a INTEGER)",
    "CREATE TEMP TABLE stolen (a INTEGER)",
    "CREATE VIEW stolen AS SELECT 1 AS a",
    "CREATE INDEX ix_stolen ON meetings (place)",
    "ALTER TABLE meetings ADD COLUMN stolen INTEGER",
    "ALTER TABLE meetings RENAME TO gone",
    "SELECT 1; DELETE FROM meetings",
    "SELECT 1; SELECT 2",
    "BEGIN",
    "COMMIT",
    "VACUUM",
    "ANALYZE",
]
SQLITE_ONLY = [
    "ATTACH DATABASE '{tmp}/other.db' AS other",
    "PRAGMA writable_schema = 1",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA user_version = 7",
    "PRAGMA foreign_keys = OFF",
    "PRAGMA wal_checkpoint(TRUNCATE)",
    "SAVEPOINT inside",
    "REINDEX meetings",
    "DETACH DATABASE main",
    "PRAGMA query_only = 0",
    "VACUUM INTO '{tmp}/copy.db'",
    "SELECT load_extension('/tmp/evil.so')",
    "INSERT INTO meetings SELECT * FROM meetings",
    "REPLACE INTO countries (iso3, iso2, name) VALUES ('IRN', 'IR', 'Gone')",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
]
POSTGRES_ONLY = [
    "COPY (SELECT 1) TO PROGRAM 'touch {tmp}/pwned'",
    "COPY countries FROM '/etc/hostname'",
    "SET TRANSACTION READ WRITE",
    "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
    "SELECT pg_sleep(5)",
    "SELECT lo_import('/etc/hostname')",
    "SELECT pg_read_file('/etc/hostname')",
    "SELECT nextval('meetings_id_seq')",
    "LOCK TABLE meetings",
    "REINDEX TABLE meetings",
    "TRUNCATE meetings CASCADE",
    "GRANT ALL ON meetings TO PUBLIC",
    "CREATE EXTENSION IF NOT EXISTS dblink",
    "SELECT set_config('role', 'postgres', false), query_to_xml('DELETE FROM meetings', true, false, '')",
    "SELECT set_config('transaction_read_only', 'off', false)",
    "DO $$ BEGIN DELETE FROM meetings; END $$",
    "WITH gone AS (DELETE FROM meetings RETURNING id) SELECT count(*) FROM gone",
    # Leaving the read-only role from inside a query, then reading server files (refused because the
    # query runs on a connection that logged in as the role, not one that SET ROLE to it).
    "SELECT set_config('role', 'postgres', false), current_user",
    "SELECT set_config('role', 'none', false), query_to_xml('SELECT pg_read_file(''/etc/hostname'')', "
    "true, false, '')",
    "SELECT set_config('session_authorization', 'postgres', false), "
    "query_to_xml('SELECT pg_ls_dir(''/'')', true, false, '')",
    "SELECT set_config('role', 'postgres', false), query_to_xml('SELECT lo_import(''/etc/hostname'')', "
    "true, false, '')",
    "SET SESSION AUTHORIZATION postgres",
    "SET ROLE postgres",
    "RESET ROLE",
    "SELECT pg_ls_dir('/')",
    "SELECT pg_read_binary_file('/etc/hostname')",
    "SELECT pg_stat_file('/etc/hostname')",
    "SELECT lo_export(0, '{tmp}/pwned')",
    "CREATE EXTENSION IF NOT EXISTS file_fdw",
]


def _snapshot(engine: Engine, db_url: str) -> Any:
    """Return the archive's bytes (SQLite) or every table's rows and the schema (PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        return hashlib.sha256(Path(engine.url.database or "").read_bytes()).hexdigest()
    with engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names()) + sorted(inspect(conn).get_view_names())
        return {t: sorted(map(repr, conn.execute(text(f'SELECT * FROM "{t}"')))) for t in tables}


def _rows(engine: Engine, sql: str, **params: str) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    result = run_readonly(engine, sql, params, timeout=1)
    return result.columns, list(result.rows)


def test_every_write_or_escape_is_refused(
    engine: Engine, db_url: str, small_archive: Any, tmp_path: Path
) -> None:
    targets = tmp_path / "targets"
    targets.mkdir()
    attempts = BOTH + (SQLITE_ONLY if engine.dialect.name == "sqlite" else POSTGRES_ONLY)
    assert len(attempts) >= 30
    engine.dispose()
    before = _snapshot(engine, db_url)
    refused = 0
    for attempt in attempts:
        with pytest.raises(ReadOnlyViolation) as caught:
            _rows(engine, attempt.format(tmp=targets))
        message = str(caught.value)
        assert message.startswith(("refused: ", "stopped: ")), (attempt, message)
        assert "\n" not in message
        refused += 1
    engine.dispose()
    assert refused == len(attempts)
    assert _snapshot(engine, db_url) == before
    assert list(targets.iterdir()) == []
    assert _rows(engine, "SELECT count(*) AS n FROM meetings") == (("n",), [(4,)])


def test_reading_works_with_parameters(engine: Engine, small_archive: Any) -> None:
    columns, rows = _rows(
        engine,
        "SELECT kind, count(*) AS n FROM meetings WHERE status = :status AND id >= :first GROUP BY kind "
        "ORDER BY kind",
        status="occurred",
        first="1",
    )
    assert (columns, rows) == (("kind", "n"), [("call", 1), ("meeting", 2)])
    assert _rows(engine, "SELECT name FROM countries WHERE iso3 = :c", c="IRN")[1] == [("Iran",)]


@pytest.mark.parametrize("name", sorted(shipped_queries()))
def test_shipped_queries_run_on_both_backends(engine: Engine, small_archive: Any, name: str) -> None:
    query = shipped_queries()[name]
    assert query.description
    params = {p: "IRN" for p in query.params}
    columns, rows = _rows(engine, query.sql, **params)
    assert columns and isinstance(rows, list)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_shipped_query_results(engine: Engine, small_archive: Any) -> None:
    shipped = shipped_queries()
    assert _rows(engine, shipped["meetings_per_dyad_year"].sql) == (
        ("year", "country_a", "country_b", "meetings", "calls", "visits"),
        [(2020, "CUB", "IRN", 1, 0, 0), (2020, "IRN", "VEN", 1, 0, 0), (2021, "CUB", "VEN", 0, 1, 0)],
    )
    z, g, p = small_archive.zarif.id, small_archive.gil.id, small_archive.perez.id
    assert _rows(engine, shipped["officials_most_counterparts"].sql)[1] == [
        (z, "Ana Zarif", "IRN", 2, 2),
        (g, "Luis Gil", "VEN", 1, 1),
        (p, "Rosa Perez", "CUB", 1, 1),
    ]
    assert _rows(engine, shipped["agreements_by_type_decade"].sql)[1] == [
        (2020, "agreement", 1, 1),
        (2020, "plan", 1, 0),
    ]


def test_query_text_and_parameters(tmp_path: Path) -> None:
    path = tmp_path / "q.sql"
    path.write_text("SELECT 1 AS one", encoding="utf-8")
    assert query_text(None, str(path)) == "SELECT 1 AS one"
    assert query_text("partners_of_country", None) == shipped_queries()["partners_of_country"].sql
    assert query_text("COMMIT", None) == "COMMIT"
    with pytest.raises(ReportError, match="no shipped query is named 'partners'"):
        query_text("partners", None)
    with pytest.raises(ReportError, match="not both"):
        query_text("SELECT 1", str(path))
    assert [typed_value(v) for v in ("12", "-3", "1.5", "IRN", "2020-01-01")] == [
        12,
        -3,
        1.5,
        "IRN",
        "2020-01-01",
    ]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_missing_and_unused_parameters(engine: Engine) -> None:
    with pytest.raises(ReportError, match="needs -p country VALUE"):
        _rows(engine, "SELECT * FROM countries WHERE iso3 = :country")
    with pytest.raises(ReportError, match="no parameter :x"):
        _rows(engine, "SELECT 1", x="1")
    with pytest.raises(ReportError, match="SQL error: no such table: missing_table"):
        _rows(engine, "SELECT * FROM missing_table")


# ------------------------------------------------------------------------------------ PostgreSQL logins


def _reader_role(conn: Any) -> str:
    """Return the read-only role this archive's `bilateral sql` logs in as."""
    cursor = conn.connection.driver_connection.cursor()
    return str(cursor.execute(READER_ROLE_SQL, {"pattern": "bilateral\\_ro\\_%"}).fetchone()[0])


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_dblink_cannot_reach_back_as_a_superuser(engine: Engine, small_archive: Any) -> None:
    with engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'dblink'")).first() is None:
            pytest.skip("dblink is not available on this server")
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS dblink"))
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False).split("://", 1)[1]
    host, _, database = url.partition("/")
    conninfo = f"host={host.rsplit('@', 1)[-1].split(':')[0]} user=postgres dbname={database}"
    attempts = [
        f"SELECT * FROM dblink('{conninfo}', 'SELECT pg_read_file(''/etc/hostname'')') AS t(x text)",
        f"SELECT dblink_exec('{conninfo}', 'DELETE FROM meetings')",
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyViolation, match=r"^refused: "):
            _rows(engine, attempt)
    assert _rows(engine, "SELECT count(*) AS n FROM meetings") == (("n",), [(4,)])


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_superuser_archive_without_a_reader_login_is_refused(db_url: str) -> None:
    engine = open_archive(db_url)
    try:
        with engine.begin() as conn:
            role = _reader_role(conn)
            conn.execute(text(f'ALTER ROLE "{role}" NOLOGIN'))
        with pytest.raises(ReadOnlyViolation) as caught:
            _rows(engine, "SELECT pg_read_file('/etc/hostname')")
        message = str(caught.value)
        assert message.startswith(f"refused: cannot log in as the read-only role {role}")
        assert "BILATERAL_SQL_URL" in message and "\n" not in message
    finally:
        engine.dispose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_sql_url_of_a_superuser_is_refused_and_of_a_reader_works(engine: Engine, small_archive: Any) -> None:
    superuser = engine.url.render_as_string(hide_password=False)
    with pytest.raises(
        ReadOnlyViolation, match=r"^refused: BILATERAL_SQL_URL / --sql-db logs in as a superuser"
    ):
        run_readonly(engine, "SELECT 1", {}, reader_url=superuser)
    with engine.connect() as conn:
        role = _reader_role(conn)
    reader = engine.url.set(username=role).render_as_string(hide_password=False)
    result = run_readonly(
        engine, "SELECT count(*) AS n, current_user AS who FROM meetings", {}, reader_url=reader
    )
    assert list(result.rows) == [(4, role)]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_plain_archive_user_falls_back_to_set_role(engine: Engine, small_archive: Any) -> None:
    owner = f"bilateral_plain_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        role = _reader_role(conn)
        conn.execute(text(f'CREATE ROLE "{owner}" LOGIN NOSUPERUSER'))
        conn.execute(text(f'GRANT "{role}" TO "{owner}"'))
        conn.execute(text(f'GRANT SELECT, DELETE ON ALL TABLES IN SCHEMA public TO "{owner}"'))
        conn.execute(text(f'ALTER ROLE "{role}" NOLOGIN'))
    plain = create_engine(engine.url.set(username=owner), poolclass=NullPool)
    try:
        assert _rows(plain, "SELECT current_user AS who") == (("who",), [(role,)])
        for attempt in (
            "SELECT set_config('role', 'none', false), query_to_xml('DELETE FROM meetings', true, false, '')",
            "DELETE FROM meetings",
            "SELECT pg_read_file('/etc/hostname')",
        ):
            with pytest.raises(ReadOnlyViolation, match=r"^refused: "):
                _rows(plain, attempt)
    finally:
        plain.dispose()
        with engine.begin() as conn:
            conn.execute(text(f'ALTER ROLE "{role}" LOGIN'))
            conn.execute(text(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{owner}"'))
            conn.execute(text(f'DROP OWNED BY "{owner}"'))
        engine.dispose()
        with create_engine(engine.url, isolation_level="AUTOCOMMIT", poolclass=NullPool).connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{owner}"'))
    assert _rows(engine, "SELECT count(*) AS n FROM meetings") == (("n",), [(4,)])
