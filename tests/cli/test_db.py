"""`bilateral db`: build the archive, report its revision, refuse foreign and newer databases in one line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, text

from bilateral.cli import main
from bilateral.store.engine import head_revision, normalize_url


def test_db_upgrade_builds_the_archive_with_countries(db_url: str) -> None:
    runner = CliRunner()
    before = runner.invoke(main, ["--db", db_url, "db", "current"])
    assert (before.exit_code, before.output) == (0, "- (empty)\n")
    result = runner.invoke(main, ["db", "upgrade", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f": schema at revision {head_revision()} (head)\n")
    after = runner.invoke(main, ["db", "current", "--db", db_url])
    assert after.output == f"{head_revision()} (up to date)\n"
    engine = create_engine(normalize_url(db_url))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT gw FROM countries WHERE iso3 = 'DEU'")).scalar_one() == 260
    engine.dispose()


def test_newer_archive_is_one_line_error(engine: Engine, db_url: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    result = CliRunner().invoke(main, ["--db", db_url, "db", "upgrade"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("Error: ") and "made by a newer bilateral" in result.output
    assert "Traceback" not in result.output


def test_not_an_archive_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "photo.db"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(4000))
    result = CliRunner().invoke(main, ["--db", f"sqlite:///{path}", "db", "upgrade"])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: sqlite:///{path} is not a bilateral archive (not a database): pass another --db\n"
    )
