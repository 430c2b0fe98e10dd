"""`bilateral evaluate` (stub until the evaluation issue lands)."""

from __future__ import annotations

import click

from bilateral.cli.common import not_implemented


@click.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False))
def evaluate(gold_dir: str, articles_dir: str) -> None:
    """Score extraction against gold files: precision, recall and F1 per record kind."""
    not_implemented("evaluate")
