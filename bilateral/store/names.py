"""Name keys of officials and the rules that decide when two written names are the same person."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

TOKEN_THRESHOLD = 85.0
"""rapidfuzz ratio two surname tokens need to count as one spelling (tested in tests/store/test_names.py)."""
NAME_THRESHOLD = 90.0
"""rapidfuzz ratio two whole names (spaces removed) need on top of the token rule."""

_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof"})
_APOSTROPHES = re.compile(r"['’‘`ʼ]")
_NOT_LETTER = re.compile(r"[^\w]+|_")


def display_order(name: str) -> str:
    """Return "Yvan Gil Pinto" for "Gil Pinto, Yvan"; other names unchanged but trimmed."""
    name = " ".join(name.split())
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        words = given.split()
        suffix = [words.pop()] if words and words[-1].rstrip(".").casefold() in _SUFFIXES else []
        if family and words:
            return " ".join([*words, family, *suffix])
    return name


def name_tokens(name: str) -> tuple[str, ...]:
    """Return the folded tokens of a name: accents, case, hyphens and dots gone, honorifics dropped."""
    text = unicodedata.normalize("NFKD", display_order(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    tokens = _NOT_LETTER.sub(" ", text).split()
    while len(tokens) > 1 and tokens[0] in _HONORIFICS:
        tokens = tokens[1:]
    return tuple(tokens)


def name_key(name: str) -> str:
    """Return the key a name is stored and matched under ("Gil Pinto, Yvan" → "yvan gil pinto")."""
    return " ".join(name_tokens(name))


def same_person(a: str, b: str) -> bool:
    """Tell whether two full-name keys name the same person: equal, spaced differently, or a small typo.

    The given name must be identical and every token must have a partner, so "george bush" and
    "george w bush" (a middle initial is a given name) never match.
    """
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    if len(ta) < 2 or len(tb) < 2 or ta[0] != tb[0]:
        return False
    if "".join(ta) == "".join(tb):
        return len(ta[0]) > 1
    if len(ta) != len(tb):
        return False
    for x, y in zip(ta, tb, strict=True):
        if x == y:
            continue
        if min(len(x), len(y)) < 4 or fuzz.ratio(x, y) < TOKEN_THRESHOLD:
            return False
    return fuzz.ratio("".join(ta), "".join(tb)) >= NAME_THRESHOLD


def is_partial_of(partial: str, full: str) -> bool:
    """Tell whether `partial` is a short form of `full`: its surname, or given name and first surname."""
    tp, tf = partial.split(), full.split()
    if not tp:
        return False
    joined = "".join(tp)
    if any("".join(tf[start:]) == joined for start in range(1, len(tf))):
        return True
    return 2 <= len(tp) < len(tf) and tf[: len(tp)] == tp and len(tp[-1]) > 1


def is_short_form(written: str) -> bool:
    """Tell whether a written name is one word ("Maduro", "Amir-Abdollahian"): a surname met alone.

    Only such names may stand for a longer one by the five-year surname rule; "Saddam Hussein" is a
    name of its own even beside "So Saddam Hussein".
    """
    form = display_order(written)
    return bool(form) and not any(ch.isspace() for ch in form)


def form_rank(name: str) -> tuple[int, int, int, str]:
    """Return a sort key that puts the best written form of a name first (more tokens, accents, length)."""
    stripped = display_order(name)
    non_ascii = sum(1 for ch in stripped if ord(ch) > 127 and ch.isalpha())
    return (-len(name_tokens(stripped)), -non_ascii, -len(stripped), stripped)
