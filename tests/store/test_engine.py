"""Opening an archive: URLs, automatic upgrade, and one-line refusals of foreign or newer databases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from bilateral.store.engine import (
    SQLITE_CACHE_KIB,
    ArchiveError,
    current_revision,
    database_url,
    head_revision,
    make_engine,
    migrations_dir,
    normalize_url,
    open_archive,
    upgrade,
)


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:///x.db", "sqlite"),
        ("archives/x.db", "sqlite"),
    ],
)
def test_normalize_url_uses_psycopg_for_postgresql(url: str, driver: str) -> None:
    assert normalize_url(url).drivername == driver


def test_bare_path_is_a_sqlite_file() -> None:
    assert normalize_url("archives/x.db").database == "archives/x.db"


@pytest.mark.parametrize("url", ["://x", "postgresql://u@h:port/db"])
def test_bad_url_is_an_archive_error(url: str) -> None:
    with pytest.raises(ArchiveError, match="cannot read database URL"):
        normalize_url(url)


def test_unknown_backend_is_an_archive_error() -> None:
    with pytest.raises(ArchiveError, match="cannot use database URL"):
        make_engine("nosuchdb://u@h/x")


def test_database_url_prefers_explicit_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BILATERAL_DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///bilateral.db"
    monkeypatch.setenv("BILATERAL_DATABASE_URL", "sqlite:///env.db")
    assert database_url() == "sqlite:///env.db"
    assert database_url("sqlite:///given.db") == "sqlite:///given.db"


def test_migrations_dir_holds_env_and_versions() -> None:
    folder = migrations_dir()
    assert (folder / "env.py").is_file()
    assert sorted(p.name[:4] for p in (folder / "versions").glob("0*.py"))[:2] == ["0001", "0002"]


def test_open_archive_creates_the_schema_on_first_use(db_url: str) -> None:
    engine = open_archive(db_url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM countries")).scalar_one() >= 195
    finally:
        engine.dispose()
    again = open_archive(db_url)
    again.dispose()


def test_open_archive_upgrades_an_older_archive(db_url: str) -> None:
    old = make_engine(db_url)
    try:
        upgrade(old, "0001")
        assert current_revision(old) == "0001"
    finally:
        old.dispose()
    engine = open_archive(db_url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT cow FROM countries WHERE iso3 = 'IRN'")).scalar_one() == 630
    finally:
        engine.dispose()


def test_sqlite_connections_enforce_foreign_keys_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 1000
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == -SQLITE_CACHE_KIB
    finally:
        engine.dispose()


def test_newer_archive_is_refused_in_one_line(engine: Engine, db_url: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(ArchiveError) as caught:
        open_archive(db_url)
    message = str(caught.value)
    assert "newer bilateral" in message and "9999_from_the_future" in message
    assert "\n" not in message


def test_database_with_other_tables_is_refused(db_url: str) -> None:
    other = create_engine(normalize_url(db_url))
    with other.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    other.dispose()
    with pytest.raises(ArchiveError, match="is not a bilateral archive") as caught:
        open_archive(db_url)
    assert "\n" not in str(caught.value)


def test_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("These are notes, not a database.\n" * 100)
    with pytest.raises(ArchiveError, match="is not a bilateral archive") as caught:
        open_archive(f"sqlite:///{path}")
    assert "\n" not in str(caught.value)
    assert path.read_text().startswith("These are notes")


def test_unreachable_server_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="cannot open") as caught:
        open_archive(f"sqlite:///{tmp_path / 'missing-folder' / 'a.db'}")
    assert "\n" not in str(caught.value)


def test_concurrent_first_use_builds_the_schema_once(db_url: str) -> None:
    code = "import sys; from bilateral.store.engine import open_archive; open_archive(sys.argv[1]).dispose()"
    processes = [
        subprocess.Popen([sys.executable, "-c", code, db_url], stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert (
                conn.execute(text("SELECT count(*) FROM organizations WHERE code = 'UN'")).scalar_one() == 1
            )
    finally:
        engine.dispose()
