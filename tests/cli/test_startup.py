"""Start-up stays cheap: importing the CLI loads no heavy library; `--help` lists the lazy commands right."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from bilateral.cli import COMMANDS, LazyGroup, _help_stand_in, main

HEAVY = ("alembic", "trafilatura", "feedparser", "dateparser", "sqlalchemy")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = f"import bilateral.cli, sys; print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


def test_version_and_help_load_no_command_module() -> None:
    code = (
        "import sys\n"
        "from bilateral.cli import main\n"
        "for args in (['--version'], ['--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "loaded = (m for m in sys.modules if m.startswith('bilateral.cli.'))\n"
        "print(sorted(m for m in loaded if m != 'bilateral.cli.common'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
    assert "Commands:" in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("limit", [20, 45, 65, 200])
def test_listed_short_help_is_the_commands_own(name: str, limit: int) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    assert _help_stand_in(name).get_short_help_str(limit) == command.get_short_help_str(limit)


def test_help_lists_every_command_as_when_all_are_loaded() -> None:
    lazy = CliRunner().invoke(LazyGroup(name="bilateral"), ["--help"])
    loaded = click.Group(name="bilateral")
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert command is not None
        loaded.add_command(command, name)
    eager = CliRunner().invoke(loaded, ["--help"])
    assert lazy.exit_code == eager.exit_code == 0
    assert lazy.output == eager.output
    assert all(f"  {name} " in lazy.output for name in COMMANDS)


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["nosuchcommand"])
    assert result.exit_code == 2
    assert "No such command 'nosuchcommand'" in result.output
