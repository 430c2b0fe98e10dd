"""Coreference: surname and role mentions, bare names, the known-officials lookup, inferred countries."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable

from bilateral.extract.document import Document, Sentence, Token
from bilateral.extract.names import fold, is_name_word, name_run, name_tokens
from bilateral.extract.officials import Person, PersonMention, PersonTable, RoleMention, same_person_name
from bilateral.extract.records import OfficialLookup
from bilateral.extract.titles import org_titles

_BARE_AFTER = re.compile(
    r"^(?:['’]s\s+(?:visit|trip|tour|talks|meeting|arrival|call|phone)|\s+(?:also\s+)?(?:met|meets|held|holds|"
    r"received|receives|hosted|hosts|visited|visits|telephoned|phoned|called|arrived|arrives|said|says|told|"
    r"pointed|stressed|added|urged|conveyed|welcomed|left|flew|travel+ed)\b)"
)
TRIGGER_WORDS = re.compile(
    r"\b(?:met|meet|meets|meeting|talks|summit|received|hosted|visit|visited|visiting|telephoned|phoned|call)\b",
    re.IGNORECASE,
)
_NOT_PEOPLE = frozenset(
    "Reuters AFP Xinhua IRNA Yonhap Kyodo Tass Interfax Washington Moscow Beijing".split()
)
_COMMON_OPENERS = frozenset("it this that there officials sources analysts observers diplomats".split())
_BARE_BEFORE = re.compile(
    r"\b(?:met|meet|meets|meeting|talks|conversation|call|telephoned|phoned|received|hosted)\s+(?:with\s+)?$",
    re.IGNORECASE,
)
_SPEECH = re.compile(r"\s+(?:also\s+)?(?:said|says|told|added|warned|stressed|announced)\b")
_PRONOUN = re.compile(r"\b(?:He|She|he|she)\b")


def resolve_mentions(doc: Document, known: OfficialLookup | None) -> Document:
    """Link later mentions to persons, add bare-named persons, and fill countries and titles."""
    table = PersonTable(doc)
    surnames = {p.tokens[-1] for p in doc.persons if p.tokens}
    covered = _covered(doc, surnames)
    runs: list[tuple[Sentence, int, int]] = []
    for sent in _relevant_sentences(doc, surnames, known is not None):
        tokens = sent.tokens
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if not tok.text[:1].isupper() or covered(tok.start):
                i += 1
                continue
            if not (is_name_word(tok) or fold(tok.text).strip() in surnames):
                i += 1
                continue
            end = name_run(tokens, i, 4)
            if end <= i and fold(tok.text).strip() in surnames:
                end = i + 1
            if end <= i:
                i += 1
                continue
            runs.append((sent, i, end))
            i = end
    _bare_persons(doc, table, runs)
    for sent, i, end in runs:
        _link_run(doc, table, sent, sent.tokens, i, end, known)
    named = [(m.start, m.end) for m in doc.person_mentions]
    doc.places = [p for p in doc.places if not any(a <= p.start < b for a, b in named)]
    _apply_delegations(doc)
    _coordinated_countries(doc)
    _spokesman_countries(doc)
    _non_state(doc)
    _counterpart_titles(doc)
    _resolve_roles(doc)
    _counterpart_titles(doc)
    _context_country(doc)
    doc.person_mentions.sort(key=lambda m: m.start)
    return doc


_NON_STATE = re.compile(
    r"\b(?:candidate|opposition\s+leader|rebel|rebels|activist|journalist|businessman|businesswoman|militant|"
    r"insurgent|warlord|guerrilla)\b[^.;]{0,45}$",
    re.IGNORECASE,
)


_NON_STATE_AFTER = re.compile(
    r"['’]s\s+(?:rebels|rebel\s+\w+|militias?|guerrillas|insurgents|militants)\b|,\s+(?:the\s+)?(?:rebel|opposition)\s+leader",
    re.IGNORECASE,
)


def _non_state(doc: Document) -> None:
    """Mark untitled persons the text presents as candidates, rebels or activists: they hold no state post."""
    for m in doc.person_mentions:
        person = doc.persons[m.pid]
        if person.title is not None or person.known:
            continue
        sent = doc.sentences[m.sentence]
        if _NON_STATE.search(doc.text, max(sent.start, m.start - 60), m.start) or _NON_STATE_AFTER.match(
            doc.text, m.end
        ):
            person.nonstate = True


def _bare_persons(doc: Document, table: PersonTable, runs: list[tuple[Sentence, int, int]]) -> None:
    """Add persons named without a title where the text treats them as actors ("X said", "X and Y met")."""
    starts = {(sent.index, sent.tokens[i].start): (sent, i, end) for sent, i, end in runs}
    for sent, i, end in runs:
        tokens = sent.tokens
        after = doc.text[tokens[end - 1].end : tokens[end - 1].end + 40]
        before = doc.text[max(sent.start, tokens[i].start - 40) : tokens[i].start]
        bare = bool(_BARE_AFTER.match(after)) or bool(_BARE_BEFORE.search(before))
        if not bare and TRIGGER_WORDS.search(sent.text):
            nxt = re.match(r"\s+and\s+", after)
            if nxt is not None:
                pos = tokens[end - 1].end + nxt.end()
                other = starts.get((sent.index, pos))
                if other is not None or _mention_near(doc, pos) is not None:
                    bare = True
                    if other is not None:
                        o_sent, oi, oend = other
                        _add_bare(doc, table, o_sent, oi, oend)
        if bare:
            _add_bare(doc, table, sent, i, end)


def _add_bare(doc: Document, table: PersonTable, sent: Sentence, i: int, end: int) -> None:
    tokens = sent.tokens
    text = doc.text[tokens[i].start : tokens[end - 1].end]
    if text in _NOT_PEOPLE or (end - i == 1 and i == 0 and text.lower() in _COMMON_OPENERS):
        return
    if any(same_person_name(name_tokens(text), p.tokens) for p in doc.persons):
        return
    table.add(text, None, explicit=False)


def _covered(doc: Document, surnames: set[str]) -> Callable[[int], bool]:
    """Return a test for offsets inside a person name, a title or a place (a place may be a surname)."""
    spans = [(m.start, m.end) for m in doc.person_mentions] + [(t.start, t.end) for t in doc.titles]
    spans += [
        (pl.start, pl.end)
        for pl in doc.places
        if " " in pl.text or fold(pl.text).strip() not in surnames  # "Lima" may be Joao Lima's surname
    ]
    spans.sort()
    starts = [a for a, _ in spans]

    def inside(pos: int) -> bool:
        k = bisect_right(starts, pos) - 1
        while k >= 0 and spans[k][0] <= pos:
            if pos < spans[k][1]:
                return True
            k -= 1
            if k >= 0 and pos - spans[k][0] > 200:
                break
        return False

    return inside


def _relevant_sentences(doc: Document, surnames: set[str], with_known: bool) -> list[Sentence]:
    """Return the sentences where names matter: events, agreements, titles, persons met, ledes' next lines."""
    from bilateral.extract.agreements import AGREEMENT

    keep: set[int] = {doc.sentence_at(t.start).index for t in doc.titles}
    keep.update(m.sentence for m in doc.person_mentions)
    for r in doc.roles:
        keep.update(range(r.sentence, r.sentence + 4))
    low = doc.lower
    keep.update(doc.sentence_at(m.start()).index for m in doc.triggers)
    keep.update(doc.sentence_at(m.start()).index for m in AGREEMENT.finditer(low))
    if surnames:
        rx = re.compile("|".join(re.escape(s) for s in sorted(surnames, key=len, reverse=True)))
        keep.update(doc.sentence_at(m.start()).index for m in rx.finditer(low))
    return [sent for sent in doc.sentences if sent.index in keep]


def _link_run(
    doc: Document,
    table: PersonTable,
    sent: Sentence,
    tokens: list[Token],
    i: int,
    end: int,
    known: OfficialLookup | None,
) -> None:
    """Resolve one capitalised run: a person already met, a known official, or a bare name."""
    for cut in range(i, end):  # longest suffix that names a person: "Gil Pinto", "Amir-Abdollahian"
        text = doc.text[tokens[cut].start : tokens[end - 1].end]
        toks = name_tokens(text)
        if not toks:
            continue
        cands = [p for p in doc.persons if same_person_name(toks, p.tokens)]
        if not cands:
            continue
        person = _closest(doc, cands, tokens[cut].start)
        if len(toks) > len(person.tokens):  # "Putin" met first, "Vladimir Putin" later: keep the fuller name
            person.aliases.add(person.name)
            person.name, person.tokens = text, toks
        if person.country is None and person.org is None and known is not None:
            found = known.candidates(text, doc.date)
            if found and len({k.country for k in found}) == 1:
                k = max(found, key=lambda k: len(name_tokens(k.name)))
                person.country, person.org = k.country, k.org
                person.title = person.title or k.title
                person.known = person.explicit = True
                if len(name_tokens(k.name)) > len(person.tokens):
                    person.aliases.add(person.name)
                    person.name, person.tokens = k.name, name_tokens(k.name)
        doc.person_mentions.append(
            PersonMention(tokens[cut].start, tokens[end - 1].end, text, person.pid, sent.index, "surname")
        )
        return
    text = doc.text[tokens[i].start : tokens[end - 1].end]
    if known is not None:
        found = known.candidates(text, doc.date)
        countries = {k.country for k in found}
        if found and len(countries) == 1:
            k = max(found, key=lambda k: len(k.name))
            added = table.add(
                k.name if len(name_tokens(k.name)) >= len(name_tokens(text)) else text,
                k.country,
                k.title,
                k.org,
                explicit=True,
            )
            if added is not None:
                person = added
                person.known = True
                doc.person_mentions.append(
                    PersonMention(tokens[i].start, tokens[end - 1].end, text, person.pid, sent.index, "named")
                )
            return


def _next_is_person(doc: Document, pos: int) -> bool:
    return any(m.end <= pos and pos - m.end < 8 for m in doc.person_mentions)


def _mention_near(doc: Document, pos: int) -> PersonMention | None:
    """Return a person mention at `pos`, or after a title in capitals ("and Peruvian Foreign Minister X")."""
    for m in doc.person_mentions:
        if pos <= m.start < pos + 50 and _TITLE_GAP.fullmatch(doc.text, pos, m.start):
            return m
    return None


_TITLE_GAP = re.compile(r"(?:[A-Z][\w'’.-]*\s+){0,5}")


def _mention_at(doc: Document, pos: int) -> PersonMention | None:
    for m in doc.person_mentions:
        if m.start == pos:
            return m
    return None


def _closest(doc: Document, cands: list[Person], pos: int) -> Person:
    """Among persons sharing a name, prefer one holding a post that acts (not a spokesman), then recency."""
    if len(cands) == 1:
        return cands[0]
    last: dict[int, int] = {}
    for m in doc.person_mentions:
        if m.start < pos:
            last[m.pid] = m.start
    return max(cands, key=lambda p: (not p.nonparty, last.get(p.pid, -1), -p.pid))


def _apply_delegations(doc: Document) -> None:
    for role in [r for r in doc.roles if r.title == "delegation"]:
        mentions = [m for m in doc.person_mentions if m.sentence == role.sentence]
        if not mentions:
            continue
        m = min(mentions, key=lambda m: abs(m.start - role.end))
        person = doc.persons[m.pid]
        if person.country is None:
            person.country = role.country


def _coordinated_countries(doc: Document) -> None:
    """ "X and President Y": a person without a country named beside one with a country shares it."""
    ms = sorted(doc.person_mentions, key=lambda m: m.start)
    for a, b in zip(ms, ms[1:], strict=False):
        if a.sentence != b.sentence:
            continue
        gap = doc.text[a.end : b.start]
        if TRIGGER_WORDS.search(doc.sentences[a.sentence].text) and any(
            a.end <= p.start < b.start for p in doc.places
        ):
            continue  # "met X and Japanese Prime Minister Y": two sides, not one government
        if not re.fullmatch(r"\s*(?:,|and)\s+(?:[A-Z][\w-]*\s+){0,6}", gap + " ") or len(gap) > 60:
            continue
        pa, pb = doc.persons[a.pid], doc.persons[b.pid]
        if pa.country and not pb.country and pb.explicit:
            pb.country, pb.country_guessed = pa.country, True
        elif pb.country and not pa.country and pa.explicit:
            pa.country, pa.country_guessed = pb.country, True


def _spokesman_countries(doc: Document) -> None:
    """ "Soviet spokesman X said envoy Y left": officials a government spokesman reports on are its own."""
    ms = sorted(doc.person_mentions, key=lambda m: m.start)
    for i, m in enumerate(ms):
        speaker = doc.persons[m.pid]
        if not speaker.nonparty or speaker.country is None or not _SPEECH.match(doc.text, m.end):
            continue
        for later in ms[i + 1 :]:
            if later.sentence != m.sentence:
                break
            person = doc.persons[later.pid]
            if person.country is None and person.org is None and person.title is not None:
                person.country, person.country_guessed = speaker.country, True


def _resolve_roles(doc: Document) -> None:
    """Resolve "the Iranian foreign minister" to the person holding that post, when the article allows it."""
    for role in doc.roles:
        if role.pid is not None or role.title in ("delegation", "counterpart"):
            continue
        person = _role_referent(doc, role)
        if person is None:
            continue
        role.pid = person.pid
        if person.title is None:
            person.title = role.title
        person.explicit = True
        person.country = person.country or role.country
        doc.person_mentions.append(
            PersonMention(role.start, role.end, role.text, role.pid, role.sentence, "role")
        )


def _role_referent(doc: Document, role: RoleMention) -> Person | None:
    """Find who a role mention names: a holder of the post met before, else an untitled person nearby."""
    same_title = [
        p
        for p in doc.persons
        if p.title == role.title
        and (role.country is None or p.country in (role.country, None))
        and (role.org is None or p.org == role.org)
    ]
    if role.country is not None:
        same_title = [p for p in same_title if p.country == role.country] or same_title
    last = _last_mentions(doc, role.start)
    before = [p for p in same_title if p.pid in last]
    if before:
        return max(before, key=lambda p: last[p.pid])
    if role.country is not None:
        untitled = [
            p
            for p in doc.persons
            if p.country == role.country and p.title is None and not p.nonparty and not p.explicit
        ]
        if len(untitled) == 1:
            return untitled[0]

    def fits(p: Person) -> bool:
        return p.title is None and not (p.nonparty or p.nonstate) and p.country in (None, role.country)

    # anaphora: "Callaghan told Ford ... the British premier responded"
    recent = [
        m
        for m in sorted(doc.person_mentions, key=lambda m: -m.start)
        if m.start < role.start and role.sentence - 2 <= m.sentence <= role.sentence
    ]
    for m in recent[:1]:
        if fits(doc.persons[m.pid]) and role.country is not None:
            return doc.persons[m.pid]
    # a lede names the post, the next sentences the person ("the Thai envoy said ... X told")
    nxt = [
        m
        for m in sorted(doc.person_mentions, key=lambda m: m.start)
        if role.sentence < m.sentence <= role.sentence + 3
    ]
    nxt = [m for m in nxt if _SPEECH.match(doc.text, m.end)] or nxt
    if nxt and fits(doc.persons[nxt[0].pid]) and doc.persons[nxt[0].pid].country is None:
        return doc.persons[nxt[0].pid]
    if len({p.pid for p in same_title}) == 1:
        return same_title[0]
    return None


def _last_mentions(doc: Document, pos: int) -> dict[int, int]:
    """Return, for each person mentioned before `pos`, the offset of the last such mention."""
    last: dict[int, int] = {}
    for m in doc.person_mentions:
        if m.start < pos:
            last[m.pid] = max(last.get(m.pid, -1), m.start)
    return last


def _counterpart_titles(doc: Document) -> None:
    """ "X met his Venezuelan counterpart Y": Y holds X's post; X is not Venezuelan."""
    for _ in range(2):
        for role in doc.roles:
            if role.title != "counterpart":
                continue
            subject = _subject_before(doc, role.sentence, role.start)
            if subject is None:
                continue
            if role.pid is not None:
                other = doc.persons[role.pid]
                if subject.title and not other.title:
                    other.title = subject.title
                elif other.title and not subject.title:
                    subject.title = other.title
            if subject.country is None and role.country is not None:
                top = [c for c, _ in _country_counts(doc).most_common(2)]
                others = [c for c in top if c != role.country] if role.country in top else []
                if others:
                    subject.country = others[0]
                    subject.country_guessed = True


def _subject_before(doc: Document, sentence: int, pos: int) -> Person | None:
    best = None
    for m in doc.person_mentions:
        if m.sentence == sentence and m.start < pos:
            best = doc.persons[m.pid]
            break
    return best


def _country_counts(doc: Document) -> Counter[str]:
    return Counter(p.code for p in doc.places if p.kind in ("name", "demonym", "capital"))


def main_countries(doc: Document) -> list[str]:
    """Return the article's countries, most mentioned first."""
    return [c for c, _ in _country_counts(doc).most_common()]


def _context_country(doc: Document) -> None:
    """Give a titled person without a country the article's dominant country, when one dominates."""
    counts = _country_counts(doc)
    total = sum(counts.values())
    fallback = None
    top = counts.most_common(2)
    if (
        total
        and top[0][1] >= 2
        and top[0][1] / total >= 0.35
        and (len(top) == 1 or top[0][1] >= 1.5 * top[1][1])
    ):
        fallback = top[0][0]
    main = [c for c, _ in top]
    home = doc.dateline.code if doc.dateline is not None and doc.dateline.code in main else None
    org_posts = org_titles()
    for p in doc.persons:
        if p.country is not None or p.org is not None or p.title is None or not p.explicit:
            continue
        if p.title in org_posts or p.title.endswith("Commissioner"):
            continue  # an organisation's post: the article's main country is not theirs
        if fallback and not p.nonparty:  # spokesmen often speak for foreign governments
            p.country, p.country_guessed = fallback, True
        elif home:  # a local story: an untitled-country official is most likely the dateline's
            p.country, p.country_guessed = home, True


def pronoun_subject(doc: Document, sent: Sentence, before: int | None = None) -> Person | None:
    """Return the person "he"/"she" refers to when no one is named before it: the last sentence subject."""
    m = _PRONOUN.search(doc.text, sent.start, sent.end if before is None else before)
    if m is None:
        return None
    if any(pm.sentence == sent.index and pm.start < m.start() for pm in doc.person_mentions):
        return None
    for prev in range(sent.index - 1, max(-1, sent.index - 4), -1):
        ms = [m for m in doc.person_mentions if m.sentence == prev]
        if ms:
            return doc.persons[ms[0].pid]
    return None
