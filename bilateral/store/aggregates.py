"""Aggregate tables that make reports fast, kept current in the same transaction as the rows they count.

**For the store (Resolution helper):** at the end of storing an article, in the same transaction, call

    refresh_events(session, meeting_ids=..., agreement_ids=...)

with the id of every meeting and agreement the article created, changed (date, kind, status, participants,
parties) or deleted (a meeting merged away). The function recomputes the rows those events touch, before
and after the change, so it stays correct under merges; it needs no other bookkeeping. `rebuild(connection)`
recomputes everything from the base tables (migrations, bulk loads); `recount(connection)` returns what the
aggregate tables should hold, for tests and `db check`.

Tables (one migration builds them; `year` is 0 for an undated event):

- `event_facts` (`event` 'meeting'|'agreement', `event_id`, `kind` meeting|call|visit|agreement, `status`,
  `year`, `date`): one row per event, so a refresh knows the keys an event counted under before it changed.
- `event_dyads` (`event`, `event_id`, `country_a` < `country_b`, `kind`, `status`, `year`, `date`): one row
  per event and pair of distinct participant (or party) countries — the `dyad_events` view, materialised.
- `dyad_counts` (`country_a`, `country_b`, `kind`, `status`, `year`, `events`, `first_date`, `last_date`).
- `dyad_totals` (`country_a`, `country_b`, `kind`, `status`, `events`, `first_date`, `last_date`): the same
  over all years, for reports without a date range.
- `kind_counts` (`kind`, `status`, `year`, `events`, `first_date`, `last_date`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Date,
    Index,
    Integer,
    String,
    Table,
    and_,
    delete,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from bilateral.store.models import (
    Agreement,
    AgreementParty,
    Base,
    Meeting,
    MeetingParticipant,
    Official,
)

UNDATED_YEAR = 0
AGREEMENT_KIND = "agreement"
OCCURRED_AGREEMENT_STATUSES = ("signed", "reached", "implemented")
"""Agreement statuses that count as having happened (dyad-year panel, `dyad_years` view)."""
_CHUNK = 500

DyadKey = tuple[str, str, str, str, int]
KindKey = tuple[str, str, int]


class EventFact(Base):
    """The keys one meeting or agreement is counted under (so a refresh can find what it counted before)."""

    __tablename__ = "event_facts"
    __table_args__ = (Index("ix_event_facts_kind_status_year_date", "kind", "status", "year", "date"),)

    event: Mapped[str] = mapped_column(String(10), primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"EventFact({self.event!r}, {self.event_id!r}, {self.kind!r}, {self.year!r})"


class EventDyad(Base):
    """One event and one pair of distinct countries on its sides (the `dyad_events` view, materialised)."""

    __tablename__ = "event_dyads"
    __table_args__ = (
        Index("ix_event_dyads_pair_kind", "country_a", "country_b", "kind", "status", "year", "date"),
        Index("ix_event_dyads_b", "country_b", "country_a"),
        Index("ix_event_dyads_date", "date"),
    )

    event: Mapped[str] = mapped_column(String(10), primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    country_a: Mapped[str] = mapped_column(String(3), primary_key=True)
    country_b: Mapped[str] = mapped_column(String(3), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"EventDyad({self.event!r}, {self.event_id!r}, {self.country_a!r}, {self.country_b!r})"


class DyadCount(Base):
    """How many events of one kind and status a pair of countries had in one year, and when."""

    __tablename__ = "dyad_counts"
    __table_args__ = (Index("ix_dyad_counts_b", "country_b", "country_a"),)

    country_a: Mapped[str] = mapped_column(String(3), primary_key=True)
    country_b: Mapped[str] = mapped_column(String(3), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    events: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[dt.date | None] = mapped_column(Date)
    last_date: Mapped[dt.date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        pair = f"{self.country_a!r}, {self.country_b!r}"
        return f"DyadCount({pair}, {self.kind!r}, {self.year!r}, {self.events!r})"


class DyadTotal(Base):
    """How many events of one kind and status a pair of countries had over all years, and when."""

    __tablename__ = "dyad_totals"
    __table_args__ = (Index("ix_dyad_totals_b", "country_b", "country_a"),)

    country_a: Mapped[str] = mapped_column(String(3), primary_key=True)
    country_b: Mapped[str] = mapped_column(String(3), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[dt.date | None] = mapped_column(Date)
    last_date: Mapped[dt.date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"DyadTotal({self.country_a!r}, {self.country_b!r}, {self.kind!r}, {self.events!r})"


class KindCount(Base):
    """How many events of one kind and status the archive holds for one year."""

    __tablename__ = "kind_counts"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    events: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[dt.date | None] = mapped_column(Date)
    last_date: Mapped[dt.date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"KindCount({self.kind!r}, {self.status!r}, {self.year!r}, {self.events!r})"


facts = cast(Table, EventFact.__table__)
event_dyads = cast(Table, EventDyad.__table__)
dyad_counts = cast(Table, DyadCount.__table__)
dyad_totals = cast(Table, DyadTotal.__table__)
kind_counts = cast(Table, KindCount.__table__)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """Yield the unique ids in sorted chunks small enough for an IN list."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _year(date: dt.date | None) -> int:
    """Return the year an event counts under (0 when undated)."""
    return date.year if date is not None else UNDATED_YEAR


Rows = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def _current_meetings(conn: Connection, ids: Sequence[int]) -> Rows:
    """Return the fact and dyad rows the meetings with these ids have now."""
    rows = conn.execute(
        select(Meeting.id, Meeting.kind, Meeting.status, Meeting.date).where(Meeting.id.in_(ids))
    ).all()
    country = func.coalesce(MeetingParticipant.country, Official.country)
    sides = conn.execute(
        select(MeetingParticipant.meeting_id, country)
        .select_from(MeetingParticipant)
        .outerjoin(Official, Official.id == MeetingParticipant.official_id)
        .where(MeetingParticipant.meeting_id.in_(ids), country.is_not(None))
    ).all()
    return _fact_rows("meeting", rows, sides)


def _current_agreements(conn: Connection, ids: Sequence[int]) -> Rows:
    """Return the fact and dyad rows the agreements with these ids have now."""
    rows = conn.execute(
        select(Agreement.id, literal(AGREEMENT_KIND), Agreement.status, Agreement.date).where(
            Agreement.id.in_(ids)
        )
    ).all()
    sides = conn.execute(
        select(AgreementParty.agreement_id, AgreementParty.country).where(
            AgreementParty.agreement_id.in_(ids), AgreementParty.country.is_not(None)
        )
    ).all()
    return _fact_rows("agreement", rows, sides)


def _fact_rows(event: str, rows: Sequence[Any], sides: Sequence[Any]) -> Rows:
    """Build event_facts and event_dyads rows from events (id, kind, status, date) and their countries."""
    countries: dict[int, set[str]] = {}
    for event_id, code in sides:
        countries.setdefault(event_id, set()).add(code)
    fact_rows: list[dict[str, Any]] = []
    dyad_rows: list[dict[str, Any]] = []
    for event_id, kind, status, date in rows:
        common = {"event": event, "event_id": event_id, "kind": kind, "status": status}
        common.update(year=_year(date), date=date)
        fact_rows.append(common)
        for a, b in itertools.combinations(sorted(countries.get(event_id, ())), 2):
            dyad_rows.append({**common, "country_a": a, "country_b": b})
    return fact_rows, dyad_rows


def refresh_events(
    session: Session | Connection, meeting_ids: Iterable[int] = (), agreement_ids: Iterable[int] = ()
) -> None:
    """Recompute the aggregate rows that these meetings and agreements count in, before and after a change."""
    conn = session.connection() if isinstance(session, Session) else session
    dyad_keys: set[DyadKey] = set()
    kind_keys: set[KindKey] = set()
    for event, ids, current in (
        ("meeting", meeting_ids, _current_meetings),
        ("agreement", agreement_ids, _current_agreements),
    ):
        for chunk in _chunks(ids):
            mine_f = and_(facts.c.event == event, facts.c.event_id.in_(chunk))
            mine_d = and_(event_dyads.c.event == event, event_dyads.c.event_id.in_(chunk))
            old_kinds = select(facts.c.kind, facts.c.status, facts.c.year).where(mine_f)
            kind_keys.update(((k, s, y) for k, s, y in conn.execute(old_kinds)))
            old_dyads = select(
                event_dyads.c.country_a,
                event_dyads.c.country_b,
                event_dyads.c.kind,
                event_dyads.c.status,
                event_dyads.c.year,
            ).where(mine_d)
            dyad_keys.update((a, b, k, s, y) for a, b, k, s, y in conn.execute(old_dyads))
            conn.execute(delete(facts).where(mine_f))
            conn.execute(delete(event_dyads).where(mine_d))
            fact_rows, dyad_rows = current(conn, chunk)
            if fact_rows:
                conn.execute(insert(facts), fact_rows)
            if dyad_rows:
                conn.execute(insert(event_dyads), dyad_rows)
            kind_keys.update((r["kind"], r["status"], r["year"]) for r in fact_rows)
            dyad_keys.update(
                (r["country_a"], r["country_b"], r["kind"], r["status"], r["year"]) for r in dyad_rows
            )
    _lock_keys(conn, dyad_keys, kind_keys)
    for a, b, kind, status, year in sorted(dyad_keys):
        _recount_dyad(conn, a, b, kind, status, year)
    for a, b, kind, status in sorted({key[:4] for key in dyad_keys}):
        _recount_total(conn, a, b, kind, status)
    for kind, status, year in sorted(kind_keys):
        _recount_kind(conn, kind, status, year)


def _lock_keys(conn: Connection, dyad_keys: set[DyadKey], kind_keys: set[KindKey]) -> None:
    """On PostgreSQL, serialise writers that recount the same keys (in a fixed order, so no deadlock)."""
    if conn.dialect.name != "postgresql":
        return
    names = sorted(
        [f"dyad:{a}:{b}:{k}:{s}:{y}" for a, b, k, s, y in dyad_keys]
        + [f"kind:{k}:{s}:{y}" for k, s, y in kind_keys]
    )
    for name in names:
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": name})


def _recount_dyad(conn: Connection, a: str, b: str, kind: str, status: str, year: int) -> None:
    """Recount one dyad_counts row from event_dyads."""
    where = and_(
        event_dyads.c.country_a == a,
        event_dyads.c.country_b == b,
        event_dyads.c.kind == kind,
        event_dyads.c.status == status,
        event_dyads.c.year == year,
    )
    events, first, last = conn.execute(
        select(func.count(), func.min(event_dyads.c.date), func.max(event_dyads.c.date)).where(where)
    ).one()
    key = and_(
        dyad_counts.c.country_a == a,
        dyad_counts.c.country_b == b,
        dyad_counts.c.kind == kind,
        dyad_counts.c.status == status,
        dyad_counts.c.year == year,
    )
    conn.execute(delete(dyad_counts).where(key))
    if events:
        conn.execute(
            insert(dyad_counts).values(
                country_a=a,
                country_b=b,
                kind=kind,
                status=status,
                year=year,
                events=events,
                first_date=first,
                last_date=last,
            )
        )


def _recount_total(conn: Connection, a: str, b: str, kind: str, status: str) -> None:
    """Recount one dyad_totals row from the pair's yearly dyad_counts rows."""
    dc = dyad_counts.c
    events, first, last = conn.execute(
        select(func.coalesce(func.sum(dc.events), 0), func.min(dc.first_date), func.max(dc.last_date)).where(
            dc.country_a == a, dc.country_b == b, dc.kind == kind, dc.status == status
        )
    ).one()
    dt_ = dyad_totals.c
    conn.execute(
        delete(dyad_totals).where(
            dt_.country_a == a, dt_.country_b == b, dt_.kind == kind, dt_.status == status
        )
    )
    if events:
        conn.execute(
            insert(dyad_totals).values(
                country_a=a,
                country_b=b,
                kind=kind,
                status=status,
                events=int(events),
                first_date=first,
                last_date=last,
            )
        )


def _recount_kind(conn: Connection, kind: str, status: str, year: int) -> None:
    """Recount one kind_counts row from event_facts."""
    where = and_(facts.c.kind == kind, facts.c.status == status, facts.c.year == year)
    events, first, last = conn.execute(
        select(func.count(), func.min(facts.c.date), func.max(facts.c.date)).where(where)
    ).one()
    key = and_(kind_counts.c.kind == kind, kind_counts.c.status == status, kind_counts.c.year == year)
    conn.execute(delete(kind_counts).where(key))
    if events:
        conn.execute(
            insert(kind_counts).values(
                kind=kind, status=status, year=year, events=events, first_date=first, last_date=last
            )
        )


# ------------------------------------------------------------------------------------ whole-archive


def _year_sql(conn: Connection, column: str) -> str:
    """Return SQL for the year of a date column on this backend (0 when NULL)."""
    if conn.dialect.name == "postgresql":
        return f"COALESCE(CAST(EXTRACT(YEAR FROM {column}) AS INTEGER), 0)"
    return f"COALESCE(CAST(strftime('%Y', {column}) AS INTEGER), 0)"


def recount_statements(conn: Connection) -> dict[str, str]:
    """Return, per aggregate table, a SELECT of the rows it should hold, computed from the base tables."""
    my = _year_sql(conn, "m.date")
    ay = _year_sql(conn, "a.date")
    facts_sql = (
        f"SELECT 'meeting' AS event, m.id AS event_id, m.kind AS kind, m.status AS status, {my} AS year, "
        "m.date AS date FROM meetings m "
        f"UNION ALL SELECT 'agreement', a.id, 'agreement', a.status, {ay}, a.date FROM agreements a"
    )
    sides_sql = (
        "SELECT DISTINCT 'meeting' AS event, p.meeting_id AS event_id, "
        "COALESCE(p.country, o.country) AS country "
        "FROM meeting_participants p LEFT JOIN officials o ON o.id = p.official_id "
        "WHERE COALESCE(p.country, o.country) IS NOT NULL "
        "UNION SELECT 'agreement', ap.agreement_id, ap.country FROM agreement_parties ap "
        "WHERE ap.country IS NOT NULL"
    )
    dyads_sql = (
        "SELECT f.event, f.event_id, x.country AS country_a, y.country AS country_b, f.kind, f.status, "
        f"f.year, f.date FROM ({facts_sql}) f "
        f"JOIN ({sides_sql}) x ON x.event = f.event AND x.event_id = f.event_id "
        f"JOIN ({sides_sql}) y ON y.event = f.event AND y.event_id = f.event_id AND x.country < y.country"
    )
    return {
        "event_facts": facts_sql,
        "event_dyads": dyads_sql,
        "dyad_counts": (
            "SELECT country_a, country_b, kind, status, year, COUNT(*) AS events, MIN(date) AS first_date, "
            f"MAX(date) AS last_date FROM ({dyads_sql}) d GROUP BY country_a, country_b, kind, status, year"
        ),
        "dyad_totals": (
            "SELECT country_a, country_b, kind, status, COUNT(*) AS events, MIN(date) AS first_date, "
            f"MAX(date) AS last_date FROM ({dyads_sql}) d GROUP BY country_a, country_b, kind, status"
        ),
        "kind_counts": (
            "SELECT kind, status, year, COUNT(*) AS events, MIN(date) AS first_date, MAX(date) AS last_date "
            f"FROM ({facts_sql}) f GROUP BY kind, status, year"
        ),
    }


AGGREGATE_COLUMNS = {
    "event_facts": "event, event_id, kind, status, year, date",
    "event_dyads": "event, event_id, country_a, country_b, kind, status, year, date",
    "dyad_counts": "country_a, country_b, kind, status, year, events, first_date, last_date",
    "dyad_totals": "country_a, country_b, kind, status, events, first_date, last_date",
    "kind_counts": "kind, status, year, events, first_date, last_date",
}


def rebuild(conn: Connection) -> None:
    """Recompute every aggregate table from the base tables (after a bulk load or a migration)."""
    statements = recount_statements(conn)
    for table in AGGREGATE_COLUMNS:
        conn.execute(text(f"DELETE FROM {table}"))
    for table in ("event_facts", "event_dyads"):
        conn.execute(text(f"INSERT INTO {table} ({AGGREGATE_COLUMNS[table]}) {statements[table]}"))
    conn.execute(
        text(
            f"INSERT INTO dyad_counts ({AGGREGATE_COLUMNS['dyad_counts']}) "
            "SELECT country_a, country_b, kind, status, year, COUNT(*), MIN(date), MAX(date) "
            "FROM event_dyads GROUP BY country_a, country_b, kind, status, year"
        )
    )
    conn.execute(
        text(
            f"INSERT INTO dyad_totals ({AGGREGATE_COLUMNS['dyad_totals']}) "
            "SELECT country_a, country_b, kind, status, SUM(events), MIN(first_date), MAX(last_date) "
            "FROM dyad_counts GROUP BY country_a, country_b, kind, status"
        )
    )
    conn.execute(
        text(
            f"INSERT INTO kind_counts ({AGGREGATE_COLUMNS['kind_counts']}) "
            "SELECT kind, status, year, COUNT(*), MIN(date), MAX(date) FROM event_facts "
            "GROUP BY kind, status, year"
        )
    )


def _sorted_rows(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    """Run a query and return its rows sorted (NULLs and dates too)."""
    rows = [tuple(row) for row in conn.execute(text(sql))]
    return sorted(rows, key=lambda row: tuple((value is None, str(value)) for value in row))


def recount(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Return, per aggregate table, the sorted rows it should hold according to the base tables."""
    return {
        table: _sorted_rows(conn, f"SELECT {columns} FROM ({sql}) r")
        for (table, sql), columns in zip(
            recount_statements(conn).items(), AGGREGATE_COLUMNS.values(), strict=True
        )
    }


def stored(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Return, per aggregate table, its sorted rows as stored."""
    return {
        table: _sorted_rows(conn, f"SELECT {columns} FROM {table}")
        for table, columns in AGGREGATE_COLUMNS.items()
    }
