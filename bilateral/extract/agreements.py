"""Agreements: memoranda, treaties, accords, contracts, declarations and plans, with status and parties."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bilateral.extract.coref import main_countries
from bilateral.extract.dating import event_date, is_future
from bilateral.extract.document import Document, Sentence

_HEAD = (
    r"(?P<head>memorandum\s+of\s+understanding|memoranda\s+of\s+understanding|memorandums|memoranda|memorandum|"
    r"mous|mou|agreements|agreement|accords|accord|treaties|treaty|pacts|pact|deals|deal|contracts|contract|"
    r"declaration|roadmap|road\s+map|protocol|convention|cooperation\s+document|document|armistice|"
    r"truce|plan|(?:loan|aid|bailout|rescue)\s+package|package|loan)"
)
AGREEMENT = re.compile(rf"\b{_HEAD}\b")
_SINGULAR = {
    "memoranda of understanding": "memorandum of understanding",
    "memorandums": "memorandum",
    "memoranda": "memorandum",
    "mous": "mou",
    "agreements": "agreement",
    "accords": "accord",
    "treaties": "treaty",
    "pacts": "pact",
    "deals": "deal",
    "contracts": "contract",
}
"""Agreement nouns; matched against the lower-cased text (`Document.lower`)."""
_TYPES = {
    "memorandum": "memorandum",
    "memorandum of understanding": "memorandum",
    "mou": "memorandum",
    "agreement": "agreement",
    "accord": "accord",
    "treaty": "treaty",
    "pact": "agreement",
    "deal": "agreement",
    "contract": "contract",
    "declaration": "declaration",
    "roadmap": "plan",
    "road map": "plan",
    "document": "plan",
    "cooperation document": "plan",
    "framework": "plan",
    "plan": "plan",
    "protocol": "other",
    "convention": "treaty",
    "armistice": "agreement",
    "truce": "agreement",
    "package": "agreement",
}
_STOP_MOD = frozenset(
    """the a an this that these those its their his her our of to and on in with by for from at as signed
    signing sign reached agreed new landmark historic had has have was were is are be been under any such
    after before since which who whom whose while when where than then also but or not no two three four five
    six seven eight nine ten eleven twelve several some many dozen dozens series number rejected accepted
    approved welcomed backed supported violated breached ratified criticized criticised praised hailed
    endorsed respect honor honour said says""".split()
)
_COMPLEMENT = re.compile(
    r"\s+(?:on|to|for|of|over|regarding|concerning)\s+(?!(?:monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|"
    r"mar|apr|jun|jul|aug|sept?|oct|nov|dec|last|next|this|today|tomorrow|yesterday|\d)\b)"
    r"(?:[\w'’-]+\s+){0,7}?[\w'’-]+"
    r"(?=[,.;:]|\s+(?:which|that|who|was|were|is|are|will|would|signed|reached|in|at|on|last|next|during|after|"
    r"between|with|by|"
    r"before|by|and\s+the|under)\b|$)",
    re.IGNORECASE,
)
_CUES = [
    (
        "planned",
        re.compile(
            r"\b(?:will|would|shall|to|expected\s+to|plans?\s+to|set\s+to|due\s+to|ready\s+to|hopes?\s+to)\s+"
            r"(?:\w+\s+)?(?:sign|conclude|ink|seal)\b|\bto\s+be\s+signed\b|\b(?:will|would)\s+be\s+signed\b"
            r"|\b(?:interest\s+in|process\s+of|ahead\s+of|prior\s+to|before|towards?|aim(?:ed|s|ing)?\s+at|"
            r"plans?\s+for|prepar(?:ation|ing)\s+for|ready\s+for|way\s+for|view\s+to)\s+(?:the\s+)?signing\b",
            re.IGNORECASE,
        ),
    ),
    ("signed", re.compile(r"\b(?:signed|signing|inked|sealed|signatories)\b", re.IGNORECASE)),
    (
        "implemented",
        re.compile(
            r"\b(?:in(?:to)?\s+force|took\s+effect|(?:came|went)\s+into\s+effect|implemented|implementing|"
            r"implementation\s+of|under\s+(?:the|a|an|this)|ratified)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "reached",
        re.compile(
            r"\b(?:reached|agreed|struck|concluded|conclusion|clinched|hammered\s+out|brokered|finali[sz]ed)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "discussed",
        re.compile(
            r"\b(?:negotiat\w*|discuss\w*|talks\s+on|work(?:ing)?\s+on|begun\s+work|seek\w*|push\w*\s+for|"
            r"propos\w*|consider\w*)\b",
            re.IGNORECASE,
        ),
    ),
]
_DRAFT = re.compile(r"\b(?:draft|proposed|planned|future|possible|potential|new)\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:no|not|never|without|failed\s+to)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_NOT_BEFORE = re.compile(r"\b(?:not|n't|never|no)\s+(?:\w+\s+)?$", re.IGNORECASE)
_CONDITIONAL = re.compile(r"\b(?:if|unless|whether)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
_SIGNER = re.compile(r"\b(?:signed|inked)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_BILATERAL = re.compile(
    r"\b(?:the\s+two\s+(?:countries|nations|sides|governments)|both\s+(?:countries|sides)|bilateral)\b",
    re.IGNORECASE,
)
_CURRENCY = re.compile(
    r"^\s*(?:dollars?|pounds?|euros?|yuan|yen|rubles?|roubles?|rupees?|francs?|marks?|cents?)\b",
    re.IGNORECASE,
)
_PLACE_USE = re.compile(r"\b(?:in|at|near|outside|into)\s+(?:the\s+)?$", re.IGNORECASE)
_SIGNED = re.compile(r"\b(?:signed|inked|signing\s+of)\b", re.IGNORECASE)
_VERB_USE = re.compile(
    r"\b(?:to|will|would|can|could|must|should|may|might|cannot|not|and|or|who|which|that)\s+$", re.IGNORECASE
)
_GOVERNMENT = re.compile(
    r"^\s+(?:government|side|authorities|officials|delegation|negotiators|parliament|congress|senate|cabinet|"
    r"legislature|lawmakers)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class AgreementCandidate:
    """An agreement found in one sentence, before merging."""

    title: str
    type: str
    status: str
    date: str | None
    precision: str
    place: str | None
    place_country: str | None
    parties: list[tuple[str | None, str | None]]
    signatories: dict[str, int]
    """Party code → person id of the one who signed for it."""
    sentence: Sentence
    span: tuple[int, int]
    confidence: float


def find_agreements(doc: Document) -> list[AgreementCandidate]:
    """Find agreements sentence by sentence and merge repeated mentions."""
    out: list[AgreementCandidate] = []
    for sent in doc.sentences:
        for m in AGREEMENT.finditer(doc.lower, sent.start, sent.end):
            cand = _agreement(doc, sent, m)
            if cand is not None:
                out.append(cand)
    return _merge(out)


def _title_start(doc: Document, sent: Sentence, head_start: int) -> int:
    """Return where the agreement's name starts: up to five modifier words before its head."""
    start = head_start
    for _ in range(5):
        m = re.search(r"([\w'’.-]+)\s+$", doc.text[max(sent.start, start - 40) : start])
        if m is None or m.group(1).lower() in _STOP_MOD or m.group(1).lower().endswith(("'s", "’s")):
            break
        start -= len(m.group(0))
    return start


def _status(doc: Document, sent: Sentence, start: int, end: int, title: str) -> tuple[str | None, int]:
    """Return the status cue nearest the agreement (and its distance), or None."""
    lo = max(sent.start, start - 80)
    hi = min(sent.end, end + 60)
    best: tuple[int, str] | None = None
    for status, rx in _CUES:
        for m in rx.finditer(doc.text, lo, hi):
            if _NOT_BEFORE.search(doc.text, max(lo, m.start() - 16), m.start()):
                return None, 0  # "a deal could not be finalised"
            if _CONDITIONAL.search(doc.text, max(lo, m.start() - 30), m.start()):
                return None, 0  # "if it struck a deal with ..."
            if m.end() <= start:
                d = start - m.end()
            elif m.start() >= end:
                d = m.start() - end
            else:
                d = 0
            if best is None or d < best[0]:
                best = (d, status)
    if _DRAFT.search(title) and (best is None or best[1] != "signed" or best[0] > 0):
        return "planned", 0
    return (best[1], best[0]) if best else (None, 10**6)


def _agreement(doc: Document, sent: Sentence, m: re.Match[str]) -> AgreementCandidate | None:
    low = " ".join(m.group("head").split())
    plural = low in _SINGULAR
    low = _SINGULAR.get(low, low)
    if low in ("deal", "contract", "plan") and _VERB_USE.search(
        doc.text, max(sent.start, m.start() - 12), m.start()
    ):
        return None  # "to deal with the issue", "plans to": a verb, not an agreement
    start = _title_start(doc, sent, m.start())
    comp = _COMPLEMENT.match(doc.text, m.end(), sent.end)
    end = comp.end() if comp else m.end()
    title = " ".join(doc.text[start:end].split()).strip(" ,")
    bare = start == m.start() and comp is None
    if _NEGATED.search(doc.text[max(sent.start, start - 40) : start]):
        return None
    status, distance = _status(doc, sent, start, end, title)
    if status is None or (bare and distance > 30):
        return None
    if plural and (status != "signed" or bare or not _SIGNED.search(sent.text)):
        return None  # "bilateral agreements", "reached agreements in several fields": no one document
    if (
        bare
        and low in ("document", "plan", "loan", "package", "protocol", "convention")
        and (distance > 25 or status not in ("signed", "reached"))
    ):
        return None  # too common as plain words unless "the plan was agreed"; named ones pass
    parties, signers = _parties(doc, sent, start, end, status)
    if len(parties) < 2:
        return None
    future = status == "planned"
    lo, hi = max(sent.start, start - 80), min(sent.end, end + 60)
    date, precision, _ = event_date(doc, sent, m.start(), future=future, lo=lo, hi=hi)
    y = _YEAR.search(doc.text, start, m.start())
    if y and not (date or "").startswith(y.group(1)):
        date, precision = y.group(1), "year"
    if status in ("signed", "reached", "implemented") and is_future(date, doc.date):
        status = "planned"
    conf = (
        0.45
        + (0.2 if status in ("signed", "reached") else 0.05)
        + (0.1 if date else 0.0)
        + (0.1 if not bare else 0.0)
    )
    return AgreementCandidate(
        title,
        _TYPES.get(low, "agreement" if "loan" in low or "package" in low else "other"),
        status,
        date,
        precision,
        None,
        None,
        parties,
        signers,
        sent,
        (start, end),
        round(min(conf, 0.95), 2),
    )


def _parties(
    doc: Document, sent: Sentence, start: int, end: int, status: str
) -> tuple[list[tuple[str | None, str | None]], dict[str, int]]:
    """Return the parties (country or organisation codes) and the persons who signed for them."""
    lo, hi = max(sent.start, start - 80), min(sent.end, end + 80)
    found: list[tuple[str | None, str | None]] = []
    for p in doc.places:
        if not (lo <= p.start < hi) or p.kind == "city":
            continue
        inside = start <= p.start < end
        after = doc.text[p.end : min(sent.end, p.end + 30)]
        if not inside:
            if p.kind == "demonym" and not _GOVERNMENT.match(after):
                continue
            if _PLACE_USE.search(doc.text[max(sent.start, p.start - 12) : p.start]):
                continue
            if any(c.kind in ("city", "capital") and 0 < p.start - c.end <= 3 for c in doc.places):
                continue  # "in Bonn, Germany": the country says where the city is
        if _CURRENCY.match(after):
            continue
        key: tuple[str | None, str | None] = (None, p.code) if p.kind == "org" else (p.code, None)
        if key not in found:
            found.append(key)
    signers: dict[str, int] = {}
    for pm in doc.person_mentions:
        if pm.sentence != sent.index or not (lo <= pm.start < hi):
            continue
        person = doc.persons[pm.pid]
        if person.nonstate or person.nonparty:
            continue
        code = person.country or person.org
        if code is None:
            continue
        key = (person.country, None) if person.country else (None, person.org)
        if key not in found:
            found.append(key)
        if status == "signed" and (
            _SIGNER.match(doc.text, pm.end + 1, pm.end + 30)
            or re.search(r"\bsigned\s+by\s+(?:\w+\s+){0,4}$", doc.text[max(lo, pm.start - 40) : pm.start])
        ):
            signers.setdefault(code, pm.pid)  # "X signed", "signed by X"
    if len(found) < 2 and _BILATERAL.search(sent.text):
        for c in main_countries(doc)[:2]:
            if (c, None) not in found:
                found.append((c, None))
    return found, signers


def _merge(cands: list[AgreementCandidate]) -> list[AgreementCandidate]:
    order = {"signed": 4, "implemented": 3, "reached": 2, "planned": 1, "discussed": 0}
    out: list[AgreementCandidate] = []
    for c in cands:
        target = None
        for o in out:
            if (
                set(o.parties) == set(c.parties)
                and (_similar(o.title, c.title) or " " not in o.title or " " not in c.title)
                and (
                    o.date is None or c.date is None or o.date.startswith(c.date) or c.date.startswith(o.date)
                )
            ):
                target = o
                break
        if target is None:
            out.append(c)
            continue
        if order[c.status] > order[target.status] and not (
            target.status == "planned" and c.status != "signed"
        ):
            target.status = c.status
        if c.date and (target.date is None or len(c.date) > len(target.date)):
            target.date, target.precision = c.date, c.precision
        if len(c.title) > len(target.title):
            target.title = c.title
    return out


def _similar(a: str, b: str) -> bool:
    wa = {w for w in re.findall(r"\w+", a.lower()) if len(w) > 3}
    wb = {w for w in re.findall(r"\w+", b.lower()) if len(w) > 3}
    return bool(wa & wb)
