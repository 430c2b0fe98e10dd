"""Several `bilateral ingest` processes on one archive with overlapping inputs end with one run's rows.

Four writers on one PostgreSQL database, two on one SQLite file (one writer at a time by design; the second
waits on the busy timeout). Each writer reads its own folder; neighbouring folders share half their
articles, so the same article, official, meeting and agreement reach several writers at once.
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
    step = ARTICLES // (writers + 1)
    folders = [
        bl.write_corpus(tmp_path / f"writer-{w}", range(w * step, min(ARTICLES, w * step + 2 * step)))
        for w in range(writers)
    ]
    if writers * step + step < ARTICLES:
        bl.write_corpus(folders[-1], range(writers * step + step, ARTICLES))
    procs = [
        bl.spawn(db_url, "ingest", "--quiet", "--jobs", "2" if w == 1 else "1", str(folder))
        for w, folder in enumerate(folders)
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
    alone = bl.spawn(db_url, "ingest", "--quiet", *map(str, folders))
    out, err = alone.communicate(timeout=300)
    assert alone.returncode == 0, err.decode()
    assert out.decode().startswith(f"articles: {ARTICLES} new, ")
    assert _counts(db_url) == counts
    assert counts["articles"] == ARTICLES and counts["meetings"] > 0 and counts["agreements"] > 0
    assert bl.dump(db_url) == together
    check = bl.invoke(db_url, "db", "check", "--format", "csv")
    assert check.exit_code == 0, check.output
