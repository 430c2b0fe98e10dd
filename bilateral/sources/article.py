"""The article as every reader returns it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: its text (what offsets point into), date and where it came from."""

    text: str
    date: dt.date | None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    ref: str | None = None
    """The JSONL `id`, else the path relative to the argument it was found under."""
