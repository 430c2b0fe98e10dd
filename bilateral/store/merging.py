"""Order-independent grouping of observations (one article's view of an event) into archive records.

Every article that reports a meeting or an agreement contributes one *observation*. The archive's
meetings and agreements are a deterministic function of the set of observations: they are sorted by
how much they say (finest date, most named officials) and then by value, and each joins the best
compatible group or starts a new one. Arrival order never enters, so any order of ingestion and any
number of writers give the same archive.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, bindparam, select, union_all
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import QueryableAttribute

from bilateral.store.models import Article, Country, Official, Organization

PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}

T = TypeVar("T")
S = TypeVar("S")


def precision_of(date: str | None) -> str:
    """Return the precision an ISO date string carries ("2023-02" → "month")."""
    if not date:
        return "unknown"
    return {4: "year", 7: "month", 10: "day"}.get(len(date), "unknown")


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Tell whether two ISO dates may name the same day: equal, or one unknown or a coarser prefix."""
    if not a or not b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return long.startswith(short) and (len(long) == len(short) or long[len(short)] == "-")


def finer_date(a: str | None, b: str | None) -> str | None:
    """Return the more precise of two compatible dates."""
    if not a:
        return b
    if not b:
        return a
    return a if len(a) >= len(b) else b


def date_bounds(date: str | None) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day an ISO date string (day, month or year) covers."""
    if not date:
        return None
    if len(date) == 4:
        year = int(date)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:7])
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    day = dt.date.fromisoformat(date[:10])
    return day, day


def most_common(values: Iterable[T | None], key: Callable[[T], Any] = lambda v: v) -> T | None:
    """Return the most frequent non-None value; ties go to the smallest by `key`, never to the first seen."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], key(v)))


def greedy_groups(
    observations: Sequence[T],
    sort_key: Callable[[T], Any],
    start: Callable[[T], S],
    fits: Callable[[S, T], bool],
    preference: Callable[[S, T], Any],
    join: Callable[[S, T], None],
) -> list[tuple[S, list[T]]]:
    """Group observations: the most telling first, each joining its preferred fitting group or a new one."""
    groups: list[tuple[S, list[T]]] = []
    for obs in sorted(observations, key=sort_key):
        candidates = [g for g in groups if fits(g[0], obs)]
        if candidates:
            state, members = min(candidates, key=lambda g: preference(g[0], obs))
            join(state, obs)
            members.append(obs)
        else:
            groups.append((start(obs), [obs]))
    return groups


ArticleOrder = tuple[str, str, str]
"""How articles sort for `first_source`: by date (undated last), then ref, then content hash."""


def article_order(date: dt.date | None, ref: str | None, sha256: str) -> ArticleOrder:
    """Return the sort key that decides which article is a record's first source."""
    return (date.isoformat() if date else "9999-99-99", ref or "", sha256)


def date_string(date: dt.date | None, precision: str) -> str | None:
    """Return the ISO string a stored date and precision stand for ("2023-02" for month precision)."""
    if date is None or precision == "unknown":
        return None
    return date.isoformat()[: {"day": 10, "month": 7, "year": 4}[precision]]


def clean_date(date: str | None, precision: str) -> str | None:
    """Return a record's ISO date cut to its stated precision, or None when it is unusable."""
    if not date or precision not in ("day", "month", "year"):
        return None
    cut = date[: {"day": 10, "month": 7, "year": 4}[precision]]
    try:
        date_bounds(cut)
    except ValueError:
        return None
    return cut if precision_of(cut) == precision else None


def assign_ids(votes: Sequence[dict[int, int]]) -> list[int | None]:
    """Give each new group the existing id most of its members held, each id to one group at most."""
    ranked = sorted(
        (
            (-count, record_id, index)
            for index, counts in enumerate(votes)
            for record_id, count in counts.items()
        ),
    )
    chosen: list[int | None] = [None] * len(votes)
    taken: set[int] = set()
    for _, record_id, index in ranked:
        if chosen[index] is None and record_id not in taken:
            chosen[index] = record_id
            taken.add(record_id)
    return chosen


def best_place(places: Iterable[tuple[str | None, str | None]]) -> tuple[str | None, str | None]:
    """Return the most precise place: named with a country over named over a country alone, then by value."""
    places = [p for p in places if p[0] or p[1]]
    for pool in (
        [p for p in places if p[0] and p[1]],
        [p for p in places if p[0]],
        places,
    ):
        if pool:
            best = most_common(pool, key=lambda p: (p[0] or "", p[1] or ""))
            assert best is not None
            return best
    return (None, None)


_OFFICIAL_KEYS = select(Official.id, Official.name_key, Official.country_key).where(
    Official.id.in_(bindparam("ids", expanding=True))
)
_ARTICLE_KEYS = select(Article.id, Article.date, Article.ref, Article.sha256).where(
    Article.id.in_(bindparam("ids", expanding=True))
)


class StoredArticle(Protocol):
    """What ArchiveKeys needs of a stored article."""

    @property
    def id(self) -> int: ...

    @property
    def date(self) -> dt.date | None: ...

    @property
    def ref(self) -> str | None: ...

    @property
    def sha256(self) -> str: ...


class ArchiveKeys:
    """Value keys of archive rows, loaded on demand: officials by name and country, articles by order.

    Merging sorts by these (never by surrogate id), so that the result does not depend on arrival.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._officials: dict[int, str] = {}
        self._articles: dict[int, tuple[ArticleOrder, dt.date | None]] = {}

    def official(self, official_id: int) -> str:
        """Return "name key|country key" of an official."""
        if official_id not in self._officials:
            self.load_officials([official_id])
        return self._officials.get(official_id, f"#{official_id}")

    def load_officials(self, ids: Iterable[int]) -> None:
        """Load the value keys of these officials in one query."""
        missing = sorted({i for i in ids if i not in self._officials})
        if missing:
            rows = self.session.execute(_OFFICIAL_KEYS, {"ids": missing})
            for official_id, key, country in rows:
                self._officials[official_id] = f"{key}|{country}"

    def remember(self, officials: Mapping[int, str], articles: Iterable[StoredArticle]) -> None:
        """Seed the cache with value keys already at hand."""
        self._officials.update(officials)
        for article in articles:
            self._articles[article.id] = (
                article_order(article.date, article.ref, article.sha256),
                article.date,
            )

    def article(self, article_id: int) -> tuple[ArticleOrder, dt.date | None]:
        """Return an article's first-source order and its date."""
        if article_id not in self._articles:
            self.load_articles([article_id])
        return self._articles[article_id]

    def load_articles(self, ids: Iterable[int]) -> None:
        """Load the order keys of these articles in one query."""
        missing = sorted({i for i in ids if i not in self._articles})
        if missing:
            rows = self.session.execute(_ARTICLE_KEYS, {"ids": missing})
            for article_id, date, ref, sha in rows:
                self._articles[article_id] = (article_order(date, ref, sha), date)


def records_in(
    model: Any, branches: Sequence[Select[Any]], *children: QueryableAttribute[Any]
) -> Select[Any]:
    """Return the query of the `model` rows whose ids any branch selects, children loaded, ordered by id.

    Each branch reads one range of an index, so no branch scans the table; rows already in the session are
    refreshed from the database (another writer may have changed them since).
    """
    return (
        select(model)
        .where(model.id.in_(union_all(*branches)))
        .options(*(selectinload(child) for child in children))
        .execution_options(populate_existing=True)
        .order_by(model.id)
    )


def valid_codes(session: Session) -> dict[str, frozenset[str]]:
    """Return the archive's country and organisation codes (cached on the session)."""
    cached = session.info.get("bilateral_codes")
    if cached is None:
        cached = {
            "countries": frozenset(session.scalars(select(Country.iso3))),
            "orgs": frozenset(session.scalars(select(Organization.code))),
        }
        session.info["bilateral_codes"] = cached
    return cached
