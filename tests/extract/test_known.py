"""The in-memory lookup of known officials."""

from __future__ import annotations

import datetime as dt

from bilateral.extract.known import KnownOfficials
from bilateral.extract.records import KnownOfficial


def test_full_name_and_surname() -> None:
    k = KnownOfficials([KnownOfficial("Nicolás Maduro", "VEN", "President", None, dt.date(2020, 1, 1))])
    assert [o.country for o in k.candidates("Nicolas Maduro", dt.date(2030, 1, 1))] == ["VEN"]
    assert [o.country for o in k.candidates("Maduro", dt.date(2023, 1, 1))] == ["VEN"]
    assert k.candidates("Maduro", dt.date(2030, 1, 1)) == ()  # surname only within five years
    assert k.candidates("Pedro", dt.date(2023, 1, 1)) == ()


def test_given_names_do_not_merge() -> None:
    k = KnownOfficials([KnownOfficial("George Bush", "USA", "President", None, dt.date(1990, 1, 1))])
    assert k.candidates("Laura Bush", dt.date(1990, 1, 1)) == ()
    k.add(KnownOfficial("George Bush", "USA", "Former President", None, dt.date(1995, 1, 1)))
    assert len(k) == 1
