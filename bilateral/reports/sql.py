"""Read-only SQL on the archive, enforced below the SQL text, and the example queries bilateral ships.

SQLite: a separate `mode=ro` connection with `PRAGMA query_only`, an authorizer that allows reading only
(SELECT, reads, functions other than load_extension, a short list of schema-reading PRAGMAs; no ATTACH — which
also stops `VACUUM INTO` —, no PRAGMA writes, no transactions), a progress handler for the timeout, and
Python's sqlite3, which runs one statement per call.

PostgreSQL: a separate connection that logs in as the non-superuser read-only role the migrations made for
this database (SELECT only) — or as the user of `BILATERAL_SQL_URL` / `--sql-db` —, a READ ONLY transaction
with a local statement_timeout, and the statement sent through the extended protocol, which refuses more than
one statement. Logging in as the role (rather than `SET ROLE` from the archive's user) matters: a superuser
session can leave a role with `set_config('role', ...)`, `RESET ROLE` or `SET SESSION AUTHORIZATION` and then
read server files. When that login fails, `SET ROLE` is used only if the archive's user is no superuser;
otherwise the query is refused with a message naming `BILATERAL_SQL_URL`.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url

from bilateral.reports.filters import ReportError

DEFAULT_TIMEOUT = 30.0
READER_ROLE_SQL = """
SELECT r.rolname FROM pg_roles r
WHERE r.rolname LIKE %(pattern)s AND NOT r.rolsuper AND NOT r.rolcreaterole AND NOT r.rolbypassrls
  AND has_table_privilege(r.oid, format('%%I.meetings', current_schema()), 'SELECT')
  AND NOT has_table_privilege(r.oid, format('%%I.meetings', current_schema()), 'INSERT, UPDATE, DELETE')
ORDER BY r.rolname = 'bilateral_ro_' || substr(md5(current_database() || '/' || current_schema()), 1, 16)
         DESC, r.rolname
LIMIT 1
"""
"""Find the read-only role migration 0003 made: a plain role that may read this archive and not change it.

Looked up by its privileges rather than recomputed from the database's name, so a database copied from a
template or renamed keeps working.
"""
POWERFUL_ROLE_SQL = """
SELECT EXISTS (
  SELECT 1 FROM pg_roles r
  WHERE pg_has_role(session_user, r.oid, 'MEMBER')
    AND (r.rolsuper OR r.rolname IN ('pg_read_server_files', 'pg_write_server_files',
                                     'pg_execute_server_program'))
)
"""
"""Tell whether the session's login user is (or may become) a superuser or may touch server files."""
SQL_URL_HELP = (
    "point BILATERAL_SQL_URL (or --sql-db) at a URL that logs in as a read-only, non-superuser role"
    " (see the README, 'Read-only SQL')"
)
_FETCH = 1000
_SQL_WORDS = {
    "ABORT", "ANALYZE", "BEGIN", "CHECKPOINT", "COMMIT", "DISCARD", "END", "LISTEN", "REINDEX", "RELEASE",
    "RESET", "ROLLBACK", "SAVEPOINT", "SHOW", "START", "VACUUM",
}  # fmt: skip
"""One-word statements: run as SQL (and refused there), not taken for a shipped query's name."""

_ALLOWED_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}
_DENIED_FUNCTIONS = {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"}
_SCHEMA_PRAGMAS = {
    "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "table_list", "database_list", "collation_list", "function_list", "pragma_list", "compile_options",
}  # fmt: skip
"""PRAGMAs that only read the schema, allowed with an argument (a table or index name)."""
_VALUE_PRAGMAS = {"user_version", "schema_version", "application_id", "encoding", "page_count", "page_size"}
"""PRAGMAs allowed only without an argument (reading their value; with one they would write)."""


class ReadOnlyViolation(ReportError):
    """The query tried to write or escape, or ran too long; nothing was changed."""


@dataclass(frozen=True)
class SqlResult:
    """Column names and rows (an iterator that closes the read-only connection when done)."""

    columns: tuple[str, ...]
    rows: Iterator[tuple[Any, ...]]


# ------------------------------------------------------------------------------------ shipped queries


@dataclass(frozen=True)
class ShippedQuery:
    """An example query shipped in bilateral/queries: its name, description, parameters and SQL."""

    name: str
    description: str
    params: tuple[str, ...]
    sql: str


def shipped_queries() -> dict[str, ShippedQuery]:
    """Return the shipped example queries by name (file name without .sql)."""
    folder = resources.files("bilateral") / "queries"
    queries: dict[str, ShippedQuery] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql"):
            continue
        sql = entry.read_text(encoding="utf-8")
        comments = [line[2:].strip() for line in sql.splitlines() if line.startswith("--")]
        description = comments[0] if comments else ""
        params = tuple(dict.fromkeys(bind_names(sql)))
        queries[entry.name[:-4]] = ShippedQuery(entry.name[:-4], description, params, sql)
    return queries


def bind_names(sql: str) -> list[str]:
    """Return the `:name` parameters a query uses, as SQLAlchemy's text() reads them."""
    return list(text(sql).compile().binds)


def query_text(query: str | None, path: str | None) -> str:
    """Return the SQL to run: from --file, a shipped query's name, or the text itself."""
    if path is not None:
        if query is not None:
            raise ReportError("give the query as text or with --file, not both")
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ReportError(f"{path}: cannot read the query ({exc.__class__.__name__})") from None
    if query is None or not query.strip():
        raise ReportError("give a query, a shipped query's name (see --list) or --file q.sql")
    shipped = shipped_queries()
    name = query.strip().rstrip(";").strip()
    if re.fullmatch(r"[A-Za-z_][\w-]*", name) and name.upper() not in _SQL_WORDS:
        if name in shipped:
            return shipped[name].sql
        raise ReportError(f"no shipped query is named {name!r}: see `bilateral sql --list`")
    return query


def typed_value(value: str) -> int | float | str:
    """Return a parameter value as an int or a float when it reads as one, else as text."""
    if re.fullmatch(r"[+-]?\d+", value):
        return int(value)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?", value):
        return float(value)
    return value


def _bind(sql: str, params: Mapping[str, str]) -> dict[str, Any]:
    """Check the parameters against the query's and return them typed."""
    wanted = bind_names(sql)
    missing = [name for name in wanted if name not in params]
    if missing:
        raise ReportError(f"the query needs -p {missing[0]} VALUE")
    unused = sorted(set(params) - set(wanted))
    if unused:
        raise ReportError(f"the query has no parameter :{unused[0]}: remove -p {unused[0]}")
    return {name: typed_value(params[name]) for name in wanted}


# ------------------------------------------------------------------------------------ running


def run_readonly(
    engine: Engine,
    sql: str,
    params: Mapping[str, str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    reader_url: str | None = None,
) -> SqlResult:
    """Run one read-only statement on the archive; a write or an escape raises ReadOnlyViolation.

    On PostgreSQL, `reader_url` (BILATERAL_SQL_URL) names the read-only login to use instead of the
    archive's read-only role.
    """
    if timeout <= 0:
        raise ReportError("--timeout must be more than 0 seconds")
    values = _bind(sql, params)
    if engine.dialect.name == "sqlite":
        return _run_sqlite(engine, sql, values, timeout)
    if engine.dialect.name == "postgresql":
        return _run_postgresql(engine, sql, values, timeout, reader_url)
    raise ReportError(f"read-only SQL is not supported on {engine.dialect.name}")


def _authorize(action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
    """Allow reading only (sqlite3 authorizer callback)."""
    if action in _ALLOWED_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_DENY if (arg2 or "").lower() in _DENIED_FUNCTIONS else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA:
        pragma = (arg1 or "").lower()
        if pragma in _SCHEMA_PRAGMAS or (pragma in _VALUE_PRAGMAS and arg2 is None):
            return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _sqlite_path(engine: Engine) -> str:
    """Return the archive file of a SQLite engine."""
    database = engine.url.database
    if not database or database == ":memory:":
        raise ReportError("read-only SQL needs an archive file, not an in-memory database")
    return str(Path(database).resolve())


def _run_sqlite(engine: Engine, sql: str, values: dict[str, Any], timeout: float) -> SqlResult:
    """Run one statement on a read-only, authorized SQLite connection."""
    path = _sqlite_path(engine)
    conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(_authorize)
    deadline = time.monotonic() + timeout
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        cursor = conn.execute(sql, values)
    except (sqlite3.Error, sqlite3.Warning) as exc:
        conn.close()
        raise _sqlite_problem(exc, timeout) from None
    columns = tuple(d[0] for d in cursor.description or ())

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            while batch := cursor.fetchmany(_FETCH):
                yield from (tuple(r) for r in batch)
        except sqlite3.Error as exc:
            raise _sqlite_problem(exc, timeout) from None
        finally:
            conn.close()

    return SqlResult(columns, rows())


def _sqlite_problem(exc: Exception, timeout: float) -> ReportError:
    """Turn a SQLite error into a one-line message."""
    message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    if any(word in message for word in ("not authorized", "authorization denied", "readonly", "read-only")):
        return ReadOnlyViolation(f"refused: the archive is read-only here ({message})")
    if "interrupted" in message:
        return ReadOnlyViolation(f"stopped: the query ran longer than --timeout {timeout:g} s")
    if "one statement at a time" in message:
        return ReadOnlyViolation("refused: one statement per call (remove the extra ';' statements)")
    return ReportError(f"SQL error: {message}")


def _libpq_url(url: URL) -> str:
    """Return a SQLAlchemy PostgreSQL URL as a libpq connection string."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _powerful(cursor: Any) -> bool:
    """Tell whether the session's login user is or may become a superuser (or may read server files)."""
    return bool(cursor.execute(POWERFUL_ROLE_SQL).fetchone()[0])


def _reader_connection(engine: Engine, reader_url: str | None) -> tuple[Any, str | None]:
    """Return a psycopg connection logged in as a read-only user, and the role to SET when it is not one."""
    import psycopg

    if reader_url is not None:
        try:
            url = make_url(reader_url)
        except Exception:
            raise ReportError(f"BILATERAL_SQL_URL / --sql-db {reader_url!r} is not a database URL") from None
        try:
            raw = psycopg.connect(_libpq_url(url), connect_timeout=10)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[-1].strip() if str(exc).strip() else exc.__class__.__name__
            raise ReportError(f"cannot log in with BILATERAL_SQL_URL / --sql-db ({reason})") from None
        if _powerful(raw.cursor()):
            raw.close()
            raise ReadOnlyViolation(
                "refused: BILATERAL_SQL_URL / --sql-db logs in as a superuser or a server-file role; "
                + SQL_URL_HELP
            )
        raw.rollback()
        return raw, None
    with engine.connect() as conn:
        driver: Any = conn.connection.driver_connection
        cursor = driver.cursor()
        found = cursor.execute(READER_ROLE_SQL, {"pattern": "bilateral\\_ro\\_%"}).fetchone()
        powerful = _powerful(cursor)
        conn.rollback()
    if found is None:
        raise ReportError(
            "this archive has no read-only role: upgrade it as a user who may create roles, or "
            + SQL_URL_HELP
        )
    role = str(found[0])
    try:
        raw = psycopg.connect(_libpq_url(engine.url.set(username=role, password=None)), connect_timeout=10)
    except psycopg.Error as exc:
        if powerful:
            reason = str(exc).strip().splitlines()[-1].strip() if str(exc).strip() else exc.__class__.__name__
            raise ReadOnlyViolation(
                f"refused: cannot log in as the read-only role {role} ({reason}) and the archive's user is a"
                f" superuser; {SQL_URL_HELP}"
            ) from None
        # A plain user that is a member of the role: SET ROLE is safe, it can only return to itself.
        raw = psycopg.connect(_libpq_url(engine.url), connect_timeout=10)
        return raw, role
    if _powerful(raw.cursor()):
        raw.close()
        raise ReadOnlyViolation(f"refused: the read-only role {role} may become a superuser; {SQL_URL_HELP}")
    raw.rollback()
    return raw, None


def _run_postgresql(
    engine: Engine, sql: str, values: dict[str, Any], timeout: float, reader_url: str | None
) -> SqlResult:
    """Run one statement, logged in as a read-only user, inside a READ ONLY transaction with a timeout."""
    import psycopg

    compiled = text(sql).compile(dialect=engine.dialect)
    statement = compiled.string
    bound = compiled.construct_params(values)
    raw, role = _reader_connection(engine, reader_url)
    try:
        cursor = raw.cursor()
        cursor.execute("SET TRANSACTION READ ONLY")
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", (f"{int(timeout * 1000)}ms",))
        if role is not None:
            cursor.execute(f'SET LOCAL ROLE "{role}"')
        cursor.execute(statement, bound, prepare=True)
    except psycopg.Error as exc:
        _close_postgresql(raw)
        raise _postgresql_problem(exc, timeout) from None
    except BaseException:
        _close_postgresql(raw)
        raise
    if cursor.description is None:
        _close_postgresql(raw)
        raise ReadOnlyViolation("refused: only queries that return rows may run here (nothing was changed)")
    columns = tuple(d.name for d in cursor.description)

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            while batch := cursor.fetchmany(_FETCH):
                yield from (tuple(r) for r in batch)
        finally:
            _close_postgresql(raw)

    return SqlResult(columns, rows())


def _close_postgresql(raw: Any) -> None:
    """Roll back and close the read-only connection (a query may have changed session settings)."""
    try:
        raw.rollback()
    finally:
        raw.close()


def _postgresql_problem(exc: Exception, timeout: float) -> ReportError:
    """Turn a PostgreSQL error into a one-line message."""
    import psycopg

    message = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    if isinstance(exc, psycopg.errors.QueryCanceled):
        return ReadOnlyViolation(f"stopped: the query ran longer than --timeout {timeout:g} s")
    refused = (
        psycopg.errors.InsufficientPrivilege
        | psycopg.errors.ReadOnlySqlTransaction
        | psycopg.errors.ProhibitedSqlStatementAttempted
    )
    if isinstance(exc, refused) or "not allowed in a non-volatile function" in message:
        return ReadOnlyViolation(f"refused: the archive is read-only here ({message})")
    if isinstance(exc, psycopg.errors.ActiveSqlTransaction | psycopg.errors.InvalidTransactionState):
        return ReadOnlyViolation(f"refused: transactions cannot be changed here ({message})")
    if "multiple commands" in message:
        return ReadOnlyViolation("refused: one statement per call (remove the extra ';' statements)")
    return ReportError(f"SQL error: {message}")
