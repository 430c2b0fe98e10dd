"""Run the extractor over a stream of articles, in this process or in worker processes, in input order.

The workers import only the extractor (no database stack), which keeps their memory small. The officials the
archive knows reach them as a snapshot the main process writes to a file whenever it reloads them; each chunk
of work names the snapshot generation it expects, and a worker rereads the file when its own is older. Between
reloads every extractor also remembers the officials of the articles it has extracted.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilateral.extract import EXTRACTOR_VERSION, extract
from bilateral.extract.known import KnownOfficials
from bilateral.extract.records import Extraction, KnownOfficial
from bilateral.sources.article import Article

WINDOW_PER_JOB = 4
WORKER_NICENESS = 5
REFRESH_SECONDS = 5.0
EMPTY = Extraction(officials=(), meetings=(), agreements=(), extractor_version=EXTRACTOR_VERSION)


@dataclass(frozen=True, slots=True)
class Task:
    """An article to extract (`known`: already in the archive, pass it on without extracting)."""

    article: Article
    article_id: int | None = None
    known: bool = False


@dataclass(frozen=True, slots=True)
class Done:
    """An article and its extraction (or the reason extraction failed), ready for the writer."""

    article: Article
    extraction: Extraction | None
    error: str | None = None
    article_id: int | None = None


class KnownSnapshot:
    """The archive's officials as the main process last loaded them, reloaded every few seconds.

    With a folder, each reload is also written to a file there for the worker processes.
    """

    def __init__(self, load: Callable[[], Sequence[KnownOfficial]], folder: Path | None = None) -> None:
        self._load = load
        self.path = folder / "known-officials.pickle" if folder is not None else None
        self.generation = 0
        self.officials: tuple[KnownOfficial, ...] = ()
        self._due = float("-inf")

    def refresh(self) -> None:
        """Reload the officials when the last load is old enough (never more than ~5% of the time)."""
        started = time.monotonic()
        if started < self._due:
            return
        self.officials = tuple(self._load())
        self.generation += 1
        if self.path is not None:
            partial = self.path.with_suffix(".partial")
            with partial.open("wb") as out:
                pickle.dump((self.generation, self.officials), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self.path)
        spent = time.monotonic() - started
        self._due = time.monotonic() + max(REFRESH_SECONDS, 20 * spent)


class Extractor:
    """Run the extractor with a snapshot of known officials and the officials met since."""

    def __init__(self) -> None:
        self.generation = 0
        self.lookup: KnownOfficials | None = None

    def use(self, generation: int, officials: Callable[[], tuple[int, Sequence[KnownOfficial]]]) -> None:
        """Take a newer snapshot (`officials` returns it with its generation) when ours is older."""
        if generation > self.generation:
            self.generation, known = officials()
            self.lookup = KnownOfficials(known)

    def run(self, task: Task) -> Done:
        """Extract one article; an exception becomes the article's failure reason."""
        article, article_id = task.article, task.article_id
        if task.known:
            return Done(article, EMPTY, None, article_id)
        lookup = self.lookup
        try:
            extraction = extract(article.text, article.date, article.title, known=lookup)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
            return Done(article, None, f"extraction failed ({type(exc).__name__}: {exc})", article_id)
        if lookup is not None:
            # Later articles know these officials before the archive is read again.
            for o in extraction.officials:
                if o.country or o.org:
                    lookup.add(KnownOfficial(o.name, o.country, o.title, o.org, article.date, o.aliases))
        return Done(article, extraction, None, article_id)


_worker = Extractor()
_snapshot_path: Path | None = None


def _init_worker(path: Path | None) -> None:
    """Remember where this worker finds the snapshot of known officials."""
    global _snapshot_path
    _snapshot_path = path
    with contextlib.suppress(OSError):
        # The one writer is the run's bottleneck: let it have the CPU whenever it wants it.
        os.nice(WORKER_NICENESS)


def _read_snapshot() -> tuple[int, Sequence[KnownOfficial]]:
    assert _snapshot_path is not None
    with _snapshot_path.open("rb") as data:
        generation, officials = pickle.load(data)
    return generation, officials


def _extract_chunk(tasks: list[Task], generation: int) -> list[Done]:
    """Extract a chunk of articles in a worker process."""
    if _snapshot_path is not None:
        _worker.use(generation, _read_snapshot)
    return [_worker.run(task) for task in tasks]


class _Ready:
    """A chunk whose results need no worker (every article in it is known), shaped like a Future."""

    def __init__(self, done: list[Done]) -> None:
        self._done = done

    def done(self) -> bool:
        return True

    def result(self) -> list[Done]:
        return self._done


def extract_chunks(
    chunks: Iterator[list[Task]],
    jobs: int,
    load_known: Callable[[], Sequence[KnownOfficial]],
    before_wait: Callable[[], None],
) -> Iterator[list[Done]]:
    """Yield extracted chunks in input order, with at most `jobs * WINDOW_PER_JOB` chunks in flight.

    `before_wait` runs whenever the next result is not ready yet (the writer commits then). With jobs > 1
    the workers are spawned, so a program that calls this must guard its entry point with
    `if __name__ == "__main__":`, as any multiprocessing program.
    """
    local = Extractor()
    if jobs <= 1:
        snapshot = KnownSnapshot(load_known)
        for chunk in chunks:
            if not all(task.known for task in chunk):
                snapshot.refresh()
                local.use(snapshot.generation, lambda: (snapshot.generation, snapshot.officials))
            yield [local.run(task) for task in chunk]
        return
    with tempfile.TemporaryDirectory(prefix="bilateral-") as folder:
        snapshot = KnownSnapshot(load_known, Path(folder))
        pool: ProcessPoolExecutor | None = None  # started only when an article needs extracting
        pending: collections.deque[Future[list[Done]] | _Ready] = collections.deque()
        try:
            for chunk in chunks:
                if all(task.known for task in chunk):
                    pending.append(_Ready([local.run(task) for task in chunk]))
                else:
                    snapshot.refresh()
                    if pool is None:
                        context = multiprocessing.get_context("spawn")
                        pool = ProcessPoolExecutor(
                            jobs, mp_context=context, initializer=_init_worker, initargs=(snapshot.path,)
                        )
                    with _main_module_hidden():
                        pending.append(pool.submit(_extract_chunk, chunk, snapshot.generation))
                while len(pending) >= jobs * WINDOW_PER_JOB or (pending and pending[0].done()):
                    yield _wait(pending.popleft(), before_wait)
            while pending:
                yield _wait(pending.popleft(), before_wait)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Keep spawned workers from importing the caller's main module while a submit may start them.

    The workers run only this module's functions; a console script's main module would import the whole
    command line and database stack into every worker (some 70 MB each) for nothing.
    """
    main = sys.modules.get("__main__")
    saved: dict[str, Any] = {
        k: main.__dict__[k] for k in ("__file__", "__spec__") if main and k in main.__dict__
    }
    if main is None or not saved:
        yield
        return
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.update(saved)
        if "__file__" not in saved:
            main.__dict__.pop("__file__", None)


def _wait(future: Future[list[Done]] | _Ready, before_wait: Callable[[], None]) -> list[Done]:
    if not future.done():
        before_wait()
    return future.result()


def chunked(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of `size` items (the last one shorter)."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
