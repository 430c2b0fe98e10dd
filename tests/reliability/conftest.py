"""Fixtures for the reliability suite: a generated corpus of short articles and ways to run `bilateral`."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.orm import Session

from bilateral.cli import main
from bilateral.store import models
from bilateral.store.dump import Dump, canonical_dump
from bilateral.store.engine import open_archive

# (demonym, title, name, capital, country name) of officials; the sentences below are the suite's own.
OFFICIALS = [
    ("Iranian", "Foreign Minister", "Hossein Amir-Abdollahian", "Tehran", "Iran"),
    ("Venezuelan", "President", "Nicolas Maduro", "Caracas", "Venezuela"),
    ("Brazilian", "President", "Luiz Inacio Lula da Silva", "Brasilia", "Brazil"),
    ("Argentine", "President", "Alberto Fernandez", "Buenos Aires", "Argentina"),
    ("Japanese", "Prime Minister", "Fumio Kishida", "Tokyo", "Japan"),
    ("British", "Prime Minister", "Rishi Sunak", "London", "Britain"),
    ("Indian", "Prime Minister", "Narendra Modi", "New Delhi", "India"),
    ("German", "Chancellor", "Olaf Scholz", "Berlin", "Germany"),
    ("Kenyan", "President", "William Ruto", "Nairobi", "Kenya"),
    ("Turkish", "Foreign Minister", "Mevlut Cavusoglu", "Ankara", "Turkey"),
]
TOPICS = ["trade and energy", "security", "grain exports", "climate finance", "visa rules", "fisheries"]
AGREEMENTS = ["a trade agreement", "a memorandum of understanding on energy", "an accord on fisheries"]


def article(k: int) -> tuple[dt.date, str]:
    """Return the date and text of the k-th generated article: a meeting, call, visit or agreement."""
    a = OFFICIALS[k % len(OFFICIALS)]
    b = OFFICIALS[(k * 3 + 1) % len(OFFICIALS)]
    if a == b:
        b = OFFICIALS[(k + 1) % len(OFFICIALS)]
    day = dt.date(2022, 1, 3) + dt.timedelta(days=k * 5 % 700)
    topic = TOPICS[k % len(TOPICS)]
    form = k % 4
    if form == 0:
        body = f"{a[0]} {a[1]} {a[2]} spoke by phone with {b[0]} {b[1]} {b[2]} on {day:%A}."
    elif form == 1:
        body = f"{a[0]} {a[1]} {a[2]} met {b[0]} {b[1]} {b[2]} in {b[3]} on {day:%A}."
    elif form == 2:
        body = f"{a[0]} {a[1]} {a[2]} arrived in {b[3]} on {day:%A} for a visit to {b[4]}."
    else:
        deal = AGREEMENTS[k % len(AGREEMENTS)]
        body = f"{a[4]} and {b[4]} signed {deal} in {b[3]} on {day:%A}, {a[0]} {a[1]} {a[2]} said."
    return day + dt.timedelta(days=1), f"{body} The two sides discussed {topic} (dispatch {k})."


def write_corpus(folder: Path, numbers: range | list[int]) -> Path:
    """Write the generated articles with these numbers as text files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for k in numbers:
        date, text = article(k)
        (folder / f"dispatch-{k:03d}.txt").write_text(f"date {date.isoformat()}\n{text}\n", encoding="utf-8")
    return folder


def invoke(db_url: str, *args: str, input: bytes | None = None) -> Result:
    """Run `bilateral --db URL ARGS` in this process."""
    return CliRunner().invoke(main, ["--db", db_url, *args], input=input)


def dump(db_url: str) -> Dump:
    """Return the archive's canonical dump (no surrogate ids)."""
    engine = open_archive(db_url)
    try:
        with Session(engine) as session:
            return canonical_dump(session)
    finally:
        engine.dispose()


def empty_archive(db_url: str) -> None:
    """Delete every row but the reference tables."""
    engine = open_archive(db_url)
    try:
        with Session(engine) as session:
            for table in reversed(models.Base.metadata.sorted_tables):
                if table.name not in ("countries", "organizations", "alembic_version"):
                    session.execute(table.delete())
            session.commit()
    finally:
        engine.dispose()


def command(db_url: str, *args: str, setup: str = "") -> list[str]:
    """Return the command line that runs `bilateral --db URL ARGS` in a new process (after `setup` code)."""
    code = f"{setup}\nfrom bilateral.cli import main\nmain()"
    return [sys.executable, "-c", code, "--db", db_url, *args]


_scratch: list[Path] = []
"""Where spawned processes keep temporary files (a process killed mid-run cannot remove its own)."""


def spawn(db_url: str, *args: str, setup: str = "", **kwargs: Any) -> subprocess.Popen[bytes]:
    """Start `bilateral --db URL ARGS` in a new process (after running `setup` code in it)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if _scratch:
        env["TMPDIR"] = str(_scratch[0])
    return subprocess.Popen(
        command(db_url, *args, setup=setup), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, **kwargs
    )


class Bilateral:
    """The helpers above, handed to tests as one fixture."""

    article = staticmethod(article)
    write_corpus = staticmethod(write_corpus)
    invoke = staticmethod(invoke)
    dump = staticmethod(dump)
    empty_archive = staticmethod(empty_archive)
    command = staticmethod(command)
    spawn = staticmethod(spawn)


@pytest.fixture(scope="session")
def bl(tmp_path_factory: pytest.TempPathFactory) -> type[Bilateral]:
    """Return the suite's helpers (corpus writer, CLI runners, canonical dump)."""
    if not _scratch:
        _scratch.append(tmp_path_factory.mktemp("spawned-tmp"))
    return Bilateral


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def filled_template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the URL of an archive filled once per session (six generated articles), to be copied."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('filled') / 'archive.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        if server.admin is None:
            if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
                pytest.fail(server.reason)
            pytest.skip(server.reason)
        name = f"bilateral_filled_{uuid.uuid4().hex[:16]}"
        server.execute(f'CREATE DATABASE "{name}"')
        request.addfinalizer(lambda: server.drop(name))
        url = server.database_url(name)
    folder = write_corpus(tmp_path_factory.mktemp("corpus"), range(6))
    result = invoke(url, "ingest", "--quiet", str(folder))
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture
def filled(filled_template: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Return the URL of a copy of the filled archive, for one test to change."""
    if filled_template.startswith("sqlite:///"):
        path = tmp_path / "archive.db"
        shutil.copyfile(filled_template.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    server = request.getfixturevalue("postgres_server")
    template = filled_template.rsplit("/", 1)[1]
    name = f"bilateral_test_{uuid.uuid4().hex[:16]}"
    server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    request.addfinalizer(lambda: server.drop_later(name))
    url: str = server.database_url(name)
    return url


Helper = Callable[..., Any]
