"""The extraction pool: the known-officials snapshot, its file for workers, and the main module kept out."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bilateral import extraction_pool
from bilateral.extract.records import KnownOfficial
from bilateral.extraction_pool import Extractor, KnownSnapshot, Task, chunked, extract_chunks
from bilateral.sources import Article

MADURO = KnownOfficial("Nicolas Maduro", "VEN", "President", None, dt.date(2023, 2, 3))


def test_snapshot_reloads_only_when_due_and_writes_its_file(tmp_path: Path) -> None:
    loads: list[int] = []

    def load() -> list[KnownOfficial]:
        loads.append(1)
        return [MADURO]

    snapshot = KnownSnapshot(load, tmp_path)
    snapshot.refresh()
    snapshot.refresh()
    assert (len(loads), snapshot.generation, snapshot.officials) == (1, 1, (MADURO,))
    assert snapshot.path is not None
    with snapshot.path.open("rb") as data:
        assert pickle.load(data) == (1, (MADURO,))


def test_extractor_takes_only_a_newer_snapshot() -> None:
    extractor = Extractor()
    extractor.use(1, lambda: (1, [MADURO]))
    lookup = extractor.lookup
    assert lookup is not None and [o.name for o in lookup.candidates("Maduro", dt.date(2023, 3, 1))] == [
        "Nicolas Maduro"
    ]
    extractor.use(1, lambda: pytest.fail("reloaded an unchanged snapshot"))
    assert extractor.lookup is lookup


def test_failing_extraction_becomes_the_articles_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("lexicon")

    monkeypatch.setattr(extraction_pool, "extract", broken)
    done = Extractor().run(Task(Article("Some text.", None, ref="r1"), 7))
    assert (done.extraction, done.error, done.article_id) == (
        None,
        "extraction failed (KeyError: 'lexicon')",
        7,
    )


def test_known_articles_are_passed_through_in_order() -> None:
    tasks = [Task(Article(f"Text {i}.", None, ref=str(i)), known=True) for i in range(5)]
    chunks = list(extract_chunks(chunked(iter(tasks), 2), 2, lambda: [], lambda: None))
    assert [[d.article.ref for d in chunk] for chunk in chunks] == [["0", "1"], ["2", "3"], ["4"]]
    assert all(d.extraction is not None and d.extraction.meetings == () for chunk in chunks for d in chunk)


def test_main_module_is_hidden_only_while_workers_start() -> None:
    main = sys.modules["__main__"]
    before = (main.__dict__.get("__file__"), main.__dict__.get("__spec__"))
    with extraction_pool._main_module_hidden():
        assert "__file__" not in main.__dict__ and main.__dict__.get("__spec__") is None
    assert (main.__dict__.get("__file__"), main.__dict__.get("__spec__")) == before


def test_workers_run_at_a_lower_priority_than_the_writer() -> None:
    """The single writer is the bottleneck of a run: extraction workers yield the CPU to it."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=extraction_pool._init_worker, initargs=(None,)
    ) as pool:
        worker = pool.submit(os.nice, 0).result()
    assert worker == min(os.nice(0) + extraction_pool.WORKER_NICENESS, 19)
