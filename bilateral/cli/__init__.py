"""The `bilateral` command line: a click group; each subject's commands live in their own module.

Every command module exposes its click commands under the names registered below; a command parses its
options, calls one library function and hands rows to `bilateral.cli.common.Output`.
"""

from __future__ import annotations

import click

from bilateral import __version__
from bilateral.cli import db, evaluate, export, ingest, report, sql
from bilateral.cli.common import db_option


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bilateral")
@db_option
def main() -> None:
    """Build and query a relational archive of bilateral relations between countries, filled from news.

    Officials with their posts, meetings, phone calls, visits and agreements, one row per real event,
    each with the sentences that prove it. The archive is created or upgraded on first use.
    """


main.add_command(ingest.ingest)
main.add_command(ingest.reextract)
main.add_command(report.report)
main.add_command(sql.sql)
main.add_command(export.export)
main.add_command(evaluate.evaluate)
main.add_command(db.db)
