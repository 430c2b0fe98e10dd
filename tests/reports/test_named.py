"""Named reports give exact rows on both backends, and date filters agree with a count of single events."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bilateral.reports.filters import ReportError, make_filters
from bilateral.reports.named import run_report
from bilateral.reports.synthetic import ArchiveBuilder

D = dt.date


def _run(
    session: Session, name: str, *args: str, **filters: Any
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    conn = session.connection()
    level = filters.pop("level", "country")
    f = make_filters(conn=conn, **filters)
    table = run_report(conn, name, args, f, level=level)
    return table.columns, [tuple(r) for r in table.rows]


def test_dyads(session: Session, small_archive: Any) -> None:
    columns, rows = _run(session, "dyads")
    assert columns == (
        "country_a",
        "country_b",
        "events",
        "meetings",
        "calls",
        "visits",
        "agreements",
        "first_date",
        "last_date",
    )
    assert rows == [
        ("CUB", "VEN", 3, 0, 1, 1, 1, "2021-01-01", "2022-07-01"),
        ("IRN", "VEN", 3, 1, 0, 1, 1, "2020-03-04", "2020-03-04"),
        ("CUB", "IRN", 2, 1, 0, 1, 0, "2020-04-01", "2020-04-01"),
    ]


def test_dyads_with_filters(session: Session, small_archive: Any) -> None:
    assert _run(session, "dyads", since="2020-03-05", until="2021")[1] == [
        ("CUB", "IRN", 1, 1, 0, 0, 0, "2020-04-01", "2020-04-01"),
        ("CUB", "VEN", 1, 0, 1, 0, 0, "2021-01-01", "2021-01-01"),
    ]
    assert _run(session, "dyads", statuses=["planned"], kinds=["visit"])[1] == [
        ("CUB", "IRN", 1, 0, 0, 1, 0, None, None),
        ("CUB", "VEN", 1, 0, 0, 1, 0, None, None),
        ("IRN", "VEN", 1, 0, 0, 1, 0, None, None),
    ]


def test_summary(session: Session, small_archive: Any) -> None:
    columns, rows = _run(session, "summary")
    assert columns == ("section", "key", "events", "meetings", "calls", "visits", "agreements")
    assert rows == [
        ("total", "", 6, 2, 1, 1, 2),
        ("year", "undated", 1, 0, 0, 1, 0),
        ("year", "2020", 3, 2, 0, 0, 1),
        ("year", "2021", 1, 0, 1, 0, 0),
        ("year", "2022", 1, 0, 0, 0, 1),
        ("dyad", "CUB-VEN", 3, 0, 1, 1, 1),
        ("dyad", "IRN-VEN", 3, 1, 0, 1, 1),
        ("dyad", "CUB-IRN", 2, 1, 0, 1, 0),
    ]


def test_partners_and_timeline_accept_names_and_codes(session: Session, small_archive: Any) -> None:
    expected = [
        ("CUB", 2, 1, 0, 1, 0, "2020-04-01", "2020-04-01"),
        ("VEN", 3, 1, 0, 1, 1, "2020-03-04", "2020-03-04"),
    ]
    expected.sort(key=lambda r: (-r[1], r[0]))
    for typed in ("IRN", "ir", "Iran", "iran"):
        assert _run(session, "partners", typed)[1] == expected
    assert _run(session, "timeline", "Iran") == (
        ("year", "partner", "events", "meetings", "calls", "visits", "agreements"),
        [
            (2020, "VEN", 2, 1, 0, 0, 1),
            (2020, "CUB", 1, 1, 0, 0, 0),
            (None, "CUB", 1, 0, 0, 1, 0),
            (None, "VEN", 1, 0, 0, 1, 0),
        ],
    )


def test_unknown_country_suggests_close_names(session: Session, small_archive: Any) -> None:
    with pytest.raises(ReportError, match=r"unknown country 'Venezuala': did you mean Venezuela \(VEN\)"):
        _run(session, "partners", "Venezuala")


def test_dyad_lists_events_with_participants_and_evidence(session: Session, small_archive: Any) -> None:
    columns, rows = _run(session, "dyad", "Venezuela", "IRN")
    assert columns == (
        "date",
        "kind",
        "id",
        "status",
        "place",
        "participants",
        "title",
        "sources",
        "evidence",
    )
    meeting, agreement, visit = rows
    assert meeting[:2] == ("2020-03-04", "meeting")
    assert meeting[3:] == (
        "occurred",
        "Caracas",
        ["Ana Zarif (IRN, Foreign Minister)", "Luis Gil (VEN, Foreign Minister)"],
        None,
        2,
        "Zarif met Gil in Caracas.",
    )
    assert agreement[:2] == ("2020-03-04", "agreement")
    assert agreement[3:] == ("signed", None, ["IRN", "OPEC", "VEN"], "Oil deal", 1, "They signed.")
    assert visit[:2] == (None, "visit")
    assert visit[3:] == ("planned", None, ["(CUB)", "(IRN)", "Luis Gil (VEN)"], None, 0, None)
    conn = session.connection()
    for limit in (1, 2):
        table = run_report(conn, "dyad", ("VEN", "IRN"), make_filters(), limit=limit)
        assert [tuple(r) for r in table.rows] == rows[:limit]


def test_officials_and_one_official(session: Session, small_archive: Any) -> None:
    s = small_archive
    columns, rows = _run(session, "officials")
    assert columns == ("official_id", "name", "country", "posts", "meetings", "first_seen", "last_seen")
    assert rows == [
        (s.gil.id, "Luis Gil", "VEN", ["Foreign Minister"], 3, "2019-05-01", "2020-12-01"),
        (s.zarif.id, "Ana Zarif", "IRN", ["Foreign Minister"], 2, "2019-01-01", "2021-01-01"),
        (s.perez.id, "Rosa Perez", "CUB", ["President"], 1, "2020-01-01", "2020-06-01"),
    ]
    assert _run(session, "officials", kinds=["call"])[1] == [
        (s.gil.id, "Luis Gil", "VEN", ["Foreign Minister"], 1, "2019-05-01", "2020-12-01")
    ]
    for typed in ("Ana Zarif", "zarif", str(s.zarif.id)):
        columns, rows = _run(session, "official", typed)
        assert [(r[0], r[2], r[4], r[8]) for r in rows] == [
            ("2019-01-01", "post", "Foreign Minister", []),
            ("2020-03-04", "meeting", "Foreign Minister", ["Luis Gil (VEN, Foreign Minister)"]),
            ("2020-04", "meeting", None, ["Rosa Perez (CUB)"]),
        ]
    with pytest.raises(ReportError, match="did you mean Ana Zarif"):
        _run(session, "official", "Anna Zarif")


def test_agreements_and_networks(session: Session, small_archive: Any) -> None:
    columns, rows = _run(session, "agreements")
    assert columns == ("agreement_id", "date", "type", "status", "title", "parties", "place", "sources")
    assert [r[1:] for r in rows] == [
        ("2020-03-04", "agreement", "signed", "Oil deal", ["IRN", "OPEC", "VEN"], None, 1),
        ("2022-07-01", "plan", "planned", "Trade plan", ["CUB", "VEN"], None, 0),
    ]
    assert [r[4] for r in _run(session, "agreements", statuses=["planned"])[1]] == ["Trade plan"]
    assert _run(session, "network")[1] == [
        ("CUB", "IRN", 2, 1, 0, 1, 0),
        ("CUB", "VEN", 3, 0, 1, 1, 1),
        ("IRN", "VEN", 3, 1, 0, 1, 1),
    ]
    s = small_archive
    edges = _run(session, "network", level="official", countries=["CUB"])[1]
    assert edges == [(s.zarif.id, s.perez.id, 1, "Ana Zarif", "IRN", "Rosa Perez", "CUB")]


def test_wrong_arguments_are_refused(session: Session, small_archive: Any) -> None:
    with pytest.raises(ReportError, match="takes one argument"):
        _run(session, "partners")
    with pytest.raises(ReportError, match="unknown report 'dyadz'"):
        _run(session, "dyadz")
    with pytest.raises(ReportError, match="is not a date"):
        _run(session, "dyads", since="2020-13")
    with pytest.raises(ReportError, match="two different countries"):
        _run(session, "dyad", "IRN", "Iran")


def _random_archive(session: Session) -> list[tuple[str, str, str, str, dt.date | None]]:
    """Add random events among four countries; return (a, b, kind, status, date) per event and pair."""
    rng = random.Random(3)
    b = ArchiveBuilder(session)
    codes = ["CUB", "IRN", "RUS", "VEN"]
    pairs = []
    for _ in range(80):
        sides = sorted(rng.sample(codes, rng.choice((2, 2, 3))))
        day = None if rng.random() < 0.1 else D(2019, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365))
        text = day.isoformat() if day else None
        if rng.random() < 0.25:
            status = rng.choice(("signed", "planned"))
            b.agreement("Deal", text, sides, status=status)
            kind = "agreement"
        else:
            kind, status = (
                rng.choice(("meeting", "call", "visit")),
                rng.choice(("occurred", "occurred", "planned")),
            )
            b.meeting(kind, text, sides, status=status)
        pairs += [(x, y, kind, status, day) for x, y in itertools.combinations(sides, 2)]
    session.commit()
    return pairs


RANGES = [
    (None, None),
    ("2020", None),
    (None, "2021-06"),
    ("2019-07-15", "2021-03-02"),
    ("2020-02-10", "2020-11-30"),
]


def test_date_ranges_match_a_count_of_single_events(session: Session) -> None:
    pairs = _random_archive(session)
    for (since, until), statuses in itertools.product(RANGES, [(), ("occurred", "signed")]):
        f = make_filters(since=since, until=until, statuses=statuses)
        expected: dict[tuple[str, str], list[Any]] = {}
        for a, b, kind, status, day in pairs:
            if f.dated and (day is None or (f.since and day < f.since) or (f.until and day > f.until)):
                continue
            if statuses and status not in statuses:
                continue
            row = expected.setdefault((a, b), [0, 0, 0, 0, 0, None, None])
            row[0] += 1
            row[1 + ("meeting", "call", "visit", "agreement").index(kind)] += 1
            if day is not None:
                row[5] = min(row[5] or day.isoformat(), day.isoformat())
                row[6] = max(row[6] or day.isoformat(), day.isoformat())
        want = sorted(((a, b, *v) for (a, b), v in expected.items()), key=lambda r: (-r[2], r[0], r[1]))
        assert _run(session, "dyads", since=since, until=until, statuses=statuses)[1] == want, (since, until)
