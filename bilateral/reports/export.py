"""Streaming exports with the columns of DESIGN.md §4, as spreadsheet-safe CSV or nested JSONL.

Each table is read through streaming cursors (server-side on PostgreSQL) and written row by row; a record's
children (participants, parties, sources) come from a second cursor ordered by the same id and are merged in
as both cursors advance, so no table is ever held in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from sqlalchemy import ColumnElement, Connection, Executable, String, case, cast, func, select

from bilateral.reports.filters import Filters, ReportError, as_date, show_date
from bilateral.reports.labels import agreement_crosswalk, meeting_crosswalk, participant_label
from bilateral.reports.named import _pair_counts
from bilateral.store.aggregates import OCCURRED_AGREEMENT_STATUSES, dyad_counts
from bilateral.store.models import (
    Agreement,
    AgreementParty,
    AgreementSource,
    Article,
    Country,
    Meeting,
    MeetingParticipant,
    MeetingSource,
    Official,
    Position,
)

STREAM = {"yield_per": 2000}
COLUMNS: dict[str, tuple[str, ...]] = {
    "meetings": (
        "meeting_id",
        "kind",
        "status",
        "date",
        "date_precision",
        "place",
        "place_country",
        "countries",
        "participants",
        "source_count",
        "first_source",
        "evidence",
        "cameo",
        "plover_event",
        "plover_mode",
    ),
    "participants": (
        "meeting_id",
        "official_id",
        "name",
        "country",
        "country_cow",
        "country_gw",
        "title",
        "role",
        "org",
    ),
    "agreements": (
        "agreement_id",
        "title",
        "type",
        "status",
        "date",
        "date_precision",
        "place",
        "parties",
        "source_count",
        "first_source",
        "evidence",
        "cameo",
        "plover_event",
    ),
    "agreement-parties": ("agreement_id", "country", "country_cow", "country_gw", "org", "signatory"),
    "officials": ("official_id", "name", "country", "titles", "first_seen", "last_seen", "meetings", "org"),
    "positions": ("official_id", "name", "country", "title", "first_seen", "last_seen", "org"),
    "countries": ("iso3", "iso2", "name", "cow", "gw"),
    "articles": (
        "article_id",
        "date",
        "title",
        "url",
        "source",
        "ref",
        "sha256",
        "words",
        "extractor_version",
        "ingested_at",
    ),
    "dyad-year": (
        "year",
        "country_a",
        "country_b",
        "cow_a",
        "cow_b",
        "gw_a",
        "gw_b",
        "meetings",
        "calls",
        "visits",
        "agreements",
    ),
}
TABLES = tuple(COLUMNS)
JSONL_EXTRA = {"meetings": ("sources",), "agreements": ("sources",)}
"""Columns only JSONL carries (nested lists that a CSV cell cannot hold)."""
UNSAFE_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_FIRST = frozenset(UNSAFE_STARTS)


class CsvRow(tuple[Any, ...]):
    """A record already rendered as safe CSV cells in column order (the fast path of large tables)."""


Record = dict[str, Any] | CsvRow


def _stream(conn: Connection, query: Executable) -> Iterator[Any]:
    """Execute a query with a streaming cursor and yield its rows, fetched in batches."""
    for batch in conn.execute(query, execution_options=STREAM).partitions():
        yield from batch


class _Children:
    """Child rows grouped by their parent's id (first column), taken in parent order."""

    def __init__(self, rows: Iterator[Any]) -> None:
        self._groups = itertools.groupby(rows, key=operator.itemgetter(0))
        self._next: tuple[Any, Iterator[Any]] | None = next(self._groups, None)

    def take(self, parent_id: int) -> list[Any]:
        """Return the rows of this parent (skipping children of parents that were filtered out)."""
        while self._next is not None and self._next[0] < parent_id:
            self._next = next(self._groups, None)
        if self._next is None or self._next[0] != parent_id:
            return []
        rows = list(self._next[1])
        self._next = next(self._groups, None)
        return rows


def _date_conditions(column: Any, f: Filters) -> list[ColumnElement[bool]]:
    """Return conditions for --since / --until on a date column."""
    conditions: list[ColumnElement[bool]] = []
    if f.since is not None:
        conditions.append(column >= f.since)
    if f.until is not None:
        conditions.append(column <= f.until)
    return conditions


def _meeting_filter(f: Filters) -> list[ColumnElement[bool]]:
    """Return conditions on meetings: dates, and every chosen country among the participants."""
    conditions = _date_conditions(Meeting.date, f)
    for code in f.countries:
        conditions.append(
            Meeting.id.in_(select(MeetingParticipant.meeting_id).where(MeetingParticipant.country == code))
        )
    return conditions


def _agreement_filter(f: Filters) -> list[ColumnElement[bool]]:
    """Return conditions on agreements: dates, and every chosen country among the parties."""
    conditions = _date_conditions(Agreement.date, f)
    for code in f.countries:
        conditions.append(
            Agreement.id.in_(select(AgreementParty.agreement_id).where(AgreementParty.country == code))
        )
    return conditions


def _source_objects(rows: Sequence[Any]) -> list[Record]:
    """Return a record's sources (id, article, ref, url, evidence, start, end) as JSONL objects."""
    return [
        {"article": r[1], "ref": r[2], "url": r[3], "evidence": r[4], "start": r[5], "end": r[6]}
        for r in rows
    ]


def _first_evidence(rows: Sequence[Any], first_source_id: int | None) -> str | None:
    """Return the evidence of the first source, else of the earliest stored one (rows: id, article, ...)."""
    for row in rows:
        if row[1] == first_source_id:
            return str(row[4])
    return str(rows[0][4]) if rows else None


def _side_order(row: Any) -> tuple[str, str, str]:
    """Order a meeting's sides by country (or organisation), then name, then title."""
    return (row[2] or row[3] or "", row[1] or "", row[4] or "")


def meetings(conn: Connection, f: Filters, nested: bool) -> Iterator[Record]:
    """Yield meetings with participants, sources and the CAMEO / PLOVER crosswalk."""
    conditions = _meeting_filter(f)
    parents = (
        select(
            Meeting.id,
            Meeting.kind,
            Meeting.status,
            cast(Meeting.date, String),
            Meeting.date_precision,
            Meeting.place,
            Meeting.place_country,
            Meeting.first_source_id,
            Article.url,
            Article.ref,
        )
        .outerjoin(Article, Article.id == Meeting.first_source_id)
        .where(*conditions)
        .order_by(Meeting.id)
    )
    mp = MeetingParticipant
    sides = (
        select(
            mp.meeting_id,
            Official.name,
            func.coalesce(mp.country, Official.country).label("country"),
            mp.org,
            mp.title,
            mp.role,
        )
        .outerjoin(Official, Official.id == mp.official_id)
        .order_by(mp.meeting_id)
    )
    ms = MeetingSource
    sources = (
        select(
            ms.meeting_id,
            ms.article_id,
            Article.ref,
            Article.url,
            ms.evidence,
            ms.start_offset,
            ms.end_offset,
        )
        .join(Article, Article.id == ms.article_id)
        .order_by(ms.meeting_id, ms.article_id)
    )
    if conditions:
        chosen = select(Meeting.id).where(*conditions)
        sides = sides.where(mp.meeting_id.in_(chosen))
        sources = sources.where(ms.meeting_id.in_(chosen))
    all_sides, all_sources = _Children(_stream(conn, sides)), _Children(_stream(conn, sources))
    for meeting_id, kind, status, date, precision, place, place_country, first_id, url, ref in _stream(
        conn, parents
    ):
        side_rows = sorted(all_sides.take(meeting_id), key=_side_order)
        source_rows = all_sources.take(meeting_id)
        countries = sorted({r[2] for r in side_rows if r[2]})
        cameo, plover, mode = meeting_crosswalk(kind, place_country, countries)
        if nested:
            people: Any = [
                {"name": r[1], "country": r[2], "org": r[3], "title": r[4], "role": r[5]} for r in side_rows
            ]
        else:
            people = [participant_label(r[1], r[2], r[3], r[4]) for r in side_rows]
            # CSV fast path: a ready row; codes, enums, dates and numbers need no neutralising.
            yield CsvRow(
                (
                    meeting_id,
                    kind,
                    status,
                    show_date(date, precision) or "",
                    precision,
                    safe_text(place),
                    place_country or "",
                    ";".join(countries),
                    safe_text(";".join(people)),
                    len(source_rows),
                    safe_text(url or ref),
                    safe_text(_first_evidence(source_rows, first_id)),
                    cameo,
                    plover,
                    mode,
                )
            )
            continue
        record: dict[str, Any] = {
            "meeting_id": meeting_id,
            "kind": kind,
            "status": status,
            "date": show_date(date, precision),
            "date_precision": precision,
            "place": place,
            "place_country": place_country,
            "countries": countries,
            "participants": people,
            "source_count": len(source_rows),
            "first_source": url or ref,
            "evidence": _first_evidence(source_rows, first_id),
            "cameo": cameo,
            "plover_event": plover,
            "plover_mode": mode,
        }
        if nested:
            record["sources"] = _source_objects(source_rows)
        yield record


def _country_codes(conn: Connection) -> dict[str, tuple[int | None, int | None]]:
    """Return COW and GW numbers per ISO3 (a few hundred rows)."""
    return {iso3: (cow, gw) for iso3, cow, gw in conn.execute(select(Country.iso3, Country.cow, Country.gw))}


def participants(conn: Connection, f: Filters, nested: bool) -> Iterator[Record]:
    """Yield one row per meeting participant with COW and GW codes."""
    codes = _country_codes(conn)
    mp = MeetingParticipant
    country = func.coalesce(mp.country, Official.country).label("country")
    query = (
        select(mp.meeting_id, mp.official_id, Official.name, country, mp.title, mp.role, mp.org)
        .outerjoin(Official, Official.id == mp.official_id)
        .order_by(mp.meeting_id, mp.participant_key)
    )
    conditions = _meeting_filter(f)
    if conditions:
        query = query.where(mp.meeting_id.in_(select(Meeting.id).where(*conditions)))
    for r in _stream(conn, query):
        cow, gw = codes.get(r.country, (None, None))
        yield {
            "meeting_id": r.meeting_id,
            "official_id": r.official_id,
            "name": r.name,
            "country": r.country,
            "country_cow": cow,
            "country_gw": gw,
            "title": r.title,
            "role": r.role,
            "org": r.org,
        }


def agreements(conn: Connection, f: Filters, nested: bool) -> Iterator[Record]:
    """Yield agreements with parties, sources and the CAMEO / PLOVER crosswalk."""
    conditions = _agreement_filter(f)
    parents = (
        select(
            Agreement.id,
            Agreement.title,
            Agreement.type,
            Agreement.status,
            Agreement.date,
            Agreement.date_precision,
            Agreement.place,
            Agreement.first_source_id,
            Article.url,
            Article.ref,
        )
        .outerjoin(Article, Article.id == Agreement.first_source_id)
        .where(*conditions)
        .order_by(Agreement.id)
    )
    ap, ags = AgreementParty, AgreementSource
    parties = select(ap.agreement_id, func.coalesce(ap.country, ap.org).label("code")).order_by(
        ap.agreement_id
    )
    sources = (
        select(
            ags.agreement_id,
            ags.article_id,
            Article.ref,
            Article.url,
            ags.evidence,
            ags.start_offset,
            ags.end_offset,
        )
        .join(Article, Article.id == ags.article_id)
        .order_by(ags.agreement_id, ags.article_id)
    )
    if conditions:
        chosen = select(Agreement.id).where(*conditions)
        parties = parties.where(ap.agreement_id.in_(chosen))
        sources = sources.where(ags.agreement_id.in_(chosen))
    all_parties, all_sources = _Children(_stream(conn, parties)), _Children(_stream(conn, sources))
    for a in _stream(conn, parents):
        source_rows = all_sources.take(a.id)
        cameo, plover = agreement_crosswalk(a.status)
        record: dict[str, Any] = {
            "agreement_id": a.id,
            "title": a.title,
            "type": a.type,
            "status": a.status,
            "date": show_date(a.date, a.date_precision),
            "date_precision": a.date_precision,
            "place": a.place,
            "parties": sorted(r[1] for r in all_parties.take(a.id)),
            "source_count": len(source_rows),
            "first_source": a.url or a.ref,
            "evidence": _first_evidence(source_rows, a.first_source_id),
            "cameo": cameo,
            "plover_event": plover,
        }
        if nested:
            record["sources"] = _source_objects(source_rows)
        yield record


def agreement_parties(conn: Connection, f: Filters, nested: bool) -> Iterator[Record]:
    """Yield one row per agreement party with COW and GW codes and the signatory's name."""
    codes = _country_codes(conn)
    ap = AgreementParty
    query = (
        select(ap.agreement_id, ap.country, ap.org, Official.name)
        .outerjoin(Official, Official.id == ap.signatory_id)
        .order_by(ap.agreement_id, ap.party_key)
    )
    conditions = _agreement_filter(f)
    if conditions:
        query = query.where(ap.agreement_id.in_(select(Agreement.id).where(*conditions)))
    for r in _stream(conn, query):
        cow, gw = codes.get(r.country, (None, None))
        yield {
            "agreement_id": r.agreement_id,
            "country": r.country,
            "country_cow": cow,
            "country_gw": gw,
            "org": r.org,
            "signatory": r.name,
        }


def _official_filter(f: Filters) -> list[ColumnElement[bool]]:
    """Return conditions on officials: country, and seen within the date range."""
    conditions: list[ColumnElement[bool]] = []
    if f.countries:
        conditions.append(Official.country.in_(f.countries))
    if f.since is not None:
        conditions.append(Official.last_seen >= f.since)
    if f.until is not None:
        conditions.append(Official.first_seen <= f.until)
    return conditions


def officials(conn: Connection, f: Filters, nested: bool) -> Iterator[Record]:
    """Yield officials with their titles, first and last seen dates and number of meetings."""
    mp = MeetingParticipant
    counts = (
        select(mp.official_id, func.count().label("n"))
        .where(mp.official_id.is_not(None))
        .group_by(mp.official_id)
        .subquery()
    )
    conditions = _official_filter(f)
    parents = (
        select(
            Official.id,
            Official.name,
            Official.country,
            Official.org,
            Official.first_seen,
            Official.last_seen,
            func.coalesce(counts.c.n, 0).label("meetings"),
        )
        .outerjoin(counts, counts.c.official_id == Official.id)
        .where(*conditions)
        .order_by(Official.id)
    )
    posts = select(Position.official_id, Position.title).order_by(
        Position.official_id, Position.first_seen, Position.title
    )
    if conditions:
        posts = posts.where(Position.official_id.in_(select(Official.id).where(*conditions)))
    all_posts = _Children(_stream(conn, posts))
    for o in _stream(conn, parents):
        titles = all_posts.take(o.id)
        yield {
            "official_id": o.id,
            "name": o.name,
            "country": o.country,
            "titles": list(dict.fromkeys(t.title for t in titles)),
            "first_seen": as_date(o.first_seen),
            "last_seen": as_date(o.last_seen),
            "meetings": int(o.meetings),
            "org": o.org,
        }


def positions(conn: Connection, f: Filters, nested: bool) -> Iterator[Record]:
    """Yield one row per post an official held, with the dates the news attests it."""
    query = (
        select(
            Position.official_id,
            Official.name,
            Position.country,
            Position.title,
            Position.first_seen,
            Position.last_seen,
            Position.org,
        )
        .join(Official, Official.id == Position.official_id)
        .order_by(Position.official_id, Position.first_seen, Position.title)
    )
    if f.countries:
        query = query.where(Position.country.in_(f.countries))
    if f.since is not None:
        query = query.where(Position.last_seen >= f.since)
    if f.until is not None:
        query = query.where(Position.first_seen <= f.until)
    for r in _stream(conn, query):
        yield {
            "official_id": r.official_id,
            "name": r.name,
            "country": r.country,
            "title": r.title,
            "first_seen": as_date(r.first_seen),
            "last_seen": as_date(r.last_seen),
            "org": r.org,
        }


def countries(conn: Connection, f: Filters, nested: bool) -> Iterator[Record]:
    """Yield the archive's countries with ISO, COW and GW codes."""
    if f.dated or f.countries:
        raise ReportError(
            "--since, --until and --country do not apply to the countries table: leave them out"
        )
    query = select(Country.iso3, Country.iso2, Country.name, Country.cow, Country.gw).order_by(Country.iso3)
    for r in _stream(conn, query):
        yield dict(r._mapping)


def articles(conn: Connection, f: Filters, nested: bool) -> Iterator[Record]:
    """Yield the stored articles (without their text)."""
    query = (
        select(
            Article.id,
            Article.date,
            Article.title,
            Article.url,
            Article.source,
            Article.ref,
            Article.sha256,
            Article.words,
            Article.extractor_version,
            Article.ingested_at,
        )
        .where(*_date_conditions(Article.date, f))
        .order_by(Article.id)
    )
    for r in _stream(conn, query):
        ingested = r.ingested_at
        if isinstance(ingested, dt.datetime) and ingested.tzinfo is None:
            ingested = ingested.replace(tzinfo=dt.UTC)
        yield {
            "article_id": r.id,
            "date": as_date(r.date),
            "title": r.title,
            "url": r.url,
            "source": r.source,
            "ref": r.ref,
            "sha256": r.sha256,
            "words": r.words,
            "extractor_version": r.extractor_version,
            "ingested_at": ingested,
        }


def dyad_year(conn: Connection, f: Filters, nested: bool, *, complete: bool = False) -> Iterator[Record]:
    """Yield the dyad-year panel: occurred, dated events per pair of countries and year.

    One chosen country keeps its pairs with every country; two or more keep the pairs among them. With
    `complete`, every pair of the chosen countries (or of every country the archive's dyads name) gets a
    row for every year in range, with zeros.
    """
    codes = _country_codes(conn)
    chosen = set(f.countries)
    occurred = Filters(
        f.since,
        f.until,
        (),
        ("occurred", *OCCURRED_AGREEMENT_STATUSES),
        tuple(sorted(chosen)) if chosen else (),
    )
    c = _pair_counts(occurred, by_year=True).c
    kinds = ("meeting", "call", "visit", "agreement")
    sums = [func.sum(case((c.kind == kind, c.events), else_=0)) for kind in kinds]
    query = select(c.year, c.country_a, c.country_b, *sums).where(c.year > 0)
    if len(chosen) >= 2:
        query = query.where(c.country_a.in_(chosen), c.country_b.in_(chosen))
    query = query.group_by(c.year, c.country_a, c.country_b).order_by(c.year, c.country_a, c.country_b)

    def row(year: int, a: str, b: str, counts: Sequence[int]) -> Record:
        (cow_a, gw_a), (cow_b, gw_b) = codes.get(a, (None, None)), codes.get(b, (None, None))
        return {
            "year": year,
            "country_a": a,
            "country_b": b,
            "cow_a": cow_a,
            "cow_b": cow_b,
            "gw_a": gw_a,
            "gw_b": gw_b,
            "meetings": counts[0],
            "calls": counts[1],
            "visits": counts[2],
            "agreements": counts[3],
        }

    observed = ((int(y), a, b, [int(n or 0) for n in counts]) for y, a, b, *counts in _stream(conn, query))
    if not complete:
        for year, a, b, counts in observed:
            yield row(year, a, b, counts)
        return
    pairs = _panel_pairs(conn, chosen)
    years = _panel_years(conn, f)
    pending = next(observed, None)
    for year in years:
        for a, b in pairs:
            if pending is not None and pending[:3] == (year, a, b):
                yield row(year, a, b, pending[3])
                pending = next(observed, None)
            else:
                yield row(year, a, b, [0, 0, 0, 0])


def _panel_pairs(conn: Connection, chosen: set[str]) -> list[tuple[str, str]]:
    """Return the pairs a complete panel covers, sorted."""
    seen: set[str] = set()
    for a, b in conn.execute(select(dyad_counts.c.country_a, dyad_counts.c.country_b).distinct()):
        seen.update((a, b))
    if len(chosen) >= 2:
        universe = sorted(chosen)
        return [(a, b) for i, a in enumerate(universe) for b in universe[i + 1 :]]
    universe = sorted(seen | chosen)
    pairs = [(a, b) for i, a in enumerate(universe) for b in universe[i + 1 :]]
    return [p for p in pairs if not chosen or chosen & set(p)]


def _panel_years(conn: Connection, f: Filters) -> list[int]:
    """Return the years a complete panel covers: the date range, else the archive's dated years."""
    low, high = conn.execute(
        select(func.min(dyad_counts.c.year), func.max(dyad_counts.c.year)).where(dyad_counts.c.year > 0)
    ).one()
    first = f.since.year if f.since is not None else low
    last = f.until.year if f.until is not None else high
    if first is None or last is None:
        return []
    return list(range(int(first), int(last) + 1))


EXPORTERS: dict[str, Callable[[Connection, Filters, bool], Iterator[Record]]] = {
    "meetings": meetings,
    "participants": participants,
    "agreements": agreements,
    "agreement-parties": agreement_parties,
    "officials": officials,
    "positions": positions,
    "countries": countries,
    "articles": articles,
}


def records(
    conn: Connection, table: str, f: Filters, *, nested: bool, complete: bool = False
) -> Iterator[Record]:
    """Yield the records of an export table under the filters."""
    if table not in COLUMNS:
        raise ReportError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")
    if complete and table != "dyad-year":
        raise ReportError("--complete applies to the dyad-year table only")
    if table == "countries" and (f.dated or f.countries):
        raise ReportError("--since, --until and --country do not apply to the countries table: drop them")
    if table == "articles" and f.countries:
        raise ReportError("--country does not apply to the articles table: leave it out")
    if table == "dyad-year":
        return dyad_year(conn, f, nested, complete=complete)
    return EXPORTERS[table](conn, f, nested)


# ------------------------------------------------------------------------------------ writers


def safe_cell(value: Any) -> str:
    """Render a CSV cell: '' for NULL, ISO dates, lists joined by ';', formula-like text neutralised."""
    kind = type(value)
    if kind is str:
        text: str = value
        return "'" + text if text and text[0] in _UNSAFE_FIRST else text
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return safe_text(";".join("" if v is None else str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return safe_text(value)


def safe_text(value: Any) -> str:
    """Return text a spreadsheet will not run: a leading =, +, -, @, tab or CR gets a quote before it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(UNSAFE_STARTS) else text


def _json_default(value: Any) -> Any:
    """Render dates as ISO text in JSON."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def write_export(
    conn: Connection,
    table: str,
    f: Filters,
    out: IO[str],
    *,
    format: str = "csv",
    complete: bool = False,
) -> int:
    """Write an export table to `out` as CSV (UTF-8, spreadsheet-safe) or JSONL; return the number of rows."""
    if format not in ("csv", "jsonl"):
        raise ReportError(f"unknown export format {format!r}: use csv or jsonl")
    columns = COLUMNS[table] if table in COLUMNS else ()
    rows = records(conn, table, f, nested=format == "jsonl", complete=complete)
    count = 0
    if format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for record in rows:
            writer.writerow(record if isinstance(record, CsvRow) else [safe_cell(record[c]) for c in columns])
            count += 1
        return count
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode  # one encoder for all rows
    for record in rows:
        assert isinstance(record, dict)
        out.write(encode(record) + "\n")
        count += 1
    return count
