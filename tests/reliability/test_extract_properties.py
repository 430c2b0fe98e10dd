"""Properties of the extractor over generated text: never raises, offsets point into the text, deterministic.

Texts are built from a vocabulary of diplomatic words, country names, demonyms, titles, names and
punctuation, mixed with arbitrary Unicode (right-to-left scripts, combining marks, control and format
characters, surrogate-free astral characters); article dates, titles and the known-officials lookup vary too.
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilateral.extract import extract
from bilateral.extract.known import KnownOfficials
from bilateral.extract.records import Extraction, KnownOfficial

VOCABULARY = (
    "met held talks with visited arrived in spoke by phone telephoned signed agreement memorandum of "
    "understanding treaty accord deal on trade energy will visit next week on Monday Tuesday Friday last "
    "month in March 2023 the two countries sides leaders counterpart his her their bilateral relations "
    "delegation led by said according to agency the ministry state-run talks were held summit sidelines"
).split()
COUNTRIES = (
    "Iran Venezuela Brazil Argentina Japan Britain United Kingdom United States U.S. China Russia India "
    "Germany France Kenya Turkey Saudi Arabia Israel Palestine Soviet Union Yugoslavia Kosovo Côte d'Ivoire"
).split()
DEMONYMS = (
    "Iranian Venezuelan Brazilian Japanese British American Chinese Russian Indian German Kenyan".split()
)
TITLES = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Minister of Foreign Affairs",
    "Chancellor",
    "King",
    "Secretary of State",
    "Vice President",
    "Ambassador",
    "Special Envoy",
    "UN Secretary-General",
    "Defense Minister",
]
NAMES = [
    "Hossein Amir-Abdollahian",
    "Nicolas Maduro",
    "Maduro",
    "Yvan Gil Pinto",
    "Gil",
    "Luiz Inacio Lula da Silva",
    "Lula",
    "Olaf Scholz",
    "Fumio Kishida",
    "Narendra Modi",
    "Recep Tayyip Erdoğan",
    "Delcy Rodríguez",
    "Faisal bin Farhan Al Saud",
    "Wang Yi",
    "António Guterres",
    "George W. Bush",
    "George Bush",
]
PUNCTUATION = [".", ",", ";", ":", "(", ")", "'s", '"', "“", "”", "—", "-", "\n", "\n\n", "...", "?", "!"]
STRANGE = [
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200b",  # zero width space
    "\ufeff",
    "\u0301",  # combining acute accent
    "\x07",
    "\x1b[0m",
    "\r",
    "\t",
    "الرئيس الإيراني",
    "שר החוץ",
    "𝐏𝐫𝐞𝐬𝐢𝐝𝐞𝐧𝐭",
    "ＩＲＡＮ",
    "İ",
    "ß",
]

token = st.one_of(
    st.sampled_from(VOCABULARY),
    st.sampled_from(COUNTRIES),
    st.sampled_from(DEMONYMS),
    st.sampled_from(TITLES),
    st.sampled_from(NAMES),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(STRANGE),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=6),
)
separator = st.sampled_from([" ", " ", " ", "", "\n", "  ", "\u00a0"])
soup = st.lists(st.tuples(token, separator), max_size=30).map(lambda parts: "".join(t + s for t, s in parts))
VERBS = [
    "met",
    "held talks with",
    "spoke by phone with",
    "will meet",
    "hosted",
    "received",
    "visited",
    "signed an agreement with",
    "and",
]
person = st.tuples(
    st.sampled_from(["", *DEMONYMS]), st.sampled_from(["", *TITLES]), st.sampled_from(NAMES)
).map(lambda p: " ".join(part for part in p if part))
place = st.sampled_from(["", " in Tehran", " in Caracas", " in Geneva", " in Beijing", " on the sidelines"])
when = st.sampled_from(["", " on Friday", " on 3 February", " last month", " in March 2023", " next week"])
sentence = st.tuples(
    person, st.sampled_from(VERBS), st.one_of(person, st.sampled_from(COUNTRIES)), place, when
).map(lambda p: f"{p[0]} {p[1]} {p[2]}{p[3]}{p[4]}.")
deal = st.tuples(st.sampled_from(COUNTRIES), st.sampled_from(COUNTRIES), st.sampled_from(VOCABULARY)).map(
    lambda p: f"{p[0]} and {p[1]} signed a memorandum of understanding on {p[2]}."
)
texts = st.lists(st.tuples(st.one_of(sentence, sentence, deal, soup), soup, separator), max_size=6).map(
    lambda parts: "".join(f"{a} {b}{c}" for a, b, c in parts)
)
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1945, 1, 1), max_value=dt.date(2035, 12, 31)))
known_officials = st.lists(
    st.builds(
        KnownOfficial,
        name=st.sampled_from(NAMES),
        country=st.sampled_from([None, "IRN", "VEN", "BRA", "DEU", "JPN", "IND", "TUR", "USA"]),
        title=st.one_of(st.none(), st.sampled_from(TITLES)),
        org=st.sampled_from([None, None, "UN"]),
        last_seen=st.one_of(
            st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1))
        ),
        aliases=st.lists(st.sampled_from(NAMES), max_size=2).map(tuple),
    ),
    max_size=6,
)
ISO_DATE = {
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "year": re.compile(r"\d{4}"),
}
PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check_records(text: str, x: Extraction) -> None:
    """Check every offset, reference and value range in one extraction."""
    keys = {o.key for o in x.officials}
    assert len(keys) == len(x.officials), "official keys repeat"
    for o in x.officials:
        assert o.name.strip()
        assert o.country is None or re.fullmatch(r"[A-Z]{3}", o.country), o.country
        assert 0 <= o.confidence <= 1
        for span in o.mentions:
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start : span.end] == span.text
    for record in (*x.meetings, *x.agreements):
        ev = record.evidence
        assert 0 <= ev.start < ev.end <= len(text)
        assert text[ev.start : ev.end] == ev.text
        assert 0 <= record.confidence <= 1
        if record.date is None:
            assert record.date_precision == "unknown"
        else:
            assert ISO_DATE[record.date_precision].fullmatch(record.date), (
                record.date,
                record.date_precision,
            )
            dt.date.fromisoformat(record.date + "-01-01"[len(record.date) - 4 :])
    for m in x.meetings:
        assert m.participants
        for p in m.participants:
            assert p.official is None or p.official in keys
            assert p.official is not None or p.country is not None or p.org is not None
    for a in x.agreements:
        assert a.parties
        for party in a.parties:
            assert party.country is not None or party.org is not None
            assert party.signatory is None or party.signatory in keys


@PROPERTY_SETTINGS
@given(text=texts, date=dates, title=st.one_of(st.none(), texts))
def test_extraction_never_raises_and_offsets_point_into_the_text(
    text: str, date: dt.date | None, title: str | None
) -> None:
    x = extract(text, date, title)
    _check_records(text, x)


@PROPERTY_SETTINGS
@given(text=texts, date=dates, known=known_officials)
def test_the_same_input_gives_the_same_output(
    text: str, date: dt.date | None, known: list[KnownOfficial]
) -> None:
    first = extract(text, date, None, KnownOfficials(known))
    _check_records(text, first)
    second = extract(text, date, None, KnownOfficials(known))
    assert first == second
    assert extract(text, date) == extract(text, date)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=400), dates)
def test_arbitrary_unicode_never_raises(text: str, date: dt.date | None) -> None:
    _check_records(text, extract(text, date))
