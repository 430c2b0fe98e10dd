"""Read the plain-text article format: header lines (`date`, `title:`, `url:`, `source:`), then the text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bilateral.sources.problems import SourceError, parse_iso_date

_DATE = re.compile(r"[ \t]*date[ \t]*:?[ \t]+(\d[^ \t\n]*)(?:[ \t]+(.*))?", re.IGNORECASE)
_FIELD = re.compile(r"[ \t]*(title|url|source)[ \t]*:[ \t]*(.*?)[ \t]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TextDocument:
    """A text file split into its header fields and the article text."""

    text: str
    date: dt.date | None
    has_date_header: bool
    title: str | None = None
    url: str | None = None
    source: str | None = None


def parse_text(content: str) -> TextDocument:
    """Split a text article into header and text; raise SourceError for a bad date or a missing text."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    fields: dict[str, str] = {}
    date: dt.date | None = None
    has_date = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        date_match = _DATE.fullmatch(line)
        if date_match and not has_date:
            date = parse_iso_date(date_match.group(1), "date header")
            has_date = True
            rest = (date_match.group(2) or "").strip()
            if rest:
                lines[i] = rest
                break
            i += 1
            continue
        field_match = _FIELD.fullmatch(line)
        if field_match and field_match.group(1).lower() not in fields:
            fields[field_match.group(1).lower()] = field_match.group(2)
            i += 1
            continue
        break
    text = "\n".join(lines[i:]).strip()
    if not text:
        raise SourceError("no article text after the header lines", "add the text below the header")
    return TextDocument(
        text=text,
        date=date,
        has_date_header=has_date,
        title=fields.get("title") or None,
        url=fields.get("url") or None,
        source=fields.get("source") or None,
    )
