"""Benchmark the named reports and the meetings export on a large synthetic SQLite archive.

    python benchmarks/reports.py [--db /tmp/bilateral-bench.db] [--meetings 1000000] [--reuse]

Writes 1,000,000 meetings (200 countries, 20,000 officials, 30 years, country popularity skewed) through Core
bulk inserts, then times every named report (rows produced and written as CSV in memory) and runs
`bilateral export meetings` in a child process, reporting its wall time and peak RSS. Targets: each report
< 1 s; the export < 60 s with peak RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from bilateral.cli.common import write_rows
from bilateral.cli.report import OFFICIAL_EDGES
from bilateral.reports.filters import make_filters
from bilateral.reports.named import run_report
from bilateral.reports.synthetic import generate
from bilateral.store.aggregates import dyad_counts
from bilateral.store.engine import open_archive
from bilateral.store.models import Meeting, Official


def _build(path: Path, meetings: int) -> None:
    """Create the archive and fill it with synthetic rows."""
    if path.exists():
        path.unlink()
    started = time.perf_counter()
    engine = open_archive(f"sqlite:///{path}")
    generate(engine, meetings=meetings, officials=20_000, countries=200, years=30)
    engine.dispose()
    size = path.stat().st_size >> 20
    print(f"generated {meetings:,} meetings in {time.perf_counter() - started:.0f} s ({size} MiB)")


def _time_reports(path: Path) -> list[tuple[str, float, float, int]]:
    """Time every named report; return (label, seconds, CPU seconds, rows)."""
    engine = open_archive(f"sqlite:///{path}")
    with engine.connect() as conn:
        top_a, top_b = conn.execute(
            select(dyad_counts.c.country_a, dyad_counts.c.country_b)
            .group_by(dyad_counts.c.country_a, dyad_counts.c.country_b)
            .order_by(func.sum(dyad_counts.c.events).desc())
            .limit(1)
        ).one()
        middle_year = conn.execute(select(func.max(Meeting.date))).scalar_one()
        year = str(middle_year)[:4]
        someone = conn.execute(select(Official.name).order_by(Official.id).limit(1)).scalar_one()
        busiest = (
            conn.execute(
                select(dyad_counts.c.country_a)
                .group_by(dyad_counts.c.country_a)
                .order_by(func.sum(dyad_counts.c.events).desc(), dyad_counts.c.country_a)
            )
            .scalars()
            .all()
        )
        median = busiest[len(busiest) // 2]
    cases: list[tuple[str, str, list[str], dict[str, object]]] = [
        ("summary", "summary", [], {}),
        ("dyads", "dyads", [], {}),
        (
            "dyads --since 2010-03-15 --until 2015-08-01",
            "dyads",
            [],
            {"since": "2010-03-15", "until": "2015-08-01"},
        ),
        (f"dyad {top_a} {top_b}", "dyad", [top_a, top_b], {}),
        (f"partners {top_a}", "partners", [top_a], {}),
        (f"timeline {top_a}", "timeline", [top_a], {}),
        ("officials", "officials", [], {}),
        ("officials --kind call", "officials", [], {"kinds": ["call"]}),
        (f"official '{someone}'", "official", [someone], {}),
        ("agreements", "agreements", [], {}),
        ("network", "network", [], {}),
        (
            f"network --level official --since {year}-01-01",
            "network",
            [],
            {"since": f"{year}-01-01", "level": "official"},
        ),
        (
            f"network --level official --country {median} (median)",
            "network",
            [],
            {"countries": [median], "level": "official"},
        ),
        (
            f"network --level official --country {top_b} (CLI default: 10,000 edges)",
            "network",
            [],
            {"countries": [top_b], "level": "official", "limit": OFFICIAL_EDGES + 1},
        ),
        (
            f"network --level official --country {top_b} --limit 0 (all)",
            "network",
            [],
            {"countries": [top_b], "level": "official"},
        ),
    ]
    results = []
    for label, name, args, options in cases:
        options = dict(options)
        level = str(options.pop("level", "country"))
        limit = options.pop("limit", None)
        with engine.connect() as conn:
            started, cpu = time.perf_counter(), time.process_time()
            filters = make_filters(conn=conn, **options)  # type: ignore[arg-type]
            table = run_report(conn, name, args, filters, level=level, limit=limit)  # type: ignore[arg-type]
            count = write_rows(table.columns, table.rows, format="csv", file=io.StringIO())
            results.append((label, time.perf_counter() - started, time.process_time() - cpu, count))
    engine.dispose()
    return results


_CHILD = """
import resource, sys
from bilateral.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime, file=sys.stderr)
"""


def _time_export(path: Path, fmt: str) -> tuple[float, float, float, int]:
    """Run `bilateral export meetings` in a child: (seconds, CPU seconds, peak RSS in MB, MiB written)."""
    target = path.with_suffix(f".meetings.{fmt}")
    args = ["--db", f"sqlite:///{path}", "export", "meetings", "--format", fmt, "-o", str(target)]
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, *args], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_kb, cpu = done.stderr.strip().splitlines()[-1].split()
    size = target.stat().st_size / 2**20
    target.unlink()
    return seconds, float(cpu), int(peak_kb) / 1024, int(size)


def main() -> None:
    """Build (or reuse) the archive, then print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/bilateral-bench.db"))
    parser.add_argument("--meetings", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="Keep an archive built by an earlier run.")
    parser.add_argument("--no-export", action="store_true", help="Skip the export measurement.")
    options = parser.parse_args()
    if not (options.reuse and options.db.exists()):
        _build(options.db, options.meetings)
    print(f"{'report':<58} {'seconds':>8} {'CPU s':>8} {'rows':>8}")
    for label, seconds, cpu, count in _time_reports(options.db):
        flag = "" if seconds < 1 else "  (over 1 s)"
        print(f"{label:<58} {seconds:>8.3f} {cpu:>8.3f} {count:>8}{flag}")
    if not options.no_export:
        for fmt in ("csv", "jsonl"):
            seconds, cpu, peak, size = _time_export(options.db, fmt)
            print(
                f"export meetings --format {fmt}: {seconds:.1f} s ({cpu:.1f} s CPU), peak RSS {peak:.0f} MB, "
                f"{size} MiB written"
            )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
