"""Store one article and everything extracted from it, resolved and merged into the archive.

The contract the ingest orchestration codes against: `find_article_by_hash`, `store_article`,
`replace_article_records` (for `bilateral reextract`) and `load_known_officials`. Every function runs
inside the caller's transaction; `store_article` works in a savepoint of its own so that a failure or a
lost race leaves nothing of the article behind.

How an article is stored, in order:

1. Locks (PostgreSQL `pg_advisory_xact_lock`, taken at once in sorted order so writers never deadlock on
   them): one per country whose officials the article names, one per set of sides of its meetings and
   agreements, and those of the meetings of officials it may absorb or link. SQLite needs none: the ingest
   session begins with BEGIN IMMEDIATE, so there is one writer.
2. Officials (`officials.py`): matched, created, aliased, their posts widened; one-word names met before the
   full name are absorbed into it.
3. Meetings and agreements (`meetings.py`, `agreements.py`): each source row keeps its article's
   observation as JSON; the records of a group (kind and sides) that the new observations can merge with
   are regrouped from all their observations by a rule that depends on values only (`merging.py`), and
   written back keeping the ids of the records found again.
4. The aggregate tables (`aggregates.refresh_events`) for every meeting and agreement touched or deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, Protocol, cast

from sqlalchemy import Table, bindparam, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bilateral.extract.records import Extraction
from bilateral.sources.article import Article as SourceArticle
from bilateral.store import aggregates
from bilateral.store.agreements import AgreementMerger, agreement_observations, agreement_sides
from bilateral.store.locks import lock_keys
from bilateral.store.meetings import (
    GroupKey,
    MeetingMerger,
    MeetingObservation,
    Scope,
    meeting_sides,
    observations_from_extraction,
    pair_lock_key,
    side_of,
    stored_observations,
)
from bilateral.store.merging import ArchiveKeys, valid_codes
from bilateral.store.models import (
    Agreement,
    AgreementParty,
    Article,
    ArticleUrl,
    Meeting,
    MeetingParticipant,
    MeetingSource,
    Official,
    OfficialAlias,
)
from bilateral.store.names import name_key
from bilateral.store.officials import (
    country_key,
    find_partials,
    load_known_officials,
    new_official_keys,
    official_lock_key,
    record_keys,
    resolve_officials,
)

__all__ = [
    "StoreResult",
    "find_article_by_hash",
    "load_known_officials",
    "replace_article_records",
    "store_article",
]

StoreStatus = Literal["new", "unchanged", "url_added"]


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What storing one article did."""

    status: StoreStatus
    article_id: int
    records_added: int = 0
    records_merged: int = 0


def find_article_by_hash(session: Session, sha256: str) -> Article | None:
    """Return the stored article with this content hash, if any."""
    query = select(Article).where(Article.sha256 == sha256).execution_options(populate_existing=True)
    return session.scalars(query).one_or_none()


def store_article(session: Session, article: SourceArticle, extraction: Extraction) -> StoreResult:
    """Store an article with its officials, positions, meetings and agreements, merged into the archive.

    An article already stored (same hash) is left as it is, gaining the URL when it is met at a new one.
    Runs in a savepoint; when a concurrent writer wins a unique-key race the article is tried once more.
    """
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                return _store(session, article, extraction)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class _Row:
    """The stored article's values that resolution needs (its id, text, date and first-source order)."""

    id: int
    text: str
    date: dt.date | None
    ref: str | None
    sha256: str


_articles = cast(Table, Article.__table__)
_article_urls = cast(Table, ArticleUrl.__table__)
_ARTICLE_BY_HASH = select(_articles.c.id).where(_articles.c.sha256 == bindparam("sha"))
_URL_OF_ARTICLE = select(_article_urls.c.id).where(
    _article_urls.c.article_id == bindparam("article_id"), _article_urls.c.url == bindparam("url")
)
_INSERT_ARTICLE = insert(_articles)
_INSERT_URL = insert(_article_urls)


def _store(session: Session, article: SourceArticle, extraction: Extraction) -> StoreResult:
    """Store an article inside the current savepoint."""
    sha = article.sha256
    session.flush()
    connection = session.connection()
    existing = connection.execute(_ARTICLE_BY_HASH, {"sha": sha}).scalar()
    if existing is not None:
        if (
            article.url
            and not connection.execute(_URL_OF_ARTICLE, {"article_id": existing, "url": article.url}).scalar()
        ):
            connection.execute(_INSERT_URL, {"article_id": existing, "url": article.url})
            return StoreResult("url_added", existing)
        return StoreResult("unchanged", existing)
    inserted = connection.execute(
        _INSERT_ARTICLE,
        {
            "sha256": sha,
            "date": article.date,
            "title": article.title,
            "url": article.url,
            "source": article.source[:200] if article.source else None,
            "ref": article.ref,
            "text": article.text,
            "words": article.words,
            "extractor_version": extraction.extractor_version,
        },
    )
    (article_id,) = inserted.inserted_primary_key or (None,)
    assert article_id is not None
    if article.url:
        connection.execute(_INSERT_URL, {"article_id": article_id, "url": article.url})
    row = _Row(article_id, article.text, article.date, article.ref, sha)
    added, merged = _apply(session, row, extraction, replacing=False)
    return StoreResult("new", article_id, added, merged)


def replace_article_records(session: Session, article_id: int, extraction: Extraction) -> StoreResult:
    """Replace a stored article's derived records with a new extraction's and merge again.

    Meetings and agreements found again keep their ids; records only this article reported and that it no
    longer reports are deleted; records other articles also report are recomputed without it.
    """
    with session.begin_nested():
        row = session.get(Article, article_id)
        if row is None:
            raise LookupError(f"no article with id {article_id}")
        stored = _Row(row.id, row.text, row.date, row.ref, row.sha256)
        added, merged = _apply(session, stored, extraction, replacing=True)
        row.extractor_version = extraction.extractor_version
        session.flush()
        return StoreResult("new", row.id, added, merged)


def _sides_of_records(extraction: Extraction, codes: dict[str, frozenset[str]]) -> set[str]:
    """Return the lock keys of the sides an extraction's meetings and agreements involve."""
    keys: set[str] = set()
    by_key = {o.key: o for o in extraction.officials}
    for meeting in extraction.meetings:
        sides = set()
        for p in meeting.participants:
            country, org = p.country, p.org
            if p.official in by_key:
                country = country or by_key[p.official].country
                org = org or by_key[p.official].org
            country = country if country in codes["countries"] else None
            org = org if org in codes["orgs"] else None
            side = side_of(country, None if country else org)
            if side:
                sides.add(side)
        if sides:
            keys.add(pair_lock_key(sides))
    for agreement in extraction.agreements:
        sides = set()
        for party in agreement.parties:
            country = party.country if party.country in codes["countries"] else None
            org = party.org if party.org in codes["orgs"] else None
            side = side_of(country, None if country else org)
            if side:
                sides.add(side)
        if sides:
            keys.add(pair_lock_key(sides))
    return keys


NAME_LIMIT = 300
TITLE_LIMIT = 200
PLACE_LIMIT = 300


def _short(value: str | None, limit: int) -> str | None:
    """Return the value when it fits its column, else None (an over-long name or title is not one)."""
    return value if value is not None and len(value) <= limit else None


def checked_extraction(extraction: Extraction, text: str) -> Extraction:
    """Return the extraction with values that cannot be names, titles or places dropped.

    Raises ValueError when an evidence span does not point at its own text in the article.
    """
    for ev in [m.evidence for m in extraction.meetings] + [a.evidence for a in extraction.agreements]:
        if not (0 <= ev.start <= ev.end <= len(text) and text[ev.start : ev.end] == ev.text):
            raise ValueError(f"evidence offsets {ev.start}-{ev.end} do not match the article text")
    officials = tuple(
        replace(
            o,
            title=_short(o.title, TITLE_LIMIT),
            aliases=tuple(a for a in o.aliases if len(a) <= NAME_LIMIT),
        )
        for o in extraction.officials
        if len(o.name) <= NAME_LIMIT
    )
    kept = {o.key for o in officials}
    meetings = tuple(
        replace(
            m,
            place=_short(m.place, PLACE_LIMIT),
            participants=tuple(
                replace(
                    p,
                    official=p.official if p.official in kept else None,
                    title=_short(p.title, TITLE_LIMIT),
                )
                for p in m.participants
            ),
        )
        for m in extraction.meetings
    )
    agreements = tuple(
        replace(
            a,
            place=_short(a.place, PLACE_LIMIT),
            parties=tuple(
                replace(p, signatory=p.signatory if p.signatory in kept else None) for p in a.parties
            ),
        )
        for a in extraction.agreements
    )
    return replace(extraction, officials=officials, meetings=meetings, agreements=agreements)


def _apply(session: Session, row: _Row, extraction: Extraction, *, replacing: bool) -> tuple[int, int]:
    """Resolve and merge an extraction into the archive as the records of article `row`."""
    extraction = checked_extraction(extraction, row.text)
    codes = valid_codes(session)
    locks = {official_lock_key(o.country, o.org) for o in extraction.officials}
    locks |= _sides_of_records(extraction, codes)
    old_meetings: dict[GroupKey, list[MeetingObservation]] = defaultdict(list)
    if replacing:
        for meeting, source in session.execute(
            select(Meeting, MeetingSource)
            .join(MeetingSource, MeetingSource.meeting_id == Meeting.id)
            .where(MeetingSource.article_id == row.id)
            .execution_options(populate_existing=True)
        ):
            for o in stored_observations(meeting, source):
                old_meetings[o.group].append(o)
        locks |= {pair_lock_key(key[1]) for key in old_meetings}
        old_agreements = AgreementMerger.groups_of_article(session, row.id)
        locks |= {pair_lock_key(key) for key in old_agreements}
    else:
        old_agreements = {}
    if session.get_bind().dialect.name == "postgresql":
        locks |= _absorption_lock_keys(session, extraction)
    lock_keys(session, locks)

    officials = resolve_officials(session, extraction, row.date)
    keys = ArchiveKeys(session)
    keys.remember(officials.value_keys, [row])
    added, merged = officials.added, officials.merged
    years_of: dict[GroupKey | tuple[str, ...], Scope] = defaultdict(Scope)
    absorbed_meetings = sorted(officials.absorbed.meetings)
    absorbed_agreements = sorted(officials.absorbed.agreements)
    for meeting in (
        session.scalars(select(Meeting).where(Meeting.id.in_(absorbed_meetings))) if absorbed_meetings else ()
    ):
        group = (meeting.kind, meeting_sides(meeting))
        old_meetings.setdefault(group, [])
        if meeting.date is not None:
            years_of[group].years.add(meeting.date.year)
    for agreement in (
        session.scalars(select(Agreement).where(Agreement.id.in_(absorbed_agreements)))
        if absorbed_agreements
        else ()
    ):
        sides = agreement_sides(agreement)
        old_agreements.setdefault(sides, [])
        if agreement.date is not None:
            years_of[sides].years.add(agreement.date.year)

    new_meetings: dict[GroupKey, list[MeetingObservation]] = defaultdict(list)
    for o in observations_from_extraction(extraction, row.id, officials.ids, codes):
        new_meetings[o.group].append(o)
    meeting_merger = MeetingMerger(session, keys)
    touched_meetings: set[int] = set()
    for key in sorted(set(new_meetings) | set(old_meetings)):
        scope = _scope([*new_meetings.get(key, []), *old_meetings.get(key, [])], keys) | years_of[key]
        loaded = meeting_merger.load(key, scope)
        outcome = meeting_merger.merge(
            key, new_meetings.get(key, []), loaded, dropped_article=row.id if replacing else None
        )
        added += outcome.added
        merged += outcome.merged
        touched_meetings |= outcome.touched

    agreement_merger = AgreementMerger(session, keys)
    new_agreements = agreement_observations(extraction, row.id, officials.ids, codes)
    touched_agreements: set[int] = set()
    for sides in sorted(set(new_agreements) | set(old_agreements)):
        fresh = new_agreements.get(sides, [])
        scope = _scope([*fresh, *old_agreements.get(sides, [])], keys) | years_of[sides]
        years = scope.years | {y for y, _ in scope.months}
        loaded_agreements = agreement_merger.load(sides, years)
        outcome = agreement_merger.merge(
            sides, fresh, loaded_agreements, dropped_article=row.id if replacing else None
        )
        added += outcome.added
        merged += outcome.merged
        touched_agreements |= outcome.touched

    session.flush()
    if aggregates.is_deferred(session):
        aggregates.defer_events(session, touched_meetings, touched_agreements)
    else:
        aggregates.refresh_events(
            session, meeting_ids=sorted(touched_meetings), agreement_ids=sorted(touched_agreements)
        )
    return added, merged


class _Dated(Protocol):
    """An observation: its event date (ISO, any precision) and its article."""

    @property
    def date(self) -> str | None: ...

    @property
    def article_id(self) -> int: ...


def _absorption_lock_keys(session: Session, extraction: Extraction) -> set[str]:
    """Return the lock keys of meetings and agreements whose short-name officials this article may absorb."""
    partial_ids: set[int] = set()
    full = {(name_key(r.name), country_key(r.country, r.org)) for r in extraction.officials}
    for key, ckey in sorted(new_official_keys(session, [(k, c) for k, c in full if len(k.split()) > 1])):
        partial_ids.update(o.id for o in find_partials(session, key, ckey))
    for record in extraction.officials:
        forms = sorted(record_keys(record))
        if len(forms) < 2:
            continue
        aliased = select(OfficialAlias.official_id).where(OfficialAlias.alias_key.in_(forms))
        linked = set(
            session.scalars(
                select(Official.id).where(
                    Official.country_key == country_key(record.country, record.org),
                    or_(Official.name_key.in_(forms), Official.id.in_(aliased)),
                )
            )
        )
        if len(linked) > 1:
            partial_ids |= linked
    if not partial_ids:
        return set()
    keys: set[str] = set()
    meetings = select(MeetingParticipant.meeting_id).where(
        MeetingParticipant.official_id.in_(sorted(partial_ids))
    )
    for meeting in session.scalars(select(Meeting).where(Meeting.id.in_(meetings))):
        keys.add(pair_lock_key(meeting_sides(meeting)))
    agreements = select(AgreementParty.agreement_id).where(
        AgreementParty.signatory_id.in_(sorted(partial_ids))
    )
    for agreement in session.scalars(select(Agreement).where(Agreement.id.in_(agreements))):
        keys.add(pair_lock_key(agreement_sides(agreement)))
    return keys


def _scope(observations: Iterable[_Dated], keys: ArchiveKeys) -> Scope:
    """Return the months and years whose records these observations may merge with."""
    scope = Scope()
    for o in observations:
        scope.add(o.date, None if o.date else keys.article(o.article_id)[1])
    return scope
