"""A canonical dump of the archive without surrogate ids, to compare archives built in different ways.

Two archives hold the same facts exactly when their dumps are equal: rows are named by natural keys
(articles by content hash, officials by name key and country) and every list is sorted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bilateral.store.models import Agreement, AgreementSource, Article, Meeting, MeetingSource, Official

Dump = dict[str, list[tuple[Any, ...]]]


def _sortable(value: Any) -> Any:
    """Return a key that sorts values of mixed types and None."""
    if isinstance(value, tuple | list):
        return (1, tuple(_sortable(v) for v in value))
    return (0, value is None, str(value) if value is not None else "")


def _sorted(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=_sortable)


def canonical_dump(session: Session) -> Dump:
    """Return every archive row as sorted tuples of natural keys and values, with no surrogate id."""
    articles = {a.id: a.sha256 for a in session.scalars(select(Article))}
    officials = {
        o.id: (o.name_key, o.country_key)
        for o in session.scalars(select(Official).options(selectinload(Official.aliases)))
    }

    def who(official_id: int | None) -> tuple[str, str] | None:
        return officials.get(official_id) if official_id is not None else None

    def observation(text: str | None) -> str | None:
        """Rewrite a stored observation with officials named instead of numbered."""
        if text is None:
            return None
        items = json.loads(text)
        for item in items:
            for key in ("parts", "parties"):
                if key in item:
                    item[key] = sorted(
                        ([*p[:1], who(p[1]), *p[2:]] for p in item[key]), key=lambda p: json.dumps(p)
                    )
        return json.dumps(items, sort_keys=True, ensure_ascii=False)

    def sources(rows: Iterable[MeetingSource | AgreementSource]) -> tuple[tuple[Any, ...], ...]:
        """Return a record's sources by article hash, evidence, offsets and observation."""
        return tuple(
            sorted(
                (
                    (
                        articles[s.article_id],
                        s.evidence,
                        s.start_offset,
                        s.end_offset,
                        observation(s.observation),
                    )
                    for s in rows
                ),
                key=_sortable,
            )
        )

    dump: Dump = {}
    dump["articles"] = _sorted(
        [
            (
                a.sha256,
                a.date,
                a.title,
                a.url,
                a.source,
                a.ref,
                a.words,
                a.extractor_version,
                tuple(sorted(u.url for u in a.urls)),
            )
            for a in session.scalars(select(Article).options(selectinload(Article.urls)))
        ]
    )
    dump["officials"] = _sorted(
        [
            (
                o.name,
                o.name_key,
                o.country,
                o.org,
                o.country_key,
                o.first_seen,
                o.last_seen,
                tuple(sorted((a.alias, a.alias_key) for a in o.aliases)),
                tuple(
                    sorted(
                        ((p.title, p.country, p.org, p.first_seen, p.last_seen) for p in o.positions),
                        key=_sortable,
                    )
                ),
            )
            for o in session.scalars(
                select(Official).options(selectinload(Official.aliases), selectinload(Official.positions))
            )
        ]
    )
    dump["meetings"] = _sorted(
        [
            (
                m.kind,
                m.status,
                m.date,
                m.date_precision,
                m.place,
                m.place_country,
                round(m.confidence, 6),
                articles.get(m.first_source_id) if m.first_source_id else None,
                tuple(
                    sorted(
                        ((who(p.official_id), p.country, p.org, p.title, p.role) for p in m.participants),
                        key=_sortable,
                    )
                ),
                sources(m.sources),
            )
            for m in session.scalars(
                select(Meeting).options(selectinload(Meeting.participants), selectinload(Meeting.sources))
            )
        ]
    )
    dump["agreements"] = _sorted(
        [
            (
                a.title,
                a.type,
                a.status,
                a.date,
                a.date_precision,
                a.place,
                a.place_country,
                round(a.confidence, 6),
                articles.get(a.first_source_id) if a.first_source_id else None,
                tuple(sorted(((p.party_key, who(p.signatory_id)) for p in a.parties), key=_sortable)),
                sources(a.sources),
            )
            for a in session.scalars(
                select(Agreement).options(selectinload(Agreement.parties), selectinload(Agreement.sources))
            )
        ]
    )
    return dump
