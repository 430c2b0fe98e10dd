"""Meetings, calls and visits: triggers, participants, status, date and place; one record per real event."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bilateral.extract import dates
from bilateral.extract.coref import main_countries, pronoun_subject
from bilateral.extract.countries import PlaceMention
from bilateral.extract.dating import event_date, is_future, is_past
from bilateral.extract.document import Document, Sentence

Kind = str

_MEET = (
    r"(?P<meet>met|meet|meets|meeting|meetings|(?:held|hold|holds|holding|had|have|has)\s+(?:[\w-]+\s+){0,3}?talks|"
    r"talks\s+(?:[\w-]+\s+){0,2}?with|talks\s+between|discussions\s+(?:[\w-]+\s+){0,2}?with|summit|audience|received|receives|hosted|"
    r"conferred|luncheon|encounter|sat\s+down\s+with|sh(?:ook|akes|aking|ake)\s+hands\s+with|"
    r"present(?:ed|s|ing)?\s+(?:his|her|their)\s+(?:letters\s+of\s+)?credentials|courtesy\s+calls?)"
)
_CALL = (
    r"(?P<call>telephoned|phoned|phone\s+call|telephone\s+call|(?:tele)?phone\s+conversation|video\s*call|"
    r"videoconference|video\s+conference|spoke\s+(?:by|over\s+the|on\s+the)\s+(?:tele)?phone|by\s+(?:tele)?phone|"
    r"(?:tele)?phone\s+(?:talks|discussions?|conversations?)|spoke\s+on\s+the\s+(?:tele)?phone|"
    r"(?:spoke|talked)\s+(?:\w+\s+)?(?:with|to)(?=.{0,80}?\bby\s+(?:tele)?phone\b))"
)
_VISIT = (
    r"(?P<visit>arrived\s+in|arrives\s+in|arrive\s+in|arriving\s+in|arrival\s+in|visit\s+to|visits\s+to|visited|"
    r"visiting|visit|trip\s+to|flew\s+(?:in)?to|flies\s+to|fly\s+to|flying\s+to|left\s+(?:\w+\s+)?for|leaves\s+for|"
    r"leave\s+for|tour\s+of|tour|travell?ed\s+to|travels\s+to|travel\s+to|en\s+route\s+to|landed\s+in|"
    r"went\s+on\s+to|headed\s+(?:on\s+)?to|stops?\s+in|stopover\s+in|depart(?:ed|s)?\s+(?:\w+\s+)?for|"
    r"set\s+off\s+for)"
)
TRIGGER = re.compile(rf"(?=[a-z])\b(?:{_CALL}|{_MEET}|{_VISIT})\b")
"""Event triggers; matched against the lower-cased text (`Document.lower`), which is much faster."""
_NEGATED = re.compile(
    r"(?:\bnot|n't|\bnever|\bno|\bwithout|\brefused\s+to|\bdeclined\s+to|\bfailed\s+to|\bcancel\w*|\bcalled\s+off|"
    r"\bruled\s+out|\bunlikely\s+to|\bdenied)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|is\s+to|are\s+to|was\s+to|to(?!\s+(?-i:[A-Z]|the\s+[A-Z]))|due\s+to|set\s+to|scheduled|expected|slated|plans?|"
    r"planned|planning|upcoming|next|proposed|forthcoming|invited|invitation|hopes?\s+to|wants?\s+to|intends?\s+to|"
    r"agreed\s+to|ahead\s+of|prepar\w+|is\s+going\s+to)\s+(?:[\w-]+\s+){0,4}$",
    re.IGNORECASE,
)
_PLANNED_AFTER = re.compile(
    r"[^.;]{0,80}?\b(?:is|are|was|were|will\s+be|has\s+been|have\s+been)\s+(?:now\s+)?"
    r"(?:scheduled|expected|planned|due|set|slated|put\s+off|postponed|delayed|rescheduled)\b",
    re.IGNORECASE,
)
_WILL = re.compile(r"\b(?:will|would|shall|'ll|was\s+due\s+to|is\s+due\s+to|are\s+due\s+to)\b", re.IGNORECASE)
_SIDE_NOUNS = re.compile(
    r"^\s*(?:government\s+|foreign\s+ministry\s+|high-level\s+|senior\s+|top\s+)?(?:officials?|delegations?|delegates|"
    r"diplomats|envoys|negotiators|side|government|leaders|counterparts|authorities|ministers|team|leadership)\b",
    re.IGNORECASE,
)
_PLACE_PREP = re.compile(
    r"\b(?:in|at|to|into|from|capital\s+of|near|outside)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.IGNORECASE
)
_HERE = re.compile(r"\bhere\b")
_ON_ARRIVAL = re.compile(
    r"\b(?:on|upon|after|soon\s+after|shortly\s+after)\s+(?:his\s+|her\s+|their\s+)?arrival\b"
)
_LETTER = re.compile(r"\b(?:letters?|messages?|cables?|telegrams?)\b", re.IGNORECASE)
_SPORTS = re.compile(
    r"\b(?:quarter-?finals?|semi-?finals?|finals?|world\s+cup|qualifiers?|matche?s?|tournament|olympics?|league|"
    r"championships?|squad|coach|goalkeeper|striker|friendly|kick-?off|stadium|fixtures?|play|plays|"
    r"group\s+[a-h]|clash|games|medals?|athletes?|players?|olympic)\b",
    re.IGNORECASE,
)
_ANNUAL = re.compile(
    r"\b(?:annual|summit\s+of|leaders['’]?\s+(?:summit|meeting)|member\s+states|heads\s+of\s+state\s+and|"
    r"permanent\s+members)\b",
    re.IGNORECASE,
)
_MULTILATERAL = re.compile(
    r"\b(?:plenary|general\s+assembly|ministerial\s+council|six-party|multilateral|cartel)\b", re.IGNORECASE
)
_MANY_PARTIES = re.compile(
    r"\b(?:\d+|dozens\s+of|several|many)\s+(?:other\s+)?(?:countries|nations|economies|member\s+states)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"\b(?:that|said|says|saying)\b")
_SUBJECT_VERBS = frozenset("met meet meets held hold holds had have has".split())
_SESSION = re.compile(r"\s+(?:again\s+)?in\s+(?:an?\s+)?(?:[\w-]+\s+)?session\b", re.IGNORECASE)
_MEET_VERBS = frozenset({"meet", "meets", "met"})
_SATISFY = re.compile(
    r"\s+(?:(?:the|its|their|his|her|our|this|these|all|such|any|growing|rising|increasing|domestic|local|"
    r"global|international|[A-Z][\w-]*)\s+){0,3}(?:obligations?|needs|demands?|targets?|requirements?|criteria|"
    r"standards?|deadlines?|expectations?|goals?|conditions?|costs?|quotas?|commitments?|challenges?|"
    r"thresholds?|benchmarks?|terms|payments?|debts?|shortfalls?|objectives?)\b"
)
_INTERVIEW = re.compile(r"\b(?:told|said|says|interview\w*|quoted)\b[^.;]{0,40}$", re.IGNORECASE)


@dataclass(slots=True)
class Side:
    """One participant side of an event candidate: a person, or an unnamed country or organisation."""

    pid: int | None
    country: str | None
    org: str | None
    title: str | None = None


@dataclass(slots=True)
class Candidate:
    """An event found in one sentence, before merging."""

    kind: Kind
    status: str
    date: str | None
    precision: str
    place: str | None
    place_country: str | None
    sides: list[Side]
    sentence: Sentence
    trigger: tuple[int, int]
    confidence: float
    from_here: bool = False
    also_to: list[str] = field(default_factory=list)
    """Further host countries of the same tour ("stops in Indonesia and the Philippines")."""


def _kind(m: re.Match[str]) -> str:
    return "call" if m.group("call") else "visit" if m.group("visit") else "meeting"


def _same_phrase(doc: Document, a: re.Match[str], b: re.Match[str]) -> bool:
    """Say whether two triggers tell one event ("spoke with X by telephone"): same kind, no clause break."""
    gap = doc.text[a.end() : b.start()]
    return _kind(a) == _kind(b) and len(gap) < 60 and not re.search(r"[,;]|\band\b", gap)


def _coarse(date: str | None) -> str | None:
    """Keep only the year and month of a date (another stop of a tour happened around it)."""
    return date[:7] if date else None


def find_triggers(doc: Document) -> Document:
    """Find every event trigger once."""
    doc.triggers = list(TRIGGER.finditer(doc.lower))
    return doc


def find_events(doc: Document) -> list[Candidate]:
    """Find meeting, call and visit candidates sentence by sentence."""
    out: list[Candidate] = []
    for sent in doc.sentences:
        if (
            doc.dateline is not None
            and doc.dateline.start >= sent.start
            and doc.dateline.end <= sent.end
            and sent.end - sent.start < 60
        ):
            continue
        triggers = [t for t in doc.triggers if sent.start <= t.start() < sent.end]
        if not triggers:
            continue
        prev_planned = False
        last: Candidate | None = None
        prev: Candidate | None = None
        for k, m in enumerate(triggers):
            kind = "call" if m.group("call") else "visit" if m.group("visit") else "meeting"
            before = doc.text[sent.start : m.start()]
            if _NEGATED.search(before[-60:]):
                continue
            if kind == "meeting" and (
                _MULTILATERAL.search(sent.text)
                or _MANY_PARTIES.search(
                    doc.text, max(sent.start, m.start() - 150), min(sent.end, m.end() + 150)
                )
                or re.search(r"\bregional\s+$", doc.text[max(sent.start, m.start() - 10) : m.start()], re.I)
            ):
                continue  # "officials from Germany, Singapore and 15 other economies", "a regional summit"
            if kind == "call" and _LETTER.search(doc.text[max(sent.start, m.start() - 40) : m.end() + 40]):
                continue
            if (
                kind == "call"
                and m.group().startswith("by")
                and _INTERVIEW.search(doc.text, max(sent.start, m.start() - 50), m.start())
            ):
                continue  # "X told AFP by telephone": an interview, not a call between officials
            if kind == "meeting" and _SATISFY.match(doc.text, m.end()) and m.group().lower() in _MEET_VERBS:
                continue  # "meet the obligations", "meet domestic energy needs"
            if kind == "meeting" and _SESSION.match(doc.text, m.end()):
                continue  # "the government met in extraordinary session": a body's own sitting
            lo = triggers[k - 1].end() if k else sent.start
            nxt = [
                t
                for t in triggers[k + 1 :]
                if t.group().lower() != "visiting" and not _same_phrase(doc, m, t)
            ]
            hi = nxt[0].start() if nxt else sent.end
            cand = _visit(doc, sent, m, lo, hi) if kind == "visit" else _meeting(doc, sent, m, kind, lo, hi)
            if cand is None and kind != "visit" and last is not None and last.kind != "visit":
                if _THEIR.search(doc.text, last.trigger[1], m.start()):
                    cand = _meeting(doc, sent, m, kind, lo, hi, sides=last.sides)  # "... their first meeting"
            if cand is not None and cand.also_to:
                for code in cand.also_to:
                    if code not in {s.country for s in cand.sides}:
                        out.append(
                            replace(cand, place=None, place_country=code, also_to=[], date=_coarse(cand.date))
                        )
            if cand is not None:
                prev, last = last, cand
                if prev_planned and cand.status == "occurred":
                    if re.search(r"\b(?:and|for)\s+(?:to\s+)?(?:[\w-]+\s+){0,2}$", doc.text[lo : m.start()]):
                        cand.status = (
                            "planned"  # "was due to meet X ... and hold talks", "to travel ... for talks"
                        )
                        if (
                            prev is not None
                            and prev.status == "planned"
                            and prev.date
                            and not is_future(cand.date, doc.date)
                        ):
                            cand.date, cand.precision = prev.date, prev.precision
                out.append(cand)
            clause = _clause_before(doc, sent, m.start())
            prev_planned = bool(_FUTURE.search(clause) or _WILL.search(clause)) or (
                cand is not None and cand.status == "planned"
            )
    _infer_countries(doc, out)
    return out


def _clause_before(doc: Document, sent: Sentence, start: int) -> str:
    """Return up to 50 characters before a trigger, cut after any earlier trigger in the sentence."""
    lo = max(sent.start, start - 50)
    for m in TRIGGER.finditer(doc.lower, lo, start):
        if m.end() < start:
            lo = m.end()
    for m in _SPEECH_CUT.finditer(doc.text, lo, start):
        lo = m.end()  # "'... will make things worse,' Gul said after talks": the quote is not the clause
    return doc.text[lo:start]


_THEIR = re.compile(r"\b(?:their|they)\b", re.IGNORECASE)
_SPEECH_CUT = re.compile(r"[”\"]|\b(?:said|says|told|added|stressed)\b")


def _status(doc: Document, sent: Sentence, start: int, trigger: str, date: str | None) -> str:
    before = _clause_before(doc, sent, start)
    if is_future(date, doc.date):
        return "planned"
    past_form = trigger.lower().split()[0] in (
        "met",
        "held",
        "had",
        "received",
        "hosted",
        "visited",
        "arrived",
        "telephoned",
        "phoned",
        "flew",
        "left",
        "conferred",
        "landed",
        "travelled",
        "traveled",
    )
    if (_FUTURE.search(before) or _WILL.search(before)) and not past_form:
        return "planned"
    if re.search(r"\b(?:will|would|to)\s+(?:\w+\s+){0,2}$", before):
        return "planned"
    if _PLANNED_AFTER.match(doc.text, start + len(trigger)):
        return "planned"  # "meetings are scheduled", "talks are expected to"
    if (
        not past_form
        and re.search(r"\b(?:will|is\s+(?:expected|scheduled|due|set)\s+to)\b", before)
        and not is_past(date, doc.date)
    ):
        return "planned"
    return "occurred"


def _persons_in(doc: Document, sent: Sentence) -> list[tuple[int, int]]:
    """Return (offset, pid) of the persons a sentence mentions (pronoun subject included)."""
    out = [(m.start, m.pid) for m in doc.person_mentions if m.sentence == sent.index]
    subj = pronoun_subject(doc, sent)
    if subj is not None:
        out.insert(0, (sent.start, subj.pid))
    seen: set[int] = set()
    uniq = []
    for pos, pid in sorted(out):
        if pid not in seen and not doc.persons[pid].nonparty and not doc.persons[pid].nonstate:
            seen.add(pid)
            uniq.append((pos, pid))
    return uniq


def _place_mentions(doc: Document, sent: Sentence) -> list[PlaceMention]:
    return [p for p in doc.places if sent.start <= p.start < sent.end]


def _is_place_use(doc: Document, sent: Sentence, p: PlaceMention) -> bool:
    before = doc.text[max(sent.start, p.start - 30) : p.start]
    return bool(_PLACE_PREP.search(before)) and p.kind != "demonym"


_AGENT = re.compile(
    r"\s*(?:\([^)]{1,20}\)\s*)?(?:,|and\b)|\s+(?:held|met|hold|holds|will|have|has|had|agreed|signed|is|are|was|were|"
    r"conferred|talked|negotiated|discussed)\b"
)
_FROM_SIDE = re.compile(
    r"\b(?:officials|delegations?|delegates|representatives|envoys|ministers|diplomats|negotiators|leaders)\s+"
    r"(?:from|of)\s+(?:the\s+)?(?:[\w'’-]+\s+(?:and|,)\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
_COUNT = {"two": 2, "three": 3, "four": 4}
_N_COUNTRIES = re.compile(
    r"\b(?:the\s+(?P<n>two|three|four)|both)\s+(?:countries|nations|governments|sides|neighbours|neighbors)\b",
    re.IGNORECASE,
)


def _unnamed_sides(doc: Document, sent: Sentence, lo: int, hi: int) -> list[Side]:
    """Countries or organisations acting as a side: "Iranian officials", "Japan and Peru held talks"."""
    sides: list[Side] = []
    covered = [(m.start, m.end) for m in doc.person_mentions if m.sentence == sent.index]
    for p in _place_mentions(doc, sent):
        if not (lo <= p.start <= hi) or p.kind == "city":
            continue
        after = doc.text[p.end : min(sent.end, p.end + 50)]
        noun = _SIDE_NOUNS.match(re.sub(r"^['’]s\b", "", after))
        if p.kind == "demonym":
            if not noun:
                continue
        elif _is_place_use(doc, sent, p) and not _FROM_SIDE.search(
            doc.text, max(sent.start, p.start - 40), p.start
        ):
            continue
        elif not noun and (after.startswith(("'s", "’s")) or _AGENT.match(after) is None):
            continue
        if any(a <= p.start < b + 25 for a, b in covered):
            continue  # the country word belongs to a named person ("Iranian Foreign Minister X")
        if p.kind == "org":
            sides.append(Side(None, None, p.code))
        else:
            sides.append(Side(None, p.code, None))
    many = _N_COUNTRIES.search(doc.text, lo, hi)
    if many:
        n = _COUNT.get((many.group("n") or "two").lower(), 2)
        here = [doc.persons[m.pid] for m in doc.person_mentions if m.sentence == sent.index]
        mine = list(dict.fromkeys(p.country for p in here if p.country))
        if len(mine) >= n:
            sides.extend(Side(None, c, None) for c in mine[:n])
        elif not any(p.country is None and not p.nonstate for p in here):  # those may still get one
            sides.extend(Side(None, c, None) for c in _listed_countries(doc, many.start(), n))
    return sides


_LIST_GAP = re.compile(r"\s*(?:\([^)]{1,20}\))?\s*(?:,|and|,\s*and|&|–|-)\s*(?:the\s+)?")


def _listed_countries(doc: Document, pos: int, n: int) -> list[str]:
    """Return what "the N countries" refers to: the last list of N country names, else the main ones."""
    names = [p for p in doc.places if p.kind == "name" and p.end <= pos]
    for k in range(len(names) - n, -1, -1):
        run = names[k : k + n]
        if all(_LIST_GAP.fullmatch(doc.text[a.end : b.start]) for a, b in zip(run, run[1:], strict=False)):
            codes = list(dict.fromkeys(p.code for p in run))
            if len(codes) == n:
                return codes
    return main_countries(doc)[:n]


def _place_for(doc: Document, sent: Sentence, start: int) -> tuple[str | None, str | None, bool]:
    """Return (place, country, from_here) for an event in this sentence."""
    best: PlaceMention | None = None
    for p in _place_mentions(doc, sent):
        if p.kind in ("org", "demonym"):
            continue
        before = doc.text[max(sent.start, p.start - 40) : p.start]
        if re.search(
            r"\b(?:in|at)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", before, re.IGNORECASE
        ) and not re.search(r"\b(?:from|born|born\s+in)\b", before):
            if best is None or abs(p.start - start) < abs(best.start - start):
                best = p
    if best is not None:
        return (best.text if best.kind != "name" else None), best.code, False
    if _HERE.search(sent.text) and doc.dateline is not None:
        return (
            doc.dateline.text.title() if doc.dateline.text.isupper() else doc.dateline.text,
            doc.dateline.code,
            True,
        )
    return None, None, False


def _sides_for_persons(doc: Document, persons: list[tuple[int, int]]) -> list[Side]:
    out = []
    for _, pid in persons:
        p = doc.persons[pid]
        out.append(Side(pid, p.country, p.org, p.title))
    return out


_GROUP_GAP = re.compile(
    r"\s*(?:,\s*)?(?:and|&)\s+(?:(?!said\b|told\b|who\b|which\b)[\w'’.-]+\s+){0,5}(?:[\w'’.-]+,\s+)?$|\s*,\s*$"
)
_PAIR = re.compile(
    r"\b(?:the\s+two|both)\s+(?:leaders|men|women|presidents|premiers|ministers|foreign\s+ministers|sides|"
    r"heads\s+of\s+state|officials|(?=met\b|meet\b|held\b|hold\b|have\b|had\b|will\b|spoke\b|talked\b))",
    re.IGNORECASE,
)


def _mentions_in(doc: Document, sent: Sentence) -> list[tuple[int, int, int]]:
    """Return (start, end, pid) of the person mentions of a sentence, in text order."""
    out = []
    for pm in sorted(
        (pm for pm in doc.person_mentions if pm.sentence == sent.index), key=lambda pm: pm.start
    ):
        if doc.persons[pm.pid].nonparty or doc.persons[pm.pid].nonstate:
            continue
        out.append((pm.start, pm.end, pm.pid))
    return out


def _group(doc: Document, ms: list[tuple[int, int, int]], i: int, step: int) -> list[tuple[int, int, int]]:
    """Extend a mention into its coordination ("X and Y", "X, Y and Z") in one direction."""
    group = [ms[i]]
    j = i + step
    while 0 <= j < len(ms):
        a, b = (ms[j], group[-1]) if step < 0 else (group[-1], ms[j])
        gap = doc.text[a[1] : b[0]]
        if len(gap) > 60 or not _GROUP_GAP.fullmatch(gap + " "):
            break
        group.append(ms[j])
        j += step
    return group


def _participants(doc: Document, sent: Sentence, m: re.Match[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """Return (offset, pid) of the people taking part: the subject and the object group of the trigger."""
    ms = _mentions_in(doc, sent)
    before = [k for k, x in enumerate(ms) if lo <= x[0] and x[1] <= m.start()]
    after = [
        k
        for k, x in enumerate(ms)
        if x[0] >= m.end() and x[0] < hi and not _CLAUSE_BREAK.search(doc.text, m.end(), x[0])
    ]  # "told a meeting of his aides that X ...": X is what was said, not who met
    subj = sorted(_group(doc, ms, before[-1], -1)) if before else []  # in text order: the first one called
    obj = _group(doc, ms, after[0], 1) if after else []
    obj = [x for x in obj if x[0] < hi]
    if not subj:
        pron = pronoun_subject(doc, sent, m.start())
        first = [x for x in ms if x[1] <= sent.start + max(0, lo - sent.start)]
        if pron is not None:
            subj = [(sent.start, sent.start, pron.pid)]
        elif first and lo > sent.start:
            subj = _group(doc, ms, ms.index(first[0]), 1)
        elif obj:
            rest = [x for x in ms if x[0] > obj[-1][1]]
            if rest and "," in doc.text[obj[-1][1] : rest[0][0]]:
                subj = [rest[0]]
    if subj and not obj:
        k0 = ms.index(subj[-1]) if subj[-1] in ms else -1
        if k0 > 0 and re.search(r",?\s+(?:with\s+)?whom\b", doc.text[ms[k0 - 1][1] : subj[-1][0]]):
            obj = [ms[k0 - 1]]  # "Saddam, with whom the king met"
    people = [(x[0], x[2]) for x in subj + obj]
    if len({p for _, p in people}) < 2 and (
        _PAIR.search(doc.text, max(lo, m.start() - 40), m.end())
        or _PAIR.search(doc.text, m.end(), m.end() + 30)
    ):
        recent: list[int] = [p for _, p in people]
        # the two most prominent people of different countries in the last few sentences
        counts: dict[int, int] = {}
        for pm in doc.person_mentions:
            counts[pm.pid] = counts.get(pm.pid, 0) + 1
        nearby = {
            pm.pid
            for pm in doc.person_mentions
            if sent.index - 3 <= pm.sentence < sent.index
            and not doc.persons[pm.pid].nonparty
            and not doc.persons[pm.pid].nonstate
        }
        for pid in sorted(nearby, key=lambda q: (-counts[q], q)):
            if len(recent) < 2 and all(doc.persons[q].country != doc.persons[pid].country for q in recent):
                recent.append(pid)
        people = [(sent.start, q) for q in recent]
    seen: set[int] = set()
    return [(pos, pid) for pos, pid in people if not (pid in seen or seen.add(pid))]  # type: ignore[func-returns-value]


def _meeting(
    doc: Document,
    sent: Sentence,
    m: re.Match[str],
    kind: str,
    lo: int,
    hi: int,
    sides: list[Side] | None = None,
) -> Candidate | None:
    persons = _participants(doc, sent, m, lo, hi) if sides is None else []
    sides = _sides_for_persons(doc, persons) if sides is None else list(sides)
    have = {s.country for s in sides if s.country} | {s.org for s in sides if s.org}
    near = (max(lo, m.start() - 40), min(hi, m.end() + 40)) if len(persons) >= 2 else (lo, hi)
    for s in _unnamed_sides(doc, sent, *near):
        code = s.country or s.org
        if code and code not in have:
            have.add(code)
            sides.append(s)
    counterpart = [
        r for r in doc.roles if r.sentence == sent.index and r.title == "counterpart" and r.pid is None
    ]
    for r in counterpart:
        if r.country and r.country not in have:
            have.add(r.country)
            subject = doc.persons[persons[0][1]] if persons else None
            sides.append(Side(None, r.country, None, subject.title if subject else None))
    if len(sides) < 2:
        return None
    if all(s.pid is None for s in sides):
        if len(sides) > 3:
            return None  # a list of four or more countries: a multilateral gathering, not a bilateral meeting
        if _SPORTS.search(sent.text):
            return None  # "Japan and Germany will meet in the quarter-finals"
        codes = {s.country or s.org for s in sides}
        if (
            not any(p.code in codes and sent.start <= p.start < m.start() for p in doc.places)
            and not re.search(r"\bbetween\b", doc.text[m.end() : hi])
            and not (
                _N_COUNTRIES.search(doc.text, max(sent.start, m.start() - 60), m.start())
                and m.group().lower().split()[0] in _SUBJECT_VERBS
            )  # "ministers from the three countries met"
        ):
            return None  # "talks with Uzbekistan, South Africa and Morocco": counterparts of someone unnamed
    word = m.group().lower()
    if word.startswith(("received", "receives", "hosted")) and not any(p > m.start() for p, _ in persons):
        return None  # "received a donation": receiving is a meeting only when someone is received
    if word in ("summit", "meeting", "meetings") and _ANNUAL.search(
        doc.text, max(sent.start, m.start() - 30), m.end() + 30
    ):
        return None  # annual summits and leaders' meetings of a bloc are multilateral sessions
    if word in ("meeting", "meetings") and any(
        p.kind == "org" and 0 <= m.start() - p.end < 3 for p in doc.places
    ):
        return None  # "an AU meeting": the organisation's own session
    if word == "summit" and (
        doc.text[m.start()] == "S"
        or any(p.kind == "org" and 0 <= m.start() - p.end < 20 for p in doc.places)
        or re.search(
            r"\d(?:st|nd|rd|th)\s+(?:[\w-]+\s+){0,3}$", doc.text[max(sent.start, m.start() - 40) : m.start()]
        )
    ):
        return None  # "the 16th Ibero-American Summit", "NATO summit": multilateral
    clause = _clause_before(doc, sent, m.start())
    future_hint = bool(_FUTURE.search(clause) or _WILL.search(clause))
    date, precision, _ = event_date(doc, sent, m.start(), future=future_hint, lo=lo, hi=hi)
    status = _status(doc, sent, m.start(), m.group(), date)
    if status == "planned" and not future_hint and date and not is_future(date, doc.date):
        date, precision, _ = event_date(doc, sent, m.start(), future=True, lo=lo, hi=hi)
    place, place_country, here = _place_for(doc, sent, m.start())
    if kind == "call":
        place, place_country, here = None, None, False  # a call joins two places: it has none of its own
    named = sum(1 for s in sides if s.pid is not None)
    conf = min(0.95, 0.45 + 0.15 * min(named, 2) + (0.1 if date else 0) + (0.05 if place_country else 0))
    return Candidate(
        kind, status, date, precision, place, place_country, sides, sent, (m.start(), m.end()), conf, here
    )


def _visit(doc: Document, sent: Sentence, m: re.Match[str], lo: int, hi: int) -> Candidate | None:
    trig = m.group().lower()
    dest: PlaceMention | None = None
    here = False
    if trig == "visiting":
        dest_place, dest_code, here = _place_for(doc, sent, m.start())
        if dest_code is None:
            return None
        dest = PlaceMention(0, 0, dest_place or "", dest_code, "name")
    else:
        for p in _place_mentions(doc, sent):
            if p.start >= m.end() and p.start - m.end() < 40 and p.kind in ("name", "capital", "city"):
                dest = p
                break
        if dest is None and trig in ("visit", "visited"):
            for p in _place_mentions(doc, sent):
                if p.end <= m.start() and m.start() - p.end < 3 and p.kind == "demonym":
                    dest = p  # "his Thailand visit"
            if dest is None and _HERE.search(sent.text) and doc.dateline is not None:
                dest, here = doc.dateline, True
    if dest is None:
        return None
    extra = _listed_after(doc, dest) if dest.end else []
    persons = _persons_in(doc, sent)
    by = re.match(r"\s*(?:by|of)\s+", doc.text[dest.end : dest.end + 8]) if dest.end else None
    visitor: int | None = None
    if by:
        after = [p for p in persons if p[0] > dest.end]
        if after:
            visitor = after[0][1]
    if visitor is None:
        poss = [
            p
            for p in persons
            if p[0] < m.start() and re.match(r"[\w\s.-]*['’]s\s+(?:\w+\s+){0,2}$", doc.text[p[0] : m.start()])
        ]
        cands = [p for p in persons if p[0] < m.start()] or ([] if trig != "visiting" else persons)
        if trig == "visiting":
            cands = [p for p in persons if p[0] > m.start()]
        for _pos, pid in poss or cands:
            if doc.persons[pid].country != dest.code or doc.persons[pid].country_guessed:
                visitor = pid
                break
    sides: list[Side] = []
    if visitor is not None:
        person = doc.persons[visitor]
        if person.country == dest.code and person.country_guessed:
            others = [c for c in main_countries(doc)[:2] if c != dest.code]
            person.country = others[0] if others else None  # nobody visits their own country
        if person.country in (dest.code, None) or not (person.explicit or person.known):
            return None  # a bare name travelling is not yet an official visit
        if person.title is None and not person.known:
            return None  # a boxer or a relative travelling: a visit is an official's
        sides.append(Side(visitor, person.country, person.org, person.title))
    elif not _SPORTS.search(sent.text):
        for s in _unnamed_sides(doc, sent, sent.start, m.start()):
            if s.country and s.country != dest.code and _named_side_noun(doc, sent, s.country, m.start()):
                sides.append(s)
                break
    if not sides:
        return None
    clause = _clause_before(doc, sent, m.start())
    future_hint = bool(_FUTURE.search(clause) or _WILL.search(clause))
    date, precision, _ = event_date(doc, sent, m.start(), future=future_hint, lo=lo, hi=hi)
    if trig == "visiting":
        date, precision = None, "unknown"  # "visiting X" dates the meeting, not the arrival
    status = _status(doc, sent, m.start(), m.group(), date)
    place = dest.text if dest.kind in ("capital", "city") else None
    if here and doc.dateline is not None:
        place = doc.dateline.text.title() if doc.dateline.text.isupper() else doc.dateline.text
    conf = 0.6 + (0.15 if visitor is not None else 0) + (0.1 if date else 0)
    return Candidate(
        "visit",
        status,
        date,
        precision,
        place,
        dest.code,
        sides,
        sent,
        (m.start(), m.end()),
        min(conf, 0.95),
        here,
        [p.code for p in extra],
    )


def _named_side_noun(doc: Document, sent: Sentence, code: str, before: int) -> bool:
    """Say whether the country stands for officials ("a Chinese delegation", "Iran's foreign minister")."""
    for p in _place_mentions(doc, sent):
        if p.code == code and p.end <= before:
            after = re.sub(r"^['’]s\b", "", doc.text[p.end : min(sent.end, p.end + 50)])
            noun = _SIDE_NOUNS.match(after)
            if noun and not noun.group().strip().lower().endswith("team"):
                return True
    return False


def _listed_after(doc: Document, first: PlaceMention) -> list[PlaceMention]:
    """Return the places listed right after `first` ("Indonesia and the Philippines")."""
    out: list[PlaceMention] = []
    prev = first
    for p in doc.places:
        if p.start < prev.end or p.kind not in ("name", "capital", "city"):
            continue
        if not _LIST_GAP.fullmatch(doc.text[prev.end : p.start]):
            break
        out.append(p)
        prev = p
    return out


def _infer_countries(doc: Document, cands: list[Candidate]) -> None:
    """Give persons without a country one the events imply: the host of a meeting with a foreigner."""
    top = main_countries(doc)[:2]
    for c in cands:
        for s in c.sides:
            if s.pid is None or doc.persons[s.pid].country is not None:
                continue
            person = doc.persons[s.pid]
            others = [o for o in c.sides if o is not s and o.pid is not None]
            if c.kind == "meeting" and len(others) == 1 and len(top) == 2 and person.title:
                other = doc.persons[others[0].pid].country  # type: ignore[index]
                if other in top:
                    person.country = top[0] if other == top[1] else top[1]
                    person.country_guessed = True
                    continue
            if c.kind == "visit" and len(top) == 2 and c.place_country in top and not person.explicit:
                person.country = top[0] if c.place_country == top[1] else top[1]
                person.country_guessed = True
            elif c.kind == "meeting" and c.place_country and len(others) == 1 and not person.explicit:
                foreign = [
                    o
                    for o in c.sides
                    if o is not s
                    and o.pid is not None
                    and doc.persons[o.pid].country not in (None, c.place_country)
                ]
                if foreign:
                    person.country = c.place_country
                    person.country_guessed = True
    for c in cands:
        for s in c.sides:
            if s.pid is not None:
                p = doc.persons[s.pid]
                s.country, s.org, s.title = p.country, p.org, p.title
        c.sides = [s for s in c.sides if s.country or s.org]
        named = {s.country or s.org for s in c.sides if s.pid is not None}
        c.sides = [s for s in c.sides if s.pid is not None or (s.country or s.org) not in named]


def _identity(doc: Document, c: Candidate) -> frozenset[object]:
    return frozenset(s.pid if s.pid is not None else (s.country or s.org) for s in c.sides)


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _covers(doc: Document, big: Candidate, small: Candidate) -> bool:
    """Say whether `small` is the same event told with less detail (unnamed sides where `big` has names)."""
    if big.kind != small.kind or not _dates_agree(big.date, small.date):
        return False
    if {s.country or s.org for s in big.sides} != {s.country or s.org for s in small.sides}:
        return False
    named_big = {s.pid for s in big.sides if s.pid is not None}
    named_small = {s.pid for s in small.sides if s.pid is not None}
    if not named_small <= named_big:
        return False
    return small.date is None or big.date == small.date


def merge_events(doc: Document, cands: list[Candidate]) -> list[Candidate]:
    """Merge candidates that tell the same event; keep the most precise date and place."""
    out: list[Candidate] = []
    for c in cands:
        if c.kind != "visit" and len({s.country or s.org for s in c.sides if s.country or s.org}) < 2:
            continue
        if c.kind == "visit" and not c.sides:
            continue
        target = None
        for o in out:
            if o.kind != c.kind or o.status != c.status:
                continue
            if c.kind == "visit":
                if o.place_country != c.place_country or not _dates_agree(o.date, c.date):
                    continue
                if _identity(doc, o) == _identity(doc, c) or _covers(doc, o, c):
                    target = o
                    break
                if _covers(doc, c, o):
                    o.sides = c.sides
                    target = o
                    break
                continue
            if _identity(doc, o) == _identity(doc, c) and _dates_agree(o.date, c.date):
                target = o
                break
            if _covers(doc, o, c):
                target = o
                break
            if _covers(doc, c, o):
                o.sides = c.sides
                target = o
                break
        if target is None:
            out.append(c)
            continue
        if c.date and (target.date is None or len(c.date) > len(target.date)):
            target.date, target.precision = c.date, c.precision
        if c.place_country and not target.place_country:
            target.place, target.place_country = c.place, c.place_country
        if c.status == "occurred" and target.status == "planned" and c.date == target.date:
            target.status = "occurred"
        target.confidence = min(0.97, max(target.confidence, c.confidence) + 0.05)
    _places_from_visits(doc, out)
    return out


def _places_from_visits(doc: Document, events: list[Candidate]) -> None:
    """A meeting of a visitor during the visit takes the visit's place (and its day "on arrival")."""
    visits = [v for v in events if v.kind == "visit"]
    for e in events:
        if e.kind == "meeting" and e.date is None and _ON_ARRIVAL.search(e.sentence.text):
            for v in visits:
                if v.date and v.sides[0].pid is not None and v.sides[0].pid in {s.pid for s in e.sides}:
                    e.date, e.precision = v.date, v.precision
        if e.kind != "visit" and e.date is None and e.status == "occurred" and doc.date and doc.dateline:
            if _HERE.search(e.sentence.text) and not dates.find_time_expressions(
                doc.text, e.sentence.start, e.sentence.end
            ):
                e.date, e.precision = doc.date.isoformat(), "day"  # a wire story's "talks here": that day
        if e.kind != "meeting" or e.place_country:
            continue
        for v in visits:
            if v.status != e.status:
                continue
            vid = v.sides[0].pid
            if vid is None or vid not in {s.pid for s in e.sides}:
                continue
            if v.date and e.date and e.date < v.date[: len(e.date)]:
                continue
            if any(s.country == v.place_country for s in e.sides):
                e.place, e.place_country = v.place, v.place_country
