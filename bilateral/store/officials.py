"""Resolve an article's officials against the archive's, keep their aliases, seen dates and posts."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, bindparam, func, inspect, or_, select
from sqlalchemy.orm import Session, selectinload

from bilateral.extract.records import Extraction, KnownOfficial, OfficialRecord
from bilateral.store.merging import clean_date, valid_codes
from bilateral.store.models import (
    AgreementParty,
    AgreementSource,
    MeetingParticipant,
    MeetingSource,
    Official,
    OfficialAlias,
    Position,
)
from bilateral.store.names import (
    display_order,
    form_rank,
    is_partial_of,
    is_short_form,
    name_key,
    name_tokens,
    same_person,
)

SURNAME_WINDOW_YEARS = 5


def country_key(country: str | None, org: str | None) -> str:
    """Return the key officials and positions are unique under: ISO3, else organisation code, else ''."""
    return country or org or ""


def official_lock_key(country: str | None, org: str | None) -> str:
    """Return the lock key that serialises writers creating officials of one country or organisation."""
    return f"officials:{country_key(country, org)}"


@dataclass
class ResolvedOfficials:
    """Archive ids of an extraction's officials (by local key) and how many were new."""

    ids: dict[str, int] = field(default_factory=dict)
    added: int = 0
    merged: int = 0
    absorbed: Absorbed = field(default_factory=lambda: Absorbed())
    value_keys: dict[int, str] = field(default_factory=dict)
    """"name key|country key" of every resolved official, by id."""


def _within_window(official: Official, when: dt.date | None) -> bool:
    """Tell whether an official was seen within five years of `when` (always, when either is undated)."""
    if when is None or (official.first_seen is None and official.last_seen is None):
        return True
    first = official.first_seen or official.last_seen
    last = official.last_seen or official.first_seen
    assert first is not None and last is not None
    years = SURNAME_WINDOW_YEARS
    lower = (
        first.replace(year=first.year - years)
        if not (first.month == 2 and first.day == 29)
        else (dt.date(first.year - years, 2, 28))
    )
    upper = (
        last.replace(year=last.year + years)
        if not (last.month == 2 and last.day == 29)
        else (dt.date(last.year + years, 2, 28))
    )
    return lower <= when <= upper


def _of_country(session: Session, ckey: str) -> ColumnElement[bool]:
    """Return the condition "officials of this country key", phrased so the country index serves it."""
    if ckey in valid_codes(session)["countries"]:
        return (Official.country == ckey) & (Official.country_key == ckey)
    return Official.country_key == ckey


def _may_be(official: Official, key: str) -> bool:
    """Tell whether an official is worth comparing with a name key (exact, alias, same given name, suffix)."""
    tokens = key.split()
    return (
        official.name_key == key
        or official.name_key.startswith(f"{tokens[0]} ")
        or official.name_key.replace(" ", "").endswith("".join(tokens))
        or any(a.alias_key == key for a in official.aliases)
    )


def _candidate_ids_query(by_country: bool) -> Select[int]:
    """Return the prebuilt query of the ids of officials one (name key, country key) could refer to."""
    of_country = Official.country_key == bindparam("ckey")
    if by_country:
        of_country = (Official.country == bindparam("ckey")) & of_country
    return select(Official.id).where(
        of_country,
        or_(
            Official.name_key == bindparam("key"),
            Official.name_key.like(bindparam("prefix")),
            func.replace(Official.name_key, " ", "").like(bindparam("suffix")),
            Official.id.in_(
                select(OfficialAlias.official_id).where(OfficialAlias.alias_key == bindparam("key"))
            ),
        ),
    )


_CANDIDATE_IDS = {by_country: _candidate_ids_query(by_country) for by_country in (True, False)}
_OFFICIALS_BY_ID = (
    select(Official)
    .where(Official.id.in_(bindparam("ids", expanding=True)))
    .options(selectinload(Official.aliases), selectinload(Official.positions))
    .execution_options(populate_existing=True)
    .order_by(Official.name_key, Official.country_key)
)


def _officials(session: Session, ids: Iterable[int]) -> list[Official]:
    """Load these officials with their aliases and posts, ordered by name key and country key."""
    wanted = sorted(set(ids))
    return list(session.scalars(_OFFICIALS_BY_ID, {"ids": wanted})) if wanted else []


def candidates_for(
    session: Session, wanted: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[Official]]:
    """Load the officials each (name key, country key) could refer to (ids by prebuilt queries, then once)."""
    wanted = sorted({(k, c) for k, c in wanted if k})
    if not wanted:
        return {}
    session.flush()
    connection = session.connection()
    countries = valid_codes(session)["countries"]
    ids: set[int] = set()
    for key, ckey in wanted:
        params = {
            "ckey": ckey,
            "key": key,
            "prefix": f"{key.split()[0]} %",
            "suffix": f"%{key.replace(' ', '')}",
        }
        ids.update(connection.execute(_CANDIDATE_IDS[ckey in countries], params).scalars())
    found = _officials(session, ids)
    return {(k, c): [o for o in found if o.country_key == c and _may_be(o, k)] for k, c in wanted}


def _candidates(session: Session, key: str, ckey: str) -> list[Official]:
    """Load the officials of one country that a name key could refer to (exact, alias, typo, short form)."""
    return candidates_for(session, [(key, ckey)]).get((key, ckey), [])


def match_official(
    session: Session,
    name: str,
    country: str | None,
    org: str | None,
    title: str | None,
    when: dt.date | None,
    found: list[Official] | None = None,
) -> tuple[Official | None, bool]:
    """Find the archive's official for a written name: (official or None, whether the name is a full form).

    Rules (DESIGN.md §1): the same name key and country; an alias; a spelling within the tested rapidfuzz
    thresholds with the same given names; a short form (surname) only when exactly one official of that
    country with that surname was seen within five years of `when` (a title shared breaks a tie).
    """
    key = name_key(name)
    if not key:
        return None, False
    ckey = country_key(country, org)
    if found is None:
        found = _candidates(session, key, ckey)
    short = is_short_form(name)
    partial = [o for o in found if short and is_partial_of(key, o.name_key) and _within_window(o, when)]
    if len(partial) > 1 and title:
        with_title = [o for o in partial if any(p.title == title for p in o.positions)]
        partial = with_title or partial
    exact = [o for o in found if o.name_key == key]
    if len(partial) == 1 and (not exact or is_partial_of(exact[0].name_key, partial[0].name_key)):
        return partial[0], False
    if exact:
        return exact[0], True
    others = [o for o in found if o.name_key != key]
    alias = [o for o in others if not short and any(a.alias_key == key for a in o.aliases)]
    if alias:
        return alias[0], True
    similar = [o for o in others if same_person(key, o.name_key)]
    if similar:
        return similar[0], True
    return None, False


def _add_alias(official: Official, written: str) -> None:
    """Record a written form of the official's name once per key."""
    form = display_order(written)
    key = name_key(form)
    if not key:
        return
    for alias in official.aliases:
        if alias.alias_key == key:
            if form_rank(form) < form_rank(alias.alias):
                alias.alias = form
            return
    official.aliases.append(OfficialAlias(alias=form, alias_key=key))


def _see(official: Official, dates: Iterable[dt.date]) -> None:
    """Widen the official's first/last seen dates to include these dates."""
    for day in dates:
        if official.first_seen is None or day < official.first_seen:
            official.first_seen = day
        if official.last_seen is None or day > official.last_seen:
            official.last_seen = day


def _rename(official: Official) -> None:
    """Make the official's name the best full written form met so far, chosen by value, never by arrival."""
    forms = [
        official.name,
        *(
            a.alias
            for a in official.aliases
            if not is_short_form(a.alias) and _consistent(a.alias_key, official.name_key)
        ),
    ]
    best = min(forms, key=form_rank)
    if best != official.name:
        official.name = best
        official.name_key = name_key(best)


def attested_dates(
    extraction: Extraction, article_date: dt.date | None
) -> dict[tuple[str, str | None], set[dt.date]]:
    """Return, per (official key, title), the dates the text attests that post.

    A title used in an event dated to the day is attested on that day; any other title the article gives
    is attested on the article's date.
    """
    dated: dict[tuple[str, str | None], set[dt.date]] = defaultdict(set)
    by_key = {o.key: o for o in extraction.officials}
    for meeting in extraction.meetings:
        iso = clean_date(meeting.date, meeting.date_precision)
        if iso is None or meeting.date_precision != "day":
            continue
        day = dt.date.fromisoformat(iso)
        for part in meeting.participants:
            if part.official in by_key:
                title = part.title or by_key[part.official].title
                dated[(part.official, title)].add(day)
    result: dict[tuple[str, str | None], set[dt.date]] = defaultdict(set)
    for (okey, title), days in dated.items():
        result[(okey, title)] |= days
    titles: dict[str, set[str | None]] = defaultdict(set)
    for official in extraction.officials:
        titles[official.key].add(official.title)
    for meeting in extraction.meetings:
        for part in meeting.participants:
            if part.official in by_key and part.title:
                titles[part.official].add(part.title)
    for okey, okey_titles in titles.items():
        for title in okey_titles:
            if not result.get((okey, title)) and article_date is not None:
                result[(okey, title)].add(article_date)
            result.setdefault((okey, title), set())
    return result


def resolve_officials(
    session: Session, extraction: Extraction, article_date: dt.date | None
) -> ResolvedOfficials:
    """Match or create every official of an extraction; record aliases, seen dates and positions."""
    resolved = ResolvedOfficials()
    attested = attested_dates(extraction, article_date)
    full_names: list[Official] = []
    records = sorted(extraction.officials, key=lambda r: (-len(name_tokens(r.name)), r.key))
    pool = candidates_for(
        session,
        (
            (k, country_key(r.country, r.org))
            for r in records
            for k in sorted(record_keys(r) | {name_key(r.name)})
        ),
    )
    created: list[Official] = []
    touched: list[Official] = []
    chosen: list[tuple[str, Official]] = []
    for record in records:
        added = resolved.added
        ckey = country_key(record.country, record.org)
        keys = record_keys(record) | {name_key(record.name)}
        # Keyed by identity: officials created by this article get their ids at the flush below.
        found = {id(o): o for k in keys for o in pool.get((k, ckey), [])}
        found.update(
            {id(o): o for o in created if o.country_key == ckey and any(_may_be(o, k) for k in keys)}
        )
        alive = [o for o in found.values() if not inspect(o).was_deleted and o not in session.deleted]
        official = _resolve_one(
            session, record, article_date, resolved, sorted(alive, key=lambda o: o.name_key)
        )
        if official is None:
            continue
        chosen.append((record.key, official))
        touched.append(official)
        if resolved.added > added:
            created.append(official)
            if len(official.name_key.split()) > 1:
                full_names.append(official)
        for (okey, title), days in attested.items():
            if okey != record.key:
                continue
            _see(official, days)
            if title:
                _record_position(session, official, title, days)
    session.flush()
    for key, official in chosen:
        resolved.ids[key] = official.id
    for official in touched:
        resolved.value_keys[official.id] = f"{official.name_key}|{official.country_key}"
    for official in full_names:
        absorbed = absorb_partials(session, official)
        resolved.absorbed.meetings |= absorbed.meetings
        resolved.absorbed.agreements |= absorbed.agreements
    return resolved


def _resolve_one(
    session: Session,
    record: OfficialRecord,
    when: dt.date | None,
    resolved: ResolvedOfficials,
    found: list[Official] | None = None,
) -> Official | None:
    """Return the archive's official for one record, creating it when none matches."""
    if not name_key(record.name):
        return None
    official, full = match_official(
        session, record.name, record.country, record.org, record.title, when, found
    )
    keys = record_keys(record)
    if keys and found:
        linked = [o for o in found if official_keys(o) & keys]
        if official is not None and official not in linked:
            linked.append(official)
        if linked:
            linked.sort(key=lambda o: o.name_key)
            official, full = linked[0], True
            for other in linked[1:]:
                merged = merge_officials(session, other, official)
                resolved.absorbed.meetings |= merged.meetings
                resolved.absorbed.agreements |= merged.agreements
    made = official is None
    if official is None:
        form = display_order(record.name)
        official = Official(
            name=form,
            name_key=name_key(form),
            country=record.country,
            org=None if record.country else record.org,
            country_key=country_key(record.country, record.org),
            aliases=[],
            positions=[],
        )
        session.add(official)
        resolved.added += 1
    else:
        resolved.merged += 1
    _add_alias(official, record.name)
    for alias in record.aliases:
        _add_alias(official, alias)
    if full or made:
        _rename(official)
    return official


def record_keys(record: OfficialRecord) -> set[str]:
    """Return the keys of a record's full written forms (its name and aliases that are not one word)."""
    if is_short_form(record.name):
        return set()
    key = name_key(record.name)
    forms = {name_key(a) for a in record.aliases if not is_short_form(a)}
    return {key} | {k for k in forms if k and _consistent(k, key)} if key else set()


def official_keys(official: Official) -> set[str]:
    """Return the keys of an official's full written forms (name and aliases that are not one word)."""
    return {official.name_key} | {
        a.alias_key
        for a in official.aliases
        if not is_short_form(a.alias) and _consistent(a.alias_key, official.name_key)
    }


def _consistent(alias: str, name: str) -> bool:
    """Tell whether a full alias may be another form of a name (never a different given name)."""
    return (
        alias == name or same_person(alias, name) or is_partial_of(alias, name) or is_partial_of(name, alias)
    )


def _record_position(session: Session, official: Official, title: str, days: set[dt.date]) -> None:
    """Create or widen the official's position with this title."""
    position = next((p for p in official.positions if p.title == title), None)
    if position is None:
        position = Position(
            title=title, country=official.country, org=official.org, country_key=official.country_key
        )
        official.positions.append(position)
    for day in days:
        if position.first_seen is None or day < position.first_seen:
            position.first_seen = day
        if position.last_seen is None or day > position.last_seen:
            position.last_seen = day


def load_known_officials(session: Session) -> list[KnownOfficial]:
    """Return the archive's officials as the extractor's lookup (name, country, latest title, aliases)."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for official_id, alias in session.execute(select(OfficialAlias.official_id, OfficialAlias.alias)):
        aliases[official_id].append(alias)
    latest: dict[int, tuple[dt.date, str]] = {}
    for official_id, title, last_seen in session.execute(
        select(Position.official_id, Position.title, Position.last_seen)
    ):
        rank = (last_seen or dt.date.min, title)
        if official_id not in latest or rank > latest[official_id]:
            latest[official_id] = rank
    rows = session.execute(
        select(Official.id, Official.name, Official.country, Official.org, Official.last_seen).order_by(
            Official.country_key, Official.name_key
        )
    )
    return [
        KnownOfficial(
            name=name,
            country=country,
            title=latest[official_id][1] if official_id in latest else None,
            org=org,
            last_seen=last_seen,
            aliases=tuple(sorted(a for a in aliases[official_id] if a != name)),
        )
        for official_id, name, country, org, last_seen in rows
    ]


@dataclass
class Absorbed:
    """Meetings and agreements whose officials changed when short-name officials were absorbed."""

    meetings: set[int] = field(default_factory=set)
    agreements: set[int] = field(default_factory=set)


def new_official_keys(session: Session, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Return those (name key, country key) pairs no official of the archive has yet."""
    wanted = set(keys)
    if not wanted:
        return set()
    found = session.execute(
        select(Official.name_key, Official.country_key).where(
            Official.name_key.in_(sorted({k for k, _ in wanted}))
        )
    )
    return wanted - {(k, c) for k, c in found}


_PARTIAL_IDS = {
    by_country: select(Official.id).where(
        (Official.country == bindparam("ckey")) & (Official.country_key == bindparam("ckey"))
        if by_country
        else Official.country_key == bindparam("ckey"),
        Official.name_key != bindparam("key"),
        func.replace(Official.name_key, " ", "").in_(bindparam("suffixes", expanding=True)),
        Official.name.not_like("% %"),
    )
    for by_country in (True, False)
}


def find_partials(session: Session, key: str, ckey: str) -> list[Official]:
    """Return the officials of a country whose name key is a short form of `key`."""
    tokens = key.split()
    suffixes = ["".join(tokens[i:]) for i in range(1, len(tokens))]
    if not suffixes:
        return []
    session.flush()
    query = _PARTIAL_IDS[ckey in valid_codes(session)["countries"]]
    ids = session.connection().execute(query, {"ckey": ckey, "key": key, "suffixes": suffixes}).scalars()
    found = _officials(session, ids)  # ordered by name key: one country key here
    return [o for o in found if is_short_form(o.name) and is_partial_of(o.name_key, key)]


def _overlaps(short: Official, full: Official) -> bool:
    """Tell whether a short-name official was seen within five years of a full-name one."""
    days = [d for d in (short.first_seen, short.last_seen) if d is not None]
    return not days or any(_within_window(full, d) for d in days)


def absorb_partials(session: Session, full: Official) -> Absorbed:
    """Fold short-name officials ("Ardalan") into the one full-name official they can only mean.

    A short form met before the full name made its own official; once exactly one official of that
    country with that surname was seen within five years, it is the same person, as it would have been
    had the articles come the other way round.
    """
    absorbed = Absorbed()
    for short in find_partials(session, full.name_key, full.country_key):
        if not _overlaps(short, full):
            continue
        fulls = [
            o
            for o in _candidates(session, short.name_key, short.country_key)
            if o.id != short.id and is_partial_of(short.name_key, o.name_key) and _overlaps(short, o)
        ]
        if [o.id for o in fulls] != [full.id]:
            continue
        merged = merge_officials(session, short, full)
        absorbed.meetings |= merged.meetings
        absorbed.agreements |= merged.agreements
    return absorbed


def merge_officials(session: Session, source: Official, target: Official) -> Absorbed:
    """Move everything of `source` (aliases, posts, participations, signatures) to `target`; delete it."""
    changed = Absorbed()
    for alias in source.aliases:
        _add_alias(target, alias.alias)
    for position in source.positions:
        days = {d for d in (position.first_seen, position.last_seen) if d is not None}
        _record_position(session, target, position.title, days)
    _see(target, [d for d in (source.first_seen, source.last_seen) if d is not None])
    if source.id is None or target.id is None:
        session.flush()
    old, new = source.id, target.id
    rows = list(session.scalars(select(MeetingParticipant).where(MeetingParticipant.official_id == old)))
    for row in rows:
        changed.meetings.add(row.meeting_id)
        clash = session.scalar(
            select(MeetingParticipant.id).where(
                MeetingParticipant.meeting_id == row.meeting_id,
                MeetingParticipant.participant_key == f"o:{new}",
            )
        )
        if clash is not None:
            session.delete(row)
        else:
            row.official_id, row.participant_key = new, f"o:{new}"
    for party in session.scalars(select(AgreementParty).where(AgreementParty.signatory_id == old)):
        changed.agreements.add(party.agreement_id)
        party.signatory_id = new
    for meeting_source in session.scalars(
        select(MeetingSource).where(MeetingSource.meeting_id.in_(sorted(changed.meetings)))
    ):
        meeting_source.observation = _renumber(meeting_source.observation, "parts", old, new)
    for agreement_source in session.scalars(
        select(AgreementSource).where(AgreementSource.agreement_id.in_(sorted(changed.agreements)))
    ):
        agreement_source.observation = _renumber(agreement_source.observation, "parties", old, new)
    session.flush()
    session.delete(source)
    session.flush()
    return changed


def _renumber(observation: str | None, field_name: str, old: int, new: int) -> str | None:
    """Rewrite an observation's official id `old` as `new`."""
    if observation is None:
        return None
    items = json.loads(observation)
    for item in items:
        item[field_name] = [[p[0], new if p[1] == old else p[1], *p[2:]] for p in item[field_name]]
    return json.dumps(items, sort_keys=True, ensure_ascii=False)
