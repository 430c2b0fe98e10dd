"""Several `bilateral ingest` processes on one archive with overlapping inputs end with one run's rows.

Four writers on one PostgreSQL database, two on one SQLite file (one writer at a time by design; the second
waits on the busy timeout). Each writer reads its own share of the files; neighbouring shares overlap by half
and every other writer reads backwards, so the same article, official, meeting and agreement reach several
writers at once and in opposite orders.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bilateral.store.engine import open_archive
from bilateral.store.models import Agreement, Article, Meeting, Official

ARTICLES = 40


def _counts(db_url: str) -> dict[str, int]:
    engine = open_archive(db_url)
    try:
        with Session(engine) as session:
            return {
                model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Article, Official, Meeting, Agreement)
            }
    finally:
        engine.dispose()


def test_concurrent_writers_end_with_the_rows_of_one_run(db_url: str, tmp_path: Path, bl) -> None:  # type: ignore[no-untyped-def]
    writers = 2 if db_url.startswith("sqlite") else 4
    folder = bl.write_corpus(tmp_path / "corpus", range(ARTICLES))
    files = sorted(str(path) for path in folder.iterdir())
    step = ARTICLES // (writers + 1)
    shares = [files[w * step : w * step + 2 * step] for w in range(writers)]
    shares[-1] += files[writers * step + step :]
    # Odd writers read their share backwards, so the same records reach the archive in opposite orders.
    shares = [share[::-1] if w % 2 else share for w, share in enumerate(shares)]
    assert sorted(set(sum(shares, []))) == files
    procs = [
        bl.spawn(db_url, "ingest", "--quiet", "--jobs", "2" if w == 1 else "1", *share)
        for w, share in enumerate(shares)
    ]
    results = [proc.communicate(timeout=300) for proc in procs]
    new = 0
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode()
        assert err == b""
        new += int(out.decode().split(" new")[0].split()[-1])
    assert new == ARTICLES, [out for out, _ in results]
    together = bl.dump(db_url)
    counts = _counts(db_url)

    bl.empty_archive(db_url)
    alone = bl.spawn(db_url, "ingest", "--quiet", str(folder))
    out, err = alone.communicate(timeout=300)
    assert alone.returncode == 0, err.decode()
    assert out.decode().startswith(f"articles: {ARTICLES} new, 0 unchanged, 0 failed")
    assert _counts(db_url) == counts
    assert counts["articles"] == ARTICLES and counts["meetings"] > 0 and counts["agreements"] > 0
    assert bl.dump(db_url) == together
    check = bl.invoke(db_url, "db", "check", "--format", "csv")
    assert check.exit_code == 0, check.output
