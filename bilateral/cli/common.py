"""What every command shares: the --db option, the opened archive, and the one row writer."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import functools
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from sqlalchemy import Engine

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "csv", "tsv", "json", "jsonl")
LIST_SEPARATOR = ";"
_DB_KEY = "db_url"
_ENGINE_KEY = "engine"


def _root_obj(ctx: click.Context) -> dict[str, Any]:
    """Return the dict shared by the whole command line (the root context's obj)."""
    root = ctx.find_root()
    if root.obj is None:
        root.obj = {}
    obj: dict[str, Any] = root.obj
    return obj


def _store_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """Remember a --db given before or after the command name (the later one wins)."""
    if value is not None:
        _root_obj(ctx)[_DB_KEY] = value


def db_option(f: F) -> F:
    """Add `--db URL` to a command or group; every command uses it so it works before and after its name."""
    return click.option(
        "--db",
        metavar="URL",
        expose_value=False,
        callback=_store_db,
        help="Archive database URL (sqlite:///file.db or postgresql://...). "
        "Default: $BILATERAL_DATABASE_URL, else sqlite:///bilateral.db.",
    )(f)


def db_url(ctx: click.Context | None = None) -> str:
    """Return the archive URL this command line names."""
    # Imported here, as in archive_engine, so that `bilateral --version` and `--help` load no database stack.
    from bilateral.store.engine import database_url

    ctx = ctx or click.get_current_context()
    return database_url(_root_obj(ctx).get(_DB_KEY))


def archive_engine(ctx: click.Context | None = None) -> Engine:
    """Open the archive (creating or upgrading its schema) and return its engine, once per command line."""
    from bilateral.store.engine import ArchiveError, open_archive

    ctx = ctx or click.get_current_context()
    obj = _root_obj(ctx)
    engine: Engine | None = obj.get(_ENGINE_KEY)
    if engine is None:
        try:
            engine = open_archive(db_url(ctx))
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
        obj[_ENGINE_KEY] = engine
        ctx.find_root().call_on_close(engine.dispose)
    return engine


def not_implemented(name: str) -> NoReturn:
    """Stop a command whose issue has not landed yet (exit 2)."""
    click.echo(f"Error: `bilateral {name}` is not implemented yet", err=True)
    raise click.exceptions.Exit(2)


# ---------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Output:
    """How a command prints rows: the format (None: table on a terminal, csv otherwise) and headers."""

    format: str | None = None
    headers: bool = True

    def write(
        self, columns: Sequence[str], rows: Iterable[Sequence[Any]], file: IO[str] | None = None
    ) -> int:
        """Write the rows and return how many there were."""
        return write_rows(columns, rows, format=self.format, headers=self.headers, file=file)


def output_options(f: F) -> F:
    """Add `--format` and `--no-headers`; the command receives them as one `output: Output` argument."""

    @click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format. Default: table on a terminal, csv otherwise.",
    )
    @click.option("--no-headers", is_flag=True, help="Leave out the header row (table, csv, tsv).")
    @functools.wraps(f)
    def wrapper(*args: Any, output_format: str | None, no_headers: bool, **kwargs: Any) -> Any:
        kwargs["output"] = Output(output_format, headers=not no_headers)
        return f(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def cell_text(value: Any) -> str:
    """Render a value for a text cell (table, csv, tsv): '' for NULL, ISO dates, lists joined by ';'."""
    if type(value) is str:  # the common cases first: isinstance against ABCs is slow on big reports
        return value
    if type(value) is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return LIST_SEPARATOR.join(cell_text(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=_json_default, sort_keys=True)
    return str(value)


def _json_default(value: Any) -> Any:
    """Render what json cannot: dates as ISO text, decimals as numbers, sets as lists."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def _json_object(columns: Sequence[str], row: Sequence[Any]) -> str:
    """Return one row as a JSON object on one line."""
    return json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=_json_default)


def _is_number(value: Any) -> bool:
    """Tell whether a value is right-aligned in a table."""
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def _write_table(columns: Sequence[str], rows: list[Sequence[Any]], headers: bool, out: IO[str]) -> None:
    """Write rows as an aligned text table: two spaces between columns, numbers right-aligned."""
    texts = [[cell_text(v) for v in row] for row in rows]
    widths = [len(c) if headers else 0 for c in columns]
    for row_text in texts:
        widths = [max(w, len(t)) for w, t in zip(widths, row_text, strict=True)]
    if headers:
        out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths).rstrip() + "\n")
    for row, row_text in zip(rows, texts, strict=True):
        cells = [
            t.rjust(w) if _is_number(v) else t.ljust(w) for v, t, w in zip(row, row_text, widths, strict=True)
        ]
        out.write("  ".join(cells).rstrip() + "\n")


def write_rows(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    format: str | None = None,
    headers: bool = True,
    file: IO[str] | None = None,
) -> int:
    """Write rows in one of FORMATS to `file` (default stdout) and return how many were written.

    Every format but `table` streams, so exports of any size run in constant memory.
    """
    out = file if file is not None else sys.stdout
    if format is None:
        format = "table" if out.isatty() else "csv"
    if format not in FORMATS:
        raise click.UsageError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    count = 0
    if format == "table":
        materialised = list(rows)
        _write_table(columns, materialised, headers, out)
        return len(materialised)
    if format in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if format == "csv" else "\t", lineterminator="\n")
        if headers:
            writer.writerow(columns)
        for row in rows:
            writer.writerow([cell_text(v) for v in row])
            count += 1
    elif format == "jsonl":
        for row in rows:
            out.write(_json_object(columns, row) + "\n")
            count += 1
    else:
        out.write("[")
        for row in rows:
            out.write(("\n" if count == 0 else ",\n") + _json_object(columns, row))
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count
