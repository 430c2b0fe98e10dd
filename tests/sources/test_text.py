"""The plain-text format: both forms of the date header, the optional header lines, bad dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from bilateral.sources import Article
from bilateral.sources.problems import SourceError
from bilateral.sources.text import parse_text

ReadAll = Callable[..., tuple[list[Article], list[str], list[str]]]

MEETING = (
    "Iranian Foreign Minister Hossein Amir-Abdollahian met Venezuelan President Nicolas Maduro on Friday."
)


@pytest.mark.parametrize(
    "content",
    [
        f"date 2023-02-04\n{MEETING}\n",
        f"date 2023-02-04\n\n{MEETING}\n",
        f"date 2023-02-04 {MEETING}\n",
        f" date 2023-02-04 {MEETING}\n",
        f"\n  date 2023-02-04\t{MEETING}",
        f"Date: 2023-02-04\r\n\r\n{MEETING}\r\n",
    ],
    ids=["own-line", "own-line-blank", "inline", "inline-leading-space", "leading-blank-tab", "crlf-colon"],
)
def test_date_header_forms(content: str) -> None:
    document = parse_text(content)
    assert document.date == dt.date(2023, 2, 4)
    assert document.has_date_header
    assert document.text == MEETING
    assert (document.title, document.url, document.source) == (None, None, None)


def test_optional_header_lines_before_the_text() -> None:
    content = (
        "date 2023-02-04\ntitle: Ministers meet in Caracas\nurl: https://example.org/a\n"
        f"source: Example Wire\n\n{MEETING}\n\nA second paragraph.\n"
    )
    document = parse_text(content)
    assert document.date == dt.date(2023, 2, 4)
    assert document.title == "Ministers meet in Caracas"
    assert document.url == "https://example.org/a"
    assert document.source == "Example Wire"
    assert document.text == f"{MEETING}\n\nA second paragraph."


def test_header_lines_may_come_before_the_date() -> None:
    document = parse_text(f"title: Talks\ndate 2023-02-04\n{MEETING}")
    assert (document.title, document.date, document.text) == ("Talks", dt.date(2023, 2, 4), MEETING)


def test_a_second_title_line_is_text() -> None:
    document = parse_text("date 2023-02-04\ntitle: One\ntitle: Two\nBody.")
    assert (document.title, document.text) == ("One", "title: Two\nBody.")


def test_no_date_header_keeps_the_whole_text() -> None:
    document = parse_text(f"{MEETING}\nMore text.")
    assert (document.date, document.has_date_header) == (None, False)
    assert document.text == f"{MEETING}\nMore text."


@pytest.mark.parametrize(
    ("content", "reason", "fix"),
    [
        ("date 2023-02-30\nText.", "impossible date header 2023-02-30", "write a real date"),
        ("date 2023-13-01 Text.", "impossible date header 2023-13-01", "write a real date"),
        ("date 04/02/2023\nText.", "unreadable date header '04/02/2023'", "write it as YYYY-MM-DD"),
        (
            "date 2023-02-04\n\n  \n",
            "no article text after the header lines",
            "add the text below the header",
        ),
    ],
)
def test_bad_headers_raise(content: str, reason: str, fix: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_text(content)
    assert (caught.value.reason, caught.value.fix) == (reason, fix)


def test_text_file_gives_an_article_with_its_ref(tmp_path: Path, read_all: ReadAll) -> None:
    (tmp_path / "a.txt").write_text(f"date 2023-02-04\ntitle: Talks\n{MEETING}\n", encoding="utf-8")
    articles, errors, warnings = read_all(tmp_path / "a.txt")
    assert (errors, warnings) == ([], [])
    [article] = articles
    assert article.text == MEETING
    assert (article.date, article.title, article.ref) == (dt.date(2023, 2, 4), "Talks", "a.txt")


def test_missing_date_is_a_warning(tmp_path: Path, read_all: ReadAll) -> None:
    (tmp_path / "a.txt").write_text(MEETING, encoding="utf-8")
    articles, errors, warnings = read_all(tmp_path / "a.txt")
    assert [a.date for a in articles] == [None]
    assert errors == []
    assert warnings == [
        f'{tmp_path / "a.txt"}: no date: relative dates ("on Friday") stay unresolved — give the article date'
    ]


def test_future_date_is_a_warning(tmp_path: Path, read_all: ReadAll) -> None:
    future = dt.date.today() + dt.timedelta(days=400)
    (tmp_path / "a.txt").write_text(f"date {future.isoformat()}\n{MEETING}", encoding="utf-8")
    articles, errors, warnings = read_all(tmp_path / "a.txt")
    assert [a.date for a in articles] == [future]
    assert errors == []
    where = tmp_path / "a.txt"
    assert warnings == [f"{where}: date {future.isoformat()} is in the future — check the article date"]


def test_impossible_date_fails_only_that_article(tmp_path: Path, read_all: ReadAll) -> None:
    (tmp_path / "a.txt").write_text(f"date 2023-02-30\n{MEETING}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"date 2023-02-03\n{MEETING}", encoding="utf-8")
    articles, errors, warnings = read_all(tmp_path)
    assert [a.ref for a in articles] == ["b.txt"]
    assert errors == [f"{tmp_path / 'a.txt'}: impossible date header 2023-02-30 — write a real date"]
    assert warnings == []


def test_seed_article_inline_header(shared_dir: Path, read_all: ReadAll) -> None:
    seeds = sorted((shared_dir / "seed").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed article in the shared folder")
    articles, errors, warnings = read_all(*seeds)
    assert (errors, warnings) == ([], [])
    for article, path in zip(articles, seeds, strict=True):
        raw = path.read_text(encoding="utf-8")
        assert article.date == dt.date.fromisoformat(raw.split()[1])
        assert not article.text.lower().startswith("date")
        assert article.text == article.text.strip()
        assert article.text in raw
