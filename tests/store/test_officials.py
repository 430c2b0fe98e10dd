"""Officials resolved against the archive: name keys, aliases, typos, short forms, posts and their dates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bilateral.store.dump import canonical_dump
from bilateral.store.models import MeetingParticipant, Official, Position
from bilateral.store.resolve import load_known_officials, store_article


def _mention(
    session: Session, rec, name: str, country: str, date: str, ref: str, title: str | None = None
) -> None:  # type: ignore[no-untyped-def]
    text = f"{title or 'Official'} {name} of {country} spoke to reporters."
    store_article(
        session,
        rec.article(text, date=date, ref=ref),
        rec.extraction([rec.official("o1", name, country, title)]),
    )


def _officials(session: Session) -> list[tuple[str, str]]:
    return sorted((o.name, o.country_key) for o in session.scalars(select(Official)))


def test_inverted_and_accented_forms_are_one_official(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    _mention(session, rec, "Gil Pinto, Yvan", "VEN", "2023-02-01", "1")
    _mention(session, rec, "Yvan Gil Pinto", "VEN", "2023-02-02", "2")
    _mention(session, rec, "Delcy Rodriguez", "VEN", "2023-02-03", "3")
    _mention(session, rec, "Delcy Rodríguez", "VEN", "2023-02-04", "4")
    _mention(session, rec, "Delcy Rodrigues", "VEN", "2023-02-05", "5")
    assert _officials(session) == [("Delcy Rodríguez", "VEN"), ("Yvan Gil Pinto", "VEN")]
    delcy = session.scalars(select(Official).where(Official.name_key == "delcy rodriguez")).one()
    assert {a.alias for a in delcy.aliases} == {"Delcy Rodríguez", "Delcy Rodrigues"}
    assert (delcy.first_seen, delcy.last_seen) == (dt.date(2023, 2, 3), dt.date(2023, 2, 5))


def test_different_given_names_or_countries_stay_apart(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    _mention(session, rec, "George Bush", "USA", "1990-05-01", "1", "President")
    _mention(session, rec, "George W. Bush", "USA", "2003-05-01", "2", "President")
    _mention(session, rec, "Jorge Rodriguez", "VEN", "2023-01-01", "3")
    _mention(session, rec, "Delcy Rodriguez", "VEN", "2023-01-01", "4")
    _mention(session, rec, "Delcy Rodriguez", "COL", "2023-01-01", "5")
    assert _officials(session) == [
        ("Delcy Rodriguez", "COL"),
        ("Delcy Rodriguez", "VEN"),
        ("George Bush", "USA"),
        ("George W. Bush", "USA"),
        ("Jorge Rodriguez", "VEN"),
    ]


def test_a_surname_resolves_only_within_five_years_and_one_candidate(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    _mention(session, rec, "George Bush", "USA", "1990-05-01", "1", "President")
    _mention(session, rec, "George W. Bush", "USA", "2003-05-01", "2", "President")
    _mention(session, rec, "Bush", "USA", "2004-01-10", "3")
    w = session.scalars(select(Official).where(Official.name_key == "george w bush")).one()
    assert "Bush" in {a.alias for a in w.aliases}
    assert w.last_seen == dt.date(2004, 1, 10)
    assert len(_officials(session)) == 2
    _mention(session, rec, "Bush", "USA", "2020-01-10", "4")  # nobody of that name seen since 2009
    assert ("Bush", "USA") in _officials(session)


def test_an_ambiguous_surname_needs_the_title_to_resolve(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    _mention(session, rec, "Delcy Rodriguez", "VEN", "2023-01-01", "1", "Vice President")
    _mention(session, rec, "Jorge Rodriguez", "VEN", "2023-01-02", "2", "Assembly President")
    _mention(session, rec, "Rodriguez", "VEN", "2023-01-03", "3")
    assert ("Rodriguez", "VEN") in _officials(session)
    _mention(session, rec, "Rodriguez", "VEN", "2023-01-04", "4", "Vice President")
    delcy = session.scalars(select(Official).where(Official.name_key == "delcy rodriguez")).one()
    assert delcy.last_seen == dt.date(2023, 1, 4)


def test_an_alias_matches_another_spelling(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    text = "Hossein Amir-Abdollahian, also written Amirabdollahian, arrived."
    store_article(
        session,
        rec.article(text, ref="1"),
        rec.extraction(
            [rec.official("o1", "Hossein Amir-Abdollahian", "IRN", aliases=["Hossein Amirabdollahian"])]
        ),
    )
    _mention(session, rec, "Hossein Amirabdollahian", "IRN", "2023-03-01", "2")
    _mention(session, rec, "Amir-Abdollahian", "IRN", "2023-03-02", "3")
    assert _officials(session) == [("Hossein Amir-Abdollahian", "IRN")]


def test_a_short_name_met_first_is_absorbed_by_the_full_name(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    text = "Ardalan met Venezuela's foreign minister on 3 February."
    store_article(
        session,
        rec.article(text, ref="1"),
        rec.extraction(
            [rec.official("o1", "Ardalan", "IRN", "Foreign Minister")],
            [rec.meeting(text, [rec.side("o1", "IRN"), rec.side(None, "VEN")], "2023-02-03")],
        ),
    )
    _mention(session, rec, "Ana Ardalan", "IRN", "2023-02-10", "2", "Foreign Minister")
    assert _officials(session) == [("Ana Ardalan", "IRN")]
    ana = session.scalars(select(Official)).one()
    participant = session.scalars(
        select(MeetingParticipant).where(MeetingParticipant.official_id.is_not(None))
    ).one()
    assert (participant.official_id, participant.participant_key) == (ana.id, f"o:{ana.id}")
    position = session.scalars(select(Position)).one()
    assert (position.title, position.first_seen, position.last_seen) == (
        "Foreign Minister",
        dt.date(2023, 2, 3),
        dt.date(2023, 2, 10),
    )


def test_short_then_full_equals_full_then_short(engine, rec) -> None:  # type: ignore[no-untyped-def]
    dumps = []
    for order in ((1, 2), (2, 1)):
        with Session(engine) as session:
            for official in session.scalars(select(Official)):
                session.delete(official)
            for model in ("meetings", "articles"):
                session.execute(__import__("sqlalchemy").text(f"DELETE FROM {model}"))
            session.commit()
            for n in order:
                if n == 1:
                    _mention(session, rec, "Ardalan", "IRN", "2023-02-01", "1", "Foreign Minister")
                else:
                    _mention(session, rec, "Ana Ardalan", "IRN", "2023-02-10", "2")
            session.commit()
            dumps.append(canonical_dump(session)["officials"])
    assert dumps[0] == dumps[1]
    assert [row[0] for row in dumps[0]] == ["Ana Ardalan"]


def test_positions_take_the_event_date_else_the_article_date(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    text = "Foreign Minister Ana Ardalan, who met Bruno Valdez on 25 January, spoke on Friday."
    store_article(
        session,
        rec.article(text, date="2023-02-03", ref="1"),
        rec.extraction(
            [
                rec.official("o1", "Ana Ardalan", "IRN", "Foreign Minister"),
                rec.official("o2", "Bruno Valdez", "VEN", "Oil Minister"),
            ],
            [
                rec.meeting(
                    text,
                    [rec.side("o1", "IRN"), rec.side("o2", "VEN", title="Foreign Minister")],
                    "2023-01-25",
                )
            ],
        ),
    )
    _mention(session, rec, "Ana Ardalan", "IRN", "2023-06-30", "2", "Foreign Minister")
    _mention(session, rec, "Ana Ardalan", "IRN", "2022-11-30", "3", "Deputy Foreign Minister")
    rows = {(p.official.name, p.title, p.first_seen, p.last_seen) for p in session.scalars(select(Position))}
    assert rows == {
        ("Ana Ardalan", "Foreign Minister", dt.date(2023, 1, 25), dt.date(2023, 6, 30)),
        ("Ana Ardalan", "Deputy Foreign Minister", dt.date(2022, 11, 30), dt.date(2022, 11, 30)),
        ("Bruno Valdez", "Foreign Minister", dt.date(2023, 1, 25), dt.date(2023, 1, 25)),
        ("Bruno Valdez", "Oil Minister", dt.date(2023, 2, 3), dt.date(2023, 2, 3)),
    }


def test_known_officials_offer_name_country_latest_title_and_aliases(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    _mention(session, rec, "Gil Pinto, Yvan", "VEN", "2022-01-01", "1", "Oil Minister")
    _mention(session, rec, "Yvan Gil Pinto", "VEN", "2023-02-02", "2", "Foreign Minister")
    (known,) = load_known_officials(session)
    assert (known.name, known.country, known.title, known.last_seen) == (
        "Yvan Gil Pinto",
        "VEN",
        "Foreign Minister",
        dt.date(2023, 2, 2),
    )


def test_an_alias_shared_with_an_official_links_them_in_any_order(engine, rec) -> None:  # type: ignore[no-untyped-def]
    dumps = []
    for order in ((1, 2), (2, 1)):
        with Session(engine) as session:
            for official in session.scalars(select(Official)):
                session.delete(official)
            session.execute(__import__("sqlalchemy").text("DELETE FROM articles"))
            session.commit()
            for n in order:
                if n == 1:
                    _mention(session, rec, "Hassan Rahimi", "IRN", "2023-02-01", "1", "Minister")
                else:
                    text = "Minister Mohammad Hassan Rahimi, also called Hassan Rahimi, arrived."
                    store_article(
                        session,
                        rec.article(text, date="2023-02-02", ref="2"),
                        rec.extraction(
                            [
                                rec.official(
                                    "o1", "Mohammad Hassan Rahimi", "IRN", aliases=["Hassan Rahimi", "Rahimi"]
                                )
                            ]
                        ),
                    )
            session.commit()
            dumps.append(canonical_dump(session)["officials"])
    assert dumps[0] == dumps[1]
    assert [row[0] for row in dumps[0]] == ["Mohammad Hassan Rahimi"]


def test_an_alias_with_another_given_name_does_not_link(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    _mention(session, rec, "George Bush", "USA", "1990-05-01", "1", "President")
    text = "President George W. Bush (not George Bush) spoke."
    store_article(
        session,
        rec.article(text, date="2003-05-01", ref="2"),
        rec.extraction([rec.official("o1", "George W. Bush", "USA", aliases=["George Bush"])]),
    )
    assert _officials(session) == [("George Bush", "USA"), ("George W. Bush", "USA")]
