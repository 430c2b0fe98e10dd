"""`bilateral ingest` and `reextract`: exit codes, summary line, errors, idempotence, concurrent writers."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bilateral.cli import main
from bilateral.cli.ingest import ByteSize, TerminalReporter
from bilateral.store import models
from bilateral.store.dump import Dump, canonical_dump
from bilateral.store.engine import open_archive
from bilateral.store.ingest import IngestSummary

# (demonym, title, name, capital) of officials in the news; sentences below are the tests' own.
OFFICIALS = [
    ("Iranian", "Foreign Minister", "Hossein Amir-Abdollahian", "Tehran"),
    ("Venezuelan", "President", "Nicolas Maduro", "Caracas"),
    ("Brazilian", "President", "Luiz Inacio Lula da Silva", "Brasilia"),
    ("Argentine", "President", "Alberto Fernandez", "Buenos Aires"),
    ("Japanese", "Prime Minister", "Fumio Kishida", "Tokyo"),
    ("British", "Prime Minister", "Rishi Sunak", "London"),
    ("Indian", "Prime Minister", "Narendra Modi", "New Delhi"),
    ("German", "Chancellor", "Olaf Scholz", "Berlin"),
]


def article_text(k: int) -> tuple[dt.date, str]:
    """Return the date and text of the k-th generated article (a meeting or a call between two officials)."""
    a = OFFICIALS[k % len(OFFICIALS)]
    b = OFFICIALS[(k * 3 + 1) % len(OFFICIALS)]
    if a == b:
        b = OFFICIALS[(k + 1) % len(OFFICIALS)]
    day = dt.date(2023, 3, 1) + dt.timedelta(days=k % 5)
    if k % 3 == 0:
        body = f"{a[0]} {a[1]} {a[2]} spoke by phone with {b[0]} {b[1]} {b[2]} on {day:%A}."
    else:
        body = f"{a[0]} {a[1]} {a[2]} met {b[0]} {b[1]} {b[2]} in {b[3]} on {day:%A}."
    return day + dt.timedelta(days=1), f"{body} The two sides discussed trade and energy (report {k})."


def write_articles(folder: Path, numbers: range | list[int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in numbers:
        date, text = article_text(k)
        (folder / f"article-{k:03d}.txt").write_text(f"date {date.isoformat()}\n{text}\n", encoding="utf-8")
    return folder


def invoke(db_url: str, *args: str, input: bytes | None = None) -> Any:
    return CliRunner().invoke(main, ["--db", db_url, *args], input=input)


def dump(db_url: str) -> Dump:
    engine = open_archive(db_url)
    try:
        with Session(engine) as session:
            return canonical_dump(session)
    finally:
        engine.dispose()


def empty_archive(db_url: str) -> None:
    engine = open_archive(db_url)
    with Session(engine) as session:
        for table in reversed(models.Base.metadata.sorted_tables):
            if table.name not in ("countries", "organizations", "alembic_version"):
                session.execute(table.delete())
        session.commit()
    engine.dispose()


def test_ingest_folder_prints_the_summary(db_url: str, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", range(4))
    result = invoke(db_url, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("articles: 4 new, 0 unchanged, 0 failed; records: ")
    assert result.stdout.count("\n") == 1


def test_ingesting_twice_changes_nothing(db_url: str, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", range(5))
    assert invoke(db_url, "ingest", str(folder)).exit_code == 0
    before = dump(db_url)
    again = invoke(db_url, "ingest", str(folder), "--jobs", "2")
    assert again.exit_code == 0, again.output
    assert again.stdout == "articles: 0 new, 5 unchanged, 0 failed; records: 0 added, 0 merged\n"
    assert dump(db_url) == before


def test_some_inputs_fail_exit_1_with_one_line_each(db_url: str, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", [1])
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bad-date.txt").write_text("date 2023-02-30\nSome text.")
    (folder / "lines.jsonl").write_text(
        json.dumps({"id": "ok", "date": "2023-03-02", "text": article_text(2)[1]})
        + "\n"
        + '{"date": "2023-03-02"}\n'
    )
    result = invoke(db_url, "ingest", str(folder))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {folder / 'bad-date.txt'}: impossible date header 2023-02-30 — write a real date",
        f"error: {folder / 'empty.txt'}: empty file — give a file with an article in it",
        f'error: {folder / "lines.jsonl"}:2: no "text" — give each line the article under "text"',
    ]
    assert result.stdout.startswith("articles: 2 new, 0 unchanged, 3 failed; records: ")
    assert "Traceback" not in result.output


def test_warnings_go_to_stderr_and_quiet_hides_them(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text(article_text(1)[1])
    loud = invoke(db_url, "ingest", str(path))
    assert loud.exit_code == 0
    assert loud.stderr == (
        f'warning: {path}: no date: relative dates ("on Friday") stay unresolved — give the article date\n'
    )
    empty_archive(db_url)
    quiet = invoke(db_url, "ingest", "--quiet", str(path))
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    assert quiet.stdout.startswith("articles: 1 new, 0 unchanged, 0 failed")


def test_stdin_and_input_format(db_url: str) -> None:
    date, text = article_text(4)
    lines = json.dumps({"id": "s1", "date": date.isoformat(), "text": text}) + "\n"
    result = invoke(db_url, "ingest", "-", "--input-format", "jsonl", input=lines.encode())
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("articles: 1 new, 0 unchanged, 0 failed")
    with Session(engine := open_archive(db_url)) as session:
        assert session.scalars(select(models.Article.ref)).all() == ["s1"]
    engine.dispose()


def test_same_article_at_a_new_url_gains_it(db_url: str, tmp_path: Path) -> None:
    date, text = article_text(5)
    first = tmp_path / "first.jsonl"
    first.write_text(
        json.dumps({"id": "x", "date": date.isoformat(), "text": text, "url": "https://a.example/1"})
    )
    second = tmp_path / "second.jsonl"
    second.write_text(
        json.dumps({"id": "y", "date": date.isoformat(), "text": text, "url": "https://b.example/1"})
    )
    assert invoke(db_url, "ingest", str(first)).exit_code == 0
    result = invoke(db_url, "ingest", str(second))
    assert (
        result.stdout
        == "articles: 0 new, 1 unchanged (1 gained a URL), 0 failed; records: 0 added, 0 merged\n"
    )
    engine = open_archive(db_url)
    with Session(engine) as session:
        urls = session.scalars(select(models.ArticleUrl.url).order_by(models.ArticleUrl.url)).all()
        assert urls == ["https://a.example/1", "https://b.example/1"]
    engine.dispose()


def test_a_failing_article_rolls_back_only_itself(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fail_after_storing: Callable[[str, str], None],
) -> None:
    folder = write_articles(tmp_path / "in", range(4))
    fail_after_storing("article-002.txt", "simulated failure after the rows were written")
    result = invoke(db_url, "ingest", str(folder))
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: article-002.txt: RuntimeError: simulated failure after the rows were written\n"
    )
    assert result.stdout.startswith("articles: 3 new, 0 unchanged, 1 failed")
    with_failure = dump(db_url)

    monkeypatch.undo()
    empty_archive(db_url)
    (folder / "article-002.txt").unlink()
    assert invoke(db_url, "ingest", str(folder)).exit_code == 0
    assert dump(db_url) == with_failure


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "nowhere/"], "nowhere/: no such file, folder or matching glob — check the path"),
        (["ingest", "--jobs", "0", "."], "0 is not in the range x>=1"),
        (["ingest", "--input-format", "pdf", "."], "'pdf' is not one of"),
        (["ingest", "--max-size", "lots", "."], "'lots' is not a size: write e.g. 20MB, 512k or 1000000"),
        (["ingest", "-", "-"], "stdin (-) can be read only once"),
        (["ingest"], "Missing argument 'PATHS...'"),
    ],
)
def test_usage_errors_exit_2(db_url: str, args: list[str], message: str) -> None:
    result = invoke(db_url, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_max_size_option(db_url: str, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", [1])
    result = invoke(db_url, "ingest", "--max-size", "50", str(folder))
    assert result.exit_code == 1
    where = folder / "article-001.txt"
    assert (
        result.stderr
        == f"error: {where}: larger than the 50 bytes limit — raise --max-size or split the file\n"
    )


def test_reextract_command(db_url: str, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", range(3))
    assert invoke(db_url, "ingest", str(folder)).exit_code == 0
    before = dump(db_url)
    current = invoke(db_url, "reextract")
    assert current.exit_code == 0, current.output
    assert current.stdout.startswith("articles: 0 extracted again, 3 already current, 0 failed")
    engine = open_archive(db_url)
    with Session(engine) as session:
        session.execute(update(models.Article).values(extractor_version="0.0.0"))
        session.commit()
    engine.dispose()
    again = invoke(db_url, "reextract")
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("articles: 3 extracted again, 0 already current, 0 failed")
    assert dump(db_url) == before
    assert invoke(db_url, "reextract", "--all").stdout.startswith("articles: 3 extracted again")


def _bilateral(db_url: str, *args: str) -> subprocess.Popen[bytes]:
    code = "from bilateral.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--db", db_url, "ingest", "--quiet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_two_processes_with_overlapping_inputs_equal_one_run(
    db_url: str, tmp_path: Path, engine: Engine
) -> None:
    first = write_articles(tmp_path / "first", range(0, 14))
    second = write_articles(tmp_path / "second", range(6, 20))
    runs = [_bilateral(db_url, str(first)), _bilateral(db_url, "--jobs", "2", str(second))]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode()
        assert err == b""
    new = sum(int(out.decode().split(" new")[0].split()[-1]) for out, _ in outputs)
    assert new == 20
    together = dump(db_url)

    empty_archive(db_url)
    alone = _bilateral(db_url, str(first), str(second))
    out, err = alone.communicate(timeout=300)
    assert alone.returncode == 0, err.decode()
    assert out.decode().startswith("articles: 20 new, 8 unchanged, 0 failed")
    assert dump(db_url) == together
    assert len(together["articles"]) == 20


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_not_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    reporter = TerminalReporter(quiet=False)
    assert reporter.bar is not None
    reporter.advance(IngestSummary(new=1))
    reporter.advance(IngestSummary(new=1, failed=1))
    reporter.problem("a.txt: empty file — give a file with an article in it", warning=False)
    reporter.close()
    shown = terminal.getvalue()
    assert "2 articles" in shown and "failed=1" in shown and "articles/s" in shown
    assert "error: a.txt: empty file — give a file with an article in it\n" in shown
    assert TerminalReporter(quiet=True).bar is None
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert TerminalReporter(quiet=False).bar is None


@pytest.mark.parametrize(
    ("text", "size"),
    [("20MB", 20 * 2**20), ("512k", 512 * 1024), ("1.5G", 3 * 2**29), ("1000", 1000), ("2 kb", 2048)],
)
def test_max_size_units(text: str, size: int) -> None:
    assert ByteSize().convert(text, None, None) == size
