"""Title lexicon: posts of heads of state and government, ministers, envoys, monarchs; canonical forms."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from bilateral.extract.countries import gazetteer
from bilateral.extract.document import Document


@dataclass(frozen=True, slots=True)
class TitleInfo:
    """A canonical title and how it behaves."""

    canonical: str
    weak: bool = False
    org: bool = False
    nonparty: bool = False
    head: bool = False
    country: str | None = None
    """The only country that has this post ("Leader of the Islamic Revolution")."""


@dataclass(frozen=True, slots=True)
class TitleMention:
    """A post named in the text ("Oil Minister", "the foreign minister"), normalised."""

    start: int
    end: int
    text: str
    canonical: str
    info: TitleInfo
    capitalised: bool
    former: bool = False


def _data_path(name: str) -> Path:
    return Path(str(resources.files("bilateral.extract") / "data" / name))


_PREFIX = r"(?:(?:first\s+)?(?:deputy|vice|acting|assistant|senior|interim)[\s-]+)?"
_PREFIX_CASED = (
    r"(?:(?:[Ff]irst\s+)?(?:[Dd]eputy|[Vv]ice|[Aa]cting|[Aa]ssistant|[Ss]enior|[Ii]nterim)[\s-]+)?"
)
_FORMER = re.compile(
    r"(?:\bformer|\bex-|\bex|\blate|\bone-time|\bonetime)\s*(?:[A-Z][\w.-]*\s+){0,2}$", re.IGNORECASE
)


# "Minister of Trade and Industry", "Minister for Prisoner Affairs": keep the portfolio as stated.
def _portfolio_pattern() -> str:
    words = _data_path("portfolios.txt").read_text(encoding="utf-8")
    vocab = sorted({w for line in words.splitlines() if not line.startswith("#") for w in line.split()})
    word = "(?:" + "|".join(re.escape(w) for w in sorted(vocab, key=len, reverse=True)) + r")\b"
    return (
        rf"(?:[Mm]inister|Chairman|Chairwoman|Secretary)\s+(?:of|for)\s+(?:the\s+)?{word}"
        rf"(?:(?:,\s*|\s+(?:and|&|of|for)\s+|\s+)(?:the\s+)?{word})*"
    )


# Portfolio words that name a ministry on their own ("Energy Secretary", "the tourism minister"); words that
# name a body ("Party", "Committee") do not.
_BODIES = frozenset(
    "Party Council Committee Commission Board Staff Central Joint Chiefs Assembly Congress Senate Parliament "
    "People's Cabinet Presidential Public Government Local Regional National International Small Medium "
    "Human Natural Higher Post Power State Internal External Relations Affairs Consular Multilateral "
    "Bilateral Asia Pacific Africa Americas Europe Middle East Policy".split()
)


def _ministry_words() -> list[str]:
    words = _data_path("portfolios.txt").read_text(encoding="utf-8")
    vocab = {w for line in words.splitlines() if not line.startswith("#") for w in line.split()}
    return sorted(vocab - _BODIES, key=len, reverse=True)


def _ministry_pattern() -> str:
    """Return "Energy Secretary", "Home Affairs Secretary" and "the tourism minister" shapes."""
    words = _ministry_words()
    cap = "(?:" + "|".join(re.escape(w) for w in words) + ")"
    low = "(?:" + "|".join(re.escape(w.lower()) for w in words) + ")"
    return (
        rf"{cap}(?:\s+(?:Affairs|Security|Relations|Resources|Development|Protection|Services))?"
        r"\s+(?:Secretary|Commissioner)\b"
        rf"|{low}(?:\s+(?:affairs|security|relations|resources|development))?\s+minister\b"
    )


# "Fisheries Minister", "Home Affairs Minister"
_CAP_MINISTER = r"(?:[A-Z][a-z]+\s+){1,2}Minister\b"


@lru_cache(maxsize=1)
def lexicon() -> dict[str, TitleInfo]:
    """Return the cached variant → title table from data/titles.txt."""
    table: dict[str, TitleInfo] = {}
    for line in _data_path("titles.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        flags = set(parts[2].split()) if len(parts) > 2 else set()
        info = TitleInfo(parts[0], "weak" in flags, "org" in flags, "nonparty" in flags, "head" in flags)
        for v in parts[1].split(";"):
            v = " ".join(v.lower().split())
            if v:
                only = re.search(r"\[([A-Z]{3})\]$", v.upper())
                if only:
                    v = v[: only.start()].strip()
                table[v] = TitleInfo(
                    info.canonical,
                    info.weak,
                    info.org,
                    info.nonparty,
                    info.head,
                    only.group(1) if only else None,
                )
    return table


@lru_cache(maxsize=1)
def org_titles() -> frozenset[str]:
    """Return the canonical titles that are posts of an organisation ("Secretary-General")."""
    return frozenset(i.canonical for i in lexicon().values() if i.org)


@lru_cache(maxsize=1)
def title_regex() -> re.Pattern[str]:
    """Return the pattern for lexicon titles; it runs on lower-cased text (`Document.lower`)."""
    variants = sorted(lexicon(), key=len, reverse=True)
    alts = "|".join(r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", v)) for v in variants)
    prefix = _PREFIX.replace("(?:first", "(?:first")
    return re.compile(rf"\b(?P<t>{prefix}(?:{alts}))(?![\w-])")


@lru_cache(maxsize=1)
def portfolio_regex() -> re.Pattern[str]:
    """Return the case-sensitive pattern for "Minister of Trade and Industry" and "Fisheries Minister"."""
    return re.compile(
        rf"\b(?P<t>{_PREFIX_CASED}(?:{_portfolio_pattern()}|{_CAP_MINISTER}|{_ministry_pattern()}))(?![\w-])"
    )


_TITLE_WORDS = re.compile(r"\w+")


def canonical_title(surface: str) -> tuple[str, TitleInfo] | None:
    """Normalise a title as written ("minister of foreign affairs") to its canonical form."""
    s = " ".join(surface.replace("-", " - ").split()).replace(" - ", "-")
    low = s.lower()
    prefix = ""
    m = re.match(r"((?:first\s+)?(?:deputy|vice|acting|assistant|senior|interim)[\s-]+)", low)
    table = lexicon()
    if m and low not in table and low.replace("-", " ") not in table:
        rest = low[m.end() :]
        word = m.group(1).strip(" -")
        if word in ("acting", "interim", "senior"):
            prefix = ""
        else:
            prefix = " ".join(w.capitalize() for w in word.split()) + " "
        low = rest
        s = s[m.end() :]
    info = table.get(low) or table.get(low.replace("-", " "))
    if info is None:
        if low.startswith(("minister", "chairman", "chairwoman", "secretary")):
            words = s.split()
            pretty = " ".join(
                w if w.lower() in ("of", "for", "the", "and") else w[:1].upper() + w[1:] for w in words
            )
            info = TitleInfo(pretty)
        elif low.endswith(("minister", "secretary")):
            info = TitleInfo(" ".join(w.capitalize() for w in s.split()))
        elif low.endswith("commissioner"):  # "Trade Commissioner": a post of an organisation (EU, UN)
            info = TitleInfo(" ".join(w.capitalize() for w in s.split()), org=True)
        else:
            return None
    canonical = prefix + info.canonical
    if prefix and info.canonical == "President":
        canonical = "Vice President"
    return canonical, info


def _matches(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Return title spans from both patterns, longest first where they overlap."""
    spans = [(m.start("t"), m.end("t")) for m in title_regex().finditer(doc.lower, start, end)]
    sent = doc.text[start:end]
    if any(w in sent for w in ("inister", "hairman", "hairwoman", "Secretary", "Commissioner")):
        rx = portfolio_regex()
        table = gazetteer()
        places = [p for p in doc.places if start <= p.start < end]
        for m in rx.finditer(doc.text, start, end):
            first = m.group("t").split()[0]
            inside = [p.end for p in places if p.start <= m.start("t") < p.end]
            if inside or first in table or first.endswith(("'s", "’s")):  # "Egyptian Minister of Trade"
                after = inside[0] if inside else m.start("t") + len(first)
                while after < end and doc.text[after] == " ":
                    after += 1
                m2 = rx.match(doc.text, after, end)
                if m2 is None:
                    continue
                m = m2
            spans.append((m.start("t"), m.end("t")))
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            if b - a > out[-1][1] - out[-1][0] and a >= out[-1][0]:
                out[-1] = (a, b)
            continue
        out.append((a, b))
    return out


def find_titles(doc: Document) -> Document:
    """Annotate every title mention in the document."""
    text = doc.text
    table = gazetteer()
    starts = [m.start() for m in _MAYBE_TITLE.finditer(doc.lower)]
    for sent in doc.sentences:
        k = bisect_left(starts, sent.start)
        if k == len(starts) or starts[k] >= sent.end:
            continue
        for a, b in _matches(doc, sent.start, sent.end):
            surface = text[a:b]
            if " " in surface and not surface[:1].islower():
                first = surface.split()[0]
                if first in table or first.endswith(("'s", "’s")):
                    continue  # "Egyptian Minister of Trade": a longer match without the country word follows
            got = canonical_title(surface)
            if got is None:
                continue
            canonical, info = got
            former = bool(_FORMER.search(text[max(sent.start, a - 40) : a]))
            doc.titles.append(TitleMention(a, b, surface, canonical, info, surface[:1].isupper(), former))
    return doc


_MAYBE_TITLE = re.compile(
    r"(?:president|minister|premier|king|queen|emir|amir|sultan|prince|leader|chairman|secretary|chancellor|"
    r"ambassador|envoy|representative|negotiator|spokes|adviser|advisor|chief|diplomat|governor|speaker|dictator|"
    r"commissioner|councill?or|duke|duchess|pope|taoiseach|t[aá]naiste|consul|charg[eé]|attorney|head\s+of|"
    r"director|pm\b)"
)
