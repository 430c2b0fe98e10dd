"""Agreements from short sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from bilateral.extract import extract
from bilateral.extract.records import AgreementParty, AgreementRecord, Evidence

SAT = dt.date(2023, 2, 4)


def _agreements(text: str) -> list[tuple[str, str, str, str | None, list[str]]]:
    return [
        (a.title, a.type, a.status, a.date, sorted(p.country or p.org or "" for p in a.parties))
        for a in extract(text, SAT).agreements
    ]


def test_signed_agreement_has_every_field() -> None:
    text = "Chilean Foreign Minister Ana Soto signed a fisheries cooperation agreement with Peru on Friday."
    x = extract(text, SAT)
    (soto,) = x.officials
    assert x.agreements == (
        AgreementRecord(
            title="fisheries cooperation agreement",
            type="agreement",
            status="signed",
            date="2023-02-03",
            date_precision="day",
            place=None,
            place_country=None,
            parties=(AgreementParty("PER", None, None), AgreementParty("CHL", None, soto.key)),
            evidence=Evidence(text, 0, len(text)),
            confidence=x.agreements[0].confidence,
        ),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ghana and Togo will sign a memorandum of understanding on border trade next week.",
            [
                (
                    "memorandum of understanding on border trade",
                    "memorandum",
                    "planned",
                    "2023-02",
                    ["GHA", "TGO"],
                )
            ],
        ),
        (
            "The plan was agreed on Friday by Russian President Ivan Orlov and Turkish President Ali Demir.",
            [("plan", "plan", "reached", "2023-02-03", ["RUS", "TUR"])],
        ),
        (
            "The 1995 security pact that Indonesia and Australia signed still stands.",
            [("1995 security pact", "agreement", "signed", "1995", ["AUS", "IDN"])],
        ),
        (
            "Chile signed a contract worth 40 million U.S. dollars with Vietnam on Friday.",
            [("contract", "contract", "signed", "2023-02-03", ["CHL", "VNM"])],
        ),
        (
            "A 2-billion-dollar package was eventually agreed between Greece and the IMF.",
            [("2-billion-dollar package", "agreement", "reached", None, ["GRC", "IMF"])],
        ),
        (
            "Both countries are negotiating a free trade agreement, Chile and Peru said.",
            [("free trade agreement", "agreement", "discussed", None, ["CHL", "PER"])],
        ),
    ],
)
def test_agreement_shapes(text: str, expected: list[tuple[str, str, str, str | None, list[str]]]) -> None:
    assert _agreements(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A deal between Britain and Norway could not be finalised on Friday.",
        "Peru would face sanctions if it struck an accord with Bolivia, Chile said.",
        "Ministers from Chile and Peru reached agreements in several fields.",
    ],
)
def test_no_agreement(text: str) -> None:
    assert extract(text, SAT).agreements == ()


def test_repeated_agreement_is_one_record() -> None:
    text = (
        "Iran and Venezuela signed a comprehensive cooperation document on Friday. "
        "The comprehensive cooperation document was signed by both countries in Caracas."
    )
    assert len(extract(text, SAT).agreements) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Japan and India signed a memorandum of understanding on clean energy on Friday.",
            [
                (
                    "memorandum of understanding on clean energy",
                    "memorandum",
                    "signed",
                    "2023-02-03",
                    ["IND", "JPN"],
                )
            ],
        ),
        (
            "The free trade agreement between Chile and Peru entered into force on Friday.",
            [("free trade agreement", "agreement", "implemented", "2023-02-03", ["CHL", "PER"])],
        ),
        (
            "The Chilean parliament ratified the free trade agreement with Peru on Friday.",
            [("free trade agreement", "agreement", "implemented", "2023-02-03", ["CHL", "PER"])],
        ),
        (
            "Vietnam and Laos signed five cooperation agreements on Friday in Hanoi.",
            [("cooperation agreements", "agreement", "signed", "2023-02-03", ["LAO", "VNM"])],
        ),
    ],
)
def test_common_agreement_shapes(
    text: str, expected: list[tuple[str, str, str, str | None, list[str]]]
) -> None:
    assert _agreements(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The United States will deal with Iran firmly, Secretary of State John Hale said.",
        "The next round of talks under the convention will be held in Bonn, Germany, the UN said.",
        "Iran and Iraq urged the implementation of bilateral agreements.",
        "Signing free trade agreements with the UAE and Oman would help, US Energy Secretary Sam Bell said.",
        "Canada refused to ratify the treaty with Denmark.",
    ],
)
def test_agreement_false_alarms(text: str) -> None:
    assert _agreements(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Spain showed interest in signing a deal with Bangladesh on double taxation.",
        "Ahead of the signing of the accord, Peru and Chile held talks.",
    ],
)
def test_signing_yet_to_come_is_planned(text: str) -> None:
    assert [a[2] for a in _agreements(text)] == ["planned"]
