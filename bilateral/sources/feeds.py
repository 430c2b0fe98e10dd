"""Read RSS and Atom feeds through feedparser: one article per entry, its body stripped of HTML by lxml."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]
from lxml_html_clean import Cleaner

from bilateral.sources.article import Article
from bilateral.sources.problems import Problem, date_warning

_BLOCKS = frozenset(
    "p div li ul ol dl dd dt h1 h2 h3 h4 h5 h6 blockquote pre table tr section article figure".split()
)
_CLEANER = Cleaner(
    scripts=True, javascript=True, style=True, comments=True, forms=True, embedded=True, frames=True
)
_BLANK_LINES = re.compile(r"\n[ \t\n]*\n")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(fragment: str) -> str:
    """Return the text of an HTML fragment, paragraphs separated by a blank line."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        root = _CLEANER.clean_html(root)
    except (lxml.etree.ParserError, ValueError):
        return fragment.strip()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    text = _SPACES.sub(" ", root.text_content())
    lines = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", lines).strip()


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date()
    return None


def _entry_body(entry: Any) -> str:
    for content in entry.get("content") or ():
        value = content.get("value") or ""
        if value.strip():
            return str(value)
    return str(entry.get("summary") or entry.get("description") or "")


def read_feed(data: bytes, where: str, ref: str) -> Iterator[Article | Problem]:
    """Yield one article (or problem) per entry of an RSS or Atom feed."""
    import feedparser  # here, not at the top: most runs read no feed

    parsed: Any = feedparser.parse(data)
    entries = parsed.get("entries") or []
    bodies = [html_to_text(_entry_body(entry)) for entry in entries]
    if parsed.get("bozo") and not any(bodies):
        reason = str(parsed.get("bozo_exception") or "not a feed").splitlines()[0]
        yield Problem(where, f"malformed feed ({reason})", "give a well-formed RSS or Atom file")
        return
    if not entries:
        yield Problem(where, "feed without entries", "give a feed with at least one item or entry")
        return
    if parsed.get("bozo"):
        reason = str(parsed.get("bozo_exception") or "").splitlines()[0]
        yield Problem(
            where, f"feed is not well-formed ({reason})", "fix the XML; what could be read is read", True
        )
    feed_title = html_to_text(str(parsed.get("feed", {}).get("title") or "")) or None
    for number, (entry, text) in enumerate(zip(entries, bodies, strict=True), start=1):
        at = f"{where}:entry {number}"
        if not text:
            yield Problem(at, "entry without content or description", "give each entry a body")
            continue
        date = _entry_date(entry)
        warning = date_warning(date, at)
        if warning:
            yield warning
        yield Article(
            text=text,
            date=date,
            title=html_to_text(str(entry.get("title") or "")) or None,
            url=entry.get("link") or None,
            source=feed_title,
            ref=entry.get("id") or f"{ref}:entry {number}",
        )
