"""Readers: text, JSONL, HTML and RSS/Atom files, folders, globs and stdin, turned into `Article`s."""

from bilateral.sources.article import Article, content_hash, normalise_text
from bilateral.sources.inputs import (
    DEFAULT_MAX_SIZE,
    INPUT_FORMATS,
    InputFormat,
    MissingInput,
    check_paths,
    read_paths,
)
from bilateral.sources.problems import Problem

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
