"""Read JSON Lines articles (`text` required; `date`, `title`, `url`, `source`, `id`), one line at a time."""

from __future__ import annotations

import codecs
import dataclasses
import io
import json
from collections.abc import Iterator
from typing import IO, Any

from bilateral.sources.article import Article
from bilateral.sources.encoding import bom_encoding
from bilateral.sources.problems import Problem, SourceError, date_warning, parse_iso_date

_SKIP_CHUNK = 1 << 20
_STRING_KEYS = ("title", "url", "source")


def iter_lines(stream: IO[bytes], max_size: int) -> Iterator[tuple[int, str | SourceError]]:
    """Yield (line number, text or error) for each non-blank line, holding at most `max_size` bytes."""
    head = _peek(stream, 4)
    named = bom_encoding(head)
    if named and named != "utf-8-sig":
        wide = io.TextIOWrapper(stream, encoding=named)
        try:
            yield from _iter_wide_lines(wide, max_size)
        finally:
            wide.detach()
        return
    number = 0
    while True:
        raw = stream.readline(max_size + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_size and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(_SKIP_CHUNK)
            yield number, _too_long(max_size)
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if not raw.strip():
            continue
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield (
                number,
                SourceError(f"invalid UTF-8 at byte {exc.start} of the line", "re-save the file as UTF-8"),
            )


def _iter_wide_lines(stream: IO[str], max_size: int) -> Iterator[tuple[int, str | SourceError]]:
    number = 0
    while True:
        try:
            line = stream.readline(max_size + 1)
        except UnicodeDecodeError as exc:
            yield number + 1, SourceError(f"invalid {exc.encoding.upper()}", "re-save the file as UTF-8")
            return
        if not line:
            return
        number += 1
        if len(line) > max_size and not line.endswith("\n"):
            while line and not line.endswith("\n"):
                line = stream.readline(_SKIP_CHUNK)
            yield number, _too_long(max_size)
            continue
        if line.strip():
            yield number, line.lstrip("\ufeff")


def _too_long(max_size: int) -> SourceError:
    return SourceError(
        f"line longer than the {format_size(max_size)} limit", "raise --max-size or split the line"
    )


def _peek(stream: IO[bytes], size: int) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(size)[:size])
    return b""


def format_size(size: int) -> str:
    """Return a size in bytes as people say it (20 MB, 512 kB, 100 bytes)."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


def parse_line(line: str) -> tuple[Article, bool]:
    """Return the article of one JSONL line and whether it carried a `date`; raise SourceError."""
    try:
        obj: Any = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"not valid JSON ({exc.msg} at column {exc.colno})", "fix or remove the line"
        ) from None
    if not isinstance(obj, dict):
        raise SourceError("not a JSON object", "write one object per line")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SourceError('no "text"', 'give each line the article under "text"')
    values: dict[str, str | None] = {}
    for key in _STRING_KEYS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise SourceError(f'"{key}" is not a string', f'write "{key}" as a string or null')
        values[key] = value.strip() if value and value.strip() else None
    raw_date = obj.get("date")
    if raw_date is not None and not isinstance(raw_date, str):
        raise SourceError('"date" is not a string', 'write "date" as "YYYY-MM-DD"')
    date = parse_iso_date(raw_date, "date") if raw_date and raw_date.strip() else None
    raw_id = obj.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        raise SourceError('"id" is not a string or a number', 'write "id" as a string')
    ref = str(raw_id).strip() if raw_id is not None and str(raw_id).strip() else None
    article = Article(
        text=text.replace("\r\n", "\n").strip(),
        date=date,
        title=values["title"],
        url=values["url"],
        source=values["source"],
        ref=ref,
    )
    return article, date is not None


def read_jsonl(stream: IO[bytes], where: str, ref: str, max_size: int) -> Iterator[Article | Problem]:
    """Yield one article (or problem) per line; a line's ref is its `id`, else `ref:line`."""
    head = _peek(stream, 4096)
    if b"\x00" in head and bom_encoding(head) in (None, "utf-8-sig"):
        yield Problem(where, "binary file (NUL bytes)", "give a file with one JSON article per line")
        return
    seen_any = False
    for number, line in iter_lines(stream, max_size):
        seen_any = True
        at = f"{where}:{number}"
        if isinstance(line, SourceError):
            yield line.at(at)
            continue
        try:
            article, _ = parse_line(line)
        except SourceError as exc:
            yield exc.at(at)
            continue
        if article.ref is None:
            article = dataclasses.replace(article, ref=f"{ref}:{number}")
        warning = date_warning(article.date, at)
        if warning:
            yield warning
        yield article
    if not seen_any:
        yield Problem(where, "empty file", "give a file with one JSON article per line")
