"""Builders of hand-made articles and extractions for the resolution tests (no extractor involved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from bilateral.extract.records import (
    AgreementParty,
    AgreementRecord,
    Evidence,
    Extraction,
    MeetingRecord,
    OfficialRecord,
    Participant,
)
from bilateral.sources.article import Article


class Records:
    """Make articles and extraction records; evidence is a stretch of the article's own text."""

    version = "test-1"

    @staticmethod
    def article(
        text: str, date: str | None = "2023-02-03", ref: str = "a.txt", url: str | None = None
    ) -> Article:
        """Return an article with this text and date."""
        return Article(text=text, date=dt.date.fromisoformat(date) if date else None, ref=ref, url=url)

    @staticmethod
    def official(
        key: str,
        name: str,
        country: str | None,
        title: str | None = None,
        *,
        org: str | None = None,
        aliases: Sequence[str] = (),
    ) -> OfficialRecord:
        """Return an official record."""
        return OfficialRecord(
            key=key, name=name, country=country, title=title, org=org, aliases=tuple(aliases)
        )

    @staticmethod
    def side(
        official: str | None = None,
        country: str | None = None,
        title: str | None = None,
        role: str = "participant",
        org: str | None = None,
    ) -> Participant:
        """Return a meeting participant (a named official by key, or an unnamed country side)."""
        return Participant(official=official, name=None, country=country, org=org, title=title, role=role)  # type: ignore[arg-type]

    @staticmethod
    def evidence(text: str, sentence: str | None = None) -> Evidence:
        """Return evidence pointing at `sentence` inside `text` (the whole text by default)."""
        sentence = sentence or text
        start = text.index(sentence)
        return Evidence(text=sentence, start=start, end=start + len(sentence))

    @classmethod
    def meeting(
        cls,
        text: str,
        participants: Sequence[Participant],
        date: str | None,
        *,
        kind: str = "meeting",
        status: str = "occurred",
        place: str | None = None,
        place_country: str | None = None,
        sentence: str | None = None,
    ) -> MeetingRecord:
        """Return a meeting record; the precision follows the shape of the ISO date."""
        precision = {4: "year", 7: "month", 10: "day"}.get(len(date or ""), "unknown")
        return MeetingRecord(
            kind=kind,  # type: ignore[arg-type]
            status=status,  # type: ignore[arg-type]
            date=date,
            date_precision=precision,  # type: ignore[arg-type]
            place=place,
            place_country=place_country,
            participants=tuple(participants),
            evidence=cls.evidence(text, sentence),
            confidence=0.9,
        )

    @classmethod
    def agreement(
        cls,
        text: str,
        title: str,
        parties: Sequence[str],
        date: str | None,
        *,
        type_: str = "agreement",
        status: str = "signed",
        signatories: dict[str, str] | None = None,
    ) -> AgreementRecord:
        """Return an agreement record between these countries (ISO3 codes)."""
        precision = {4: "year", 7: "month", 10: "day"}.get(len(date or ""), "unknown")
        signatories = signatories or {}
        return AgreementRecord(
            title=title,
            type=type_,  # type: ignore[arg-type]
            status=status,  # type: ignore[arg-type]
            date=date,
            date_precision=precision,  # type: ignore[arg-type]
            place=None,
            place_country=None,
            parties=tuple(AgreementParty(country=c, org=None, signatory=signatories.get(c)) for c in parties),
            evidence=cls.evidence(text),
            confidence=0.8,
        )

    @classmethod
    def extraction(
        cls,
        officials: Sequence[OfficialRecord] = (),
        meetings: Sequence[MeetingRecord] = (),
        agreements: Sequence[AgreementRecord] = (),
    ) -> Extraction:
        """Return an extraction of these records."""
        return Extraction(tuple(officials), tuple(meetings), tuple(agreements), cls.version)


@pytest.fixture
def rec() -> type[Records]:
    """Return the record builders."""
    return Records
