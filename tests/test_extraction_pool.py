"""The extraction pool: the known-officials snapshot, its file for workers, and the main module kept out."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from bilateral import extraction_pool
from bilateral.extract.records import KnownOfficial
from bilateral.extraction_pool import Done, Extractor, Task, chunked, extract_chunks
from bilateral.sources import Article

MADURO = KnownOfficial("Nicolas Maduro", "VEN", "President", None, dt.date(2023, 2, 3))


def test_extractor_learns_chunks_in_order_only() -> None:
    extractor = Extractor()
    assert extractor.lookup.candidates("Maduro", dt.date(2023, 3, 1)) == ()
    extractor.learn(0, [MADURO])
    assert [o.name for o in extractor.lookup.candidates("Maduro", dt.date(2023, 3, 1))] == ["Nicolas Maduro"]
    with pytest.raises(ValueError, match="chunk 2 learned after chunk 0"):
        extractor.learn(2, [])


def _knowledge_tasks(chunks: int) -> list[Task]:
    """One article naming a Venezuelan official, then articles naming him by surname only."""
    first = Article(
        "Venezuelan Foreign Minister Yvan Gil met Cuban Foreign Minister Bruno Rodriguez in Havana "
        "on Monday.",
        dt.date(2024, 5, 6),
        ref="0",
    )
    later = [
        Article(
            f"Gil met Cuban Foreign Minister Bruno Rodriguez in Havana on Tuesday, visit number {i}.",
            dt.date(2024, 5, 7),
            ref=str(i),
        )
        for i in range(1, 2 * chunks)
    ]
    return [Task(article) for article in [first, *later]]


def _countries_of_gil(chunks: list[list[Done]]) -> list[str | None]:
    """Return, per article, the country the extractor gave the official written "Gil"."""
    found = []
    for done in (d for chunk in chunks for d in chunk):
        assert done.extraction is not None
        gil = [o for o in done.extraction.officials if o.name.split()[-1] == "Gil"]
        found.append(gil[0].country if gil else None)
    return found


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_small_run_knows_every_earlier_article_whatever_the_jobs(jobs: int) -> None:
    tasks = _knowledge_tasks(4)
    chunks = list(extract_chunks(chunked(iter(tasks), 2), jobs, lambda: [], lambda: None))
    assert _countries_of_gil(chunks) == ["VEN"] * len(tasks)


@pytest.mark.parametrize("jobs", [1, 2])
def test_later_knowledge_arrives_after_a_fixed_lag_whatever_the_jobs(
    jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the serial start, chunk i knows the officials of chunks up to i - KNOWLEDGE_LAG - 1."""
    monkeypatch.setattr(extraction_pool, "SERIAL_CHUNKS", 0)
    lag = extraction_pool.KNOWLEDGE_LAG
    tasks = _knowledge_tasks(lag + 3)
    chunks = list(extract_chunks(chunked(iter(tasks), 2), jobs, lambda: [], lambda: None))
    countries = _countries_of_gil(chunks)
    assert countries[0] == "VEN"
    knows_from = 2 * (lag + 1)  # the first article of chunk lag + 1
    assert all(country != "VEN" for country in countries[1:knows_from])
    assert all(country == "VEN" for country in countries[knows_from:])


def test_knowledge_only_grows_and_lags_at_most_a_window() -> None:
    lag, serial = extraction_pool.KNOWLEDGE_LAG, extraction_pool.SERIAL_CHUNKS
    through = [extraction_pool.plan(i).through for i in range(serial + 3 * lag)]
    assert through[:serial] == list(range(-1, serial - 1))
    assert all(a <= b for a, b in zip(through, through[1:], strict=False))
    assert all(i - lag - 1 <= t < i for i, t in enumerate(through))


def test_known_officials_are_loaded_once_and_known_from_the_start() -> None:
    loads: list[int] = []

    def load() -> list[KnownOfficial]:
        loads.append(1)
        return [KnownOfficial("Yvan Gil", "VEN", "Foreign Minister", None, dt.date(2024, 1, 1))]

    tasks = _knowledge_tasks(3)[1:]
    chunks = list(extract_chunks(chunked(iter(tasks), 2), 2, load, lambda: None))
    assert loads == [1]
    assert _countries_of_gil(chunks) == ["VEN"] * len(tasks)


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
