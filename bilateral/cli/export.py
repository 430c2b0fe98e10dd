"""`bilateral export` (stub until the export issue lands)."""

from __future__ import annotations

import click

from bilateral.cli.common import db_option, not_implemented

TABLES = (
    "meetings",
    "participants",
    "agreements",
    "agreement-parties",
    "officials",
    "positions",
    "countries",
    "articles",
    "dyad-year",
)


@click.command()
@click.argument("table", type=click.Choice(TABLES))
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="File to write (default: stdout).",
)
@click.option(
    "--format",
    "export_format",
    type=click.Choice(["csv", "jsonl"]),
    default="csv",
    show_default=True,
    help="Output format.",
)
@db_option
def export(table: str, output_path: str, export_format: str) -> None:
    """Export a table of the archive (meetings, participants, agreements, dyad-year, ...) as CSV or JSONL."""
    not_implemented("export")
