"""`bilateral export`: exact CSV and JSONL on stdout or in a file, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bilateral.cli import main
from bilateral.reports.synthetic import sample_archive

PARTY_COLUMNS = ("agreement_id", "country", "country_cow", "country_gw", "org", "signatory")
PARTIES = {
    "csv": """\
agreement_id,country,country_cow,country_gw,org,signatory
1,IRN,630,630,,
1,VEN,101,101,,Luis Gil
1,,,,OPEC,
2,CUB,40,40,,
2,VEN,101,101,,
""",
    "jsonl": "".join(
        json.dumps(dict(zip(PARTY_COLUMNS, r, strict=True))) + "\n"
        for r in [
            (1, "IRN", 630, 630, None, None),
            (1, "VEN", 101, 101, None, "Luis Gil"),
            (1, None, None, None, "OPEC", None),
            (2, "CUB", 40, 40, None, None),
            (2, "VEN", 101, 101, None, None),
        ]
    ),
}


@pytest.fixture
def archive_url(db_url: str, engine: Engine) -> str:
    """Return the URL of an archive holding the sample records."""
    with Session(engine) as session:
        sample_archive(session)
    return db_url


@pytest.mark.parametrize("fmt", sorted(PARTIES))
def test_agreement_parties_to_stdout(archive_url: str, fmt: str) -> None:
    result = CliRunner().invoke(main, ["export", "agreement-parties", "--format", fmt, "--db", archive_url])
    assert result.exit_code == 0, result.output
    assert result.stdout == PARTIES[fmt]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_meetings_to_a_file(archive_url: str, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"meetings.{fmt}"
    args = [
        "--db",
        archive_url,
        "export",
        "meetings",
        "-o",
        str(target),
        "--format",
        fmt,
        "--country",
        "Cuba",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"exported 3 meetings rows to {target}\n"
    text = target.read_text(encoding="utf-8")
    if fmt == "csv":
        assert [line.split(",")[0] for line in text.splitlines()] == ["meeting_id", "2", "3", "4"]
    else:
        assert [json.loads(line)["cameo"] for line in text.splitlines()] == ["044", "041", "042"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_dyad_year_complete(archive_url: str) -> None:
    args = ["--db", archive_url, "export", "dyad-year", "--complete", "--country", "CUB", "--country", "VEN"]
    result = CliRunner().invoke(main, [*args, "--since", "2021", "--until", "2022"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "year,country_a,country_b,cow_a,cow_b,gw_a,gw_b,meetings,calls,visits,agreements\n"
        "2021,CUB,VEN,40,101,40,101,0,1,0,0\n"
        "2022,CUB,VEN,40,101,40,101,0,0,0,0\n"
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["countries", "--country", "IRN"],
            "Error: --since, --until and --country do not apply to the countries table: drop them",
        ),
        (["meetings", "--complete"], "Error: --complete applies to the dyad-year table only"),
        (["meetings", "--country", "Narnia"], "Error: unknown country 'Narnia'"),
        (["meetings", "--until", "2020-02-31"], "Error: --until '2020-02-31' is not a date"),
    ],
)
def test_mistakes_get_one_line_and_exit_2(archive_url: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["--db", archive_url, "export", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
