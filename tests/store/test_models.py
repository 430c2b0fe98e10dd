"""The models: constraints keep duplicates and bad values out on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bilateral.store.models import (
    Article,
    Country,
    Meeting,
    MeetingParticipant,
    MeetingSource,
    Official,
    Organization,
)


@pytest.fixture(autouse=True)
def _reference_rows(session: Session) -> None:
    """Make sure the countries and organisation these tests use exist (whatever revision fills them)."""
    session.merge(Country(iso3="IRN", iso2="IR", name="Iran", cow=630, gw=630))
    session.merge(Country(iso3="VEN", iso2="VE", name="Venezuela", cow=101, gw=101))
    session.merge(Organization(code="UN", name="United Nations"))
    session.commit()


def _article(sha: str = "a" * 64) -> Article:
    return Article(sha256=sha, date=dt.date(2023, 2, 3), text="Two ministers met.", words=3)


def _meeting(**fields: object) -> Meeting:
    values: dict[str, object] = {
        "kind": "meeting",
        "status": "occurred",
        "date": dt.date(2023, 2, 3),
        "date_precision": "day",
        "confidence": 0.9,
    }
    values.update(fields)
    return Meeting(**values)


def test_meeting_with_participants_and_source_round_trips(session: Session) -> None:
    article = _article()
    official = Official(name="Ana Example", name_key="ana example", country="IRN", country_key="IRN")
    meeting = _meeting(place="Caracas", place_country="VEN", first_source=article)
    meeting.participants = [
        MeetingParticipant(official=official, country="IRN", role="guest", participant_key="o:1"),
        MeetingParticipant(country="VEN", role="host", participant_key="c:VEN"),
    ]
    meeting.sources = [
        MeetingSource(article=article, evidence="Two ministers met.", start_offset=0, end_offset=18)
    ]
    session.add(meeting)
    session.commit()
    stored = session.scalars(select(Meeting)).one()
    assert (stored.kind, stored.date, stored.place_country, stored.first_source_id) == (
        "meeting",
        dt.date(2023, 2, 3),
        "VEN",
        article.id,
    )
    assert sorted(p.participant_key for p in stored.participants) == ["c:VEN", "o:1"]
    assert [(s.start_offset, s.end_offset) for s in stored.sources] == [(0, 18)]
    assert repr(stored).startswith("Meeting(id=")


def test_same_article_hash_is_refused(session: Session) -> None:
    session.add(_article())
    session.commit()
    session.add(_article())
    with pytest.raises(IntegrityError):
        session.commit()


def test_official_is_unique_per_name_key_and_country_key(session: Session) -> None:
    session.add(Official(name="Ana Example", name_key="ana example", country_key=""))
    session.add(Official(name="Ana Example", name_key="ana example", country="IRN", country_key="IRN"))
    session.commit()
    session.add(Official(name="Ana  Example", name_key="ana example", country_key=""))
    with pytest.raises(IntegrityError):
        session.commit()


def test_participant_is_unique_per_meeting(session: Session) -> None:
    meeting = _meeting()
    meeting.participants = [MeetingParticipant(country="IRN", participant_key="c:IRN")]
    session.add(meeting)
    session.commit()
    session.add(MeetingParticipant(meeting_id=meeting.id, country="IRN", participant_key="c:IRN"))
    with pytest.raises(IntegrityError):
        session.commit()


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "summit"},
        {"status": "rumoured"},
        {"date_precision": "week"},
        {"date": None, "date_precision": "day"},
        {"confidence": 1.5},
    ],
    ids=["kind", "status", "precision", "null-date-with-precision", "confidence"],
)
def test_meeting_checks_refuse_bad_values(session: Session, fields: dict[str, object]) -> None:
    session.add(_meeting(**fields))
    with pytest.raises(IntegrityError):
        session.commit()


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(_meeting(place_country="ZZZ"))
    with pytest.raises(IntegrityError):
        session.commit()


def test_deleting_a_meeting_deletes_its_participants(session: Session, engine: Engine) -> None:
    meeting = _meeting()
    meeting.participants = [MeetingParticipant(org="UN", participant_key="g:UN")]
    session.add(meeting)
    session.commit()
    with engine.begin() as conn:
        conn.execute(delete(Meeting))
    assert session.scalars(select(MeetingParticipant)).all() == []


def test_reference_tables_have_reprs() -> None:
    assert repr(Country(iso3="IRN", name="Iran")) == "Country('IRN', 'Iran')"
    assert repr(Organization(code="UN", name="United Nations")) == "Organization('UN', 'United Nations')"
