"""`bilateral report`: exact output in every format, countries by name, one-line errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bilateral.cli import main
from bilateral.reports.synthetic import sample_archive

DYADS = {
    "table": """\
country_a  country_b  events  meetings  calls  visits  agreements  first_date  last_date
---------  ---------  ------  --------  -----  ------  ----------  ----------  ----------
CUB        VEN             3         0      1       1           1  2021-01-01  2022-07-01
IRN        VEN             3         1      0       1           1  2020-03-04  2020-03-04
CUB        IRN             2         1      0       1           0  2020-04-01  2020-04-01
""",
    "csv": """\
country_a,country_b,events,meetings,calls,visits,agreements,first_date,last_date
CUB,VEN,3,0,1,1,1,2021-01-01,2022-07-01
IRN,VEN,3,1,0,1,1,2020-03-04,2020-03-04
CUB,IRN,2,1,0,1,0,2020-04-01,2020-04-01
""",
    "tsv": """\
country_a\tcountry_b\tevents\tmeetings\tcalls\tvisits\tagreements\tfirst_date\tlast_date
CUB\tVEN\t3\t0\t1\t1\t1\t2021-01-01\t2022-07-01
IRN\tVEN\t3\t1\t0\t1\t1\t2020-03-04\t2020-03-04
CUB\tIRN\t2\t1\t0\t1\t0\t2020-04-01\t2020-04-01
""",
    "jsonl": """\
{"country_a": "CUB", "country_b": "VEN", "events": 3, "meetings": 0, "calls": 1, "visits": 1, \
"agreements": 1, "first_date": "2021-01-01", "last_date": "2022-07-01"}
{"country_a": "IRN", "country_b": "VEN", "events": 3, "meetings": 1, "calls": 0, "visits": 1, \
"agreements": 1, "first_date": "2020-03-04", "last_date": "2020-03-04"}
{"country_a": "CUB", "country_b": "IRN", "events": 2, "meetings": 1, "calls": 0, "visits": 1, \
"agreements": 0, "first_date": "2020-04-01", "last_date": "2020-04-01"}
""",
}
DYADS["json"] = "[\n" + ",\n".join(DYADS["jsonl"].splitlines()) + "\n]\n"


@pytest.fixture
def archive_url(db_url: str, engine: Engine) -> str:
    """Return the URL of an archive holding the sample records."""
    with Session(engine) as session:
        sample_archive(session)
    return db_url


@pytest.mark.parametrize("fmt", sorted(DYADS))
def test_dyads_in_every_format(archive_url: str, fmt: str) -> None:
    result = CliRunner().invoke(main, ["--db", archive_url, "report", "dyads", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.output == DYADS[fmt]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_dyad_by_names_with_filters(archive_url: str) -> None:
    args = ["report", "dyad", "Venezuela", "ir", "--since", "2020", "--kind", "meeting", "--db", archive_url]
    result = CliRunner().invoke(main, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "date,kind,id,status,place,participants,title,sources,evidence\n"
        "2020-03-04,meeting,1,occurred,Caracas,"
        '"Ana Zarif (IRN, Foreign Minister);Luis Gil (VEN, Foreign Minister)",,2,Zarif met Gil in Caracas.\n'
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_partners_summary_and_network_in_csv(archive_url: str) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", archive_url, "report", *args, "--format", "csv"])
        assert result.exit_code == 0, result.output
        return result.output

    assert run("partners", "CU", "--status", "occurred") == (
        "partner,events,meetings,calls,visits,agreements,first_date,last_date\n"
        "IRN,1,1,0,0,0,2020-04-01,2020-04-01\n"
        "VEN,1,0,1,0,0,2021-01-01,2021-01-01\n"
    )
    assert run("summary", "--until", "2020-12-31", "--limit", "1") == (
        "section,key,events,meetings,calls,visits,agreements\n"
        "total,,3,2,0,0,1\n"
        "year,2020,3,2,0,0,1\n"
        "dyad,IRN-VEN,2,1,0,0,1\n"
    )
    assert run("network", "--level", "official", "--no-headers") == (
        "1,2,1,Ana Zarif,IRN,Luis Gil,VEN\n1,3,1,Ana Zarif,IRN,Rosa Perez,CUB\n"
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["partners", "Venezuala"], "Error: unknown country 'Venezuala': did you mean Venezuela (VEN)"),
        (["dyads", "--since", "2020-02-30"], "Error: --since '2020-02-30' is not a date"),
        (["partners"], "Error: report partners takes one argument, got 0"),
        (["nonsense"], "Error: unknown report 'nonsense': use one of summary, dyads, dyad"),
        (["official", "Nobody Known"], "Error: no official is named 'Nobody Known'"),
    ],
)
def test_mistakes_get_one_line_and_exit_2(archive_url: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["--db", archive_url, "report", *args])
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert result.output.count("\n") == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_official_network_is_capped_by_default(archive_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bilateral.cli.report.OFFICIAL_EDGES", 1)
    runner = CliRunner()
    capped = runner.invoke(main, ["--db", archive_url, "report", "network", "--level", "official"])
    assert capped.exit_code == 0
    assert capped.stdout.count("\n") == 2
    assert capped.stderr.startswith("network: printed the 1 heaviest edges; use --limit N, or --limit 0")
    full = runner.invoke(
        main, ["--db", archive_url, "report", "network", "--level", "official", "--limit", "0"]
    )
    assert (full.exit_code, full.stderr) == (0, "")
    assert full.stdout.count("\n") > 2
    assert full.stdout.splitlines()[:2] == capped.stdout.splitlines()
