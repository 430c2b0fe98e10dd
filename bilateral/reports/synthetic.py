"""Build archives without the extractor: a small typed builder for tests and examples, and a bulk generator.

`ArchiveBuilder` adds articles, officials, meetings and agreements through the models and keeps the aggregate
tables current exactly as the store does. `generate(engine, ...)` writes a large synthetic archive with Core
bulk inserts (for benchmarks), then rebuilds the aggregates once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from bilateral.store import aggregates
from bilateral.store.models import (
    Agreement,
    AgreementParty,
    AgreementSource,
    Article,
    Country,
    Meeting,
    MeetingParticipant,
    MeetingSource,
    Official,
    Position,
)
from bilateral.store.names import name_key

Side = Official | str
"""A meeting side: a named official, or an unnamed country (ISO3) / organisation (code prefixed 'org:')."""


def _precision_date(date: str | None) -> tuple[dt.date | None, str]:
    """Parse "2023-02-03", "2023-02" or "2023" into the stored date and its precision."""
    if date is None:
        return None, "unknown"
    parts = [int(p) for p in date.split("-")]
    precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
    parts += [1] * (3 - len(parts))
    return dt.date(parts[0], parts[1], parts[2]), precision


class ArchiveBuilder:
    """Add records to an archive through the models, refreshing aggregates as the store does."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._articles = 0

    def article(
        self,
        date: str | None = "2023-02-03",
        *,
        ref: str | None = None,
        url: str | None = None,
        title: str = "",
    ) -> Article:
        """Add an article and return it."""
        self._articles += 1
        ref = ref or f"article-{self._articles}.txt"
        day = _precision_date(date)[0]
        text = f"{title or ref} {date}"
        article = Article(
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            date=day,
            title=title or None,
            url=url,
            source="test",
            ref=ref,
            text=text,
            words=len(text.split()),
            extractor_version="test",
            ingested_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        )
        self.session.add(article)
        self.session.flush()
        return article

    def official(
        self,
        name: str,
        country: str | None,
        *titles: tuple[str, str | None, str | None],
        org: str | None = None,
    ) -> Official:
        """Add an official with posts given as (title, first_seen, last_seen) and return them."""
        starts = [d for t in titles if (d := _precision_date(t[1])[0]) is not None]
        ends = [d for t in titles if (d := _precision_date(t[2])[0]) is not None]
        first, last = min(starts, default=None), max(ends, default=None)
        official = Official(
            name=name,
            name_key=name_key(name),
            country=country,
            org=org,
            country_key=country or org or "",
            first_seen=first,
            last_seen=last,
        )
        for title, since, until in titles:
            official.positions.append(
                Position(
                    country=country,
                    org=org,
                    country_key=country or org or "",
                    title=title,
                    first_seen=_precision_date(since)[0],
                    last_seen=_precision_date(until)[0],
                )
            )
        self.session.add(official)
        self.session.flush()
        return official

    def meeting(
        self,
        kind: str,
        date: str | None,
        sides: Sequence[Side | tuple[Side, str | None, str]],
        *,
        status: str = "occurred",
        place: str | None = None,
        place_country: str | None = None,
        sources: Sequence[tuple[Article, str]] = (),
    ) -> Meeting:
        """Add a meeting; a side is an official, an ISO3 code, 'org:CODE', or (side, title, role)."""
        day, precision = _precision_date(date)
        meeting = Meeting(
            kind=kind,
            status=status,
            date=day,
            date_precision=precision,
            place=place,
            place_country=place_country,
            confidence=0.9,
        )
        for side in sides:
            who, title, role = side if isinstance(side, tuple) else (side, None, "participant")
            if isinstance(who, Official):
                participant = MeetingParticipant(
                    official_id=who.id, country=who.country, org=who.org, participant_key=f"o:{who.id}"
                )
            elif who.startswith("org:"):
                participant = MeetingParticipant(org=who[4:], participant_key=f"g:{who[4:]}")
            else:
                participant = MeetingParticipant(country=who, participant_key=f"c:{who}")
            participant.title = title
            participant.role = role
            meeting.participants.append(participant)
        self._add_sources(meeting, sources, MeetingSource)
        self.session.add(meeting)
        self.session.flush()
        aggregates.refresh_events(self.session, meeting_ids=[meeting.id])
        return meeting

    def agreement(
        self,
        title: str,
        date: str | None,
        parties: Sequence[str | tuple[str, Official | None]],
        *,
        type: str = "agreement",
        status: str = "signed",
        place: str | None = None,
        sources: Sequence[tuple[Article, str]] = (),
    ) -> Agreement:
        """Add an agreement; a party is an ISO3 code or 'org:CODE', optionally with its signatory."""
        day, precision = _precision_date(date)
        agreement = Agreement(
            title=title,
            type=type,
            status=status,
            date=day,
            date_precision=precision,
            place=place,
            confidence=0.9,
        )
        for party in parties:
            code, signatory = party if isinstance(party, tuple) else (party, None)
            if code.startswith("org:"):
                row = AgreementParty(org=code[4:], party_key=f"g:{code[4:]}")
            else:
                row = AgreementParty(country=code, party_key=f"c:{code}")
            row.signatory_id = signatory.id if signatory is not None else None
            agreement.parties.append(row)
        self._add_sources(agreement, sources, AgreementSource)
        self.session.add(agreement)
        self.session.flush()
        aggregates.refresh_events(self.session, agreement_ids=[agreement.id])
        return agreement

    @staticmethod
    def _add_sources(record: Any, sources: Sequence[tuple[Article, str]], model: Any) -> None:
        """Attach sources (article, evidence) and make the earliest the first source."""
        for article, evidence in sources:
            record.sources.append(
                model(article_id=article.id, evidence=evidence, start_offset=0, end_offset=len(evidence))
            )
        if sources:
            earliest = min((a for a, _ in sources), key=lambda a: (a.date or dt.date.max, a.ref or ""))
            record.first_source_id = earliest.id


@dataclass
class SampleArchive:
    """What `sample_archive` added, for callers that need ids."""

    zarif: Official
    gil: Official
    perez: Official
    first_article: Article


def sample_archive(session: Session) -> SampleArchive:
    """Add two articles, three officials, four meetings and two agreements (a sample for tests and docs)."""
    b = ArchiveBuilder(session)
    early = b.article("2020-03-05", ref="a/early.txt", url="https://news.example/early", title="Early")
    late = b.article("2020-06-01", ref="a/late.txt", title="Late")
    zarif = b.official("Ana Zarif", "IRN", ("Foreign Minister", "2019-01-01", "2021-01-01"))
    gil = b.official("Luis Gil", "VEN", ("Foreign Minister", "2019-05-01", "2020-12-01"))
    perez = b.official("Rosa Perez", "CUB", ("President", "2020-01-01", "2020-06-01"))
    b.meeting(
        "meeting",
        "2020-03-04",
        [(zarif, "Foreign Minister", "guest"), (gil, "Foreign Minister", "host")],
        place="Caracas",
        place_country="VEN",
        sources=[(late, "Zarif and Gil met again."), (early, "Zarif met Gil in Caracas.")],
    )
    b.meeting("meeting", "2020-04", [zarif, perez], place="Geneva", place_country="CHE")
    b.meeting("call", "2021", [gil, "CUB"])
    b.meeting("visit", None, [gil, "IRN", "CUB"], status="planned")
    b.agreement(
        "Oil deal", "2020-03-04", ["IRN", ("VEN", gil), "org:OPEC"], sources=[(early, "They signed.")]
    )
    b.agreement("Trade plan", "2022-07-01", ["CUB", "VEN"], type="plan", status="planned")
    session.commit()
    return SampleArchive(zarif, gil, perez, early)


# ------------------------------------------------------------------------------------ bulk generator

KINDS = ("meeting", "call", "visit")
TITLES = (
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Trade Minister",
    "Ambassador",
)


def generate(
    engine: Engine,
    *,
    meetings: int = 1_000_000,
    countries: int = 200,
    officials: int = 20_000,
    agreements: int = 50_000,
    years: int = 30,
    first_year: int = 1995,
    seed: int = 7,
    batch: int = 20_000,
) -> None:
    """Write a synthetic archive by Core bulk inserts (skewed country popularity); rebuild aggregates."""
    rng = random.Random(seed)
    with engine.begin() as conn:
        states = select(Country.iso3).where(Country.cow.is_not(None)).order_by(Country.iso3)
        codes = list(conn.execute(states).scalars())[:countries]
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(codes))]
        rng.shuffle(codes)
        start = dt.date(first_year, 1, 1).toordinal()
        span = dt.date(first_year + years - 1, 12, 31).toordinal() - start + 1

        article_rows = []
        for i in range(1, 20_001):
            day = dt.date.fromordinal(start + rng.randrange(span))
            article_rows.append(
                {
                    "id": i,
                    "sha256": hashlib.sha256(str(i).encode()).hexdigest(),
                    "date": day,
                    "title": f"Report {i}",
                    "url": f"https://news.example/{i}",
                    "source": "synthetic",
                    "ref": f"synthetic/{i}.txt",
                    "text": f"Synthetic article {i}.",
                    "words": 3,
                    "extractor_version": "synthetic",
                    "ingested_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                }
            )
        conn.execute(insert(Article), article_rows)

        official_country: list[str] = []
        official_rows, position_rows = [], []
        for i in range(1, officials + 1):
            country = rng.choices(codes, weights)[0]
            official_country.append(country)
            name = f"Official {i:05d} of {country}"
            official_rows.append(
                {
                    "id": i,
                    "name": name,
                    "name_key": name_key(name),
                    "country": country,
                    "country_key": country,
                }
            )
            position_rows.append(
                {"official_id": i, "country": country, "country_key": country, "title": rng.choice(TITLES)}
            )
        conn.execute(insert(Official), official_rows)
        conn.execute(insert(Position), position_rows)
        by_country: dict[str, list[int]] = {}
        for number, country in enumerate(official_country, start=1):
            by_country.setdefault(country, []).append(number)

    for first in range(1, meetings + 1, batch):
        with engine.begin() as conn:
            meeting_rows: list[dict[str, Any]] = []
            participant_rows: list[dict[str, Any]] = []
            source_rows: list[dict[str, Any]] = []
            for meeting_id in range(first, min(first + batch, meetings + 1)):
                sides = 3 if rng.random() < 0.05 else 2
                chosen: set[str] = set()
                while len(chosen) < sides:
                    chosen.add(rng.choices(codes, weights)[0])
                undated = rng.random() < 0.02
                when: dt.date | None = None if undated else dt.date.fromordinal(start + rng.randrange(span))
                kind = rng.choice(KINDS)
                place_country = sorted(chosen)[0] if rng.random() < 0.9 else rng.choice(codes)
                article_id = rng.randrange(1, 20_001)
                meeting_rows.append(
                    {
                        "id": meeting_id,
                        "kind": kind,
                        "status": "occurred" if rng.random() < 0.9 else "planned",
                        "date": when,
                        "date_precision": "unknown" if undated else "day",
                        "place": None,
                        "place_country": place_country,
                        "confidence": 0.9,
                        "first_source_id": article_id,
                    }
                )
                for country in sorted(chosen):
                    pool = by_country.get(country)
                    participant_official: int | None = None
                    if pool and rng.random() < 0.8:
                        participant_official = rng.choice(pool)
                        key = f"o:{participant_official}"
                    else:
                        key = f"c:{country}"
                    participant_rows.append(
                        {
                            "meeting_id": meeting_id,
                            "official_id": participant_official,
                            "country": country,
                            "title": rng.choice(TITLES) if participant_official else None,
                            "role": "participant",
                            "participant_key": key,
                        }
                    )
                source_rows.append(
                    {
                        "meeting_id": meeting_id,
                        "article_id": article_id,
                        "evidence": f"Evidence sentence for meeting {meeting_id}.",
                        "start_offset": 0,
                        "end_offset": 10,
                    }
                )
            conn.execute(insert(Meeting), meeting_rows)
            conn.execute(insert(MeetingParticipant), participant_rows)
            conn.execute(insert(MeetingSource), source_rows)

    with engine.begin() as conn:
        agreement_rows, party_rows, asource_rows = [], [], []
        for agreement_id in range(1, agreements + 1):
            pair: set[str] = set()
            while len(pair) < 2:
                pair.add(rng.choices(codes, weights)[0])
            day = dt.date.fromordinal(start + rng.randrange(span))
            article_id = rng.randrange(1, 20_001)
            agreement_rows.append(
                {
                    "id": agreement_id,
                    "title": f"Agreement {agreement_id}",
                    "type": rng.choice(("agreement", "memorandum", "treaty")),
                    "status": rng.choice(("signed", "signed", "reached", "planned")),
                    "date": day,
                    "date_precision": "day",
                    "confidence": 0.9,
                    "first_source_id": article_id,
                }
            )
            for country in sorted(pair):
                party_rows.append(
                    {"agreement_id": agreement_id, "country": country, "party_key": f"c:{country}"}
                )
            asource_rows.append(
                {
                    "agreement_id": agreement_id,
                    "article_id": article_id,
                    "evidence": f"Evidence for agreement {agreement_id}.",
                    "start_offset": 0,
                    "end_offset": 10,
                }
            )
        if agreement_rows:
            conn.execute(insert(Agreement), agreement_rows)
            conn.execute(insert(AgreementParty), party_rows)
            conn.execute(insert(AgreementSource), asource_rows)
    with engine.begin() as conn:
        aggregates.rebuild(conn)
