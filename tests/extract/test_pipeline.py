"""End-to-end extraction on short sentences written for these tests, plus the seed and the devset."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from bilateral.extract import EXTRACTOR_VERSION, extract
from bilateral.extract.known import KnownOfficials
from bilateral.extract.records import Evidence, KnownOfficial, MeetingRecord, Participant

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAT = dt.date(2023, 2, 4)


def test_meeting_with_counterpart_has_every_field() -> None:
    text = (
        "Peruvian Foreign Minister Ana Torres met with her Chilean counterpart, Luis Vega, in Lima on Friday."
    )
    x = extract(text, SAT)
    assert x.extractor_version == EXTRACTOR_VERSION
    torres, vega = x.officials
    assert (torres.name, torres.country, torres.title) == ("Ana Torres", "PER", "Foreign Minister")
    assert (vega.name, vega.country, vega.title) == ("Luis Vega", "CHL", "Foreign Minister")
    assert x.meetings == (
        MeetingRecord(
            kind="meeting",
            status="occurred",
            date="2023-02-03",
            date_precision="day",
            place="Lima",
            place_country="PER",
            participants=(
                Participant(torres.key, "Ana Torres", "PER", None, "Foreign Minister", "host"),
                Participant(vega.key, "Luis Vega", "CHL", None, "Foreign Minister", "guest"),
            ),
            evidence=Evidence(text, 0, len(text)),
            confidence=x.meetings[0].confidence,
        ),
    )
    assert 0 < x.meetings[0].confidence <= 1


def test_visit_and_repeated_meeting_make_one_record_each() -> None:
    text = (
        "Kenyan President Samuel Otieno arrived in Accra late on Thursday. "
        "Otieno met Ghanaian Vice President Kofi Mensah on Friday. "
        "The meeting between Otieno and Mensah on Friday focused on trade."
    )
    x = extract(text, SAT)
    visits = [m for m in x.meetings if m.kind == "visit"]
    meetings = [m for m in x.meetings if m.kind == "meeting"]
    assert [(v.date, v.place, v.place_country, v.countries) for v in visits] == [
        ("2023-02-02", "Accra", "GHA", ("KEN",))
    ]
    assert len(meetings) == 1
    assert (meetings[0].date, meetings[0].countries, meetings[0].place_country) == (
        "2023-02-03",
        ("GHA", "KEN"),
        "GHA",
    )


def test_phone_call_is_a_call() -> None:
    x = extract("Mexican President Rosa Diaz telephoned Canadian Prime Minister Paul Grant on Friday.", SAT)
    assert [(m.kind, m.status, m.date, m.countries) for m in x.meetings] == [
        ("call", "occurred", "2023-02-03", ("CAN", "MEX"))
    ]


def test_planned_meeting_is_planned() -> None:
    x = extract("Indian Prime Minister Raj Mehta will meet Japanese Prime Minister Ken Sato next week.", SAT)
    assert [(m.kind, m.status) for m in x.meetings] == [("meeting", "planned")]


@pytest.mark.parametrize(
    "text",
    [
        "Brazilian President Joao Lima chaired a cabinet meeting with Finance Minister Carla Reis on Friday.",
        "The two sides will not meet, Egyptian Foreign Minister Omar Said told reporters.",
        "Australian Trade Minister Tom Hill met executives of Rio Tinto on Friday.",
    ],
)
def test_no_interstate_event(text: str) -> None:
    assert [m for m in extract(text, SAT).meetings if m.status == "occurred"] == []


def test_dateline_city_is_not_the_meeting_place() -> None:
    text = (
        "NAIROBI, Feb 4 (Reuters)\n\n"
        "Kenyan President Samuel Otieno met Ugandan President Paul Okello in Kampala."
    )
    (m,) = extract(text, SAT).meetings
    assert (m.place, m.place_country) == ("Kampala", "UGA")


def test_history_meeting_last_year_is_occurred_with_a_year() -> None:
    x = extract("Turkish President Ali Demir met Greek Prime Minister Nikos Papas last year in Athens.", SAT)
    assert [(m.status, m.date, m.date_precision) for m in x.meetings] == [("occurred", "2022", "year")]


def test_signed_agreement_with_parties() -> None:
    x = extract("Iran and Venezuela signed a comprehensive energy cooperation agreement on Friday.", SAT)
    (a,) = x.agreements
    assert (a.title, a.type, a.status, a.date) == (
        "comprehensive energy cooperation agreement",
        "agreement",
        "signed",
        "2023-02-03",
    )
    assert sorted(p.country for p in a.parties if p.country) == ["IRN", "VEN"]


def test_known_official_gives_country_to_a_surname() -> None:
    known = KnownOfficials([KnownOfficial("Samuel Otieno", "KEN", "President", None, dt.date(2022, 5, 1))])
    x = extract(
        "Otieno held talks with Ugandan President Paul Okello in Kampala on Friday.", SAT, known=known
    )
    assert [m.countries for m in x.meetings] == [("KEN", "UGA")]


def test_offsets_point_into_the_text() -> None:
    text = "Venezuelan Vice President Delia Ruiz met Cuban Foreign Minister Pedro Gomez in Havana on Friday."
    x = extract(text, SAT)
    for o in x.officials:
        for s in o.mentions:
            assert text[s.start : s.end] == s.text
    for m in x.meetings:
        assert text[m.evidence.start : m.evidence.end] == m.evidence.text


def _read(path: Path) -> tuple[str, dt.date]:
    raw = path.read_text(encoding="utf-8")
    m = re.match(r"\s*date (\d{4}-\d{2}-\d{2})\s?", raw)
    assert m is not None
    return raw[m.end() :], dt.date.fromisoformat(m.group(1))


@pytest.mark.skipif(not (SHARED / "seed").is_dir(), reason="../shared/seed is absent")
def test_seed_article() -> None:
    text, date = _read(SHARED / "seed" / "2023-02-04_iran-venezuela.txt")
    x = extract(text, date)
    occurred = sorted(
        (m.date, m.countries, tuple(sorted(p.name.split()[-1] for p in m.participants if p.name)))
        for m in x.meetings
        if m.kind == "meeting" and m.status == "occurred"
    )
    assert occurred == [
        ("2023-02-03", ("IRN", "VEN"), ("Aissami", "Amir-Abdollahian")),
        ("2023-02-03", ("IRN", "VEN"), ("Amir-Abdollahian", "Maduro")),
        ("2023-02-03", ("IRN", "VEN"), ("Amir-Abdollahian", "Pinto")),
        ("2023-02-04", ("IRN", "VEN"), ("Amir-Abdollahian", "Rodríguez")),
    ]
    visits = [
        (m.date, m.place, m.place_country)
        for m in x.meetings
        if m.kind == "visit" and m.countries == ("IRN",)
    ]
    assert visits == [("2023-02-02", "Caracas", "VEN")]
    assert [(sorted(p.country or "" for p in a.parties), a.status) for a in x.agreements] == [
        (["IRN", "VEN"], "signed")
    ]
    gold = json.loads((SHARED / "seed" / "2023-02-04_iran-venezuela.json").read_text(encoding="utf-8"))
    got = {(o.name.split()[-1], o.country) for o in x.officials}
    for o in gold["officials"]:
        assert (o["name"].split()[-1], o["country"]) in got


@pytest.mark.skipif(not (SHARED / "devset" / "score.py").is_file(), reason="../shared/devset is absent")
def test_devset_scores(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("devset_score", SHARED / "devset" / "score.py")
    assert spec is not None and spec.loader is not None
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    known = KnownOfficials()
    arts = sorted(
        (_read(p) + (p.name,) for p in (SHARED / "devset" / "articles").glob("*.txt")),
        key=lambda a: (a[1], a[2]),
    )
    rows: dict[str, list[str]] = {"m": [], "a": [], "o": []}
    for text, date, name in arts:
        x = extract(text, date, known=known)
        for i, m in enumerate(x.meetings):
            parts = [
                {"name": p.name, "country": p.country, "title": p.title, "org": p.org} for p in m.participants
            ]
            rows["m"].append(
                json.dumps(
                    {
                        "meeting_id": f"{name}:{i}",
                        "kind": m.kind,
                        "status": m.status,
                        "date": m.date,
                        "place_country": m.place_country,
                        "participants": parts,
                    }
                )
            )
        for i, a in enumerate(x.agreements):
            rows["a"].append(
                json.dumps(
                    {
                        "agreement_id": f"{name}:{i}",
                        "status": a.status,
                        "date": a.date,
                        "parties": [p.country or p.org for p in a.parties],
                    }
                )
            )
        for o in x.officials:
            rows["o"].append(
                json.dumps({"official_id": f"{name}:{o.key}", "name": o.name, "country": o.country})
            )
            known.add(KnownOfficial(o.name, o.country, o.title, o.org, date, o.aliases))
    paths = []
    for k, lines in rows.items():
        path = tmp_path / f"{k}.jsonl"
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        paths.append(str(path))
    out = tmp_path / "scores.txt"
    stdout = sys.stdout
    with out.open("w") as fh:
        sys.stdout = fh
        try:
            score.main([str(SHARED / "devset" / "gold"), *paths, "--json"])
        finally:
            sys.stdout = stdout
    scores = json.loads(out.read_text())["scores"]
    # The targets (levels of score.py).
    assert scores["dyad"]["f1"] >= 0.85
    assert scores["people"]["f1"] >= 0.80
    assert scores["agree"]["f1"] >= 0.70
    assert scores["official"]["f1"] >= 0.85
