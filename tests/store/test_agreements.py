"""Agreements merged on the same parties with a compatible title and date."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bilateral.store.agreements import titles_compatible
from bilateral.store.models import Agreement, Official
from bilateral.store.resolve import store_article


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("memorandum on oil cooperation", "oil cooperation memorandum", True),
        ("agreement", "energy agreement", True),
        ("energy agreement", "Energy Agreement", True),
        ("energy agreement", "agreement on energy and mining", True),
        ("energy agreement", "health agreement", False),
        ("oil agreement", "agreement on air transport", False),
    ],
)
def test_titles_compatible(a: str, b: str, expected: bool) -> None:
    assert titles_compatible(a, b) is expected


def _sign(
    session: Session, rec, text: str, title: str, parties: list[str], date: str | None, ref: str, **kw
) -> None:  # type: ignore[no-untyped-def]
    article_date = kw.pop("article_date", "2023-02-03")
    officials = kw.pop("officials", [])
    store_article(
        session,
        rec.article(text, date=article_date, ref=ref),
        rec.extraction(officials, [], [rec.agreement(text, title, parties, date, **kw)]),
    )


def test_reports_of_one_agreement_merge_and_keep_the_best_fields(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    _sign(
        session,
        rec,
        "Iran and Venezuela plan an oil deal.",
        "oil agreement",
        ["IRN", "VEN"],
        "2023-02",
        "1",
        status="planned",
    )
    _sign(
        session,
        rec,
        "Ana Ardalan signed the oil cooperation agreement with Venezuela on Friday.",
        "oil cooperation agreement",
        ["VEN", "IRN"],
        "2023-02-03",
        "2",
        type_="memorandum",
        signatories={"IRN": "o1"},
        officials=[rec.official("o1", "Ana Ardalan", "IRN", "Foreign Minister")],
    )
    agreement = session.scalars(select(Agreement)).one()
    assert (agreement.title, agreement.type, agreement.status) == (
        "oil cooperation agreement",
        "memorandum",
        "signed",
    )
    assert (agreement.date, agreement.date_precision) == (dt.date(2023, 2, 3), "day")
    assert len(agreement.sources) == 2
    ana = session.scalars(select(Official)).one()
    parties = {(p.party_key, p.country, p.signatory_id) for p in agreement.parties}
    assert parties == {("c:IRN", "IRN", ana.id), ("c:VEN", "VEN", None)}


def test_other_parties_titles_or_dates_make_other_agreements(session: Session, rec) -> None:  # type: ignore[no-untyped-def]
    _sign(
        session,
        rec,
        "Iran and Venezuela signed an oil agreement.",
        "oil agreement",
        ["IRN", "VEN"],
        "2023-02-03",
        "1",
    )
    _sign(
        session,
        rec,
        "Iran and Cuba signed an oil agreement.",
        "oil agreement",
        ["IRN", "CUB"],
        "2023-02-03",
        "2",
    )
    _sign(
        session,
        rec,
        "Iran and Venezuela signed a health agreement.",
        "health agreement",
        ["IRN", "VEN"],
        "2023-02-03",
        "3",
    )
    _sign(
        session,
        rec,
        "Iran and Venezuela signed an oil agreement in 2021.",
        "oil agreement",
        ["IRN", "VEN"],
        "2021",
        "4",
    )
    _sign(
        session,
        rec,
        "Iran, Venezuela and Cuba signed an oil agreement.",
        "oil agreement",
        ["IRN", "VEN", "CUB"],
        "2023-02-03",
        "5",
    )
    assert len(list(session.scalars(select(Agreement)))) == 5
