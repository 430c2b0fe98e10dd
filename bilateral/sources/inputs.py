"""Turn command-line paths (files, folders, globs, `-`) into a stream of articles and problems."""

from __future__ import annotations

import glob
import io
import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from bilateral.sources.article import Article
from bilateral.sources.encoding import clean_text, decode
from bilateral.sources.feeds import read_feed
from bilateral.sources.html import parse_html
from bilateral.sources.jsonl import format_size, read_jsonl
from bilateral.sources.problems import Problem, SourceError, date_warning
from bilateral.sources.text import parse_text

InputFormat = Literal["auto", "text", "jsonl", "html", "feed"]
Format = Literal["text", "jsonl", "html", "feed"]
INPUT_FORMATS: tuple[InputFormat, ...] = ("auto", "text", "jsonl", "html", "feed")
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
STDIN = "-"
SOURCE_MAX = 200

EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
_GLOB_CHARS = frozenset("*?[")
_SNIFF_SIZE = 4096


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: where it is, how to name it in messages, its ref and its format (None: sniff)."""

    path: Path
    where: str
    ref: str
    format: Format | None


class MissingInput(Exception):
    """A command-line path that names nothing: a usage error."""


def check_paths(paths: Iterable[str]) -> None:
    """Raise MissingInput for the first path that is neither a file, a folder, `-` nor a matching glob."""
    for raw in paths:
        if raw == STDIN or os.path.exists(raw):
            continue
        if _GLOB_CHARS & set(raw) and any(True for _ in glob.iglob(raw, recursive=True)):
            continue
        raise MissingInput(f"{raw}: no such file, folder or matching glob — check the path")


def find_files(raw: str, input_format: InputFormat = "auto") -> Iterator[InputFile]:
    """Yield the files a command-line path names: sorted, folders walked recursively, hidden ones skipped."""
    forced: Format | None = None if input_format == "auto" else input_format
    path = Path(raw)
    if path.is_dir():
        yield from _walk(path, raw, forced)
    elif path.exists():
        yield InputFile(path, raw, path.name, forced or EXTENSIONS.get(path.suffix.lower()))
    elif _GLOB_CHARS & set(raw):
        base = _glob_base(raw)
        for match in sorted(glob.iglob(raw, recursive=True)):
            found = Path(match)
            ref = os.path.relpath(match, base) if base else match
            if found.is_dir():
                yield from _walk(found, match, forced, prefix=ref)
            else:
                yield InputFile(
                    found, match, Path(ref).as_posix(), forced or EXTENSIONS.get(found.suffix.lower())
                )


def _glob_base(pattern: str) -> str:
    parts = Path(pattern).parts
    fixed = list(itertools.takewhile(lambda part: not _GLOB_CHARS & set(part), parts[:-1]))
    return str(Path(*fixed)) if fixed else ""


def _walk(root: Path, where: str, forced: Format | None, prefix: str = "") -> Iterator[InputFile]:
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            found = Path(folder, name)
            fmt = forced or EXTENSIONS.get(found.suffix.lower())
            if fmt is None:
                continue
            rel = found.relative_to(root).as_posix()
            ref = f"{prefix}/{rel}" if prefix and prefix != "." else rel
            yield InputFile(found, os.path.normpath(os.path.join(where, rel)), ref, fmt)


def sniff(head: bytes) -> Format:
    """Guess a format from the first bytes of an input."""
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"")[:512].lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith((b"<rss", b"<feed", b"<rdf")) or (
        start.startswith(b"<?xml") and b"<html" not in start
    ):
        return "feed"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<!--")):
        return "html"
    return "text"


def read_paths(
    paths: Iterable[str],
    input_format: InputFormat = "auto",
    max_size: int = DEFAULT_MAX_SIZE,
    stdin: IO[bytes] | None = None,
) -> Iterator[Article | Problem]:
    """Yield every article (and every problem) the paths hold, one file at a time, in a fixed order.

    Control characters other than white space are removed from every text and header field (and lone
    surrogates replaced), so that what is stored is the same on every database.
    """
    for raw in paths:
        if raw == STDIN:
            if stdin is None:
                raise ValueError("stdin was named but no stream was given")
            yield from _cleaned(read_stream(stdin, "<stdin>", "<stdin>", input_format, max_size))
            continue
        for found in find_files(raw, input_format):
            yield from _cleaned(read_file(found, max_size))


def _cleaned(items: Iterable[Article | Problem]) -> Iterator[Article | Problem]:
    """Remove stray control characters from every article field; cut an over-long source name."""
    for item in items:
        if isinstance(item, Problem):
            yield item
            continue
        fields = (item.text, item.title, item.url, item.source, item.ref)
        clean = tuple(None if value is None else clean_text(value) for value in fields)
        text, title, url, source, ref = clean
        if not text or not text.strip():
            yield Problem(item.ref or "<input>", "no text but control characters", "give the article text")
            continue
        if source is not None and len(source) > SOURCE_MAX:
            yield Problem(
                item.ref or "<input>",
                f"source name longer than {SOURCE_MAX} characters, cut",
                "give the outlet's name as source",
                warning=True,
            )
            source = source[:SOURCE_MAX]
        if (text, title, url, source, ref) == fields:
            yield item
        else:
            yield Article(text, item.date, title or None, url or None, source or None, ref or None)


def read_file(found: InputFile, max_size: int = DEFAULT_MAX_SIZE) -> Iterator[Article | Problem]:
    """Yield the articles and problems of one file, refusing a file above `max_size` without reading it."""
    try:
        size = found.path.stat().st_size
        fmt = found.format
        with found.path.open("rb") as stream:
            if fmt is None:
                fmt = sniff(stream.peek(_SNIFF_SIZE)[:_SNIFF_SIZE])
            if fmt == "jsonl":
                yield from read_jsonl(stream, found.where, found.ref, max_size)
                return
            if size > max_size:
                yield _too_big(found.where, max_size)
                return
            data = stream.read()
    except OSError as exc:
        yield Problem(found.where, f"cannot read ({exc.strerror or exc})", "check the file's permissions")
        return
    yield from read_document(data, fmt, found.where, found.ref)


def read_stream(
    stream: IO[bytes],
    where: str,
    ref: str,
    input_format: InputFormat = "auto",
    max_size: int = DEFAULT_MAX_SIZE,
) -> Iterator[Article | Problem]:
    """Yield the articles and problems of a byte stream such as stdin."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var]
    fmt: Format = sniff(buffered.peek(_SNIFF_SIZE)[:_SNIFF_SIZE]) if input_format == "auto" else input_format
    if fmt == "jsonl":
        yield from read_jsonl(buffered, where, ref, max_size)
        return
    data = buffered.read(max_size + 1)
    if len(data) > max_size:
        yield _too_big(where, max_size)
        return
    yield from read_document(data, fmt, where, ref)


def _too_big(where: str, max_size: int) -> Problem:
    return Problem(
        where, f"larger than the {format_size(max_size)} limit", "raise --max-size or split the file"
    )


def read_document(data: bytes, fmt: Format, where: str, ref: str) -> Iterator[Article | Problem]:
    """Yield the articles and problems of one whole text, HTML or feed document."""
    if fmt == "feed":
        if not data.strip():
            yield Problem(where, "empty file", "give a file with an article in it")
            return
        yield from read_feed(data, where, ref)
        return
    try:
        content, guessed = decode(data)
    except SourceError as exc:
        yield exc.at(where)
        return
    if guessed:
        yield Problem(where, f"not UTF-8; read as {guessed} (detected)", "re-save the file as UTF-8", True)
    try:
        if fmt == "html":
            article = parse_html(content, ref)
        else:
            document = parse_text(content)
            article = Article(
                document.text, document.date, document.title, document.url, document.source, ref
            )
    except SourceError as exc:
        yield exc.at(where)
        return
    warning = date_warning(article.date, where)
    if warning:
        yield warning
    yield article
