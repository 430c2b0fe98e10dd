"""Paths: folders walked recursively in order, globs, stdin, format detection and override, size limit."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from bilateral.sources import Article, MissingInput, Problem, check_paths
from bilateral.sources.inputs import read_stream, sniff

ReadAll = Callable[..., tuple[list[Article], list[str], list[str]]]
TEXT = "Indian Prime Minister Narendra Modi received the Egyptian President in New Delhi on Wednesday."


def article_file(path: Path, day: int = 25) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"date 2023-01-{day:02d}\n{TEXT} ({path.name})\n", encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    article_file(root / "b.txt")
    article_file(root / "a.txt")
    article_file(root / "sub" / "deeper" / "c.txt")
    article_file(root / "sub" / "a.txt")
    article_file(root / ".hidden" / "h.txt")
    article_file(root / ".h.txt")
    (root / "gold.json").write_text("{}")
    (root / "notes.md").write_text("# not an article")
    (root / "z.jsonl").write_text(json.dumps({"id": "j1", "date": "2023-01-26", "text": TEXT}) + "\n")
    return root


def test_folder_is_walked_recursively_in_a_fixed_order(tree: Path, read_all: ReadAll) -> None:
    articles, errors, warnings = read_all(tree)
    assert (errors, warnings) == ([], [])
    assert [a.ref for a in articles] == ["a.txt", "b.txt", "j1", "sub/a.txt", "sub/deeper/c.txt"]


def test_refs_are_relative_to_the_argument(tree: Path, read_all: ReadAll) -> None:
    articles, _, _ = read_all(tree / "sub", tree / "b.txt")
    assert [a.ref for a in articles] == ["a.txt", "deeper/c.txt", "b.txt"]


def test_glob_refs_are_relative_to_its_fixed_part(tree: Path, read_all: ReadAll) -> None:
    articles, errors, _ = read_all(f"{tree}/**/*.txt")
    assert errors == []
    assert [a.ref for a in articles] == ["a.txt", "b.txt", "sub/a.txt", "sub/deeper/c.txt"]


def test_input_format_override_reads_every_file_as_that_format(tmp_path: Path, read_all: ReadAll) -> None:
    (tmp_path / "story.md").write_text(f"date 2023-01-25\n{TEXT}")
    articles, errors, _ = read_all(tmp_path, input_format="text")
    assert errors == []
    assert [(a.ref, a.text) for a in articles] == [("story.md", TEXT)]


def test_named_file_with_unknown_extension_is_sniffed(tmp_path: Path, read_all: ReadAll) -> None:
    (tmp_path / "dump").write_text(json.dumps({"id": "s1", "date": "2023-01-25", "text": TEXT}) + "\n")
    articles, errors, _ = read_all(tmp_path / "dump")
    assert (errors, [a.ref for a in articles]) == ([], ["s1"])


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b'{"text": "x"}', "jsonl"),
        (b"\xef\xbb\xbf  {", "jsonl"),
        (b"<?xml version='1.0'?><rss>", "feed"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        (b"<!DOCTYPE html><html>", "html"),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", "html"),
        (b"date 2023-01-01 text", "text"),
    ],
)
def test_sniff(head: bytes, fmt: str) -> None:
    assert sniff(head) == fmt


def test_stdin_text_and_jsonl() -> None:
    text_items = list(read_stream(io.BytesIO(f"date 2023-01-25\n{TEXT}".encode()), "<stdin>", "<stdin>"))
    assert [(a.ref, a.text) for a in text_items if isinstance(a, Article)] == [("<stdin>", TEXT)]
    lines = "".join(json.dumps({"date": "2023-01-25", "text": f"{TEXT} {i}"}) + "\n" for i in range(3))
    jsonl_items = list(read_stream(io.BytesIO(lines.encode()), "<stdin>", "<stdin>"))
    assert [a.ref for a in jsonl_items if isinstance(a, Article)] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]


def test_stdin_above_max_size_is_refused() -> None:
    items = list(read_stream(io.BytesIO(b"x" * 5000), "<stdin>", "<stdin>", "text", max_size=4096))
    assert [str(i) for i in items] == [
        "<stdin>: larger than the 4 kB limit — raise --max-size or split the file"
    ]


def test_huge_file_is_refused_without_reading_it(tmp_path: Path, read_all: ReadAll) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(100 * 1024 * 1024)
    article_file(tmp_path / "ok.txt")
    tracemalloc.start()
    try:
        articles, errors, _ = read_all(tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.ref for a in articles] == ["ok.txt"]
    assert errors == [f"{huge}: larger than the 20 MB limit — raise --max-size or split the file"]
    assert peak < 5 * 1024 * 1024


def test_max_size_is_configurable(tmp_path: Path, read_all: ReadAll) -> None:
    path = article_file(tmp_path / "a.txt")
    _, errors, _ = read_all(path, max_size=50)
    assert errors == [f"{path}: larger than the 50 bytes limit — raise --max-size or split the file"]


def test_unreadable_file_is_reported(tmp_path: Path, read_all: ReadAll) -> None:
    path = article_file(tmp_path / "a.txt")
    path.chmod(0)
    try:
        path.read_bytes()
    except PermissionError:
        pass
    else:
        pytest.skip("this user reads files without read permission (root)")
    _, errors, _ = read_all(path)
    assert errors == [f"{path}: cannot read (Permission denied) — check the file's permissions"]


def test_missing_paths_are_usage_errors(tree: Path) -> None:
    check_paths([str(tree), str(tree / "a.txt"), f"{tree}/*.txt", "-"])
    with pytest.raises(
        MissingInput, match=r"nope\.txt: no such file, folder or matching glob — check the path"
    ):
        check_paths([str(tree), str(tree / "nope.txt")])
    with pytest.raises(MissingInput):
        check_paths([f"{tree}/*.pdf"])


def test_problem_message_form() -> None:
    assert str(Problem("a.jsonl:3", "no text", "add it")) == "a.jsonl:3: no text — add it"
