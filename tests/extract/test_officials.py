"""Officials from the shapes news uses, with coreference."""

from __future__ import annotations

import datetime as dt

import pytest

from bilateral.extract import extract


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chilean Vice President Marta Soto spoke.", ("Marta Soto", "CHL", "Vice President")),
        ("Pedro Alves, Brazil's foreign minister, spoke.", ("Pedro Alves", "BRA", "Foreign Minister")),
        ("The foreign minister of Peru, Jorge Ramos, spoke.", ("Jorge Ramos", "PER", "Foreign Minister")),
        ("Polish Premier Jan Nowak spoke.", ("Jan Nowak", "POL", "Prime Minister")),
        ("North Korean leader Kim Il-dong spoke.", ("Kim Il-dong", "PRK", "Leader")),
        ("King Abdullah of Jordan spoke.", ("Abdullah", "JOR", "King")),
    ],
)
def test_shapes(text: str, expected: tuple[str, str, str]) -> None:
    x = extract(text, dt.date(2020, 1, 1))
    assert [(o.name, o.country, o.title) for o in x.officials] == [expected]


def test_former_office_holder_is_not_an_official() -> None:
    assert extract("Former Peruvian President Luis Rojas spoke.", dt.date(2020, 1, 1)).officials == ()


def test_surname_and_role_mentions_resolve_to_one_person() -> None:
    text = (
        "Peruvian Foreign Minister Jorge Ramos arrived in Quito. Ramos met Ecuadorian President Lucia Paz. "
        "The Peruvian foreign minister later left."
    )
    x = extract(text, dt.date(2020, 1, 1))
    ramos = [o for o in x.officials if o.name == "Jorge Ramos"]
    assert len(ramos) == 1
    assert [s.text for s in ramos[0].mentions] == ["Jorge Ramos", "Ramos", "foreign minister"]


def test_title_after_a_two_word_country() -> None:
    x = extract("New Zealand Prime Minister Kate Marsh spoke.", dt.date(2020, 1, 1))
    assert [(o.name, o.country, o.title) for o in x.officials] == [("Kate Marsh", "NZL", "Prime Minister")]


def test_organisation_post() -> None:
    x = extract("U.N. Secretary-General Maria Lopez spoke.", dt.date(2020, 1, 1))
    assert [(o.name, o.country, o.org, o.title) for o in x.officials] == [
        ("Maria Lopez", None, "UN", "Secretary-General")
    ]


def test_places_and_party_posts_are_not_officials() -> None:
    for text in (
        "Heroin was brought into Vietnam's Ho Chi Minh City via the south.",
        "China's Gansu Province was hit by floods.",
        "Labor Secretary-General Eitan Cabel announced the result.",
        "The speech, to be delivered in New York, the Secretary-General said.",
    ):
        assert extract(text, dt.date(2020, 1, 1)).officials == ()


def test_secretary_general_of_the_named_organisation() -> None:
    x = extract("Amr Kamal, Secretary General of the Arab League, said so.", dt.date(2020, 1, 1))
    assert [(o.name, o.org, o.title) for o in x.officials] == [("Amr Kamal", "ARAB", "Secretary-General")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("British Defence Secretary Tom Reid spoke.", [("Tom Reid", "GBR", None, "Defense Secretary")]),
        ("US Secretary of State Ann Cole spoke.", [("Ann Cole", "USA", None, "Secretary of State")]),
        ("Austrian Chancellor Karl Gruber spoke.", [("Karl Gruber", "AUT", None, "Chancellor")]),
        ("Qatari Emir Sheikh Hamad Nasser spoke.", [("Sheikh Hamad Nasser", "QAT", None, "Emir")]),
        ("Saudi Crown Prince Faisal Saad spoke.", [("Faisal Saad", "SAU", None, "Crown Prince")]),
        ("Chinese State Councillor Wang Jun spoke.", [("Wang Jun", "CHN", None, "State Councillor")]),
        (
            "Indian Minister of External Affairs Ravi Rao spoke.",
            [("Ravi Rao", "IND", None, "Foreign Minister")],
        ),
        ("EU High Representative Ana Ruiz spoke.", [("Ana Ruiz", None, "EU", "High Representative")]),
        ("UN Special Envoy Lars Berg spoke.", [("Lars Berg", None, "UN", "Special Envoy")]),
        (
            "US National Security Adviser Tim Ward spoke.",
            [("Tim Ward", "USA", None, "National Security Adviser")],
        ),
        (
            "Vietnam's General Secretary of the Communist Party Le Van Tam spoke.",
            [("Le Van Tam", "VNM", None, "General Secretary")],
        ),
        (
            "Russian First Deputy Prime Minister Oleg Sokolov spoke.",
            [("Oleg Sokolov", "RUS", None, "First Deputy Prime Minister")],
        ),
        ("US Energy Secretary Mark Dale spoke.", [("Mark Dale", "USA", None, "Energy Secretary")]),
        (
            "The Indonesian tourism minister, Budi Santoso, spoke.",
            [("Budi Santoso", "IDN", None, "Tourism Minister")],
        ),
        ("EU Trade Commissioner Hans Vogel spoke.", [("Hans Vogel", None, "EU", "Trade Commissioner")]),
        ("Irish Taoiseach Sean Byrne spoke.", [("Sean Byrne", "IRL", None, "Prime Minister")]),
        ("Pope Pius XII spoke.", [("Pius XII", "VAT", None, "Pope")]),
        (
            "Commission President Ulla von der Berg spoke in Brussels for the EU.",
            [("Ulla von der Berg", None, "EU", "Commission President")],
        ),
        ("Canadian Governor-General Marie Roy spoke.", [("Marie Roy", "CAN", None, "Governor-General")]),
        ("WTO Director-General Paul Roux spoke.", [("Paul Roux", None, "WTO", "Director-General")]),
        (
            "Philippine Foreign Affairs Secretary Jose Cruz spoke.",
            [("Jose Cruz", "PHL", None, "Foreign Minister")],
        ),
    ],
)
def test_title_lexicon_covers_posts(
    text: str, expected: list[tuple[str, str | None, str | None, str]]
) -> None:
    x = extract(text, dt.date(2020, 1, 1))
    assert [(o.name, o.country, o.org, o.title) for o in x.officials] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Amir Cohen, a shopkeeper, spoke.",  # a given name, not the title Emir
        "Turkish opposition party leader Ali Kaya spoke.",  # a party post is no state post
    ],
)
def test_not_state_posts(text: str) -> None:
    x = extract(text, dt.date(2020, 1, 1))
    assert [(o.name, o.title) for o in x.officials if o.title] == []
