"""Bad input: each bad file or line gets one error line naming it and the reason, the run goes on, exit 1.

One folder holds good articles and every kind of bad input at once; the run must report each problem on
one line (`error: FILE[:LINE]: reason — fix`), store the good articles and nothing of the bad ones, and
leave an archive that `db check` passes. A 100 MB single-line file is refused without being read (peak RSS
of the process measured), and the limit is an option.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bilateral.store.engine import open_archive
from bilateral.store.models import Article

MB = 1024 * 1024
GOOD = "Japanese Prime Minister Fumio Kishida met British Prime Minister Rishi Sunak in London on Monday."
RTL = (
    "\u0627\u0644\u0631\u0626\u064a\u0633 \u0627\u0644\u0625\u064a\u0631\u0627\u0646\u064a "
    "\u0627\u0644\u062a\u0642\u0649 \u0646\u0638\u064a\u0631\u0647 "
    "\u0627\u0644\u0641\u0646\u0632\u0648\u064a\u0644\u064a. "
    "\u05e9\u05e8 \u05d4\u05d7\u05d5\u05e5 \u05e0\u05e4\u05d2\u05e9 "
    "\u05e2\u05dd \u05e2\u05de\u05d9\u05ea\u05d5. "
    "\u202eIranian Foreign Minister Hossein Amir-Abdollahian met\u202c Venezuelan President Nicolas Maduro "
    "in Caracas on Tuesday.\u200f The talks covered oil \u200eand\u200e trade."
)
LONG_NAME = " ".join(["Abcdefghij"] * 60)


def _jsonl(*lines: object) -> bytes:
    """Return JSONL bytes: dicts are dumped, bytes and str are written as they are."""
    out = b""
    for line in lines:
        if isinstance(line, bytes):
            out += line + b"\n"
        elif isinstance(line, str):
            out += line.encode() + b"\n"
        else:
            out += json.dumps(line).encode() + b"\n"
    return out


def _text(date: str, body: str, *headers: str) -> bytes:
    return ("\n".join([f"date {date}", *headers, body]) + "\n").encode()


# file name -> bytes
FILES: dict[str, bytes] = {
    "good-1.txt": _text("2023-01-12", GOOD),
    "empty.txt": b"",
    "blank.txt": b"\n \n\t\n",
    "header-only.txt": b"date 2023-01-12\ntitle: A title and nothing else\n",
    "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "binary.jsonl": b'{"text": "a"}\n' + bytes(range(256)) * 4,
    "controls.txt": b"date 2023-01-12\n" + bytes(range(1, 32)) * 20 + b" word",
    "invalid-utf8.txt": b"date 2023-03-01\nThe minister \xc3\x28 met \xa0\xa1\xff\xfe\x80\x81 in \xc0\xc1.\n",
    "latin1.txt": "date 2023-03-01\nLe ministre iranien a rencontré le président vénézuélien à Caracas mardi."
    "\n".encode("latin-1"),
    "impossible-date.txt": _text("2023-02-30", GOOD),
    "unreadable-date.txt": _text("2023-13", GOOD),
    "future.txt": _text(
        "2999-01-01", "Kenyan President William Ruto met Turkish Foreign Minister Mevlut Cavusoglu."
    ),
    "long.txt": _text(
        "2023-03-01",
        f"Iranian Foreign Minister Hossein {LONG_NAME} met Venezuelan President Nicolas Maduro in "
        f"{'Caracas' * 700} on Tuesday. {'Grand ' * 5000}Minister {'x' * 50000} spoke.",
        f"title: {'T' * 100_000}",
        f"source: {'S' * 1000}",
        f"url: https://example.org/{'u' * 5000}",
    ),
    "control-chars.txt": _text(
        "2023-03-02",
        "Indian Prime Minister\x07 Narendra Modi \x1b[31mmet\x1b[0m German Chancellor Olaf Scholz\x0b "
        "in Berlin\x08 on Thursday.\x7f",
    ),
    "rtl.txt": _text("2023-03-03", RTL),
    "no-body.html": b"<html><head><title>Only a title</title></head></html>",
    "empty-body.html": b"<!doctype html><html><head><title>t</title></head><body>  </body></html>",
    "malformed.rss": b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>Half an item",
    "not-a-feed.xml": b"<?xml version='1.0'?><catalogue><book>Nothing here</book></catalogue>",
    "lines.jsonl": _jsonl(
        {
            "id": "j1",
            "date": "2023-02-01",
            "text": "Kenyan President William Ruto met Argentine President "
            "Alberto Fernandez in Nairobi on Tuesday.",
        },
        "{broken",
        {"title": "no text here", "date": "2023-02-01"},
        "[1, 2]",
        {"text": "   "},
        {"text": 5},
        {
            "id": "j7",
            "date": "2023-02-02",
            "text": "Brazilian President Luiz Inacio Lula da Silva spoke by "
            "phone with Indian Prime Minister Narendra Modi on Wednesday.",
        },
        b'{"text": "caf\xe9 \xff"}',
        {"text": GOOD, "date": "2023-02-30"},
        {"text": GOOD, "date": 20230201},
        {"text": GOOD + "\u0000", "date": "2023-02-03"},
        {"text": GOOD, "title": "nul \u0000 title", "date": "2023-02-04"},
        {"id": "j13", "date": "2999-02-04", "text": RTL},
    ),
}

# (file[:line], reason pattern, is a warning)
EXPECTED: list[tuple[str, str, bool]] = [
    ("empty.txt", "empty file", False),
    ("blank.txt", "empty file", False),
    ("header-only.txt", "no article text", False),
    ("binary.txt", "binary file", False),
    ("binary.jsonl", "binary file", False),
    ("controls.txt", "binary file", False),
    ("invalid-utf8.txt", "invalid UTF-8", False),
    ("latin1.txt", "not UTF-8; read as", True),
    ("impossible-date.txt", "impossible date header 2023-02-30", False),
    ("unreadable-date.txt", "unreadable date header", False),
    ("future.txt", "date 2999-01-01 is in the future", True),
    ("long.txt", "source name longer than", True),
    ("no-body.html", "no article text in the page", False),
    ("empty-body.html", "no article text in the page", False),
    ("malformed.rss", "malformed feed", False),
    ("not-a-feed.xml", "feed without entries|malformed feed", False),
    ("lines.jsonl:2", "not valid JSON", False),
    ("lines.jsonl:3", 'no "text"', False),
    ("lines.jsonl:4", "not a JSON object", False),
    ("lines.jsonl:5", 'no "text"', False),
    ("lines.jsonl:6", 'no "text"', False),
    ("lines.jsonl:8", "invalid UTF-8", False),
    ("lines.jsonl:9", "impossible date 2023-02-30", False),
    ("lines.jsonl:10", '"date" is not a string', False),
    ("lines.jsonl:13", "date 2999-02-04 is in the future", True),
]
NUL_LINES = {"lines.jsonl:11", "lines.jsonl:12"}
"""Lines with U+0000, which PostgreSQL cannot store: refused, or stored without it, alike on every backend."""
STORED = {
    "good-1.txt",
    "latin1.txt",
    "future.txt",
    "long.txt",
    "control-chars.txt",
    "rtl.txt",
    "j1",
    "j7",
    "j13",
}
LINE = re.compile(r"(error|warning): (.+?): (.+) — (.+)")


def test_each_bad_input_is_one_line_and_the_run_goes_on(db_url: str, tmp_path: Path, bl) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    result = bl.invoke(db_url, "ingest", str(folder))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output

    lines = result.stderr.splitlines()
    parsed = [LINE.fullmatch(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    seen = {(m.group(2), m.group(1) == "warning"): m.group(3) for m in parsed if m}
    for where, pattern, warning in EXPECTED:
        located = f"{folder}{os.sep}{where}"
        if (located, warning) not in seen and (where, warning) in seen:
            located = where  # named by the article's ref rather than the path (the source-name warning)
        assert (located, warning) in seen, f"no {'warning' if warning else 'error'} for {where}: {lines}"
        assert re.search(pattern, seen[(located, warning)]), (where, seen[(located, warning)])
    refused_nul = {where for where in NUL_LINES if (f"{folder}{os.sep}{where}", False) in seen}
    assert len(lines) == len(EXPECTED) + len(refused_nul), lines

    engine = open_archive(db_url)
    try:
        with Session(engine) as session:
            articles = {a.ref: a for a in session.scalars(select(Article))}
    finally:
        engine.dispose()
    assert set(articles) == STORED | (NUL_LINES - refused_nul)
    for article in articles.values():
        for value in (article.text, article.title, article.url, article.source, article.ref):
            assert "\x00" not in (value or ""), article.ref
    errors = sum(1 for _, _, warning in EXPECTED if not warning) + len(refused_nul)
    assert result.stdout.startswith(f"articles: {len(articles)} new, 0 unchanged, {errors} failed")
    assert articles["latin1.txt"].text.startswith("Le ministre iranien a rencontré le président vénézuélien")
    assert RTL in articles["rtl.txt"].text and RTL in articles["j13"].text
    assert len(articles["long.txt"].title or "") == 100_000
    check = bl.invoke(db_url, "db", "check", "--format", "csv")
    assert check.exit_code == 0, check.output


def _peak_rss(argv: list[str]) -> tuple[int, int, str]:
    """Run a command and return its exit code, peak RSS in bytes and stderr."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    with proc.stderr:
        err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss * 1024, err


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_100_mb_single_line_is_refused_in_bounded_memory(db_url: str, tmp_path: Path, bl) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "good.txt").write_bytes(_text("2023-01-12", GOOD))
    with (folder / "huge.txt").open("wb") as f:  # sparse: refused on its size before a byte is read
        f.write(b"date 2023-01-12 ")
        f.truncate(100 * MB)
    chunk = b"Minister " * (MB // 9)
    with (folder / "huge.jsonl").open("wb") as f:
        f.write(b'{"date": "2023-01-12", "text": "')
        for _ in range(101):
            f.write(chunk)
        f.write(b'"}\n')
        f.write(json.dumps({"id": "after", "date": "2023-01-13", "text": GOOD + " Again."}).encode() + b"\n")
    assert (folder / "huge.jsonl").stat().st_size > 100 * MB

    baseline_dir = tmp_path / "small"
    baseline_dir.mkdir()
    (baseline_dir / "good.txt").write_bytes(_text("2023-01-12", GOOD))
    code, baseline, err = _peak_rss(bl.command(db_url, "ingest", "--quiet", str(baseline_dir)))
    assert code == 0, err

    code, peak, err = _peak_rss(bl.command(db_url, "ingest", "--quiet", str(folder)))
    assert code == 1
    assert "Traceback" not in err
    assert err.splitlines() == [
        f"error: {folder / 'huge.jsonl'}:1: line longer than the 20 MB limit — raise --max-size or split "
        "the line",
        f"error: {folder / 'huge.txt'}: larger than the 20 MB limit — raise --max-size or split the file",
    ]
    # Reading at most one limit's worth of the line: far less than the file.
    assert peak - baseline < 60 * MB, (baseline // MB, peak // MB)
    print(f"peak RSS {peak // MB} MB with the 100 MB files, {baseline // MB} MB without")
    engine = open_archive(db_url)
    with Session(engine) as session:
        assert set(session.scalars(select(Article.ref))) == {"good.txt", "after"}
    engine.dispose()


def test_the_size_limit_is_an_option(db_url: str, tmp_path: Path, bl) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "inputs"
    folder.mkdir()
    padding = " ".join(["The talks went on."] * 200)
    (folder / "big.txt").write_bytes(_text("2023-01-12", GOOD + " " + padding))
    (folder / "big.jsonl").write_bytes(_jsonl({"date": "2023-01-13", "text": GOOD + " " + padding}))
    refused = bl.invoke(db_url, "ingest", "--quiet", "--max-size", "2k", str(folder))
    assert refused.exit_code == 1
    assert refused.stderr.count(" 2 kB limit — ") == 2, refused.stderr
    assert refused.stdout.startswith("articles: 0 new, 0 unchanged, 2 failed")
    accepted = bl.invoke(db_url, "ingest", "--quiet", "--max-size", "8k", str(folder))
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.startswith("articles: 2 new")
    usage = bl.invoke(db_url, "ingest", "--max-size", "lots", str(folder))
    assert usage.exit_code == 2 and "not a size" in usage.output
