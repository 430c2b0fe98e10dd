"""The gazetteer: names, historical forms, demonyms, capitals, organisations."""

from __future__ import annotations

import pytest

from bilateral.extract.countries import MIN_POPULATION, cities, find_places
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministers held talks in Auckland on Monday.", [("Auckland", "NZL", "city")]),
        ("She flew to Lyon for the signing.", [("Lyon", "FRA", "city")]),
        ("They met in the southern city of Basra.", [("Basra", "IRQ", "city")]),
        ("The envoy arrived in Juba late on Friday.", [("Juba", "SSD", "capital")]),
        (
            "Talks opened in Chiang Mai, Thailand.",
            [("Chiang Mai", "THA", "city"), ("Thailand", "THA", "name")],
        ),
        ("He visited Kandahar and Herat.", [("Kandahar", "AFG", "city"), ("Herat", "AFG", "city")]),
        (
            "CHIANG MAI, Thailand (AP) - The talks ended.",
            [("CHIANG MAI", "THA", "city"), ("Thailand", "THA", "name")],
        ),
        ("The summit in St. Petersburg ended.", [("St. Petersburg", "RUS", "city")]),
    ],
)
def test_cities_in_a_place_context(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Lyon said the plan was sound.",  # no place context: a name, not a place
        "Defence Secretary Lloyd Austin spoke to Austin reporters.",  # a surname, a stop-listed city
        "The Mobile World Congress opened.",  # a common word and part of a longer name
        "Visitors enjoyed Nice weather.",  # a common word
        "The Kyoto Protocol took effect in 2005.",  # part of a longer name
        "He praised Basra's governor.",  # a possessive: not where something happened
        "Reading the statement, he paused.",
    ],
)
def test_city_names_outside_a_place_context_are_not_places(text: str) -> None:
    assert [c for c in _codes(text) if c[2] in ("city", "capital")] == []


def test_an_ambiguous_city_takes_the_country_the_article_names() -> None:
    assert _codes("Costa Rican officials met in San Jose.")[-1] == ("San Jose", "CRI", "capital")
    assert _codes("American officials met in San Jose.")[-1] == ("San Jose", "USA", "city")
    assert _codes("Talks were held in Birmingham.") == [("Birmingham", "GBR", "city")]
    assert _codes("US officials held talks in Birmingham.")[-1] == ("Birmingham", "USA", "city")
    assert _codes("Iranian officials held talks in Alexandria.")[-1] == ("Alexandria", "EGY", "city")


def test_seats_of_government_and_venues_need_no_context() -> None:
    assert _codes("Camp David talks") == [("Camp David", "USA", "city")]
    assert _codes("The Kremlin said no.") == [("Kremlin", "RUS", "capital")]
    assert _codes("Downing Street said no.") == [("Downing Street", "GBR", "capital")]


def test_the_city_table_keeps_large_cities_and_capitals_only() -> None:
    table = cities()
    assert all(c.population >= MIN_POPULATION or c.capital for cs in table.values() for c in cs)
    assert "Man" not in table and "Of" not in table  # stop-listed common words
    assert "Georgia" not in table and "Washington" not in table  # the country gazetteer knows them
