"""Ingest orchestration: new / unchanged / failed counts, per-article atomicity, jobs, reextract."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from bilateral import extraction_pool
from bilateral.extract import EXTRACTOR_VERSION
from bilateral.sources import Article, Problem, read_paths
from bilateral.store import aggregates, models, resolve
from bilateral.store.dump import Dump, canonical_dump
from bilateral.store.ingest import IngestSummary, SilentReporter, ingest, is_older, reextract

ARTICLES = [
    Article(
        "Iranian Foreign Minister Hossein Amir-Abdollahian met Venezuelan President Nicolas Maduro in "
        "Caracas on Friday. The two sides discussed energy cooperation.",
        dt.date(2023, 2, 4),
        ref="a1",
        url="https://example.org/a1",
    ),
    Article(
        "Amir-Abdollahian also held talks with Venezuelan Foreign Minister Yvan Gil in Caracas on Friday.",
        dt.date(2023, 2, 4),
        ref="a2",
    ),
    Article(
        "Brazilian President Luiz Inacio Lula da Silva spoke by phone with Argentine President Alberto "
        "Fernandez on Tuesday.",
        dt.date(2023, 1, 25),
        ref="a3",
    ),
    Article(
        "Japanese Prime Minister Fumio Kishida and British Prime Minister Rishi Sunak signed a defence "
        "agreement in London on Wednesday.",
        dt.date(2023, 1, 12),
        ref="a4",
    ),
]


def run(
    engine: Engine, items: Iterable[Article | Problem], jobs: int = 1
) -> tuple[IngestSummary, SilentReporter]:
    reporter = SilentReporter()
    return ingest(engine, items, jobs=jobs, reporter=reporter), reporter


def dump(engine: Engine) -> Dump:
    """Return the archive's canonical dump (no surrogate ids)."""
    with Session(engine) as session:
        return canonical_dump(session)


def empty_archive(engine: Engine) -> None:
    """Delete every row but the reference tables (countries, organisations)."""
    with Session(engine) as session:
        for table in reversed(models.Base.metadata.sorted_tables):
            if table.name not in ("countries", "organizations", "alembic_version"):
                session.execute(table.delete())
        session.commit()
    assert count(engine, models.Article) == 0


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_new_articles_are_stored(engine: Engine) -> None:
    summary, reporter = run(engine, ARTICLES)
    assert (summary.new, summary.unchanged, summary.failed) == (4, 0, 0)
    assert reporter.errors == []
    assert count(engine, models.Article) == 4
    with Session(engine) as session:
        stored = session.scalars(select(models.Article).order_by(models.Article.ref)).all()
        assert [(a.ref, a.sha256, a.extractor_version) for a in stored] == [
            (a.ref, a.sha256, EXTRACTOR_VERSION) for a in ARTICLES
        ]
        assert stored[0].text == ARTICLES[0].text


def test_records_counts_match_the_archive(engine: Engine) -> None:
    summary, _ = run(engine, ARTICLES)
    rows = count(engine, models.Meeting) + count(engine, models.Agreement) + count(engine, models.Official)
    assert summary.records_added <= rows + count(engine, models.Position)
    assert summary.records_added > 0


def test_second_run_changes_nothing_and_counts_unchanged(engine: Engine) -> None:
    run(engine, ARTICLES)
    before = dump(engine)
    summary, _ = run(engine, ARTICLES)
    assert (summary.new, summary.unchanged, summary.failed) == (0, 4, 0)
    assert (summary.records_added, summary.records_merged, summary.urls_added) == (0, 0, 0)
    assert dump(engine) == before


def test_known_article_skips_extraction(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    run(engine, ARTICLES)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an unchanged article was extracted again")

    monkeypatch.setattr(extraction_pool, "extract", refuse)
    summary, reporter = run(engine, ARTICLES)
    assert (summary.unchanged, reporter.errors) == (4, [])


def test_same_article_at_a_new_url_gains_the_url(engine: Engine) -> None:
    run(engine, ARTICLES[:1])
    moved = Article(ARTICLES[0].text, ARTICLES[0].date, url="https://mirror.example.net/a1", ref="mirror")
    summary, _ = run(engine, [moved])
    assert (summary.new, summary.unchanged, summary.urls_added) == (0, 1, 1)
    assert (
        summary.line()
        == "articles: 0 new, 1 unchanged (1 gained a URL), 0 failed; records: 0 added, 0 merged"
    )
    with Session(engine) as session:
        urls = session.scalars(select(models.ArticleUrl.url).order_by(models.ArticleUrl.url)).all()
    assert urls == ["https://example.org/a1", "https://mirror.example.net/a1"]
    assert count(engine, models.Article) == 1


def test_a_failing_article_rolls_back_only_itself(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, fail_after_storing: Callable[[str], None]
) -> None:
    real = resolve.store_article
    fail_after_storing("a2")
    summary, reporter = run(engine, ARTICLES)
    assert (summary.new, summary.failed) == (3, 1)
    assert reporter.errors == ["a2: RuntimeError: disk on fire"]
    with Session(engine) as session:
        refs = session.scalars(select(models.Article.ref).order_by(models.Article.ref)).all()
    assert refs == ["a1", "a3", "a4"]
    with_failure = dump(engine)

    monkeypatch.setattr(resolve, "store_article", real)
    empty_archive(engine)
    run(engine, [ARTICLES[0], ARTICLES[2], ARTICLES[3]])
    assert dump(engine) == with_failure


def test_aggregates_are_refreshed_once_per_commit_and_match_a_recount(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, fail_after_storing: Callable[[str], None]
) -> None:
    """The writer refreshes the aggregate tables at each commit, not per article: an article rolled back
    in the batch leaves no count behind, and every stored event is counted."""
    refreshes: list[int] = []
    real_refresh = aggregates.refresh_events

    def counting_refresh(*args: Any, **kwargs: Any) -> None:
        refreshes.append(1)
        real_refresh(*args, **kwargs)

    monkeypatch.setattr(aggregates, "refresh_events", counting_refresh)
    fail_after_storing("a3")
    summary, _ = run(engine, ARTICLES)
    assert (summary.new, summary.failed) == (3, 1)
    assert len(refreshes) == 1  # four articles, one batch, one commit
    with engine.connect() as conn:
        assert aggregates.stored(conn) == aggregates.recount(conn)
        kinds = {row[0] for row in aggregates.stored(conn)["kind_counts"]}
    assert "meeting" in kinds and "call" not in kinds  # a3, the phone call, was rolled back


def test_extraction_failure_is_reported_and_the_run_goes_on(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = extraction_pool.extract

    def fragile(text: str, date: Any, title: Any = None, known: Any = None) -> Any:
        if "Kishida" in text:
            raise ValueError("cannot parse")
        return real(text, date, title, known=known)

    monkeypatch.setattr(extraction_pool, "extract", fragile)
    summary, reporter = run(engine, ARTICLES)
    assert (summary.new, summary.failed) == (3, 1)
    assert reporter.errors == ["a4: extraction failed (ValueError: cannot parse)"]


def test_reader_problems_count_as_failed(engine: Engine) -> None:
    items: list[Article | Problem] = [
        Problem("x.txt", "empty file", "give a file with an article in it"),
        Problem("y.txt", "no date", "give the date", warning=True),
        ARTICLES[2],
    ]
    summary, reporter = run(engine, items)
    assert (summary.new, summary.failed, summary.warnings) == (1, 1, 1)
    assert reporter.errors == ["x.txt: empty file — give a file with an article in it"]
    assert reporter.warnings == ["y.txt: no date — give the date"]


def test_duplicates_inside_one_run_are_stored_once(engine: Engine) -> None:
    summary, _ = run(engine, [ARTICLES[0], ARTICLES[1], ARTICLES[0]])
    assert (summary.new, summary.unchanged) == (2, 1)
    assert count(engine, models.Article) == 2


def test_two_jobs_build_the_same_archive_as_one(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for article in ARTICLES:
        header = f"date {article.date.isoformat()}\n" if article.date else ""
        (folder / f"{article.ref}.txt").write_text(header + article.text, encoding="utf-8")
    summary, reporter = run(engine, read_paths([str(folder)]), jobs=2)
    assert (summary.new, summary.failed, reporter.errors) == (4, 0, [])
    parallel = dump(engine)
    empty_archive(engine)
    run(engine, read_paths([str(folder)]), jobs=1)
    assert dump(engine) == parallel


def _knowledge_articles() -> list[Article]:
    """Articles that name officials in full once, then by surname alone, interleaved."""
    people = [
        ("Chilean", "Foreign Minister", "Alberto van Klaveren"),
        ("Peruvian", "Foreign Minister", "Javier Gonzalez-Olaechea"),
        ("Kenyan", "Cabinet Secretary", "Musalia Mudavadi"),
        ("Finnish", "Foreign Minister", "Elina Valtonen"),
        ("Ghanaian", "Foreign Minister", "Shirley Ayorkor Botchwey"),
    ]
    articles = []
    for i in range(36):
        nationality, title, name = people[i % len(people)]
        guest_nat, guest_title, guest = people[(i + 2) % len(people)]
        if i < len(people) or i % 3 == 0:
            text = (
                f"{nationality} {title} {name} met {guest_nat} {guest_title} {guest} in Geneva on Monday, "
                f"talks number {i}."
            )
        else:
            text = f"{name.split()[-1]} and {guest.split()[-1]} spoke by phone on Tuesday, call number {i}."
        articles.append(Article(text, dt.date(2024, 3, 4) + dt.timedelta(days=i), ref=f"k{i:02d}"))
    return articles


@pytest.mark.parametrize("serial_chunks", [16, 1, 0])
def test_the_same_input_makes_the_same_archive_whatever_the_jobs(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, serial_chunks: int
) -> None:
    """What the extractor knows is fixed by the input order (a serial start, then a fixed lag), not by
    which process extracted what or when: one process and two workers store identical archives."""
    monkeypatch.setattr(extraction_pool, "SERIAL_CHUNKS", serial_chunks)
    run(engine, _knowledge_articles(), jobs=2)
    parallel = dump(engine)
    assert parallel["meetings"]
    empty_archive(engine)
    run(engine, _knowledge_articles(), jobs=1)
    assert dump(engine) == parallel


def test_reextract_replaces_records_of_older_articles(engine: Engine) -> None:
    run(engine, ARTICLES)
    before = dump(engine)
    with Session(engine) as session:
        session.execute(
            update(models.Article)
            .where(models.Article.ref.in_(["a1", "a3"]))
            .values(extractor_version="0.0.1")
        )
        session.commit()
    reporter = SilentReporter()
    summary = reextract(engine, reporter=reporter)
    assert reporter.errors == []
    assert (summary.new, summary.unchanged, summary.failed) == (2, 2, 0)
    assert dump(engine) == before
    assert reextract(engine).new == 0
    assert reextract(engine, everything=True, jobs=2).new == 4
    assert dump(engine) == before


@pytest.mark.parametrize(
    ("stored", "current", "older"),
    [(None, "0.1.0", True), ("0.1.0", "0.1.0", False), ("0.0.9", "0.1.0", True), ("0.10.0", "0.9.1", False)],
)
def test_is_older(stored: str | None, current: str, older: bool) -> None:
    assert is_older(stored, current) is older


def test_summary_line() -> None:
    summary = IngestSummary(new=3, unchanged=2, failed=1, records_added=7, records_merged=2)
    assert summary.line() == "articles: 3 new, 2 unchanged, 1 failed; records: 7 added, 2 merged"
    assert json.dumps(summary.articles) == "6"
