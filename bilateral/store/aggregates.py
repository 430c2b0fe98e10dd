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
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Index,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import BindParameter

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


FactRow = tuple[str, str, int, "dt.date | None"]
"""An event's kind, status, year and date."""
DyadRow = tuple[str, str, str, str, int, "dt.date | None"]
"""An event's pair of countries, kind, status, year and date."""

_IDS: BindParameter[int] = bindparam("ids", expanding=True)
_OLD_FACTS = select(facts.c.event_id, facts.c.kind, facts.c.status, facts.c.year, facts.c.date).where(
    facts.c.event == bindparam("event"), facts.c.event_id.in_(_IDS)
)
_OLD_DYADS = select(
    event_dyads.c.event_id,
    event_dyads.c.country_a,
    event_dyads.c.country_b,
    event_dyads.c.kind,
    event_dyads.c.status,
    event_dyads.c.year,
    event_dyads.c.date,
).where(event_dyads.c.event == bindparam("event"), event_dyads.c.event_id.in_(_IDS))
_DELETE_FACTS = delete(facts).where(facts.c.event == bindparam("event"), facts.c.event_id.in_(_IDS))
_DELETE_DYADS = delete(event_dyads).where(
    event_dyads.c.event == bindparam("event"), event_dyads.c.event_id.in_(_IDS)
)
_MEETING_COUNTRY = func.coalesce(MeetingParticipant.country, Official.country)
_CURRENT = {
    "meeting": (
        select(Meeting.id, Meeting.kind, Meeting.status, Meeting.date).where(Meeting.id.in_(_IDS)),
        select(MeetingParticipant.meeting_id, _MEETING_COUNTRY)
        .select_from(MeetingParticipant)
        .outerjoin(Official, Official.id == MeetingParticipant.official_id)
        .where(MeetingParticipant.meeting_id.in_(_IDS), _MEETING_COUNTRY.is_not(None)),
    ),
    "agreement": (
        select(Agreement.id, literal(AGREEMENT_KIND), Agreement.status, Agreement.date).where(
            Agreement.id.in_(_IDS)
        ),
        select(AgreementParty.agreement_id, AgreementParty.country).where(
            AgreementParty.agreement_id.in_(_IDS), AgreementParty.country.is_not(None)
        ),
    ),
}


def _key_of(table: Table, names: Sequence[str]) -> ColumnElement[bool]:
    """Return "these key columns equal the bind parameters of the same names"."""
    return and_(*(table.c[name] == bindparam(name) for name in names))


_DYAD_KEY = ("country_a", "country_b", "kind", "status", "year")
_TOTAL_KEY = ("country_a", "country_b", "kind", "status")
_KIND_KEY = ("kind", "status", "year")
_RECOUNT = {
    "dyad_counts": select(func.count(), func.min(event_dyads.c.date), func.max(event_dyads.c.date)).where(
        _key_of(event_dyads, _DYAD_KEY)
    ),
    "dyad_totals": select(
        func.coalesce(func.sum(dyad_counts.c.events), 0),
        func.min(dyad_counts.c.first_date),
        func.max(dyad_counts.c.last_date),
    ).where(_key_of(dyad_counts, _TOTAL_KEY)),
    "kind_counts": select(func.count(), func.min(facts.c.date), func.max(facts.c.date)).where(
        _key_of(facts, _KIND_KEY)
    ),
}
_AGGREGATES = {"dyad_counts": dyad_counts, "dyad_totals": dyad_totals, "kind_counts": kind_counts}
_KEYS = {"dyad_counts": _DYAD_KEY, "dyad_totals": _TOTAL_KEY, "kind_counts": _KIND_KEY}
_DELETE_AGGREGATE = {
    name: delete(table).where(_key_of(table, _KEYS[name])) for name, table in _AGGREGATES.items()
}
_INSERT_AGGREGATE = {name: insert(table) for name, table in _AGGREGATES.items()}
_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))")
_upserts: dict[tuple[str, str], Any] = {}


def _upsert(dialect: str, name: str) -> Any:
    """Return the statement that adds events to an aggregate row (creating it), per dialect."""
    statement = _upserts.get((dialect, name))
    if statement is not None:
        return statement
    table = _AGGREGATES[name]
    fresh: Any = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    new, held = fresh.excluded, table.c

    def earlier(a: Any, b: Any) -> Any:
        return case((a.is_(None), b), (b.is_(None), a), (a < b, a), else_=b)

    def later(a: Any, b: Any) -> Any:
        return case((a.is_(None), b), (b.is_(None), a), (a > b, a), else_=b)

    statement = fresh.on_conflict_do_update(
        index_elements=[held[column] for column in _KEYS[name]],
        set_={
            "events": held.events + new.events,
            "first_date": earlier(new.first_date, held.first_date),
            "last_date": later(new.last_date, held.last_date),
        },
    )
    _upserts[(dialect, name)] = statement
    return statement


class _Delta:
    """The dates events left and joined each aggregate key with."""

    def __init__(self) -> None:
        self.removed: dict[tuple[Any, ...], list[dt.date | None]] = defaultdict(list)
        self.added: dict[tuple[Any, ...], list[dt.date | None]] = defaultdict(list)

    def changes(self) -> Iterator[tuple[tuple[Any, ...], list[dt.date | None] | None]]:
        """Yield each key that changed, with the dates it gained, or None when it must be recounted."""
        for key in sorted(set(self.removed) | set(self.added)):
            gone = Counter(self.removed.get(key, ()))
            came = Counter(self.added.get(key, ()))
            if gone == came:
                continue
            if gone - came:
                yield key, None
            else:
                yield key, list((came - gone).elements())


def _dates(dates: Sequence[dt.date | None]) -> tuple[dt.date | None, dt.date | None]:
    """Return the earliest and latest of some dates (None when all are undated)."""
    known = [d for d in dates if d is not None]
    return (min(known), max(known)) if known else (None, None)


def refresh_events(
    session: Session | Connection, meeting_ids: Iterable[int] = (), agreement_ids: Iterable[int] = ()
) -> None:
    """Bring the aggregate rows these meetings and agreements count in up to date, before and after a change.

    Events whose counted values did not change cost two reads; a key that only gains events is increased
    in place, a key that loses one is recounted from the base rows.
    """
    conn = session.connection() if isinstance(session, Session) else session
    dyads, kinds = _Delta(), _Delta()
    for event, ids in (("meeting", meeting_ids), ("agreement", agreement_ids)):
        for chunk in _chunks(ids):
            _refresh_facts(conn, event, chunk, dyads, kinds)
    dyad_changes = list(dyads.changes())
    kind_changes = list(kinds.changes())
    recount_totals = {key[:4] for key, gained in dyad_changes if gained is None}
    total_gains: dict[tuple[Any, ...], list[dt.date | None]] = defaultdict(list)
    for key, gained in dyad_changes:
        if gained is not None and key[:4] not in recount_totals:
            total_gains[key[:4]].extend(gained)
    total_changes = sorted(
        [(key, None) for key in recount_totals] + list(total_gains.items()), key=lambda change: change[0]
    )
    if conn.dialect.name == "postgresql":
        # Serialise writers that change the same keys (in a fixed order, so no deadlock).
        names = sorted(
            [f"dyad:{a}:{b}:{k}:{s}:{y}" for (a, b, k, s, y), _ in dyad_changes]
            + [f"kind:{k}:{s}:{y}" for (k, s, y), _ in kind_changes]
        )
        for name in names:
            conn.execute(_LOCK, {"name": name})
    for table, changes in (
        ("dyad_counts", dyad_changes),
        ("dyad_totals", total_changes),
        ("kind_counts", kind_changes),
    ):
        columns = _KEYS[table]
        increments = []
        for key, gained in changes:
            params = dict(zip(columns, key, strict=True))
            if gained is None:
                _recount(conn, table, params)
            else:
                first, last = _dates(gained)
                increments.append({**params, "events": len(gained), "first_date": first, "last_date": last})
        if increments:
            conn.execute(_upsert(conn.dialect.name, table), increments)


def _refresh_facts(conn: Connection, event: str, ids: list[int], dyads: _Delta, kinds: _Delta) -> None:
    """Rewrite the fact and dyad rows of the events among `ids` that changed; note the keys they moved."""
    params = {"event": event, "ids": ids}
    old_facts: dict[int, FactRow] = {row[0]: tuple(row[1:]) for row in conn.execute(_OLD_FACTS, params)}
    old_dyads: dict[int, set[DyadRow]] = defaultdict(set)
    for row in conn.execute(_OLD_DYADS, params):
        old_dyads[row[0]].add(tuple(row[1:]))
    events, sides = _CURRENT[event]
    countries: dict[int, set[str]] = defaultdict(set)
    for event_id, code in conn.execute(sides, {"ids": ids}):
        if code is not None:
            countries[event_id].add(code)
    new_facts: dict[int, FactRow] = {}
    new_dyads: dict[int, set[DyadRow]] = defaultdict(set)
    for event_id, kind, status, date in conn.execute(events, {"ids": ids}):
        year = _year(date)
        new_facts[event_id] = (kind, status, year, date)
        for a, b in itertools.combinations(sorted(countries.get(event_id, ())), 2):
            new_dyads[event_id].add((a, b, kind, status, year, date))
    changed = [
        i
        for i in ids
        if old_facts.get(i) != new_facts.get(i) or old_dyads.get(i, set()) != new_dyads.get(i, set())
    ]
    if not changed:
        return
    params = {"event": event, "ids": changed}
    conn.execute(_DELETE_FACTS, params)
    conn.execute(_DELETE_DYADS, params)
    fact_rows, dyad_rows = [], []
    for event_id in changed:
        if event_id in old_facts:
            kind, status, year, date = old_facts[event_id]
            kinds.removed[(kind, status, year)].append(date)
        for a, b, kind, status, year, date in old_dyads.get(event_id, ()):
            dyads.removed[(a, b, kind, status, year)].append(date)
        if event_id in new_facts:
            kind, status, year, date = new_facts[event_id]
            kinds.added[(kind, status, year)].append(date)
            fact_rows.append(
                {
                    "event": event,
                    "event_id": event_id,
                    "kind": kind,
                    "status": status,
                    "year": year,
                    "date": date,
                }
            )
        for a, b, kind, status, year, date in sorted(new_dyads.get(event_id, ()), key=lambda r: r[:2]):
            dyads.added[(a, b, kind, status, year)].append(date)
            dyad_rows.append(
                {
                    "event": event,
                    "event_id": event_id,
                    "country_a": a,
                    "country_b": b,
                    "kind": kind,
                    "status": status,
                    "year": year,
                    "date": date,
                }
            )
    if fact_rows:
        conn.execute(insert(facts), fact_rows)
    if dyad_rows:
        conn.execute(insert(event_dyads), dyad_rows)


def _recount(conn: Connection, table: str, key: dict[str, Any]) -> None:
    """Recount one aggregate row from the rows below it (event_dyads, dyad_counts or event_facts)."""
    events, first, last = conn.execute(_RECOUNT[table], key).one()
    conn.execute(_DELETE_AGGREGATE[table], key)
    if events:
        conn.execute(
            _INSERT_AGGREGATE[table], {**key, "events": int(events), "first_date": first, "last_date": last}
        )


# ------------------------------------------------------------------------------------ deferred refresh

_PENDING = "bilateral_pending_aggregates"


def is_deferred(session: Session) -> bool:
    """Tell whether the session refreshes aggregates once per commit (inside `deferred`)."""
    return _PENDING in session.info


def defer_events(
    session: Session, meeting_ids: Iterable[int] = (), agreement_ids: Iterable[int] = ()
) -> None:
    """Note events whose aggregates the next commit (or `flush_pending`) must refresh."""
    meetings, agreements = session.info[_PENDING]
    meetings.update(meeting_ids)
    agreements.update(agreement_ids)


def flush_pending(session: Session) -> None:
    """Refresh, in the session's transaction, the aggregates of every event noted since the last refresh."""
    pending = session.info.get(_PENDING)
    if pending is None or not (pending[0] or pending[1]):
        return
    meetings, agreements = pending
    refresh_events(session, meeting_ids=sorted(meetings), agreement_ids=sorted(agreements))
    meetings.clear()
    agreements.clear()


def _before_commit(session: Session) -> None:
    """Refresh before the outermost transaction commits (the hook also fires for savepoints)."""
    if not session.in_nested_transaction():
        flush_pending(session)


@contextmanager
def deferred(session: Session) -> Iterator[Session]:
    """Within this block, refresh aggregates once per commit over every event stored since, not per article.

    The refresh runs in the same transaction as the rows it counts, just before each commit (a SQLAlchemy
    `before_commit` hook) and when the block ends inside a transaction. Refreshing recomputes from the
    current rows, so events of an article whose savepoint rolled back are merely recomputed unchanged.
    """
    if is_deferred(session):
        yield session
        return
    session.info[_PENDING] = (set(), set())
    sa_event.listen(session, "before_commit", _before_commit)
    try:
        yield session
        if session.in_transaction():
            flush_pending(session)
    finally:
        sa_event.remove(session, "before_commit", _before_commit)
        del session.info[_PENDING]


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
