"""RSS and Atom feeds: one article per entry, bodies stripped of HTML, malformed feeds reported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from bilateral.sources import Article
from bilateral.sources.feeds import html_to_text

ReadAll = Callable[..., tuple[list[Article], list[str], list[str]]]

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Diplomatic Wire</title><link>https://example.org</link>
<description>Test feed</description>
<item><title>Leaders talk by phone</title><link>https://example.org/call</link><guid>call-1</guid>
<pubDate>Tue, 24 Jan 2023 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Brazilian President Lula spoke by phone with &lt;b&gt;Argentine&lt;/b&gt; President
Alberto Fernandez.&lt;/p&gt;&lt;p&gt;They discussed trade.&lt;/p&gt;
&lt;script&gt;track()&lt;/script&gt;</description>
</item>
<item><title>No body</title><link>https://example.org/empty</link>
<pubDate>Wed, 25 Jan 2023 10:00:00 GMT</pubDate></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title><id>urn:feed</id>
<updated>2023-03-01T00:00:00Z</updated>
<entry><title>Visit to Canberra</title><id>urn:visit</id><link href="https://example.org/visit"/>
<published>2023-03-01T09:00:00Z</published><updated>2023-03-02T09:00:00Z</updated>
<summary>Short summary.</summary>
<content type="html">&lt;p&gt;The German Foreign Minister arrived in Canberra on Wednesday.&lt;/p&gt;
</content>
</entry></feed>
"""


def test_rss_items_become_articles(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(RSS, encoding="utf-8")
    articles, errors, warnings = read_all(path)
    assert warnings == []
    assert errors == [f"{path}:entry 2: entry without content or description — give each entry a body"]
    assert articles == [
        Article(
            text="Brazilian President Lula spoke by phone with Argentine President\nAlberto Fernandez.\n\n"
            "They discussed trade.",
            date=dt.date(2023, 1, 24),
            title="Leaders talk by phone",
            url="https://example.org/call",
            source="Example Diplomatic Wire",
            ref="call-1",
        )
    ]


def test_atom_content_wins_over_summary(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "feed.atom"
    path.write_text(ATOM, encoding="utf-8")
    articles, errors, warnings = read_all(path)
    assert (errors, warnings) == ([], [])
    assert [(a.text, a.date, a.url, a.ref) for a in articles] == [
        (
            "The German Foreign Minister arrived in Canberra on Wednesday.",
            dt.date(2023, 3, 1),
            "https://example.org/visit",
            "urn:visit",
        )
    ]


def test_malformed_feed_is_refused(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<?xml version='1.0'?><rss><channel><item><title>x</tit", encoding="utf-8")
    articles, errors, _ = read_all(path)
    assert articles == []
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}: malformed feed (")
    assert errors[0].endswith(") — give a well-formed RSS or Atom file")


def test_recoverable_feed_warns_and_reads(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "loose.rss"
    path.write_text(RSS.replace("</channel></rss>", "</channel>"), encoding="utf-8")
    articles, _, warnings = read_all(path)
    assert [a.ref for a in articles] == ["call-1"]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path}: feed is not well-formed (")


def test_empty_feed_file_is_refused(tmp_path: Path, read_all: ReadAll) -> None:
    (tmp_path / "empty.xml").write_bytes(b"")
    _, errors, _ = read_all(tmp_path / "empty.xml")
    assert errors == [f"{tmp_path / 'empty.xml'}: empty file — give a file with an article in it"]


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    fragment = (
        "<div><p>One <i>two</i></p><script>x()</script><ul><li>three</li><li>four</li></ul>five<br>six</div>"
    )
    assert html_to_text(fragment) == "One two\n\nthree\n\nfour\n\nfive\nsix"


def test_html_to_text_of_plain_text() -> None:
    assert html_to_text("  plain words & more ") == "plain words & more"
