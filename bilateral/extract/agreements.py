"""Agreements: memoranda, treaties, accords, contracts, declarations and plans, with status and parties."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bilateral.extract.coref import main_countries
from bilateral.extract.dating import event_date, is_future
from bilateral.extract.document import Document, Sentence

_HEAD = (
    r"(?P<head>memorandum\s+of\s+understanding|memorandum|MoU|MOU|agreement|accord|treaty|pact|deal|contract|"
    r"declaration|roadmap|road\s+map|protocol|convention|cooperation\s+document|document|framework|armistice|truce)"
)
AGREEMENT = re.compile(rf"\b{_HEAD}\b(?!s)", re.IGNORECASE)
_TYPES = {
    "memorandum": "memorandum",
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
    "framework": "plan",
    "protocol": "other",
    "convention": "treaty",
    "armistice": "agreement",
    "truce": "agreement",
}
_MODIFIER = re.compile(
    r"(?:\b(?!(?:the|a|an|this|that|its|their|his|her|of|to|and|on|in|with|by)\b)[\w'’.-]+\s+){0,5}$",
    re.IGNORECASE,
)
_COMPLEMENT = re.compile(
    r"^\s+(?:on|to|for|of|over|with|between|regarding|concerning)\s+(?:[\w'’-]+\s+){0,7}?[\w'’-]+(?=[,.;:]|\s+(?:"
    r"which|that|who|was|were|is|are|will|would|signed|reached|in|at|on|last|next|during|after|before|by|and\s+the)\b|$)",
    re.IGNORECASE,
)
_SIGNED = re.compile(r"\b(?:signed|signing|inked|sealed)\b", re.IGNORECASE)
_SIGN_FUTURE = re.compile(
    r"\b(?:will|would|to|expected\s+to|plans?\s+to|set\s+to|due\s+to|ready\s+to)\s+(?:\w+\s+)?"
    r"(?:sign|conclude|ink|seal)\b|\b(?:planned|proposed|draft|future|possible|potential)\b",
    re.IGNORECASE,
)
_REACHED = re.compile(
    r"\b(?:reached|agreed|struck|concluded|clinched|hammered\s+out|brokered|announced)\b", re.IGNORECASE
)
_IMPLEMENTED = re.compile(
    r"\b(?:in\s+force|took\s+effect|implemented|implementing|under\s+the)\b", re.IGNORECASE
)
_DISCUSSED = re.compile(
    r"\b(?:negotiat\w*|discuss\w*|talks\s+on|work(?:ing)?\s+on|seek\w*|push\w*\s+for|"
    r"propos\w*|consider\w*)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(?:no|not|never|without|failed\s+to|collapse\w*|scrap\w*|withdr[ae]w\w*|rejected)\b", re.IGNORECASE
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_BILATERAL = re.compile(
    r"\b(?:the\s+two\s+(?:countries|nations|sides|governments)|both\s+(?:countries|sides)|"
    r"bilateral)\b",
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
    sentence: Sentence
    span: tuple[int, int]
    confidence: float


def find_agreements(doc: Document) -> list[AgreementCandidate]:
    """Find agreements sentence by sentence and merge repeated mentions."""
    out: list[AgreementCandidate] = []
    for sent in doc.sentences:
        for m in AGREEMENT.finditer(doc.text, sent.start, sent.end):
            cand = _agreement(doc, sent, m)
            if cand is not None:
                out.append(cand)
    return _merge(out)


def _agreement(doc: Document, sent: Sentence, m: re.Match[str]) -> AgreementCandidate | None:
    head = m.group("head")
    low = " ".join(head.lower().split())
    before = doc.text[sent.start : m.start()]
    mod = _MODIFIER.search(before)
    start = m.start() - (len(mod.group()) if mod else 0)
    # keep modifiers that look like a title ("comprehensive cooperation", "1995 security", "U.N.-Iraq")
    comp = _COMPLEMENT.match(doc.text, m.end(), sent.end)
    end = comp.end() if comp else m.end()
    title = " ".join(doc.text[start:end].split()).strip(" ,")
    title = re.sub(
        r"^(?:(?:signed|signing|reached|sign|new|landmark|historic|had|has|have|an?)\s+)+",
        "",
        title,
        flags=re.IGNORECASE,
    )
    if low == "document" and "cooperation" not in title.lower():
        return None
    if (
        low in ("deal", "framework", "protocol", "convention", "declaration")
        and not comp
        and title.lower() == low
    ):
        return None
    if title.lower() == low and not _SIGNED.search(sent.text):
        return None
    window = doc.text[max(sent.start, start - 80) : min(sent.end, end + 60)]
    if _NEGATED.search(doc.text[max(sent.start, start - 40) : start]):
        return None
    status = None
    if _SIGN_FUTURE.search(window):
        status = "planned"
    elif _SIGNED.search(window):
        status = "signed"
    elif _IMPLEMENTED.search(window):
        status = "implemented"
    elif _REACHED.search(window):
        status = "reached"
    elif _DISCUSSED.search(window):
        status = "discussed"
    if status is None:
        return None
    parties = _parties(doc, sent, start, end)
    if len({p for p in parties}) < 2:
        return None
    future = status == "planned"
    date, precision, _ = event_date(doc, sent, m.start(), future=future)
    y = _YEAR.search(title)
    if y:
        date, precision = y.group(1), "year"
        if date.startswith(y.group(1)) is False:
            pass
    if status in ("signed", "reached") and is_future(date, doc.date):
        status = "planned"
    signatories: dict[str, int] = {}
    conf = 0.5 + (0.2 if status in ("signed", "reached") else 0.0) + (0.1 if date else 0.0)
    return AgreementCandidate(
        title,
        _TYPES.get(low.split()[0] if low.startswith("memorandum") else low, "other")
        if low != "cooperation document"
        else "plan",
        status,
        date,
        precision,
        None,
        None,
        parties,
        signatories,
        sent,
        (start, end),
        conf,
    )


def _parties(doc: Document, sent: Sentence, start: int, end: int) -> list[tuple[str | None, str | None]]:
    found: list[tuple[str | None, str | None]] = []
    key: tuple[str | None, str | None]
    for p in doc.places:
        if not (sent.start <= p.start < sent.end) or p.kind == "city":
            continue
        before = doc.text[max(sent.start, p.start - 12) : p.start]
        if p.kind == "capital" and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", before):
            continue
        if re.search(r"\bin\s+$", before) and p.kind == "name":
            continue  # "signed in Turkey" is a place, not a party
        key = (None, p.code) if p.kind == "org" else (p.code, None)
        if key not in found:
            found.append(key)
    for m in doc.person_mentions:
        if m.sentence == sent.index:
            person = doc.persons[m.pid]
            key = (person.country, None) if person.country else (None, person.org)
            if key != (None, None) and key not in found:
                found.append(key)
    if len(found) < 2 and _BILATERAL.search(sent.text):
        for c in main_countries(doc)[:2]:
            if (c, None) not in found:
                found.append((c, None))
    return found


def _merge(cands: list[AgreementCandidate]) -> list[AgreementCandidate]:
    order = {"signed": 4, "implemented": 3, "reached": 2, "planned": 1, "discussed": 0}
    out: list[AgreementCandidate] = []
    for c in cands:
        target = None
        for o in out:
            if (
                set(o.parties) == set(c.parties)
                and _similar(o.title, c.title)
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
