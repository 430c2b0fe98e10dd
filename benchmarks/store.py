#!/usr/bin/env python3
"""Measure the archive writer alone: CPU milliseconds per article spent in `store_article`.

Usage:
  python benchmarks/store.py --articles 3000 [--backend sqlite|postgresql] [--profile out.prof]

Extracts the generated articles of benchmarks/ingest.py once (as ingest does: the officials met so far are
the extractor's lookup) and keeps the extractions in --workdir; then stores them into a new archive in
batches of `ingest.COMMIT_EVERY` articles per transaction, one savepoint each, through the same functions
ingest calls, and reports the writer's CPU time per article (process time, so other load on the machine
barely enters) overall and per phase (from a profile, when --phases is given).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import json
import os
import pickle
import pstats
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import DEFAULT_POSTGRES, DEFAULT_WORKDIR, article, postgres_database  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bilateral.extract import EXTRACTOR_VERSION, extract  # noqa: E402
from bilateral.extract.known import KnownOfficials  # noqa: E402
from bilateral.extract.records import Extraction, KnownOfficial  # noqa: E402
from bilateral.sources.article import Article  # noqa: E402
from bilateral.store import aggregates, ingest, resolve  # noqa: E402
from bilateral.store.engine import open_archive  # noqa: E402

PHASES = {
    "officials": (resolve, "resolve_officials"),
    "meetings": (resolve.MeetingMerger, "load", "merge"),
    "agreements": (resolve.AgreementMerger, "load", "merge"),
    "aggregates": (resolve.aggregates, "refresh_events"),
}


def timed_phases() -> dict[str, float]:
    """Wrap each phase's functions so that their CPU seconds add up in the returned dict."""
    spent: dict[str, float] = dict.fromkeys(PHASES, 0.0)
    for phase, (owner, *names) in PHASES.items():
        for name in names:
            original = getattr(owner, name)

            def wrapper(*args: Any, _original: Any = original, _phase: str = phase, **kwargs: Any) -> Any:
                started = time.process_time()
                try:
                    return _original(*args, **kwargs)
                finally:
                    spent[_phase] += time.process_time() - started

            setattr(owner, name, wrapper)
    return spent


def extractions(count: int, workdir: Path) -> list[tuple[Article, Extraction]]:
    """Return the first `count` generated articles with their extractions (cached in workdir)."""
    cache = workdir / f"extractions-{count}-{EXTRACTOR_VERSION}.pickle"
    if cache.exists():
        with cache.open("rb") as stream:
            loaded: list[tuple[Article, Extraction]] = pickle.load(stream)
            return loaded
    lookup = KnownOfficials([])
    done = []
    for k in range(count):
        data = article(k)
        item = Article(
            data["text"], dt.date.fromisoformat(data["date"]), data["title"], None, None, data["id"]
        )
        extraction = extract(item.text, item.date, item.title, known=lookup)
        for o in extraction.officials:
            if o.country or o.org:
                lookup.add(KnownOfficial(o.name, o.country, o.title, o.org, item.date, o.aliases))
        done.append((item, extraction))
    workdir.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as stream:
        pickle.dump(done, stream)
    return done


def store_all(url: str, items: list[tuple[Article, Extraction]], batched: bool) -> float:
    """Store the articles as ingest's writer does and return the CPU seconds it took."""
    engine = open_archive(url)
    try:
        with (
            Session(engine.execution_options(begin_immediate=True), expire_on_commit=False) as session,
            aggregates.deferred(session) if batched else contextlib.nullcontext(),
        ):
            started = time.process_time()
            for index, (item, extraction) in enumerate(items, 1):
                with session.begin_nested():
                    resolve.store_article(session, item, extraction)
                if index % ingest.COMMIT_EVERY == 0:
                    session.commit()
            session.commit()
            return time.process_time() - started
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Extract once, store into a new archive, print CPU ms per article (and a profile if asked)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default=os.environ.get("BILATERAL_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the store loop here")
    parser.add_argument(
        "--batched", action="store_true", help="refresh aggregates once per commit (aggregates.deferred)"
    )
    parser.add_argument("--phases", action="store_true", help="print CPU ms per phase too")
    args = parser.parse_args(argv)

    items = extractions(args.articles, args.workdir)
    profiler = cProfile.Profile() if args.profile else None
    spent = timed_phases() if args.phases else None

    def run(url: str) -> float:
        if profiler is None:
            return store_all(url, items, args.batched)
        profiler.enable()
        try:
            return store_all(url, items, args.batched)
        finally:
            profiler.disable()

    if args.backend == "sqlite":
        database = args.workdir / f"store-{uuid.uuid4().hex[:8]}.db"
        try:
            cpu = run(f"sqlite:///{database}")
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
    else:
        databases = postgres_database(args.postgres)
        try:
            cpu = run(next(databases))
        finally:
            databases.close()
    figures: dict[str, object] = {
        "backend": args.backend,
        "articles": len(items),
        "batched": args.batched,
        "cpu_ms_per_article": round(1000 * cpu / len(items), 2),
        "load_average": round(os.getloadavg()[0], 1),
    }
    if profiler is not None and args.profile:
        pstats.Stats(profiler).dump_stats(str(args.profile))
    if spent is not None:
        spent["rest"] = cpu - sum(spent.values())
        figures["phase_ms_per_article"] = {
            phase: round(1000 * seconds / len(items), 2) for phase, seconds in spent.items()
        }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
