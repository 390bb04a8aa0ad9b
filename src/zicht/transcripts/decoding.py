"""Text lines from export files as they really come: UTF-8, UTF-8 with a BOM, or cp1252."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


class Undecodable(str):
    """A line whose bytes are neither valid UTF-8 nor cp1252; readers report it."""


def sniff_encoding(path: Path) -> str:
    """utf-8-sig, unless the file has bytes that are not UTF-8 and no UTF-8 beyond ASCII."""
    utf8_text = invalid = False
    with path.open("rb") as f:
        for raw in f:
            if raw.isascii():
                continue
            try:
                raw.decode("utf-8")
                utf8_text = True
            except UnicodeDecodeError:
                invalid = True
            if utf8_text and invalid:
                break
    return "cp1252" if invalid and not utf8_text else "utf-8-sig"


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text without line end), streaming; bad bytes give an `Undecodable`."""
    encoding = sniff_encoding(path)
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8" if encoding == "utf-8-sig" else encoding)
            except UnicodeDecodeError:
                yield number, Undecodable(raw.decode(encoding, errors="replace"))
                continue
            yield number, text.rstrip("\r\n")


def csv_lines(path: Path, undecodable: set[int]) -> Iterator[str]:
    """Lines for `csv.reader`, noting in `undecodable` the numbers of lines with bad bytes."""
    for number, text in read_lines(path):
        if isinstance(text, Undecodable):
            undecodable.add(number)
        yield text + "\n"
