"""The document the pipeline annotates: the original text, its sentences, tokens and annotations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from bilateral.extract.countries import PlaceMention
    from bilateral.extract.officials import Person, PersonMention, RoleMention
    from bilateral.extract.titles import TitleMention

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr st mt gen lt col maj capt sgt adm gov sen rep rev prof sr jr inc ltd co corp no nos vs
    jan feb mar apr jun jul aug sep sept oct nov dec messrs hon pres amb est approx fig dept univ""".split()
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n")
_WORD_BEFORE = re.compile(r"(\S+)$")

TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., U.N., U.S.S.R.
    r"|[A-Z]\.(?!\w)"  # an initial: "George W. Bush"
    r"|['’]s\b"  # a possessive
    r"|[^\W\d_][\w]*(?:-[\w]+)*(?:['’](?!s\b)[\w]+)*"  # words: "Amir-Abdollahian", "O'Brien", "d'Ivoire"
    r"|\d+(?:[.,]\d+)*"
    r"|[^\w\s]"
)


class Token(NamedTuple):
    """A word or punctuation mark with its offsets into the original text."""

    start: int
    end: int
    text: str

    @property
    def is_cap(self) -> bool:
        """Say whether the token starts with an upper-case letter."""
        return self.text[:1].isupper()


@dataclass(slots=True)
class Sentence:
    """A sentence: offsets into the original text and its tokens (computed on demand)."""

    index: int
    start: int
    end: int
    text: str
    _tokens: list[Token] | None = None

    @property
    def tokens(self) -> list[Token]:
        """Return the sentence's tokens with offsets into the article text."""
        if self._tokens is None:
            base = self.start
            self._tokens = [
                Token(base + m.start(), base + m.end(), m.group()) for m in TOKEN.finditer(self.text)
            ]
        return self._tokens


@dataclass(slots=True)
class Document:
    """An article under annotation; every annotation keeps offsets into `text`."""

    text: str
    date: dt.date | None
    title: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    titles: list[TitleMention] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    person_mentions: list[PersonMention] = field(default_factory=list)
    roles: list[RoleMention] = field(default_factory=list)
    dateline: PlaceMention | None = None
    lower: str = ""
    triggers: list[re.Match[str]] = field(default_factory=list)
    """Event trigger matches over `lower`, found once (see `events.TRIGGER`)."""
    """`text` in lower case, offset for offset (characters whose lower case is longer stay as they are)."""

    def sentence_at(self, pos: int) -> Sentence:
        """Return the sentence that contains the offset `pos`."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= pos:
                lo = mid
            else:
                hi = mid - 1
        return self.sentences[lo]


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences, keeping abbreviations, initials and "U.S." inside them."""
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        cut = m.end()
        punct = m.group()
        if punct.startswith("."):
            before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
            word = before.group(1) if before else ""
            bare = word.lstrip("(\"'“‘").lower()
            if (
                bare in ABBREVIATIONS
                or (len(bare) == 1 and bare.isalpha())
                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare)
            ):
                if not _abbrev_ends_sentence(text, m.end(), bare):
                    continue
        _add(out, text, start, cut)
        start = cut
    _add(out, text, start, len(text))
    return out


def _abbrev_ends_sentence(text: str, pos: int, word: str) -> bool:
    """Say whether "U.S." and the like end the sentence: only before a typical sentence opener."""
    if "." not in word and len(word) > 1:
        return False
    nxt = re.match(r"\s+(\w+)", text[pos:])
    return nxt is not None and nxt.group(1) in {
        "The",
        "He",
        "She",
        "It",
        "They",
        "We",
        "But",
        "In",
        "On",
        "A",
        "This",
    }


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end]))


def make_document(text: str, date: dt.date | None, title: str | None = None) -> Document:
    """Build a document with its sentences."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return Document(text=text, date=date, title=title, sentences=split_sentences(text), lower=low)
