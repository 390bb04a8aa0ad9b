"""The coded-cases exchange formats: CSV and SPSS `.sav`, one row per unique visitor.

Columns: `visitor_id`, an optional `conversation_ids` (`;`-separated), then the codebook's
columns (`zicht.codebook.values`). In `.sav`, a `one` variable is numbered 1..k in codebook
order with value labels, `many` variables are 0/1 dichotomies, and *not coded yet* is the
user-missing value -9 ("niet gecodeerd"); an empty cell is system-missing. Read, a `one`
column may also be a string of category ids, and a month an SPSS date (its day is dropped).
"""

from __future__ import annotations

import csv
import faulthandler
import os
import signal
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from zicht.codebook import NOT_CODED, NOT_CODED_MARK, Codebook, CodedCase, Variable, columns, from_row, to_row
from zicht.codebook.values import format_value, variable_columns
from zicht.errors import Problem
from zicht.transcripts import csvsafe
from zicht.transcripts.decoding import csv_lines

ID_COLUMNS = ("visitor_id", "conversation_ids")
SAV_NOT_CODED = -9
CodedItem = tuple[int, CodedCase] | Problem
_CELLS = "\0cells"
_BROKEN = "\0broken"  # a row the file's bytes or CSV quoting make unreadable; the value is why
_TWICE = "\0twice"  # in the header row: the columns the header names more than once
_BAD = "\0bad:"  # before a column: that cell of a .sav row is not a code; the value is why


def read_coded(path: Path, codebook: Codebook) -> Iterator[CodedItem]:
    """Every coded case of a CSV or .sav file, with its line (row) number, or a Problem."""
    rows = _sav_rows(path, codebook) if path.suffix.lower() == ".sav" else _csv_rows(path)
    expected = columns(codebook)
    seen: dict[str, int] = {}
    for number, row in rows:
        if number == 0:  # the header row
            twice = [c for c in row.pop(_TWICE, "").split(",") if c]
            unknown = [c for c in row if c not in expected and c not in ID_COLUMNS]
            missing = [c for c in ["visitor_id", *expected] if c not in row]
            if unknown or missing or twice:
                reason = "; ".join(
                    part for part in (
                        f"unknown column(s) {', '.join(unknown)}" if unknown else "",
                        f"missing column(s) {', '.join(missing)} of codebook {codebook.id}" if missing else "",
                        f"column(s) {', '.join(twice)} named twice" if twice else "",
                    ) if part
                )  # fmt: skip
                yield Problem(str(path), 1, ",".join(unknown + missing + twice), reason)
                return
            continue
        if row.get(_CELLS):
            yield Problem(str(path), number, "", f"row has {row[_CELLS]} cells, not as many as the header")
            continue
        if row.get(_BROKEN):
            yield Problem(str(path), number, "", row[_BROKEN])
            continue
        visitor_id = (row.get("visitor_id") or "").strip()
        if not visitor_id:
            yield Problem(str(path), number, "visitor_id", "missing visitor_id")
            continue
        if visitor_id in seen:
            yield Problem(
                str(path),
                number,
                "visitor_id",
                f"duplicate id {visitor_id!r} (also on line {seen[visitor_id]})",
            )
            continue
        seen[visitor_id] = number
        values, found = from_row(codebook, row)
        problems = [(k.removeprefix(_BAD), why) for k, why in row.items() if k.startswith(_BAD)] + found
        if problems:
            yield from (Problem(str(path), number, col, why) for col, why in problems)
            continue
        conversation_ids = tuple(c for c in (row.get("conversation_ids") or "").split(";") if c.strip())
        yield number, CodedCase(visitor_id, codebook.id, values, conversation_ids)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    undecodable: dict[int, str] = {}
    reader = csv.reader(csv_lines(path, undecodable))
    try:
        header = next(reader, [])
        if 1 in undecodable:
            yield 1, {_BROKEN: f"header: {undecodable[1]}"}
            return
        twice = [c for i, c in enumerate(header) if c in header[:i]]
        yield 0, dict.fromkeys(header, "") | ({_TWICE: ",".join(dict.fromkeys(twice))} if twice else {})
        start = reader.line_num
        for cells in reader:
            line, start = start + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            row = dict(zip(header, map(csvsafe.unescaped, cells), strict=False))
            if len(cells) != len(header):
                row = {_CELLS: str(len(cells))}
            bad = [undecodable[n] for n in range(line, start + 1) if n in undecodable]
            if bad:
                row[_BROKEN] = bad[0]
            yield line, row
    except csv.Error as e:  # the rest of the file cannot be told apart into rows
        yield max(reader.line_num, 1), {_BROKEN: f"not readable as CSV from here on ({e})"}


def _sav_chunks(path: Path) -> Iterator[tuple[Any, Any]]:
    import pyreadstat

    chunks: Iterator[tuple[Any, Any]] = pyreadstat.read_file_in_chunks(pyreadstat.read_sav, str(path), chunksize=5000, user_missing=True)
    return chunks


def _sav_crashes(path: Path, seconds: float = 300) -> str | None:
    """Why the .sav reader cannot be trusted with this file, from a trial read in a forked child.

    ReadStat (C) crashes the whole process on some malformed files (found by fuzzing): a child
    that dies costs a problem, not the import. Forked, not spawned: the child starts in
    milliseconds with pyreadstat already loaded.
    """

    pid = os.fork()
    if pid == 0:  # the child: read it all, then leave without running any of the parent's cleanup
        faulthandler.disable()  # a crash here is expected, and reported by the parent
        code = 0
        try:
            for _ in _sav_chunks(path):
                pass
        except BaseException:
            code = 1
        os._exit(code)
    deadline = time.monotonic() + seconds
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return f"not a readable SPSS file (reading it did not finish in {seconds:.0f} s)"
        time.sleep(0.002)
    if os.WIFSIGNALED(done[1]):
        return f"not a readable SPSS file (the SPSS reader crashed on it: signal {os.WTERMSIG(done[1])})"
    return None


def _sav_rows(path: Path, codebook: Codebook) -> Iterator[tuple[int, dict[str, str]]]:
    import pyreadstat

    crash = _sav_crashes(path)
    if crash:
        yield 1, {_BROKEN: crash}
        return
    number = 1
    header_done = False
    chunks = _sav_chunks(path)
    while True:
        try:
            frame, _meta = next(chunks)
        except StopIteration:
            return
        except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeDecodeError, ValueError, OverflowError) as e:
            yield number + 1, {_BROKEN: f"not a readable SPSS file from here on ({e})"}
            return
        if not header_done:
            yield 0, dict.fromkeys(map(str, frame.columns), "")
            header_done = True
        for record in frame.to_dict("records"):
            number += 1
            yield number, _sav_to_cells({str(k): v for k, v in record.items()}, codebook)


def _sav_to_cells(record: dict[str, Any], codebook: Codebook) -> dict[str, str]:
    cells = {k: _cell(v) for k, v in record.items()}
    for variable in codebook:
        for col in variable_columns(variable):
            if cells.get(col) == str(SAV_NOT_CODED):
                cells[col] = NOT_CODED_MARK
            elif variable.type == "one" and cells.get(col):
                cells[col], why = _category(variable, cells[col])
                if why:
                    cells[_BAD + col] = why
            elif variable.type == "month" and hasattr(record.get(col), "isoformat") and len(cells[col]) == 10:
                cells[col] = cells[col][:7]  # an SPSS date (YYYY-MM-DD, not NaT): its month
    return cells


def _category(variable: Variable, cell: str) -> tuple[str, str]:
    """A `one` cell of a .sav: its code 1..k (or, in a string column, the category id), or why not.

    A cell that is no code stands as not coded for the rest of the row's checks, so that it
    gives one problem, not one for each variable that depends on it.
    """
    ids = variable.category_ids
    if cell in ids:
        return cell, ""
    try:
        code = float(cell)
    except ValueError:
        return cell, ""  # not a number: the codebook check names it an unknown category
    if code.is_integer() and 1 <= code <= len(ids):
        return ids[int(code) - 1], ""
    return NOT_CODED_MARK, f"expected a code 1-{len(ids)}, got {cell}"


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def write_coded_csv(cases: Iterable[CodedCase], codebook: Codebook, path: Path) -> int:
    """Cases as CSV. An id a spreadsheet would run as a formula is escaped (`csvsafe`); `read_coded` undoes that."""
    header = [*ID_COLUMNS, *columns(codebook)]
    n = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header, lineterminator="\n")
        writer.writeheader()
        for case in cases:
            row = {
                "visitor_id": case.visitor_id,
                "conversation_ids": ";".join(case.conversation_ids),
            }
            writer.writerow({k: csvsafe.cell(v) for k, v in (row | to_row(codebook, case.values)).items()})
            n += 1
    return n


def write_coded_sav(cases: Iterable[CodedCase], codebook: Codebook, path: Path) -> int:
    """An SPSS file with variable and value labels from the codebook."""
    import pandas as pd
    import pyreadstat

    records = [_sav_record(case, codebook) for case in cases]
    header = [*ID_COLUMNS, *columns(codebook)]
    frame = pd.DataFrame.from_records(records, columns=header)
    labels, value_labels, missing = cast(tuple[Any, Any, Any], _sav_labels(codebook))
    for column in missing:  # numeric even where every cell is empty
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    pyreadstat.write_sav(
        frame, str(path), column_labels=labels, variable_value_labels=value_labels,
        missing_ranges=missing, variable_display_width={"conversation_ids": 40},
    )  # fmt: skip
    return len(records)


def _sav_record(case: CodedCase, codebook: Codebook) -> dict[str, Any]:
    record: dict[str, Any] = {
        "visitor_id": case.visitor_id,
        "conversation_ids": ";".join(case.conversation_ids),
    }
    for variable in codebook:
        value = case.values.get(variable.id)
        cells = format_value(variable, value) if value is not None else {}
        for col in variable_columns(variable):
            text = cells.get(col, "")
            if variable.type in ("month",):
                record[col] = text
            elif value is NOT_CODED:
                record[col] = SAV_NOT_CODED
            elif not text:
                record[col] = None
            elif variable.type == "one":
                record[col] = variable.category_ids.index(text) + 1
            elif variable.type == "date":
                record[col] = value
            else:
                record[col] = int(text)
    return record


def _sav_labels(
    codebook: Codebook,
) -> tuple[dict[str, str], dict[str, dict[int, str]], dict[str, list[int]]]:
    labels = {"visitor_id": "Unieke bezoeker", "conversation_ids": "Chatgesprekken"}
    value_labels: dict[str, dict[int, str]] = {}
    missing: dict[str, list[int]] = {}
    for variable in codebook:
        for col in variable_columns(variable):
            if variable.type == "many":
                category = variable.category(col.split(".", 1)[1])
                labels[col] = f"{variable.label}: {category.label}"
                value_labels[col] = {0: "Nee", 1: "Ja"}
            else:
                labels[col] = variable.label
            if variable.type == "one":
                value_labels[col] = {i + 1: c.label for i, c in enumerate(variable.categories)}
            elif variable.type == "flag":
                value_labels[col] = {0: "Nee", 1: "Ja"}
            if variable.type not in ("month", "date"):
                value_labels.setdefault(col, {})[SAV_NOT_CODED] = "niet gecodeerd"
                missing[col] = [SAV_NOT_CODED]
    return labels, value_labels, missing
