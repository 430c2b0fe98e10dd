"""`bilateral ingest` and `bilateral reextract` (stubs until the ingest issue lands)."""

from __future__ import annotations

import click

from bilateral.cli.common import db_option, not_implemented


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Extraction processes."
)
@click.option(
    "--input-format",
    type=click.Choice(["text", "jsonl", "html", "feed"]),
    default=None,
    help="Read every input as this format instead of guessing from the file name.",
)
@db_option
def ingest(paths: tuple[str, ...], jobs: int, input_format: str | None) -> None:
    """Read articles (files, folders, - for stdin), extract events and store them in the archive."""
    not_implemented("ingest")


@click.command()
@db_option
def reextract() -> None:
    """Run the current extractor again over the stored articles, keeping the ids of records found again."""
    not_implemented("reextract")
