"""Coreference: surnames, roles, ledes, counterparts, delegations and inferred countries."""

from __future__ import annotations

import datetime as dt

from bilateral.extract import extract
from bilateral.extract.known import KnownOfficials
from bilateral.extract.records import KnownOfficial

SAT = dt.date(2023, 2, 4)


def _officials(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(o.name, o.country, o.title) for o in extract(text, SAT).officials]


def test_lede_post_then_name() -> None:
    text = (
        "The Hungarian foreign minister said here Friday that trade would grow. "
        "Peter Szabo told reporters that talks went well."
    )
    assert _officials(text) == [("Peter Szabo", "HUN", "Foreign Minister")]


def test_counterpart_shares_the_post() -> None:
    text = "Austrian Chancellor Karl Berger met his Swiss counterpart Urs Keller in Bern on Friday."
    assert _officials(text) == [("Karl Berger", "AUT", "Chancellor"), ("Urs Keller", "CHE", "Chancellor")]


def test_delegation_leader_and_role_mention() -> None:
    text = (
        "Leading a Cuban delegation, Navarro arrived in Hanoi on Thursday. "
        "The Cuban vice president met Vietnamese Prime Minister Pham Duc on Friday."
    )
    x = extract(text, SAT)
    assert [(o.name, o.country, o.title) for o in x.officials] == [
        ("Pham Duc", "VNM", "Prime Minister"),
        ("Navarro", "CUB", "Vice President"),
    ]
    assert {(m.kind, m.date, m.place_country) for m in x.meetings} == {
        ("visit", "2023-02-02", "VNM"),
        ("meeting", "2023-02-03", "VNM"),
    }


def test_host_country_from_a_meeting_with_a_foreigner() -> None:
    text = "In the meeting held in Quito on Friday, Moreno and Peruvian Foreign Minister Luis Vega talked."
    assert ("Moreno", "ECU", None) in _officials(text)


def test_capital_can_be_a_surname() -> None:
    text = "Brazilian President Joao Lima met Angolan President Paulo Dias on Friday. Lima said it went well."
    x = extract(text, SAT)
    assert [(o.name, o.country) for o in x.officials] == [("Joao Lima", "BRA"), ("Paulo Dias", "AGO")]
    assert [m.countries for m in x.meetings] == [("AGO", "BRA")]


def test_known_officials_resolve_a_surname_and_keep_the_fuller_name() -> None:
    known = KnownOfficials([KnownOfficial("Samuel Otieno", "KEN", "President", None, dt.date(2022, 5, 1))])
    x = extract("Otieno met Ugandan President Paul Okello on Friday.", SAT, known=known)
    assert ("Samuel Otieno", "KEN", "President") in [(o.name, o.country, o.title) for o in x.officials]


def test_candidate_is_not_an_official() -> None:
    assert _officials("Presidential candidate Marie Dubois, a socialist, met voters in Lyon.") == []
