"""`bilateral export TABLE`: stream a table of the archive as spreadsheet-safe CSV or nested JSONL."""

from __future__ import annotations

import click

from bilateral.cli.common import archive_engine, db_option
from bilateral.reports.export import TABLES, write_export
from bilateral.reports.filters import ReportError, make_filters


class ArgumentProblem(click.ClickException):
    """A filter that does not apply or cannot be read: one line, exit 2."""

    exit_code = 2


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
    help="CSV (UTF-8, lists joined by ';') or JSONL (lists nested: participants, parties, sources).",
)
@click.option("--since", metavar="DATE", help="Only records on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Only records on or before this date (YYYY[-MM[-DD]]).")
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="COUNTRY",
    help="Only records of this country (ISO3, ISO2 or name); repeat to require several.",
)
@click.option(
    "--complete", is_flag=True, help="dyad-year: every pair of the chosen countries × every year, with zeros."
)
@db_option
def export(
    table: str,
    output_path: str,
    export_format: str,
    since: str | None,
    until: str | None,
    countries: tuple[str, ...],
    complete: bool,
) -> None:
    """Export a table of the archive (meetings, participants, agreements, dyad-year, ...) as CSV or JSONL.

    Columns follow the documented contract; meetings carry the CAMEO / PLOVER crosswalk. Rows stream, so
    any size exports in constant memory.
    """
    engine = archive_engine()
    with engine.connect() as conn:
        try:
            filters = make_filters(since=since, until=until, countries=countries, conn=conn)
            with click.open_file(output_path, "w", encoding="utf-8", lazy=True) as out:
                count = write_export(conn, table, filters, out, format=export_format, complete=complete)
        except ReportError as exc:
            raise ArgumentProblem(str(exc)) from None
    if output_path != "-":
        click.echo(f"exported {count} {table} rows to {output_path}", err=True)
