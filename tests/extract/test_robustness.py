"""Extraction never fails and every offset points into the text, whatever the input."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bilateral.extract import extract

WORDS = [
    "Iranian",
    "Foreign",
    "Minister",
    "Ali",
    "Reza",
    "met",
    "with",
    "his",
    "Venezuelan",
    "counterpart",
    ",",
    "President",
    "Maduro",
    "in",
    "Caracas",
    "on",
    "Friday",
    ".",
    "signed",
    "an",
    "agreement",
    "will",
    "visit",
    "Japan",
    "telephoned",
    "the",
    "two",
    "countries",
    "U.S.",
    "Nov.",
    "16",
    "'s",
    "\n\n",
    "said",
    "here",
    "He",
    "talks",
    "between",
    "and",
    "former",
    "delegation",
    "led",
    "by",
    "(",
    ")",
    "“",
    "”",
    "İstanbul",
    "Ünal",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60), st.sampled_from([None, dt.date(2023, 2, 4)]))
def test_any_text_extracts_with_valid_offsets(words: list[str], date: dt.date | None) -> None:
    text = " ".join(words)
    x = extract(text, date)
    for o in x.officials:
        for s in o.mentions:
            assert text[s.start : s.end] == s.text
    for m in x.meetings:
        assert text[m.evidence.start : m.evidence.end] == m.evidence.text
        assert 0 <= m.confidence <= 1
    for a in x.agreements:
        assert text[a.evidence.start : a.evidence.end] == a.evidence.text
        assert 0 <= a.confidence <= 1


def test_empty_and_whitespace() -> None:
    for text in ("", " ", "\n\n", "."):
        x = extract(text, None)
        assert (x.officials, x.meetings, x.agreements) == ((), (), ())
