"""Pure extraction: from an article's text to officials, meetings, calls, visits and agreements.

Nothing here touches a database or the network. `extract()` is the entry point; the record
types are in `bilateral.extract.records`. The pipeline: sentences → countries → titles →
officials → coreference → events (meetings, calls, visits) → agreements → records.
"""

from __future__ import annotations

import datetime as dt

from bilateral.extract.records import Extraction, OfficialLookup

EXTRACTOR_VERSION = "0.1.0"


def extract(
    text: str,
    date: dt.date | None,
    title: str | None = None,
    known: OfficialLookup | None = None,
) -> Extraction:
    """Extract officials, meetings and agreements from one article."""
    from bilateral.extract.pipeline import run

    return run(text, date, title, known, EXTRACTOR_VERSION)
