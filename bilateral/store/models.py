"""The archive's tables as typed SQLAlchemy models (the schema itself is built only by migrations).

Schema summary:

- `countries` (PK `iso3`; `iso2`, `name`, `cow`, `gw`): current states plus historical ones under their
  ISO 3166-3 codes (`SUN`, `YUG`, `SCG`, `CSK`, `DDR`) and `XKX`. `organizations` (PK `code`: `UN`, `EU`, ...;
  `name`).
- `articles` (`id`; `sha256` of normalised text + date, unique; `date`, `title`, `url`, `source`, `ref`,
  `text`, `words`, `extractor_version`, `ingested_at`) + `article_urls` (`article_id`, `url`; unique pair).
- `officials` (`id`, `name`, `name_key` (normalised), `country` FK or NULL, `org` FK or NULL, `country_key`,
  `first_seen`, `last_seen`; unique (`name_key`, `country_key`)) + `official_aliases` (`official_id`,
  `alias`, `alias_key`; unique per official and key) + `positions` (`official_id`, `country`, `org`,
  `country_key`, `title`, `first_seen`, `last_seen`; unique (`official_id`, `country_key`, `title`)).
  `country_key` is the ISO3 code, else the organisation code, else ''.
- `meetings` (`id`, `kind` meeting|call|visit, `status` occurred|planned, `date` + `date_precision`
  day|month|year|unknown, `place`, `place_country` FK, `confidence` 0-1, `first_source_id` FK articles,
  `sides_key` its sorted sides "c:IRN|c:VEN", indexed with kind and date).
  A month-precision date stores the month's first day, a year-precision date 1 January; unknown is NULL.
  + `meeting_participants` (`meeting_id`, `official_id`, `country`, `org`, `title`, `role`
  host|guest|visitor|caller|participant, `participant_key`; unique (`meeting_id`, `participant_key`))
  + `meeting_sources` (`meeting_id`, `article_id`, `evidence`, `start_offset`, `end_offset`, `observation`
  JSON of what that article says of the meeting, so merges can be recomputed; unique (`meeting_id`,
  `article_id`)).
- `agreements` (`id`, `title`, `type`, `status`, `date` + `date_precision`, `place`, `place_country`,
  `confidence`, `first_source_id`, `sides_key` as for meetings) + `agreement_parties` (`agreement_id`,
  `country`, `org`, `signatory_id` FK officials, `party_key`; unique (`agreement_id`, `party_key`))
  + `agreement_sources` (as meeting sources).

Keys: `participant_key` is "o:<official_id>" for a named official, else "c:<ISO3>", else "g:<org code>";
`party_key` is "c:<ISO3>" or "g:<org code>". Natural keys are NOT NULL columns because SQLite and PostgreSQL
both treat NULLs as distinct in unique constraints. Children go with their parent (ON DELETE CASCADE); a
deleted article leaves `first_source_id` NULL. Constraint names follow `NAMING_CONVENTION`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MEETING_KINDS = ("meeting", "call", "visit")
MEETING_STATUSES = ("occurred", "planned")
DATE_PRECISIONS = ("day", "month", "year", "unknown")
ROLES = ("host", "guest", "visitor", "caller", "participant")
AGREEMENT_TYPES = ("agreement", "memorandum", "treaty", "accord", "contract", "declaration", "plan", "other")
AGREEMENT_STATUSES = ("signed", "reached", "planned", "discussed", "implemented")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """Return a CHECK expression that keeps `column` within `values`."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _confidence_check() -> CheckConstraint:
    """Return a CHECK that keeps confidence within 0–1."""
    return CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence")


def _date_check() -> CheckConstraint:
    """Return a CHECK that ties a NULL date to precision 'unknown' and a dated record to another precision."""
    return CheckConstraint(
        "(date IS NULL AND date_precision = 'unknown') OR (date IS NOT NULL AND date_precision <> 'unknown')",
        name="date_precision_matches",
    )


def _offsets_check() -> CheckConstraint:
    """Return a CHECK that keeps evidence offsets ordered and non-negative."""
    return CheckConstraint("start_offset >= 0 AND end_offset >= start_offset", name="offsets")


class Base(DeclarativeBase):
    """Declarative base whose metadata names every constraint and index."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Country(Base):
    """A state, current or historical, with its ISO, COW and Gleditsch-Ward codes."""

    __tablename__ = "countries"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str | None] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    cow: Mapped[int | None] = mapped_column(Integer)
    gw: Mapped[int | None] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"Country({self.iso3!r}, {self.name!r})"


class Organization(Base):
    """An international organisation news names as a party or a participant."""

    __tablename__ = "organizations"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"Organization({self.code!r}, {self.name!r})"


class Article(Base):
    """A stored news article; its identity is the hash of its normalised text and date."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))
    ref: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[int] = mapped_column(Integer, default=0)
    extractor_version: Mapped[str | None] = mapped_column(String(40))
    ingested_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC)
    )

    urls: Mapped[list[ArticleUrl]] = relationship(back_populates="article", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, date={self.date!r}, ref={self.ref!r})"


class ArticleUrl(Base):
    """A URL at which an article was found (the same text may be met at several)."""

    __tablename__ = "article_urls"
    __table_args__ = (UniqueConstraint("article_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text, index=True)

    article: Mapped[Article] = relationship(back_populates="urls")

    def __repr__(self) -> str:
        return f"ArticleUrl(article_id={self.article_id!r}, url={self.url!r})"


class Official(Base):
    """A person holding (or having held) a state or organisation post, once per name key and country."""

    __tablename__ = "officials"
    __table_args__ = (UniqueConstraint("name_key", "country_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"), index=True)
    org: Mapped[str | None] = mapped_column(ForeignKey("organizations.code"))
    country_key: Mapped[str] = mapped_column(String(16))
    """The ISO3 code, else the organisation code, else '' — never NULL, so the unique key holds."""
    first_seen: Mapped[dt.date | None] = mapped_column(Date)
    last_seen: Mapped[dt.date | None] = mapped_column(Date)

    aliases: Mapped[list[OfficialAlias]] = relationship(
        back_populates="official", cascade="all, delete-orphan"
    )
    positions: Mapped[list[Position]] = relationship(back_populates="official", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"Official(id={self.id!r}, name={self.name!r}, country_key={self.country_key!r})"


class OfficialAlias(Base):
    """Another form of an official's name met in the news ("Gil Pinto")."""

    __tablename__ = "official_aliases"
    __table_args__ = (UniqueConstraint("official_id", "alias_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    alias_key: Mapped[str] = mapped_column(String(300), index=True)

    official: Mapped[Official] = relationship(back_populates="aliases")

    def __repr__(self) -> str:
        return f"OfficialAlias(official_id={self.official_id!r}, alias={self.alias!r})"


class Position(Base):
    """A post an official held for a country (or organisation), with the dates the news attests it."""

    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("official_id", "country_key", "title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id", ondelete="CASCADE"))
    country: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"), index=True)
    org: Mapped[str | None] = mapped_column(ForeignKey("organizations.code"))
    country_key: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    first_seen: Mapped[dt.date | None] = mapped_column(Date)
    last_seen: Mapped[dt.date | None] = mapped_column(Date)

    official: Mapped[Official] = relationship(back_populates="positions")

    def __repr__(self) -> str:
        return f"Position({self.official_id!r}, {self.country_key!r}, {self.title!r})"


class Meeting(Base):
    """One real meeting, phone call or visit, however many articles report it."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(_one_of("kind", MEETING_KINDS), name="kind"),
        CheckConstraint(_one_of("status", MEETING_STATUSES), name="status"),
        CheckConstraint(_one_of("date_precision", DATE_PRECISIONS), name="date_precision"),
        _date_check(),
        _confidence_check(),
        Index("ix_meetings_kind_date", "kind", "date"),
        Index("ix_meetings_kind_sides_key_date", "kind", "sides_key", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    """The event's date; month precision stores the month's first day, year precision 1 January."""
    date_precision: Mapped[str] = mapped_column(String(16), default="unknown")
    place: Mapped[str | None] = mapped_column(String(300))
    place_country: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"), index=True)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    first_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    """The earliest article reporting it (by article date, then ref)."""
    sides_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Its sorted sides ("c:IRN|c:VEN"), kept with the participants: how the writer finds the meetings a new
    report may be the same as, without reading every meeting of the month."""

    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    sources: Mapped[list[MeetingSource]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    first_source: Mapped[Article | None] = relationship()

    def __repr__(self) -> str:
        return f"Meeting(id={self.id!r}, kind={self.kind!r}, date={self.date!r}, status={self.status!r})"


class MeetingParticipant(Base):
    """A side of a meeting: a named official (with their country) or an unnamed country or organisation."""

    __tablename__ = "meeting_participants"
    __table_args__ = (
        UniqueConstraint("meeting_id", "participant_key"),
        Index("ix_meeting_participants_meeting_official", "meeting_id", "official_id"),
        CheckConstraint(_one_of("role", ROLES), name="role"),
        CheckConstraint(
            "official_id IS NOT NULL OR country IS NOT NULL OR org IS NOT NULL", name="has_participant"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    official_id: Mapped[int | None] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    country: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"), index=True)
    org: Mapped[str | None] = mapped_column(ForeignKey("organizations.code"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="participant")
    participant_key: Mapped[str] = mapped_column(String(40))
    """"o:<official_id>" for a named official, else "c:<ISO3>", else "g:<org code>"."""

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    official: Mapped[Official | None] = relationship()

    def __repr__(self) -> str:
        return f"MeetingParticipant(meeting_id={self.meeting_id!r}, key={self.participant_key!r})"


class MeetingSource(Base):
    """An article that reports a meeting, with the evidence sentence and its offsets."""

    __tablename__ = "meeting_sources"
    __table_args__ = (UniqueConstraint("meeting_id", "article_id"), _offsets_check())

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    evidence: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    observation: Mapped[str | None] = mapped_column(Text)
    """JSON: what this article says of the record (date, place, sides, ...), so merges can be recomputed."""

    meeting: Mapped[Meeting] = relationship(back_populates="sources")
    article: Mapped[Article] = relationship()

    def __repr__(self) -> str:
        return f"MeetingSource(meeting_id={self.meeting_id!r}, article_id={self.article_id!r})"


class Agreement(Base):
    """One real agreement (memorandum, treaty, accord, …), however many articles report it."""

    __tablename__ = "agreements"
    __table_args__ = (
        CheckConstraint(_one_of("type", AGREEMENT_TYPES), name="type"),
        CheckConstraint(_one_of("status", AGREEMENT_STATUSES), name="status"),
        CheckConstraint(_one_of("date_precision", DATE_PRECISIONS), name="date_precision"),
        _date_check(),
        _confidence_check(),
        Index("ix_agreements_sides_key_date", "sides_key", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_precision: Mapped[str] = mapped_column(String(16), default="unknown")
    place: Mapped[str | None] = mapped_column(String(300))
    place_country: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    first_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    sides_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Its sorted party keys ("c:IRN|c:VEN"), kept with the parties (see `Meeting.sides_key`)."""

    parties: Mapped[list[AgreementParty]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan"
    )
    sources: Mapped[list[AgreementSource]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan"
    )
    first_source: Mapped[Article | None] = relationship()

    def __repr__(self) -> str:
        return f"Agreement(id={self.id!r}, type={self.type!r}, title={self.title!r}, date={self.date!r})"


class AgreementParty(Base):
    """A country or organisation party to an agreement, with its signatory when named."""

    __tablename__ = "agreement_parties"
    __table_args__ = (
        UniqueConstraint("agreement_id", "party_key"),
        CheckConstraint("country IS NOT NULL OR org IS NOT NULL", name="has_party"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    country: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"), index=True)
    org: Mapped[str | None] = mapped_column(ForeignKey("organizations.code"), index=True)
    signatory_id: Mapped[int | None] = mapped_column(
        ForeignKey("officials.id", ondelete="SET NULL"), index=True
    )
    party_key: Mapped[str] = mapped_column(String(40))
    """"c:<ISO3>" for a country, "g:<org code>" for an organisation."""

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    signatory: Mapped[Official | None] = relationship()

    def __repr__(self) -> str:
        return f"AgreementParty(agreement_id={self.agreement_id!r}, key={self.party_key!r})"


class AgreementSource(Base):
    """An article that reports an agreement, with the evidence sentence and its offsets."""

    __tablename__ = "agreement_sources"
    __table_args__ = (UniqueConstraint("agreement_id", "article_id"), _offsets_check())

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    evidence: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    observation: Mapped[str | None] = mapped_column(Text)
    """JSON: what this article says of the record (date, place, sides, ...), so merges can be recomputed."""

    agreement: Mapped[Agreement] = relationship(back_populates="sources")
    article: Mapped[Article] = relationship()

    def __repr__(self) -> str:
        return f"AgreementSource(agreement_id={self.agreement_id!r}, article_id={self.article_id!r})"
