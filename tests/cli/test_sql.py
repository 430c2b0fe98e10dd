"""`bilateral sql`: exact output in every format, shipped queries, files, parameters, one-line refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bilateral.cli import main
from bilateral.reports.synthetic import sample_archive

QUERY = "SELECT kind, count(*) AS n FROM meetings WHERE status = :status GROUP BY kind ORDER BY kind"
EXPECTED = {
    "table": "kind     n\n-------  -\ncall     1\nmeeting  2\n",
    "csv": "kind,n\ncall,1\nmeeting,2\n",
    "tsv": "kind\tn\ncall\t1\nmeeting\t2\n",
    "json": '[\n{"kind": "call", "n": 1},\n{"kind": "meeting", "n": 2}\n]\n',
    "jsonl": '{"kind": "call", "n": 1}\n{"kind": "meeting", "n": 2}\n',
}


@pytest.fixture
def archive_url(db_url: str, engine: Engine) -> str:
    """Return the URL of an archive holding the sample records."""
    with Session(engine) as session:
        sample_archive(session)
    return db_url


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
def test_query_with_a_parameter_in_every_format(archive_url: str, fmt: str) -> None:
    result = CliRunner().invoke(
        main, ["--db", archive_url, "sql", QUERY, "-p", "status", "occurred", "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED[fmt]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_file_and_shipped_query(archive_url: str, tmp_path: Path) -> None:
    path = tmp_path / "q.sql"
    path.write_text(QUERY + ";\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["--db", archive_url, "sql", "--file", str(path), "-p", "status", "planned"]
    )
    assert (result.exit_code, result.output) == (0, "kind,n\nvisit,1\n")
    result = CliRunner().invoke(
        main, ["--db", archive_url, "sql", "partners_of_country", "-p", "country", "CUB"]
    )
    assert (result.exit_code, result.output) == (
        0,
        "partner,events,first_date,last_date\nVEN,3,2021-01-01,2022-07-01\nIRN,2,2020-04-01,2020-04-01\n",
    )


def test_list_needs_no_archive() -> None:
    result = CliRunner().invoke(main, ["sql", "--list", "--format", "csv"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "name,params,description"
    assert (
        "partners_of_country,country,One country's partners by number of events (run with -p country IRN)."
        in lines
    )
    assert len(lines) >= 6


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("DELETE FROM meetings", "Error: refused: the archive is read-only here"),
        ("DROP TABLE meetings", "Error: refused: the archive is read-only here"),
        ("SELECT 1; DELETE FROM meetings", "Error: refused: one statement per call"),
    ],
)
def test_writes_get_one_line_and_exit_1(archive_url: str, query: str, message: str) -> None:
    result = CliRunner().invoke(main, ["--db", archive_url, "sql", query])
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert result.output.count("\n") == 1
    check = CliRunner().invoke(main, ["--db", archive_url, "sql", "SELECT count(*) AS n FROM meetings"])
    assert check.output == "n\n4\n"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["partners"], "Error: no shipped query is named 'partners': see `bilateral sql --list`"),
        (["partners_of_country"], "Error: the query needs -p country VALUE"),
        ([], "Error: give a query, a shipped query's name (see --list) or --file q.sql"),
    ],
)
def test_usage_mistakes_exit_2(archive_url: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["--db", archive_url, "sql", *args])
    assert result.exit_code == 2
    assert result.output == message + "\n"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_sql_db_of_a_superuser_is_refused_in_one_line(archive_url: str) -> None:
    result = CliRunner().invoke(
        main, ["--db", archive_url, "sql", "SELECT 1 AS one"], env={"BILATERAL_SQL_URL": archive_url}
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: refused: BILATERAL_SQL_URL / --sql-db logs in as a superuser")
    assert result.output.count("\n") == 1
    result = CliRunner().invoke(
        main, ["--db", archive_url, "sql", "SELECT session_user LIKE 'bilateral_ro_%' AS reader"]
    )
    assert (result.exit_code, result.output) == (0, "reader\ntrue\n")
