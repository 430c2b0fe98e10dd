"""Storing articles: identity, idempotence, URLs, offsets, meeting merges and order independence."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bilateral.extract.records import Evidence
from bilateral.store.dump import canonical_dump
from bilateral.store.models import (
    AgreementSource,
    Article,
    ArticleUrl,
    Meeting,
    MeetingParticipant,
    MeetingSource,
    Official,
)
from bilateral.store.resolve import find_article_by_hash, store_article

T1 = "Iran's Foreign Minister Ana Ardalan met Venezuela's Foreign Minister Bruno Valdez in Caracas on Friday."
T2 = "Earlier this month Ardalan held talks with Venezuela's foreign minister."
T3 = "Ana Ardalan and Bruno Valdez met on 3 February, officials said."


def _t1(rec):  # type: ignore[no-untyped-def]
    return rec.extraction(
        [
            rec.official("o1", "Ana Ardalan", "IRN", "Foreign Minister"),
            rec.official("o2", "Bruno Valdez", "VEN", "Foreign Minister"),
        ],
        [
            rec.meeting(
                T1,
                [rec.side("o1", "IRN", role="guest"), rec.side("o2", "VEN", role="host")],
                "2023-02-03",
                place="Caracas",
                place_country="VEN",
            )
        ],
    )


def _t2(rec):  # type: ignore[no-untyped-def]
    return rec.extraction(
        [rec.official("o1", "Ardalan", "IRN")],
        [
            rec.meeting(
                T2, [rec.side("o1", "IRN"), rec.side(None, "VEN", title="Foreign Minister")], "2023-02"
            )
        ],
    )


def _t3(rec):  # type: ignore[no-untyped-def]
    return rec.extraction(
        [rec.official("o1", "Ana Ardalan", "IRN"), rec.official("o2", "Bruno Valdez", "VEN")],
        [rec.meeting(T3, [rec.side("o1", "IRN"), rec.side("o2", "VEN")], "2023-02-03")],
    )


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_new_article_stores_every_record_tied_to_it(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    article = rec.article(T1, url="https://example.org/1")
    result = store_article(session, article, _t1(rec))
    assert result.status == "new"
    assert (result.records_added, result.records_merged) == (3, 0)
    stored = find_article_by_hash(session, article.sha256)
    assert stored is not None and stored.id == result.article_id
    assert (stored.text, stored.words, stored.extractor_version, stored.date) == (
        T1,
        article.words,
        "test-1",
        dt.date(2023, 2, 3),
    )
    assert [u.url for u in stored.urls] == ["https://example.org/1"]
    meeting = session.scalars(select(Meeting)).one()
    assert (meeting.kind, meeting.status, meeting.date, meeting.date_precision) == (
        "meeting",
        "occurred",
        dt.date(2023, 2, 3),
        "day",
    )
    assert (meeting.place, meeting.place_country, meeting.first_source_id) == ("Caracas", "VEN", stored.id)
    people = {
        (p.official.name if p.official else None, p.country, p.title, p.role) for p in meeting.participants
    }
    assert people == {
        ("Ana Ardalan", "IRN", "Foreign Minister", "guest"),
        ("Bruno Valdez", "VEN", "Foreign Minister", "host"),
    }
    (source,) = meeting.sources
    assert source.article_id == stored.id
    assert stored.text[source.start_offset : source.end_offset] == source.evidence == T1


def test_same_article_twice_changes_nothing(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    store_article(session, rec.article(T1), _t1(rec))
    before = canonical_dump(session)
    again = store_article(session, rec.article(T1), _t1(rec))
    assert (again.status, again.records_added, again.records_merged) == ("unchanged", 0, 0)
    assert canonical_dump(session) == before


def test_same_article_at_a_new_url_gains_the_url_only(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    first = store_article(session, rec.article(T1, url="https://a.example/x"), _t1(rec))
    before = canonical_dump(session)["meetings"]
    moved = store_article(session, rec.article(T1, url="https://b.example/y", ref="other.txt"), _t1(rec))
    assert (moved.status, moved.article_id) == ("url_added", first.article_id)
    urls = set(session.scalars(select(ArticleUrl.url)))
    assert urls == {"https://a.example/x", "https://b.example/y"}
    assert canonical_dump(session)["meetings"] == before
    assert store_article(session, rec.article(T1, url="https://b.example/y"), _t1(rec)).status == "unchanged"
    assert _count(session, Article) == 1


def test_a_reported_meeting_gains_a_source_and_keeps_the_finer_date(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    store_article(session, rec.article(T2, date="2023-02-10", ref="b.txt"), _t2(rec))
    coarse = session.scalars(select(Meeting)).one()
    assert (coarse.date, coarse.date_precision) == (dt.date(2023, 2, 1), "month")
    result = store_article(session, rec.article(T1, ref="a.txt"), _t1(rec))
    assert result.records_merged >= 1
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.id == coarse.id
    assert (meeting.date, meeting.date_precision, meeting.place) == (dt.date(2023, 2, 3), "day", "Caracas")
    assert len(meeting.sources) == 2
    keys = {p.participant_key for p in meeting.participants}
    assert all(k.startswith("o:") for k in keys) and len(keys) == 2
    first = session.get(Article, meeting.first_source_id)
    assert first is not None and first.ref == "a.txt"  # earliest article date wins, not arrival


def test_three_ministers_met_on_one_day_stay_three_meetings(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    for n, name in enumerate(["Carla Mendez", "Diego Suarez", "Elena Rivas"]):
        text = f"Foreign Minister Ana Ardalan met {name} of Venezuela."
        store_article(
            session,
            rec.article(text, ref=f"{n}.txt"),
            rec.extraction(
                [
                    rec.official("o1", "Ana Ardalan", "IRN", "Foreign Minister"),
                    rec.official("o2", name, "VEN"),
                ],
                [rec.meeting(text, [rec.side("o1", "IRN"), rec.side("o2", "VEN")], "2023-02-03")],
            ),
        )
    assert _count(session, Meeting) == 3
    assert _count(session, Official) == 4


def test_different_kind_or_date_or_people_do_not_merge(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    store_article(session, rec.article(T3, ref="1.txt"), _t3(rec))
    call = "Ana Ardalan spoke by phone with Bruno Valdez."
    later = "Ana Ardalan met Bruno Valdez again."
    other = "Ana Ardalan met Felipe Ortega."
    people = [rec.official("o1", "Ana Ardalan", "IRN"), rec.official("o2", "Bruno Valdez", "VEN")]
    store_article(
        session,
        rec.article(call, ref="2.txt"),
        rec.extraction(
            people,
            [rec.meeting(call, [rec.side("o1", "IRN"), rec.side("o2", "VEN")], "2023-02-03", kind="call")],
        ),
    )
    store_article(
        session,
        rec.article(later, ref="3.txt"),
        rec.extraction(
            people, [rec.meeting(later, [rec.side("o1", "IRN"), rec.side("o2", "VEN")], "2023-02-04")]
        ),
    )
    store_article(
        session,
        rec.article(other, ref="4.txt"),
        rec.extraction(
            [people[0], rec.official("o2", "Felipe Ortega", "VEN")],
            [rec.meeting(other, [rec.side("o1", "IRN"), rec.side("o2", "VEN")], "2023-02-03")],
        ),
    )
    assert _count(session, Meeting) == 4
    assert all(len(m.sources) == 1 for m in session.scalars(select(Meeting)))


def test_an_unnamed_side_stands_in_by_country(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    store_article(session, rec.article(T3, ref="1.txt"), _t3(rec))
    vague = "Iran's foreign minister met Bruno Valdez on Friday."
    store_article(
        session,
        rec.article(vague, ref="2.txt"),
        rec.extraction(
            [rec.official("o2", "Bruno Valdez", "VEN")],
            [
                rec.meeting(
                    vague,
                    [rec.side(None, "IRN", title="Foreign Minister"), rec.side("o2", "VEN")],
                    "2023-02-03",
                )
            ],
        ),
    )
    meeting = session.scalars(select(Meeting)).one()
    assert len(meeting.sources) == 2
    assert _count(session, MeetingParticipant) == 2
    other_pair = "Iran's foreign minister met Cuba's foreign minister on Friday."
    store_article(
        session,
        rec.article(other_pair, ref="3.txt"),
        rec.extraction(
            [], [rec.meeting(other_pair, [rec.side(None, "IRN"), rec.side(None, "CUB")], "2023-02-03")]
        ),
    )
    assert _count(session, Meeting) == 2


def test_every_source_points_into_its_article(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    store_article(session, rec.article(T1, ref="a.txt"), _t1(rec))
    store_article(session, rec.article(T2, date="2023-02-10", ref="b.txt"), _t2(rec))
    text = "Ana Ardalan met Bruno Valdez. They signed an energy agreement."
    store_article(
        session,
        rec.article(text, ref="c.txt"),
        rec.extraction(
            [rec.official("o1", "Ana Ardalan", "IRN"), rec.official("o2", "Bruno Valdez", "VEN")],
            [
                rec.meeting(
                    text,
                    [rec.side("o1", "IRN"), rec.side("o2", "VEN")],
                    "2023-02-03",
                    sentence="Ana Ardalan met Bruno Valdez.",
                )
            ],
            [rec.agreement(text, "energy agreement", ["IRN", "VEN"], "2023-02-03")],
        ),
    )
    sources = [*session.scalars(select(MeetingSource)), *session.scalars(select(AgreementSource))]
    assert len(sources) == 4
    for source in sources:
        article = session.get(Article, source.article_id)
        assert article is not None
        assert 0 <= source.start_offset <= source.end_offset <= len(article.text)
        assert article.text[source.start_offset : source.end_offset] == source.evidence


def _ingest_all(engine: Engine, articles) -> dict:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        for article, extraction in articles:
            store_article(session, article, extraction)
            session.commit()
        dump = canonical_dump(session)
    return dump


def _wipe(engine: Engine) -> None:
    with Session(engine) as session:
        for model in (Meeting, Official, Article):
            for row in session.scalars(select(model)):
                session.delete(row)
        session.commit()
        from bilateral.store.models import Agreement

        for row in session.scalars(select(Agreement)):
            session.delete(row)
        session.commit()


def _order_corpus(rec):  # type: ignore[no-untyped-def]
    """Articles whose merges could go either way if arrival decided: coarse dates between two fine ones."""
    coarse = "In February Ardalan met Venezuela's foreign minister."
    day5 = "Ana Ardalan met Bruno Valdez on 5 February."
    vague_day = "Iran's foreign minister met Bruno Valdez on 3 February."
    treaty_a = "Iran and Venezuela signed a memorandum on oil cooperation."
    treaty_b = "The two countries signed an oil cooperation memorandum in February."
    people = [rec.official("o1", "Ana Ardalan", "IRN"), rec.official("o2", "Bruno Valdez", "VEN")]
    return [
        (rec.article(T1, ref="a.txt", url="https://example.org/a"), _t1(rec)),
        (rec.article(T2, date="2023-02-10", ref="b.txt"), _t2(rec)),
        (rec.article(T3, date="2023-02-05", ref="c.txt"), _t3(rec)),
        (
            rec.article(coarse, date="2023-02-20", ref="d.txt"),
            rec.extraction(
                [rec.official("o1", "Ardalan", "IRN")],
                [rec.meeting(coarse, [rec.side("o1", "IRN"), rec.side(None, "VEN")], "2023-02")],
            ),
        ),
        (
            rec.article(day5, date="2023-02-06", ref="e.txt"),
            rec.extraction(
                people, [rec.meeting(day5, [rec.side("o1", "IRN"), rec.side("o2", "VEN")], "2023-02-05")]
            ),
        ),
        (
            rec.article(vague_day, date="2023-02-04", ref="f.txt"),
            rec.extraction(
                [people[1]],
                [
                    rec.meeting(
                        vague_day,
                        [rec.side(None, "IRN"), rec.side("o2", "VEN")],
                        "2023-02-03",
                        place="Caracas",
                    )
                ],
            ),
        ),
        (
            rec.article(treaty_a, date="2023-02-03", ref="g.txt"),
            rec.extraction(
                [],
                [],
                [
                    rec.agreement(
                        treaty_a,
                        "memorandum on oil cooperation",
                        ["IRN", "VEN"],
                        "2023-02-03",
                        type_="memorandum",
                    )
                ],
            ),
        ),
        (
            rec.article(treaty_b, date="2023-02-12", ref="h.txt"),
            rec.extraction(
                [], [], [rec.agreement(treaty_b, "oil cooperation memorandum", ["VEN", "IRN"], "2023-02")]
            ),
        ),
    ]


def test_merges_do_not_depend_on_the_order_of_arrival(engine: Engine, rec) -> None:  # type: ignore[no-untyped-def]
    corpus = _order_corpus(rec)
    orders = list(itertools.permutations(range(len(corpus))))
    chosen = [orders[0], orders[-1], *orders[1 :: max(1, len(orders) // 10)]][:12]
    dumps = []
    for order in chosen:
        _wipe(engine)
        dumps.append(_ingest_all(engine, [corpus[i] for i in order]))
    reference = dumps[0]
    assert len(reference["meetings"]) == 2  # 3 Feb (four sources) and 5 Feb
    assert len(reference["agreements"]) == 1
    for dump in dumps[1:]:
        assert dump == reference


def test_storing_rolls_back_the_whole_article_on_failure(
    session: Session, rec, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import bilateral.store.resolve as resolve

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(resolve.aggregates, "refresh_events", broken)
    with pytest.raises(RuntimeError):
        store_article(session, rec.article(T1), _t1(rec))
    assert (_count(session, Article), _count(session, Official), _count(session, Meeting)) == (0, 0, 0)


def test_coarse_reports_settle_by_value_across_months(engine: Engine, rec) -> None:  # type: ignore[no-untyped-def]
    people = [rec.official("o1", "Ana Ardalan", "IRN"), rec.official("o2", "Bruno Valdez", "VEN")]
    sides = [rec.side("o1", "IRN"), rec.side("o2", "VEN")]
    texts = {
        "may.txt": ("Ardalan and Valdez met on 10 May.", "2023-05-10", "2023-05-11"),
        "year.txt": ("Ardalan and Valdez met this year.", "2023", "2023-06-01"),
        "march.txt": ("Ardalan and Valdez met on 2 March.", "2023-03-02", "2023-03-03"),
        "undated.txt": ("Ardalan and Valdez have met.", None, "2023-07-01"),
    }
    corpus = [
        (
            rec.article(text, date=article_date, ref=ref),
            rec.extraction(people, [rec.meeting(text, sides, date)]),
        )
        for ref, (text, date, article_date) in texts.items()
    ]
    dumps = []
    for order in list(itertools.permutations(range(len(corpus))))[::2]:
        _wipe(engine)
        dumps.append(_ingest_all(engine, [corpus[i] for i in order]))
    assert all(dump == dumps[0] for dump in dumps[1:])
    meetings = {m[2]: len(m[9]) for m in dumps[0]["meetings"]}
    assert meetings == {dt.date(2023, 3, 2): 3, dt.date(2023, 5, 10): 1}


def test_organisation_officials_and_unknown_codes(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    text = "UN Secretary-General Maria Sol met Ana Ardalan and a delegation from Atlantis."
    store_article(
        session,
        rec.article(text),
        rec.extraction(
            [
                rec.official("o1", "Maria Sol", None, "Secretary-General", org="UN"),
                rec.official("o2", "Ana Ardalan", "IRN", "Foreign Minister"),
            ],
            [
                rec.meeting(
                    text,
                    [rec.side("o1", org="UN"), rec.side("o2", "IRN"), rec.side(None, "XAT")],
                    "2023-02-03",
                    place="Atlantis",
                    place_country="XAT",
                )
            ],
        ),
    )
    sol = session.scalars(select(Official).where(Official.org == "UN")).one()
    assert (sol.country, sol.country_key, [p.title for p in sol.positions]) == (
        None,
        "UN",
        ["Secretary-General"],
    )
    meeting = session.scalars(select(Meeting)).one()
    assert sorted(p.participant_key[:2] + (p.org or p.country or "") for p in meeting.participants) == [
        "o:IRN",
        "o:UN",
    ]
    assert (meeting.place, meeting.place_country) == ("Atlantis", None)


def test_a_planned_meeting_that_happened_is_one_occurred_meeting(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    plan = "Ana Ardalan will visit Bruno Valdez in February."
    people = [rec.official("o1", "Ana Ardalan", "IRN"), rec.official("o2", "Bruno Valdez", "VEN")]
    sides = [rec.side("o1", "IRN", role="visitor"), rec.side("o2", "VEN", role="host")]
    store_article(
        session,
        rec.article(plan, date="2023-01-20", ref="plan.txt"),
        rec.extraction(people, [rec.meeting(plan, sides, "2023-02", kind="visit", status="planned")]),
    )
    done = "Ana Ardalan visited Bruno Valdez on 3 February."
    store_article(
        session,
        rec.article(done, ref="done.txt"),
        rec.extraction(people, [rec.meeting(done, sides, "2023-02-03", kind="visit")]),
    )
    visit = session.scalars(select(Meeting)).one()
    assert (visit.kind, visit.status, visit.date_precision, len(visit.sources)) == (
        "visit",
        "occurred",
        "day",
        2,
    )
    assert visit.first_source is not None and visit.first_source.ref == "plan.txt"
    assert {p.role for p in visit.participants} == {"visitor", "host"}


def test_bad_offsets_fail_the_article_and_overlong_values_are_dropped(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    broken = rec.extraction(
        [],
        [rec.meeting(T1, [rec.side(None, "IRN"), rec.side(None, "VEN")], "2023-02-03")],
    )
    shifted = replace(broken.meetings[0], evidence=Evidence(T1, 1, len(T1) + 1))
    with pytest.raises(ValueError, match="evidence offsets"):
        store_article(session, rec.article(T1), replace(broken, meetings=(shifted,)))
    assert _count(session, Article) == 0
    long_name, long_title = "Ana " + "x" * 400, "Minister of " + "y" * 300
    text = "A minister with an impossible name met Bruno Valdez."
    store_article(
        session,
        rec.article(text),
        rec.extraction(
            [rec.official("o1", long_name, "IRN"), rec.official("o2", "Bruno Valdez", "VEN", long_title)],
            [
                rec.meeting(
                    text, [rec.side("o1", "IRN"), rec.side("o2", "VEN")], "2023-02-03", place="z" * 400
                )
            ],
        ),
    )
    assert _officials_named(session) == ["Bruno Valdez"]
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.place is None
    assert sorted(p.participant_key[:2] for p in meeting.participants) == ["c:", "o:"]
    assert all(p.title is None for p in meeting.participants)


def _officials_named(session: Session) -> list[str]:
    return sorted(session.scalars(select(Official.name)))


def test_visits_to_different_countries_stay_apart(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    people = [rec.official("o1", "Ana Ardalan", "IRN")]
    for n, (country, city) in enumerate([("ESP", "Madrid"), ("POL", "Warsaw"), ("ESP", None)]):
        text = f"Ana Ardalan visited {city or 'the country'}."
        store_article(
            session,
            rec.article(text, ref=f"{n}.txt"),
            rec.extraction(
                people,
                [
                    rec.meeting(
                        text,
                        [rec.side("o1", "IRN", role="visitor")],
                        None,
                        kind="visit",
                        place=city,
                        place_country=country,
                    )
                ],
            ),
        )
    visits = sorted((m.place_country, m.place, len(m.sources)) for m in session.scalars(select(Meeting)))
    assert visits == [("ESP", "Madrid", 2), ("POL", "Warsaw", 1)]


def test_aggregates_refreshed_once_per_commit_equal_a_recount(engine: Engine, rec) -> None:  # type: ignore[no-untyped-def]
    from bilateral.store import aggregates

    corpus = _order_corpus(rec)
    reference = _ingest_all(engine, corpus)
    _wipe(engine)
    with Session(engine) as session:
        aggregates.rebuild(session.connection())  # _wipe leaves the aggregate rows behind
        session.commit()
    with Session(engine) as session, aggregates.deferred(session):
        for index, (article, extraction) in enumerate(corpus):
            with session.begin_nested():
                store_article(session, article, extraction)
            if index == 2:
                session.commit()
        assert aggregates.is_deferred(session)
        session.commit()
        connection = session.connection()
        assert aggregates.stored(connection) == aggregates.recount(connection)
        assert any(aggregates.stored(connection).values())
        assert len(aggregates.stored(connection)["kind_counts"]) == 2
        assert canonical_dump(session) == reference
    with Session(engine) as session:
        assert not aggregates.is_deferred(session)
        connection = session.connection()
        assert aggregates.stored(connection) == aggregates.recount(connection)


def test_deferred_aggregates_wait_for_the_commit(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    from bilateral.store import aggregates

    with aggregates.deferred(session):
        store_article(session, rec.article(T1), _t1(rec))
        assert not any(aggregates.stored(session.connection()).values())
        session.commit()
        assert any(aggregates.stored(session.connection()).values())
    connection = session.connection()
    assert aggregates.stored(connection) == aggregates.recount(connection)
