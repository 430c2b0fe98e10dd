"""`bilateral evaluate`: a table or JSON of scores, every error with its evidence, score.py's figures."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import bilateral.evaluate
import bilateral.extraction_pool
from bilateral.cli import main
from bilateral.extract.records import (
    Evidence,
    Extraction,
    MeetingRecord,
    OfficialLookup,
    OfficialRecord,
    Participant,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SCORE_PY = SHARED / "devset" / "score.py"


def official(key: str, name: str, country: str, title: str) -> OfficialRecord:
    """Return an official record."""
    return OfficialRecord(key, name, country, title)


def fake_extract(
    text: str, date: dt.date | None, title: str | None = None, known: OfficialLookup | None = None
) -> Extraction:
    """Extract one meeting of an Iranian and a Venezuelan minister from any text that says 'met'."""
    if "met" not in text:
        return Extraction((), (), (), "fake")
    o1 = official("o1", "Hossein Amir-Abdollahian", "IRN", "Foreign Minister")
    o2 = official("o2", "Carlos Perez", "VEN", "Oil Minister")
    meeting = MeetingRecord(
        "meeting",
        "occurred",
        "2023-02-03",
        "day",
        "Caracas",
        "VEN",
        (
            Participant("o1", o1.name, "IRN", None, o1.title, "guest"),
            Participant("o2", o2.name, "VEN", None, o2.title, "host"),
        ),
        Evidence(text, 0, len(text)),
        0.9,
    )
    return Extraction((o1, o2), (meeting,), (), "fake")


def person(name: str | None, country: str, title: str | None = None) -> dict[str, Any]:
    """Return a gold participant."""
    return {"name": name, "country": country, "title": title}


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Write one article and its gold file, and replace the extractor by a fixed one."""
    monkeypatch.setattr(bilateral.extraction_pool, "extract", fake_extract)
    gold, articles = tmp_path / "gold", tmp_path / "articles"
    gold.mkdir()
    articles.mkdir()
    (articles / "a.txt").write_text("date 2023-02-04\n\nThe ministers met on Friday.", encoding="utf-8")
    doc = {
        "file": "a.txt",
        "article_date": "2023-02-04",
        "meetings": [
            {
                "kind": "meeting",
                "status": "occurred",
                "date": "2023-02-03",
                "participants": [person("Amir-Abdollahian", "IRN"), person("Yvan Gil Pinto", "VEN")],
                "evidence": "The ministers met on Friday.",
            },
            {
                "kind": "call",
                "status": "occurred",
                "date": "2023-02",
                "participants": [person(None, "IRN"), person(None, "CUB")],
                "evidence": "They spoke by phone.",
            },
        ],
        "agreements": [],
        "officials": [person("Hossein Amir-Abdollahian", "IRN", "Foreign Minister")],
    }
    (gold / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    return gold, articles


TABLE = """\
level     tp  fp  fn  precision  recall  f1
--------  --  --  --  ---------  ------  -----
dyad       1   0   1      1.000   0.500  0.667
people     0   1   1      0.000   0.000  0.000
visit      0   0   0      0.000   0.000  0.000
agree      0   0   0      0.000   0.000  0.000
official   1   1   0      0.500   1.000  0.667
dyad dates exact to the day: 1/1 (1.000); articles scored: 1, gold files: 1
"""

ERRORS = """
miss dyad a.txt: call CUB-IRN: (IRN) + (CUB), 2023-02
  They spoke by phone.

miss people a.txt: meeting Amir-Abdollahian (IRN) + Yvan Gil Pinto (VEN), 2023-02-03
  The ministers met on Friday.

false alarm people a.txt: meeting Hossein Amir-Abdollahian (IRN) + Carlos Perez (VEN), 2023-02-03
  The ministers met on Friday.

false alarm official a.txt: Carlos Perez (VEN)
"""


def test_prints_a_table_of_scores(corpus: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["evaluate", *map(str, corpus)])
    assert result.exit_code == 0, result.output
    assert result.stdout == TABLE


def test_show_errors_lists_every_miss_and_false_alarm(corpus: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["evaluate", *map(str, corpus), "--show-errors"])
    assert result.exit_code == 0, result.output
    assert result.stdout == TABLE + ERRORS


def test_prints_json_in_score_py_shape(corpus: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["evaluate", *map(str, corpus), "--format", "json", "--show-errors"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["scores"]["dyad"] == {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5, "f1": 0.667}
    assert doc["scores"]["dyad_date_exact"] == {"matched_with_day": 1, "exact": 1, "share": 1.0}
    assert doc["details"]["dyad"] == {"missed": [["call", ["CUB", "IRN"], "2023-02", "a.txt"]], "extra": []}
    assert doc["articles"] == 1
    assert [(e["level"], e["error"], e["file"]) for e in doc["errors"]] == [
        ("dyad", "miss", "a.txt"),
        ("people", "miss", "a.txt"),
        ("people", "false alarm", "a.txt"),
        ("official", "false alarm", "a.txt"),
    ]


def test_writes_the_records_it_scored(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "records"
    result = CliRunner().invoke(main, ["evaluate", *map(str, corpus), "--records", str(out), "--db", "x.db"])
    assert result.exit_code == 0, result.output
    meetings = [json.loads(line) for line in (out / "meetings.jsonl").read_text().splitlines()]
    assert [(m["meeting_id"], m["countries"], m["date"], m["file"]) for m in meetings] == [
        (1, ["IRN", "VEN"], "2023-02-03", "a.txt")
    ]
    assert (out / "agreements.jsonl").read_text() == ""
    officials = [json.loads(line)["name"] for line in (out / "officials.jsonl").read_text().splitlines()]
    assert officials == ["Hossein Amir-Abdollahian", "Carlos Perez"]


def test_an_unreadable_article_is_reported_and_exits_1(corpus: tuple[Path, Path]) -> None:
    gold, articles = corpus
    (articles / "b.txt").write_text("date 2023-02-30\n\nThe ministers met.", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(gold), str(articles)])
    assert result.exit_code == 1
    assert "error: " in result.stderr and "b.txt" in result.stderr and "2023-02-30" in result.stderr
    assert result.stdout == TABLE


def test_a_bad_gold_file_names_the_file(corpus: tuple[Path, Path]) -> None:
    gold, articles = corpus
    (gold / "b.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(gold), str(articles)])
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {gold / 'b.json'}:1: not valid JSON (Expecting property name enclosed in "
        "double quotes) — fix the gold file\n"
    )


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "nope"), str(tmp_path)])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


@pytest.mark.skipif(not SCORE_PY.exists(), reason="../shared (devset and score.py) is absent")
def test_devset_figures_are_score_py_figures(tmp_path: Path) -> None:
    devset = SHARED / "devset"
    result = CliRunner().invoke(
        main,
        [
            "evaluate",
            str(devset / "gold"),
            str(devset / "articles"),
            "--format",
            "json",
            "--records",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    reference = subprocess.run(
        [sys.executable, str(SCORE_PY), str(devset / "gold")]
        + [str(tmp_path / f"{name}.jsonl") for name in ("meetings", "agreements", "officials")]
        + ["--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert json.loads(result.stdout)["scores"] == json.loads(reference.stdout)["scores"]
