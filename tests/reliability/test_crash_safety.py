"""`bilateral ingest` killed with SIGKILL at random moments, then run to the end, equals one clean run.

The moments are drawn with a fixed seed, scaled to this machine's speed: a clean run and a run with nothing
left to do are timed first, and each kill falls between the middle of start-up and a small share of the
writing, so that the kills are spread over start-up, extraction and commits and the corpus outlasts them.
Half the runs use `--jobs 2`, whose worker processes die with the whole process group.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bilateral.store.engine import open_archive
from bilateral.store.models import Article

SEED = 20230204
KILLS = 10
ARTICLES = 48


def _run(bl, db_url: str, *args: str) -> tuple[float, str, str]:  # type: ignore[no-untyped-def]
    """Run `bilateral ingest` to the end and return its duration, stdout and stderr."""
    start = time.monotonic()
    proc = bl.spawn(db_url, "ingest", "--quiet", *args)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return time.monotonic() - start, out.decode(), err.decode()


def _stored(db_url: str) -> int:
    engine = open_archive(db_url)
    try:
        with Session(engine) as session:
            return session.scalar(select(func.count()).select_from(Article)) or 0
    finally:
        engine.dispose()


def test_killed_runs_then_a_full_run_equal_a_clean_run(db_url: str, tmp_path: Path, bl) -> None:  # type: ignore[no-untyped-def]
    folder = bl.write_corpus(tmp_path / "corpus", range(ARTICLES))
    whole, out, _ = _run(bl, db_url, str(folder))
    assert out.startswith(f"articles: {ARTICLES} new, 0 unchanged, 0 failed")
    clean = bl.dump(db_url)
    startup, out, _ = _run(bl, db_url, str(folder))
    assert out.startswith(f"articles: 0 new, {ARTICLES} unchanged, 0 failed")
    writing = max(whole - startup, 1.0)
    bl.empty_archive(db_url)

    rng = random.Random(SEED)
    kills: list[tuple[float, str, int]] = []
    while len(kills) < KILLS:
        delay = rng.uniform(0.5 * startup, startup + writing / 11)
        jobs = rng.choice(("1", "2"))
        proc = bl.spawn(db_url, "ingest", "--quiet", "--jobs", jobs, str(folder), start_new_session=True)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            assert proc.returncode == -signal.SIGKILL
            kills.append((round(delay, 2), jobs, _stored(db_url)))
            continue
        proc.communicate()
        raise AssertionError(f"the run ended before kill {len(kills) + 1} ({kills}): the corpus is too small")
    stored = [n for _, _, n in kills]
    assert stored == sorted(stored), "a kill lost committed articles"
    assert stored[-1] < ARTICLES, f"every article was stored before the last kill: {kills}"

    _, out, err = _run(bl, db_url, str(folder))
    left = ARTICLES - stored[-1]
    assert out.startswith(f"articles: {left} new, {stored[-1]} unchanged, 0 failed"), (out, err, kills)
    assert bl.dump(db_url) == clean, kills
    check = bl.invoke(db_url, "db", "check", "--format", "csv")
    assert check.exit_code == 0, check.output
    assert check.stdout == "severity,check,table,row,detail\n"
