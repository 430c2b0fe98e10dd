"""Shared fixtures: a fresh archive on SQLite and on PostgreSQL, and the shared data folder.

`db_url` (a new database) → `engine` (migrated to head) → `session`. Every test gets its own database: a file
in its tmp_path on SQLite; on PostgreSQL a database created on the server named by
$BILATERAL_TEST_POSTGRES_URL and dropped afterwards (WITH (FORCE)), so tests and concurrent runs never see
each other's rows. When that server is unreachable the PostgreSQL tests are skipped with the reason, except
under CI=true, where they fail.

Speed: migrating takes longer than copying, so the schema is migrated once per session into a template (a
SQLite file, a PostgreSQL template database) and a test that uses `engine` gets a copy of it; a test that uses
`db_url` alone gets an empty database. PostgreSQL databases are dropped in a background thread.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from bilateral.store.engine import normalize_url, open_archive

POSTGRES_DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REPO_ROOT = Path(__file__).resolve().parents[1]


def _in_ci() -> bool:
    """Tell whether the suite runs in CI, where an unreachable PostgreSQL is a failure."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def _migrate(url: str) -> None:
    """Create the archive schema at `url` and close every connection to it."""
    open_archive(url).dispose()


@dataclass
class PostgresServer:
    """The test PostgreSQL server: an admin engine, a migrated template, and the drops still running."""

    url: URL
    admin: Engine | None
    reason: str = ""
    template: str | None = None
    drops: list[Future[None]] = field(default_factory=list)
    dropper: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=2))

    def execute(self, sql: str) -> None:
        """Run one statement on the maintenance connection (autocommit)."""
        assert self.admin is not None
        with self.admin.connect() as conn:
            conn.exec_driver_sql(sql)

    def database_url(self, name: str) -> str:
        """Return the URL of a database on this server."""
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, migrated: bool) -> str:
        """Create a new database (a copy of the migrated template when asked) and return its name."""
        if migrated and self.template is None:
            template = f"bilateral_template_{uuid.uuid4().hex[:16]}"
            self.execute(f'CREATE DATABASE "{template}"')
            _migrate(self.database_url(template))
            self.template = template
        name = f"bilateral_test_{uuid.uuid4().hex[:16]}"
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{self.template}"' if migrated else ""))
        return name

    def drop_later(self, name: str) -> None:
        """Drop a database (and the read-only role its migration made) in the background."""
        self.drops.append(self.dropper.submit(self.drop, name))

    def drop(self, name: str) -> None:
        """Drop a database, then its read-only role (kept when another database still uses it)."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        reader = "bilateral_ro_" + hashlib.md5(f"{name}/public".encode()).hexdigest()[:16]
        try:
            self.execute(f'DROP ROLE IF EXISTS "{reader}"')
        except DBAPIError:
            pass

    def close(self) -> None:
        """Wait for the drops, drop the template and close the admin engine."""
        self.dropper.shutdown(wait=True)
        if self.template is not None:
            self.drop(self.template)
        assert self.admin is not None
        self.admin.dispose()
        for drop in self.drops:
            drop.result()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Connect once to the test PostgreSQL server (or say why it cannot be used)."""
    url = normalize_url(os.environ.get("BILATERAL_TEST_POSTGRES_URL", POSTGRES_DEFAULT_URL))
    admin = create_engine(
        url, isolation_level="AUTOCOMMIT", poolclass=NullPool, connect_args={"connect_timeout": 5}
    )
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except OperationalError as exc:
        admin.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        yield PostgresServer(url, None, f"PostgreSQL unreachable at {url.render_as_string()}: {reason}")
        return
    server = PostgresServer(url, admin)
    yield server
    server.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite archive file migrated to head, to be copied."""
    path = tmp_path_factory.mktemp("template") / "archive.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return the URL of a new database on each backend (already migrated when the test uses `engine`)."""
    migrated = "engine" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "archive.db"
        if migrated:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    if server.admin is None:
        if _in_ci():
            pytest.fail(server.reason)
        pytest.skip(server.reason)
    name = server.create(migrated=migrated)
    try:
        yield server.database_url(name)
    finally:
        server.drop_later(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """Return an engine on a new archive migrated to head."""
    archive = open_archive(db_url)
    yield archive
    archive.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """Return an ORM session on a new archive; what it has not committed is rolled back."""
    with Session(engine) as db_session:
        yield db_session
        db_session.rollback()


@pytest.fixture
def shared_dir() -> Path:
    """Return the shared data folder (`<repo>/../shared`), skipping when this checkout has none."""
    path = (REPO_ROOT / ".." / "shared").resolve()
    if not path.is_dir():
        pytest.skip(f"shared data folder {path} is absent")
    return path


@pytest.fixture
def fail_after_storing(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], None]:
    """Return a function that makes storing the article with this ref raise once its rows are written."""
    from bilateral.store import resolve

    real = resolve.store_article

    def install(ref: str, message: str = "disk on fire") -> None:
        def store_then_fail(session: Session, article: Any, extraction: Any) -> Any:
            result = real(session, article, extraction)
            if article.ref == ref:
                raise RuntimeError(message)
            return result

        monkeypatch.setattr(resolve, "store_article", store_then_fail)

    return install
