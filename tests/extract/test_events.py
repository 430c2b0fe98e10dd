"""Meetings, calls and visits from short sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from bilateral.extract import extract
from bilateral.extract.records import Evidence, MeetingRecord, Participant

SAT = dt.date(2023, 2, 4)  # a Saturday


def _events(text: str, date: dt.date = SAT) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    return [(m.kind, m.status, m.date, m.countries) for m in extract(text, date).meetings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chilean President Ana Soto met Argentine President Luis Ferro on Thursday.",
            [("meeting", "occurred", "2023-02-02", ("ARG", "CHL"))],
        ),
        (
            "Chilean Foreign Minister Ana Soto and Argentine President Luis Ferro held talks on Friday.",
            [("meeting", "occurred", "2023-02-03", ("ARG", "CHL"))],
        ),
        (
            "Kenyan President Samuel Otieno held talks with his Tanzanian counterpart, Musa Juma, on Friday.",
            [("meeting", "occurred", "2023-02-03", ("KEN", "TZA"))],
        ),
        (
            "Danish Prime Minister Lars Holm telephoned Swedish Prime Minister Eva Berg on Friday.",
            [("call", "occurred", "2023-02-03", ("DNK", "SWE"))],
        ),
        (
            "In a phone call with Polish President Jan Wolski on Friday, Czech President Petr Novak said so.",
            [("call", "occurred", "2023-02-03", ("CZE", "POL"))],
        ),
        (
            "Peruvian Foreign Minister Rosa Diaz will meet Bolivian Foreign Minister Juan Mesa on Monday.",
            [("meeting", "planned", "2023-02-06", ("BOL", "PER"))],
        ),
        (
            "Greek Premier Nikos Papas is expected to hold talks with Cypriot President Andreas Kyprianou.",
            [("meeting", "planned", None, ("CYP", "GRC"))],
        ),
    ],
)
def test_meeting_and_call_shapes(
    text: str, expected: list[tuple[str, str, str | None, tuple[str, ...]]]
) -> None:
    assert _events(text) == expected


def test_two_leaders_met_pairs_the_people_just_named() -> None:
    text = (
        "Israeli Prime Minister David Levy and Jordanian Prime Minister Omar Nasser spoke on the crisis. "
        "The two leaders met in Amman late on Friday."
    )
    assert _events(text) == [("meeting", "occurred", "2023-02-03", ("ISR", "JOR"))]


def test_with_whom_relative_clause() -> None:
    text = (
        "Iraq's Karim Hassan, with whom the Jordanian foreign minister Sami Adel met on Friday, stayed home."
    )
    assert [m.countries for m in extract(text, SAT).meetings] == [("IRQ", "JOR")]


def test_visit_has_every_field() -> None:
    text = "Vietnamese Prime Minister Tran Van Minh arrived in Canberra on Friday for a three-day visit."
    x = extract(text, SAT)
    (tran,) = x.officials
    visits = [m for m in x.meetings if m.kind == "visit"]
    assert visits == [
        MeetingRecord(
            kind="visit",
            status="occurred",
            date="2023-02-03",
            date_precision="day",
            place="Canberra",
            place_country="AUS",
            participants=(Participant(tran.key, "Tran Van Minh", "VNM", None, "Prime Minister", "visitor"),),
            evidence=Evidence(text, 0, len(text)),
            confidence=visits[0].confidence,
        )
    ]


def test_visit_to_a_country_by_someone() -> None:
    x = extract("It follows a visit to Kenya by the Ugandan Premier Ruth Nabirye last year.", SAT)
    assert [(m.kind, m.status, m.date, m.place_country, m.countries) for m in x.meetings] == [
        ("visit", "occurred", "2022", "KEN", ("UGA",))
    ]


def test_a_tour_gives_one_visit_per_host() -> None:
    text = "Polish Foreign Minister Adam Nowak's trip, which included stops in Laos and Cambodia, ends today."
    hosts = sorted(m.place_country or "" for m in extract(text, SAT).meetings if m.kind == "visit")
    assert hosts == ["KHM", "LAO"]


def test_coordinated_planned_triggers_stay_planned() -> None:
    text = (
        "French Foreign Minister Anne Roux was due to meet students in Beirut on Monday "
        "and hold talks with Lebanese President Michel Haddad."
    )
    assert [(m.kind, m.status) for m in extract(text, SAT).meetings] == [("meeting", "planned")]


# Negatives: each of these must give no occurred interstate meeting.
@pytest.mark.parametrize(
    "text",
    [
        "Brazilian President Joao Lima chaired a cabinet meeting with Finance Minister Carla Reis on Friday.",
        "The two sides will not meet, Egyptian Foreign Minister Omar Said told reporters.",
        "Australian Trade Minister Tom Hill met executives of Rio Tinto on Friday.",
        "Canadian Prime Minister Paul Grant sent a letter to Mexican President Rosa Diaz on Friday.",
        "Saudi King Salman Aziz opened the annual summit of Gulf leaders on Friday.",
        "The national team received a donation from Icelandic fans on Friday.",
        "Presidential candidate Marie Dubois met Israeli Foreign Minister Dan Cohen on Friday.",
        "Sri Lankan army chief Ravi Perera met rebel leader Velu Kumar on Friday.",
        "Japan and Germany met in the World Cup quarter-finals on Friday.",
        "North Korea said it would not hold talks with South Korea.",
        "A summit between Chilean President Ana Soto and Peruvian President Luis Vega was put off.",
        "Colombian President Ivan Ruiz attended the 16th Ibero-American Summit, which opened in Uruguay.",
        "Preliminary talks with Uzbekistan, Chile and Morocco have already finished.",
    ],
)
def test_no_occurred_interstate_meeting(text: str) -> None:
    assert [m for m in extract(text, SAT).meetings if m.status == "occurred" and len(m.countries) > 1] == []


def test_dateline_city_is_not_the_place_unless_here() -> None:
    there = "OSLO, Feb 4 (AFP)\n\nNorwegian Premier Erik Dahl met Finnish President Aino Virta in Helsinki."
    (m,) = extract(there, SAT).meetings
    assert (m.place, m.place_country) == ("Helsinki", "FIN")
    here = "OSLO, Feb 4 (AFP)\n\nNorwegian Premier Erik Dahl met Finnish President Aino Virta here on Friday."
    (m,) = extract(here, SAT).meetings
    assert (m.place, m.place_country, m.date) == ("Oslo", "NOR", "2023-02-03")


def test_last_years_meeting_is_history() -> None:
    x = extract("Turkish President Ali Demir met Greek Prime Minister Nikos Papas last year in Athens.", SAT)
    assert [(m.status, m.date, m.date_precision, m.place_country) for m in x.meetings] == [
        ("occurred", "2022", "year", "GRC")
    ]


def test_report_day_is_not_the_meeting_day() -> None:
    text = "Japanese Premier Ken Sato met Indian Prime Minister Raj Mehta in Delhi, officials said Friday."
    assert [m.date for m in extract(text, SAT).meetings] == [None]


def test_the_same_meeting_told_twice_is_one_record() -> None:
    text = (
        "Kenyan President Samuel Otieno met Ghanaian President Kofi Mensah in Accra on Friday. "
        "During the meeting, Otieno and Mensah discussed trade."
    )
    assert len(extract(text, SAT).meetings) == 1


def test_meeting_with_an_organisation_official() -> None:
    text = "UN Secretary-General Maria Lopez met Iraqi Foreign Minister Ali Kamal in Baghdad on Friday."
    (m,) = extract(text, SAT).meetings
    assert [(p.name, p.country, p.org) for p in m.participants] == [
        ("Maria Lopez", None, "UN"),
        ("Ali Kamal", "IRQ", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Israeli Premier Dan Levi spoke with U.S. President Joe Biden by telephone on Thursday.",
            [("call", "occurred", "2023-02-02", ("ISR", "USA"))],
        ),
        (
            "Officials from Sudan and South Sudan met in Khartoum on Tuesday.",
            [("meeting", "occurred", "2023-01-31", ("SDN", "SSD"))],
        ),
        (
            "A Chinese team led by Vice Premier Liu He held talks with U.S. Treasury Secretary Ann Lee.",
            [("meeting", "occurred", None, ("CHN", "USA"))],
        ),
        ("Former U.S. President Tom Hart met Haitian President Rene Paul in Port-au-Prince on Friday.", []),
        ("Spanish Foreign Minister Jose Ruiz cancelled his visit to Morocco.", []),
    ],
)
def test_more_shapes(text: str, expected: list[tuple[str, str, str | None, tuple[str, ...]]]) -> None:
    assert _events(text) == expected


def test_seat_of_government_is_a_place() -> None:
    text = (
        "French President Paul Marin received Ukrainian President Ivan Koval "
        "at the Elysee Palace on Saturday."
    )
    (m,) = extract(text, SAT).meetings
    assert (m.place, m.place_country, m.date) == ("Elysee Palace", "FRA", "2023-02-04")


def test_visitor_is_not_from_the_country_visited() -> None:
    text = "Pakistan and China signed deals in Beijing during Prime Minister Imran Sadiq's visit to China."
    x = extract(text, SAT)
    assert [(o.name, o.country) for o in x.officials] == [("Imran Sadiq", "PAK")]
    assert [(m.kind, m.place_country, m.countries) for m in x.meetings] == [("visit", "CHN", ("PAK",))]


def test_talks_on_arrival_take_the_arrival_day() -> None:
    text = (
        "Iraqi President Adil Karim arrived in Tehran on Monday. "
        "The Iraqi president held talks with his Iranian counterpart Reza Naseri soon after arrival."
    )
    meetings = [m for m in extract(text, SAT).meetings if m.kind == "meeting"]
    assert [(m.date, m.place_country, m.countries) for m in meetings] == [
        ("2023-01-30", "IRN", ("IRN", "IRQ"))
    ]


def test_talks_here_in_a_wire_story_are_on_the_article_day() -> None:
    text = (
        "LIMA, Feb 4 (AFP)\n\n"
        "Peruvian Foreign Minister Rosa Quispe told reporters after talks here with her Chilean "
        "counterpart Pablo Soto that ties were strong."
    )
    (m,) = extract(text, SAT).meetings
    assert (m.date, m.place_country) == ("2023-02-04", "PER")


def test_departed_for_is_a_visit_and_regnal_numbers_stay_in_names() -> None:
    x = extract("King Hamad II of Bahrain departed Manama for Paris on Tuesday for a private visit.", SAT)
    assert [(o.name, o.country, o.title) for o in x.officials] == [("Hamad II", "BHR", "King")]
    assert [(m.kind, m.date, m.place, m.place_country) for m in x.meetings] == [
        ("visit", "2023-01-31", "Paris", "FRA")
    ]


def test_visiting_leader_and_state_visit_are_one_visit() -> None:
    text = (
        "BEIJING, Feb 3 (Xinhua) -- Chinese President Li Wei met with visiting Kenyan President John Otieno "
        "here on Friday. Otieno is on a state visit to China from Feb. 1 to 5."
    )
    visits = [(m.date, m.place_country) for m in extract(text, SAT).meetings if m.kind == "visit"]
    assert visits == [("2023-02-01", "CHN")]


def _full(
    text: str,
) -> list[tuple[str, str, str | None, str | None, list[tuple[str | None, str | None, str]]]]:
    return [
        (m.kind, m.status, m.date, m.place_country, [(p.name, p.country, p.role) for p in m.participants])
        for m in extract(text, SAT).meetings
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "French President Marc Dubois hosted Kenyan President Samuel Otieno at the Elysee on Friday.",
            [
                (
                    "meeting",
                    "occurred",
                    "2023-02-03",
                    "FRA",
                    [("Marc Dubois", "FRA", "host"), ("Samuel Otieno", "KEN", "guest")],
                )
            ],
        ),
        (
            "Mexican President Rosa Diaz and Canadian Prime Minister Paul Grant held a video call on Friday.",
            [
                (
                    "call",
                    "occurred",
                    "2023-02-03",
                    None,
                    [("Rosa Diaz", "MEX", "caller"), ("Paul Grant", "CAN", "participant")],
                )
            ],
        ),
        (
            "Ghanaian President Kofi Mensah paid a state visit to Nigeria on Friday.",
            [("visit", "occurred", "2023-02-03", "NGA", [("Kofi Mensah", "GHA", "visitor")])],
        ),
        (
            "The new German ambassador, Hans Weber, presented his credentials to Kenyan President "
            "Samuel Otieno on Friday.",
            [
                (
                    "meeting",
                    "occurred",
                    "2023-02-03",
                    None,
                    [("Hans Weber", "DEU", "participant"), ("Samuel Otieno", "KEN", "participant")],
                )
            ],
        ),
        (
            "Indian Prime Minister Raj Mehta will travel to Japan next week.",
            [("visit", "planned", "2023-02", "JPN", [("Raj Mehta", "IND", "visitor")])],
        ),
        (
            "Egyptian Foreign Minister Omar Said is expected to travel to Washington on Monday for talks "
            "with US Secretary of State John Hale.",
            [
                ("visit", "planned", "2023-02-06", "USA", [("Omar Said", "EGY", "visitor")]),
                (
                    "meeting",
                    "planned",
                    "2023-02-06",
                    "USA",
                    [("Omar Said", "EGY", "guest"), ("John Hale", "USA", "host")],
                ),
            ],
        ),
        (
            "The Egyptian president returned to Cairo on Friday after visits to Russia and China.",
            [],  # no named visitor: nothing to record, and above all no planned visit
        ),
    ],
)
def test_common_shapes(
    text: str,
    expected: list[tuple[str, str, str | None, str | None, list[tuple[str | None, str | None, str]]]],
) -> None:
    assert _full(text) == expected


def test_two_leaders_spoke_by_phone_after_an_earlier_meeting() -> None:
    text = (
        "Turkish President Ali Demir met Greek Prime Minister Nikos Papas in Athens last month. "
        "On Friday the two leaders spoke by phone."
    )
    assert _events(text) == [
        ("meeting", "occurred", "2023-01", ("GRC", "TUR")),
        ("call", "occurred", "2023-02-03", ("GRC", "TUR")),
    ]


def test_a_return_home_after_visits_is_not_planned() -> None:
    text = "Egyptian President Hosni Farid returned to Cairo on Friday after visits to Russia and China."
    assert {(m.kind, m.status) for m in extract(text, SAT).meetings} == {("visit", "occurred")}


@pytest.mark.parametrize(
    "text",
    [
        "Finland will meet its climate obligations, Finnish Prime Minister Matti Virtanen said.",
        "Both countries met the deadline, said Japanese Trade Minister Ken Sato and his Korean counterpart.",
        "Defence Minister Ron Levi told a meeting of his commanders that Palestinian leader Sami Haddad had "
        "lost control.",
        "Egyptian Foreign Minister Omar Said told AFP by telephone from Cairo that Egypt rejected the plan.",
        "Oman's team made the short trip to Qatar for the Asian Games.",
        "US boxing champion Joe Carter arrived in Berlin on Friday to receive a prize.",
        "Experts and officials from Germany, Singapore and 15 other economies attend the meeting.",
        "Botswana, Lesotho, Namibia and Zambia are in talks on a regional water plan.",
        "Kenya announced plans for a regional meeting with Somalia.",
        "The AU meeting with the UN was held earlier.",
        "The Macedonian government met in extraordinary session on Friday with EU envoys.",
        "Poland, Hungary and Estonia joined NATO. It lets the three countries sign the summit papers.",
        "The cartel will cut output at a new meeting, Libya's oil minister and his Qatari counterpart said.",
    ],
)
def test_common_false_alarms(text: str) -> None:
    assert extract(text, SAT).meetings == ()


def test_two_countries_that_conferred_met() -> None:
    text = "On Tuesday, Chile and Argentina conferred in Santiago on the border dispute."
    assert [(m.kind, m.status, m.date, m.countries, m.place) for m in extract(text, SAT).meetings] == [
        ("meeting", "occurred", "2023-01-31", ("ARG", "CHL"), "Santiago")
    ]


def test_a_courtesy_call_is_a_meeting_not_a_phone_call() -> None:
    text = "Thai Foreign Minister Somchai Wong paid a courtesy call on Indonesian President Budi Sulu Friday."
    assert _events(text) == [("meeting", "occurred", "2023-02-03", ("IDN", "THA"))]
