"""Tests for gold loading and scoring: the figures must be those of the reference score.py."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import importlib.util
import io
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilateral.evaluate import (
    GoldError,
    Predictions,
    dates_agree,
    gold_records,
    load_gold,
    load_gold_file,
    name_tokens,
    prediction_records,
    read_articles,
    run,
    score,
)
from bilateral.extract.records import Evidence, Extraction, MeetingRecord, OfficialRecord, Participant

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCORE_PY = SHARED / "devset" / "score.py"
DEVSET = SHARED / "devset"
needs_shared = pytest.mark.skipif(not SCORE_PY.exists(), reason="../shared (devset and score.py) is absent")


def score_py(gold_dir: Path, records_dir: Path) -> dict[str, Any]:
    """Run the reference score.py by path on JSONL records and return its --json report."""
    out = subprocess.run(
        [
            sys.executable,
            str(SCORE_PY),
            str(gold_dir),
            *(str(records_dir / f) for f in ("meetings.jsonl", "agreements.jsonl", "officials.jsonl")),
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return comparable(json.loads(out.stdout))


_FROZENSET = re.compile(r"frozenset\((\{.*\})\)")


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """Turn score.py's str(frozenset) official keys (order set by string hashing) into sorted lists."""
    for level in report["details"].values():
        for records in level.values():
            for rec in records:
                key = rec[1]
                if isinstance(key, list) and key and isinstance(key[0], str):
                    found = _FROZENSET.fullmatch(key[0])
                    if found:
                        key[0] = sorted(ast.literal_eval(found.group(1)))
    return report


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write rows as JSON lines."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def ours(
    gold_dir: Path,
    meetings: list[dict[str, Any]],
    agreements: list[dict[str, Any]],
    officials: list[dict[str, Any]],
) -> dict[str, Any]:
    """Score export-shaped records with bilateral.evaluate, as JSON (through a JSON round trip)."""
    evaluation = score(gold_records(load_gold(gold_dir)), prediction_records(meetings, agreements, officials))
    result: dict[str, Any] = json.loads(json.dumps(evaluation.as_json(), default=str))
    return result


def person(
    name: str | None, country: str | None, title: str | None = None, org: str | None = None
) -> dict[str, Any]:
    """Return a participant as the gold files and the JSONL export write it."""
    return {"name": name, "country": country, "title": title, "org": org}


def gold_file(
    folder: Path,
    stem: str,
    meetings: Sequence[dict[str, Any]] = (),
    agreements: Sequence[dict[str, Any]] = (),
    officials: Sequence[dict[str, Any]] = (),
) -> None:
    """Write a gold file for an article `stem`.txt."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "file": f"{stem}.txt",
        "article_date": "2023-02-04",
        "meetings": list(meetings),
        "agreements": list(agreements),
        "officials": list(officials),
        "notes": "ignored",
    }
    (folder / f"{stem}.json").write_text(json.dumps(doc), encoding="utf-8")


def meeting(
    kind: str,
    date: str | None,
    *people: dict[str, Any],
    status: str = "occurred",
    place_country: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Return a meeting record."""
    return {
        "kind": kind,
        "status": status,
        "date": date,
        "place_country": place_country,
        "participants": list(people),
        "evidence": f"{kind} on {date}",
        **extra,
    }


# ---------------------------------------------------------------- the small rules


def test_name_tokens_drop_particles_titles_accents_and_initials() -> None:
    assert name_tokens("President Nicolás Maduro") == {"nicolas", "maduro"}
    assert name_tokens("Ban Ki- moon") == {"ban", "ki", "moon"}
    assert name_tokens("Mohammed bin Salman al-Saud") == {"mohammed", "salman", "saud"}
    assert name_tokens("George W. Bush") == {"george", "bush"}
    assert name_tokens(None) == frozenset()


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("2023-02-03", "2023-02-03", True),
        ("2023-02", "2023-02-03", True),
        ("2023", "2023-02", True),
        (None, "2023-02-03", True),
        ("2023-02-03", "2023-02-04", False),
        ("2023-01", "2023-02-03", False),
        ("2022", "2023", False),
    ],
)
def test_dates_agree(a: str | None, b: str | None, agree: bool) -> None:
    assert dates_agree(a, b) is agree
    assert dates_agree(b, a) is agree


def test_certain_gold_claims_a_prediction_before_an_uncertain_one(tmp_path: Path) -> None:
    irn_ven = [person("A", "IRN"), person("B", "VEN")]
    gold_file(tmp_path, "a", [meeting("meeting", "2023-02-03", *irn_ven, uncertain=True)])
    gold_file(tmp_path, "b", [meeting("meeting", "2023-02-03", *irn_ven)])
    pred = [dict(meeting("meeting", "2023-02-03", *irn_ven), meeting_id=1)]
    result = ours(tmp_path, pred, [], [])["scores"]["dyad"]
    assert (result["tp"], result["fp"], result["fn"]) == (1, 0, 0)


def test_an_exact_date_is_preferred_to_an_agreeing_one(tmp_path: Path) -> None:
    sides = [person(None, "IRN"), person(None, "VEN")]
    gold_file(tmp_path, "a", [meeting("meeting", "2023-02-03", *sides)])
    preds = [
        dict(meeting("meeting", "2023-02", *sides), meeting_id=1),
        dict(meeting("meeting", "2023-02-03", *sides), meeting_id=2),
    ]
    result = ours(tmp_path, preds, [], [])
    assert (result["scores"]["dyad"]["tp"], result["scores"]["dyad"]["fp"]) == (1, 1)
    assert result["details"]["dyad"]["extra"] == [["meeting", ["IRN", "VEN"], "2023-02", 1]]
    assert result["scores"]["dyad_date_exact"] == {"matched_with_day": 1, "exact": 1, "share": 1.0}


def test_load_gold_ignores_unknown_keys(tmp_path: Path) -> None:
    gold_file(tmp_path, "a", [meeting("call", None, person("A", "IRN"), person("B", "VEN"))])
    (g,) = load_gold(tmp_path)
    assert (g.file, g.article_date, len(g.meetings), g.agreements, g.officials) == (
        "a.txt",
        "2023-02-04",
        1,
        (),
        (),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "not a JSON object"),
        ('{"meetings": []}', "no `file` key"),
        ('{"file": "a.txt", "meetings": {}}', "`meetings` must be a list of objects"),
    ],
)
def test_bad_gold_files_are_refused_with_the_file_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match=message) as info:
        load_gold_file(path)
    assert str(path) in str(info.value)


# ---------------------------------------------------------------- agreement with score.py


def synthetic_corpus(
    gold_dir: Path,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Write gold files covering every rule and return predictions (meetings, agreements, officials)."""
    maduro, amir = person("Nicolás Maduro", "VEN", "President"), person("Hossein Amir-Abdollahian", "IRN")
    gil, aissami = person("Yvan Gil Pinto", "VEN", "Foreign Minister"), person("Tareck El Aissami", "VEN")
    guterres = person("António Guterres", None, "Secretary-General", org="UN")
    gold_file(
        gold_dir,
        "01_a",
        meetings=[
            meeting("meeting", "2023-02-03", maduro, amir, place_country="VEN"),
            meeting("meeting", "2023-02-03", amir, gil),
            meeting("meeting", "2023-02", amir, aissami),  # coarse gold date
            meeting("call", None, person("Lee Jae Myung", "KOR"), person("Shigeru Ishiba", "JPN")),
            meeting("meeting", "2023-03-01", maduro, amir, status="planned"),  # not scored
            meeting("visit", "2023-02-02", amir, place_country="VEN"),
            meeting("visit", "2023", person(None, "CHN"), person(None, "RUS"), place_country="RUS"),
            meeting("meeting", "2022", guterres, amir, uncertain=True),  # org side: people level only
            meeting("meeting", "2023-02-01", person("Ali Khamenei", "IRN"), maduro, uncertain=True),
            meeting(
                "meeting",
                "2023-02-03",
                person("A One", "FRA"),
                person("B Two", "DEU"),
                person("C Three", "ITA"),
            ),
        ],
        agreements=[
            {
                "title": "cooperation document",
                "status": "signed",
                "date": "2022-06",
                "parties": ["IRN", "VEN"],
            },
            {"title": "loan", "status": "reached", "date": None, "parties": ["EGY", "IMF"]},
            {"title": "pact", "status": "planned", "date": None, "parties": ["IRN", "VEN"]},
            {
                "title": "deal",
                "status": "implemented",
                "date": "2021",
                "parties": ["EU", "TUR"],
                "uncertain": True,
            },
            {"title": "single", "status": "signed", "date": None, "parties": ["IRN"]},
        ],
        officials=[
            maduro,
            amir,
            gil,
            aissami,
            {"name": "Ali Khamenei", "country": "IRN", "uncertain": True},
            {"name": "Ebrahim Raisi", "country": "IRN"},
            guterres,
        ],
    )
    gold_file(
        gold_dir,
        "02_b",
        meetings=[
            meeting("meeting", "2023-02-03", person(None, "IRN"), person(None, "VEN")),
            meeting("visit", None, person("Nicolás Maduro", "VEN"), place_country="IRN"),
        ],
        officials=[
            {"name": "Nicolas Maduro", "country": "VEN"},
            {"name": "Delcy Rodríguez", "country": "VEN"},
        ],
    )
    meetings = [
        # order of participants differs from gold: the people level must pair them up by permutation
        {
            "meeting_id": 1,
            "kind": "meeting",
            "status": "occurred",
            "date": "2023-02-03",
            "participants": [person("Amir-Abdollahian", "IRN"), person("Maduro", "VEN")],
        },
        {
            "meeting_id": 2,
            "kind": "meeting",
            "status": "occurred",
            "date": "2023-02-03",
            "participants": [person("Gil", "VEN"), person("Hossein Amir-Abdollahian", None)],
        },
        {
            "meeting_id": 3,
            "kind": "meeting",
            "date": "2023-02-05",  # status missing: occurred
            "participants": ["Aissami (VEN, Oil Minister)", "Amir-Abdollahian (IRN)"],
        },
        {
            "meeting_id": 4,
            "kind": "meeting",
            "status": "occurred",
            "date": "2023-02-03",
            "participants": [person("C Three", "ITA"), person("A One", "FRA"), person("B Two", "DEU")],
        },
        {
            "meeting_id": 5,
            "kind": "call",
            "status": "occurred",
            "date": "2023-01-30",
            "participants": [person("Lee", "KOR"), person("Ishiba", "JPN")],
        },
        {
            "meeting_id": 6,
            "kind": "meeting",
            "status": "planned",
            "date": "2023-03-01",
            "participants": [person("Maduro", "VEN"), person("Amir-Abdollahian", "IRN")],
        },
        {
            "meeting_id": 7,
            "kind": "visit",
            "status": "occurred",
            "date": "2023-02",
            "place_country": "VEN",
            "participants": [person("Amir-Abdollahian", "IRN")],
        },
        {
            "meeting_id": 8,
            "kind": "visit",
            "status": "occurred",
            "date": None,
            "place_country": "IRN",
            "participants": [person("Maduro", "VEN"), person(None, "VEN")],
        },
        {
            "meeting_id": 9,
            "kind": "meeting",
            "status": "occurred",
            "date": "2023-02",
            "countries": "IRN;VEN",
            "participants": "(IRN);(VEN)",
        },
        {
            "meeting_id": 10,
            "kind": "meeting",
            "status": "occurred",
            "date": "2022-11",
            "participants": [person("Antonio Guterres", None, org="UN"), person("Amir-Abdollahian", "IRN")],
        },
        {
            "meeting_id": 11,
            "kind": "meeting",
            "status": "occurred",
            "date": "2023-02-03",
            "participants": [person("Macron", "FRA"), person("Scholz", "DEU")],
        },  # false alarm
        {
            "meeting_id": 12,
            "kind": "visit",
            "status": "occurred",
            "date": "2023",
            "participants": [person(None, "RUS")],
            "place_country": "RUS",
        },  # visitor is the host: no record
    ]
    agreements = [
        {"agreement_id": 1, "status": "signed", "date": "2022-06-11", "parties": ["VEN", "IRN"]},
        {"agreement_id": 2, "status": None, "date": "2023", "parties": "IMF;EGY"},
        {"agreement_id": 3, "status": "planned", "date": None, "parties": ["IRN", "VEN"]},
        {"agreement_id": 4, "status": "reached", "date": "2019", "parties": ["eu", "tur"]},
        {"agreement_id": 5, "status": "signed", "date": None, "parties": ["IRN", "VEN", "CUB"]},
    ]
    officials = [
        {"official_id": 1, "name": "Maduro", "country": "VEN"},
        {"official_id": 2, "name": "Nicolas Maduro", "country": "VEN"},
        {"official_id": 3, "name": "Amir-Abdollahian", "country": "IRN"},
        {"official_id": 4, "name": "Amir-Abdollahian", "country": "IRN"},  # counted once
        {"official_id": 5, "name": "Yvan Gil", "country": "VEN"},
        {"official_id": 6, "name": "Raisi", "country": "IRQ"},  # wrong country
        {"official_id": 7, "name": "Khamenei", "country": "IRN"},
        {"official_id": 8, "name": "Guterres", "country": None},
        {"official_id": 9, "name": "Mr", "country": "IRN"},  # no name token
    ]
    return meetings, agreements, officials


@needs_shared
def test_synthetic_records_score_as_score_py_scores_them(tmp_path: Path) -> None:
    gold_dir, records = tmp_path / "gold", tmp_path / "records"
    meetings, agreements, officials = synthetic_corpus(gold_dir)
    records.mkdir()
    write_jsonl(records / "meetings.jsonl", meetings)
    write_jsonl(records / "agreements.jsonl", agreements)
    write_jsonl(records / "officials.jsonl", officials)
    expected = score_py(gold_dir, records)
    got = ours(gold_dir, meetings, agreements, officials)
    assert got == expected
    # and the corpus exercises what it is meant to: matches, misses and false alarms at every level
    for level in ("dyad", "people", "visit", "agree", "official"):
        counts = got["scores"][level]
        assert counts["tp"] > 0 and counts["fp"] + counts["fn"] > 0, level
    assert got["scores"]["dyad_date_exact"]["matched_with_day"] > got["scores"]["dyad_date_exact"]["exact"]


def load_score_py() -> ModuleType:
    """Import the reference score.py from its path."""
    spec = importlib.util.spec_from_file_location("reference_score", SCORE_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NAMES = ["Ali Reza", "Reza Khan", "Maria Lopez", "Lopez", "John Smith", "Smith", "Kim", None]
COUNTRIES = ["IRN", "VEN", "USA", None]
DATES = [None, "2023", "2023-02", "2023-02-03", "2023-02-04", "2022-12"]


@st.composite
def records(draw: st.DrawFn, with_status: bool) -> dict[str, Any]:
    """Draw a meeting, call or visit with a few participants."""
    people = draw(st.lists(st.builds(person, st.sampled_from(NAMES), st.sampled_from(COUNTRIES)), max_size=3))
    rec = {
        "kind": draw(st.sampled_from(["meeting", "call", "visit"])),
        "date": draw(st.sampled_from(DATES)),
        "place_country": draw(st.sampled_from(COUNTRIES)),
        "participants": people,
        "status": draw(st.sampled_from(["occurred", "occurred", "planned"])) if with_status else "occurred",
    }
    if draw(st.booleans()):
        rec["uncertain"] = True
    return rec


@needs_shared
@settings(max_examples=60, deadline=None)
@given(
    gold=st.lists(records(True), max_size=6),
    pred=st.lists(records(False), max_size=6),
    gold_agreements=st.lists(st.sets(st.sampled_from(["IRN", "VEN", "UN", "EU"]), max_size=3), max_size=3),
    pred_agreements=st.lists(st.sets(st.sampled_from(["IRN", "VEN", "UN", "EU"]), max_size=3), max_size=3),
    dates=st.lists(st.sampled_from(DATES), min_size=6, max_size=6),
)
def test_random_records_score_as_score_py_scores_them(
    tmp_path_factory: pytest.TempPathFactory,
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    gold_agreements: list[set[str]],
    pred_agreements: list[set[str]],
    dates: list[str | None],
) -> None:
    folder = tmp_path_factory.mktemp("random")
    gold_officials = [p for m in gold for p in m["participants"]]
    gold_file(
        folder / "gold",
        "a",
        meetings=gold,
        officials=gold_officials,
        agreements=[
            {"status": "signed", "date": d, "parties": sorted(p)}
            for p, d in zip(gold_agreements, dates, strict=False)
        ],
    )
    meetings = [dict(m, meeting_id=i) for i, m in enumerate(pred)]
    agreements = [
        {"agreement_id": i, "parties": sorted(p), "date": d}
        for i, (p, d) in enumerate(zip(pred_agreements, reversed(dates), strict=False))
    ]
    officials = [dict(p, official_id=i) for i, p in enumerate(p for m in pred for p in m["participants"])]
    for name, rows in (("meetings", meetings), ("agreements", agreements), ("officials", officials)):
        write_jsonl(folder / f"{name}.jsonl", rows)
    reference = load_score_py()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        reference.main(
            [
                str(folder / "gold"),
                *(str(folder / f"{n}.jsonl") for n in ("meetings", "agreements", "officials")),
                "--json",
            ]
        )
    assert ours(folder / "gold", meetings, agreements, officials) == comparable(json.loads(out.getvalue()))


@needs_shared
def test_devset_scores_agree_with_score_py(tmp_path: Path) -> None:
    result = run(DEVSET / "gold", DEVSET / "articles")
    assert result.articles == 30 and not result.problems
    result.predictions.write_jsonl(tmp_path)
    ours_json = json.loads(json.dumps(result.evaluation.as_json(), default=str))
    assert ours_json == score_py(DEVSET / "gold", tmp_path)


@needs_shared
def test_seed_is_extracted_and_scored() -> None:
    result = run(SHARED / "seed", SHARED / "seed")
    assert result.articles == 1
    dyad = result.evaluation.levels["dyad"]
    assert dyad.tp + dyad.fn == 4  # the seed's gold has four occurred meetings


# ---------------------------------------------------------------- extraction records → export shape


def test_predictions_take_the_export_shape() -> None:
    o1 = OfficialRecord("o1", "Hossein Amir-Abdollahian", "IRN", "Foreign Minister")
    o2 = OfficialRecord("o2", "Amir-Abdollahian", "IRN", None)
    o3 = OfficialRecord("o3", "Yvan Gil Pinto", "VEN", "Foreign Minister")
    m = MeetingRecord(
        "meeting",
        "occurred",
        "2023-02-03",
        "day",
        "Caracas",
        "VEN",
        (
            Participant("o1", o1.name, "IRN", None, "Foreign Minister", "guest"),
            Participant("o3", o3.name, "VEN", None, "Foreign Minister", "host"),
        ),
        Evidence("They met on Friday.", 0, 19),
        0.9,
    )
    preds = Predictions()
    preds.add(Extraction((o1, o3), (m,), (), "test"), "a.txt", dt.date(2023, 2, 4))
    preds.add(Extraction((o2,), (m,), (), "test"), "b.txt", dt.date(2027, 2, 4))
    assert preds.meetings[1] == {
        "meeting_id": 2,
        "kind": "meeting",
        "status": "occurred",
        "date": "2023-02-03",
        "date_precision": "day",
        "place": "Caracas",
        "place_country": "VEN",
        "countries": ["IRN", "VEN"],
        "participants": [
            {
                "name": "Hossein Amir-Abdollahian",
                "country": "IRN",
                "org": None,
                "title": "Foreign Minister",
                "role": "guest",
            },
            {
                "name": "Yvan Gil Pinto",
                "country": "VEN",
                "org": None,
                "title": "Foreign Minister",
                "role": "host",
            },
        ],
        "evidence": "They met on Friday.",
        "confidence": 0.9,
        "file": "b.txt",
    }
    # the surname-only official is merged into the full name: seen within five years
    assert [(o["name"], o["titles"], o["first_seen"], o["last_seen"]) for o in preds.merged_officials()] == [
        ("Hossein Amir-Abdollahian", ["Foreign Minister"], "2023-02-04", "2027-02-04"),
        ("Yvan Gil Pinto", ["Foreign Minister"], "2023-02-04", "2023-02-04"),
    ]


def test_a_surname_far_apart_in_time_or_shared_by_two_people_stays_apart() -> None:
    preds = Predictions()
    far = OfficialRecord("o1", "George Bush", "USA", "President")
    preds.add(Extraction((far,), (), (), "test"), "a.txt", dt.date(1990, 1, 1))
    preds.add(
        Extraction((OfficialRecord("o1", "Bush", "USA", None),), (), (), "test"), "b.txt", dt.date(2006, 1, 1)
    )
    preds.add(
        Extraction(
            (
                OfficialRecord("o1", "Ali Khan", "PAK", None),
                OfficialRecord("o2", "Imran Khan", "PAK", None),
                OfficialRecord("o3", "Khan", "PAK", None),
            ),
            (),
            (),
            "test",
        ),
        "c.txt",
        dt.date(2006, 1, 1),
    )
    assert sorted(o["name"] for o in preds.merged_officials()) == [
        "Ali Khan",
        "Bush",
        "George Bush",
        "Imran Khan",
        "Khan",
    ]


def test_articles_are_read_in_date_order_then_by_name(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("date 2023-02-04\n\nThe ministers met.", encoding="utf-8")
    (tmp_path / "a.txt").write_text(" date 2023-02-04 The ministers met again.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("date 2001-01-01\n\nAn older story.", encoding="utf-8")
    articles, problems = read_articles(tmp_path)
    assert [a.ref for a in articles] == ["c.txt", "a.txt", "b.txt"]
    assert articles[1].text == "The ministers met again." and not problems


def test_run_warns_about_articles_and_gold_files_without_their_pair(tmp_path: Path) -> None:
    gold_file(
        tmp_path / "gold", "a", [meeting("meeting", "2023-02-03", person(None, "IRN"), person(None, "VEN"))]
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "b.txt").write_text("date 2023-02-04\n\nNothing happened.", encoding="utf-8")
    result = run(tmp_path / "gold", tmp_path / "articles")
    assert result.articles == 0
    assert sorted(p.reason.split(":")[0] for p in result.problems) == [
        "article a.txt not found",
        "no gold file for this article",
    ]
    assert all(p.warning for p in result.problems)
    assert result.evaluation.levels["dyad"].fn == 1


def test_run_extracts_in_date_order_passing_the_officials_found_so_far(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def fake_extract(
        text: str, date: dt.date | None, title: str | None = None, known: Any = None
    ) -> Extraction:
        seen.append((text, [(k.name, k.country) for k in known.candidates("Maduro", date)]))
        if "Caracas" in text:
            return Extraction((OfficialRecord("o1", "Nicolas Maduro", "VEN", "President"),), (), (), "fake")
        return Extraction((), (), (), "fake")

    monkeypatch.setattr("bilateral.extraction_pool.extract", fake_extract)
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("date 2023-03-01\n\nMaduro spoke again.", encoding="utf-8")
    (articles / "b.txt").write_text("date 2023-02-01\n\nThe president spoke in Caracas.", encoding="utf-8")
    gold_file(tmp_path / "gold", "a")
    gold_file(tmp_path / "gold", "b")
    run(tmp_path / "gold", articles)
    assert seen == [
        ("The president spoke in Caracas.", []),
        ("Maduro spoke again.", [("Nicolas Maduro", "VEN")]),
    ]
