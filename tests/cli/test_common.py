"""The shared CLI plumbing: --db before and after the command, and the one row writer in every format."""

from __future__ import annotations

import datetime as dt
import io

import click
import pytest
from click.testing import CliRunner

from bilateral.cli import main
from bilateral.cli.common import Output, db_option, db_url, not_implemented, output_options, write_rows

COLUMNS = ("country", "meetings", "first", "codes", "place")
ROWS = (
    ("IRN", 12, dt.date(2023, 2, 3), ("UN", "EU"), 'Tehran, "capital"'),
    ("VEN", 3, None, (), None),
)


@click.group()
@db_option
def cli() -> None:
    """Test group."""


@cli.command()
@output_options
@db_option
def rows(output: Output) -> None:
    """Print the test rows."""
    output.write(COLUMNS, ROWS)


@cli.command()
@db_option
def where() -> None:
    """Print the database URL."""
    click.echo(db_url())


@cli.command()
def later() -> None:
    """A command that has not landed."""
    not_implemented("later")


EXPECTED = {
    "table": (
        "country  meetings  first       codes  place\n"
        "-------  --------  ----------  -----  -----------------\n"
        'IRN            12  2023-02-03  UN;EU  Tehran, "capital"\n'
        "VEN             3\n"
    ),
    "csv": ('country,meetings,first,codes,place\nIRN,12,2023-02-03,UN;EU,"Tehran, ""capital"""\nVEN,3,,,\n'),
    "tsv": (
        "country\tmeetings\tfirst\tcodes\tplace\n"
        'IRN\t12\t2023-02-03\tUN;EU\t"Tehran, ""capital"""\n'
        "VEN\t3\t\t\t\n"
    ),
    "json": (
        "[\n"
        '{"country": "IRN", "meetings": 12, "first": "2023-02-03", "codes": ["UN", "EU"], '
        '"place": "Tehran, \\"capital\\""},\n'
        '{"country": "VEN", "meetings": 3, "first": null, "codes": [], "place": null}\n'
        "]\n"
    ),
    "jsonl": (
        '{"country": "IRN", "meetings": 12, "first": "2023-02-03", "codes": ["UN", "EU"], '
        '"place": "Tehran, \\"capital\\""}\n'
        '{"country": "VEN", "meetings": 3, "first": null, "codes": [], "place": null}\n'
    ),
}


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
def test_rows_in_every_format(fmt: str) -> None:
    result = CliRunner().invoke(cli, ["rows", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED[fmt]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", 'IRN,12,2023-02-03,UN;EU,"Tehran, ""capital"""\nVEN,3,,,\n'),
        ("table", 'IRN  12  2023-02-03  UN;EU  Tehran, "capital"\nVEN   3\n'),
    ],
)
def test_no_headers(fmt: str, expected: str) -> None:
    result = CliRunner().invoke(cli, ["rows", "--format", fmt, "--no-headers"])
    assert result.output == expected


def test_csv_is_the_default_off_a_terminal() -> None:
    assert CliRunner().invoke(cli, ["rows"]).output == EXPECTED["csv"]


def test_unknown_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["rows", "--format", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.output


def test_empty_result_per_format() -> None:
    outputs = {}
    for fmt in ("table", "csv", "tsv", "json", "jsonl"):
        out = io.StringIO()
        assert write_rows(["a", "b"], [], format=fmt, file=out) == 0
        outputs[fmt] = out.getvalue()
    assert outputs == {"table": "a  b\n-  -\n", "csv": "a,b\n", "tsv": "a\tb\n", "json": "[]\n", "jsonl": ""}


@pytest.mark.parametrize(
    "args",
    [
        ["--db", "sqlite:///given.db", "where"],
        ["where", "--db", "sqlite:///given.db"],
        ["--db", "sqlite:///other.db", "where", "--db", "sqlite:///given.db"],
    ],
    ids=["before", "after", "after-wins"],
)
def test_db_option_before_and_after_the_command(args: list[str]) -> None:
    result = CliRunner(env={"BILATERAL_DATABASE_URL": "sqlite:///env.db"}).invoke(cli, args)
    assert result.output == "sqlite:///given.db\n"


def test_db_from_environment_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert CliRunner(env={"BILATERAL_DATABASE_URL": "sqlite:///env.db"}).invoke(cli, ["where"]).output == (
        "sqlite:///env.db\n"
    )
    monkeypatch.delenv("BILATERAL_DATABASE_URL", raising=False)
    assert CliRunner().invoke(cli, ["where"]).output == "sqlite:///bilateral.db\n"


def test_not_implemented_exits_2() -> None:
    result = CliRunner().invoke(cli, ["later"])
    assert result.exit_code == 2
    assert result.output == "Error: `bilateral later` is not implemented yet\n"


def test_version() -> None:
    from bilateral import __version__

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"bilateral, version {__version__}\n"
