"""Date compatibility, place choice and order-independent grouping, without a database."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from bilateral.store.merging import (
    assign_ids,
    best_place,
    clean_date,
    date_bounds,
    dates_compatible,
    finer_date,
    greedy_groups,
    most_common,
)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2023-02-03", "2023-02-03", True),
        ("2023-02-03", "2023-02-04", False),
        ("2023-02", "2023-02-03", True),
        ("2023", "2023-02-03", True),
        ("2023-03", "2023-02-03", False),
        ("2022", "2023-02", False),
        (None, "2023-02-03", True),
        ("2023-1", "2023-12", False),
    ],
)
def test_dates_compatible(a: str | None, b: str | None, expected: bool) -> None:
    assert dates_compatible(a, b) is expected
    assert dates_compatible(b, a) is expected


def test_finer_date_and_bounds() -> None:
    assert finer_date("2023-02", "2023-02-03") == "2023-02-03"
    assert finer_date(None, "2023") == "2023"
    assert date_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_bounds("2023-12") == (dt.date(2023, 12, 1), dt.date(2023, 12, 31))
    assert date_bounds("2023") == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert date_bounds(None) is None


def test_clean_date_cuts_to_precision_and_refuses_impossible_dates() -> None:
    assert clean_date("2023-02-03", "month") == "2023-02"
    assert clean_date("2023-02-30", "day") is None
    assert clean_date("2023", "day") is None
    assert clean_date("2023-02-03", "unknown") is None


def test_most_common_breaks_ties_by_value_not_arrival() -> None:
    assert most_common(["b", "a", None, "b"]) == "b"
    assert most_common(["b", "a"]) == most_common(["a", "b"]) == "a"
    assert most_common([None]) is None


def test_best_place_prefers_a_named_place_with_a_country() -> None:
    places = [(None, "VEN"), ("Caracas", None), ("Caracas", "VEN")]
    for order in itertools.permutations(places):
        assert best_place(order) == ("Caracas", "VEN")
    assert best_place([(None, None)]) == (None, None)


def test_assign_ids_gives_each_id_to_its_strongest_group_once() -> None:
    assert assign_ids([{1: 1, 2: 3}, {2: 1}, {}]) == [2, None, None]
    assert assign_ids([{1: 2}, {1: 2}]) == [1, None]


def test_greedy_groups_is_a_function_of_the_set() -> None:
    dates = ["2023-02", "2023-02-03", "2023-02-05", "2023", "2023-02-03", "2024"]

    def run(items: list[str]) -> list[list[str]]:
        groups = greedy_groups(
            items,
            sort_key=lambda d: (-len(d), d),
            start=lambda d: [d],
            fits=lambda g, d: dates_compatible(g[0], d),
            preference=lambda g, d: (g[0] != d, g[0]),
            join=lambda g, d: None,
        )
        return sorted(sorted(members) for _, members in groups)

    results = {str(run(list(p))) for p in itertools.permutations(dates)}
    assert len(results) == 1
    assert run(dates) == [["2023", "2023-02", "2023-02-03", "2023-02-03"], ["2023-02-05"], ["2024"]]
