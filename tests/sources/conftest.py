"""Fixtures for the reader tests: read everything some paths yield, problems as their one-line messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bilateral.sources import Article, Problem, read_paths

ReadAll = Callable[..., tuple[list[Article], list[str], list[str]]]


@pytest.fixture
def read_all() -> ReadAll:
    """Return a function giving (articles, errors, warnings) for some paths and reader options."""

    def read(*paths: Path | str, **options: object) -> tuple[list[Article], list[str], list[str]]:
        articles: list[Article] = []
        errors: list[str] = []
        warnings: list[str] = []
        for item in read_paths([str(p) for p in paths], **options):  # type: ignore[arg-type]
            if isinstance(item, Problem):
                (warnings if item.warning else errors).append(str(item))
            else:
                articles.append(item)
        return articles, errors, warnings

    return read
