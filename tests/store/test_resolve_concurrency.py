"""Several writers storing overlapping articles at once end with the archive one writer would build."""

from __future__ import annotations

import random
import threading
import time

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bilateral.store.dump import canonical_dump
from bilateral.store.models import Agreement, Article, Meeting, Official
from bilateral.store.resolve import store_article

MINISTERS = [
    ("Ana Ardalan", "IRN"),
    ("Bruno Valdez", "VEN"),
    ("Carla Mendez", "CUB"),
    ("Diego Suarez", "VEN"),
]


def _corpus(rec) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Articles that overlap: the same meetings reported with different precision and names."""
    items = []
    for n in range(24):
        a, b = MINISTERS[n % 2 * 2], MINISTERS[1 + (n // 2) % 3]
        day = 1 + n % 5
        full = n % 3 != 0
        name_a = a[0] if full else a[0].split()[-1]
        date = f"2023-03-{day:02d}" if n % 4 else "2023-03"
        text = f"Report {n}: {name_a} met {b[0]} ({date})."
        officials = [rec.official("o1", name_a, a[1], "Foreign Minister"), rec.official("o2", b[0], b[1])]
        meetings = [rec.meeting(text, [rec.side("o1", a[1]), rec.side("o2", b[1])], date)]
        agreements = [rec.agreement(text, "trade agreement", [a[1], b[1]], date)] if n % 5 == 0 else []
        items.append(
            (
                rec.article(text, date=f"2023-03-{10 + n % 7:02d}", ref=f"{n}.txt"),
                rec.extraction(officials, meetings, agreements),
            )
        )
    return items


def _writer(engine: Engine, articles: list, errors: list[BaseException]) -> None:  # type: ignore[type-arg]
    try:
        with Session(engine.execution_options(begin_immediate=True)) as session:
            for article, extraction in articles:
                for attempt in range(20):
                    try:
                        store_article(session, article, extraction)
                        session.commit()
                        break
                    except OperationalError:  # deadlock or busy: roll back, let the other writer finish
                        session.rollback()
                        time.sleep(0.01 * (attempt + 1))
                else:
                    raise RuntimeError(f"gave up on {article.ref}")
    except BaseException as exc:  # noqa: BLE001 - reported to the test thread
        errors.append(exc)


def _wipe(engine: Engine) -> None:
    with Session(engine) as session:
        for model in (Meeting, Agreement, Official, Article):
            for row in session.scalars(select(model)):
                session.delete(row)
        session.commit()


def test_concurrent_writers_build_the_single_writer_archive(engine: Engine, rec) -> None:  # type: ignore[no-untyped-def]
    corpus = _corpus(rec)
    with Session(engine) as session:
        for article, extraction in corpus:
            store_article(session, article, extraction)
        session.commit()
        serial = canonical_dump(session)
    _wipe(engine)

    writers = 3 if engine.dialect.name == "postgresql" else 2
    shares = []
    for w in range(writers):
        share = corpus[w::writers] + corpus[(w + 1) % writers :: writers]  # every article twice overall
        random.Random(w).shuffle(share)
        shares.append(share)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_writer, args=(engine, share, errors)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    with Session(engine) as session:
        concurrent = canonical_dump(session)
    assert len(serial["articles"]) == len(corpus)
    assert concurrent == serial
