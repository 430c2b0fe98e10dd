"""The archive's integrity report (`bilateral db check`): what constraints cannot see, and what they should.

Checks, each a list of findings (`problem` makes `db check` exit 1; `note` is reported only):

- the schema is at this version's head revision (else nothing else is checked);
- SQLite: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`; PostgreSQL: constraints left NOT VALID
  and invalid indexes;
- every foreign key of the models, recounted by an anti-join (orphans), whatever the backend enforces;
- meetings without participants or sources, agreements without parties or sources;
- evidence whose offsets leave the article text or whose slice differs from the stored evidence;
- participant and party keys that do not name their row's official, country or organisation; a meeting's or
  agreement's `sides_key` that is not the sorted sides of its participants or parties;
- a `first_source` that is not one of the record's sources; first seen after last seen;
- aggregate tables that differ from a recount of the base tables;
- officials without any position (a note: an article may name a person without a post).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, and_, select, text
from sqlalchemy.exc import SQLAlchemyError

from bilateral.store import aggregates
from bilateral.store.engine import current_revision, head_revision, known_revisions
from bilateral.store.meetings import side_of, sides_key
from bilateral.store.models import Base

Severity = Literal["problem", "note"]
COLUMNS = ("severity", "check", "table", "row", "detail")
DEFAULT_LIMIT = 50
"""Findings listed per check; the rest are counted in one more finding."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong (or worth knowing) about the archive, located by table and row."""

    check: str
    table: str
    row: str
    detail: str
    severity: Severity = "problem"

    def cells(self) -> tuple[str, str, str, str, str]:
        """Return the finding as a row in COLUMNS order."""
        return (self.severity, self.check, self.table, self.row, self.detail)


@dataclass(frozen=True, slots=True)
class _Query:
    """A check written as SQL returning (row id, detail) for every offending row."""

    check: str
    table: str
    sql: str
    severity: Severity = "problem"


def _evidence_query(table: str, parent: str) -> _Query:
    return _Query(
        "evidence_offsets",
        table,
        f"SELECT s.id, 'article ' || s.article_id || ' [' || s.start_offset || ':' || s.end_offset || ']' "
        f"FROM {table} s JOIN articles a ON a.id = s.article_id "
        "WHERE s.end_offset > length(a.text) "
        "OR substr(a.text, s.start_offset + 1, s.end_offset - s.start_offset) <> s.evidence "
        "ORDER BY s.id",
    )


def _first_source_query(table: str, sources: str, fk: str) -> _Query:
    return _Query(
        "first_source",
        table,
        f"SELECT r.id, 'first source ' || COALESCE(CAST(r.first_source_id AS VARCHAR(20)), 'missing') "
        f"|| ' is not one of its sources' FROM {table} r "
        f"WHERE EXISTS (SELECT 1 FROM {sources} s WHERE s.{fk} = r.id) AND (r.first_source_id IS NULL "
        f"OR NOT EXISTS (SELECT 1 FROM {sources} s "
        f"WHERE s.{fk} = r.id AND s.article_id = r.first_source_id)) "
        "ORDER BY r.id",
    )


def _seen_query(table: str) -> _Query:
    return _Query(
        "seen_dates",
        table,
        f"SELECT id, 'first seen ' || first_seen || ' after last seen ' || last_seen FROM {table} "
        "WHERE first_seen > last_seen ORDER BY id",
    )


QUERIES: tuple[_Query, ...] = (
    _Query(
        "meeting_without_participants",
        "meetings",
        "SELECT m.id, m.kind || ' ' || COALESCE(CAST(m.date AS VARCHAR(10)), 'undated') FROM meetings m "
        "WHERE NOT EXISTS (SELECT 1 FROM meeting_participants p WHERE p.meeting_id = m.id) ORDER BY m.id",
    ),
    _Query(
        "meeting_without_sources",
        "meetings",
        "SELECT m.id, m.kind || ' ' || COALESCE(CAST(m.date AS VARCHAR(10)), 'undated') FROM meetings m "
        "WHERE NOT EXISTS (SELECT 1 FROM meeting_sources s WHERE s.meeting_id = m.id) ORDER BY m.id",
    ),
    _Query(
        "agreement_without_parties",
        "agreements",
        "SELECT a.id, a.title FROM agreements a "
        "WHERE NOT EXISTS (SELECT 1 FROM agreement_parties p WHERE p.agreement_id = a.id) ORDER BY a.id",
    ),
    _Query(
        "agreement_without_sources",
        "agreements",
        "SELECT a.id, a.title FROM agreements a "
        "WHERE NOT EXISTS (SELECT 1 FROM agreement_sources s WHERE s.agreement_id = a.id) ORDER BY a.id",
    ),
    _evidence_query("meeting_sources", "meetings"),
    _evidence_query("agreement_sources", "agreements"),
    _Query(
        "participant_key",
        "meeting_participants",
        "SELECT p.id, 'key ' || p.participant_key || ' does not name its participant' "
        "FROM meeting_participants p WHERE p.participant_key <> CASE "
        "WHEN p.official_id IS NOT NULL THEN 'o:' || CAST(p.official_id AS VARCHAR(20)) "
        "WHEN p.country IS NOT NULL THEN 'c:' || p.country ELSE 'g:' || p.org END ORDER BY p.id",
    ),
    _Query(
        "party_key",
        "agreement_parties",
        "SELECT p.id, 'key ' || p.party_key || ' does not name its party' FROM agreement_parties p "
        "WHERE p.party_key <> CASE WHEN p.country IS NOT NULL THEN 'c:' || p.country "
        "ELSE 'g:' || p.org END ORDER BY p.id",
    ),
    _first_source_query("meetings", "meeting_sources", "meeting_id"),
    _first_source_query("agreements", "agreement_sources", "agreement_id"),
    _seen_query("officials"),
    _seen_query("positions"),
    _Query(
        "position_country",
        "positions",
        "SELECT p.id, 'held for ' || p.country_key || ' by an official of ' || o.country_key "
        "FROM positions p JOIN officials o ON o.id = p.official_id "
        "WHERE p.country_key <> o.country_key ORDER BY p.id",
    ),
    _Query(
        "official_without_positions",
        "officials",
        "SELECT o.id, o.name || ' (' || o.country_key || ')' FROM officials o "
        "WHERE NOT EXISTS (SELECT 1 FROM positions p WHERE p.official_id = o.id) ORDER BY o.id",
        severity="note",
    ),
)


def _limited(
    check: str, table: str, rows: Iterator[Sequence[Any]], severity: Severity, limit: int
) -> list[Finding]:
    """Turn (row id, detail) rows into findings, listing at most `limit` and counting the rest."""
    findings: list[Finding] = []
    more = 0
    for row in rows:
        if len(findings) < limit:
            findings.append(Finding(check, table, str(row[0]), str(row[1]), severity))
        else:
            more += 1
    if more:
        findings.append(Finding(check, table, "", f"and {more} more rows", severity))
    return findings


def _orphans(conn: Connection, limit: int) -> list[Finding]:
    """Find rows whose foreign keys name no row, for every foreign key of the models."""
    findings: list[Finding] = []
    for table in Base.metadata.sorted_tables:
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            child, parent = fk.parent, fk.column
            key = next(iter(table.primary_key.columns))
            query = (
                select(key, child)
                .select_from(table.outerjoin(parent.table, parent == child))
                .where(and_(child.is_not(None), parent.is_(None)))
                .order_by(key)
            )
            rows = (
                (row[0], f"{child.name} = {row[1]} names no {parent.table.name} row")
                for row in conn.execute(query)
            )
            findings += _limited("orphan", table.name, rows, "problem", limit)
    return findings


_SIDES_ROWS = {
    "meetings": "SELECT m.id, m.sides_key, p.country, p.org FROM meetings m "
    "LEFT JOIN meeting_participants p ON p.meeting_id = m.id ORDER BY m.id",
    "agreements": "SELECT a.id, a.sides_key, p.country, p.org FROM agreements a "
    "LEFT JOIN agreement_parties p ON p.agreement_id = a.id ORDER BY a.id",
}


def _sides_checks(conn: Connection, limit: int) -> list[Finding]:
    """Find meetings and agreements whose `sides_key` is not the sorted sides of their rows (streamed)."""
    findings: list[Finding] = []
    for table, sql in _SIDES_ROWS.items():

        def wrong(rows: Iterator[Sequence[Any]]) -> Iterator[tuple[int, str]]:
            for (record_id, stored), group in itertools.groupby(rows, key=lambda row: (row[0], row[1])):
                sides = {side_of(country, org) for _, _, country, org in group}
                expected = sides_key(sorted(side for side in sides if side))
                if stored != expected:
                    yield record_id, f"sides_key {stored!r}, its rows say {expected!r}"

        findings += _limited("sides_key", table, wrong(iter(conn.execute(text(sql)))), "problem", limit)
    return findings


def _sqlite_checks(conn: Connection, limit: int) -> list[Finding]:
    """Run SQLite's own integrity and foreign-key checks."""
    findings: list[Finding] = []
    rows = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
    if rows != ["ok"]:
        findings += _limited("integrity_check", "", ((i, r) for i, r in enumerate(rows, 1)), "problem", limit)
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    findings += _limited(
        "foreign_key_check",
        "",
        ((f"{r[0]}:{r[1]}", f"names no {r[2]} row (foreign key {r[3]})") for r in broken),
        "problem",
        limit,
    )
    return findings


def _postgresql_checks(conn: Connection, limit: int) -> list[Finding]:
    """Find constraints left NOT VALID and invalid indexes in the archive's schema."""
    not_valid = conn.execute(
        text(
            "SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c "
            "JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE n.nspname = current_schema() AND NOT c.convalidated ORDER BY 1, 2"
        )
    )
    findings = _limited(
        "constraint_not_valid",
        "",
        ((r[0], f"constraint {r[1]} is not validated") for r in not_valid),
        "problem",
        limit,
    )
    invalid = conn.execute(
        text(
            "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND NOT i.indisvalid ORDER BY 1, 2"
        )
    )
    findings += _limited(
        "index_invalid", "", ((r[0], f"index {r[1]} is invalid") for r in invalid), "problem", limit
    )
    return findings


_COUNTED = ("events", "first_date", "last_date")
_SIDES = {1: "missing", 2: "extra"}


def _expected_sql(conn: Connection, table: str, columns: list[str]) -> str:
    """Return a SELECT of the rows an aggregate table should hold.

    Event tables are recounted from the base tables; a count table (keys, then events, first and last date)
    is the grouping of the stored event table its keys come from, which is checked against a recount first.
    """
    if tuple(columns[-3:]) != _COUNTED:
        return aggregates.recount_statements(conn)[table]
    keys = ", ".join(columns[:-3])
    source = "event_dyads" if "country_a" in columns else "event_facts"
    counted = "COUNT(*) AS events, MIN(date) AS first_date, MAX(date) AS last_date"
    return f"SELECT {keys}, {counted} FROM {source} GROUP BY {keys}"


def _aggregate_checks(conn: Connection, limit: int) -> list[Finding]:
    """Compare every aggregate table with what the base tables say it should hold, in one SQL pass each."""
    findings: list[Finding] = []
    for table, listed in aggregates.AGGREGATE_COLUMNS.items():
        columns = [c.strip() for c in listed.split(",")]
        expected = _expected_sql(conn, table, columns)
        both = f"SELECT {listed}, 1 AS side FROM ({expected}) r "
        both += f"UNION ALL SELECT {listed}, 2 AS side FROM {table}"
        rows = conn.execute(
            text(
                f"SELECT {listed}, COUNT(*), SUM(side) FROM ({both}) d GROUP BY {listed} "
                f"HAVING COUNT(*) <> 2 OR SUM(side) <> 3 ORDER BY {listed}"
            )
        )
        described = (
            (
                ":".join(map(str, row[:2])),
                f"{_SIDES.get(row[-1], 'repeated')} {tuple(row[:-2])}",
            )
            for row in rows
        )
        findings += _limited("aggregate_recount", table, described, "problem", limit)
    return findings


def check_archive(engine: Engine, limit: int = DEFAULT_LIMIT) -> list[Finding]:
    """Return every integrity finding about the archive (nothing is changed)."""
    revision = current_revision(engine)
    head = head_revision()
    if revision != head:
        state = "unknown to this version" if revision not in known_revisions() else f"older than head {head}"
        return [
            Finding(
                "schema_revision",
                "alembic_version",
                str(revision),
                f"revision {revision} is {state}: run `bilateral db upgrade` (or a newer bilateral)",
            )
        ]
    findings: list[Finding] = []
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            findings += _sqlite_checks(conn, limit)
        elif conn.dialect.name == "postgresql":
            findings += _postgresql_checks(conn, limit)
        findings += _orphans(conn, limit)
        for query in QUERIES:
            try:
                rows = conn.execute(text(query.sql))
            except SQLAlchemyError as exc:
                detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
                findings.append(Finding(query.check, query.table, "", f"cannot run the check: {detail}"))
                conn.rollback()
                continue
            findings += _limited(query.check, query.table, iter(rows), query.severity, limit)
        findings += _sides_checks(conn, limit)
        findings += _aggregate_checks(conn, limit)
        conn.rollback()
    return findings


def problems(findings: Sequence[Finding]) -> int:
    """Return how many findings are problems (not notes)."""
    return sum(1 for f in findings if f.severity == "problem")
