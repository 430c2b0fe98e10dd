"""Tests for finding time expressions and resolving them against the article date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilateral.extract.dates import ResolvedDate, TimeExpression, find_time_expressions, resolve

SATURDAY = dt.date(2023, 2, 4)  # a Saturday
WEDNESDAY = dt.date(2005, 11, 16)


def texts(sentence: str) -> list[str]:
    """Return the text of every expression found in a sentence."""
    return [e.text for e in find_time_expressions(sentence)]


def only(sentence: str) -> TimeExpression:
    """Return the one expression a sentence holds."""
    found = find_time_expressions(sentence)
    assert len(found) == 1, found
    return found[0]


def past(sentence: str, article_date: dt.date | None = SATURDAY) -> ResolvedDate:
    """Resolve the one expression of a sentence in the past tense."""
    return resolve(only(sentence), article_date, future=False)


def future(sentence: str, article_date: dt.date | None = SATURDAY) -> ResolvedDate:
    """Resolve the one expression of a sentence in the future tense."""
    return resolve(only(sentence), article_date, future=True)


# ---------------------------------------------------------------- finding


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The ministers met on Friday in the capital.", ["Friday"]),
        ("Early on Saturday the envoy arrived.", ["Early on Saturday"]),
        ("The talks ended late on Thursday.", ["late on Thursday"]),
        ("Earlier on Friday, the minister met his counterpart.", ["Earlier on Friday"]),
        ("The president arrived late Saturday.", ["late Saturday"]),
        ("They spoke on Monday afternoon and again on Tuesday night.", ["Monday afternoon", "Tuesday night"]),
        ("He will travel on Nov. 16 to the summit.", ["Nov. 16"]),
        ("They met on November 16 and on 16 November.", ["November 16", "16 November"]),
        ("The deal was signed on Nov 16, 2005 in the capital.", ["Nov 16, 2005"]),
        ("The deal was signed on 16th of November 2005.", ["16th of November 2005"]),
        ("The vote is due on Wednesday, Nov. 16, 2005.", ["Wednesday, Nov. 16, 2005"]),
        ("Talks resumed on Feb. 23 and on Sept. 3.", ["Feb. 23", "Sept. 3"]),
        ("The summit runs Nov. 16-17 in the city.", ["Nov. 16-17"]),
        ("They met last week and will meet next week.", ["last week", "next week"]),
        (
            "The plan was agreed last month, not this month or next month.",
            ["last month", "this month", "next month"],
        ),
        ("The pact was signed in June last year.", ["June last year"]),
        ("The minister visited in June.", ["June"]),
        ("A visit is planned in mid-July.", ["mid-July"]),
        ("Elections are expected early next year.", ["early next year"]),
        ("They met last year and will meet next year.", ["last year", "next year"]),
        ("Relations were cut in 1995 and restored in 2004.", ["1995", "2004"]),
        ("Trade grew earlier this year.", ["earlier this year"]),
        ("The accord was signed on the 12th, officials said.", ["the 12th"]),
        ("The record shows 2023-02-03 as the day of the call.", ["2023-02-03"]),
        ("The envoy left yesterday and returns tomorrow.", ["yesterday", "tomorrow"]),
        ("The leaders speak today and dine tonight.", ["today", "tonight"]),
        ("The minister arrived this morning.", ["this morning"]),
        ("The minister spoke last night.", ["last night"]),
        ("They met three days ago and a week ago.", ["three days ago", "a week ago"]),
        ("The treaty dates from mid-2005.", ["mid-2005"]),
        ("Troops will leave by the end of the year.", ["the end of the year"]),
        ("Troops will leave by the end of 2008.", ["the end of 2008"]),
        ("The visit took place in June 2005.", ["June 2005"]),
        ("The committee appointed last May met again.", ["last May"]),
        ("The two sides meet again next Friday.", ["next Friday"]),
        ("Monday's talks were cancelled.", ["Monday"]),
        ("The 1995 pact still holds.", ["1995"]),
        ("Prices doubled between 1998 and 2005.", ["1998", "2005"]),
        ("Yesterday the minister flew home.", ["Yesterday"]),
        ("Last week the envoy met the king.", ["Last week"]),
        ("In May, the two leaders met.", ["May"]),
        ("Exports grew from January to October.", ["January", "October"]),
        ("The talks ran in March and April.", ["March", "April"]),
    ],
)
def test_finds_expressions(sentence: str, expected: list[str]) -> None:
    assert texts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Theresa May said the talks went well.",
        "Prime Minister May met the president.",
        "Protesters march through the capital.",
        "The Sunday Times reported the visit.",
        "The Good Friday Agreement ended the conflict.",
        "The mission sent 2,000 troops to the border.",
        "The mission sent 2000 troops to the border.",
        "Security Council Resolution 1973 authorised the strikes.",
        "Prices rose 12 percent.",
        "The minister said the week was difficult.",
        "The report covers the month in detail.",
        "June Carter sang at the reception.",
        "Johnson and May met the press.",
        "He paid $2005 for the tickets.",
        "Flight 1549 landed safely.",
        "The 12th Five-Year Plan was adopted on the 12th day.",
    ],
)
def test_ignores_false_expressions(sentence: str) -> None:
    assert texts(sentence) == []


def test_parsed_form_of_a_weekday() -> None:
    e = only("The talks ended late on Thursday.")
    assert (e.kind, e.weekday, e.modifier, e.anchor, e.preposition) == ("weekday", 3, "late", None, None)
    assert only("They met on Friday.").preposition == "on"


def test_parsed_form_of_a_date() -> None:
    e = only("The deal was signed on Wednesday, Nov. 16, 2005.")
    assert (e.kind, e.year, e.month, e.day, e.weekday, e.preposition) == ("date", 2005, 11, 16, 2, "on")


def test_parsed_form_of_a_month_with_a_year_offset() -> None:
    e = only("The pact was signed in June last year.")
    assert (e.kind, e.month, e.year, e.offset, e.preposition) == ("month", 6, None, -1, "in")


def test_parsed_form_of_relative_units() -> None:
    assert [
        (e.kind, e.offset, e.modifier)
        for e in find_time_expressions("Earlier this year, last week and the coming month and two years ago.")
    ] == [
        ("relative_year", 0, "earlier"),
        ("relative_week", -1, None),
        ("relative_month", 1, None),
        ("relative_year", -2, None),
    ]


def test_offsets_point_into_the_full_text() -> None:
    text = "Headline.\n\nThe ministers met on Friday. They will meet again on Nov. 16."
    second = text.index("They")
    found = find_time_expressions(text, second)
    assert [(e.text, text[e.start : e.end]) for e in found] == [("Nov. 16", "Nov. 16")]
    assert texts(text) == ["Friday", "Nov. 16"]


def test_window_limits_the_search() -> None:
    text = "On Friday they met; on Saturday they left."
    found = find_time_expressions(text, 0, text.index(";"))
    assert [e.text for e in found] == ["Friday"]


def test_invalid_calendar_dates_are_skipped() -> None:
    assert texts("The form says 2023-02-30 and Feb. 30 as dates.") == []


PIECES = list("0123456789 ,.-") + [
    "May ",
    "June ",
    "Friday ",
    "last ",
    "week ",
    "2005 ",
    "Nov. ",
    "the ",
    "on ",
    "12th ",
    "early ",
    "ago ",
    "year ",
]


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.integers(0, 200), st.integers(0, 200))
def test_expressions_are_ordered_disjoint_spans_inside_the_window(text: str, a: int, b: int) -> None:
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    found = find_time_expressions(text, start, end)
    for e in found:
        assert text[e.start : e.end] == e.text and start <= e.start < e.end <= end
        assert resolve(e, SATURDAY, future=False).precision in ("day", "month", "year", "unknown")
    assert all(x.end <= y.start for x, y in zip(found, found[1:], strict=False))


# ---------------------------------------------------------------- resolving


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The meeting was held on Friday.", "2023-02-03"),
        ("The envoy arrived early on Saturday.", "2023-02-04"),
        ("The talks ended late on Thursday.", "2023-02-02"),
        ("Earlier on Friday, they met.", "2023-02-03"),
        ("They met on Sunday.", "2023-01-29"),
        ("They met last Saturday.", "2023-01-28"),
        ("They met today.", "2023-02-04"),
        ("They dined tonight.", "2023-02-04"),
        ("They met this morning.", "2023-02-04"),
        ("They met yesterday.", "2023-02-03"),
        ("They met last night.", "2023-02-03"),
        ("They met three days ago.", "2023-02-01"),
        ("Earlier in the day, they met.", "2023-02-04"),
        ("They met on Jan. 16.", "2023-01-16"),
        ("They met on Nov. 16.", "2022-11-16"),
        ("They met on 4 February.", "2023-02-04"),
        ("They met on Nov 16, 2005.", "2005-11-16"),
        ("They met on the 2nd, officials said.", "2023-02-02"),
        ("They met on the 12th, officials said.", "2023-01-12"),
        ("They met on 2023-02-03 in the city.", "2023-02-03"),
    ],
)
def test_resolves_past_days(sentence: str, expected: str) -> None:
    assert past(sentence) == ResolvedDate(expected, "day")


@pytest.mark.parametrize(
    ("sentence", "article_date", "expected"),
    [
        ("They will meet on Wednesday.", WEDNESDAY, "2005-11-16"),
        ("They will meet on Thursday.", WEDNESDAY, "2005-11-17"),
        ("They will meet on Tuesday.", WEDNESDAY, "2005-11-22"),
        ("They will meet next Wednesday.", WEDNESDAY, "2005-11-23"),
        ("They will meet tomorrow.", WEDNESDAY, "2005-11-17"),
        ("They will meet on Nov. 20.", WEDNESDAY, "2005-11-20"),
        ("They will meet on Jan. 5.", WEDNESDAY, "2006-01-05"),
        ("They will meet on the 3rd, officials said.", WEDNESDAY, "2005-12-03"),
        ("They will meet on the 20th, officials said.", WEDNESDAY, "2005-11-20"),
    ],
)
def test_resolves_future_days(sentence: str, article_date: dt.date, expected: str) -> None:
    assert future(sentence, article_date) == ResolvedDate(expected, "day")


@pytest.mark.parametrize(
    ("sentence", "tense_future", "expected"),
    [
        ("They met last week.", False, "2023-01"),
        ("They meet next week.", True, "2023-02"),
        ("They met this week.", False, "2023-02"),
        ("They met last month.", False, "2023-01"),
        ("They meet next month.", True, "2023-03"),
        ("They met this month.", False, "2023-02"),
        ("They met in June.", False, "2022-06"),
        ("They meet in June.", True, "2023-06"),
        ("They met in January.", False, "2023-01"),
        ("They meet in January.", True, "2024-01"),
        ("They met in June last year.", False, "2022-06"),
        ("They met in mid-July.", False, "2022-07"),
        ("They met in June 2005.", False, "2005-06"),
        ("They met last May.", False, "2022-05"),
        ("They met last January.", False, "2023-01"),
        ("They met last February.", False, "2022-02"),
        ("They meet next March.", True, "2023-03"),
        ("They meet next February.", True, "2024-02"),
        ("They met a month ago.", False, "2023-01"),
        ("They met in June this year.", False, "2023-06"),
        ("They met later in the month.", False, "2023-02"),
    ],
)
def test_resolves_months(sentence: str, tense_future: bool, expected: str) -> None:
    assert resolve(only(sentence), SATURDAY, future=tense_future) == ResolvedDate(expected, "month")


def test_last_week_at_the_start_of_a_month_is_the_previous_month() -> None:
    assert past("They met last week.", dt.date(2023, 3, 5)) == ResolvedDate("2023-02", "month")
    assert past("They met last week.", dt.date(2023, 3, 8)) == ResolvedDate("2023-03", "month")
    assert future("They meet next week.", dt.date(2023, 12, 28)) == ResolvedDate("2024-01", "month")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They met last year.", "2022"),
        ("They meet next year.", "2024"),
        ("They meet early next year.", "2024"),
        ("They met earlier this year.", "2023"),
        ("They met in 1995.", "1995"),
        ("The 2004 accord holds.", "2004"),
        ("They met two years ago.", "2021"),
        ("They meet by the end of the year.", "2023"),
    ],
)
def test_resolves_years(sentence: str, expected: str) -> None:
    assert past(sentence) == ResolvedDate(expected, "year")


def test_a_month_in_the_narrative_year_stays_unknown() -> None:
    e = only("In September that year, the leaders spoke by phone.")
    assert (e.text, e.kind, e.month, e.anchor) == ("September that year", "month", 9, "that")
    assert resolve(e, SATURDAY, future=False) == ResolvedDate(None, "unknown")


def test_leap_day_in_a_year_without_one_falls_back_to_the_month() -> None:
    assert past("They met on Feb. 29.", dt.date(2023, 3, 10)) == ResolvedDate("2023-02", "month")
    assert past("They met on Feb. 29.", dt.date(2024, 3, 10)) == ResolvedDate("2024-02-29", "day")


@pytest.mark.parametrize(
    "sentence",
    [
        "They met on Friday.",
        "They met yesterday.",
        "They met last week.",
        "They met in June.",
        "They met on Nov. 16.",
        "They met last year.",
        "They met on the 12th, officials said.",
    ],
)
def test_relative_expressions_are_unknown_without_an_article_date(sentence: str) -> None:
    assert past(sentence, None) == ResolvedDate(None, "unknown")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They met on Nov 16, 2005.", ResolvedDate("2005-11-16", "day")),
        ("They met in June 2005.", ResolvedDate("2005-06", "month")),
        ("They met in 1995.", ResolvedDate("1995", "year")),
    ],
)
def test_absolute_expressions_resolve_without_an_article_date(sentence: str, expected: ResolvedDate) -> None:
    assert past(sentence, None) == expected


WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@given(st.dates(dt.date(1900, 1, 8), dt.date(2099, 12, 24)), st.integers(0, 6), st.booleans())
def test_a_weekday_resolves_to_that_weekday_within_the_week_around_the_article(
    article_date: dt.date, weekday: int, tense_future: bool
) -> None:
    e = only(f"They meet on {WEEKDAY_NAMES[weekday]}.")
    resolved = resolve(e, article_date, future=tense_future)
    assert resolved.precision == "day" and resolved.value is not None
    day = dt.date.fromisoformat(resolved.value)
    assert day.weekday() == weekday
    distance = (day - article_date).days
    assert 0 <= distance <= 6 if tense_future else -6 <= distance <= 0


@given(
    st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
    st.integers(1, 12),
    st.integers(1, 28),
    st.booleans(),
)
def test_a_month_day_resolves_within_a_year_of_the_article_on_the_side_of_its_tense(
    article_date: dt.date, month: int, day: int, tense_future: bool
) -> None:
    e = only(f"They meet on {dt.date(2001, month, day):%B} {day}.")
    resolved = resolve(e, article_date, future=tense_future)
    assert resolved.value is not None
    found = dt.date.fromisoformat(resolved.value)
    assert (found.month, found.day) == (month, day)
    distance = (found - article_date).days
    assert 0 <= distance < 366 if tense_future else -366 < distance <= 0
