"""JSON Lines: the keys, refs, and a bad line reported with its number while the others are read."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bilateral.sources import Article

ReadAll = Callable[..., tuple[list[Article], list[str], list[str]]]
TEXT = (
    "Brazilian President Luiz Inacio Lula da Silva spoke by phone with Argentine President Alberto Fernandez."
)


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


def test_every_key_is_read(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        line(
            id="w1", date="2023-01-24", title="A call", url="https://example.org/1", source="Wire", text=TEXT
        ),
        encoding="utf-8",
    )
    articles, errors, warnings = read_all(path)
    assert (errors, warnings) == ([], [])
    assert articles == [
        Article(TEXT, dt.date(2023, 1, 24), "A call", "https://example.org/1", "Wire", ref="w1"),
    ]


def test_ref_without_id_is_file_and_line(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "a.ndjson"
    path.write_text(line(date="2023-01-24", text=TEXT) + "\n" + line(date="2023-01-25", id=17, text=TEXT))
    articles, errors, _ = read_all(path)
    assert errors == []
    assert [a.ref for a in articles] == ["a.ndjson:1", "17"]


def test_timestamp_date_is_cut_to_the_day(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(line(date="2023-01-24T09:30:00Z", text=TEXT))
    articles, _, _ = read_all(path)
    assert [a.date for a in articles] == [dt.date(2023, 1, 24)]


def test_bad_lines_are_reported_and_skipped(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        (
            line(id="ok1", date="2023-01-24", text=TEXT)
            + '{"id": "broken", "text": \n'
            + line(id="notext", date="2023-01-24")
            + line(id="blank", date="2023-01-24", text="   ")
            + "[1, 2]\n"
            + line(id="baddate", date="2023-02-30", text=TEXT)
            + line(id="oddate", date="24/01/2023", text=TEXT)
            + line(id="numtitle", date="2023-01-24", title=5, text=TEXT)
            + line(id="numdate", date=20230124, text=TEXT)
        ).encode()
        + b'{"id": "latin", "text": "caf\xe9"}\n'
        + line(id="ok2", date="2023-01-25", text=TEXT).encode()
    )
    articles, errors, warnings = read_all(path)
    assert [a.ref for a in articles] == ["ok1", "ok2"]
    assert warnings == []
    assert errors == [
        f"{path}:2: not valid JSON (Expecting value at column 26) — fix or remove the line",
        f'{path}:3: no "text" — give each line the article under "text"',
        f'{path}:4: no "text" — give each line the article under "text"',
        f"{path}:5: not a JSON object — write one object per line",
        f"{path}:6: impossible date 2023-02-30 — write a real date",
        f"{path}:7: unreadable date '24/01/2023' — write it as YYYY-MM-DD",
        f'{path}:8: "title" is not a string — write "title" as a string or null',
        f'{path}:9: "date" is not a string — write "date" as "YYYY-MM-DD"',
        f"{path}:10: invalid UTF-8 at byte 28 of the line — re-save the file as UTF-8",
    ]


def test_line_without_date_warns(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(line(id="n", text=TEXT))
    articles, errors, warnings = read_all(path)
    assert [a.date for a in articles] == [None]
    assert errors == []
    assert warnings == [
        f'{path}:1: no date: relative dates ("on Friday") stay unresolved — give the article date'
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_encodings(tmp_path: Path, read_all: ReadAll, encoding: str) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(line(id="a", date="2023-01-24", text="Señor " + TEXT) + line(id="b", text=TEXT), encoding)
    articles, errors, _ = read_all(path)
    assert errors == []
    assert [(a.ref, a.text) for a in articles] == [("a", "Señor " + TEXT), ("b", TEXT)]


def test_line_above_max_size_is_refused_and_the_rest_read(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "a.jsonl"
    with path.open("w") as out:
        out.write(line(id="huge", date="2023-01-24", text="word " * 100_000))
        out.write(line(id="small", date="2023-01-24", text=TEXT))
    articles, errors, _ = read_all(path, max_size=64 * 1024)
    assert [a.ref for a in articles] == ["small"]
    assert errors == [f"{path}:1: line longer than the 64 kB limit — raise --max-size or split the line"]


def test_large_file_of_small_lines_is_not_refused(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("".join(line(id=str(i), date="2023-01-24", text=TEXT) for i in range(200)))
    articles, errors, _ = read_all(path, max_size=1024)
    assert (len(articles), errors) == (200, [])


def test_empty_and_binary_jsonl(tmp_path: Path, read_all: ReadAll) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    (tmp_path / "bin.jsonl").write_bytes(codecs.BOM_UTF8[:1] + b"\x00\x01\x02" * 50)
    articles, errors, _ = read_all(tmp_path)
    assert articles == []
    assert errors == [
        f"{tmp_path / 'bin.jsonl'}: binary file (NUL bytes) — give a file with one JSON article per line",
        f"{tmp_path / 'empty.jsonl'}: empty file — give a file with one JSON article per line",
    ]


def test_control_characters_and_lone_surrogates_are_cleaned(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "odd.jsonl"
    rtl = "وزير الخارجية الإيراني التقى نظيره الفنزويلي في كاراكاس"
    path.write_text(
        line(
            id="ctl",
            date="2023-01-24",
            title="Talks\u0000\u0007",
            text="Before\u0000 after\u001b.\tTab\u0085",
        )
        + json.dumps({"id": "sur", "date": "2023-01-24", "text": "Broken \ud800 escape"})
        + "\n"
        + line(id="rtl", date="2023-01-24", text=f"\u202b{rtl}\u202c")
        + line(id="only", date="2023-01-24", text="\u0000\u0001\u0002"),
        encoding="utf-8",
    )
    articles, errors, _ = read_all(path)
    assert [(a.ref, a.text, a.title) for a in articles] == [
        ("ctl", "Before after.\tTab", "Talks"),
        ("sur", "Broken ? escape", None),
        ("rtl", f"\u202b{rtl}\u202c", None),
    ]
    assert errors == ["only: no text but control characters — give the article text"]


def test_overlong_source_is_cut_with_a_warning(tmp_path: Path, read_all: ReadAll) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(line(id="long", date="2023-01-24", source="S" * 5000, title="T" * 100_000, text=TEXT))
    articles, errors, warnings = read_all(path)
    assert errors == []
    assert [(len(a.source or ""), len(a.title or "")) for a in articles] == [(200, 100_000)]
    assert warnings == [
        "long: source name longer than 200 characters, cut — give the outlet's name as source"
    ]
