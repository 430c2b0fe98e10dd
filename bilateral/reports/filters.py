"""What reports and exports share: filters (dates, kinds, statuses, countries) and how dates print."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import countrycode
from sqlalchemy import Connection, select

from bilateral.store.models import AGREEMENT_STATUSES, MEETING_KINDS, MEETING_STATUSES, Country

KINDS = (*MEETING_KINDS, "agreement")
STATUSES = (*MEETING_STATUSES, *AGREEMENT_STATUSES)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


class ReportError(Exception):
    """A user's mistake in a report, SQL or export request; the message is one line and names the fix."""


@dataclass(frozen=True)
class Filters:
    """Which events a report counts: a date range (inclusive), kinds, statuses and countries (ISO3)."""

    since: dt.date | None = None
    until: dt.date | None = None
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    countries: tuple[str, ...] = field(default=())

    @property
    def dated(self) -> bool:
        """Tell whether a date range applies (undated events are then left out)."""
        return self.since is not None or self.until is not None

    def full_years(self) -> tuple[int, int] | None:
        """Return the first and last whole calendar years inside the date range (None when it has none)."""
        first = 1 if self.since is None else self.since.year + (self.since != dt.date(self.since.year, 1, 1))
        last = (
            9999 if self.until is None else self.until.year - (self.until != dt.date(self.until.year, 12, 31))
        )
        return (first, last) if first <= last else None

    def partial_ranges(self) -> list[tuple[dt.date, dt.date]]:
        """Return, for each year the range cuts into, the first and last day of the range inside that year."""
        ranges = []
        for year in self.partial_years():
            first = dt.date(year, 1, 1) if self.since is None else max(self.since, dt.date(year, 1, 1))
            last = dt.date(year, 12, 31) if self.until is None else min(self.until, dt.date(year, 12, 31))
            ranges.append((first, last))
        return ranges

    def partial_years(self) -> list[int]:
        """Return the years the date range cuts into (counted from single events, not aggregates)."""
        years = set()
        if self.since is not None and self.since != dt.date(self.since.year, 1, 1):
            years.add(self.since.year)
        if self.until is not None and self.until != dt.date(self.until.year, 12, 31):
            years.add(self.until.year)
        return sorted(years)


def parse_date(value: str | None, *, end: bool, option: str) -> dt.date | None:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD as the first (or, with `end`, the last) day it covers."""
    if value is None:
        return None
    match = _DATE.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return dt.date(year, month, day)
    except ValueError:
        raise ReportError(f"{option} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD") from None


def make_filters(
    *,
    since: str | None = None,
    until: str | None = None,
    kinds: Iterable[str] = (),
    statuses: Iterable[str] = (),
    countries: Sequence[str] = (),
    conn: Connection | None = None,
) -> Filters:
    """Check and build filters from what a user typed (countries need the archive to resolve names)."""
    start = parse_date(since, end=False, option="--since")
    stop = parse_date(until, end=True, option="--until")
    if start and stop and start > stop:
        raise ReportError(f"--since {since} is after --until {until}: swap them")
    kind_list = tuple(sorted(set(kinds)))
    for kind in kind_list:
        if kind not in KINDS:
            raise ReportError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    status_list = tuple(sorted(set(statuses)))
    for status in status_list:
        if status not in STATUSES:
            raise ReportError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    codes: tuple[str, ...] = ()
    if countries:
        if conn is None:
            raise ReportError("countries need an archive to be resolved")
        resolver = CountryResolver(conn)
        codes = tuple(dict.fromkeys(resolver.resolve(c) for c in countries))
    return Filters(start, stop, kind_list, status_list, codes)


def _fold(text: str) -> str:
    """Fold a country name for comparison: no accents, no punctuation, lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", letters.casefold()).strip()


class CountryResolver:
    """Resolve what a user typed (ISO3, ISO2 or a name) to the archive's ISO3 code."""

    def __init__(self, conn: Connection) -> None:
        rows = conn.execute(select(Country.iso3, Country.iso2, Country.name)).all()
        self.iso3 = {iso3 for iso3, _, _ in rows}
        self.iso2 = {iso2: iso3 for iso3, iso2, _ in rows if iso2}
        self.names = {_fold(name): iso3 for iso3, _, name in rows}
        self.display = {iso3: name for iso3, _, name in rows}

    def resolve(self, text: str) -> str:
        """Return the ISO3 code for a code or a name, else raise a ReportError naming the closest ones."""
        typed = text.strip()
        if typed.upper() in self.iso3 and len(typed) == 3:
            return typed.upper()
        if len(typed) == 2 and typed.upper() in self.iso2:
            return self.iso2[typed.upper()]
        folded = _fold(typed)
        if folded in self.names:
            return self.names[folded]
        if len(folded) > 3:
            guess = countrycode.countrycode(typed, origin="country.name", destination="iso3c")
            if isinstance(guess, str) and guess in self.iso3:
                return guess
        close = difflib.get_close_matches(folded, list(self.names), n=3, cutoff=0.6)
        if not close:
            prefix = [name for name in self.names if folded and name.startswith(folded[:3])]
            close = sorted(prefix)[:3]
        if close:
            hints = ", ".join(f"{self.display[self.names[n]]} ({self.names[n]})" for n in close)
            raise ReportError(f"unknown country {typed!r}: did you mean {hints}?")
        raise ReportError(
            f"unknown country {typed!r}: use an ISO3 code (IRN), an ISO2 code (IR) or a name (Iran)"
        )


def show_date(date: Any, precision: str | None) -> str | None:
    """Print a stored date at its precision: 2023-02-03, 2023-02 or 2023 (None when undated)."""
    if date is None:
        return None
    text = date.isoformat() if isinstance(date, dt.date) else str(date)[:10]
    if precision == "year":
        return text[:4]
    if precision == "month":
        return text[:7]
    return text


def iso_day(value: Any) -> str | None:
    """Return a stored date as ISO text (None when NULL), from a date or SQLite's text."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def as_date(value: Any) -> dt.date | None:
    """Return a date from what a backend gives back (a date, or ISO text from SQLite)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
