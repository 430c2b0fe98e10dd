"""An in-memory lookup of officials already known, by full name, surname or alias."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from bilateral.extract.names import name_tokens
from bilateral.extract.records import KnownOfficial

SURNAME_YEARS = 5


class KnownOfficials:
    """Officials known before an article: full names match always, surnames only within five years."""

    def __init__(self, officials: Iterable[KnownOfficial] = ()) -> None:
        self._people: list[KnownOfficial] = []
        self._full: dict[tuple[str, ...], list[int]] = {}
        self._token: dict[str, list[int]] = {}
        for o in officials:
            self.add(o)

    def __len__(self) -> int:
        return len(self._people)

    def add(self, official: KnownOfficial) -> None:
        """Add an official (a later entry for the same name and country replaces the earlier one)."""
        toks = name_tokens(official.name)
        if not toks:
            return
        for idx in self._full.get(toks, []):
            old = self._people[idx]
            if old.country == official.country and old.org == official.org:
                newer = official.last_seen and (old.last_seen is None or official.last_seen >= old.last_seen)
                self._people[idx] = KnownOfficial(
                    official.name,
                    official.country,
                    official.title if newer or old.title is None else old.title,
                    official.org,
                    max((d for d in (old.last_seen, official.last_seen) if d), default=None),
                    tuple(sorted(set(old.aliases) | set(official.aliases))),
                )
                return
        idx = len(self._people)
        self._people.append(official)
        for form in (official.name, *official.aliases):
            ft = name_tokens(form)
            if ft:
                self._full.setdefault(ft, []).append(idx)
                for t in set(ft):
                    self._token.setdefault(t, []).append(idx)

    def candidates(self, name: str, when: dt.date | None) -> Sequence[KnownOfficial]:
        """Return the known officials `name` may refer to around `when`."""
        toks = name_tokens(name)
        if not toks:
            return ()
        full = self._full.get(toks)
        if full and len(toks) > 1:
            return tuple(self._people[i] for i in dict.fromkeys(full))
        out = []
        pool = self._token.get(toks[-1], [])
        for i in dict.fromkeys(pool):
            o = self._people[i]
            otoks = name_tokens(o.name)
            if not set(toks) <= set(otoks) or otoks[-1] != toks[-1] and len(toks) > 1:
                continue
            if len(toks) == 1 and otoks[-1] != toks[0]:
                continue
            if (
                when is not None
                and o.last_seen is not None
                and abs((when - o.last_seen).days) > 365 * SURNAME_YEARS
            ):
                continue
            out.append(o)
        return tuple(out)
