"""The docs cover the CLI: every command has help text and appears in the README."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bilateral.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    """Yield every command path under the group ("db upgrade") with its command (lazy ones imported)."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"`{prefix}{name}` is listed but cannot be loaded"
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{path} ")


COMMANDS = list(_commands(main))


def test_every_design_command_is_registered() -> None:
    paths = {path for path, _ in COMMANDS}
    expected = {
        "ingest",
        "reextract",
        "report",
        "sql",
        "export",
        "evaluate",
        "db",
        "db upgrade",
        "db current",
    }
    assert expected <= paths


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_command_has_help_text(path: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"`bilateral {path}` has no help text"
    result = CliRunner().invoke(main, [*path.split(), "--help"])
    assert result.exit_code == 0
    assert command.help.split("\n")[0].strip() in " ".join(result.output.split())


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS])
def test_command_appears_in_readme(path: str) -> None:
    assert f"bilateral {path}" in README.read_text(encoding="utf-8")
