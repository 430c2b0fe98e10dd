"""Read an HTML page: its main text, title and publication date, through trafilatura's boilerplate removal."""

from __future__ import annotations

from typing import Any

from bilateral.sources.article import Article
from bilateral.sources.problems import SourceError, parse_iso_date

_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def parse_html(page: str, ref: str) -> Article:
    """Return the article a page holds; raise SourceError when it has no main text."""
    import trafilatura  # here, not at the top: it takes ~0.15 s to load and most runs read no HTML

    document: Any = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = (document.text or "").strip() if document is not None else ""
    if not text:
        raise SourceError("no article text in the page", "give a page whose body holds the article")
    date = None
    if document.date:
        try:
            date = parse_iso_date(document.date, "page date")
        except SourceError:
            date = None
    return Article(
        text=text,
        date=date,
        title=(document.title or "").strip() or None,
        url=document.url or None,
        source=document.sitename or None,
        ref=ref,
    )
