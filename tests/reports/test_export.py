"""Exports: contract columns, crosswalk, nested JSONL, filters, spreadsheet safety, dyad-year panels."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bilateral.reports.export import COLUMNS, safe_cell, write_export
from bilateral.reports.filters import ReportError, make_filters
from bilateral.reports.synthetic import ArchiveBuilder

CONTRACT = {
    "meetings": "meeting_id, kind, status, date, date_precision, place, place_country, countries, "
    "participants, source_count, first_source, evidence, cameo, plover_event, plover_mode",
    "participants": "meeting_id, official_id, name, country, country_cow, country_gw, title, role, org",
    "agreements": "agreement_id, title, type, status, date, date_precision, place, parties, source_count, "
    "first_source, evidence, cameo, plover_event",
    "agreement-parties": "agreement_id, country, country_cow, country_gw, org, signatory",
    "officials": "official_id, name, country, titles, first_seen, last_seen, meetings",
    "positions": "official_id, name, country, title, first_seen, last_seen",
    "countries": "iso3, iso2, name, cow, gw",
    "articles": "article_id, date, title, url, source, ref, sha256, words, extractor_version, ingested_at",
    "dyad-year": "year, country_a, country_b, cow_a, cow_b, gw_a, gw_b, meetings, calls, visits, agreements",
}


def _export(session: Session, table: str, fmt: str = "csv", complete: bool = False, **filters: Any) -> str:
    conn = session.connection()
    out = io.StringIO()
    write_export(conn, table, make_filters(conn=conn, **filters), out, format=fmt, complete=complete)
    return out.getvalue()


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_columns_start_with_the_contract(session: Session, small_archive: Any, table: str) -> None:
    contract = tuple(CONTRACT[table].split(", "))
    assert COLUMNS[table][: len(contract)] == contract
    header = next(csv.reader(io.StringIO(_export(session, table))))
    assert tuple(header) == COLUMNS[table]


def test_meetings_csv_with_crosswalk(session: Session, small_archive: Any) -> None:
    assert _export(session, "meetings").splitlines()[1:] == [
        '1,meeting,occurred,2020-03-04,day,Caracas,VEN,IRN;VEN,"Ana Zarif (IRN, Foreign Minister);'
        'Luis Gil (VEN, Foreign Minister)",2,https://news.example/early,Zarif met Gil in Caracas.,'
        "040,CONSULT,",
        "2,meeting,occurred,2020-04,month,Geneva,CHE,CUB;IRN,Rosa Perez (CUB);Ana Zarif (IRN),0,,,"
        "044,CONSULT,third-party",
        "3,call,occurred,2021,year,,,CUB;VEN,(CUB);Luis Gil (VEN),0,,,041,CONSULT,phone",
        "4,visit,planned,,unknown,,,CUB;IRN;VEN,(CUB);(IRN);Luis Gil (VEN),0,,,042,CONSULT,visit",
    ]


def test_meetings_jsonl_nests_participants_and_sources(session: Session, small_archive: Any) -> None:
    first = json.loads(_export(session, "meetings", "jsonl").splitlines()[0])
    assert first == {
        "meeting_id": 1,
        "kind": "meeting",
        "status": "occurred",
        "date": "2020-03-04",
        "date_precision": "day",
        "place": "Caracas",
        "place_country": "VEN",
        "countries": ["IRN", "VEN"],
        "participants": [
            {
                "name": "Ana Zarif",
                "country": "IRN",
                "org": None,
                "title": "Foreign Minister",
                "role": "guest",
            },
            {"name": "Luis Gil", "country": "VEN", "org": None, "title": "Foreign Minister", "role": "host"},
        ],
        "source_count": 2,
        "first_source": "https://news.example/early",
        "evidence": "Zarif met Gil in Caracas.",
        "cameo": "040",
        "plover_event": "CONSULT",
        "plover_mode": "",
        "sources": [
            {
                "article": small_archive.first_article.id,
                "ref": "a/early.txt",
                "url": "https://news.example/early",
                "evidence": "Zarif met Gil in Caracas.",
                "start": 0,
                "end": 25,
            },
            {
                "article": small_archive.first_article.id + 1,
                "ref": "a/late.txt",
                "url": None,
                "evidence": "Zarif and Gil met again.",
                "start": 0,
                "end": 24,
            },
        ],
    }


def test_agreements_and_parties(session: Session, small_archive: Any) -> None:
    assert _export(session, "agreements").splitlines()[1:] == [
        "1,Oil deal,agreement,signed,2020-03-04,day,,IRN;OPEC;VEN,1,https://news.example/early,They signed.,"
        "057,AGREE",
        "2,Trade plan,plan,planned,2022-07-01,day,,CUB;VEN,0,,,,",
    ]
    lines = _export(session, "agreements", "jsonl").splitlines()
    assert json.loads(lines[0])["parties"] == ["IRN", "OPEC", "VEN"]
    assert _export(session, "agreement-parties").splitlines()[1:4] == [
        "1,IRN,630,630,,",
        "1,VEN,101,101,,Luis Gil",
        "1,,,,OPEC,",
    ]


def test_filters_by_date_and_every_chosen_country(session: Session, small_archive: Any) -> None:
    ids = [
        line.split(",")[0]
        for line in _export(session, "meetings", since="2020-04", until="2021").splitlines()
    ]
    assert ids == ["meeting_id", "2", "3"]
    ids = [line.split(",")[0] for line in _export(session, "meetings", countries=["Iran", "VE"]).splitlines()]
    assert ids == ["meeting_id", "1", "4"]
    rows = _export(session, "participants", countries=["CU"]).splitlines()
    assert [r.split(",")[:2] for r in rows[1:]] == [
        ["2", "1"],
        ["2", "3"],
        ["3", ""],
        ["3", "2"],
        ["4", ""],
        ["4", ""],
        ["4", "2"],
    ]
    with pytest.raises(ReportError, match="do not apply to the countries table"):
        _export(session, "countries", countries=["IRN"])


def test_dyad_year_counts_occurred_dated_events(session: Session, small_archive: Any) -> None:
    assert _export(session, "dyad-year").splitlines()[1:] == [
        "2020,CUB,IRN,40,630,40,630,1,0,0,0",
        "2020,IRN,VEN,630,101,630,101,1,0,0,1",
        "2021,CUB,VEN,40,101,40,101,0,1,0,0",
    ]
    assert _export(session, "dyad-year", since="2021", countries=["VEN"]).splitlines()[1:] == [
        "2021,CUB,VEN,40,101,40,101,0,1,0,0",
    ]


def test_dyad_year_complete_fills_zeros(session: Session, small_archive: Any) -> None:
    lines = _export(session, "dyad-year", complete=True, countries=["IRN", "VEN"], since="2019", until="2021")
    assert lines.splitlines()[1:] == [
        "2019,IRN,VEN,630,101,630,101,0,0,0,0",
        "2020,IRN,VEN,630,101,630,101,1,0,0,1",
        "2021,IRN,VEN,630,101,630,101,0,0,0,0",
    ]
    lines = _export(session, "dyad-year", complete=True, countries=["CUB", "IRN", "VEN"], until="2020")
    assert [line.split(",")[:3] for line in lines.splitlines()[1:]] == [
        ["2020", "CUB", "IRN"],
        ["2020", "CUB", "VEN"],
        ["2020", "IRN", "VEN"],
    ]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Tehran", "Tehran"),
        (["=A1", "B"], "'=A1;B"),
        (-3, "-3"),
    ],
)
def test_cells_are_made_safe_for_spreadsheets(value: Any, cell: str) -> None:
    assert safe_cell(value) == cell


def test_exported_formula_cells_are_neutralised(session: Session) -> None:
    b = ArchiveBuilder(session)
    article = b.article("2023-01-01", ref="=cmd|' /C calc'!A0", url=None)
    evil = b.official("@Evil Name", "IRN", ("-Minister", "2023-01-01", "2023-01-01"))
    b.meeting("meeting", "2023-01-01", [evil, "VEN"], place="+Place", sources=[(article, "=1+1 said")])
    session.commit()
    rows = list(csv.reader(io.StringIO(_export(session, "meetings"))))[1:]
    assert rows[0][5] == "'+Place"
    assert rows[0][8] == "'@Evil Name (IRN);(VEN)"
    assert rows[0][10] == "'=cmd|' /C calc'!A0"
    assert rows[0][11] == "'=1+1 said"
    officials = list(csv.reader(io.StringIO(_export(session, "officials"))))[1:]
    assert officials[0][1:4] == ["'@Evil Name", "IRN", "'-Minister"]
