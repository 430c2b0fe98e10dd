"""Person names: which capitalised tokens can be part of a name, and name keys for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

from bilateral.extract.countries import gazetteer
from bilateral.extract.document import Token

PARTICLES = frozenset("al el bin ibn dos do da das de van von der den du la le abu di del y bint ben".split())
HONORIFICS = frozenset(
    "Mr Mrs Ms Dr Sir Dame Sheikh Shaikh Ayatollah Seyyed Seyed Sayyed Gen General Lt Col Adm Prof".split()
)


_ARTICLE_NAME = re.compile(r"(?:al|el|ad|as|ash|at|ar|an|az|bin|ibn|abu|ul|ud)-[A-Z]")
_ROMAN = frozenset("II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXIII".split())
_HON = frozenset(h.lower() for h in HONORIFICS)
_SHORT_MONTHS = frozenset("Jan Mar Jun Jul Dec".split())


def _digit_after(tokens: list[Token], j: int) -> bool:
    return j + 1 < len(tokens) and tokens[j + 1].text[:1].isdigit()


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    """Return the capitalised words that never start or continue a person's name."""
    path = Path(str(resources.files("bilateral.extract") / "data" / "name_stopwords.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Lower-case, strip accents, keep letters, digits, spaces and hyphens."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"-\s+", "-", s.lower().replace("’", "'"))
    return re.sub(r"[^a-z0-9 -]", " ", s)


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """Return the folded tokens of a name that identify a person (no particles, no honorifics)."""
    toks = re.split(r"[\s-]+", fold(name))
    return tuple(t for t in toks if len(t) > 1 and t not in PARTICLES and t not in _HON)


def is_name_word(tok: Token) -> bool:
    """Say whether a token may be part of a person's name."""
    t = tok.text
    if _ARTICLE_NAME.match(t):
        return True  # "al-Assad", "el-Sisi"
    if not t[:1].isupper() or t in _stop():
        return False
    if t.isupper() and len(t) > 1 and not (len(t) == 2 and t.endswith(".")):
        return False  # acronyms: "AFP", "IRNA"; initials like "W." pass
    if not any(c.isalpha() for c in t):
        return False
    e = gazetteer().get(t.replace("’", "'"))
    return e is None


def name_run(tokens: list[Token], i: int, max_len: int = 5) -> int:
    """Return the end index (exclusive) of a name starting at tokens[i], or i when there is none."""
    n = len(tokens)
    j = i
    while j < n and tokens[j].text.rstrip(".") in HONORIFICS:
        j += 1
    start = j
    while j < n and j - start < max_len:
        tok = tokens[j]
        if (
            is_name_word(tok)
            or (j > start and _is_city_word(tok) and _ends_name(tokens, j))
            or (j > start and tok.text == "He")  # "Liu He": a capital pronoun inside a sentence is a name
            or (j > start and tok.text in _ROMAN)  # "Abdullah II"
            or (j > start and tok.text in _SHORT_MONTHS and not _digit_after(tokens, j))  # "Wang Jun"
        ):
            j += 1
            continue
        if tok.text.lower() in PARTICLES and j > start:  # "bin Salman", "von der Leyen"
            k = j + 1
            while k < n and k - j < 3 and tokens[k].text.lower() in PARTICLES:
                k += 1
            if k < n and is_name_word(tokens[k]):
                j = k
                continue
        break
    if j == start:
        return i
    # A name does not end on an initial alone.
    while j > start and len(tokens[j - 1].text) <= 2 and tokens[j - 1].text.endswith("."):
        j -= 1
    return j if j > start else i


def _is_city_word(tok: Token) -> bool:
    """Say whether a token is a capital or city name (which can also be a surname: "Joao Lima")."""
    e = gazetteer().get(tok.text)
    return e is not None and e.kind in ("capital", "city") and tok.text[:1].isupper()


def _ends_name(tokens: list[Token], j: int) -> bool:
    """Say whether a city word at tokens[j] closes a name rather than starting a place phrase."""
    nxt = tokens[j + 1].text if j + 1 < len(tokens) else ""
    return not nxt[:1].isupper() and nxt not in ("-", "–")


def name_start(tokens: list[Token], i: int) -> int:
    """Return the index of the first token of a name that ends at tokens[i - 1], or i when there is none."""
    j = i
    while j > 0 and i - j < 5:
        tok = tokens[j - 1]
        if is_name_word(tok):
            j -= 1
            continue
        if tok.text.lower() in PARTICLES and j < i and j - 2 >= 0 and is_name_word(tokens[j - 2]):
            j -= 1
            continue
        break
    while j < i and tokens[j].text.lower() in PARTICLES:
        j += 1
    return j
