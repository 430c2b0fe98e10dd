"""Title lexicon and normalisation."""

from __future__ import annotations

import pytest

from bilateral.extract.document import make_document
from bilateral.extract.titles import canonical_title, find_titles


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("Minister of Foreign Affairs", "Foreign Minister"),
        ("oil minister", "Oil Minister"),
        ("Deputy Defence Minister", "Deputy Defense Minister"),
        ("vice-president", "Vice President"),
        ("Premier", "Prime Minister"),
        ("Minister of Trade and Industry", "Minister of Trade and Industry"),
        ("crown prince", "Crown Prince"),
        ("Secretary of State", "Secretary of State"),
    ],
)
def test_canonical_title(surface: str, canonical: str) -> None:
    got = canonical_title(surface)
    assert got is not None and got[0] == canonical


def test_country_word_is_not_part_of_the_title() -> None:
    doc = find_titles(make_document("Egyptian Minister of Trade and Industry Ali Said spoke.", None))
    assert [(t.text, t.canonical) for t in doc.titles] == [
        ("Minister of Trade and Industry", "Minister of Trade and Industry")
    ]


def test_former_is_marked() -> None:
    doc = find_titles(make_document("The former president spoke.", None))
    assert [(t.canonical, t.former) for t in doc.titles] == [("President", True)]
