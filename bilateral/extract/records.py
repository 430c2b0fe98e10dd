"""Frozen record types that extraction returns and the store consumes.

This module is the contract between `bilateral.extract` (which fills these records from text)
and `bilateral.store` (which resolves them into the archive). It imports nothing else from the
package. Offsets are 0-based code-point offsets into the article text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

MeetingKind = Literal["meeting", "call", "visit"]
MeetingStatus = Literal["occurred", "planned"]
DatePrecision = Literal["day", "month", "year", "unknown"]
Role = Literal["host", "guest", "visitor", "caller", "participant"]
AgreementType = Literal[
    "agreement", "memorandum", "treaty", "accord", "contract", "declaration", "plan", "other"
]
AgreementStatus = Literal["signed", "reached", "planned", "discussed", "implemented"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: `text == article_text[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence (or sentences) that prove a record, with its offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class OfficialRecord:
    """A person the article presents as holding a state post (or an organisation post)."""

    key: str
    """Identifier local to one extraction ("o1", "o2", ...); participants refer to it."""
    name: str
    """The most complete form of the name the article gives ("Yvan Gil Pinto")."""
    country: str | None
    """ISO3 (or an ISO 3166-3 code for a historical state); None for an organisation post."""
    title: str | None
    """Canonical title ("Foreign Minister", "President"); None when the article gives none."""
    org: str | None = None
    """Organisation code ("UN", "EU") when the post belongs to an international organisation."""
    aliases: tuple[str, ...] = ()
    """Other forms of the name met in the article ("Gil Pinto", "Amir-Abdollahian")."""
    mentions: tuple[Span, ...] = ()
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Participant:
    """One side of a meeting: a named official, or an unnamed country or organisation side."""

    official: str | None
    """`OfficialRecord.key` of the person, or None for an unnamed side."""
    name: str | None
    country: str | None
    org: str | None
    title: str | None
    role: Role = "participant"


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """A meeting, a phone or video call, or a visit: one record per real event."""

    kind: MeetingKind
    status: MeetingStatus
    date: str | None
    """ISO date: "2023-02-03" (day), "2023-02" (month), "2023" (year) or None."""
    date_precision: DatePrecision
    place: str | None
    place_country: str | None
    participants: tuple[Participant, ...]
    evidence: Evidence
    confidence: float

    @property
    def countries(self) -> tuple[str, ...]:
        """The participants' country codes, sorted and unique."""
        return tuple(sorted({p.country for p in self.participants if p.country}))


@dataclass(frozen=True, slots=True)
class AgreementParty:
    """A party to an agreement: a country or an organisation, with its signatory when named."""

    country: str | None
    org: str | None
    signatory: str | None = None
    """`OfficialRecord.key` of the person who signed for this party, when named."""


@dataclass(frozen=True, slots=True)
class AgreementRecord:
    """An agreement, memorandum, treaty, accord, contract, declaration or plan between parties."""

    title: str
    type: AgreementType
    status: AgreementStatus
    date: str | None
    date_precision: DatePrecision
    place: str | None
    place_country: str | None
    parties: tuple[AgreementParty, ...]
    evidence: Evidence
    confidence: float


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article."""

    officials: tuple[OfficialRecord, ...]
    meetings: tuple[MeetingRecord, ...]
    agreements: tuple[AgreementRecord, ...]
    extractor_version: str

    def official(self, key: str) -> OfficialRecord:
        """Return the official with this local key."""
        for o in self.officials:
            if o.key == key:
                return o
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class KnownOfficial:
    """An official the archive already knows, offered to extraction as a lookup."""

    name: str
    country: str | None
    title: str | None = None
    org: str | None = None
    last_seen: dt.date | None = None
    aliases: tuple[str, ...] = field(default=())


class OfficialLookup(Protocol):
    """Officials known before this article: candidates for a name as the text writes it."""

    def candidates(self, name: str, when: dt.date | None) -> Sequence[KnownOfficial]:
        """Return known officials this name (full or surname only) may refer to around `when`."""
        ...
