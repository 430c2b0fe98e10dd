"""`bilateral db check`: a clean archive passes; each kind of damage is found, named, and exits 1."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bilateral.store.check import check_archive
from bilateral.store.engine import downgrade, open_archive


def findings(output: str) -> list[dict[str, str]]:
    """Parse `db check --format csv` rows."""
    return list(csv.DictReader(io.StringIO(output)))


def test_clean_archive_passes(filled: str, bl) -> None:  # type: ignore[no-untyped-def]
    result = bl.invoke(filled, "db", "check", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == "severity,check,table,row,detail\n"
    assert result.stderr == "db check: 0 problems, 0 notes\n"


def _sql(db_url: str, *statements: str) -> None:
    """Run statements with foreign-key enforcement off, as damage done outside bilateral would be."""
    engine = open_archive(db_url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            else:
                conn.execute(text("SET session_replication_role = replica"))
            for statement in statements:
                conn.execute(text(statement))
            conn.commit()
            conn.invalidate()
    finally:
        engine.dispose()


FIRST_MEETING = "(SELECT min(id) FROM meetings)"
FIRST_AGREEMENT = "(SELECT min(id) FROM agreements)"
DAMAGE = {
    "meeting_without_participants": [f"DELETE FROM meeting_participants WHERE meeting_id = {FIRST_MEETING}"],
    "meeting_without_sources": [f"DELETE FROM meeting_sources WHERE meeting_id = {FIRST_MEETING}"],
    "agreement_without_parties": [f"DELETE FROM agreement_parties WHERE agreement_id = {FIRST_AGREEMENT}"],
    "agreement_without_sources": [f"DELETE FROM agreement_sources WHERE agreement_id = {FIRST_AGREEMENT}"],
    "evidence_offsets": ["UPDATE meeting_sources SET end_offset = end_offset + 100000"],
    "participant_key": [
        "UPDATE meeting_participants SET participant_key = 'c:ZZZ' WHERE id = (SELECT min(id) "
        "FROM meeting_participants)"
    ],
    "sides_key": [f"UPDATE meetings SET sides_key = 'c:ZZZ' WHERE id = {FIRST_MEETING}"],
    "first_source": [f"UPDATE meetings SET first_source_id = NULL WHERE id = {FIRST_MEETING}"],
    "aggregate_recount": [
        "UPDATE kind_counts SET events = events + 1",
        "DELETE FROM event_dyads WHERE event_id = (SELECT min(event_id) FROM event_dyads)",
    ],
    "orphan": [
        "INSERT INTO meeting_participants (meeting_id, official_id, country, role, participant_key) "
        "VALUES (987654, NULL, 'IRN', 'participant', 'c:IRN')"
    ],
    "seen_dates": [
        "UPDATE officials SET first_seen = '2099-01-01' WHERE id = (SELECT min(id) FROM officials)"
    ],
}


@pytest.mark.parametrize("check", sorted(DAMAGE))
def test_damage_is_found_and_exits_1(filled: str, check: str, bl) -> None:  # type: ignore[no-untyped-def]
    _sql(filled, *DAMAGE[check])
    result = bl.invoke(filled, "db", "check", "--format", "csv")
    assert result.exit_code == 1, result.output
    rows = findings(result.stdout)
    assert {row["check"] for row in rows if row["severity"] == "problem"} >= {check}
    assert "Traceback" not in result.output
    assert result.stderr.startswith("db check: ") and result.stderr.count("\n") == 1


def test_sqlite_foreign_key_check_and_integrity_check(tmp_path: Path, bl) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'a.db'}"
    folder = bl.write_corpus(tmp_path / "corpus", range(4))
    assert bl.invoke(url, "ingest", "--quiet", str(folder)).exit_code == 0
    _sql(url, "DELETE FROM articles WHERE id = (SELECT min(id) FROM articles)")
    rows = findings(bl.invoke(url, "db", "check", "--format", "csv").stdout)
    assert "foreign_key_check" in {row["check"] for row in rows}
    # Damage the file itself: overwrite pages in the middle (not the header).
    path = tmp_path / "a.db"
    engine = open_archive(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 40), page * 2):
        data[offset + 100 : offset + 600] = bytes(range(250)) * 2
    path.write_bytes(bytes(data))
    result = bl.invoke(url, "db", "check", "--format", "csv")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # Either SQLite's check lists the damage, or the file cannot be read at all: one line says so.
    listed = {row["check"] for row in findings(result.stdout)} & {"integrity_check", "foreign_key_check"}
    assert listed or (result.output.startswith("Error: cannot check ") and result.output.count("\n") == 1)


def test_officials_without_positions_are_notes(filled: str, bl) -> None:  # type: ignore[no-untyped-def]
    _sql(filled, "DELETE FROM positions")
    result = bl.invoke(filled, "db", "check", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = findings(result.stdout)
    assert rows and {(row["severity"], row["check"]) for row in rows} == {
        ("note", "official_without_positions")
    }


def test_older_schema_is_one_finding(engine: Engine) -> None:
    downgrade(engine, "0002")
    found = check_archive(engine)
    assert [(f.check, f.severity) for f in found] == [("schema_revision", "problem")]
    assert "bilateral db upgrade" in found[0].detail


def test_empty_database_is_one_line_error(db_url: str, bl) -> None:  # type: ignore[no-untyped-def]
    result = bl.invoke(db_url, "db", "check")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "holds no archive" in result.output
    assert result.output.count("\n") == 1


def test_limit_counts_the_rest(filled: str, bl) -> None:  # type: ignore[no-untyped-def]
    _sql(filled, "UPDATE meeting_sources SET end_offset = end_offset + 100000")
    result = bl.invoke(filled, "db", "check", "--format", "csv", "--limit", "2")
    rows = [row for row in findings(result.stdout) if row["check"] == "evidence_offsets"]
    assert len(rows) == 3
    assert rows[-1]["detail"].startswith("and ") and rows[-1]["detail"].endswith(" more rows")
