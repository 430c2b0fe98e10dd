"""HTML pages: main text without navigation, title and publication date from the page's metadata."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from bilateral.sources import Article

ReadAll = Callable[..., tuple[list[Article], list[str], list[str]]]

PAGE = """<!DOCTYPE html>
<html><head><title>Ministers meet in Hanoi | Example News</title>
<meta property="og:title" content="Ministers meet in Hanoi">
<meta property="article:published_time" content="2023-06-12T08:00:00Z">
<meta property="og:site_name" content="Example News">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Ministers meet in Hanoi</h1>
<p>Japanese Foreign Minister Yoshimasa Hayashi met his Vietnamese counterpart Bui Thanh Son in Hanoi
on Monday.</p>
<p>The two ministers discussed maritime security, trade and the supply of rice and electronics between their
countries, and agreed to meet again before the end of the year.</p>
</article>
<footer>Copyright Example News. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>
"""


def test_page_gives_main_text_title_and_date(tmp_path: Path, read_all: ReadAll) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    articles, errors, warnings = read_all(tmp_path / "page.html")
    assert (errors, warnings) == ([], [])
    [article] = articles
    assert article.date == dt.date(2023, 6, 12)
    assert article.title == "Ministers meet in Hanoi"
    assert article.source == "Example News"
    assert article.ref == "page.html"
    assert (
        "Yoshimasa Hayashi met his Vietnamese counterpart Bui Thanh Son in Hanoi on Monday." in article.text
    )
    assert "Sport" not in article.text and "Copyright" not in article.text


def test_page_without_body_is_refused(tmp_path: Path, read_all: ReadAll) -> None:
    (tmp_path / "empty.htm").write_text("<html><head><title>Nothing</title></head><body></body></html>")
    articles, errors, _ = read_all(tmp_path / "empty.htm")
    assert articles == []
    assert errors == [
        f"{tmp_path / 'empty.htm'}: no article text in the page — give a page whose body holds the article"
    ]


def test_page_without_date_warns(tmp_path: Path, read_all: ReadAll) -> None:
    page = PAGE.replace('<meta property="article:published_time" content="2023-06-12T08:00:00Z">', "")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    articles, errors, warnings = read_all(tmp_path / "page.html")
    assert [a.date for a in articles] == [None]
    assert errors == []
    where = tmp_path / "page.html"
    assert warnings == [
        f'{where}: no date: relative dates ("on Friday") stay unresolved — give the article date'
    ]
