"""A file of theme passages: read as written, and every bad cell named with its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.errors import ZichtError
from zicht.transcripts.passages import PassageRow, read_passages

HEADER = "conversation_id,message,start,end,theme,quote\n"


def test_rows_are_read_as_written_also_from_a_semicolon_file(tmp_path: Path) -> None:
    path = tmp_path / "themes.csv"
    path.write_text(HEADER.replace(",", ";") + "C1;4;0;48;unnoticed;1\nC2;7;10;20;excuse;\n", "utf-8")
    assert read_passages(path) == [PassageRow(2, "C1", 4, 0, 48, "unnoticed", True), PassageRow(3, "C2", 7, 10, 20, "excuse", False)]


def test_a_bad_file_names_each_bad_cell_with_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "themes.csv"
    path.write_text(HEADER + "C1,4,0,48,unnoticed,1\nC2,vier,0,10,excuse,0\nC3,1,30,20,excuse,ja\n,1,0,5,,0\n", "utf-8")
    with pytest.raises(ZichtError) as refused:
        read_passages(path)
    message = str(refused.value)
    assert "3 bad row(s); no passage of the file was stored" in message
    for where in (f"{path}:3 [message]", f"{path}:4 [end]", f"{path}:4 [quote]", f"{path}:5 [conversation_id]", f"{path}:5 [theme]"):
        assert where in message
    assert f"{path}:2" not in message


def test_a_file_without_the_columns_says_which_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "themes.csv"
    path.write_text("conversation_id,theme\nC1,excuse\n", "utf-8")
    with pytest.raises(ZichtError, match=r":1 \[message,start,end,quote\]: missing column"):
        read_passages(path)


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), min_size=6, max_size=6))
def test_any_row_is_read_or_refused_never_a_traceback(tmp_path_factory: pytest.TempPathFactory, cells: list[str]) -> None:
    path = tmp_path_factory.mktemp("passages") / "themes.csv"
    path.write_text(HEADER + ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n", "utf-8")
    try:
        rows = read_passages(path)
    except ZichtError:
        return
    assert all(0 <= r.start < r.end and r.conversation_id and r.theme for r in rows)
