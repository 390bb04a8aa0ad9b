"""The coded-cases exchange formats: CSV and SPSS `.sav`, one row per unique visitor.

Columns: `visitor_id`, an optional `conversation_ids` (`;`-separated), then the codebook's
columns (`zicht.codebook.values`). In `.sav`, a `one` variable is numbered 1..k in codebook
order with value labels, `many` variables are 0/1 dichotomies, and *not coded yet* is the
user-missing value -9 ("niet gecodeerd"); an empty cell is system-missing; a month is an SPSS
date on its first day. Read, a `one` column may also be a string of category ids, and a month
an SPSS date (its day is dropped). Columns named `counted_...` or `in_...` that the codebook
does not name are what the report's counting rules made of the codes (`zicht.analysis.counted`):
written beside the codes, skipped when read.
"""

from __future__ import annotations

import csv
import datetime as dt
import faulthandler
import os
import signal
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, cast

from zicht.codebook import NOT_CODED, NOT_CODED_MARK, Codebook, CodedCase, Variable, columns, from_row, to_row
from zicht.codebook.values import format_value, variable_columns
from zicht.errors import Problem, ZichtError
from zicht.transcripts import csvsafe
from zicht.transcripts.decoding import HoldsNul, csv_delimiter, csv_lines

ID_COLUMNS = ("visitor_id", "conversation_ids")
DERIVED_PREFIXES = ("counted_", "in_")
SAV_NOT_CODED = -9
SPSS_DAY_ZERO = dt.date(1582, 10, 14)  # an SPSS date is the seconds since
CodedItem = tuple[int, CodedCase] | Problem
_CELLS = "\0cells"
_BROKEN = "\0broken"  # a row the file's bytes or CSV quoting make unreadable; the value is why
_TWICE = "\0twice"  # in the header row: the columns the header names more than once
_BAD = "\0bad:"  # before a column: that cell of a .sav row is not a code; the value is why


def read_coded(path: Path, codebook: Codebook, columns_map: Mapping[str, str] | None = None) -> Iterator[CodedItem]:
    """Every coded case of a CSV or .sav file, with its line (row) number, or a Problem.

    `columns_map`: the file's own column names as the codebook's (`read_columns_map`), for a file
    with Dutch variable names (`geslacht: victim_gender`).
    """
    renamed = dict(columns_map or {})
    own = {ours: f"{theirs} ({ours})" for theirs, ours in renamed.items()}  # a problem names the file's column
    rows = _sav_rows(path, codebook, renamed) if path.suffix.lower() == ".sav" else _csv_rows(path, renamed)
    expected = columns(codebook)
    seen: dict[str, int] = {}
    for number, row in rows:
        if number == 0:  # the header row
            twice = [c for c in row.pop(_TWICE, "").split(",") if c]
            unknown = [c for c in row if c not in expected and c not in ID_COLUMNS and not c.startswith(DERIVED_PREFIXES)]
            missing = [c for c in ["visitor_id", *expected] if c not in row]
            if unknown or missing or twice:
                reason = "; ".join(
                    part for part in (
                        f"unknown column(s) {', '.join(unknown)} (a file with its own names for the codebook's columns "
                        "is read with a columns map: zicht import --columns MAP.yaml)" if unknown else "",
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
            yield from (Problem(str(path), number, own.get(col, col), why) for col, why in problems)
            continue
        conversation_ids = tuple(c for c in (row.get("conversation_ids") or "").split(";") if c.strip())
        yield number, CodedCase(visitor_id, codebook.id, values, conversation_ids)


def read_columns_map(path: Path, codebook: Codebook) -> dict[str, str]:
    """A YAML file of `the file's column: the codebook's column`, checked against the codebook; every problem with its place."""
    from zicht.knowledge.read import Reader, parse

    known = {*ID_COLUMNS, *columns(codebook)}

    def compile_(reader: Reader, raw: dict[str, Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        for own, ours in raw.items():
            if not isinstance(ours, str) or ours not in known:
                reader.problem(str(own), f"{ours!r} is no column of codebook {codebook.id} (e.g. victim_gender, form.sexual, visitor_id)")
            elif ours in out.values():
                reader.problem(str(own), f"{ours!r} is named for two columns of the file")
            else:
                out[str(own)] = ours
        return out

    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ZichtError(f"{path}: cannot read the columns map ({e})") from None
    return parse(text, str(path), compile_)


def _csv_rows(path: Path, renamed: Mapping[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    undecodable: dict[int, str] = {}
    reader = csv.reader(csv_lines(path, undecodable), delimiter=csv_delimiter(path))
    try:
        header = [renamed.get(c, c) for c in next(reader, [])]
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

    chunks: Iterator[tuple[Any, Any]] = pyreadstat.read_file_in_chunks(
        pyreadstat.read_sav, str(path), chunksize=5000, user_missing=True, extra_date_formats=["MOYR", "QYR"]
    )  # a month as SPSS shows one ("NOV 2017") is a date too
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


def _sav_rows(path: Path, codebook: Codebook, renamed: Mapping[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
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
            yield 0, dict.fromkeys((renamed.get(str(c), str(c)) for c in frame.columns), "")
            header_done = True
        for record in frame.to_dict("records"):
            number += 1
            yield number, _sav_to_cells({renamed.get(str(k), str(k)): v for k, v in record.items()}, codebook)


def _sav_to_cells(record: dict[str, Any], codebook: Codebook) -> dict[str, str]:
    cells = {k: _cell(v) for k, v in record.items()}
    for variable in codebook:
        for col in variable_columns(variable):
            if cells.get(col) == str(SAV_NOT_CODED) or (variable.type in ("date", "month") and cells.get(col, "")[:4] == "1582"):
                cells[col] = NOT_CODED_MARK  # in a date column, -9 is 9 seconds before SPSS's day 0, 14 October 1582
            elif variable.type == "one" and cells.get(col):
                cells[col], why = _category(variable, cells[col])
                if why:
                    cells[_BAD + col] = why
            elif variable.type == "month" and hasattr(record.get(col), "isoformat") and len(cells[col]) == 10:
                cells[col] = cells[col][:7]  # an SPSS date (YYYY-MM-DD, not NaT): its month
    return cells | {_BAD + col: HoldsNul.reason for col, cell in cells.items() if "\0" in cell}


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


class SavColumn(Protocol):
    """A column written beside the codes: a name, its label, one value per case (None: empty), and how SPSS should treat it."""

    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def values(self) -> list[int | None]: ...
    @property
    def value_labels(self) -> dict[int, str]: ...
    @property
    def level(self) -> Literal["nominal", "ordinal", "scale"]: ...


def write_coded_sav(cases: Iterable[CodedCase], codebook: Codebook, path: Path, beside: Sequence[SavColumn] = ()) -> int:
    """An SPSS file with variable and value labels from the codebook, integer formats and measurement levels.

    `beside`: further columns, one value per case in the same order (the report's counting rules).
    """
    import pandas as pd
    import pyreadstat

    records = [_sav_record(case, codebook) for case in cases]
    header = [*ID_COLUMNS, *columns(codebook)]
    frame = pd.DataFrame.from_records(records, columns=header)
    labels, value_labels, numeric = cast(tuple[Any, Any, list[str]], _sav_labels(codebook))
    levels: dict[str, str] = dict(_sav_levels(codebook))
    for name in numeric:  # numeric even where every cell is empty
        frame[name] = pd.to_numeric(frame[name]).astype("float64")
    # "niet gecodeerd" is declared where a column holds it: a label for a value no cell holds
    # would only widen the column's format
    missing: dict[str, list[Any]] = {c: [SAV_NOT_CODED] for c in numeric if (frame[c] == SAV_NOT_CODED).any()}
    for name in missing:
        value_labels.setdefault(name, {})[SAV_NOT_CODED] = "niet gecodeerd"
    for column in beside:
        if len(column.values) != len(records):
            raise ValueError(f"{column.name}: {len(column.values)} values for {len(records)} cases")
        frame[column.name] = pd.Series(column.values, dtype="float64")
        labels[column.name] = column.label
        value_labels[column.name] = column.value_labels
        levels[column.name] = column.level
    formats = {c: _integer_format(frame[c]) for c in [*numeric, *(column.name for column in beside)]}
    formats |= {c: "MOYR8" if v.type == "month" else "DATE11" for v in codebook if v.type in ("date", "month") for c in variable_columns(v)}
    pyreadstat.write_sav(
        frame, str(path), column_labels=labels, variable_value_labels=value_labels,
        missing_ranges=missing, variable_display_width={"conversation_ids": 40},
        variable_measure=levels, variable_format=formats,
    )  # fmt: skip
    return len(records)


def _sav_levels(codebook: Codebook) -> dict[str, Literal["nominal", "ordinal", "scale"]]:
    """Nominal for categories, ordinal for categories that are stretches of time, scale for numbers and dates."""
    levels: dict[str, Literal["nominal", "ordinal", "scale"]] = {"visitor_id": "nominal", "conversation_ids": "nominal"}
    for variable in codebook:
        ordered = variable.type == "one" and all(c.min_years is not None for c in variable.categories)
        level: Literal["nominal", "ordinal", "scale"] = (
            "scale" if variable.type in ("integer", "date", "month") else "ordinal" if ordered else "nominal"
        )
        levels |= dict.fromkeys(variable_columns(variable), level)
    return levels


def _integer_format(values: Any) -> str:
    """F<w>.0, just wide enough for every value the column holds ("-9" for not coded needs two)."""
    numbers = [int(v) for v in values if isinstance(v, int | float) and v == v]
    return f"F{max([1, *(len(str(n)) for n in numbers)])}.0"


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
            if value is NOT_CODED:
                record[col] = SAV_NOT_CODED
            elif not text:
                record[col] = None
            elif variable.type == "one":
                record[col] = variable.category_ids.index(text) + 1
            elif variable.type in ("date", "month") and isinstance(value, dt.date):
                record[col] = (value - SPSS_DAY_ZERO).days * 86400
            else:
                record[col] = int(text)
    return record


def _sav_labels(codebook: Codebook) -> tuple[dict[str, str], dict[str, dict[int, str]], list[str]]:
    """Variable and value labels, and the columns that hold numbers (all but the ids: codes, 0/1, integers, dates)."""
    labels = {"visitor_id": "Unieke bezoeker", "conversation_ids": "Chatgesprekken"}
    value_labels: dict[str, dict[int, str]] = {}
    numeric: list[str] = []
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
            numeric.append(col)
    return labels, value_labels, numeric
