"""`bilateral sql` (stub until the read-only SQL issue lands)."""

from __future__ import annotations

import click

from bilateral.cli.common import Output, db_option, not_implemented, output_options


@click.command()
@click.argument("query", required=False)
@click.option(
    "--file", "query_file", type=click.Path(exists=True, dir_okay=False), help="Read the query from a file."
)
@click.option(
    "-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE", help="Bind a parameter."
)
@click.option("--list", "list_queries", is_flag=True, help="List the shipped queries.")
@output_options
@db_option
def sql(
    query: str | None,
    query_file: str | None,
    params: tuple[tuple[str, str], ...],
    list_queries: bool,
    output: Output,
) -> None:
    """Run a read-only SQL query (or a shipped query by name) on the archive; writes are refused."""
    not_implemented("sql")
