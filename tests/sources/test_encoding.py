"""Encodings: UTF-8 with and without BOM, UTF-16 with BOM, a detected fallback, and what is not text."""

from __future__ import annotations

import codecs
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from bilateral.sources import Article
from bilateral.sources.encoding import decode, is_binary
from bilateral.sources.problems import SourceError

ReadAll = Callable[..., tuple[list[Article], list[str], list[str]]]
TEXT = "date 2023-02-04\nVenezuelan Vice President Delcy Rodríguez received the Iranian envoy in Caracas."
BODY = TEXT.split("\n", 1)[1]


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-native", "utf-16-be", "utf-16-le"],
)
def test_unicode_encodings_read_without_warning(tmp_path: Path, read_all: ReadAll, data: bytes) -> None:
    (tmp_path / "a.txt").write_bytes(data)
    articles, errors, warnings = read_all(tmp_path / "a.txt")
    assert (errors, warnings) == ([], [])
    assert [a.text for a in articles] == [BODY]


def test_legacy_encoding_is_detected_with_a_warning(tmp_path: Path, read_all: ReadAll) -> None:
    text = (
        "date 2023-02-04\nЗаместитель министра иностранных дел России встретился с послом Ирана в Москве. "
        "Стороны обсудили торговлю, энергетику и сотрудничество между двумя странами."
    )
    (tmp_path / "a.txt").write_bytes(text.encode("cp1251"))
    articles, errors, warnings = read_all(tmp_path / "a.txt")
    assert errors == []
    assert [a.text for a in articles] == [text.split("\n", 1)[1]]
    assert warnings == [
        f"{tmp_path / 'a.txt'}: not UTF-8; read as cp1251 (detected) — re-save the file as UTF-8"
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (codecs.BOM_UTF8, "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL bytes)"),
        (bytes(range(1, 32)) * 20, "binary file (control characters)"),
    ],
    ids=["empty", "blank", "bom-only", "png", "controls"],
)
def test_not_text_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        decode(data)
    assert caught.value.reason == reason


def test_invalid_utf8_without_a_plausible_encoding_is_refused(tmp_path: Path, read_all: ReadAll) -> None:
    data = b"date 2023-02-04\nhello \xc3\x28 world"
    (tmp_path / "a.txt").write_bytes(data)
    articles, errors, warnings = read_all(tmp_path / "a.txt")
    assert (articles, warnings) == ([], [])
    assert errors == [
        f"{tmp_path / 'a.txt'}: invalid UTF-8 at byte 22 and no other encoding gives readable text"
        " — re-save the file as UTF-8"
    ]


def test_random_bytes_are_refused(tmp_path: Path, read_all: ReadAll) -> None:
    noise = random.Random(7)
    (tmp_path / "noise.txt").write_bytes(bytes(noise.randrange(256) for _ in range(4096)))
    articles, errors, _ = read_all(tmp_path / "noise.txt")
    assert articles == []
    assert len(errors) == 1 and errors[0].startswith(f"{tmp_path / 'noise.txt'}: binary file")


def test_right_to_left_and_tabs_are_text() -> None:
    assert not is_binary("وزير الخارجية الإيراني\tفي كاراكاس\n")
