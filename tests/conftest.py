"""Shared fixtures: a fresh archive on SQLite and on PostgreSQL, and the shared data folder.

`db_url` (an empty database) → `engine` (migrated to head) → `session`. Every PostgreSQL test gets its own
database, created from the server named by $BILATERAL_TEST_POSTGRES_URL and dropped afterwards, so tests and
concurrent runs never see each other's rows. When that server is unreachable the PostgreSQL tests are skipped
with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from bilateral.store.engine import normalize_url, open_archive

POSTGRES_DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REPO_ROOT = Path(__file__).resolve().parents[1]


def _in_ci() -> bool:
    """Tell whether the suite runs in CI, where an unreachable PostgreSQL is a failure."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[tuple[Engine | None, URL, str]]:
    """Connect once to the test PostgreSQL server: (admin engine or None, its URL, why it is unusable)."""
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
        yield None, url, f"PostgreSQL unreachable at {url.render_as_string()}: {reason}"
        return
    yield admin, url, ""
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_server: tuple[Engine | None, URL, str]
) -> Iterator[str]:
    """Return the URL of a new, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.db'}"
        return
    admin, url, reason = postgres_server
    if admin is None:
        if _in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"bilateral_test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
