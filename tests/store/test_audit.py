"""The CSV files zicht writes open in a spreadsheet as text: a cell that would run as a formula is escaped.

The audit trail (a username, a reason, an imported chat id), the coded cases (report/cases.csv,
`zicht export`) and an import's rejects file; read back as a spreadsheet or csv.reader reads them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

FORMULAS = ['=HYPERLINK("http://x","klik")', "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "'=1+1"]
NUMBERS = ["-1", "-0.5", "-1e3", "12", "0"]
AT = dt.datetime(2020, 3, 1, 12, 0)


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _runs(cell: str) -> bool:
    """Would a spreadsheet run this cell as a formula? (A plain negative number is a number.)"""
    if cell[:1] == "-":
        try:
            float(cell)
        except ValueError:
            return True
        return False
    return cell[:1] in ("=", "+", "@", "\t", "\r")


def _audit_csv(*events: object) -> list[list[str]]:
    from zicht.store import audit

    return _read("".join(audit.csv_lines(events)))  # type: ignore[arg-type]


def test_the_audit_csv_escapes_formulas_in_names_ids_and_codes_but_not_numbers(project: tuple[Path, bytes]) -> None:
    from zicht.store import audit

    events = [audit.event(text, "remove_case", case=text, variable=text, new=text, at=AT) for text in FORMULAS]
    events += [audit.event("anna", "code", "V-1", "victim_age", old={"state": "coded", "value": n}, new=n, at=AT) for n in NUMBERS]
    header, *rows = _audit_csv(*events)
    assert header == audit.COLUMNS
    for text, row in zip(FORMULAS, rows, strict=False):
        assert [row[1], row[3], row[4], row[6]] == ["'" + text] * 4  # user, case, variable, new
    assert [row[5:] for row in rows[len(FORMULAS) :]] == [[n, n] for n in NUMBERS]  # a number stays a number
    assert not any(_runs(cell) for row in rows for cell in row)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_no_audit_cell_runs_as_a_formula_or_begins_a_row_and_each_reads_back_as_written(project: tuple[Path, bytes], text: str) -> None:
    from zicht.store import audit
    from zicht.transcripts.csvsafe import unescaped

    [_, row] = _audit_csv(audit.event(text, "import", case=text, new=text, at=AT))
    for cell in (row[1], row[3], row[6]):
        assert not _runs(cell)
        assert cell in (text, "'" + text) and unescaped(cell) == text


def test_cases_csv_escapes_an_imported_id_and_reads_it_back_unchanged(tmp_path: Path) -> None:
    from zicht.codebook import CodedCase, load_codebook
    from zicht.transcripts import read_coded, write_coded_csv

    book = load_codebook("nl-2020")
    cases = [CodedCase(text, book.id, {}, (text, "C-2")) for text in FORMULAS[:4]]
    path = tmp_path / "cases.csv"
    write_coded_csv(cases, book, path)
    _, *rows = _read(path.read_text("utf-8"))
    assert [(r[0], r[1]) for r in rows] == [("'" + t, "'" + t + ";C-2") for t in FORMULAS[:4]]
    assert not any(_runs(cell) for row in rows for cell in row)
    back = [item for item in read_coded(path, book) if isinstance(item, tuple)]
    assert [(c.visitor_id, c.conversation_ids) for _, c in back] == [(t, (t, "C-2")) for t in FORMULAS[:4]]


@pytest.mark.usefixtures("project")  # the store's module needs the store set up, whichever test runs first
def test_an_import_rejects_file_escapes_what_it_quotes_from_the_file(tmp_path: Path) -> None:
    from zicht.errors import Problem
    from zicht.store.importing import write_rejects

    problems = [Problem("=x.csv", 3, "@id", "-1 is geen id"), Problem("chats.csv", 4, "id", "=cmd|'/C calc'!A0")]
    out = write_rejects(tmp_path / "chats.csv", problems)
    header, *rows = _read(out.read_text("utf-8"))
    assert header == ["file", "line", "field", "reason"]
    assert rows == [
        ["'=x.csv", "3", "'@id", "'-1 is geen id"],
        ["chats.csv", "4", "id", "'=cmd|'/C calc'!A0"],
    ]
