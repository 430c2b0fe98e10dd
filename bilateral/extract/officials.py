"""Officials: person + post + country from the shapes news uses, and role mentions without a name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bilateral.extract.countries import PlaceMention
from bilateral.extract.document import Document, Sentence, Token
from bilateral.extract.names import name_run, name_start, name_tokens
from bilateral.extract.titles import TitleMention

MentionKind = str  # "named" | "surname" | "role" | "pronoun" | "bare"


@dataclass(slots=True)
class Person:
    """One person in the article, with everything the article says about them."""

    pid: int
    name: str
    tokens: tuple[str, ...]
    country: str | None = None
    org: str | None = None
    title: str | None = None
    title_weak: bool = False
    nonparty: bool = False
    explicit: bool = True
    """Introduced by a title or a country word (not a bare capitalised name)."""
    aliases: set[str] = field(default_factory=set)
    known: bool = False
    country_guessed: bool = False
    nonstate: bool = False
    """Presented as holding no state post: a candidate, a rebel, an activist."""


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A stretch of text that refers to a person."""

    start: int
    end: int
    text: str
    pid: int
    sentence: int
    kind: MentionKind


@dataclass(slots=True)
class RoleMention:
    """A post named without a person ("the Iranian foreign minister"); may resolve to a person later."""

    start: int
    end: int
    text: str
    title: str
    country: str | None
    org: str | None
    sentence: int
    pid: int | None = None
    nonparty: bool = False


_POSSESSIVE = ("'s", "’s")
_COUNTERPART = re.compile(r"\bcounterparts?\b", re.IGNORECASE)
_DELEGATION = re.compile(
    r"\b(?i:lead|leads|leading|led|heads|heading|headed|head\s+of|at\s+the\s+head\s+of)\s+(?:an?\s+|the\s+|his\s+|her\s+)?"
    r"(?:[\w-]+\s+){0,3}?(?P<dem>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s+(?:government\s+|official\s+)?delegation",
)


def _place_at(doc: Document, tok: Token) -> PlaceMention | None:
    for p in doc.places:
        if p.start <= tok.start < p.end:
            return p
    return None


class PersonTable:
    """Add and merge persons as the article introduces them."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def add(
        self,
        name: str,
        country: str | None,
        title: str | None = None,
        org: str | None = None,
        *,
        weak: bool = False,
        nonparty: bool = False,
        explicit: bool = True,
    ) -> Person | None:
        """Return the person with this name (merging with one already seen), or None for a bad name."""
        toks = name_tokens(name)
        if not toks:
            return None
        best = self.find(toks, country, org)
        if best is None:
            best = Person(len(self.doc.persons), name, toks, country, org, title, weak, nonparty, explicit)
            self.doc.persons.append(best)
        else:
            if len(toks) > len(best.tokens):
                best.aliases.add(best.name)
                best.name, best.tokens = name, toks
            elif name != best.name:
                best.aliases.add(name)
            best.country = best.country or country
            best.org = best.org or org
            if title and (best.title is None or (best.title_weak and not weak)):
                best.title, best.title_weak = title, weak
            best.nonparty = best.nonparty and nonparty
            best.explicit = best.explicit or explicit
        return best

    def find(self, toks: tuple[str, ...], country: str | None, org: str | None = None) -> Person | None:
        """Return the person whose name these tokens may be (same surname, no clash of given names)."""
        found = None
        for p in self.doc.persons:
            if not same_person_name(toks, p.tokens):
                continue
            if country and p.country and country != p.country:
                continue
            found = p
        return found


def same_person_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Say whether two names may be one person: one contains the other and they share a surname."""
    if not a or not b:
        return False
    sa, sb = set(a), set(b)
    if not (sa <= sb or sb <= sa):
        return False
    return a[-1] == b[-1] or (len(a) == 1 and a[0] in sb) or (len(b) == 1 and b[0] in sa)


def find_officials(doc: Document) -> Document:
    """Find titled persons, role mentions, counterparts and "Country's Name" persons."""
    table = PersonTable(doc)
    by_sentence: dict[int, list[TitleMention]] = {}
    for t in doc.titles:
        by_sentence.setdefault(doc.sentence_at(t.start).index, []).append(t)
    for sent in doc.sentences:
        for tm in by_sentence.get(sent.index, []):
            if not tm.former:
                _official_from_title(doc, table, sent, tm)
            else:
                _former_holder(doc, table, sent, tm)
        if "counterpart" in sent.text:
            _counterparts(doc, table, sent)
        if ("'s " in sent.text or "’s " in sent.text) and any(
            sent.start <= p.start < sent.end and doc.text[p.end : p.end + 2] in _POSSESSIVE
            for p in doc.places
        ):
            _possessive_persons(doc, table, sent)
        if "delegation" in sent.text:
            _delegations(doc, sent)
            _delegation_heads(doc, table, sent)
    return doc


def _tok_index(tokens: list[Token], pos: int) -> int:
    for i, t in enumerate(tokens):
        if t.start >= pos:
            return i
    return len(tokens)


def _country_before(doc: Document, tokens: list[Token], k: int) -> tuple[PlaceMention | None, int]:
    """Return the country or organisation word just before tokens[k] ("Venezuelan", "Iran's", "UN")."""
    j = k - 1
    if j >= 0 and tokens[j].text in ("'s", "’s"):
        j -= 1
    if j >= 0:
        p = _place_at(doc, tokens[j])
        if p is not None and p.kind in ("name", "demonym", "org", "capital"):
            first = j
            while first > 0 and tokens[first - 1].start >= p.start:
                first -= 1
            return p, first
    return None, k


def _official_from_title(doc: Document, table: PersonTable, sent: Sentence, tm: TitleMention) -> None:
    tokens = sent.tokens
    i0 = _tok_index(tokens, tm.start)
    j = _tok_index(tokens, tm.end)
    place, first = _country_before(doc, tokens, i0)
    country = place.code if place is not None and place.kind != "org" else tm.info.country
    org = place.code if place is not None and place.kind == "org" else None
    if tm.info.org and org is None:
        for p in doc.places:
            if p.kind == "org" and sent.start <= p.start < tm.start and tm.start - p.end < 4:
                org = p.code
    det = tokens[first - 1].text.lower() if first > 0 else ""
    # "the foreign minister of Iran", "King Hussein of Jordan" come later: "of COUNTRY".
    k = j
    if k + 1 < len(tokens) and tokens[k].text == "of":
        at = k + 2 if tokens[k + 1].text == "the" and k + 2 < len(tokens) else k + 1
        p2 = _place_at(doc, tokens[at])
        if p2 is not None and p2.kind in ("name", "org"):
            if p2.kind == "org":
                org = org or p2.code
            else:
                country = country or p2.code
            k += 1
            while k < len(tokens) and tokens[k].start < p2.end:
                k += 1
    if tm.info.weak and not tm.capitalised and country is None and org is None:
        return
    # Name to the right: "Foreign Minister Taro Aso", "the foreign minister of Iran, Hossein X".
    start = k
    if start < len(tokens) and tokens[start].text == "," and (det in ("the", "his", "her") or k > j or place):
        start += 1
    end = name_run(tokens, start)
    if end > start and not (tm.info.weak and not tm.capitalised and not (country or org)):
        name_toks = tokens[start:end]
        if start < len(tokens) and tokens[start].text in ("Mr", "Mrs", "Ms", "Dr"):
            pass
        # "King Hussein of Jordan"
        if country is None and end + 1 < len(tokens) and tokens[end].text == "of":
            p3 = _place_at(doc, tokens[end + 1])
            if p3 is not None and p3.kind == "name":
                country = p3.code
        _add_named(doc, table, sent, name_toks, country, tm, org)
        return
    # Name to the left: "Yvan Gil Pinto, Venezuela's foreign minister".
    left = first - 1
    while left >= 1 and tokens[left].text.lower() in ("the", "a", "an", "his", "her", "then", "now", "also"):
        left -= 1
    if left >= 1 and (tokens[left].text == "," or (tokens[left].text == "as" and not tm.info.weak)):
        s = name_start(tokens, left)  # "X, Venezuela's foreign minister", "X as foreign minister"
        if s < left and (
            s == 0
            or tokens[s - 1].text in (",", "and", "(", "said", "by", "with", "met", "told")
            or not tokens[s - 1].is_cap
        ):
            if tm.capitalised or country or org or det in ("the", "a", "an") or tokens[left].text == "as":
                _add_named(doc, table, sent, tokens[s:left], country, tm, org)
                return
    if tm.info.weak and not (country or org):
        return
    doc.roles.append(
        RoleMention(
            tm.start, tm.end, tm.text, tm.canonical, country, org, sent.index, nonparty=tm.info.nonparty
        )
    )


def _add_named(
    doc: Document,
    table: PersonTable,
    sent: Sentence,
    name_toks: list[Token],
    country: str | None,
    tm: TitleMention | None,
    org: str | None,
    *,
    explicit: bool = True,
) -> Person | None:
    start, end = name_toks[0].start, name_toks[-1].end
    if any(p.start <= start < p.end for p in doc.places):
        return None  # "in New York, the Secretary-General": a place, not a name
    name = doc.text[start:end]
    if len(name_toks) == 1 and tm is not None and tm.info.weak and not country:
        return None
    title = tm.canonical if tm is not None else None
    if tm is not None and tm.info.org and org is None and country is None:
        near = [p for p in doc.places if p.kind == "org" and sent.start <= p.start < sent.end]
        if not near:
            return None  # a party's or a company's secretary-general holds no post we record
        org = min(near, key=lambda p: abs(p.start - start)).code
    person = table.add(
        name,
        None if (tm is not None and tm.info.org and org) else country,
        title,
        org if (tm is not None and (tm.info.org or country is None)) else None,  # "UN spokesman X"
        weak=bool(tm and tm.info.weak),
        nonparty=bool(tm and tm.info.nonparty),
        explicit=explicit,
    )
    if person is not None:
        doc.person_mentions.append(PersonMention(start, end, name, person.pid, sent.index, "named"))
    return person


def _former_holder(doc: Document, table: PersonTable, sent: Sentence, tm: TitleMention) -> None:
    """ "Former President X": X holds no post now; keep them from being taken for an official."""
    tokens = sent.tokens
    j = _tok_index(tokens, tm.end)
    end = name_run(tokens, j)
    if end > j:
        person = table.add(doc.text[tokens[j].start : tokens[end - 1].end], None, explicit=False)
        if person is not None and person.title is None:
            person.nonstate = True
            doc.person_mentions.append(
                PersonMention(
                    tokens[j].start, tokens[end - 1].end, person.name, person.pid, sent.index, "named"
                )
            )


def _counterparts(doc: Document, table: PersonTable, sent: Sentence) -> None:
    tokens = sent.tokens
    for m in _COUNTERPART.finditer(doc.text, sent.start, sent.end):
        i = _tok_index(tokens, m.start())
        place, _ = _country_before(doc, tokens, i)
        j = i + 1
        if j < len(tokens) and tokens[j].text == ",":
            j += 1
        end = name_run(tokens, j)
        country = place.code if place is not None and place.kind != "org" else None
        if end > j:
            person = _add_named(doc, table, sent, tokens[j:end], country, None, None)
            if person is not None:
                doc.roles.append(
                    RoleMention(
                        m.start(), m.end(), m.group(), "counterpart", country, None, sent.index, person.pid
                    )
                )
        elif country:
            doc.roles.append(
                RoleMention(m.start(), m.end(), m.group(), "counterpart", country, None, sent.index)
            )


def _possessive_persons(doc: Document, table: PersonTable, sent: Sentence) -> None:
    """ "Russia's Vladimir Putin": a country's person named by at least two name words."""
    tokens = sent.tokens
    for i, tok in enumerate(tokens):
        if tok.text not in ("'s", "’s") or i == 0:
            continue
        p = _place_at(doc, tokens[i - 1])
        if p is None or p.kind not in ("name",):
            continue
        end = name_run(tokens, i + 1)
        if end - (i + 1) >= 2 and not any(
            pm.start <= tokens[i + 1].start < pm.end for pm in doc.person_mentions
        ):
            nxt = tokens[end].text if end < len(tokens) else ""
            if nxt[:1].isupper() or _BODY_AFTER.match(doc.text, tokens[end - 1].end):
                continue  # "Israel's Shin Beth internal security service": a body, not a person
            _add_named(doc, table, sent, tokens[i + 1 : end], p.code, None, None)


_BODY_AFTER = re.compile(
    r"(?:\s+[a-z][\w-]*){0,3}\s+(?:service|agency|ministry|movement|party|company|corporation|group|forces?|"
    r"army|police|council|committee|bank|university|newspaper|channel|network|airline|organi[sz]ation)\b"
)
_HEAD_OF = re.compile(
    r"\b(?:head|chief|leader)\s+of\s+(?:the\s+|a\s+|an\s+)?(?P<c>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)\s+delegation\s*,?\s+"
)


def _delegation_heads(doc: Document, table: PersonTable, sent: Sentence) -> None:
    """ "head of the Japanese delegation, Taro Yamada": a person who speaks for a country."""
    tokens = sent.tokens
    for m in _HEAD_OF.finditer(doc.text, sent.start, sent.end):
        code = None
        for p in doc.places:
            if m.start("c") <= p.start < m.end("c") and p.kind in ("name", "demonym"):
                code = p.code
        if code is None:
            continue
        i = _tok_index(tokens, m.end())
        end = name_run(tokens, i)
        if end > i and not any(pm.start == tokens[i].start for pm in doc.person_mentions):
            person = _add_named(doc, table, sent, tokens[i:end], code, None, None)
            if person is not None and person.title is None:
                person.title = "Head of Delegation"


def _delegations(doc: Document, sent: Sentence) -> None:
    """A person leading a country's delegation belongs to that country."""
    for m in _DELEGATION.finditer(sent.text):
        code = None
        for p in doc.places:
            if p.kind == "demonym" and sent.start + m.start("dem") <= p.start < sent.start + m.end("dem"):
                code = p.code
        if code is None:
            continue
        doc.roles.append(
            RoleMention(
                sent.start + m.start(), sent.start + m.end(), m.group(), "delegation", code, None, sent.index
            )
        )
