"""`bilateral db`: create, upgrade, inspect and check the archive's schema."""

from __future__ import annotations

import sys

import click

from bilateral.cli.common import Output, archive_engine, db_option, db_url, output_options
from bilateral.store.engine import ArchiveError, current_revision, head_revision, make_engine


@click.group()
@db_option
def db() -> None:
    """Create, upgrade and inspect the archive database."""


@db.command()
@db_option
def upgrade() -> None:
    """Create the archive or upgrade it to this version's schema (also done on first use)."""
    engine = archive_engine()
    click.echo(f"{engine.url.render_as_string()}: schema at revision {current_revision(engine)} (head)")


@db.command()
@db_option
def current() -> None:
    """Print the archive's schema revision (without upgrading it) and this version's head."""
    try:
        engine = make_engine(db_url())
        try:
            revision = current_revision(engine)
        finally:
            engine.dispose()
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any driver error is one line for the user
        raise click.ClickException(f"cannot read {db_url()}: {str(exc).splitlines()[0]}") from None
    head = head_revision()
    state = "up to date" if revision == head else ("empty" if revision is None else f"head is {head}")
    click.echo(f"{revision or '-'} ({state})")


@db.command()
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Rows listed per check."
)
@output_options
@db_option
def check(limit: int, output: Output) -> None:
    """Check the archive's integrity without changing it (exit 1 when problems are found).

    Lists one row per finding: SQLite's integrity and foreign-key checks, rows whose foreign keys name
    nothing, meetings without participants or sources, agreements without parties or sources, evidence
    offsets outside the article, aggregate tables that differ from a recount. Officials without a position
    are listed as notes and do not fail the check.
    """
    from bilateral.store.check import COLUMNS, check_archive, problems

    url = db_url()
    try:
        engine = make_engine(url)
        try:
            if current_revision(engine) is None:
                raise click.ClickException(f"{url} holds no archive: run `bilateral db upgrade` or pass --db")
            findings = check_archive(engine, limit=limit)
        finally:
            engine.dispose()
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001 - any driver error is one line for the user
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(f"cannot check {url}: {detail} — restore it from a backup") from None
    output.write(COLUMNS, [f.cells() for f in findings])
    found = problems(findings)
    notes = len(findings) - found
    click.echo(f"db check: {found} problem{'s' * (found != 1)}, {notes} note{'s' * (notes != 1)}", err=True)
    if found:
        sys.exit(1)
