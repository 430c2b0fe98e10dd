"""`bilateral ingest` killed with SIGKILL at random moments, then run to the end, equals one clean run.

The moments are drawn with a fixed seed: two during start-up (a share of the time a run with nothing to do
takes), the others while articles are being written — each run is killed within the time a few articles
take after the archive holds a random number of further articles, so kills land between and during batched
commits. Should a run still get to the end before its kill (a slow poll on a busy machine), the archive it
finished is checked like the last one and emptied, and the kills go on. The killed runs commit every few
articles (the batch size is set in the process) so that a short corpus has many commit points; the clean and
final runs use the defaults.
A quarter of the runs use `--jobs 2`; the whole process group is killed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.pool import NullPool

from bilateral.store.engine import make_engine
from bilateral.store.models import Article

SEED = 20230204
KILLS = 10
STARTUP_KILLS = 2
ARTICLES = 60
SMALL_BATCHES = "import bilateral.store.ingest as ingest\ningest.COMMIT_EVERY = 3"
POLL = 0.02


def _run(bl, db_url: str, *args: str) -> tuple[float, str, str]:  # type: ignore[no-untyped-def]
    """Run `bilateral ingest` to the end and return its duration, stdout and stderr."""
    start = time.monotonic()
    proc = bl.spawn(db_url, "ingest", "--quiet", *args)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return time.monotonic() - start, out.decode(), err.decode()


def test_killed_runs_then_a_full_run_equal_a_clean_run(db_url: str, tmp_path: Path, bl) -> None:  # type: ignore[no-untyped-def]
    folder = bl.write_corpus(tmp_path / "corpus", range(ARTICLES))
    whole, out, _ = _run(bl, db_url, str(folder))
    assert out.startswith(f"articles: {ARTICLES} new, 0 unchanged, 0 failed")
    clean = bl.dump(db_url)
    startup, out, _ = _run(bl, db_url, str(folder))
    assert out.startswith(f"articles: 0 new, {ARTICLES} unchanged, 0 failed")
    per_article = max(whole - startup, 0.5) / ARTICLES
    bl.empty_archive(db_url)

    watcher = make_engine(db_url, poolclass=NullPool)
    count = select(func.count()).select_from(Article)

    def stored() -> int:
        with watcher.connect() as conn:
            return int(conn.execute(count).scalar_one())

    def verify(when: str) -> None:
        """Check that the archive is the clean run's and that db check finds nothing."""
        assert bl.dump(db_url) == clean, (when, kills)
        check = bl.invoke(db_url, "db", "check", "--format", "csv")
        assert check.exit_code == 0, check.output
        assert check.stdout == "severity,check,table,row,detail\n"

    rng = random.Random(SEED)
    kills: list[tuple[str, int]] = []
    rounds = 0
    floor = 0  # articles committed before the last kill of this round: a kill must never lose them
    try:
        while len(kills) < KILLS:
            before = stored()
            left = KILLS - len(kills)
            if len(kills) < STARTUP_KILLS:
                target, delay = None, rng.uniform(0.2, 0.9) * startup
            else:
                target = before + rng.randint(1, max(1, (ARTICLES - before) // (left + 3)))
                delay = rng.uniform(0.0, 3 * per_article)  # while the next few articles are written
            jobs = "2" if rng.random() < 1 / 4 else "1"
            proc = bl.spawn(
                db_url,
                "ingest",
                "--quiet",
                "--jobs",
                jobs,
                str(folder),
                setup=SMALL_BATCHES,
                start_new_session=True,
            )
            if target is not None:
                while proc.poll() is None and stored() < target:
                    time.sleep(POLL)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                assert proc.returncode == -signal.SIGKILL
                after = stored()
                assert after >= floor, f"a kill lost committed articles: {kills}"
                if after < ARTICLES:
                    floor = after
                    kills.append(
                        (f"{'after ' + str(target) if target else 'start-up'} +{delay:.2f}s j{jobs}", after)
                    )
                    continue
                # Killed while shutting down, with every article already committed: no write was cut
                # short, so the kill is not counted. Check the archive and start again as below.
            else:
                # The run got to the end before its kill (a slow poll on a busy machine): it finished what
                # the killed runs left, which must be the clean archive.
                out, err = proc.communicate()
                assert proc.returncode == 0, err.decode()
            verify(f"round {rounds + 1}")  # then start again from an empty archive
            rounds += 1
            assert rounds <= 3, f"runs keep ending before their kill: {kills}"
            bl.empty_archive(db_url)
            floor = 0
    finally:
        watcher.dispose()
    counts = [n for _, n in kills]
    assert len(kills) == KILLS and floor < ARTICLES, kills
    assert len(set(counts)) >= KILLS // 2, f"kills did not land at different moments: {kills}"

    _, out, err = _run(bl, db_url, str(folder))
    assert out.startswith(f"articles: {ARTICLES - floor} new, {floor} unchanged, 0 failed"), (out, err, kills)
    verify("after the last kill")
    print(f"{len(kills)} kills in {rounds + 1} round(s) (moment, articles stored after it): {kills}")
