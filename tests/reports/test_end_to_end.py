"""From articles to reports: after a real ingest the aggregates equal a recount and every table exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select, text

from bilateral.cli import main
from bilateral.store import aggregates
from bilateral.store.engine import open_archive
from bilateral.store.models import Meeting

# The tests' own sentences (no third-party text).
ARTICLES = {
    "a.txt": "date 2023-02-03\nIranian Foreign Minister Hossein Amir-Abdollahian met Venezuelan President "
    "Nicolas Maduro in Caracas on Friday. The two discussed oil and trade.\n",
    "b.txt": "date 2023-03-10\nVenezuelan President Nicolas Maduro spoke by phone with Brazilian President "
    "Luiz Inacio Lula da Silva on Thursday about regional security.\n",
    "c.txt": "date 2023-03-12\nBrazilian President Luiz Inacio Lula da Silva visited Tehran on Sunday, "
    "where he met Iranian Foreign Minister Hossein Amir-Abdollahian. The two countries signed a "
    "memorandum of "
    "understanding on energy cooperation.\n",
}


def test_ingested_archive_reports_and_exports_consistently(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, body in ARTICLES.items():
        (folder / name).write_text(body, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["--db", db_url, "ingest", str(folder)])
    assert result.exit_code == 0, result.output

    engine = open_archive(db_url)
    try:
        with engine.connect() as conn:
            assert aggregates.stored(conn) == aggregates.recount(conn)
            meetings = conn.execute(select(func.count()).select_from(Meeting)).scalar_one()
            pairs = conn.execute(
                text(
                    "SELECT year, country_a, country_b, count(*) FROM dyad_events "
                    "WHERE year IS NOT NULL AND status IN ('occurred', 'signed', 'reached', 'implemented') "
                    "GROUP BY year, country_a, country_b"
                )
            ).all()
    finally:
        engine.dispose()
    assert meetings > 0

    exported = runner.invoke(main, ["--db", db_url, "export", "meetings"])
    assert exported.exit_code == 0, exported.output
    assert len(list(csv.reader(io.StringIO(exported.stdout)))) == meetings + 1
    lines = runner.invoke(
        main, ["--db", db_url, "export", "meetings", "--format", "jsonl"]
    ).stdout.splitlines()
    assert all(json.loads(line)["sources"] for line in lines)

    panel = runner.invoke(main, ["--db", db_url, "export", "dyad-year"])
    rows = list(csv.DictReader(io.StringIO(panel.stdout)))
    totals = {
        (int(r["year"]), r["country_a"], r["country_b"]): sum(
            int(r[k]) for k in ("meetings", "calls", "visits", "agreements")
        )
        for r in rows
    }
    assert totals == {(int(y), a, b): int(n) for y, a, b, n in pairs}

    for name in ("summary", "dyads", "officials", "agreements", "network"):
        report = runner.invoke(main, ["--db", db_url, "report", name, "--format", "csv"])
        assert report.exit_code == 0, (name, report.output)
