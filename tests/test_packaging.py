"""A plain (non-editable) install carries its migrations and can build an archive outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import bilateral
from bilateral.store.engine import head_revision, migrations_dir

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hatchling_build = pytest.importorskip("hatchling.build")
    if not (REPO_ROOT / "pyproject.toml").is_file():
        pytest.skip("not run from a source checkout")
    monkeypatch.chdir(REPO_ROOT)
    wheel = tmp_path / hatchling_build.build_wheel(str(tmp_path))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        n.removeprefix("bilateral/_migrations/") for n in names if n.startswith("bilateral/_migrations/")
    }
    in_tree = {
        str(p.relative_to(REPO_ROOT / "migrations"))
        for p in (REPO_ROOT / "migrations").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert {"env.py", "script.py.mako", "alembic.ini"} <= shipped
    assert in_tree <= shipped
    assert any(n.endswith("licenses/LICENSE") for n in names)


def test_installed_cli_builds_an_archive_outside_the_source_tree(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("BILATERAL_DATABASE_URL", "PYTHONPATH")}

    def bilateral_cli(*args: str) -> subprocess.CompletedProcess[str]:
        code = "from bilateral.cli import main; main()"
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    upgraded = bilateral_cli("--db", "sqlite:///archive.db", "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (tmp_path / "archive.db").is_file()
    current = bilateral_cli("db", "current", "--db", "sqlite:///archive.db")
    assert current.stdout == f"{head_revision()} (up to date)\n"


@pytest.mark.skipif(
    os.environ.get("BILATERAL_EXPECT_INSTALLED") != "1",
    reason="only under .ci/run, which installs bilateral non-editable and sets BILATERAL_EXPECT_INSTALLED=1",
)
def test_tests_import_the_installed_package() -> None:
    package = Path(bilateral.__file__).resolve().parent
    assert not package.is_relative_to(REPO_ROOT), f"tests imported the source tree at {package}"
    assert migrations_dir().resolve() == package / "_migrations"
