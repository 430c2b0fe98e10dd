"""Aggregate tables always equal a recount from the base tables, through adds, changes, merges and deletes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bilateral.reports.synthetic import ArchiveBuilder
from bilateral.store import aggregates
from bilateral.store.models import Meeting, MeetingParticipant


def _assert_current(session: Session) -> None:
    conn = session.connection()
    assert aggregates.stored(conn) == aggregates.recount(conn)


def test_aggregates_follow_adds_changes_and_deletes(session: Session) -> None:
    b = ArchiveBuilder(session)
    zarif = b.official("Ana Zarif", "IRN", ("Foreign Minister", "2019-01-01", "2021-01-01"))
    gil = b.official("Luis Gil", "VEN", ("Foreign Minister", "2019-01-01", "2021-01-01"))
    first = b.meeting("meeting", "2020-03-04", [zarif, gil], place_country="VEN")
    b.meeting("call", "2020-05", [zarif, "CUB"])
    b.meeting("visit", None, [gil, "CUB", "IRN"], status="planned")
    b.meeting("meeting", "2021", [zarif, "org:UN"])
    b.agreement("Oil deal", "2020-03-04", ["IRN", "VEN", "org:OPEC"])
    _assert_current(session)
    pairs = session.execute(
        select(
            aggregates.dyad_counts.c.country_a,
            aggregates.dyad_counts.c.country_b,
            aggregates.dyad_counts.c.kind,
        )
    ).all()
    assert sorted(pairs) == [
        ("CUB", "IRN", "call"),
        ("CUB", "IRN", "visit"),
        ("CUB", "VEN", "visit"),
        ("IRN", "VEN", "agreement"),
        ("IRN", "VEN", "meeting"),
        ("IRN", "VEN", "visit"),
    ]

    # A merge makes the date more precise, moves it to another year and adds a side.
    first.date = dt.date(2021, 1, 2)
    first.participants.append(MeetingParticipant(country="CUB", participant_key="c:CUB"))
    session.flush()
    aggregates.refresh_events(session, meeting_ids=[first.id])
    _assert_current(session)

    # A side is dropped, the kind changes, and one meeting is merged away (deleted).
    session.execute(
        delete(MeetingParticipant).where(
            MeetingParticipant.participant_key == "c:CUB", MeetingParticipant.meeting_id == first.id
        )
    )
    first.kind = "visit"
    gone = session.scalars(select(Meeting).where(Meeting.kind == "call")).one()
    gone_id = gone.id
    session.delete(gone)
    session.flush()
    aggregates.refresh_events(session, meeting_ids=[first.id, gone_id])
    _assert_current(session)
    counts = aggregates.stored(session.connection())["kind_counts"]
    assert [(k, s, y, n) for k, s, y, n, *_ in counts] == [
        ("agreement", "signed", 2020, 1),
        ("meeting", "occurred", 2021, 1),
        ("visit", "occurred", 2021, 1),
        ("visit", "planned", 0, 1),
    ]


def test_rebuild_equals_recount(session: Session) -> None:
    b = ArchiveBuilder(session)
    b.meeting("meeting", "2020-03-04", ["IRN", "VEN", "CUB"])
    b.agreement("Plan", "2019", ["IRN", "VEN"], status="planned")
    conn = session.connection()
    for table in aggregates.AGGREGATE_COLUMNS:
        conn.exec_driver_sql(f"DELETE FROM {table}")
    aggregates.rebuild(conn)
    _assert_current(session)
    assert len(aggregates.stored(conn)["event_dyads"]) == 4
