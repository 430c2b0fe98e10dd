"""Find time expressions in news text and resolve them against the article date.

Finding and resolving are separate: `find_time_expressions` returns spans with their parsed form,
`resolve` turns one of them into an ISO date ("2023-02-03", "2023-02" or "2023") with a precision.
Everything is compiled regular expressions and date arithmetic: no parser library on the hot path.

Resolution rules (the article date is the reference; `future` is the tense of the event):

- weekday: past → the latest such day on or before the article date ("on Friday" in a story dated
  Saturday 2023-02-04 is 2023-02-03; "on Saturday" is 2023-02-04); future → the first such day on
  or after it ("will meet on Wednesday" in a story dated Wednesday is that day). "last Friday" is
  strictly before the article date, "next Friday" strictly after, whatever the tense.
- "today", "tonight", "this morning", "earlier in the day" → the article date; "yesterday",
  "last night" → the day before; "tomorrow" → the day after; "N days ago" → N days before.
- month and day without a year ("Nov. 16", "16 November"): the article's year; in the past tense
  a day after the article date means last year, in the future tense a day before it means next year.
- month alone ("in June", "in mid-July"): likewise, at month precision; "June last year",
  "June 2005" take that year; "last May" is the latest May before the article's month, "next
  March" the first March after it, "this June" the article's year.
- "last week" / "next week" / "this week" → the month of the article date − 7 / + 7 / + 0 days;
  "last month", "next month", "this month" → that month; "last year", "early next year",
  "earlier this year" → that year; "in 1995" → 1995.
- "on the 12th" → the 12th of the article's month (previous month in the past tense when the
  12th is after the article date, next month in the future tense when it is before).
- Without an article date, relative expressions resolve to unknown; absolute ones still resolve.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

TimeKind = Literal[
    "date",  # a full calendar date: "2023-02-03", "Nov. 16, 2005", "16 November 2005"
    "month_day",  # month and day, year from the article: "Nov. 16", "16 November"
    "month",  # a month, maybe with a year or a year offset: "in June", "June 2005", "June last year"
    "year",  # an absolute year: "in 1995", "mid-2005"
    "weekday",  # "on Friday", "early on Saturday", "last Monday"
    "relative_day",  # "today" (0), "yesterday" (-1), "tomorrow" (+1), "three days ago" (-3)
    "relative_week",  # "last week" (-1), "this week" (0), "next week" (+1)
    "relative_month",  # "last month" (-1), "this month" (0), "next month" (+1)
    "relative_year",  # "last year" (-1), "earlier this year" (0), "early next year" (+1)
    "ordinal_day",  # "on the 12th": a day of the article's month
]
Precision = Literal["day", "month", "year", "unknown"]
Anchor = Literal["last", "next", "this", "that"]


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression found in text, with its offsets and parsed form."""

    start: int
    end: int
    text: str
    """`text == source[start:end]`; a leading preposition ("on", "in") is not part of it."""
    kind: TimeKind
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    """0 = Monday … 6 = Sunday."""
    offset: int | None = None
    """Signed distance in the kind's unit ("last week" is -1); for `month`, an offset in years."""
    anchor: Anchor | None = None
    """"last Friday" / "next May" / "this June": strictly before, strictly after, this week or year;
    "June that year": a year the narrative set, which the article date cannot give."""
    modifier: str | None = None
    """"early", "mid", "late", "earlier", "later", "end", "beginning", "morning", "night", ..."""
    preposition: str | None = None
    """The word just before the span, when it is a preposition ("on", "in", "since", "by", ...)."""


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """An ISO date at day, month or year precision, or unknown."""

    value: str | None
    precision: Precision


UNKNOWN = ResolvedDate(None, "unknown")

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

_M_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_M_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b)"
_MONTH = rf"(?:(?:{_M_FULL})\b|{_M_ABBR})"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
# "early", "mid-", "the end of" ... in front of a month or a year
_PERIOD_MOD = (
    r"(?i:(?P<pmod>early|mid|late|earlier|later)(?:-|\s+)(?:in\s+)?"
    r"|(?:the\s+)?(?P<pmod2>end|beginning|start|middle)\s+of\s+)"
)
_NOT_NUMBER_AFTER = r"(?![\d%])(?!,\d)(?!\.\d)"
_NOT_NUMBER_BEFORE = r"(?<![\d$£€¥.,/])(?<!\d-)"

_RE_ISO = re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")
_RE_MONTH_DAY = re.compile(
    rf"(?:\b(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?\b(?P<mon>{_MONTH})\s*(?P<d>{_DAY})\b"
    rf"(?:\s*[-–]\s*{_DAY}\b)?(?:,?\s+(?P<y>{_YEAR})\b)?{_NOT_NUMBER_AFTER}"
)
_RE_DAY_MONTH = re.compile(
    rf"(?:\b(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?{_NOT_NUMBER_BEFORE}\b(?P<d>{_DAY})"
    rf"(?:\s*[-–]\s*{_DAY})?\s+(?:of\s+)?(?P<mon>{_MONTH})"
    rf"(?:,?\s+(?P<y>{_YEAR})\b)?{_NOT_NUMBER_AFTER}"
)
_RE_MONTH_YEAR = re.compile(
    rf"(?:{_PERIOD_MOD})?\b(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})\b{_NOT_NUMBER_AFTER}"
)
_RE_MONTH = re.compile(
    rf"(?:{_PERIOD_MOD}|\b(?i:(?P<anchor>last|next|this))\s+)?\b(?P<mon>{_M_FULL})\b(?!['’]s\b)"
    r"(?:\s+(?P<rel>last|next|this|that)\s+year\b)?"
)
_RE_YEAR = re.compile(rf"(?:{_PERIOD_MOD})?(?<![\d$£€¥.,/])\b(?P<y>{_YEAR})\b{_NOT_NUMBER_AFTER}(?!-\d\d-)")
_RE_WEEKDAY = re.compile(
    r"(?:\b(?i:(?P<mod>early|late|earlier|later)\s+(?:on\s+)?|(?P<anchor>last|next|this)\s+))?"
    rf"\b(?P<wd>{_WEEKDAY})\b(?:\s+(?P<tod>morning|afternoon|evening|night)\b)?"
)
_RE_RELATIVE_DAY = re.compile(
    r"\b(?:(?P<mod>earlier|later|early|late)\s+)?"
    r"(?:(?P<today>today|tonight|this\s+(?:morning|afternoon|evening))"
    r"|(?P<yesterday>(?:the\s+day\s+before\s+)?yesterday|last\s+night)"
    r"|(?P<tomorrow>(?:the\s+day\s+after\s+)?tomorrow))\b"
    r"(?:\s+(?P<tod>morning|afternoon|evening|night)\b)?",
    re.IGNORECASE,
)
_RE_RELATIVE_UNIT = re.compile(
    r"\b(?:(?P<mod>earlier|later|early|late|mid)(?:-|\s+))?"
    r"(?:(?:the\s+)?(?P<mod2>end|beginning|start|middle)\s+of\s+)?"
    r"(?:(?P<rel>last|next|this|(?:the\s+)?(?:previous|coming))|(?P<the>the))"
    r"\s+(?P<unit>week|weekend|month|year)\b",
    re.IGNORECASE,
)
_RE_IN_THE = re.compile(
    r"\b(?P<mod>earlier|later)\s+in\s+the\s+(?P<unit>day|week|month|year)\b", re.IGNORECASE
)
_RE_AGO = re.compile(rf"\b(?P<n>{_NUM})\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.IGNORECASE)
_RE_ORDINAL_DAY = re.compile(
    r"(?<=\b[Oo]n\s)the\s+(?P<d>3[01]|[12]\d|[1-9])(?:st|nd|rd|th)\b(?=\s*(?:[,.;:)]|$|and\b|of\s+th))"
)

_PREPOSITIONS = frozenset(
    "on in since until till by before after during from to through of at for between and or "
    "around about".split()
)
# words that may stand before a month named alone ("in June"), so that "Theresa May" is no date
_MONTH_ALONE_BEFORE = frozenset(
    "in since until till before after during from through last next this early late mid of between".split()
)
# "from January to October", "in March and April": a month joined to a month before it
_MONTH_JOINED = re.compile(rf"\b(?:{_M_FULL})(?:\s+{_YEAR})?,?\s*(?:to|and|or|through|till|until|-|–)\s*$")
_MONTH_ALONE_VERB_AFTER = re.compile(
    r"\s+(?:said|says|told|tells|has|had|was|is|will|would|could|should|did|does|met|meets|"
    r"wrote|announced|added|insisted|called|urged)\b"
)
# nouns that make a four-digit number a quantity ("2000 troops"), and words before one
_QUANTITY_NOUNS = frozenset(
    "troops soldiers people persons men women children refugees police policemen officers workers "
    "tons tonnes dollars yuan euros pounds rupees yen km kilometers kilometres miles metres meters "
    "feet barrels cases deaths votes members jobs units shares points hectares acres houses homes "
    "vehicles cars trucks tanks missiles rockets aircraft planes ships students delegates "
    "participants residents families prisoners detainees militants fighters rebels civilians "
    "victims casualties staff employees visitors tourists pilgrims seats times years days "
    "hours minutes households villages sq square cubic mw megawatts kw mt".split()
)
_NUMBER_BEFORE = frozenset(
    "resolution resolutions no number flight route article articles room highway section law decree "
    "about some nearly around over almost approximately roughly estimated least code "
    "model type class version unit division brigade battalion regiment bill paragraph chapter".split()
)
_NEWSPAPER_AFTER = re.compile(
    r"\s+(?:Times|Telegraph|Herald|Post|Mail|Express|Independent|Observer|Tribune|Mirror|Star|"
    r"Nation|Business|Standard|Review|Agreement|Accord|Prayers?|Massacre|Service)\b"
)
_NAMED_DAY_BEFORE = frozenset("good black ash palm easter bloody holy maundy super cyber blue".split())
_PREV_WORD = re.compile(r"([A-Za-z]+)[\s-]*$")
_NEXT_WORD = re.compile(r"\s*([A-Za-z]+)")


def _prev_word(text: str, pos: int) -> str:
    m = _PREV_WORD.search(text, max(0, pos - 24), pos)
    return m.group(1).lower() if m else ""


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD.match(text, pos, pos + 24)
    return m.group(1).lower() if m else ""


def _preposition(text: str, pos: int) -> str | None:
    if pos == 0 or not text[pos - 1].isspace():
        return None
    word = _prev_word(text, pos)
    return word if word in _PREPOSITIONS else None


def _day(s: str) -> int:
    return int(s.rstrip("stndrh"))


def _month(s: str) -> int:
    return _MONTHS[s.rstrip(".").lower()]


def _valid(year: int | None, month: int, day: int) -> bool:
    try:
        dt.date(year if year is not None else 2000, month, day)
    except ValueError:
        return False
    return True


def _period_mod(m: re.Match[str]) -> str | None:
    mod = m.group("pmod") or m.group("pmod2")
    return mod.lower() if mod else None


def _unit_offset(rel: str | None) -> int:
    if rel is None:
        return 0
    word = rel.split()[-1].lower()
    return {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(word, 0)


class _Collector:
    """Gather candidate expressions of one text; overlaps are removed by `find_time_expressions`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[TimeExpression] = []

    def add(
        self,
        start: int,
        end: int,
        kind: TimeKind,
        *,
        year: int | None = None,
        month: int | None = None,
        day: int | None = None,
        weekday: int | None = None,
        offset: int | None = None,
        anchor: Anchor | None = None,
        modifier: str | None = None,
    ) -> None:
        self.found.append(
            TimeExpression(
                start=start,
                end=end,
                text=self.text[start:end],
                kind=kind,
                year=year,
                month=month,
                day=day,
                weekday=weekday,
                offset=offset,
                anchor=anchor,
                modifier=modifier,
                preposition=_preposition(self.text, start),
            )
        )


_ANCHORS: dict[str, Anchor] = {"last": "last", "next": "next", "this": "this", "that": "that"}
_UNIT_KINDS: dict[str, TimeKind] = {
    "day": "relative_day",
    "week": "relative_week",
    "weekend": "relative_week",
    "month": "relative_month",
    "year": "relative_year",
}


def _absolute(c: _Collector, start: int, end: int) -> None:
    """Find calendar dates, months and years."""
    text = c.text
    for m in _RE_ISO.finditer(text, start, end):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if 1 <= mo <= 12 and _valid(y, mo, d):
            c.add(m.start(), m.end(), "date", year=y, month=mo, day=d)

    for rx in (_RE_MONTH_DAY, _RE_DAY_MONTH):
        for m in rx.finditer(text, start, end):
            mo, d = _month(m["mon"]), _day(m["d"])
            year = int(m["y"]) if m["y"] else None
            if _valid(year, mo, d):
                c.add(
                    m.start(),
                    m.end(),
                    "date" if year else "month_day",
                    year=year,
                    month=mo,
                    day=d,
                    weekday=_WEEKDAYS[m["wd"].lower()] if m["wd"] else None,
                )

    for m in _RE_MONTH_YEAR.finditer(text, start, end):
        c.add(m.start(), m.end(), "month", month=_month(m["mon"]), year=int(m["y"]), modifier=_period_mod(m))

    for m in _RE_MONTH.finditer(text, start, end):
        mod = _period_mod(m)
        rel = m["rel"].lower() if m["rel"] else None
        if mod is None and rel is None and m["anchor"] is None:
            joined = _MONTH_JOINED.search(text, max(0, m.start() - 24), m.start())
            if _prev_word(text, m.start()) not in _MONTH_ALONE_BEFORE and not joined:
                continue  # "Theresa May", "a June deadline" without a preposition: not taken
            if _MONTH_ALONE_VERB_AFTER.match(text, m.end()):
                continue
        c.add(
            m.start(),
            m.end(),
            "month",
            month=_month(m["mon"]),
            modifier=mod,
            offset=_unit_offset(rel) if rel and rel != "that" else None,
            anchor="that" if rel == "that" else _ANCHORS[m["anchor"].lower()] if m["anchor"] else None,
        )

    for m in _RE_YEAR.finditer(text, start, end):
        mod = _period_mod(m)
        if mod is None and (
            _prev_word(text, m.start()) in _NUMBER_BEFORE or _next_word(text, m.end()) in _QUANTITY_NOUNS
        ):
            continue
        c.add(m.start(), m.end(), "year", year=int(m["y"]), modifier=mod)

    for m in _RE_ORDINAL_DAY.finditer(text, start, end):
        c.add(m.start(), m.end(), "ordinal_day", day=int(m["d"]))


def _relative(c: _Collector, start: int, end: int) -> None:
    """Find weekdays and expressions relative to the article date."""
    text = c.text
    for m in _RE_WEEKDAY.finditer(text, start, end):
        if _NEWSPAPER_AFTER.match(text, m.end("wd")):
            continue  # "Sunday Times", "Good Friday Agreement"
        if m["mod"] is None and m["anchor"] is None and _prev_word(text, m.start()) in _NAMED_DAY_BEFORE:
            continue
        mod = m["mod"] or m["tod"]
        c.add(
            m.start(),
            m.end(),
            "weekday",
            weekday=_WEEKDAYS[m["wd"].lower()],
            anchor=_ANCHORS[m["anchor"].lower()] if m["anchor"] else None,
            modifier=mod.lower() if mod else None,
        )

    for m in _RE_RELATIVE_DAY.finditer(text, start, end):
        tod = m["tod"].lower() if m["tod"] else None
        if m["today"]:
            offset, word = 0, m["today"].lower()
            if word != "today":
                tod = "night" if word == "tonight" else word.split()[-1]
        elif m["yesterday"]:
            word = m["yesterday"].lower()
            offset = -2 if word.startswith("the") else -1
            if word.startswith("last"):
                tod = "night"
        else:
            offset = 2 if m["tomorrow"].lower().startswith("the") else 1
        c.add(
            m.start(), m.end(), "relative_day", offset=offset, modifier=m["mod"].lower() if m["mod"] else tod
        )

    for m in _RE_RELATIVE_UNIT.finditer(text, start, end):
        unit = m["unit"].lower()
        if m["the"] is not None and (m["mod2"] is None or unit == "weekend"):
            continue  # "the week" alone is no date; "the end of the week" is
        mod = m["mod"] or m["mod2"] or ("weekend" if unit == "weekend" else None)
        c.add(
            m.start(),
            m.end(),
            _UNIT_KINDS[unit],
            offset=_unit_offset(m["rel"]),
            modifier=mod.lower() if mod else None,
        )

    for m in _RE_IN_THE.finditer(text, start, end):
        c.add(m.start(), m.end(), _UNIT_KINDS[m["unit"].lower()], offset=0, modifier=m["mod"].lower())

    for m in _RE_AGO.finditer(text, start, end):
        n = m["n"].lower()
        c.add(
            m.start(),
            m.end(),
            _UNIT_KINDS[m["unit"].lower()],
            offset=-(int(n) if n.isdigit() else _NUMBERS[n]),
        )


# Cheap first pass: where a time expression may be. The full patterns then run only near these spots.
_RE_SPOT = re.compile(
    r"\b(?=[0-9JFMASONDTtWwYyanmed])(?:"  # the look-ahead lets the engine skip most positions fast
    r"(?P<num>(?:1[89]|20)\d\d\b|\d?\d(?:st|nd|rd|th)\b)"
    r"|(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"|(?P<wd>Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
    r"|(?P<rel>[Tt]oday|[Dd]ay|[Tt]onight|[Yy]esterday|[Tt]omorrow|[Ww]eek|[Mm]onth|[Yy]ear|ago|night|morning"
    r"|afternoon|evening|TODAY|YESTERDAY|TOMORROW|WEEK|MONTH|YEAR))"
)
_MARGIN = 32  # longer than any stretch of a time expression without a spot ("the day before ")
_Finder = Callable[[_Collector, int, int], None]


def _windows(spots: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """Merge the stretches of text around each spot."""
    out: list[tuple[int, int]] = []
    for pos in spots:
        lo, hi = max(start, pos - _MARGIN), min(end, pos + _MARGIN)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def find_time_expressions(text: str, start: int = 0, end: int | None = None) -> list[TimeExpression]:
    """Return the time expressions inside text[start:end], in order, with offsets into `text`."""
    if end is None:
        end = len(text)
    absolute: list[int] = []
    relative: list[int] = []
    for m in _RE_SPOT.finditer(text, start, end):
        (relative if m.lastgroup in ("wd", "rel") else absolute).append(m.start())
    c = _Collector(text)
    finder: _Finder
    for finder, spots in ((_absolute, absolute), (_relative, relative)):
        for lo, hi in _windows(spots, start, end):
            finder(c, lo, hi)
    c.found.sort(key=lambda x: (x.start, x.start - x.end))  # leftmost, then longest, wins
    result: list[TimeExpression] = []
    last_end = -1
    for expr in c.found:
        if expr.start >= last_end:
            result.append(expr)
            last_end = expr.end
    return result


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _day_value(d: dt.date) -> ResolvedDate:
    return ResolvedDate(d.isoformat(), "day")


def _month_value(year: int, month: int) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}-{month:02d}", "month")


def _year_value(year: int) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}", "year")


def resolve(expr: TimeExpression, article_date: dt.date | None, *, future: bool) -> ResolvedDate:
    """Resolve a time expression against the article date; `future` is the event's tense."""
    kind = expr.kind
    if kind == "date" and expr.year and expr.month and expr.day:
        return _day_value(dt.date(expr.year, expr.month, expr.day))
    if kind == "year" and expr.year:
        return _year_value(expr.year)
    if kind == "month" and expr.month and expr.year:
        return _month_value(expr.year, expr.month)
    if article_date is None:
        return UNKNOWN
    ad = article_date

    if kind == "month_day" and expr.month and expr.day:
        year = ad.year
        if not future and (expr.month, expr.day) > (ad.month, ad.day):
            year -= 1
        elif future and (expr.month, expr.day) < (ad.month, ad.day):
            year += 1
        if not _valid(year, expr.month, expr.day):  # 29 February outside a leap year
            return _month_value(year, expr.month)
        return _day_value(dt.date(year, expr.month, expr.day))

    if kind == "month" and expr.month:
        if expr.anchor == "that":
            return UNKNOWN  # "in September that year": the narrative's year, not the article's
        if expr.offset is not None:
            return _month_value(ad.year + expr.offset, expr.month)
        year = ad.year
        if expr.anchor == "last":
            year -= expr.month >= ad.month
        elif expr.anchor == "next":
            year += expr.month <= ad.month
        elif expr.anchor is None and not future and expr.month > ad.month:
            year -= 1
        elif expr.anchor is None and future and expr.month < ad.month:
            year += 1
        return _month_value(year, expr.month)

    if kind == "weekday" and expr.weekday is not None:
        back = (ad.weekday() - expr.weekday) % 7  # days back to the latest such day on or before
        ahead = (expr.weekday - ad.weekday()) % 7  # days ahead to the first such day on or after
        if expr.anchor == "last":
            return _day_value(ad - dt.timedelta(days=back or 7))
        if expr.anchor == "next":
            return _day_value(ad + dt.timedelta(days=ahead or 7))
        if future:
            return _day_value(ad + dt.timedelta(days=ahead))
        return _day_value(ad - dt.timedelta(days=back))

    if kind == "relative_day" and expr.offset is not None:
        return _day_value(ad + dt.timedelta(days=expr.offset))

    if kind == "relative_week" and expr.offset is not None:
        d = ad + dt.timedelta(days=7 * expr.offset)
        return _month_value(d.year, d.month)

    if kind == "relative_month" and expr.offset is not None:
        return _month_value(*_shift_month(ad.year, ad.month, expr.offset))

    if kind == "relative_year" and expr.offset is not None:
        return _year_value(ad.year + expr.offset)

    if kind == "ordinal_day" and expr.day:
        year, month = ad.year, ad.month
        if not future and expr.day > ad.day:
            year, month = _shift_month(year, month, -1)
        elif future and expr.day < ad.day:
            year, month = _shift_month(year, month, 1)
        if expr.day > calendar.monthrange(year, month)[1]:
            return _month_value(year, month)
        return _day_value(dt.date(year, month, expr.day))

    return UNKNOWN
