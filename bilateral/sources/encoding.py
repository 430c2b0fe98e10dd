"""Turn a file's bytes into text: UTF-8 (BOM or not), UTF-16 with BOM, else a detected encoding."""

from __future__ import annotations

import codecs
import re

from bilateral.sources.problems import SourceError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_STRAY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.05
_MAX_CHAOS = 0.2


def bom_encoding(data: bytes) -> str | None:
    """Return the codec named by the byte-order mark that starts `data`, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def decode(data: bytes) -> tuple[str, str | None]:
    """Return the text of `data` and, when the encoding had to be guessed, its name; raise SourceError."""
    if not data.strip():
        raise SourceError("empty file", "give a file with an article in it")
    guessed: str | None = None
    named = bom_encoding(data)
    if named:
        try:
            text = data.decode(named)
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"invalid {named.removesuffix('-sig').upper()} at byte {exc.start}",
                "re-save the file as UTF-8",
            ) from None
    elif b"\x00" in data:
        raise SourceError("binary file (NUL bytes)", "give a text, JSONL, HTML or feed file")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            import charset_normalizer  # here, not at the top: only text that is not UTF-8 needs a guess

            best = charset_normalizer.from_bytes(data).best()
            if best is None or best.chaos > _MAX_CHAOS or best.coherence <= 0:
                raise SourceError(
                    f"invalid UTF-8 at byte {exc.start} and no other encoding gives readable text",
                    "re-save the file as UTF-8",
                ) from None
            text, guessed = str(best), best.encoding
    if is_binary(text):
        raise SourceError("binary file (control characters)", "give a text, JSONL, HTML or feed file")
    if not text.strip():
        raise SourceError("empty file", "give a file with an article in it")
    return text, guessed


def is_binary(text: str) -> bool:
    """Tell whether decoded text is mostly not text (too many control characters)."""
    sample = text[:65536]
    controls = sum(1 for c in sample if c < " " and c not in _ALLOWED_CONTROLS)
    return controls > _MAX_CONTROL_SHARE * len(sample)


def clean_text(text: str) -> str:
    """Remove control characters that are not white space and replace lone surrogates."""
    text = _STRAY_CONTROLS.sub("", text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text
