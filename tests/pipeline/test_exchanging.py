"""Who gets what in a QDA project file: the chats as the exporting account's role sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from zicht.codebook import load_codebook
from zicht.errors import ZichtError
from zicht.pipeline.exchanging import export_qdpx
from zicht.pipeline.project import Project


def test_a_reader_gets_no_project_file_and_a_name_without_an_account_is_no_reader(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.store.accounts import add_user, role_named

    lotte = add_user("lotte-leest", "fiets paraplu kompas 7", "reader")
    try:
        assert role_named("lotte-leest") is not None and role_named("niemand-hier") is None
        book = load_codebook("nl-2020")
        with pytest.raises(ZichtError, match="lotte-leest is a reader, who sees no chats"):
            export_qdpx(Project(project[0], project[1], book), tmp_path / "lotte.qdpx", book, None, "lotte-leest")
        assert not (tmp_path / "lotte.qdpx").exists(), "nothing written"
    finally:
        lotte.delete()  # the store is the process's: other tests count its accounts
