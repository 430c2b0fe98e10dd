"""`bilateral sql QUERY`: run one read-only statement (or a shipped query) on the archive."""

from __future__ import annotations

import click

from bilateral.cli.common import Output, archive_engine, db_option, output_options
from bilateral.reports.filters import ReportError
from bilateral.reports.sql import (
    DEFAULT_TIMEOUT,
    ReadOnlyViolation,
    query_text,
    run_readonly,
    shipped_queries,
)


class ArgumentProblem(click.ClickException):
    """A query that cannot be read or bound: one line, exit 2."""

    exit_code = 2


@click.command()
@click.argument("query", required=False)
@click.option(
    "--file", "query_file", type=click.Path(exists=True, dir_okay=False), help="Read the query from a file."
)
@click.option(
    "-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE", help="Bind :NAME to VALUE."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Stop the query after this many seconds.",
)
@click.option(
    "--sql-db",
    "sql_db",
    envvar="BILATERAL_SQL_URL",
    metavar="URL",
    help="PostgreSQL: log in with this URL (a read-only, non-superuser role) instead of the archive's role.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the shipped queries.")
@output_options
@db_option
def sql(
    query: str | None,
    query_file: str | None,
    params: tuple[tuple[str, str], ...],
    timeout: float,
    sql_db: str | None,
    list_queries: bool,
    output: Output,
) -> None:
    """Run a read-only SQL query (or a shipped query by name) on the archive; writes are refused.

    Write `:name` in the query and bind it with `-p name value`. Only one statement runs; any attempt to
    change the archive is refused below the SQL text (SQLite authorizer, PostgreSQL read-only role).
    """
    if list_queries:
        shipped = shipped_queries().values()
        output.write(
            ("name", "params", "description"), [(q.name, list(q.params), q.description) for q in shipped]
        )
        return
    try:
        sql_text = query_text(query, query_file)
    except ReportError as exc:
        raise ArgumentProblem(str(exc)) from None
    engine = archive_engine()
    try:
        result = run_readonly(engine, sql_text, dict(params), timeout=timeout, reader_url=sql_db)
        output.write(result.columns, result.rows)
    except ReadOnlyViolation as exc:
        raise click.ClickException(str(exc)) from None
    except ReportError as exc:
        if str(exc).startswith("SQL error"):
            raise click.ClickException(str(exc)) from None
        raise ArgumentProblem(str(exc)) from None
