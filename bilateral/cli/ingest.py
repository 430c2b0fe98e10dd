"""`bilateral ingest` and `bilateral reextract`: read articles, extract their events and store them."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy.exc import DBAPIError
from tqdm import tqdm  # type: ignore[import-untyped]

from bilateral.cli.common import archive_engine, db_option
from bilateral.sources import DEFAULT_MAX_SIZE, INPUT_FORMATS, MissingInput, check_paths, read_paths

if TYPE_CHECKING:
    from bilateral.store.ingest import IngestSummary

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", re.IGNORECASE)


class ByteSize(click.ParamType[int, Any]):
    """A size in bytes written as `20MB`, `512k`, `1.5G` or a plain number."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        match = _SIZE.fullmatch(str(value))
        unit = match.group(2).lower() if match else ""
        if not match or unit not in _UNITS or float(match.group(1)) <= 0:
            self.fail(f"{value!r} is not a size: write e.g. 20MB, 512k or 1000000", param, ctx)
        return int(float(match.group(1)) * _UNITS[unit])


class TerminalReporter:
    """Problems to stderr one line each; a tqdm progress bar on a terminal unless quiet."""

    def __init__(self, quiet: bool, unit: str = "article") -> None:
        self.quiet = quiet
        show = not quiet and sys.stderr.isatty()
        self.bar: Any = tqdm(unit=f" {unit}s", file=sys.stderr, dynamic_ncols=True) if show else None

    def problem(self, message: str, warning: bool) -> None:
        """Print an error (always) or a warning (unless quiet) on its own line."""
        if warning and self.quiet:
            return
        line = f"{'warning' if warning else 'error'}: {message}"
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def advance(self, summary: IngestSummary) -> None:
        """Move the bar one article on, showing failures."""
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(failed=summary.failed, refresh=False)

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.close()


@contextmanager
def _reporter(quiet: bool) -> Iterator[TerminalReporter]:
    reporter = TerminalReporter(quiet)
    try:
        yield reporter
    finally:
        reporter.close()


@contextmanager
def _database_errors() -> Iterator[None]:
    """Turn a failure that stops the run into one line (what was committed before it stays)."""
    try:
        yield
    except BrokenProcessPool:
        raise click.ClickException(
            "an extraction worker died (out of memory?) — run again with fewer --jobs (stored work is kept)"
        ) from None
    except DBAPIError as exc:
        detail = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc).strip() else "unknown"
        raise click.ClickException(
            f"database error: {detail} — check the database and run again (stored articles are kept)"
        ) from None


def _finish(summary: IngestSummary) -> None:
    click.echo(summary.line())
    if summary.failed:
        sys.exit(1)


_jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Extraction processes (one writer stores what they extract).",
)
_quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar and no warnings.")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@_jobs_option
@click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    default="auto",
    show_default=True,
    help="Read every input as this format instead of guessing from the file name.",
)
@click.option(
    "--max-size",
    type=ByteSize(),
    default=DEFAULT_MAX_SIZE,
    show_default="20MB",
    help="Refuse a file (or a JSONL line) larger than this, without reading it.",
)
@_quiet_option
@db_option
def ingest(paths: tuple[str, ...], jobs: int, input_format: Any, max_size: int, quiet: bool) -> None:
    """Read articles (files, folders, globs, - for stdin), extract their events and store them.

    Text files (.txt), JSON Lines (.jsonl, .ndjson), HTML pages (.html, .htm) and RSS/Atom feeds (.xml,
    .rss, .atom) are read; folders are walked recursively. An article already in the archive is skipped
    ("unchanged"). Exit 0 when every article was stored, 1 when some failed, 2 on usage errors.
    """
    if paths.count("-") > 1:
        raise click.UsageError("stdin (-) can be read only once")
    try:
        check_paths(paths)
    except MissingInput as exc:
        raise click.BadParameter(str(exc), param_hint="PATHS") from None
    from bilateral.store.ingest import ingest as ingest_articles  # the extractor loads only when needed

    engine = archive_engine()
    stdin = sys.stdin.buffer if "-" in paths else None
    items = read_paths(paths, input_format=input_format, max_size=max_size, stdin=stdin)
    with _database_errors(), _reporter(quiet) as reporter:
        summary = ingest_articles(engine, items, jobs=jobs, reporter=reporter)
    _finish(summary)


@click.command()
@click.option(
    "--all", "everything", is_flag=True, help="Extract every stored article again, not only old ones."
)
@_jobs_option
@_quiet_option
@db_option
def reextract(everything: bool, jobs: int, quiet: bool) -> None:
    """Run the current extractor again over stored articles from an older one (or --all).

    Each article's records are replaced in one transaction and merged again; records found again keep their
    ids. Exit 0 when every article was extracted again, 1 when some failed.
    """
    from bilateral.store.ingest import reextract as reextract_articles  # the extractor loads only when needed

    engine = archive_engine()
    with _database_errors(), _reporter(quiet) as reporter:
        summary = reextract_articles(engine, everything=everything, jobs=jobs, reporter=reporter)
    click.echo(
        f"articles: {summary.new} extracted again, {summary.unchanged} already current, "
        f"{summary.failed} failed; records: {summary.records_added} added, {summary.records_merged} merged"
    )
    if summary.failed:
        sys.exit(1)
