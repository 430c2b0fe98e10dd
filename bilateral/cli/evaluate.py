"""`bilateral evaluate`: precision, recall and F1 of the extractor against gold files."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from bilateral.cli.common import db_option, write_rows
from bilateral.evaluate import LEVELS, GoldError, Run, Scored, run

COLUMNS = ("level", "tp", "fp", "fn", "precision", "recall", "f1")


@click.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="Print the scores as a table or as JSON (the shape of score.py --json).",
)
@click.option(
    "--show-errors", is_flag=True, help="List every miss and false alarm with its file and evidence."
)
@click.option(
    "--records",
    "records_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the predicted meetings.jsonl, agreements.jsonl and officials.jsonl here "
    "(the inputs of the reference score.py).",
)
@db_option
def evaluate(
    gold_dir: Path, articles_dir: Path, output_format: str, show_errors: bool, records_dir: Path | None
) -> None:
    """Score extraction against gold files: precision, recall and F1 per level.

    Reads the gold files of GOLD_DIR (GOLD_SCHEMA.md), extracts the articles of ARTICLES_DIR that have one,
    in date order, passing the officials found so far to the extractor as ingest does, and scores them by
    the rules of the reference score.py: meetings by country pair (dyad) and by participants (people),
    visits, agreements and officials, plus how often a matched meeting's date is exact to the day.
    Articles without a gold file are skipped with a warning; a gold file without its article counts
    its records as misses. No database is used.
    """
    try:
        result = run(gold_dir, articles_dir)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    for problem in result.problems:
        click.echo(f"{'warning' if problem.warning else 'error'}: {problem}", err=True)
    if records_dir is not None:
        result.predictions.write_jsonl(records_dir)
    if output_format == "json":
        _print_json(result, show_errors)
    else:
        _print_table(result, show_errors)
    if any(not p.warning for p in result.problems):
        raise click.exceptions.Exit(1)


def _print_table(result: Run, show_errors: bool) -> None:
    """Print one row per level, the date exactness, then (when asked) every error."""
    evaluation = result.evaluation
    rows = []
    for level in LEVELS:
        r = evaluation.levels[level]
        rows.append((level, r.tp, r.fp, r.fn, *(Decimal(f"{v:.3f}") for v in (r.precision, r.recall, r.f1))))
    write_rows(COLUMNS, rows, format="table")
    exact, with_day = evaluation.dyad_dates_exact, evaluation.dyad_dates_with_day
    click.echo(
        f"dyad dates exact to the day: {exact}/{with_day} ({evaluation.dyad_date_share:.3f}); "
        f"articles scored: {result.articles}, gold files: {len(result.gold)}"
    )
    if not show_errors:
        return
    for error in _errors(result):
        click.echo(
            f"\n{error['error']} {error['level']} {error['file'] or '?'}: {error['record']}"
            + (f"\n  {error['evidence']}" if error["evidence"] else "")
        )


def _print_json(result: Run, show_errors: bool) -> None:
    """Print score.py's JSON shape, with the article count and (when asked) every error."""
    doc = result.evaluation.as_json()
    doc["articles"] = result.articles
    if show_errors:
        doc["errors"] = _errors(result)
    click.echo(json.dumps(doc, indent=1, ensure_ascii=False, default=str))


def _describe(record: Scored) -> str:
    """Return a short line for a scored record: what it is, who, and its date."""
    return record.label if record.kind == "official" else f"{record.label}, {record.date or 'no date'}"


def _errors(result: Run) -> list[dict[str, Any]]:
    """Return every miss and false alarm, level by level, with its file and evidence."""
    out: list[dict[str, Any]] = []
    for level in LEVELS:
        r = result.evaluation.levels[level]
        for error, records in (("miss", r.misses), ("false alarm", r.extras)):
            for rec in records:
                out.append(
                    {
                        "level": level,
                        "error": error,
                        "file": rec.file,
                        "record": _describe(rec),
                        "date": rec.date,
                        "evidence": rec.evidence,
                    }
                )
    return out
