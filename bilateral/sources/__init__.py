"""Readers: text, JSONL, HTML and RSS/Atom files, folders, globs and stdin, turned into `Article`s.

The readers (and the HTML and feed libraries behind them) load on first use, so that a process that needs
only the `Article` type, such as an extraction worker, stays small.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bilateral.sources.article import Article, content_hash, normalise_text
from bilateral.sources.problems import Problem

if TYPE_CHECKING:
    from bilateral.sources.inputs import (
        DEFAULT_MAX_SIZE,
        INPUT_FORMATS,
        InputFormat,
        MissingInput,
        check_paths,
        read_paths,
    )

_LAZY = frozenset(
    {"DEFAULT_MAX_SIZE", "INPUT_FORMATS", "InputFormat", "MissingInput", "check_paths", "read_paths"}
)

__all__ = [
    "DEFAULT_MAX_SIZE",
    "INPUT_FORMATS",
    "Article",
    "InputFormat",
    "MissingInput",
    "Problem",
    "check_paths",
    "content_hash",
    "normalise_text",
    "read_paths",
]


def __getattr__(name: str) -> Any:
    """Load the readers when one of their names is first asked for."""
    if name in _LAZY:
        return getattr(importlib.import_module("bilateral.sources.inputs"), name)
    raise AttributeError(f"module 'bilateral.sources' has no attribute {name!r}")
