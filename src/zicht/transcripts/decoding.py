"""Text lines from export files as they really come: UTF-8, UTF-8 with a BOM, or cp1252."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

LONGEST_LINE = 16 << 20  # bytes; no export has a longer line, and a reader never holds more of one


class Undecodable(str):
    """A line the readers cannot read; they report it with `reason`."""

    reason = "undecodable bytes: neither UTF-8 nor cp1252"


class TooLong(Undecodable):
    reason = f"line longer than {LONGEST_LINE >> 20} MB (not an export, or its lines were joined)"


class HoldsNul(Undecodable):
    """No database stores a NUL character in text (PostgreSQL refuses it), and no export writes one."""

    reason = "a NUL character (byte 0): binary data, or a file saved as UTF-16, not a text export"


def _lines(f: BinaryIO) -> Iterator[bytes]:
    """Raw lines, but never more than LONGEST_LINE bytes of one: the rest of a longer line is skipped."""
    while raw := f.readline(LONGEST_LINE + 1):
        if len(raw) > LONGEST_LINE and not raw.endswith(b"\n"):
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield b""  # stands for the line, which is refused
            continue
        yield raw


def sniff_encoding(path: Path) -> str:
    """utf-8-sig, unless the file has bytes that are not UTF-8 and no UTF-8 beyond ASCII."""
    utf8_text = invalid = False
    with path.open("rb") as f:
        for raw in _lines(f):
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
        for number, raw in enumerate(_lines(f), start=1):
            if not raw:
                yield number, TooLong("")
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8" if encoding == "utf-8-sig" else encoding)
            except UnicodeDecodeError:
                yield number, Undecodable(raw.decode(encoding, errors="replace"))
                continue
            yield number, HoldsNul(text) if "\0" in text else text.rstrip("\r\n")


def csv_delimiter(path: Path) -> str:
    """The separator the header row uses: a comma, the semicolon Dutch Excel saves with, or a tab."""
    header = next((text for _, text in read_lines(path) if not isinstance(text, Undecodable)), "")
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def csv_lines(path: Path, undecodable: dict[int, str]) -> Iterator[str]:
    """Lines for `csv.reader`, noting in `undecodable` the numbers of lines it cannot read, and why."""
    for number, text in read_lines(path):
        if isinstance(text, Undecodable):
            undecodable[number] = text.reason
        yield text + "\n"
