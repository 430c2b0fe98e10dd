"""Score extraction against gold annotations (GOLD_SCHEMA.md) with the reference scorer's rules.

The rules are those of the development set's `score.py`, reproduced exactly (a test runs both on the
same records): corpus-level one-to-one matching per level (`dyad`, `people`, `visit`, `agree`,
`official`), dates agree when equal, when either is unknown, or when the coarser is a prefix of the finer;
gold records marked `uncertain` are optional; `dyad_date_exact` is the share of matched dyad records
whose gold date is a day and whose predicted date equals it.

Predictions are export-shaped dicts (what `bilateral export … --format jsonl` writes), so the same
records can be written to JSONL and scored by `score.py` too. `evaluate` extracts the articles in
date order, passing the officials found so far to the extractor, as ingest does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilateral.extract.known import KnownOfficials
from bilateral.extract.records import Extraction
from bilateral.extraction_pool import CHUNK_SIZE, Task, chunked, extract_chunks, officials_learned
from bilateral.sources import Article, Problem, read_paths

LEVELS = ("dyad", "people", "visit", "agree", "official")
PARTICLES = frozenset({
    "al", "el", "de", "da", "do", "dos", "das", "du", "van", "von", "der", "den", "bin", "ibn", "le",
    "la", "abu", "mr", "mrs", "ms", "dr", "king", "queen", "prince", "princess", "sheikh", "sir",
    "president", "minister", "emir", "sultan", "ayatollah", "seyyed", "jr", "sr", "ii", "iii",
})  # fmt: skip
OCCURRED_AGREEMENT = ("signed", "reached", "implemented")

Record = Mapping[str, Any]


class GoldError(Exception):
    """A gold file that cannot be read; the message names the file and the fix."""


# ------------------------------------------------------------------------------------- gold files


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """The gold annotation of one article: its records as the file gives them (unknown keys kept)."""

    file: str
    """The article's file name, as the gold file's `file` key gives it."""
    article_date: str | None
    meetings: tuple[Record, ...]
    agreements: tuple[Record, ...]
    officials: tuple[Record, ...]
    path: Path


def _records(doc: Mapping[str, Any], key: str, path: Path) -> tuple[Record, ...]:
    value = doc.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise GoldError(f"{path}: `{key}` must be a list of objects — fix the gold file (GOLD_SCHEMA.md)")
    return tuple(value)


def load_gold_file(path: Path) -> GoldArticle:
    """Read one gold file; raise GoldError when it is not JSON or lacks the schema's keys."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read ({exc}) — check the file") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}) — fix the gold file") from None
    if not isinstance(doc, dict):
        raise GoldError(f"{path}: not a JSON object — write one object per file (GOLD_SCHEMA.md)")
    file = doc.get("file")
    if not isinstance(file, str) or not file:
        raise GoldError(f"{path}: no `file` key — name the article file in it (GOLD_SCHEMA.md)")
    article_date = doc.get("article_date")
    return GoldArticle(
        file=file,
        article_date=article_date if isinstance(article_date, str) else None,
        meetings=_records(doc, "meetings", path),
        agreements=_records(doc, "agreements", path),
        officials=_records(doc, "officials", path),
        path=path,
    )


def load_gold(gold_dir: Path) -> list[GoldArticle]:
    """Read every `*.json` gold file of a folder, sorted by name (the order score.py uses)."""
    return [load_gold_file(p) for p in sorted(Path(gold_dir).glob("*.json"))]


# ------------------------------------------------------------------------------------ the scorer


def fold(s: str) -> str:
    """Lower-case, strip accents, keep letters, digits, spaces and hyphens (score.py's `fold`)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"-\s+", "-", s.lower())
    return re.sub(r"[^a-z0-9 -]", " ", s)


def name_tokens(name: str | None) -> frozenset[str]:
    """Return the tokens of a name that count for matching (no particles or titles, two letters up)."""
    if not name:
        return frozenset()
    toks = re.split(r"[\s-]+", fold(name))
    return frozenset(t for t in toks if len(t) > 1 and t not in PARTICLES)


def dates_agree(a: str | None, b: str | None) -> bool:
    """Tell whether two ISO dates agree: equal, one unknown, or the coarser a prefix of the finer."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    if isinstance(v, list):
        return v
    if isinstance(v, str):
        return [x.strip() for x in v.split(";") if x.strip()]
    return [v]


def _country_of(p: Any) -> str | None:
    if isinstance(p, dict):
        c = p.get("country")
        return c.upper() if isinstance(c, str) and c else None
    if isinstance(p, str):  # "Name (ISO3, Title)"
        m = re.search(r"\(([A-Z]{3})\b", p)
        return m.group(1) if m else None
    return None


def _name_of(p: Any) -> str | None:
    if isinstance(p, dict):
        name = p.get("name")
        return name if isinstance(name, str) else None
    if isinstance(p, str):
        return re.sub(r"\s*\(.*\)\s*$", "", p) or None
    return None


Person = tuple[frozenset[str], str | None]


def _people_match(g: Sequence[Person], p: Sequence[Person]) -> bool:
    """Named participants pair up one-to-one: shared name token, no country conflict."""
    if len(g) != len(p):
        return False
    for perm in itertools.permutations(range(len(p))):
        if all(
            (g[i][0] & p[j][0]) and not (g[i][1] and p[j][1] and g[i][1] != p[j][1])
            for i, j in enumerate(perm)
        ):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Scored:
    """One scoreable record: level kind, key, date, whether optional, and where it came from."""

    kind: str
    key: Any
    date: str | None
    where: Any
    """The gold file, or the prediction's id (as score.py reports them)."""
    optional: bool = False
    file: str | None = None
    """The article file the record comes from."""
    evidence: str | None = None
    label: str = ""
    """The record as a reader names it: "meeting Hossein Amir-Abdollahian (IRN) + Yvan Gil Pinto (VEN)"."""

    def show(self) -> list[Any]:
        """Return the record as score.py's --json details list it."""
        k = self.key
        if isinstance(k, frozenset):
            k = sorted(k)
        elif isinstance(k, tuple) and k and isinstance(k[0], tuple):
            k = [sorted(t) for t, _ in k]
        elif isinstance(k, tuple) and k and isinstance(k[0], frozenset):  # score.py prints str(frozenset)
            k = [sorted(k[0]), k[1]]
        return [self.kind, k, self.date, self.where]


def _same_key(level: str, g: Scored, p: Scored) -> bool:
    if g.kind != p.kind:
        return False
    if level == "people":
        return _people_match(g.key, p.key)
    if level == "official":
        (gt, gc), (pt, pc) = g.key, p.key
        return bool(gc == pc and gt & pt)
    return bool(g.key == p.key)


@dataclass(frozen=True, slots=True)
class LevelResult:
    """Counts and scores of one level, with the records behind the errors."""

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    misses: tuple[Scored, ...] = ()
    extras: tuple[Scored, ...] = ()
    pairs: tuple[tuple[Scored, Scored], ...] = ()

    def counts(self) -> dict[str, Any]:
        """Return the figures as score.py prints them."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


def match(level: str, gold: Sequence[Scored], pred: Sequence[Scored]) -> LevelResult:
    """Match gold and predicted records one-to-one: certain gold first, exact dates before agreeing ones."""
    used = [False] * len(pred)
    tp = 0
    misses: list[Scored] = []
    pairs: list[tuple[Scored, Scored]] = []
    for g in sorted(gold, key=lambda r: r.optional):
        hit = None
        for exact in (True, False):
            for i, p in enumerate(pred):
                if used[i] or not _same_key(level, g, p):
                    continue
                if exact and not (p.date and g.date and p.date == g.date):
                    continue
                if not exact and not dates_agree(p.date, g.date):
                    continue
                hit = i
                break
            if hit is not None:
                break
        if hit is None:
            if not g.optional:
                misses.append(g)
            continue
        used[hit] = True
        if not g.optional:
            tp += 1
            pairs.append((g, pred[hit]))
    extras = tuple(p for i, p in enumerate(pred) if not used[i])
    precision, recall, f1 = _prf(tp, len(extras), len(misses))
    return LevelResult(
        tp, len(extras), len(misses), precision, recall, f1, tuple(misses), extras, tuple(pairs)
    )


Levels = dict[str, list[Scored]]


def _side(p: Any) -> str:
    """Name one participant for a reader: "Yvan Gil Pinto (VEN)", "(UN)", "?"."""
    if isinstance(p, str):
        return p
    if not isinstance(p, dict):
        return "?"
    where = p.get("country") or p.get("org") or "?"
    return f"{p['name']} ({where})" if p.get("name") else f"({where})"


def _meeting_records(m: Record, where: Any, optional: bool, out: Levels, file: str | None) -> None:
    parts = _as_list(m.get("participants"))
    kind, date = m.get("kind"), m.get("date")
    common = {"date": date, "where": where, "optional": optional, "file": file, "evidence": m.get("evidence")}
    sides = " + ".join(_side(p) for p in parts) or "(no participants)"
    if kind == "visit":
        host = (m.get("place_country") or "").upper() or None
        for c in sorted({c for c in map(_country_of, parts) if c is not None}):
            if host and host != c:
                out["visit"].append(Scored(kind, (c, host), label=f"visit {sides} to {host}", **common))
        return
    countries = frozenset(c for c in (_country_of(p) for p in parts) if c)
    if not countries:
        countries = frozenset(x.upper() for x in _as_list(m.get("countries")))
    if len(countries) >= 2:
        label = f"{kind} {'-'.join(sorted(countries))}: {sides}"
        out["dyad"].append(Scored(str(kind), countries, label=label, **common))
    named = tuple((name_tokens(_name_of(p)), _country_of(p)) for p in parts if name_tokens(_name_of(p)))
    if len(named) >= 2:
        out["people"].append(Scored(str(kind), named, label=f"{kind} {sides}", **common))


def _agreement_record(a: Record, where: Any, optional: bool, file: str | None) -> Scored | None:
    parties = frozenset(x.upper() for x in _as_list(a.get("parties")) if x)
    if len(parties) < 2:
        return None
    label = f"{a.get('title') or 'agreement'} ({'-'.join(sorted(parties))})"
    return Scored("agreement", parties, a.get("date"), where, optional, file, a.get("evidence"), label)


def _official_record(o: Record, where: Any, optional: bool, file: str | None) -> Scored | None:
    toks, c = name_tokens(o.get("name")), o.get("country")
    if not (toks and c):
        return None
    return Scored("official", (toks, c.upper()), None, where, optional, file, None, f"{o.get('name')} ({c})")


def _empty_levels() -> Levels:
    return {level: [] for level in LEVELS}


def gold_records(golds: Iterable[GoldArticle]) -> Levels:
    """Turn gold articles into scoreable records per level."""
    out = _empty_levels()
    for doc in golds:
        for m in doc.meetings:
            if m.get("status") == "occurred":
                _meeting_records(m, doc.file, bool(m.get("uncertain")), out, doc.file)
        for a in doc.agreements:
            agreement = _agreement_record(a, doc.file, bool(a.get("uncertain")), doc.file)
            if agreement and a.get("status") in OCCURRED_AGREEMENT:
                out["agree"].append(agreement)
        for o in doc.officials:
            person = _official_record(o, doc.file, bool(o.get("uncertain")), doc.file)
            if person:
                out["official"].append(person)
    # one gold person per (token set, country) across the corpus; certain if any mention is certain
    people: dict[Any, Scored] = {}
    for r in out["official"]:
        if r.key not in people or (people[r.key].optional and not r.optional):
            people[r.key] = r
    out["official"] = list(people.values())
    return out


def prediction_records(
    meetings: Iterable[Record], agreements: Iterable[Record], officials: Iterable[Record]
) -> Levels:
    """Turn export-shaped predictions into scoreable records per level."""
    out = _empty_levels()
    for m in meetings:
        if (m.get("status") or "occurred") == "occurred":
            _meeting_records(m, m.get("meeting_id"), False, out, m.get("file"))
    for a in agreements:
        agreement = _agreement_record(a, a.get("agreement_id"), False, a.get("file"))
        if agreement and (a.get("status") or "signed") in OCCURRED_AGREEMENT:
            out["agree"].append(agreement)
    seen = set()
    for o in officials:
        person = _official_record(o, o.get("official_id"), False, o.get("file"))
        if person and person.key not in seen:
            seen.add(person.key)
            out["official"].append(person)
    return out


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores per level, the dyad date exactness, and the records behind every error."""

    levels: dict[str, LevelResult]
    dyad_dates_with_day: int
    dyad_dates_exact: int

    @property
    def dyad_date_share(self) -> float:
        """Return the share of matched dyad records with a gold day whose predicted date equals it."""
        return round(self.dyad_dates_exact / self.dyad_dates_with_day, 3) if self.dyad_dates_with_day else 0.0

    def as_json(self) -> dict[str, Any]:
        """Return `{"scores": …, "details": …}` exactly as score.py --json reports them."""
        scores: dict[str, Any] = {}
        details: dict[str, Any] = {}
        for level in LEVELS:
            result = self.levels[level]
            scores[level] = result.counts()
            details[level] = {
                "missed": [r.show() for r in result.misses],
                "extra": [r.show() for r in result.extras],
            }
            if level == "dyad":
                scores["dyad_date_exact"] = {
                    "matched_with_day": self.dyad_dates_with_day,
                    "exact": self.dyad_dates_exact,
                    "share": self.dyad_date_share,
                }
        return {"scores": scores, "details": details}


def score(gold: Levels, pred: Levels) -> Evaluation:
    """Score predicted records against gold records, level by level."""
    levels = {level: match(level, gold[level], pred[level]) for level in LEVELS}
    dayed = [(g, p) for g, p in levels["dyad"].pairs if g.date and len(g.date) == 10]
    exact = sum(1 for g, p in dayed if p.date == g.date)
    return Evaluation(levels, len(dayed), exact)


# ---------------------------------------------------------------------- extraction → export shape


@dataclass
class Predictions:
    """Export-shaped records (meetings, agreements, officials) of a set of extracted articles."""

    meetings: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    officials: list[dict[str, Any]] = field(default_factory=list)

    def add(self, extraction: Extraction, file: str, date: dt.date | None = None) -> None:
        """Add one article's records, numbering them after those already held."""
        for m in extraction.meetings:
            self.meetings.append(
                {
                    "meeting_id": len(self.meetings) + 1,
                    "kind": m.kind,
                    "status": m.status,
                    "date": m.date,
                    "date_precision": m.date_precision,
                    "place": m.place,
                    "place_country": m.place_country,
                    "countries": list(m.countries),
                    "participants": [
                        {"name": p.name, "country": p.country, "org": p.org, "title": p.title, "role": p.role}
                        for p in m.participants
                    ],
                    "evidence": m.evidence.text,
                    "confidence": m.confidence,
                    "file": file,
                }
            )
        for a in extraction.agreements:
            self.agreements.append(
                {
                    "agreement_id": len(self.agreements) + 1,
                    "title": a.title,
                    "type": a.type,
                    "status": a.status,
                    "date": a.date,
                    "date_precision": a.date_precision,
                    "place": a.place,
                    "parties": [code for p in a.parties if (code := p.country or p.org)],
                    "evidence": a.evidence.text,
                    "confidence": a.confidence,
                    "file": file,
                }
            )
        for o in extraction.officials:
            self.officials.append(
                {
                    "official_id": len(self.officials) + 1,
                    "name": o.name,
                    "country": o.country,
                    "org": o.org,
                    "titles": [o.title] if o.title else [],
                    "first_seen": date.isoformat() if date else None,
                    "last_seen": date.isoformat() if date else None,
                    "file": file,
                }
            )

    def merged_officials(self) -> list[dict[str, Any]]:
        """Return the officials as an archive holds them: one row per person and country.

        As the archive resolves a surname-only mention to the one official of that surname and country
        seen within five years, a name whose tokens are a strict subset of exactly one such fuller name is
        merged into it; two different given names never merge.
        """
        rows: dict[tuple[frozenset[str], str | None], dict[str, Any]] = {}
        for o in self.officials:
            key = (name_tokens(o["name"]), o["country"])
            if key in rows:
                _absorb(rows[key], o)
            else:
                rows[key] = dict(o)
        merged: list[dict[str, Any]] = []
        for (toks, country), row in rows.items():
            fuller = [
                k
                for k in rows
                if k[1] == country and toks and toks < k[0] and _within_five_years(row, rows[k])
            ]
            if len(fuller) == 1:
                _absorb(rows[fuller[0]], row)
            else:
                merged.append(row)
        return merged

    def write_jsonl(self, folder: Path) -> tuple[Path, Path, Path]:
        """Write meetings.jsonl, agreements.jsonl and officials.jsonl (score.py's inputs) into a folder."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = (folder / "meetings.jsonl", folder / "agreements.jsonl", folder / "officials.jsonl")
        for path, rows in zip(paths, (self.meetings, self.agreements, self.merged_officials()), strict=True):
            with path.open("w", encoding="utf-8") as out:
                for row in rows:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return paths

    def records(self) -> Levels:
        """Return the scoreable records per level."""
        return prediction_records(self.meetings, self.agreements, self.merged_officials())


def _absorb(row: dict[str, Any], other: Mapping[str, Any]) -> None:
    """Merge another row of the same official into `row`: titles and the seen dates."""
    row["titles"] = sorted({*row["titles"], *other["titles"]})
    firsts = [d for d in (row["first_seen"], other["first_seen"]) if d]
    lasts = [d for d in (row["last_seen"], other["last_seen"]) if d]
    row["first_seen"] = min(firsts) if firsts else None
    row["last_seen"] = max(lasts) if lasts else None


def _within_five_years(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Tell whether two officials were seen within five years of each other (true when a date is unknown)."""
    if not (a["first_seen"] and b["first_seen"]):
        return True
    first, last = (max(a["first_seen"], b["first_seen"]), min(a["last_seen"], b["last_seen"]))
    gap = dt.date.fromisoformat(first) - dt.date.fromisoformat(last)  # negative when the spans overlap
    return gap <= dt.timedelta(days=5 * 366)


# ------------------------------------------------------------------------------ running the whole


def remember_officials(known: KnownOfficials, extraction: Extraction, when: dt.date | None) -> None:
    """Add the named officials of one article to the lookup offered to later articles (as ingest learns)."""
    for official in officials_learned(extraction, when):
        known.add(official)


@dataclass(frozen=True, slots=True)
class Run:
    """What `evaluate` did: the scores, the predictions behind them, and the inputs it could not use."""

    evaluation: Evaluation
    predictions: Predictions
    gold: tuple[GoldArticle, ...]
    problems: tuple[Problem, ...]
    """Articles that could not be read, or gold files without an article (and the reverse)."""
    articles: int


def _file_key(name: str) -> str:
    return Path(name).stem


def read_articles(articles_dir: Path) -> tuple[list[Article], list[Problem]]:
    """Read the articles of a folder; return them in date order (undated last, ties by name)."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for item in read_paths([str(articles_dir)]):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            articles.append(item)
    articles.sort(key=lambda a: (a.date is None, a.date or dt.date.min, a.ref or ""))
    return articles, problems


def run(gold_dir: Path, articles_dir: Path) -> Run:
    """Extract the articles that have a gold file, in date order, and score them."""
    gold = load_gold(gold_dir)
    articles, problems = read_articles(articles_dir)
    by_key = {_file_key(g.file): g for g in gold}
    wanted: list[Article] = []
    for article in articles:
        if _file_key(article.ref or "") in by_key:
            wanted.append(article)
        else:
            problems.append(
                Problem(
                    str(article.ref),
                    "no gold file for this article",
                    "add one or remove the article",
                    warning=True,
                )
            )
    found = {_file_key(a.ref or "") for a in wanted}
    for g in gold:
        if _file_key(g.file) not in found:
            problems.append(
                Problem(
                    str(g.path),
                    f"article {g.file} not found: its records count as misses",
                    f"put {g.file} in {articles_dir}",
                    warning=True,
                )
            )
    predictions = Predictions()
    # Extract exactly as ingest does: in order, knowing the officials of the articles before.
    tasks = chunked(iter([Task(article) for article in wanted]), CHUNK_SIZE)
    for chunk in extract_chunks(tasks, 1, list, lambda: None):
        for done in chunk:
            file = by_key[_file_key(done.article.ref or "")].file
            if done.extraction is None:
                problems.append(Problem(file, done.error or "not extracted", "report this article as a bug"))
                continue
            predictions.add(done.extraction, file, done.article.date)
    evaluation = score(gold_records(gold), predictions.records())
    return Run(evaluation, predictions, tuple(gold), tuple(problems), len(wanted))
