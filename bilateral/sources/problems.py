"""What a reader says about input it cannot take, or takes with a doubt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """An error (the item is not ingested) or a warning (it is, with a doubt), with where and the fix."""

    where: str
    """`file`, `file:line` (JSONL) or `file:entry N` (feeds), as the user named the file."""
    reason: str
    fix: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.where}: {self.reason} — {self.fix}"


class SourceError(Exception):
    """Raised inside a reader for input it must refuse; the reader turns it into a `Problem`."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix

    def at(self, where: str) -> Problem:
        """Return this error as a problem located at `where`."""
        return Problem(where, self.reason, self.fix)


def parse_iso_date(value: str, what: str) -> dt.date:
    """Return the date of `YYYY-MM-DD` (a longer ISO timestamp is cut to its date), or raise SourceError."""
    head = value.strip()[:10]
    if len(head) != 10 or head[4] != "-" or head[7] != "-" or not (head[:4] + head[5:7] + head[8:]).isdigit():
        raise SourceError(f"unreadable {what} {value.strip()[:40]!r}", "write it as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(head)
    except ValueError:
        raise SourceError(f"impossible {what} {head}", "write a real date") from None


def date_warning(date: dt.date | None, where: str, today: dt.date | None = None) -> Problem | None:
    """Return a warning for an article without a date or dated in the future, else None."""
    if date is None:
        return Problem(
            where, 'no date: relative dates ("on Friday") stay unresolved', "give the article date", True
        )
    today = today or dt.date.today()
    if date > today:
        return Problem(where, f"date {date.isoformat()} is in the future", "check the article date", True)
    return None
