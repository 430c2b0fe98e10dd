"""`replace_article_records` (bilateral reextract): ids kept for records found again, the rest recomputed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bilateral.store.dump import canonical_dump
from bilateral.store.models import Agreement, Article, Meeting
from bilateral.store.resolve import replace_article_records, store_article

A = "Ana Ardalan met Bruno Valdez in Caracas on 3 February. They signed an oil agreement."
B = "In February Ardalan and Valdez held talks."


def _people(rec):  # type: ignore[no-untyped-def]
    return [rec.official("o1", "Ana Ardalan", "IRN"), rec.official("o2", "Bruno Valdez", "VEN")]


def _a(
    rec, place: str | None = "Caracas", agreement: bool = True, meeting: bool = True, version: str = "test-1"
):  # type: ignore[no-untyped-def]
    sentence = "Ana Ardalan met Bruno Valdez in Caracas on 3 February."
    meetings = (
        [
            rec.meeting(
                A,
                [rec.side("o1", "IRN"), rec.side("o2", "VEN")],
                "2023-02-03",
                place=place,
                sentence=sentence,
            )
        ]
        if meeting
        else []
    )
    agreements = [rec.agreement(A, "oil agreement", ["IRN", "VEN"], "2023-02-03")] if agreement else []
    extraction = rec.extraction(_people(rec), meetings, agreements)
    return type(extraction)(extraction.officials, extraction.meetings, extraction.agreements, version)


def _b(rec):  # type: ignore[no-untyped-def]
    return rec.extraction(
        [rec.official("o1", "Ardalan", "IRN"), rec.official("o2", "Valdez", "VEN")],
        [rec.meeting(B, [rec.side("o1", "IRN"), rec.side("o2", "VEN")], "2023-02")],
    )


def _store_both(session: Session, rec) -> int:  # type: ignore[no-untyped-def]
    first = store_article(session, rec.article(A, ref="a.txt"), _a(rec))
    store_article(session, rec.article(B, date="2023-02-20", ref="b.txt"), _b(rec))
    return first.article_id


def test_the_same_extraction_again_changes_nothing(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    article_id = _store_both(session, rec)
    before = canonical_dump(session)
    ids = (sorted(session.scalars(select(Meeting.id))), sorted(session.scalars(select(Agreement.id))))
    replace_article_records(session, article_id, _a(rec))
    assert canonical_dump(session) == before
    assert (sorted(session.scalars(select(Meeting.id))), sorted(session.scalars(select(Agreement.id)))) == ids


def test_records_found_again_keep_their_ids_and_lost_ones_go(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    article_id = _store_both(session, rec)
    meeting_id = session.scalars(select(Meeting.id)).one()
    agreement_id = session.scalars(select(Agreement.id)).one()
    solo = store_article(
        session,
        rec.article("Ardalan later signed a gas deal.", ref="c.txt"),
        rec.extraction(
            [],
            [],
            [
                rec.agreement(
                    "Ardalan later signed a gas deal.", "gas agreement", ["IRN", "VEN"], "2023-02-03"
                )
            ],
        ),
    )
    assert solo.status == "new"
    replace_article_records(
        session, article_id, _a(rec, place="Miraflores Palace", agreement=False, version="test-2")
    )
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.id == meeting_id
    assert (meeting.place, meeting.date, len(meeting.sources)) == (
        "Miraflores Palace",
        dt.date(2023, 2, 3),
        2,
    )
    titles = {a.id: a.title for a in session.scalars(select(Agreement))}
    assert agreement_id not in titles and list(titles.values()) == ["gas agreement"]
    article = session.get(Article, article_id)
    assert article is not None and article.extractor_version == "test-2"


def test_a_meeting_no_longer_found_falls_back_to_its_other_sources(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    article_id = _store_both(session, rec)
    meeting_id = session.scalars(select(Meeting.id)).one()
    replace_article_records(session, article_id, _a(rec, meeting=False))
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.id == meeting_id
    assert (meeting.date, meeting.date_precision, meeting.place) == (dt.date(2023, 2, 1), "month", None)
    assert [s.article.ref for s in meeting.sources] == ["b.txt"]
    assert meeting.first_source is not None and meeting.first_source.ref == "b.txt"


def test_replacing_equals_ingesting_the_new_extraction_from_scratch(engine, rec) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        article_id = _store_both(session, rec)
        replace_article_records(session, article_id, _a(rec, place=None))
        session.commit()
        replaced = canonical_dump(session)
        for model in (Meeting, Agreement, Article):
            for row in session.scalars(select(model)):
                session.delete(row)
        session.commit()
        store_article(session, rec.article(A, ref="a.txt"), _a(rec, place=None))
        store_article(session, rec.article(B, date="2023-02-20", ref="b.txt"), _b(rec))
        session.commit()
        fresh = canonical_dump(session)
    assert replaced["meetings"] == fresh["meetings"]
    assert replaced["agreements"] == fresh["agreements"]


def test_aggregates_follow_merges_and_replacements(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    from bilateral.store import aggregates

    article_id = _store_both(session, rec)
    replace_article_records(session, article_id, _a(rec, meeting=False, agreement=False))
    replace_article_records(session, article_id, _a(rec))
    session.flush()
    connection = session.connection()
    assert aggregates.stored(connection) == aggregates.recount(connection)
    assert any(aggregates.stored(connection).values())
