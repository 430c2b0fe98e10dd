"""Country and organisation gazetteer: names, short and historical forms, demonyms, capitals, cities."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from bilateral.extract.document import TOKEN, Document, Token

PlaceKind = Literal["name", "demonym", "capital", "city", "org"]
MAX_WORDS = 6


def _skip_surfaces() -> frozenset[str]:
    """Return library names and capitals that are also common words or other places."""
    lines = _data_path("gazetteer_skip.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


_KEEP_ANYWAY = {  # skipped from the libraries' lists above, but country names all the same
    "Georgia": "GEO",
    "Jordan": "JOR",
    "Chad": "TCD",
    "Niger": "NER",
    "Guinea": "GIN",
    "Turkey": "TUR",
    "Mali": "MLI",
    "Singapore": "SGP",
    "Luxembourg": "LUX",
    "Kuwait": "KWT",
    "Djibouti": "DJI",
    "Monaco": "MCO",
    "Mexico City": "MEX",
    "Santiago": "CHL",
    "Lima": "PER",
}


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A country, organisation, capital or city named in the text."""

    start: int
    end: int
    text: str
    code: str
    kind: PlaceKind


@dataclass(frozen=True, slots=True)
class Entry:
    """What one surface form means."""

    code: str
    kind: PlaceKind


def _key(surface: str) -> str:
    return " ".join(m.group().replace("’", "'") for m in TOKEN.finditer(surface.strip()))


def _data_path(name: str) -> Path:
    return Path(str(resources.files("bilateral.extract") / "data" / name))


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Entry]:
    """Return the cached surface → entry table (built from countrycode, countryinfo and our data files)."""
    table: dict[str, Entry] = {}

    def put(surface: str, code: str, kind: PlaceKind, override: bool = False) -> None:
        surface = surface.strip()
        if not surface or len(surface) < 3 and surface not in ("US", "UK", "UN", "EU", "AU"):
            return
        key = _key(surface)
        if not key[:1].isupper():
            return
        if override or key not in table:
            table[key] = Entry(code, kind)

    # Our own data first wins; the libraries fill in the rest, larger states first on clashes.
    for line in _data_path("countries.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, kind, surfaces = line.split("\t")
        for s in surfaces.split(";"):
            put(s, code, kind)  # type: ignore[arg-type]
    for line in _data_path("organizations.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, surfaces = line.split("\t")
        for s in surfaces.split(";"):
            put(s, code, "org", override=True)
    for surface, code in _KEEP_ANYWAY.items():
        put(surface, code, "capital" if surface in ("Mexico City", "Santiago", "Lima") else "name")
    _add_libraries(put)
    return table


def _add_libraries(put: Callable[[str, str, PlaceKind], None]) -> None:
    from countrycode import codelist

    add = put
    skip = _skip_surfaces()
    names = codelist["country.name.en"]
    codes = codelist["iso3c"]
    for name, code in zip(names, codes, strict=False):
        if code and name and "&" not in name and "(" not in name:
            if name not in skip:
                add(name, code, "name")
    try:
        import countryinfo
    except ImportError:  # pragma: no cover - a declared dependency
        return
    folder = Path(countryinfo.__file__).parent / "data"
    rows = []
    for path in sorted(folder.glob("*.json")):
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        code = (d.get("ISO") or {}).get("alpha3")
        if code:
            rows.append((-(d.get("population") or 0), code, d))
    rows.sort(key=lambda r: (r[0], r[1]))
    for _, code, d in rows:
        name = d.get("name") or ""
        if isinstance(name, str) and name and name not in skip:
            add(name, code, "name")
        for alt in d.get("altSpellings") or []:
            if len(alt) > 3 and "," not in alt and alt.isascii() and alt not in skip:
                add(alt, code, "name")
        caps = d.get("capital") or []
        for cap in [caps] if isinstance(caps, str) else caps:
            if isinstance(cap, str) and cap and "/" not in cap and cap not in skip:
                add(cap, code, "capital")
        dems = d.get("demonym") or ""
        for dem in re.split(r"[,/]", dems if isinstance(dems, str) else ""):
            if dem and dem not in skip:
                add(dem, code, "demonym")


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    return frozenset(k.split(" ", 1)[0] for k in gazetteer())


def match_places(tokens: list[Token], text: str) -> list[PlaceMention]:
    """Find gazetteer entries in a run of tokens, longest match first."""
    table = gazetteer()
    firsts = _first_words()
    out: list[PlaceMention] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        word = tok.text.replace("’", "'")
        if not word[:1].isupper():
            i += 1
            continue
        if word.isupper() and len(word) > 3 and word.isalpha():
            word = word.title()
        if word not in firsts:
            if "-" in word:  # "Iran-Iraq", "EU-Turkey"
                pos = tok.start
                for part in word.split("-"):
                    e = table.get(part)
                    if e is not None and part[:1].isupper():
                        out.append(
                            PlaceMention(pos, pos + len(part), text[pos : pos + len(part)], e.code, e.kind)
                        )
                    pos += len(part) + 1
            i += 1
            continue
        found = None
        words = [word]
        for j in range(i + 1, min(n, i + MAX_WORDS)):
            w = tokens[j].text.replace("’", "'")
            words.append(w.title() if w.isupper() and len(w) > 3 and w.isalpha() else w)
        for k in range(len(words), 0, -1):
            e = table.get(" ".join(words[:k]))
            if e is not None:
                found = (k, e)
                break
        if found is None:
            i += 1
            continue
        k, e = found
        start, end = tok.start, tokens[i + k - 1].end
        out.append(PlaceMention(start, end, text[start:end], e.code, e.kind))
        i += k
    return out


_UP = "A-ZÀ-ÖØ-Þ"
_CAP_RUN = re.compile(
    rf"(?<![\w'’])[{_UP}](?:[\w'’.]|-(?=\w))*"
    rf"(?:(?:\s+(?:of|and|the|de|du|da|d'|d’|la|el)\s+|\s+|-)[{_UP}](?:[\w'’.]|-(?=\w))*){{0,6}}"
)


def find_places(doc: Document) -> Document:
    """Annotate every country, organisation, capital and city mention; find the dateline."""
    text = doc.text
    table = gazetteer()
    for run in _CAP_RUN.finditer(text):
        word = run.group()
        if word.isalpha():  # one plain word: look it up directly
            if word.isupper() and len(word) > 3:
                word = word.title()
            e = table.get(word)
            if e is not None:
                doc.places.append(PlaceMention(run.start(), run.end(), run.group(), e.code, e.kind))
            continue
        base = run.start()
        tokens = [Token(base + m.start(), base + m.end(), m.group()) for m in TOKEN.finditer(word)]
        doc.places.extend(match_places(tokens, text))
    doc.places = [p for p in doc.places if not _INSIDE_NAME.match(text, p.end)]
    doc.dateline = _dateline(doc)
    return doc


# "China International Water & Electric Corp.", "Korea Herald": the country names a company or a paper.
_INSIDE_NAME = re.compile(
    r"(?:\s+(?:[A-Z][\w.&'-]*|&|of|and|for))*?\s+(?:Corp|Corporation|Co|Company|Inc|Ltd|Group|Bank|Airlines|"
    r"Airways|Holdings|Motors|Telecom|Press|News|Times|Herald|Post|Daily|Television|TV|Radio|Broadcasting|"
    r"University|Institute|Foundation|Insurance|Industries)\b(?!\s+Minister)"
)


_DATELINE = re.compile(
    r"^([A-Z][A-Za-z .'-]{1,30}?)\s*,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d|\d)|^([A-Z][A-Z .'-]{2,30})\s*(?:\(|—|-)"
)


def _dateline(doc: Document) -> PlaceMention | None:
    """Return the dateline city ("BANGKOK, April 18 (AFP)") among the first sentences."""
    for sent in doc.sentences[:4]:
        m = _DATELINE.match(sent.text)
        if not m:
            continue
        city = m.group(1) or m.group(2)
        if not (city.isupper() or m.group(2)):
            continue
        for p in doc.places:
            if sent.start <= p.start < sent.start + len(city) + 1 and p.kind != "org":
                return p
    return None
