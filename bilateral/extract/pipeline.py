"""Run the components over one article and build the frozen records."""

from __future__ import annotations

import datetime as dt
import re
from typing import cast

from bilateral.extract.agreements import AgreementCandidate, find_agreements
from bilateral.extract.coref import resolve_mentions
from bilateral.extract.countries import find_places
from bilateral.extract.document import Document, make_document
from bilateral.extract.events import Candidate, find_events, find_triggers, merge_events
from bilateral.extract.officials import Person, find_officials
from bilateral.extract.records import (
    AgreementParty,
    AgreementRecord,
    AgreementStatus,
    AgreementType,
    DatePrecision,
    Evidence,
    Extraction,
    MeetingKind,
    MeetingRecord,
    MeetingStatus,
    OfficialLookup,
    OfficialRecord,
    Participant,
    Role,
    Span,
)
from bilateral.extract.titles import find_titles


def annotate(
    text: str, date: dt.date | None, title: str | None = None, known: OfficialLookup | None = None
) -> Document:
    """Return the annotated document (places, titles, persons, mentions)."""
    doc = make_document(text, date, title)
    find_triggers(doc)
    find_places(doc)
    find_titles(doc)
    find_officials(doc)
    resolve_mentions(doc, known)
    return doc


def run(
    text: str, date: dt.date | None, title: str | None, known: OfficialLookup | None, version: str
) -> Extraction:
    """Extract one article."""
    doc = annotate(text, date, title, known)
    events = merge_events(doc, find_events(doc)) if doc.triggers else []
    agreements = find_agreements(doc)
    keys: dict[int, str] = {}
    officials = _officials(doc, events, keys)
    meetings = tuple(_meeting(doc, e, keys) for e in events)
    agrees = tuple(_agreement(doc, a, keys) for a in agreements)
    return Extraction(officials, meetings, agrees, version)


def _participates(events: list[Candidate]) -> set[int]:
    return {s.pid for e in events for s in e.sides if s.pid is not None}


def _officials(doc: Document, events: list[Candidate], keys: dict[int, str]) -> tuple[OfficialRecord, ...]:
    active = _participates(events)
    out: list[OfficialRecord] = []
    for p in doc.persons:
        if not _is_official(p, p.pid in active):
            continue
        key = f"o{len(out) + 1}"
        keys[p.pid] = key
        spans = tuple(Span(m.start, m.end, m.text) for m in doc.person_mentions if m.pid == p.pid)
        conf = 0.9 if p.title and not p.country_guessed else 0.75 if p.title else 0.6
        out.append(
            OfficialRecord(key, p.name, p.country, p.title, p.org, tuple(sorted(p.aliases)), spans, conf)
        )
    return tuple(out)


def _is_official(p: Person, active: bool) -> bool:
    if (p.country is None and p.org is None) or p.nonstate:
        return False
    if p.title is not None:
        return not (p.title_weak and p.country is None)
    return p.explicit or active or p.known


def _evidence(doc: Document, start: int, end: int) -> Evidence:
    return Evidence(doc.text[start:end], start, end)


def _role(doc: Document, e: Candidate, pid: int | None, country: str | None, first: bool) -> str:
    if e.kind == "visit":
        return "visitor"
    if e.kind == "call":
        return "caller" if first else "participant"
    if e.place_country and country == e.place_country:
        return "host"
    if e.place_country and country:
        return "guest"
    return "participant"


def _meeting(doc: Document, e: Candidate, keys: dict[int, str]) -> MeetingRecord:
    parts = []
    for i, s in enumerate(e.sides):
        person = doc.persons[s.pid] if s.pid is not None else None
        parts.append(
            Participant(
                keys.get(s.pid) if s.pid is not None else None,
                person.name if person else None,
                person.country if person else s.country,
                person.org if person else s.org,
                person.title if person else s.title,
                cast(Role, _role(doc, e, s.pid, s.country, i == 0)),
            )
        )
    precision = e.precision if e.date else "unknown"
    return MeetingRecord(
        cast(MeetingKind, e.kind),
        cast(MeetingStatus, e.status),
        e.date,
        cast(DatePrecision, precision),
        e.place,
        e.place_country,
        tuple(parts),
        _evidence(doc, e.sentence.start, e.sentence.end),
        round(e.confidence, 2),
    )


def _agreement(doc: Document, a: AgreementCandidate, keys: dict[int, str]) -> AgreementRecord:
    parties = tuple(
        AgreementParty(
            c, o, keys.get(a.signatories[c or o or ""]) if (c or o or "") in a.signatories else None
        )
        for c, o in a.parties
    )
    precision = a.precision if a.date else "unknown"
    title = re.sub(r"\s+", " ", a.title)
    return AgreementRecord(
        title,
        cast(AgreementType, a.type),
        cast(AgreementStatus, a.status),
        a.date,
        cast(DatePrecision, precision),
        a.place,
        a.place_country,
        parties,
        _evidence(doc, a.sentence.start, a.sentence.end),
        round(a.confidence, 2),
    )
