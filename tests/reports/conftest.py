"""A small archive built through the models (no extractor), shared by the report and export tests."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bilateral.reports.synthetic import SampleArchive, sample_archive


@pytest.fixture
def small_archive(session: Session) -> SampleArchive:
    """Return a small archive on each backend."""
    return sample_archive(session)
