"""Run the extractor over a stream of articles, in this process or in worker processes, in input order.

What the extractor knows of officials is the same whatever `--jobs` and however fast each process runs, so
that the same input always makes the same archive: the archive's officials as they were when the run began,
plus the officials of the run's earlier articles — of every earlier chunk for the first `SERIAL_CHUNKS`
chunks (a small run learns as one process reading in order would), then of every chunk at least
`KNOWLEDGE_LAG` chunks earlier, so that several chunks can be extracted at once. The main process appends
each chunk's officials to a log as it takes the chunk's results, in input order; every task names the last
chunk its extractor must have learned from, and a worker reads the log up to there. The workers import only
the extractor (no database stack), which keeps their memory small.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import multiprocessing
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bilateral.extract import EXTRACTOR_VERSION, extract
from bilateral.extract.known import KnownOfficials
from bilateral.extract.records import Extraction, KnownOfficial
from bilateral.sources.article import Article

CHUNK_SIZE = 8
"""Articles sent to a worker at once (and the unit of what the extractor learns)."""
SERIAL_CHUNKS = 16
"""The first chunks of a run, each extracted knowing the officials of every chunk before it."""
KNOWLEDGE_LAG = 4
"""Later, a chunk knows the officials of the chunks at least this many chunks before its own (with chunks of
eight articles: of every article 33 to 40 places or more earlier in the input)."""
WORKER_NICENESS = 5
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


@dataclass(frozen=True, slots=True)
class Plan:
    """What the extraction of one chunk knows: the officials of chunks up to `through` (-1: none of the
    run's), and, when `serial`, those of the articles before each article in the chunk itself."""

    index: int
    through: int
    serial: bool


def plan(index: int) -> Plan:
    """Return the plan of chunk `index` (the same in every process, whatever `--jobs`)."""
    if index < SERIAL_CHUNKS:
        return Plan(index, index - 1, True)
    return Plan(index, max(SERIAL_CHUNKS - 1, index - KNOWLEDGE_LAG - 1), False)


def officials_learned(extraction: Extraction, when: dt.date | None) -> list[KnownOfficial]:
    """Return the officials later articles may know from one article's extraction (those with a country)."""
    return [
        KnownOfficial(o.name, o.country, o.title, o.org, when, o.aliases)
        for o in extraction.officials
        if o.country or o.org
    ]


def learned(chunk: Sequence[Done]) -> list[KnownOfficial]:
    """Return the officials later articles may know from a chunk's extractions."""
    return [
        official
        for done in chunk
        if done.extraction is not None
        for official in officials_learned(done.extraction, done.article.date)
    ]


class Extractor:
    """Run the extractor with the officials known at the start and those learned since, chunk by chunk."""

    def __init__(self, base: Sequence[KnownOfficial] = ()) -> None:
        self.lookup = KnownOfficials(base)
        self.through = -1
        """The last chunk whose officials this extractor has learned."""

    def learn(self, index: int, officials: Sequence[KnownOfficial]) -> None:
        """Learn the officials of chunk `index` (in order; a chunk it extracted serially it knows already)."""
        if index <= self.through:
            return
        if index != self.through + 1:
            raise ValueError(f"chunk {index} learned after chunk {self.through}")
        for official in officials:
            self.lookup.add(official)
        self.through = index

    def extract_chunk(self, tasks: Sequence[Task], plan: Plan) -> list[Done]:
        """Extract a chunk by its plan (the chunks it needs must have been learned)."""
        if self.through != plan.through:
            raise ValueError(f"chunk {plan.index} needs chunk {plan.through} learned, not {self.through}")
        results = []
        for task in tasks:
            done = self.run(task)
            results.append(done)
            if plan.serial and done.extraction is not None:
                for official in officials_learned(done.extraction, task.article.date):
                    self.lookup.add(official)
        if plan.serial:
            self.through = plan.index
        return results

    def run(self, task: Task) -> Done:
        """Extract one article; an exception becomes the article's failure reason."""
        article, article_id = task.article, task.article_id
        if task.known:
            return Done(article, EMPTY, None, article_id)
        try:
            extraction = extract(article.text, article.date, article.title, known=self.lookup)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
            return Done(article, None, f"extraction failed ({type(exc).__name__}: {exc})", article_id)
        return Done(article, extraction, None, article_id)


# --- worker processes -------------------------------------------------------------------------------------

_folder: Path | None = None
_worker: Extractor | None = None
_log: IO[bytes] | None = None


def _init_worker(folder: Path | None) -> None:
    """Remember where this worker finds the known officials, and yield the CPU to the writer."""
    global _folder, _worker, _log
    _folder, _worker, _log = folder, None, None
    with contextlib.suppress(OSError):
        # The one writer is the run's bottleneck: let it have the CPU whenever it wants it.
        os.nice(WORKER_NICENESS)


def _extract_chunk(tasks: list[Task], plan: Plan) -> list[Done]:
    """Extract a chunk in a worker process, first reading the officials it must know from the log."""
    global _worker, _log
    assert _folder is not None
    if _worker is None:
        with (_folder / BASE_FILE).open("rb") as data:
            _worker = Extractor(pickle.load(data))
        _log = (_folder / LOG_FILE).open("rb")
    assert _log is not None
    while _worker.through < plan.through:
        _worker.learn(*pickle.load(_log))
    return _worker.extract_chunk(tasks, plan)


BASE_FILE = "known-officials.pickle"
LOG_FILE = "learned-officials.log"


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
    """Yield extracted chunks in input order, with at most `KNOWLEDGE_LAG + 1` chunks in flight.

    `load_known` is called once, before the first article is extracted. `before_wait` runs whenever the
    next result is not ready yet (the writer commits then). With jobs > 1 the workers are spawned, so a
    program that calls this must guard its entry point with `if __name__ == "__main__":`, as any
    multiprocessing program.
    """
    if jobs <= 1:
        yield from _extract_here(chunks, load_known)
        return
    with tempfile.TemporaryDirectory(prefix="bilateral-") as name:
        folder = Path(name)
        pool: ProcessPoolExecutor | None = None  # started only when an article needs extracting
        pending: collections.deque[Future[list[Done]] | _Ready] = collections.deque()
        taken = 0  # chunks yielded (and logged) so far
        try:
            with (folder / LOG_FILE).open("wb") as log:

                def take() -> list[Done]:
                    nonlocal taken
                    done = _wait(pending.popleft(), before_wait)
                    pickle.dump((taken, learned(done)), log, protocol=pickle.HIGHEST_PROTOCOL)
                    log.flush()
                    taken += 1
                    return done

                for index, chunk in enumerate(chunks):
                    # The chunks this one learns from must be logged before it is sent.
                    while taken <= plan(index).through or (pending and pending[0].done()):
                        yield take()
                    if all(task.known for task in chunk):
                        pending.append(_Ready(_passed_on(chunk)))
                        continue
                    if pool is None:
                        with (folder / BASE_FILE).open("wb") as base:
                            pickle.dump(tuple(load_known()), base, protocol=pickle.HIGHEST_PROTOCOL)
                        context = multiprocessing.get_context("spawn")
                        pool = ProcessPoolExecutor(
                            jobs, mp_context=context, initializer=_init_worker, initargs=(folder,)
                        )
                    with _main_module_hidden():
                        pending.append(pool.submit(_extract_chunk, chunk, plan(index)))
                while pending:
                    yield take()
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def _extract_here(
    chunks: Iterator[list[Task]], load_known: Callable[[], Sequence[KnownOfficial]]
) -> Iterator[list[Done]]:
    """Extract in this process, learning exactly what the workers would learn."""
    extractor: Extractor | None = None
    unlearned: dict[int, list[KnownOfficial]] = {}
    for index, chunk in enumerate(chunks):
        if all(task.known for task in chunk):
            done = _passed_on(chunk)
        else:
            if extractor is None:
                extractor = Extractor(tuple(load_known()))
            wanted = plan(index)
            while extractor.through < wanted.through:
                extractor.learn(extractor.through + 1, unlearned[extractor.through + 1])
            done = extractor.extract_chunk(chunk, wanted)
        unlearned[index] = learned(done)
        for learnt in [k for k in unlearned if extractor is not None and k <= extractor.through]:
            del unlearned[learnt]
        yield done


def _passed_on(chunk: list[Task]) -> list[Done]:
    """Return the results of a chunk of articles the archive already holds (nothing extracted)."""
    return [Done(task.article, EMPTY, None, task.article_id) for task in chunk]


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
