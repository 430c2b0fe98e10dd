#!/usr/bin/env python3
"""Measure extraction speed: words per second on one core over a JSONL corpus, and peak memory.

Usage: python benchmarks/extract.py [CORPUS.jsonl] [--limit N] [--known] [--json]

The corpus defaults to ../shared/corpus/newswire.jsonl (beside the repository). Reading the file
and the one-time loading of the lexicons (reported as startup) are not timed; only
`bilateral.extract.extract` is. The process is pinned to one CPU where the system allows it.
`--known` passes the officials found so far to each article, as ingest does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

from bilateral.evaluate import remember_officials
from bilateral.extract import extract
from bilateral.extract.known import KnownOfficials

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "newswire.jsonl"


def load(path: Path, limit: int | None) -> list[tuple[str, dt.date | None, str | None]]:
    """Read (text, date, title) of each JSONL line, up to `limit` articles."""
    docs = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            date = dt.date.fromisoformat(row["date"][:10]) if row.get("date") else None
            docs.append((row["text"], date, row.get("title")))
            if limit is not None and len(docs) >= limit:
                break
    return docs


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="JSONL corpus (text, date)"
    )
    parser.add_argument("--limit", type=int, default=None, help="extract only the first N articles")
    parser.add_argument(
        "--known", action="store_true", help="pass the officials found so far, as ingest does"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        parser.error(f"{args.corpus}: no such file — give the path of a JSONL corpus")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    docs = load(args.corpus, args.limit)
    words = sum(len(text.split()) for text, _, _ in docs)
    known = KnownOfficials() if args.known else None
    startup = time.perf_counter()
    extract("The foreign ministers of two countries met on Friday.", dt.date(2000, 1, 1))  # loads lexicons
    startup = time.perf_counter() - startup
    records = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for text, date, title in docs:
        extraction = extract(text, date, title, known)
        records += len(extraction.meetings) + len(extraction.agreements)
        if known is not None:
            remember_officials(known, extraction, date)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    figures = {
        "articles": len(docs),
        "words": words,
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "words_per_second": round(words / wall) if wall else None,
        "words_per_cpu_second": round(words / cpu) if cpu else None,
        "startup_seconds": round(startup, 3),
        "records": records,
        "peak_rss_mib": round(peak_mib, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{figures['articles']} articles, {words:,} words in {wall:.2f} s ({cpu:.2f} s CPU): "
            f"{figures['words_per_second']:,} words/s ({figures['words_per_cpu_second']:,} per CPU second); "
            f"{records} meetings and agreements; startup {startup:.2f} s; peak RSS {peak_mib:.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
