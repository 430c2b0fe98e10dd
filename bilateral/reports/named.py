"""Named reports: each function takes a connection and filters and returns a table of rows.

Counts come from the aggregate tables (`dyad_counts`, `kind_counts`) for whole years, and from single
events (`event_dyads`, `event_facts`) for the years a date range cuts into, so every report stays exact and
fast at a million events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import process
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.expression import Subquery

from bilateral.reports.filters import CountryResolver, Filters, ReportError, iso_day, show_date
from bilateral.reports.labels import participant_label
from bilateral.store.aggregates import UNDATED_YEAR, dyad_counts, dyad_totals, event_dyads, facts, kind_counts
from bilateral.store.models import (
    Agreement,
    AgreementParty,
    AgreementSource,
    Meeting,
    MeetingParticipant,
    MeetingSource,
    Official,
    OfficialAlias,
    Position,
)
from bilateral.store.names import name_key

COUNT_COLUMNS = ("events", "meetings", "calls", "visits", "agreements")
TOP_DYADS = 10
_CHUNK = 500


@dataclass(frozen=True)
class Table:
    """A report's result: column names and rows (an iterator: rows are produced as they are read)."""

    columns: tuple[str, ...]
    rows: Iterable[Sequence[Any]]


# ------------------------------------------------------------------------------------ count sources


def _kind_status(kind: Any, status: Any, f: Filters) -> list[ColumnElement[bool]]:
    """Return conditions for the kind and status filters."""
    conditions: list[ColumnElement[bool]] = []
    if f.kinds:
        conditions.append(kind.in_(f.kinds))
    if f.statuses:
        conditions.append(status.in_(f.statuses))
    return conditions


def _pair_counts(f: Filters, *, by_year: bool = False) -> Subquery:
    """Return per (pair, kind, year) counts: aggregates for whole years, single events otherwise."""
    dc, ed = dyad_counts.c, event_dyads.c
    parts: list[Select[Any]] = []
    if not f.dated and not by_year:
        tc = dyad_totals.c
        totals = select(
            tc.country_a,
            tc.country_b,
            tc.kind,
            literal(0).label("year"),
            tc.events,
            tc.first_date,
            tc.last_date,
        ).where(*_kind_status(tc.kind, tc.status, f))
        if f.countries:
            totals = totals.where(or_(tc.country_a.in_(f.countries), tc.country_b.in_(f.countries)))
        return totals.subquery("counts")
    whole = select(dc.country_a, dc.country_b, dc.kind, dc.year, dc.events, dc.first_date, dc.last_date)
    whole = whole.where(*_kind_status(dc.kind, dc.status, f))
    if f.countries:
        whole = whole.where(or_(dc.country_a.in_(f.countries), dc.country_b.in_(f.countries)))
    if not f.dated:
        parts.append(whole)
    else:
        years = f.full_years()
        if years is not None:
            parts.append(whole.where(dc.year.between(max(years[0], 1), years[1])))
        # One date range per year the filter cuts into, so the date index reads those days only (one range
        # from --since to --until would walk every year between them).
        for first, last in f.partial_ranges():
            single = select(
                ed.country_a,
                ed.country_b,
                ed.kind,
                ed.year,
                literal(1).label("events"),
                ed.date.label("first_date"),
                ed.date.label("last_date"),
            ).where(ed.date.between(first, last), *_kind_status(ed.kind, ed.status, f))
            if f.countries:
                single = single.where(or_(ed.country_a.in_(f.countries), ed.country_b.in_(f.countries)))
            parts.append(single)
        if not parts:
            parts.append(whole.where(literal(False)))
    return union_all(*parts).subquery("counts") if len(parts) > 1 else parts[0].subquery("counts")


def _kind_totals(f: Filters) -> Subquery:
    """Return per (kind, year) event counts under the filters (aggregates for whole years)."""
    kc, ef = kind_counts.c, facts.c
    parts: list[Select[Any]] = []
    whole = select(kc.kind, kc.year, kc.events).where(*_kind_status(kc.kind, kc.status, f))
    if not f.dated:
        parts.append(whole)
    else:
        years = f.full_years()
        if years is not None:
            parts.append(whole.where(kc.year.between(max(years[0], 1), years[1])))
        for first, last in f.partial_ranges():
            parts.append(
                select(ef.kind, ef.year, literal(1).label("events")).where(
                    ef.date.between(first, last), *_kind_status(ef.kind, ef.status, f)
                )
            )
        if not parts:
            parts.append(whole.where(literal(False)))
    return union_all(*parts).subquery("totals") if len(parts) > 1 else parts[0].subquery("totals")


def _kind_sums(counts: Any) -> list[Any]:
    """Return SUM columns: all events, then meetings, calls, visits and agreements."""
    return [func.sum(counts.events).label("events")] + [
        func.sum(case((counts.kind == kind, counts.events), else_=0)).label(label)
        for kind, label in (
            ("meeting", "meetings"),
            ("call", "calls"),
            ("visit", "visits"),
            ("agreement", "agreements"),
        )
    ]


def _ints(values: Sequence[Any]) -> list[int]:
    """Return SUM results as ints (PostgreSQL gives decimals)."""
    return [int(v or 0) for v in values]


# ------------------------------------------------------------------------------------ reports


def summary(conn: Connection, f: Filters, *, limit: int | None = None) -> Table:
    """Count events by kind and year, then list the top dyads."""
    totals = _kind_totals(f).c
    sums = _kind_sums(totals)
    rows: list[tuple[Any, ...]] = []
    if not f.countries:
        total = conn.execute(select(*sums)).one()
        rows.append(("total", "", *_ints(total)))
        for year, *counts in conn.execute(
            select(totals.year, *sums).group_by(totals.year).order_by(totals.year)
        ):
            rows.append(("year", "undated" if year == UNDATED_YEAR else str(year), *_ints(counts)))
    counts_q = _pair_counts(f).c
    pair_sums = _kind_sums(counts_q)
    top = (
        select(counts_q.country_a, counts_q.country_b, *pair_sums)
        .group_by(counts_q.country_a, counts_q.country_b)
        .order_by(pair_sums[0].desc(), counts_q.country_a, counts_q.country_b)
        .limit(limit or TOP_DYADS)
    )
    for a, b, *counts in conn.execute(top):
        rows.append(("dyad", f"{a}-{b}", *_ints(counts)))
    return Table(("section", "key", *COUNT_COLUMNS), rows)


def dyads(conn: Connection, f: Filters, *, limit: int | None = None) -> Table:
    """List pairs of countries with their events by kind and first and last date."""
    c = _pair_counts(f).c
    sums = _kind_sums(c)
    query = (
        select(c.country_a, c.country_b, *sums, func.min(c.first_date), func.max(c.last_date))
        .group_by(c.country_a, c.country_b)
        .order_by(sums[0].desc(), c.country_a, c.country_b)
        .limit(limit)
    )

    def rows() -> Iterator[tuple[Any, ...]]:
        for a, b, *counts, first, last in conn.execute(query):
            yield (a, b, *_ints(counts), iso_day(first), iso_day(last))

    return Table(("country_a", "country_b", *COUNT_COLUMNS, "first_date", "last_date"), rows())


def partners(conn: Connection, f: Filters, country: str, *, limit: int | None = None) -> Table:
    """Rank one country's partners by events, with counts by kind and first and last date."""
    c = _pair_counts(_with_country(f, country)).c
    partner = case((c.country_a == country, c.country_b), else_=c.country_a).label("partner")
    sums = _kind_sums(c)
    query = (
        select(partner, *sums, func.min(c.first_date), func.max(c.last_date))
        .group_by(partner)
        .order_by(sums[0].desc(), partner)
        .limit(limit)
    )
    rows = [
        (p, *_ints(counts), iso_day(first), iso_day(last)) for p, *counts, first, last in conn.execute(query)
    ]
    return Table(("partner", *COUNT_COLUMNS, "first_date", "last_date"), rows)


def timeline(conn: Connection, f: Filters, country: str, *, limit: int | None = None) -> Table:
    """List one country's relations year by year: one row per year and partner."""
    c = _pair_counts(_with_country(f, country), by_year=True).c
    partner = case((c.country_a == country, c.country_b), else_=c.country_a).label("partner")
    sums = _kind_sums(c)
    year_order = case((c.year == UNDATED_YEAR, 1), else_=0)
    query = (
        select(c.year, partner, *sums)
        .group_by(c.year, partner)
        .order_by(year_order, c.year, sums[0].desc(), partner)
        .limit(limit)
    )
    rows = [
        (None if year == UNDATED_YEAR else year, p, *_ints(counts))
        for year, p, *counts in conn.execute(query)
    ]
    return Table(("year", "partner", *COUNT_COLUMNS), rows)


def _with_country(f: Filters, country: str) -> Filters:
    """Return the filters restricted to events of one country."""
    return Filters(f.since, f.until, f.kinds, f.statuses, (country,))


def dyad(conn: Connection, f: Filters, a: str, b: str, *, limit: int | None = None) -> Table:
    """List the events of one pair of countries in date order, with participants and evidence."""
    if a == b:
        raise ReportError(f"a dyad needs two different countries, got {a} twice")
    first, second = sorted((a, b))
    ed = event_dyads.c
    query = select(ed.event, ed.event_id).where(
        ed.country_a == first, ed.country_b == second, *_kind_status(ed.kind, ed.status, f)
    )
    if f.since is not None:
        query = query.where(ed.date >= f.since)
    if f.until is not None:
        query = query.where(ed.date <= f.until)
    undated_last = case((ed.date.is_(None), 1), else_=0)
    query = query.order_by(undated_last, ed.date, ed.event.desc(), ed.event_id).limit(limit)
    events = conn.execute(query).all()
    # The details read the chosen ids through a subquery (no bound id lists: a busy pair has 14,000 events).
    chosen = query.subquery("chosen")
    meeting_ids = select(chosen.c.event_id).where(chosen.c.event == "meeting")
    agreement_ids = select(chosen.c.event_id).where(chosen.c.event == "agreement")
    details = {("meeting", k): v for k, v in _meeting_details(conn, meeting_ids).items()}
    details |= {("agreement", k): v for k, v in _agreement_details(conn, agreement_ids).items()}
    rows = [details[(e, i)] for e, i in events]
    return Table(
        ("date", "kind", "id", "status", "place", "participants", "title", "sources", "evidence"), rows
    )


def _chunked(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """Yield ids in chunks small enough for an IN list."""
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


Ids = Sequence[int] | Select[Any]
"""Record ids as a list or as a query that selects them."""


def _id_groups(ids: Ids) -> Iterator[Any]:
    """Yield what an IN condition takes: the query itself, or chunks of a list."""
    if isinstance(ids, Select):
        yield ids
    else:
        yield from _chunked(ids)


def _evidence(
    conn: Connection, model: Any, key: Any, ids: Any, first: dict[int, int | None]
) -> dict[int, tuple[int, str]]:
    """Return per record (number of sources, evidence of its first source, else of its earliest-id source)."""
    out: dict[int, tuple[int, str]] = {}
    rows = conn.execute(
        select(key, model.article_id, model.evidence).where(key.in_(ids)).order_by(key, model.id)
    ).all()
    counts: dict[int, int] = {}
    for record_id, article_id, evidence in rows:
        counts[record_id] = counts.get(record_id, 0) + 1
        if record_id not in out or article_id == first.get(record_id):
            out[record_id] = (0, evidence)
    return {k: (counts[k], v[1]) for k, v in out.items()}


def _meeting_details(conn: Connection, ids: Ids) -> dict[int, tuple[Any, ...]]:
    """Return dyad-report rows for meetings."""
    out: dict[int, tuple[Any, ...]] = {}
    for chunk in _id_groups(ids):
        meetings = conn.execute(
            select(
                Meeting.id,
                Meeting.date,
                Meeting.date_precision,
                Meeting.kind,
                Meeting.status,
                Meeting.place,
                Meeting.first_source_id,
            ).where(Meeting.id.in_(chunk))
        ).all()
        sides = _participants(conn, chunk)
        evidence = _evidence(
            conn, MeetingSource, MeetingSource.meeting_id, chunk, {m.id: m.first_source_id for m in meetings}
        )
        for m in meetings:
            count, text = evidence.get(m.id, (0, None))
            out[m.id] = (
                show_date(m.date, m.date_precision),
                m.kind,
                m.id,
                m.status,
                m.place,
                sides.get(m.id, []),
                None,
                count,
                text,
            )
    return out


def _participants(conn: Connection, ids: Any) -> dict[int, list[str]]:
    """Return each meeting's participants as `Name (CODE, Title)`, sorted by country then name."""
    country = func.coalesce(MeetingParticipant.country, Official.country)
    rows = conn.execute(
        select(
            MeetingParticipant.meeting_id,
            Official.name,
            country,
            MeetingParticipant.org,
            MeetingParticipant.title,
        )
        .select_from(MeetingParticipant)
        .outerjoin(Official, Official.id == MeetingParticipant.official_id)
        .where(MeetingParticipant.meeting_id.in_(ids))
    ).all()
    sides: dict[int, list[tuple[str, str, str]]] = {}
    for meeting_id, name, code, org, title in rows:
        sides.setdefault(meeting_id, []).append(
            (code or org or "", name or "", participant_label(name, code, org, title))
        )
    return {k: [label for *_, label in sorted(v)] for k, v in sides.items()}


def _agreement_details(conn: Connection, ids: Ids) -> dict[int, tuple[Any, ...]]:
    """Return dyad-report rows for agreements."""
    out: dict[int, tuple[Any, ...]] = {}
    for chunk in _id_groups(ids):
        agreements = conn.execute(
            select(
                Agreement.id,
                Agreement.date,
                Agreement.date_precision,
                Agreement.status,
                Agreement.place,
                Agreement.title,
                Agreement.first_source_id,
            ).where(Agreement.id.in_(chunk))
        ).all()
        parties = _parties(conn, chunk)
        evidence = _evidence(
            conn,
            AgreementSource,
            AgreementSource.agreement_id,
            chunk,
            {a.id: a.first_source_id for a in agreements},
        )
        for a in agreements:
            count, text = evidence.get(a.id, (0, None))
            out[a.id] = (
                show_date(a.date, a.date_precision),
                "agreement",
                a.id,
                a.status,
                a.place,
                parties.get(a.id, []),
                a.title,
                count,
                text,
            )
    return out


def _parties(conn: Connection, ids: Any) -> dict[int, list[str]]:
    """Return each agreement's parties (ISO3 and organisation codes), sorted."""
    rows = conn.execute(
        select(AgreementParty.agreement_id, func.coalesce(AgreementParty.country, AgreementParty.org)).where(
            AgreementParty.agreement_id.in_(ids)
        )
    )
    parties: dict[int, list[str]] = {}
    for agreement_id, code in rows:
        parties.setdefault(agreement_id, []).append(code)
    return {k: sorted(v) for k, v in parties.items()}


def _meeting_conditions(f: Filters) -> list[ColumnElement[bool]]:
    """Return conditions on `meetings` for the date, kind and status filters."""
    conditions = _kind_status(Meeting.kind, Meeting.status, f)
    if f.since is not None:
        conditions.append(Meeting.date >= f.since)
    if f.until is not None:
        conditions.append(Meeting.date <= f.until)
    return conditions


def officials(conn: Connection, f: Filters, *, limit: int | None = None) -> Table:
    """List officials with their posts, country, meeting count and first and last seen dates."""
    if "agreement" in f.kinds:
        raise ReportError("--kind agreement does not apply to officials: use meeting, call or visit")
    conditions = _meeting_conditions(f)
    p = MeetingParticipant
    counted = select(p.official_id, func.count().label("meetings")).where(p.official_id.is_not(None))
    if conditions:
        # An IN list of the chosen meetings lets the database walk the meetings' index, not every participant.
        counted = counted.where(p.meeting_id.in_(select(Meeting.id).where(*conditions)))
    per_official = counted.group_by(p.official_id).subquery("per_official")
    meetings = func.coalesce(per_official.c.meetings, 0).label("meetings")
    query = select(
        Official.id,
        Official.name,
        Official.country,
        Official.org,
        meetings,
        Official.first_seen,
        Official.last_seen,
    )
    if conditions:
        query = query.join(per_official, per_official.c.official_id == Official.id)
    else:
        query = query.outerjoin(per_official, per_official.c.official_id == Official.id)
    if f.countries:
        query = query.where(Official.country.in_(f.countries))
    query = query.order_by(meetings.desc(), Official.name, Official.id).limit(limit)
    people = conn.execute(query).all()
    posts = _posts(conn, [person.id for person in people])
    rows = [
        (
            o.id,
            o.name,
            o.country or o.org,
            posts.get(o.id, []),
            int(o.meetings),
            iso_day(o.first_seen),
            iso_day(o.last_seen),
        )
        for o in people
    ]
    return Table(("official_id", "name", "country", "posts", "meetings", "first_seen", "last_seen"), rows)


def _posts(conn: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    """Return each official's post titles in the order they were first seen."""
    posts: dict[int, list[str]] = {}
    for chunk in _chunked(list(ids)):
        rows = conn.execute(
            select(Position.official_id, Position.title)
            .where(Position.official_id.in_(chunk))
            .order_by(Position.official_id, Position.first_seen, Position.title)
        )
        for official_id, title in rows:
            posts.setdefault(official_id, []).append(title)
    return posts


def find_official(conn: Connection, typed: str, countries: Sequence[str] = ()) -> int:
    """Return the id of the one official a name (or an id) names, else raise a ReportError that helps."""
    if typed.strip().isdigit():
        found = conn.execute(select(Official.id).where(Official.id == int(typed))).scalar_one_or_none()
        if found is None:
            raise ReportError(f"no official has id {typed}: list them with `bilateral report officials`")
        return found
    key = name_key(typed)
    by_alias = select(OfficialAlias.official_id).where(OfficialAlias.alias_key == key)
    query = select(Official.id, Official.name, Official.country, Official.org).where(
        or_(Official.name_key == key, Official.id.in_(by_alias))
    )
    if countries:
        query = query.where(Official.country.in_(countries))
    matches = conn.execute(query.order_by(Official.id)).all()
    if not matches and key:
        surname = select(Official.id, Official.name, Official.country, Official.org).where(
            Official.name_key.like(f"% {key}")
        )
        if countries:
            surname = surname.where(Official.country.in_(countries))
        matches = conn.execute(surname.order_by(Official.id)).all()
    if len(matches) == 1:
        return int(matches[0].id)
    if matches:
        listed = ", ".join(f"{m.name} ({m.country or m.org or '?'}, id {m.id})" for m in matches[:5])
        raise ReportError(f"{typed!r} names {len(matches)} officials: {listed}; give the id or --country")
    names = conn.execute(select(Official.name).distinct()).scalars().all()
    close = [name for name, score, _ in process.extract(typed, names, limit=3) if score >= 60]
    hint = f": did you mean {', '.join(close)}?" if close else ": list them with `bilateral report officials`"
    raise ReportError(f"no official is named {typed!r}{hint}")


def official(conn: Connection, f: Filters, typed: str, *, limit: int | None = None) -> Table:
    """Show one official: posts over time, then every meeting with the people they met."""
    official_id = find_official(conn, typed, f.countries)
    rows: list[tuple[Any, ...]] = []
    posts = conn.execute(
        select(Position.title, Position.first_seen, Position.last_seen, Position.country, Position.org).where(
            Position.official_id == official_id
        )
    )
    for title, first, last, country, org in posts:
        rows.append((iso_day(first), iso_day(last), "post", None, title, None, None, country or org, []))
    mine = (
        select(
            Meeting.id,
            Meeting.date,
            Meeting.date_precision,
            Meeting.kind,
            Meeting.status,
            Meeting.place,
            MeetingParticipant.title,
        )
        .join(MeetingParticipant, MeetingParticipant.meeting_id == Meeting.id)
        .where(MeetingParticipant.official_id == official_id, *_meeting_conditions(f))
        .order_by(Meeting.date, Meeting.id)
        .limit(limit)
    )
    meetings = conn.execute(mine).all()
    others = _counterparts(conn, [m.id for m in meetings], official_id)
    for m in meetings:
        rows.append(
            (
                show_date(m.date, m.date_precision),
                None,
                m.kind,
                m.id,
                m.title,
                m.status,
                m.place,
                None,
                others.get(m.id, []),
            )
        )
    rows.sort(key=lambda r: (r[0] is None, str(r[0] or ""), r[2] != "post", r[3] or 0))
    return Table(
        ("date", "until", "record", "id", "title", "status", "place", "country", "counterparts"), rows
    )


def _counterparts(conn: Connection, ids: Sequence[int], official_id: int) -> dict[int, list[str]]:
    """Return, per meeting, the other participants' labels."""
    country = func.coalesce(MeetingParticipant.country, Official.country)
    out: dict[int, list[str]] = {}
    for chunk in _chunked(list(ids)):
        rows = conn.execute(
            select(
                MeetingParticipant.meeting_id,
                Official.name,
                country,
                MeetingParticipant.org,
                MeetingParticipant.title,
            )
            .select_from(MeetingParticipant)
            .outerjoin(Official, Official.id == MeetingParticipant.official_id)
            .where(
                MeetingParticipant.meeting_id.in_(chunk),
                or_(MeetingParticipant.official_id.is_(None), MeetingParticipant.official_id != official_id),
            )
            .order_by(MeetingParticipant.meeting_id, country, Official.name)
        )
        for meeting_id, name, code, org, title in rows:
            out.setdefault(meeting_id, []).append(participant_label(name, code, org, title))
    return out


def agreements(conn: Connection, f: Filters, *, limit: int | None = None) -> Table:
    """List agreements with their type, status, parties and number of sources."""
    if f.kinds and f.kinds != ("agreement",):
        raise ReportError("--kind does not apply to agreements: leave it out or use --kind agreement")
    ap, ags = AgreementParty, AgreementSource
    parties = (
        select(func.aggregate_strings(func.coalesce(ap.country, ap.org), ";"))
        .where(ap.agreement_id == Agreement.id)
        .scalar_subquery()
    )
    sources = select(func.count()).where(ags.agreement_id == Agreement.id).scalar_subquery()
    query = select(
        Agreement.id,
        cast(Agreement.date, String),
        Agreement.date_precision,
        Agreement.type,
        Agreement.status,
        Agreement.title,
        parties,
        Agreement.place,
        sources,
    )
    if f.statuses:
        query = query.where(Agreement.status.in_(f.statuses))
    if f.since is not None:
        query = query.where(Agreement.date >= f.since)
    if f.until is not None:
        query = query.where(Agreement.date <= f.until)
    for code in f.countries:
        query = query.where(Agreement.id.in_(select(ap.agreement_id).where(ap.country == code)))
    undated_last = case((Agreement.date.is_(None), 1), else_=0)
    query = query.order_by(undated_last, Agreement.date, Agreement.id).limit(limit)

    def rows() -> Iterator[tuple[Any, ...]]:
        for batch in conn.execute(query, execution_options={"yield_per": _CHUNK * 4}).partitions():
            for agreement_id, date, precision, kind, status, title, codes, place, count in batch:
                listed = sorted(codes.split(";")) if codes else []
                yield agreement_id, show_date(date, precision), kind, status, title, listed, place, int(count)

    return Table(("agreement_id", "date", "type", "status", "title", "parties", "place", "sources"), rows())


def network(conn: Connection, f: Filters, *, level: str = "country", limit: int | None = None) -> Table:
    """Return weighted edges between countries (or, at level `official`, between officials who met)."""
    if level == "country":
        c = _pair_counts(f).c
        sums = _kind_sums(c)
        query = (
            select(c.country_a, c.country_b, *sums)
            .group_by(c.country_a, c.country_b)
            .order_by(c.country_a, c.country_b)
            .limit(limit)
        )
        rows = [(a, b, *_ints(counts)) for a, b, *counts in conn.execute(query)]
        return Table(("source", "target", "weight", "meetings", "calls", "visits", "agreements"), rows)
    if level != "official":
        raise ReportError(f"unknown network level {level!r}: use country or official")
    if "agreement" in f.kinds:
        raise ReportError(
            "--kind agreement does not apply to the official network: use meeting, call or visit"
        )
    one = MeetingParticipant.__table__.alias("one")
    two = MeetingParticipant.__table__.alias("two")
    query = (
        select(one.c.official_id, two.c.official_id, func.count().label("weight"))
        .select_from(one)
        .join(two, and_(two.c.meeting_id == one.c.meeting_id, two.c.official_id > one.c.official_id))
        .where(one.c.official_id.is_not(None))
    )
    # One IN list of the chosen meetings, so the database walks the most selective index once.
    conditions = _meeting_conditions(f)
    in_country = [
        select(MeetingParticipant.meeting_id).where(MeetingParticipant.country == code)
        for code in f.countries
    ]
    if conditions:
        chosen = select(Meeting.id).where(*conditions, *(Meeting.id.in_(q) for q in in_country))
        query = query.where(one.c.meeting_id.in_(chosen))
    elif in_country:
        query = query.where(*(one.c.meeting_id.in_(q) for q in in_country))
    weight = func.count()
    edges = conn.execute(
        query.group_by(one.c.official_id, two.c.official_id)
        .order_by(weight.desc(), one.c.official_id, two.c.official_id)
        .limit(limit)
    ).all()
    ids = sorted({e[0] for e in edges} | {e[1] for e in edges})
    people: dict[int, tuple[str, str | None]] = {}
    for chunk in _chunked(ids):
        for person_id, name, country, org in conn.execute(
            select(Official.id, Official.name, Official.country, Official.org).where(Official.id.in_(chunk))
        ):
            people[person_id] = (name, country or org)
    rows = [(s, t, int(w), people[s][0], people[s][1], people[t][0], people[t][1]) for s, t, w in edges]
    return Table(
        ("source", "target", "weight", "source_name", "source_country", "target_name", "target_country"), rows
    )


# ------------------------------------------------------------------------------------ dispatch

REPORTS: dict[str, tuple[int, str]] = {
    "summary": (0, "counts by kind and year, then the top dyads"),
    "dyads": (0, "pairs of countries with events by kind, first and last date"),
    "dyad": (2, "one pair's events in date order with participants and evidence (dyad A B)"),
    "partners": (1, "one country's partners ranked by events (partners COUNTRY)"),
    "timeline": (1, "one country's relations by year and partner (timeline COUNTRY)"),
    "officials": (0, "officials with posts, country, meetings, first and last seen"),
    "official": (1, "one official's posts and meetings (official NAME)"),
    "agreements": (0, "agreements with type, status and parties"),
    "network": (0, "weighted edges for Gephi/networkx (--level country|official)"),
}


def run_report(
    conn: Connection,
    name: str,
    args: Sequence[str],
    f: Filters,
    *,
    level: str = "country",
    limit: int | None = None,
) -> Table:
    """Run a named report with its positional arguments (countries as ISO3, ISO2 or names)."""
    if name not in REPORTS:
        raise ReportError(f"unknown report {name!r}: use one of {', '.join(REPORTS)}")
    wanted, _ = REPORTS[name]
    if len(args) != wanted:
        usage = {0: "takes no arguments", 1: "takes one argument", 2: "takes two arguments"}[wanted]
        raise ReportError(f"report {name} {usage}, got {len(args)}: {REPORTS[name][1]}")
    if level != "country" and name != "network":
        raise ReportError("--level applies to the network report only")
    resolve: Callable[[str], str] = CountryResolver(conn).resolve
    if name == "summary":
        return summary(conn, f, limit=limit)
    if name == "dyads":
        return dyads(conn, f, limit=limit)
    if name == "dyad":
        return dyad(conn, f, resolve(args[0]), resolve(args[1]), limit=limit)
    if name == "partners":
        return partners(conn, f, resolve(args[0]), limit=limit)
    if name == "timeline":
        return timeline(conn, f, resolve(args[0]), limit=limit)
    if name == "officials":
        return officials(conn, f, limit=limit)
    if name == "official":
        return official(conn, f, args[0], limit=limit)
    if name == "agreements":
        return agreements(conn, f, limit=limit)
    return network(conn, f, level=level, limit=limit)
