"""The gazetteer: names, historical forms, demonyms, capitals, organisations."""

from __future__ import annotations

import pytest

from bilateral.extract.countries import find_places
from bilateral.extract.document import make_document


def _codes(text: str) -> list[tuple[str, str, str]]:
    doc = find_places(make_document(text, None))
    for p in doc.places:
        assert text[p.start : p.end] == p.text
    return [(p.text, p.code, p.kind) for p in doc.places]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soviet troops left.", [("Soviet", "SUN", "demonym")]),
        ("South Korean envoys", [("South Korean", "KOR", "demonym")]),
        ("an Emirati official", [("Emirati", "ARE", "demonym")]),
        ("Tehran said no.", [("Tehran", "IRN", "capital")]),
        ("Zaire and Taiwan", [("Zaire", "COD", "name"), ("Taiwan", "TWN", "name")]),
        ("the U.N.-Iraq accord", [("U.N.", "UN", "org"), ("Iraq", "IRQ", "name")]),
        ("EU-Turkey deal", [("EU", "EU", "org"), ("Turkey", "TUR", "name")]),
        ("Kosovo and Palestine", [("Kosovo", "XKX", "name"), ("Palestine", "PSE", "name")]),
    ],
)
def test_places(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _codes(text) == expected


def test_dateline_is_found() -> None:
    doc = find_places(make_document("BANGKOK, April 18 (AFP)\n\nThe minister spoke.", None))
    assert doc.dateline is not None
    assert (doc.dateline.text, doc.dateline.code) == ("BANGKOK", "THA")


def test_country_inside_a_company_or_paper_name_is_not_a_country() -> None:
    assert _codes("China International Water & Electric Corp. signed a deal.") == []
    assert _codes("The Korea Herald reported it.") == []
    assert _codes("Venezuelan Oil Minister") == [("Venezuelan", "VEN", "demonym")]
