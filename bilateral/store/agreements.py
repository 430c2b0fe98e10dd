"""Merge an article's agreements into the archive's: same parties, compatible title and date.

Like meetings, each `agreement_sources` row keeps its article's observation as JSON, and the agreements of
one party set in the affected years are re-derived from all their observations, keeping the ids of the
agreements found again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bilateral.extract.records import AgreementRecord, Extraction
from bilateral.store.meetings import MergeOutcome, side_of, sides_key
from bilateral.store.merging import (
    PRECISION_RANK,
    ArchiveKeys,
    assign_ids,
    best_place,
    clean_date,
    date_bounds,
    date_string,
    dates_compatible,
    finer_date,
    greedy_groups,
    most_common,
    precision_of,
    records_in,
)
from bilateral.store.models import Agreement, AgreementParty, AgreementSource

TITLE_THRESHOLD = 85.0
"""rapidfuzz token_set_ratio two agreement titles' distinctive words need to count as one agreement."""
STATUS_RANK = {"implemented": 5, "signed": 4, "reached": 3, "planned": 2, "discussed": 1}
_GENERIC_TYPES = ("agreement", "other")
_GENERIC_WORDS = frozenset(
    "a an the on of for in and to between with by agreement agreements memorandum memoranda mou "
    "understanding treaty accord accords deal contract contracts declaration joint plan".split()
)
_WORD = re.compile(r"\w+")

Party = tuple[str, int | None]
"""A party as an article gives it: side ("c:IRN" / "g:UN") and signatory official id or None."""


def title_words(title: str) -> frozenset[str]:
    """Return the distinctive words of an agreement title (accents folded, generic words dropped)."""
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", title.casefold()) if not unicodedata.combining(ch)
    )
    return frozenset(w for w in _WORD.findall(folded) if w not in _GENERIC_WORDS)


def titles_compatible(a: str, b: str) -> bool:
    """Tell whether two titles may name one agreement: a generic title fits any, else similar words."""
    wa, wb = title_words(a), title_words(b)
    if not wa or not wb or wa <= wb or wb <= wa:
        return True
    return fuzz.token_set_ratio(" ".join(sorted(wa)), " ".join(sorted(wb))) >= TITLE_THRESHOLD


@dataclass
class AgreementObservation:
    """What one article says of one agreement."""

    article_id: int
    title: str
    type: str
    status: str
    date: str | None
    place: str | None
    place_country: str | None
    parties: tuple[Party, ...]
    evidence: str
    start: int
    end: int
    confidence: float
    agreement_id: int | None = None
    hint: int | None = None

    @property
    def sides(self) -> tuple[str, ...]:
        """Return the sorted party sides."""
        return tuple(sorted({p[0] for p in self.parties}))

    def to_json(self) -> dict[str, Any]:
        """Return the observation as stored in `agreement_sources.observation`."""
        return {
            "title": self.title,
            "type": self.type,
            "status": self.status,
            "date": self.date,
            "place": self.place,
            "place_country": self.place_country,
            "parties": [list(p) for p in self.parties],
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "confidence": self.confidence,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], article_id: int, agreement_id: int) -> AgreementObservation:
        """Rebuild a stored observation."""
        return cls(
            article_id=article_id,
            title=data["title"],
            type=data["type"],
            status=data["status"],
            date=data["date"],
            place=data["place"],
            place_country=data["place_country"],
            parties=tuple((p[0], p[1]) for p in data["parties"]),
            evidence=data["evidence"],
            start=data["start"],
            end=data["end"],
            confidence=data["confidence"],
            agreement_id=agreement_id,
        )


def agreement_observations(
    extraction: Extraction,
    article_id: int,
    official_ids: Mapping[str, int],
    valid_codes: Mapping[str, frozenset[str]],
) -> dict[tuple[str, ...], list[AgreementObservation]]:
    """Turn an extraction's agreement records into observations, grouped by party set."""
    grouped: dict[tuple[str, ...], list[AgreementObservation]] = defaultdict(list)
    for record in extraction.agreements:
        observation = _observation(record, article_id, official_ids, valid_codes)
        if observation is not None:
            grouped[observation.sides].append(observation)
    return grouped


def _observation(
    record: AgreementRecord,
    article_id: int,
    official_ids: Mapping[str, int],
    valid_codes: Mapping[str, frozenset[str]],
) -> AgreementObservation | None:
    """Return the observation of one agreement record, or None when it has no party the archive knows."""
    parties: dict[str, int | None] = {}
    for party in record.parties:
        country = party.country if party.country in valid_codes["countries"] else None
        org = party.org if party.org in valid_codes["orgs"] else None
        side = side_of(country, None if country else org)
        if side is None:
            continue
        signatory = official_ids.get(party.signatory) if party.signatory else None
        if parties.get(side) is None:
            parties[side] = signatory
    if not parties or not record.title.strip():
        return None
    return AgreementObservation(
        article_id=article_id,
        title=" ".join(record.title.split()),
        type=record.type,
        status=record.status,
        date=clean_date(record.date, record.date_precision),
        place=record.place,
        place_country=record.place_country if record.place_country in valid_codes["countries"] else None,
        parties=tuple(sorted(parties.items(), key=lambda p: p[0])),
        evidence=record.evidence.text,
        start=record.evidence.start,
        end=record.evidence.end,
        confidence=min(max(float(record.confidence), 0.0), 1.0),
    )


@dataclass
class _Group:
    """The state of one agreement while observations join it."""

    date: str | None
    titles: list[str]
    founder: tuple[Any, ...]


class AgreementMerger:
    """Re-derive the agreements of one party set and write them back."""

    def __init__(self, session: Session, keys: ArchiveKeys) -> None:
        self.session = session
        self.keys = keys

    @staticmethod
    def groups_of_article(
        session: Session, article_id: int
    ) -> dict[tuple[str, ...], list[AgreementObservation]]:
        """Return the observations an article holds in stored agreements, by party set."""
        grouped: dict[tuple[str, ...], list[AgreementObservation]] = defaultdict(list)
        rows = session.execute(
            select(Agreement, AgreementSource)
            .join(AgreementSource, AgreementSource.agreement_id == Agreement.id)
            .where(AgreementSource.article_id == article_id)
            .execution_options(populate_existing=True)
        )
        for agreement, source in rows:
            for o in stored_observations(agreement, source):
                grouped[o.sides].append(o)
        return grouped

    def _article_year(self, o: AgreementObservation) -> str | None:
        date = self.keys.article(o.article_id)[1]
        return f"{date.year:04d}" if date else None

    def sort_key(self, o: AgreementObservation) -> tuple[Any, ...]:
        """Order observations: finest date, then by value only."""
        return (
            -PRECISION_RANK[precision_of(o.date)],
            o.date or "",
            -len(title_words(o.title)),
            o.title,
            self.keys.article(o.article_id)[0],
            o.start,
            o.end,
            o.type,
            o.status,
            o.place or "",
            o.place_country or "",
            tuple((side, self.keys.official(i) if i is not None else "") for side, i in o.parties),
            o.evidence,
        )

    def _fits(self, group: _Group, o: AgreementObservation) -> bool:
        if o.date is None:
            year = self._article_year(o)
            if year is None:
                if group.date is not None:
                    return False
            elif group.date is not None and group.date[:4] != year:
                return False
        elif not dates_compatible(group.date, o.date):
            return False
        return any(titles_compatible(t, o.title) for t in group.titles)

    def _preference(self, group: _Group, o: AgreementObservation) -> tuple[Any, ...]:
        similarity = max(
            fuzz.token_set_ratio(" ".join(sorted(title_words(t))), " ".join(sorted(title_words(o.title))))
            for t in group.titles
        )
        return (0 if group.date == o.date else 1, -similarity, group.founder)

    def _start(self, o: AgreementObservation) -> _Group:
        return _Group(date=o.date, titles=[o.title], founder=self.sort_key(o))

    @staticmethod
    def _join(group: _Group, o: AgreementObservation) -> None:
        group.date = finer_date(group.date, o.date)
        group.titles.append(o.title)

    def load(self, sides: tuple[str, ...], years: set[int]) -> list[Agreement]:
        """Load the agreements of a party set dated in these years or undated."""
        params: dict[str, Any] = {"sides": sides_key(sides)}
        for i, year in enumerate(sorted(years)):
            params[f"first{i}"], params[f"last{i}"] = dt.date(year, 1, 1), dt.date(year, 12, 31)
        query = _load_query(len(years))
        return [a for a in self.session.scalars(query, params) if agreement_sides(a) == sides]

    def merge(
        self,
        sides: tuple[str, ...],
        new: Sequence[AgreementObservation],
        agreements: Sequence[Agreement],
        dropped_article: int | None = None,
    ) -> MergeOutcome:
        """Regroup the loaded agreements' observations with the new ones and write the result."""
        outcome = MergeOutcome()
        existing: list[AgreementObservation] = []
        earlier: list[AgreementObservation] = []
        for agreement in agreements:
            for source in agreement.sources:
                for o in stored_observations(agreement, source):
                    (earlier if source.article_id == dropped_article else existing).append(o)
        everything = [*existing, *new]
        self.keys.load_articles(o.article_id for o in everything)
        self.keys.load_officials(p[1] for o in everything for p in o.parties if p[1] is not None)
        for o in new:
            o.hint = self._hint(o, earlier)
        groups = greedy_groups(
            everything, self.sort_key, self._start, self._fits, self._preference, self._join
        )
        votes = []
        for _, members in groups:
            counts: dict[int, int] = defaultdict(int)
            for o in members:
                held = o.agreement_id if o.agreement_id is not None else o.hint
                if held is not None:
                    counts[held] += 1
            votes.append(dict(counts))
        by_id = {a.id: a for a in agreements}
        kept: set[int] = set()
        written: list[Agreement] = []
        for (group, members), agreement_id in zip(groups, assign_ids(votes), strict=True):
            if any(o.agreement_id is None for o in members):
                if any(o.agreement_id is not None for o in members):
                    outcome.merged += 1
                else:
                    outcome.added += 1
            if agreement_id is None:
                agreement = Agreement()
                self.session.add(agreement)
            else:
                agreement = by_id[agreement_id]
                kept.add(agreement_id)
            self._write(agreement, sides, group, members)
            written.append(agreement)
        for agreement in agreements:
            if agreement.id not in kept:
                outcome.touched.add(agreement.id)
                self.session.delete(agreement)
        self.session.flush()
        outcome.touched.update(a.id for a in written)
        return outcome

    def _hint(self, o: AgreementObservation, earlier: Sequence[AgreementObservation]) -> int | None:
        fitting = [e for e in earlier if self._fits(self._start(e), o)]
        if not fitting:
            return None
        best = min(
            fitting, key=lambda e: (0 if e.title == o.title else 1, abs(e.start - o.start), e.agreement_id)
        )
        return best.agreement_id

    def _write(
        self,
        agreement: Agreement,
        sides: tuple[str, ...],
        group: _Group,
        members: Sequence[AgreementObservation],
    ) -> None:
        """Set an agreement's fields, parties and sources from its observations."""
        agreement.title = min((o.title for o in members), key=lambda t: (-len(title_words(t)), -len(t), t))
        specific = [o.type for o in members if o.type not in _GENERIC_TYPES]
        agreement.type = most_common(specific or [o.type for o in members]) or "agreement"
        agreement.status = max((o.status for o in members), key=lambda s: (STATUS_RANK.get(s, 0), s))
        agreement.date_precision = precision_of(group.date)
        bounds = date_bounds(group.date)
        agreement.date = bounds[0] if bounds else None
        agreement.place, agreement.place_country = best_place((o.place, o.place_country) for o in members)
        agreement.confidence = max(o.confidence for o in members)
        agreement.first_source_id = min(members, key=lambda o: self.keys.article(o.article_id)[0]).article_id
        agreement.sides_key = sides_key(sides)
        current = {p.party_key: p for p in agreement.parties}
        for key, row in current.items():
            if key not in sides:
                agreement.parties.remove(row)
        for side in sides:
            signatory = most_common(
                (i for o in members for s, i in o.parties if s == side and i is not None),
                key=self.keys.official,
            )
            country = side[2:] if side.startswith("c:") else None
            org = None if country else side[2:]
            if side in current:
                row = current[side]
            else:
                row = AgreementParty(party_key=side)
                agreement.parties.append(row)
            row.country, row.org, row.signatory_id = country, org, signatory
        per_article: dict[int, list[AgreementObservation]] = defaultdict(list)
        for o in members:
            per_article[o.article_id].append(o)
        sources = {s.article_id: s for s in agreement.sources}
        for article_id, source in sources.items():
            if article_id not in per_article:
                agreement.sources.remove(source)
        for article_id, items in per_article.items():
            items.sort(key=lambda o: (o.start, o.end, o.evidence))
            if article_id in sources:
                source = sources[article_id]
            else:
                source = AgreementSource(article_id=article_id)
                agreement.sources.append(source)
            source.evidence, source.start_offset, source.end_offset = (
                items[0].evidence,
                items[0].start,
                items[0].end,
            )
            source.observation = json.dumps([o.to_json() for o in items], sort_keys=True, ensure_ascii=False)


def agreement_sides(agreement: Agreement) -> tuple[str, ...]:
    """Return a stored agreement's sorted party sides."""
    return tuple(sorted(p.party_key for p in agreement.parties))


def stored_observations(agreement: Agreement, source: AgreementSource) -> list[AgreementObservation]:
    """Return the observations a source row holds (rebuilt from the agreement for rows without them)."""
    if source.observation:
        return [
            AgreementObservation.from_json(d, source.article_id, agreement.id)
            for d in json.loads(source.observation)
        ]
    return [
        AgreementObservation(
            article_id=source.article_id,
            title=agreement.title,
            type=agreement.type,
            status=agreement.status,
            date=date_string(agreement.date, agreement.date_precision),
            place=agreement.place,
            place_country=agreement.place_country,
            parties=tuple(
                (p.party_key, p.signatory_id) for p in sorted(agreement.parties, key=lambda p: p.party_key)
            ),
            evidence=source.evidence,
            start=source.start_offset,
            end=source.end_offset,
            confidence=agreement.confidence,
            agreement_id=agreement.id,
        )
    ]


_load_queries: dict[int, Any] = {}


def _load_query(years: int) -> Any:
    """Return the (cached) query of AgreementMerger.load for a number of years, values bound.

    Parameters: `sides` (the party keys' `sides_key`) and `first<i>`/`last<i>` (the years' first and last
    days).
    """
    cached = _load_queries.get(years)
    if cached is not None:
        return cached
    # The (sides_key, date) index: only this party set's agreements are read.
    party = [Agreement.sides_key == bindparam("sides")]
    spans = [Agreement.date.is_(None)] + [
        Agreement.date.between(bindparam(f"first{i}"), bindparam(f"last{i}")) for i in range(years)
    ]
    branches = [select(Agreement.id).where(span, *party) for span in spans]
    query = records_in(Agreement, branches, Agreement.parties, Agreement.sources)
    _load_queries[years] = query
    return query
