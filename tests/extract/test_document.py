"""Sentences and tokens keep offsets into the original text."""

from __future__ import annotations

from bilateral.extract.document import make_document


def test_sentences_keep_abbreviations_and_initials() -> None:
    text = "U.S. President George W. Bush met Mr. Kim on Nov. 16 in Washington. He left."
    doc = make_document(text, None)
    assert [s.text for s in doc.sentences] == [
        "U.S. President George W. Bush met Mr. Kim on Nov. 16 in Washington.",
        "He left.",
    ]
    for s in doc.sentences:
        assert text[s.start : s.end] == s.text
        for t in s.tokens:
            assert text[t.start : t.end] == t.text


def test_possessive_is_its_own_token() -> None:
    doc = make_document("Gil Pinto’s visit", None)
    assert [t.text for t in doc.sentences[0].tokens] == ["Gil", "Pinto", "’s", "visit"]
