"""The `bilateral` command line: a click group; each subject's commands live in their own module.

Every command module exposes its click commands under the names registered below; a command parses its
options, calls one library function and hands rows to `bilateral.cli.common.Output`. The group imports a
command's module only when that command runs, so `bilateral --version` and `--help` start fast.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click

from bilateral import __version__
from bilateral.cli.common import db_option


class LazyCommand(NamedTuple):
    """Where a subcommand lives ("module:attribute") and the short help `bilateral --help` lists for it."""

    target: str
    short_help: str
    # True: the first sentence of the command's help, shortened to fit as click does; False: the command's
    # own `short_help`, shown whole.
    shorten: bool = True


COMMANDS: dict[str, LazyCommand] = {
    "db": LazyCommand("bilateral.cli.db:db", "Create, upgrade and inspect the archive database."),
    "evaluate": LazyCommand(
        "bilateral.cli.evaluate:evaluate",
        "Score extraction against gold files: precision, recall and F1 per level.",
    ),
    "export": LazyCommand(
        "bilateral.cli.export:export",
        "Export a table of the archive (meetings, participants, agreements, dyad-year, ...) as CSV or JSONL.",
    ),
    "ingest": LazyCommand(
        "bilateral.cli.ingest:ingest",
        "Read articles (files, folders, globs, - for stdin), extract their events and store them.",
    ),
    "reextract": LazyCommand(
        "bilateral.cli.ingest:reextract",
        "Run the current extractor again over stored articles from an older one (or --all).",
    ),
    "report": LazyCommand(
        "bilateral.cli.report:report",
        "Print a named report: summary, dyads, dyad A B, partners C, officials, network, ...",
        shorten=False,
    ),
    "sql": LazyCommand(
        "bilateral.cli.sql:sql",
        "Run a read-only SQL query (or a shipped query by name) on the archive; writes are refused.",
    ),
}


class LazyGroup(click.Group):
    """A click group that imports each subcommand named in `COMMANDS` on first use (as click documents)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return every command name, loaded or not."""
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return the named command, importing its module the first time."""
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in COMMANDS:
            return command
        module_name, _, attribute = COMMANDS[cmd_name].target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{COMMANDS[cmd_name].target} is not a click command")
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with their short help without importing the ones not loaded yet."""
        commands: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or _help_stand_in(name)
            if not command.hidden:
                commands.append((name, command))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in commands])


def _help_stand_in(name: str) -> click.Command:
    """Return a command that only carries the listed short help of a command not imported yet."""
    entry = COMMANDS[name]
    if entry.shorten:
        return click.Command(name, help=entry.short_help)
    return click.Command(name, short_help=entry.short_help)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bilateral")
@db_option
def main() -> None:
    """Build and query a relational archive of bilateral relations between countries, filled from news.

    Officials with their posts, meetings, phone calls, visits and agreements, one row per real event,
    each with the sentences that prove it. The archive is created or upgraded on first use.
    """
