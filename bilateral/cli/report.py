"""`bilateral report` (stub until the reports issue lands)."""

from __future__ import annotations

import click

from bilateral.cli.common import Output, db_option, not_implemented, output_options


@click.command()
@click.argument("name")
@click.argument("args", nargs=-1)
@click.option("--since", metavar="DATE", help="Only events on or after this date.")
@click.option("--until", metavar="DATE", help="Only events on or before this date.")
@click.option("--kind", type=click.Choice(["meeting", "call", "visit"]), help="Only this kind of event.")
@click.option("--status", type=click.Choice(["occurred", "planned"]), help="Only events with this status.")
@output_options
@db_option
def report(
    name: str,
    args: tuple[str, ...],
    since: str | None,
    until: str | None,
    kind: str | None,
    status: str | None,
    output: Output,
) -> None:
    """Print a named report: summary, dyads, dyad A B, partners C, timeline C, officials, agreements, ..."""
    not_implemented("report")
