"""Pick and resolve the date of an event from the time expressions of its sentence (adapter over dates.py)."""

from __future__ import annotations

import datetime as dt
import re

from bilateral.extract import dates
from bilateral.extract.document import Document, Sentence

_REPORTED = re.compile(
    r"\b(?:said|says|told\s+\w+|announced|reported|added|stated|quoted|confirmed|declared)"
    r"(?:\s+(?:here|there|today|late|early|on|in|at|a\s+statement))*\s*$"
)


_BY_GERUND = re.compile(r"\b(?:by|his|her|their|its)\s+$")


def event_date(
    doc: Document, sent: Sentence, anchor: int, *, future: bool, lo: int | None = None, hi: int | None = None
) -> tuple[str | None, str, dates.TimeExpression | None]:
    """Return (value, precision, expression) for the expression nearest `anchor` within [lo, hi)."""
    lo = sent.start if lo is None else lo
    hi = sent.end if hi is None else hi
    best = None
    best_d = 10**9
    for e in dates.find_time_expressions(doc.text, lo, hi):
        if _REPORTED.search(doc.text, max(0, e.start - 25), e.start):
            continue  # "said Friday", "told reporters here on Monday": when it was said, not done
        if e.end <= anchor and _BY_GERUND.search(doc.text, max(0, anchor - 7), anchor):
            continue  # "sparked hope Sunday by meeting", "said his meeting": the day belongs to the main verb
        d = e.start - anchor if e.start >= anchor else (anchor - e.end) * 1.5
        if d < best_d:
            best, best_d = e, int(d)
    if best is None:
        return None, "unknown", None
    r = dates.resolve(best, doc.date, future=future)
    return r.value, r.precision, best


def is_future(value: str | None, article_date: dt.date | None) -> bool:
    """Say whether a resolved date lies after the article date (at its own precision)."""
    if value is None or article_date is None:
        return False
    return value > article_date.isoformat()[: len(value)]


def is_past(value: str | None, article_date: dt.date | None) -> bool:
    """Say whether a resolved date lies before the article date (at its own precision)."""
    if value is None or article_date is None:
        return False
    return value < article_date.isoformat()[: len(value)]
