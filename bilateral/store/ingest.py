"""Ingest orchestration: stream articles, skip known ones, extract in worker processes, store with one writer.

The main process is the only writer. Each article is stored inside its own SAVEPOINT, so a failure rolls back
that article only, while commits are batched (every `COMMIT_EVERY` articles or `COMMIT_SECONDS`, and before
waiting for the extraction workers). A write that loses a race with another process (unique violation,
deadlock, busy database) commits what this process has stored so far, which releases its locks, and retries.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bilateral.extract import EXTRACTOR_VERSION
from bilateral.extraction_pool import CHUNK_SIZE, Done, Task, chunked, extract_chunks
from bilateral.sources.article import Article
from bilateral.sources.problems import Problem
from bilateral.store import aggregates, models, resolve

COMMIT_EVERY = 50
COMMIT_SECONDS = 1.0
RETRIES = 5
CONTENDED_SECONDS = 0.05
POLITE_SECONDS = 10.0
YIELD_SECONDS = 0.1
PAGE_SIZE = 200

Outcome = Literal["new", "unchanged", "url_added", "replaced"]
T = TypeVar("T")


@dataclass
class IngestSummary:
    """What a run did: articles new / unchanged / failed and records added / merged."""

    new: int = 0
    unchanged: int = 0
    failed: int = 0
    urls_added: int = 0
    records_added: int = 0
    records_merged: int = 0
    warnings: int = 0

    @property
    def articles(self) -> int:
        """Return the number of articles met (stored, skipped or failed)."""
        return self.new + self.unchanged + self.failed

    def line(self) -> str:
        """Return the one-line summary printed at the end of a run."""
        gained = f" ({self.urls_added} gained a URL)" if self.urls_added else ""
        return (
            f"articles: {self.new} new, {self.unchanged} unchanged{gained}, {self.failed} failed; "
            f"records: {self.records_added} added, {self.records_merged} merged"
        )


class Reporter(Protocol):
    """Where a run says what happens: problems as one line each, and progress."""

    def problem(self, message: str, warning: bool) -> None:
        """Say one error or warning line."""

    def advance(self, summary: IngestSummary) -> None:
        """Count one more article done."""


class SilentReporter:
    """A reporter that keeps the messages in a list (tests, library use)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def problem(self, message: str, warning: bool) -> None:
        """Keep one problem line."""
        (self.warnings if warning else self.errors).append(message)

    def advance(self, summary: IngestSummary) -> None:
        """Do nothing."""


# --- writing --------------------------------------------------------------------------------------------


def _is_retryable(exc: BaseException) -> bool:
    """Tell whether a database error comes from a race with another writer (worth retrying)."""
    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        return any(word in text for word in ("deadlock", "locked", "busy", "lock timeout", "serializ"))
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlstate", None)
        return code in ("40001", "40P01", "55P03", "23505")
    return False


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        detail = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        return f"database refused it ({detail})"
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


class _Writer:
    """The one writer: stores each article in a savepoint and commits in batches."""

    def __init__(self, session: Session, summary: IngestSummary, reporter: Reporter) -> None:
        self.session = session
        self.summary = summary
        self.reporter = reporter
        self._uncommitted = 0
        self._since = time.monotonic()
        self._sqlite = session.get_bind().dialect.name == "sqlite"
        self._polite_until = 0.0

    def begin(self) -> None:
        """Open the batch's transaction (SQLite: the write lock), noting whether another process held it."""
        if self.session.in_transaction():
            return
        started = time.monotonic()
        self.session.connection()
        if time.monotonic() - started > CONTENDED_SECONDS:
            self._polite_until = time.monotonic() + POLITE_SECONDS

    def commit(self) -> None:
        """Commit the open transaction (the articles stored since the last commit), releasing its locks."""
        if self.session.in_transaction():
            self.session.commit()
            if self._sqlite and time.monotonic() < self._polite_until:
                # Another process waits for SQLite's one write lock: leave it a moment to take it.
                time.sleep(YIELD_SECONDS)
        self._uncommitted = 0
        self._since = time.monotonic()

    def maybe_commit(self) -> None:
        """Commit when the batch is full or its transaction is old enough."""
        if self._uncommitted >= COMMIT_EVERY or time.monotonic() - self._since >= COMMIT_SECONDS:
            self.commit()

    def idle(self) -> None:
        """Commit before waiting for extraction, so other writers are not kept waiting on our locks."""
        self.commit()

    def fail(self, article: Article, reason: str) -> None:
        """Count and report one failed article."""
        self.summary.failed += 1
        self.reporter.problem(f"{article.ref or article.sha256[:12]}: {reason}", False)
        self.reporter.advance(self.summary)

    def store(self, done: Done, replace: bool = False) -> None:
        """Store one article with its extraction in its own savepoint; retry after losing a race."""
        if done.error is not None or done.extraction is None:
            self.fail(done.article, done.error or "no extraction")
            return
        for attempt in range(RETRIES):
            try:
                self.begin()
                with self.session.begin_nested():
                    outcome = self._write(done, replace)
            except Exception as exc:  # noqa: BLE001 - a failing article is rolled back and reported
                if _is_retryable(exc) and attempt + 1 < RETRIES:
                    # Release our locks (commit the articles already stored), let the other writer finish.
                    self.commit()
                    time.sleep(0.05 * (attempt + 1))
                    continue
                self.fail(done.article, _reason(exc))
                return
            self._count(outcome)
            self._uncommitted += 1
            self.maybe_commit()
            return

    def _write(self, done: Done, replace: bool) -> tuple[Outcome, int, int]:
        assert done.extraction is not None
        if replace:
            assert done.article_id is not None
            result = resolve.replace_article_records(self.session, done.article_id, done.extraction)
            return "replaced", result.records_added, result.records_merged
        result = resolve.store_article(self.session, done.article, done.extraction)
        return result.status, result.records_added, result.records_merged

    def _count(self, outcome: tuple[Outcome, int, int]) -> None:
        status, added, merged = outcome
        if status in ("new", "replaced"):
            self.summary.new += 1
        else:
            self.summary.unchanged += 1
            self.summary.urls_added += status == "url_added"
        self.summary.records_added += added
        self.summary.records_merged += merged
        self.reporter.advance(self.summary)


# --- the runs -------------------------------------------------------------------------------------------


def _known_hashes(session: Session, hashes: Sequence[str]) -> set[str]:
    """Return which of these content hashes the archive already holds."""
    rows = session.execute(select(models.Article.sha256).where(models.Article.sha256.in_(hashes)))
    return set(rows.scalars())


def _rows(session: Session, query: Any) -> Sequence[Any]:
    """Return all rows of a query."""
    return session.execute(query).all()


def _read(engine: Engine, query: Callable[[Session], T]) -> T:
    """Run a read in a short transaction of its own, outside the writer's (which holds SQLite's lock)."""
    with Session(engine) as reader:
        return query(reader)


def _session(engine: Engine) -> Session:
    """Return a session whose transactions take SQLite's write lock at BEGIN (no lock-upgrade deadlocks)."""
    return Session(engine.execution_options(begin_immediate=True), expire_on_commit=False)


def ingest(
    engine: Engine,
    items: Iterable[Article | Problem],
    jobs: int = 1,
    reporter: Reporter | None = None,
) -> IngestSummary:
    """Store the articles of a reader stream in the archive and return what happened."""
    reporter = reporter or SilentReporter()
    summary = IngestSummary()
    with _session(engine) as session, aggregates.deferred(session):
        writer = _Writer(session, summary, reporter)

        def tasks() -> Iterator[Task]:
            for chunk in chunked(_articles(items, summary, reporter), CHUNK_SIZE * 4):
                stored = _read(engine, functools.partial(_known_hashes, hashes=[a.sha256 for a in chunk]))
                # A known article is not extracted again; the writer only notes a new URL.
                yield from (Task(article, None, article.sha256 in stored) for article in chunk)

        load = functools.partial(_read, engine, resolve.load_known_officials)
        for done_chunk in extract_chunks(chunked(tasks(), CHUNK_SIZE), jobs, load, writer.idle):
            for done in done_chunk:
                writer.store(done)
        writer.commit()
    return summary


def _articles(
    items: Iterable[Article | Problem], summary: IngestSummary, reporter: Reporter
) -> Iterator[Article]:
    """Pass articles through; report problems (an error counts as one failed article)."""
    for item in items:
        if isinstance(item, Problem):
            if item.warning:
                summary.warnings += 1
            else:
                summary.failed += 1
            reporter.problem(str(item), item.warning)
            if not item.warning:
                reporter.advance(summary)
        else:
            yield item


def reextract(
    engine: Engine,
    everything: bool = False,
    jobs: int = 1,
    reporter: Reporter | None = None,
) -> IngestSummary:
    """Extract stored articles again (those from an older extractor, or all) and replace their records."""
    reporter = reporter or SilentReporter()
    summary = IngestSummary()
    with _session(engine) as session, aggregates.deferred(session):
        writer = _Writer(session, summary, reporter)

        def stale() -> Iterator[Task]:
            table = models.Article
            columns = (table.id, table.extractor_version, table.text, table.date, table.title, table.url)
            last = 0
            while True:
                query = select(*columns, table.source, table.ref).where(table.id > last).order_by(table.id)
                rows = _read(engine, functools.partial(_rows, query=query.limit(PAGE_SIZE)))
                if not rows:
                    return
                for row in rows:
                    last = row.id
                    if everything or is_older(row.extractor_version, EXTRACTOR_VERSION):
                        article = Article(row.text, row.date, row.title, row.url, row.source, row.ref)
                        yield Task(article, row.id)
                    else:
                        summary.unchanged += 1

        load = functools.partial(_read, engine, resolve.load_known_officials)
        for done_chunk in extract_chunks(chunked(stale(), CHUNK_SIZE), jobs, load, writer.idle):
            for done in done_chunk:
                writer.store(done, replace=True)
        writer.commit()
    return summary


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    parts = version.replace("-", ".").split(".")
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)


def is_older(version: str | None, current: str) -> bool:
    """Tell whether an article's extractor version is older than the current one (unknown is older)."""
    if not version:
        return True
    return version != current and _version_key(version) < _version_key(current)
