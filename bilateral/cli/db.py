"""`bilateral db`: create, upgrade, inspect and check the archive's schema."""

from __future__ import annotations

import click

from bilateral.cli.common import archive_engine, db_option, db_url, not_implemented
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
@db_option
def check() -> None:
    """Check the archive's integrity (exit 1 when problems are found)."""
    not_implemented("db check")
