"""Database engines and the archive's schema version: connect, upgrade by migration, refuse foreign files."""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    # alembic loads only where a revision is read or a migration runs: importing this module stays cheap.
    from alembic.config import Config
    from alembic.script import ScriptDirectory

ENV_VAR = "BILATERAL_DATABASE_URL"
DEFAULT_URL = "sqlite:///bilateral.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_CACHE_KIB = 65_536
"""Page cache per SQLite connection, in KiB (SQLite's default: 2 MiB); a large archive's writer reads less."""
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises concurrent upgrades.
_UPGRADE_LOCK_ID = 0x62696C6174  # "bilat"


class ArchiveError(Exception):
    """The database cannot be used as an archive; the message is one line and names the fix."""


def database_url(explicit: str | None = None) -> str:
    """Return the archive URL: the explicit one, else $BILATERAL_DATABASE_URL, else the default."""
    return explicit or os.environ.get(ENV_VAR) or DEFAULT_URL


def normalize_url(url: str | URL) -> URL:
    """Parse a URL (a bare file path means SQLite) and make plain PostgreSQL URLs use psycopg 3."""
    if isinstance(url, str) and "://" not in url and url.strip():
        url = URL.create("sqlite", database=url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise ArchiveError(f"cannot read database URL {str(url)!r}: use e.g. sqlite:///bilateral.db") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _is_memory(url: URL) -> bool:
    """Tell whether a SQLite URL names an in-memory database."""
    return url.database in (None, "", ":memory:")


def _install_sqlite_events(engine: Engine, *, foreign_keys: bool = True) -> None:
    """Turn on foreign keys, WAL, a busy timeout and a larger page cache; let SQLAlchemy own transactions.

    pysqlite's own transaction handling does not wrap DDL, so we disable it and emit BEGIN ourselves
    (SQLAlchemy's documented recipe). The execution option ``begin_immediate=True`` takes the write lock
    at BEGIN, which avoids lock-upgrade deadlocks between concurrent writers.
    """

    memory = _is_memory(engine.url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("begin_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """Create an engine for an archive URL (SQLite or PostgreSQL through psycopg 3)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        foreign_keys = kwargs.pop("foreign_keys", True)
        engine = create_engine(parsed, **kwargs)
        _install_sqlite_events(engine, foreign_keys=foreign_keys)
        return engine
    try:
        return create_engine(parsed, **kwargs)
    except (ImportError, ArgumentError) as exc:
        raise ArchiveError(f"cannot use database URL {parsed.render_as_string()!r}: {exc}") from exc


def migrations_dir() -> Path:
    """Return the folder holding env.py and versions/ (inside the installed package, else the source tree)."""
    shipped = resources.files("bilateral") / "_migrations"
    if shipped.is_dir():
        return Path(str(shipped))
    source_tree = Path(__file__).resolve().parents[2] / "migrations"
    if source_tree.is_dir():
        return source_tree
    raise ArchiveError("bilateral's migrations are missing from this installation: reinstall bilateral")


def alembic_config(url: str | URL | None = None) -> Config:
    """Return an alembic configuration pointing at the shipped migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("path_separator", "os")
    if url is not None:
        rendered = normalize_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


@functools.cache
def _script_directory() -> ScriptDirectory:
    """Return the shipped migration scripts (read once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """Return the newest revision this version of bilateral knows."""
    head = _script_directory().get_current_head()
    assert head is not None
    return head


def known_revisions() -> frozenset[str]:
    """Return every revision this version of bilateral knows."""
    return frozenset(rev.revision for rev in _script_directory().walk_revisions())


def current_revision(engine: Engine) -> str | None:
    """Return the archive's revision, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _migration_engine(engine: Engine) -> tuple[Engine, bool]:
    """Return the engine to migrate with (SQLite: a throwaway one, foreign keys off) and whether it is new."""
    if engine.dialect.name == "sqlite" and not _is_memory(engine.url):
        # SQLite can only switch foreign keys off outside a transaction, and batch migrations copy tables.
        return make_engine(engine.url, poolclass=NullPool, foreign_keys=False), True
    return engine, False


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the archive to `revision` in one transaction, one process at a time."""
    _run_migrations(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the archive to `revision` (``base`` empties it)."""
    _run_migrations(engine, "downgrade", revision)


def _run_migrations(engine: Engine, direction: str, revision: str) -> None:
    """Run alembic upgrade/downgrade on one locked transaction and check foreign keys on SQLite."""
    from alembic import command

    migrator, throwaway = _migration_engine(engine)
    config = alembic_config()
    try:
        with migrator.connect().execution_options(begin_immediate=True) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_ID})
            config.attributes["connection"] = conn
            if direction == "upgrade":
                command.upgrade(config, revision)
            else:
                command.downgrade(config, revision)
            if conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise ArchiveError(
                        f"migration left broken foreign keys in {broken[0][0]}: report this bug"
                    )
    finally:
        if throwaway:
            migrator.dispose()


def _check_archive(engine: Engine) -> str | None:
    """Return the archive's revision, raising ArchiveError for a foreign or too-new database."""
    from alembic.runtime.migration import MigrationContext

    where = engine.url.render_as_string()
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = MigrationContext.configure(conn).get_current_revision() if tables else None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ArchiveError(f"cannot open {where}: {reason}") from exc
    except DatabaseError as exc:
        raise ArchiveError(f"{where} is not a bilateral archive (not a database): pass another --db") from exc
    if tables and "alembic_version" not in tables:
        raise ArchiveError(
            f"{where} is not a bilateral archive (it holds other tables): pass another --db or an empty one"
        )
    if revision is not None and revision not in known_revisions():
        raise ArchiveError(
            f"{where} was made by a newer bilateral (schema revision {revision}): upgrade bilateral"
        )
    return revision


def open_archive(url: str | URL | None = None) -> Engine:
    """Return an engine on the archive, creating or upgrading its schema when needed."""
    engine = make_engine(url if isinstance(url, URL) else database_url(url))
    try:
        if _check_archive(engine) != head_revision():
            upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine
