"""Merge an article's meetings, calls and visits into the archive's, whatever the order of arrival.

Each `meeting_sources` row keeps, as JSON, what its article says of the meeting (an *observation*). A
meeting group (same kind, same sides) is re-derived from all its observations in the affected years by
`merging.greedy_groups`, and the result is written back keeping the ids of the meetings found again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, bindparam, or_, select
from sqlalchemy.orm import Session

from bilateral.extract.records import Extraction, MeetingRecord
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
from bilateral.store.models import Article, Meeting, MeetingParticipant, MeetingSource

Part = tuple[str, int | None, str | None, str]
"""One participant as an article gives it: side ("c:IRN" / "g:UN"), official id or None, title, role."""

GroupKey = tuple[str, tuple[str, ...]]
"""A meeting group: kind and the sorted sides."""


def side_of(country: str | None, org: str | None) -> str | None:
    """Return the side code of a country ("c:IRN") or organisation ("g:UN")."""
    if country:
        return f"c:{country}"
    if org:
        return f"g:{org}"
    return None


def pair_lock_key(sides: Iterable[str]) -> str:
    """Return the lock key that serialises writers on one set of countries and organisations."""
    return "sides:" + "|".join(sorted(set(sides)))


@dataclass
class MeetingObservation:
    """What one article says of one meeting."""

    article_id: int
    kind: str
    status: str
    date: str | None
    place: str | None
    place_country: str | None
    parts: tuple[Part, ...]
    evidence: str
    start: int
    end: int
    confidence: float
    meeting_id: int | None = None
    """The meeting this observation belonged to before the merge (None for a new one)."""
    hint: int | None = None
    """On re-extraction: the meeting the article's earlier observation of this event belonged to."""

    @property
    def sides(self) -> tuple[str, ...]:
        """Return the sorted sides (countries and organisations) taking part."""
        return tuple(sorted({p[0] for p in self.parts}))

    @property
    def group(self) -> GroupKey:
        """Return the group the observation merges within."""
        return (self.kind, self.sides)

    def named(self) -> dict[str, frozenset[int]]:
        """Return the named officials per side (an empty set for an unnamed side)."""
        named: dict[str, set[int]] = {side: set() for side in self.sides}
        for side, official, _, _ in self.parts:
            if official is not None:
                named[side].add(official)
        return {side: frozenset(ids) for side, ids in named.items()}

    def to_json(self) -> dict[str, Any]:
        """Return the observation as stored in `meeting_sources.observation`."""
        return {
            "kind": self.kind,
            "status": self.status,
            "date": self.date,
            "place": self.place,
            "place_country": self.place_country,
            "parts": [list(p) for p in self.parts],
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "confidence": self.confidence,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], article_id: int, meeting_id: int) -> MeetingObservation:
        """Rebuild a stored observation."""
        return cls(
            article_id=article_id,
            kind=data["kind"],
            status=data["status"],
            date=data["date"],
            place=data["place"],
            place_country=data["place_country"],
            parts=tuple((p[0], p[1], p[2], p[3]) for p in data["parts"]),
            evidence=data["evidence"],
            start=data["start"],
            end=data["end"],
            confidence=data["confidence"],
            meeting_id=meeting_id,
        )


def observations_from_extraction(
    extraction: Extraction,
    article_id: int,
    official_ids: Mapping[str, int],
    valid_codes: Mapping[str, frozenset[str]],
) -> list[MeetingObservation]:
    """Turn an extraction's meeting records into observations with archive official ids."""
    observations = []
    for record in extraction.meetings:
        observation = _observation(record, extraction, article_id, official_ids, valid_codes)
        if observation is not None:
            observations.append(observation)
    return observations


def _observation(
    record: MeetingRecord,
    extraction: Extraction,
    article_id: int,
    official_ids: Mapping[str, int],
    valid_codes: Mapping[str, frozenset[str]],
) -> MeetingObservation | None:
    """Return the observation of one meeting record, or None when it names no side the archive knows."""
    parts: dict[tuple[str, int | None], Part] = {}
    for participant in record.participants:
        official = None
        country, org, title = participant.country, participant.org, participant.title
        if participant.official is not None:
            try:
                known = extraction.official(participant.official)
            except KeyError:
                known = None
            if known is not None:
                official = official_ids.get(known.key)
                country = country or known.country
                org = org or known.org
                title = title or known.title
        if country and country not in valid_codes["countries"]:
            country = None
        if org and org not in valid_codes["orgs"]:
            org = None
        side = side_of(country, None if country else org)
        if side is None:
            continue
        key = (side, official)
        candidate: Part = (side, official, title, participant.role)
        if key not in parts or _part_order(candidate) < _part_order(parts[key]):
            parts[key] = candidate
    if not parts:
        return None
    place_country = record.place_country if record.place_country in valid_codes["countries"] else None
    return MeetingObservation(
        article_id=article_id,
        kind=record.kind,
        status=record.status,
        date=clean_date(record.date, record.date_precision),
        place=record.place,
        place_country=place_country,
        parts=tuple(sorted(parts.values(), key=_part_order)),
        evidence=record.evidence.text,
        start=record.evidence.start,
        end=record.evidence.end,
        confidence=min(max(float(record.confidence), 0.0), 1.0),
    )


def _part_order(part: Part) -> tuple[str, int, str, str]:
    """Sort key of a participant within one observation."""
    return (part[0], part[1] if part[1] is not None else -1, part[2] or "", part[3])


@dataclass
class Scope:
    """Which meetings new observations may merge with: whole years, and months (with their coarse reports)."""

    years: set[int] = field(default_factory=set)
    months: set[tuple[int, int]] = field(default_factory=set)

    def add(self, date: str | None, article_date: dt.date | None) -> None:
        """Widen the scope for one observation's date (or its article's year when undated)."""
        if date and len(date) >= 7:
            self.months.add((int(date[:4]), int(date[5:7])))
        elif date:
            self.years.add(int(date[:4]))
        elif article_date is not None:
            self.years.add(article_date.year)

    def __or__(self, other: Scope) -> Scope:
        return Scope(self.years | other.years, self.months | other.months)


@dataclass
class _Group:
    """The state of one meeting while observations join it."""

    date: str | None
    named: dict[str, frozenset[int]]
    founder: tuple[Any, ...]
    place_country: str | None = None


@dataclass
class MergeOutcome:
    """What merging changed: records added and merged, and every meeting id touched (for aggregates)."""

    added: int = 0
    merged: int = 0
    touched: set[int] = field(default_factory=set)


class MeetingMerger:
    """Re-derive the meeting groups an article touches and write them back."""

    def __init__(self, session: Session, keys: ArchiveKeys) -> None:
        self.session = session
        self.keys = keys

    # --- ordering -----------------------------------------------------------------------------------------

    def _article_year(self, observation: MeetingObservation) -> str | None:
        """Return the year of the observation's article, if dated."""
        date = self.keys.article(observation.article_id)[1]
        return f"{date.year:04d}" if date else None

    def sort_key(self, o: MeetingObservation) -> tuple[Any, ...]:
        """Order observations: finest date, most named sides, then by value only."""
        named = o.named()
        named_value = tuple(
            (side, tuple(sorted(self.keys.official(i) for i in ids))) for side, ids in sorted(named.items())
        )
        parts_value = tuple(
            sorted(
                (side, self.keys.official(i) if i is not None else "", title or "", role)
                for side, i, title, role in o.parts
            )
        )
        return (
            -PRECISION_RANK[precision_of(o.date)],
            -sum(1 for ids in named.values() if ids),
            o.date or "",
            named_value,
            self.keys.article(o.article_id)[0],
            o.start,
            o.end,
            o.status,
            o.place or "",
            o.place_country or "",
            parts_value,
            o.evidence,
        )

    def _fits(self, group: _Group, o: MeetingObservation) -> bool:
        """Tell whether an observation may be the same meeting as a group."""
        if o.date is None:
            year = self._article_year(o)
            if year is None:
                if group.date is not None:
                    return False
            elif group.date is not None and group.date[:4] != year:
                return False
        elif not dates_compatible(group.date, o.date):
            return False
        if o.place_country and group.place_country and o.place_country != group.place_country:
            return False
        for side, ids in o.named().items():
            held = group.named.get(side, frozenset())
            if ids and held and ids != held:
                return False
        return True

    def _preference(self, group: _Group, o: MeetingObservation) -> tuple[Any, ...]:
        """Rank the groups an observation fits: same date, most named officials shared, then by value."""
        shared = sum(1 for side, ids in o.named().items() if ids and ids == group.named.get(side))
        return (0 if group.date == o.date else 1, -shared, group.founder)

    def _start(self, o: MeetingObservation) -> _Group:
        return _Group(
            date=o.date, named=dict(o.named()), founder=self.sort_key(o), place_country=o.place_country
        )

    @staticmethod
    def _join(group: _Group, o: MeetingObservation) -> None:
        group.date = finer_date(group.date, o.date)
        group.place_country = group.place_country or o.place_country
        for side, ids in o.named().items():
            if ids and not group.named.get(side):
                group.named[side] = ids

    # --- loading ------------------------------------------------------------------------------------------

    def load(self, key: GroupKey, scope: Scope) -> list[Meeting]:
        """Load the meetings of a group that observations in this scope can merge with, and undated ones.

        A month in scope loads the meetings dated in it, plus the meetings of its year that hold an
        observation dated only to the year or undated (those may move to a new meeting of that month);
        a year in scope loads its every meeting.
        """
        kind, sides = key
        params: dict[str, Any] = {"kind": kind, "sides": sides_key(sides)}
        spans = [(dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in sorted(scope.years)]
        for year, month in sorted(scope.months):
            if year not in scope.years:
                bounds = date_bounds(f"{year:04d}-{month:02d}")
                assert bounds is not None
                spans.append(bounds)
        for i, (first, last) in enumerate(spans):
            params[f"first{i}"], params[f"last{i}"] = first, last
        coarse_years = sorted({y for y, _ in scope.months} - scope.years)
        for j, year in enumerate(coarse_years):
            params[f"year_first{j}"], params[f"year_last{j}"] = dt.date(year, 1, 1), dt.date(year, 12, 31)
            params[f"pattern{j}"] = f'%"date": "{year:04d}",%'
        query = _load_query(len(spans), len(coarse_years))
        return [m for m in self.session.scalars(query, params) if meeting_sides(m) == sides]

    # --- merging ------------------------------------------------------------------------------------------

    def merge(
        self,
        key: GroupKey,
        new: Sequence[MeetingObservation],
        meetings: Sequence[Meeting],
        dropped_article: int | None = None,
    ) -> MergeOutcome:
        """Regroup the loaded meetings' observations with the new ones and write the result."""
        outcome = MergeOutcome()
        existing: list[MeetingObservation] = []
        earlier: list[MeetingObservation] = []
        for meeting in meetings:
            for source in meeting.sources:
                for o in stored_observations(meeting, source):
                    (earlier if source.article_id == dropped_article else existing).append(o)
        self.keys.load_articles(o.article_id for o in [*existing, *new])
        self.keys.load_officials(p[1] for o in [*existing, *new] for p in o.parts if p[1] is not None)
        for o in new:
            o.hint = self._hint(o, earlier)
        groups = greedy_groups(
            [*existing, *new], self.sort_key, self._start, self._fits, self._preference, self._join
        )
        votes = []
        for _, members in groups:
            counts: dict[int, int] = defaultdict(int)
            for o in members:
                held = o.meeting_id if o.meeting_id is not None else o.hint
                if held is not None:
                    counts[held] += 1
            votes.append(dict(counts))
        ids = assign_ids(votes)
        by_id = {m.id: m for m in meetings}
        kept: set[int] = set()
        written: list[Meeting] = []
        for (group, members), meeting_id in zip(groups, ids, strict=True):
            had_old = any(o.meeting_id is not None for o in members)
            has_new = any(o.meeting_id is None for o in members)
            if has_new:
                if had_old:
                    outcome.merged += 1
                else:
                    outcome.added += 1
            if meeting_id is None:
                meeting = Meeting(kind=key[0])
                self.session.add(meeting)
            else:
                meeting = by_id[meeting_id]
                kept.add(meeting.id)
            self._write(meeting, key, group, members)
            written.append(meeting)
        for meeting in meetings:
            if meeting.id not in kept:
                outcome.touched.add(meeting.id)
                self.session.delete(meeting)
        self.session.flush()
        outcome.touched.update(m.id for m in written)
        return outcome

    def _hint(self, o: MeetingObservation, earlier: Sequence[MeetingObservation]) -> int | None:
        """Return the meeting the article's earlier observation of the same event belonged to."""
        fitting = [
            e
            for e in earlier
            if e.group == o.group and dates_compatible(e.date, o.date) and self._fits(self._start(e), o)
        ]
        if not fitting:
            return None
        best = min(
            fitting, key=lambda e: (0 if e.date == o.date else 1, abs(e.start - o.start), e.meeting_id)
        )
        return best.meeting_id

    def _write(
        self, meeting: Meeting, key: GroupKey, group: _Group, members: Sequence[MeetingObservation]
    ) -> None:
        """Set a meeting's fields, participants and sources from its observations."""
        meeting.kind = key[0]
        meeting.sides_key = sides_key(key[1])
        meeting.status = "occurred" if any(o.status == "occurred" for o in members) else "planned"
        meeting.date_precision = precision_of(group.date)
        bounds = date_bounds(group.date)
        meeting.date = bounds[0] if bounds else None
        meeting.place, meeting.place_country = best_place((o.place, o.place_country) for o in members)
        meeting.confidence = max(o.confidence for o in members)
        first = min(members, key=lambda o: self.keys.article(o.article_id)[0])
        meeting.first_source_id = first.article_id
        self._write_participants(meeting, group, members)
        self._write_sources(meeting, members)

    def _write_participants(
        self, meeting: Meeting, group: _Group, members: Sequence[MeetingObservation]
    ) -> None:
        """Make the meeting's participant rows those its observations agree on."""
        wanted: dict[str, MeetingParticipant] = {}
        for side, ids in sorted(group.named.items()):
            code = side[2:]
            country = code if side.startswith("c:") else None
            org = None if country else code
            if ids:
                for official in sorted(ids, key=lambda i: self.keys.official(i)):
                    mine = [p for o in members for p in o.parts if p[1] == official]
                    wanted[f"o:{official}"] = MeetingParticipant(
                        official_id=official,
                        country=country,
                        org=org,
                        title=most_common(p[2] for p in mine),
                        role=most_common(p[3] for p in mine if p[3] != "participant") or "participant",
                        participant_key=f"o:{official}",
                    )
            else:
                mine = [p for o in members for p in o.parts if p[0] == side and p[1] is None]
                wanted[side] = MeetingParticipant(
                    official_id=None,
                    country=country,
                    org=org,
                    title=most_common(p[2] for p in mine),
                    role=most_common(p[3] for p in mine if p[3] != "participant") or "participant",
                    participant_key=side,
                )
        current = {p.participant_key: p for p in meeting.participants}
        for key, row in current.items():
            if key not in wanted:
                meeting.participants.remove(row)
        for key, row in wanted.items():
            if key in current:
                held = current[key]
                held.official_id, held.country, held.org = row.official_id, row.country, row.org
                held.title, held.role = row.title, row.role
            else:
                meeting.participants.append(row)

    def _write_sources(self, meeting: Meeting, members: Sequence[MeetingObservation]) -> None:
        """Make the meeting's source rows one per article, keeping each article's observations."""
        per_article: dict[int, list[MeetingObservation]] = defaultdict(list)
        for o in members:
            per_article[o.article_id].append(o)
        current = {s.article_id: s for s in meeting.sources}
        for article_id, row in current.items():
            if article_id not in per_article:
                meeting.sources.remove(row)
        for article_id, items in per_article.items():
            items.sort(key=lambda o: (o.start, o.end, o.evidence))
            first = items[0]
            observation = json.dumps([o.to_json() for o in items], sort_keys=True, ensure_ascii=False)
            if article_id in current:
                row = current[article_id]
            else:
                row = MeetingSource(article_id=article_id)
                meeting.sources.append(row)
            row.evidence, row.start_offset, row.end_offset = first.evidence, first.start, first.end
            row.observation = observation


def sides_key(sides: Sequence[str]) -> str:
    """Return the stored key of a record's sorted sides ("c:IRN|c:VEN")."""
    return "|".join(sides)


def meeting_sides(meeting: Meeting) -> tuple[str, ...]:
    """Return a stored meeting's sorted sides."""
    sides = {side_of(p.country, p.org) for p in meeting.participants}
    return tuple(sorted(s for s in sides if s))


def stored_observations(meeting: Meeting, source: MeetingSource) -> list[MeetingObservation]:
    """Return the observations a source row holds (rebuilt from the meeting for rows without them)."""
    if source.observation:
        return [
            MeetingObservation.from_json(d, source.article_id, meeting.id)
            for d in json.loads(source.observation)
        ]
    parts = tuple(
        sorted(
            (
                (side_of(p.country, p.org) or "", p.official_id, p.title, p.role)
                for p in meeting.participants
                if side_of(p.country, p.org)
            ),
            key=_part_order,
        )
    )
    return [
        MeetingObservation(
            article_id=source.article_id,
            kind=meeting.kind,
            status=meeting.status,
            date=date_string(meeting.date, meeting.date_precision),
            place=meeting.place,
            place_country=meeting.place_country,
            parts=parts,
            evidence=source.evidence,
            start=source.start_offset,
            end=source.end_offset,
            confidence=meeting.confidence,
            meeting_id=meeting.id,
        )
    ]


_load_queries: dict[tuple[int, int], Any] = {}


def _load_query(spans: int, coarse_years: int) -> Any:
    """Return the (cached) query of MeetingMerger.load for one shape: its date spans and coarse years.

    Values are bind parameters (`kind`, `sides`, `first<i>`/`last<i>`, `year_first<j>`/`year_last<j>`,
    `pattern<j>`), so one statement per shape is built and compiled once per process.
    """
    shape = (spans, coarse_years)
    cached = _load_queries.get(shape)
    if cached is not None:
        return cached
    # The (kind, sides_key, date) index: only this group's meetings are read.
    takes_part = [Meeting.sides_key == bindparam("sides")]
    ranges: list[ColumnElement[bool]] = [Meeting.date.is_(None)]
    ranges += [Meeting.date.between(bindparam(f"first{i}"), bindparam(f"last{i}")) for i in range(spans)]
    # Each branch is one range of the (kind, date) index, so no branch reads the whole table.
    branches = [
        select(Meeting.id).where(Meeting.kind == bindparam("kind"), span, *takes_part) for span in ranges
    ]
    for j in range(coarse_years):
        in_year = Article.date.between(bindparam(f"year_first{j}"), bindparam(f"year_last{j}"))
        coarse = (
            select(MeetingSource.id)
            .where(MeetingSource.meeting_id == Meeting.id)
            .where(
                or_(
                    MeetingSource.observation.like(bindparam(f"pattern{j}")),
                    MeetingSource.observation.like('%"date": null,%')
                    & MeetingSource.article_id.in_(select(Article.id).where(in_year)),
                )
            )
            .exists()
        )
        branches.append(
            select(Meeting.id).where(
                Meeting.kind == bindparam("kind"),
                Meeting.date.between(bindparam(f"year_first{j}"), bindparam(f"year_last{j}")),
                *takes_part,
                coarse,
            )
        )
    query = records_in(Meeting, branches, Meeting.participants, Meeting.sources)
    _load_queries[shape] = query
    return query
