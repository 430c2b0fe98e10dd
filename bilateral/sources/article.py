"""The article as every reader returns it, and its identity."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Return the text in NFC with runs of white space folded to one space and the ends trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@functools.lru_cache(maxsize=1024)
def content_hash(text: str, date: dt.date | None) -> str:
    """Return the SHA-256 that identifies an article: its normalised text plus its date.

    Cached: ingest asks for each article's hash several times within a few hundred articles.
    """
    key = f"{date.isoformat() if date else ''}\n{normalise_text(text)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


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

    @property
    def sha256(self) -> str:
        """Return the article's identity (DESIGN.md §2)."""
        return content_hash(self.text, self.date)

    @property
    def words(self) -> int:
        """Return the number of white-space separated words in the text."""
        return len(self.text.split())
