"""`bilateral report NAME [ARGS]`: print a named report (summary, dyads, dyad A B, partners C, ...)."""

from __future__ import annotations

import click

from bilateral.cli.common import Output, archive_engine, db_option, output_options
from bilateral.reports.filters import KINDS, STATUSES, ReportError, make_filters
from bilateral.reports.named import REPORTS, run_report

OFFICIAL_EDGES = 10_000
"""Default number of edges `network --level official` prints (a busy country has over 100,000)."""


class ArgumentProblem(click.ClickException):
    """A wrong report name, argument or filter: one line, exit 2."""

    exit_code = 2


def _report_help() -> str:
    """Return the report list for the command's help text."""
    return "\n\n".join(f"\b\n  {name:<11} {text}" for name, (_, text) in REPORTS.items())


@click.command(
    help="Print a named report. Countries are ISO3, ISO2 or names (IRN, IR, Iran).\n\n" + _report_help(),
    short_help="Print a named report: summary, dyads, dyad A B, partners C, officials, network, ...",
)
@click.argument("name", metavar="NAME")
@click.argument("args", nargs=-1)
@click.option("--since", metavar="DATE", help="Only events on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Only events on or before this date (YYYY[-MM[-DD]]).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind (repeatable).")
@click.option(
    "--status", "statuses", multiple=True, type=click.Choice(STATUSES), help="Only this status (repeatable)."
)
@click.option("--country", "countries", multiple=True, metavar="COUNTRY", help="Only events of this country.")
@click.option(
    "--level",
    type=click.Choice(["country", "official"]),
    default="country",
    show_default=True,
    help="network: edges between countries or between officials.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    help=f"Print at most this many rows (0: all). network --level official prints the "
    f"{OFFICIAL_EDGES:,} heaviest edges unless told otherwise.",
)
@output_options
@db_option
def report(
    name: str,
    args: tuple[str, ...],
    since: str | None,
    until: str | None,
    kinds: tuple[str, ...],
    statuses: tuple[str, ...],
    countries: tuple[str, ...],
    level: str,
    limit: int | None,
    output: Output,
) -> None:
    """Print a named report."""
    engine = archive_engine()
    with engine.connect() as conn:
        try:
            filters = make_filters(
                since=since, until=until, kinds=kinds, statuses=statuses, countries=countries, conn=conn
            )
            capped = name == "network" and level == "official" and limit is None
            wanted = OFFICIAL_EDGES + 1 if capped else (limit or None)
            table = run_report(conn, name, args, filters, level=level, limit=wanted)
            rows = table.rows
            if capped:
                rows = list(rows)
                if len(rows) > OFFICIAL_EDGES:
                    rows = rows[:OFFICIAL_EDGES]
                    click.echo(
                        f"network: printed the {OFFICIAL_EDGES:,} heaviest edges; use --limit N, or --limit 0"
                        " for all, or narrow with --country/--since/--until",
                        err=True,
                    )
            output.write(table.columns, rows)
        except ReportError as exc:
            raise ArgumentProblem(str(exc)) from None
