from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from zicht.codebook import load_codebook
from zicht.errors import ImportFailed
from zicht.synth import generate, write_corpus
from zicht.transcripts import write_chats

CHANNELS = ("fier", "csg")


def _state() -> tuple[int, ...]:
    from zicht.store import models

    return tuple(
        m.objects.count()
        for m in (
            models.ImportedFile,
            models.Conversation,
            models.Message,
            models.Case,
            models.Code,
        )
    )


def _chats(tmp_path: Path, name: str, seed: int) -> Path:
    corpus = generate(2020, seed)
    path = tmp_path / name
    prefix = f"S{seed}-"
    renamed = [c.__class__(prefix + c.id, c.username, c.channel, c.started_at, c.flagged, c.messages) for c in corpus.conversations[:30]]
    write_chats(renamed, path)
    return path


def _everything_stored(directory: Path) -> bytes:
    """The database as an attacker with a copy would read it: the SQLite files, or every row of every PostgreSQL table."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return b"".join(p.read_bytes() for p in directory.glob("zicht.sqlite3*"))
    with connection.cursor() as cursor:
        rows = []
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" t')
            rows += [r for (r,) in cursor.fetchall()]
    return "\n".join(rows).encode()


def test_import_stores_pseudonyms_never_usernames(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.store.importing import import_chats

    directory, secret = project
    path = _chats(tmp_path, "chats.jsonl", 11)
    result = import_chats(path, secret, CHANNELS)
    assert result.stored == 30
    usernames = [json.loads(line)["username"] for line in path.read_text("utf-8").splitlines()]
    raw = _everything_stored(directory)
    assert not [u for u in usernames if u.encode() in raw]


def test_no_clear_text_phone_number_handle_or_email_reaches_the_store(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.store import models
    from zicht.store.importing import import_chats

    directory, secret = project
    corpus = generate(2019, 5)
    path = tmp_path / "identifiers.jsonl"
    write_chats([c.__class__("ID-" + c.id, c.username, c.channel, c.started_at, c.flagged, c.messages) for c in corpus.conversations], path)
    import_chats(path, secret, CHANNELS)
    planted = [i["value"] for t in corpus.truth for i in t["identifiers"] if i["kind"] in ("phone", "handle")]
    assert len(planted) > 50
    raw = _everything_stored(directory)
    assert not [value for value in planted if value.encode() in raw]
    texts = models.Message.objects.filter(conversation__external_id__startswith="ID-").values_list("text", flat=True)
    tokens = sum("[phone-" in text for text in texts)
    assert tokens > 20, "the identifiers are there as keyed tokens, for linkage"


def test_reimporting_the_same_file_is_a_no_op(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.store.importing import import_chats

    path = _chats(tmp_path, "again.jsonl", 12)
    import_chats(path, project[1], CHANNELS)
    before = _state()
    assert import_chats(path, project[1], CHANNELS).already_imported
    assert _state() == before


BAD_LINES = {
    "bad json": b"{oops",
    "missing field": json.dumps({"id": "B1", "channel": "fier", "started_at": "2020-01-01T10:00:00", "messages": []}).encode(),
    "unknown channel": json.dumps(
        {
            "id": "B2",
            "username": "u",
            "channel": "icq",
            "started_at": "2020-01-01T10:00:00",
            "messages": [],
        }
    ).encode(),
    "undecodable": b'{"id": "B3", "username": "\x81\xff", "channel": "fier", "started_at": "2020-01-01T10:00:00", "messages": []}',
}


@pytest.mark.parametrize("case", BAD_LINES)
def test_one_bad_record_fails_the_file_and_stores_nothing(project: tuple[Path, bytes], tmp_path: Path, case: str) -> None:
    from zicht.store.importing import import_chats

    path = _chats(tmp_path, "mixed.jsonl", 13)
    data = path.read_bytes().replace("é".encode(), b"e")
    path.write_bytes(data + BAD_LINES[case] + b"\n")
    before = _state()
    with pytest.raises(ImportFailed) as e:
        import_chats(path, project[1], CHANNELS)
    assert _state() == before
    assert f"{path}:31" in str(e.value)
    assert "nothing of the file was stored" in str(e.value)


def test_a_duplicate_id_across_files_fails_the_second_file(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.store.importing import import_chats

    first = _chats(tmp_path, "first.jsonl", 14)
    import_chats(first, project[1], CHANNELS)
    second = tmp_path / "second.csv"
    corpus_line = json.loads(first.read_text("utf-8").splitlines()[0])
    second.write_text(first.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    second = second.rename(tmp_path / "second.jsonl")
    before = _state()
    with pytest.raises(ImportFailed) as e:
        import_chats(second, project[1], CHANNELS)
    assert f"{corpus_line['id']!r} was already imported from first.jsonl" in str(e.value)
    assert _state() == before


def test_skip_bad_stores_the_good_and_writes_the_rejects(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.store.importing import import_chats

    path = _chats(tmp_path, "skip.jsonl", 15)
    path.write_bytes(path.read_bytes() + BAD_LINES["bad json"] + b"\n")
    before = _state()
    result = import_chats(path, project[1], CHANNELS, skip_bad=True)
    assert result.stored == 30
    assert _state()[1] == before[1] + 30
    assert result.rejects_file is not None
    rejects = result.rejects_file.read_text("utf-8").splitlines()
    assert rejects[1].startswith(f"{path},31,,not valid JSON")


def test_a_crash_mid_import_leaves_the_store_as_before(
    project: tuple[Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zicht.store import importing

    path = _chats(tmp_path, "crash.jsonl", 16)
    monkeypatch.setattr(importing, "BATCH", 10)
    calls = []
    real = importing._store_conversations

    def crash(*args: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "_store_conversations", crash)
    before = _state()
    with pytest.raises(KeyboardInterrupt):
        importing.import_chats(path, project[1], CHANNELS)
    assert _state() == before


def test_coded_cases_round_trip_through_the_store_csv_and_sav(project: tuple[Path, bytes], tmp_path: Path) -> None:
    import pyreadstat

    from zicht.store.importing import import_chats, import_coded
    from zicht.store.queries import coded_cases
    from zicht.transcripts import read_coded, write_coded_sav

    codebook = load_codebook("nl-2020")
    paths = write_corpus(generate(2019, 5).part(330, "RT-"), tmp_path)
    import_chats(paths["chats"], project[1], CHANNELS)
    result = import_coded(paths["coded"], codebook)
    assert result.stored == 330
    stored = {c.visitor_id: c for c in coded_cases(codebook, 2019) if c.visitor_id.startswith("RT-")}
    written = {c.visitor_id: c for _, c in (i for i in read_coded(paths["coded"], codebook))}  # type: ignore[misc]
    assert stored == written
    sav = tmp_path / "cases.sav"
    write_coded_sav(stored.values(), codebook, sav)
    back = {c.visitor_id: c for _, c in (i for i in read_coded(sav, codebook))}  # type: ignore[misc]
    assert back == stored
    _, meta = pyreadstat.read_sav(str(sav), metadataonly=True)
    assert meta.column_names_to_labels["coercion.violence"] == "Dwangmiddelen: Geweld"
    assert meta.variable_value_labels["visitor_role"][1] == "Slachtoffer"


def test_a_coded_file_with_an_unknown_category_stores_nothing(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.store.importing import import_coded

    codebook = load_codebook("nl-2020")
    paths = write_corpus(generate(2020, 6), tmp_path)
    text = paths["coded"].read_text("utf-8").replace(",partner,", ",boyfriend,", 1)
    bad = tmp_path / "bad-coded.csv"
    bad.write_text(text, "utf-8")
    before = _state()
    with pytest.raises(ImportFailed) as e:
        import_coded(bad, codebook)
    assert "unknown category 'boyfriend'" in str(e.value)
    assert _state() == before


def test_the_database_has_no_raw_usernames_column(project: tuple[Path, bytes]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "store_conversation")]
    assert "username" not in columns and "pseudonym" in columns


def test_a_second_project_in_the_same_process_is_refused_not_silently_mixed(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.errors import ProjectError
    from zicht.store.project import init_project

    with pytest.raises(ProjectError, match="one project per process"):
        init_project(tmp_path / "other")


def test_a_coded_row_naming_a_conversation_the_project_lacks_or_one_in_another_case_is_refused(
    project: tuple[Path, bytes], tmp_path: Path
) -> None:
    from zicht.store.importing import import_chats, import_coded
    from zicht.transcripts import write_coded_csv

    codebook = load_codebook("nl-2020")
    year = generate(2020, 9).part(6, "ONE-")
    paths = write_corpus(year, tmp_path)
    import_chats(paths["chats"], project[1], CHANNELS)
    twice = [*year.cases[:3], dataclasses.replace(year.cases[0], visitor_id="ONE-again")]
    unknown = [dataclasses.replace(year.cases[4], conversation_ids=("ONE-C-nowhere",))]
    write_coded_csv(twice + unknown, codebook, tmp_path / "bad.csv")
    before = _state()
    with pytest.raises(ImportFailed) as e:
        import_coded(tmp_path / "bad.csv", codebook)
    message = str(e.value)
    assert "bad.csv:5 [conversation_ids]" in message and f"is also in visitor {year.cases[0].visitor_id!r} on line 2" in message
    assert "bad.csv:6 [conversation_ids]: conversation 'ONE-C-nowhere' is not in the project: import its chats first" in message
    assert _state() == before

    import_coded(paths["coded"], codebook)
    write_coded_csv([dataclasses.replace(year.cases[1], visitor_id="ONE-other")], codebook, tmp_path / "again.csv")
    with pytest.raises(ImportFailed, match=rf"already in case '{year.cases[1].visitor_id}' \(imported from coded-2020.csv\)"):
        import_coded(tmp_path / "again.csv", codebook)


def test_after_skip_bad_the_corrected_file_stores_the_corrected_rows(project: tuple[Path, bytes], tmp_path: Path) -> None:
    """The researcher fixes the two bad rows in the file itself and imports it again: the project gets those two,
    and the rows it holds already as they are stay (no refusal for each of them)."""
    import csv

    from zicht.store.importing import import_chats, import_coded

    codebook = load_codebook("nl-2020")
    paths = write_corpus(generate(2019, 8).part(40, "SB-"), tmp_path)
    import_chats(paths["chats"], project[1], CHANNELS)
    rows = list(csv.reader(paths["coded"].open(encoding="utf-8", newline="")))

    def saved(name: str, change: dict[int, tuple[str, str]]) -> Path:
        out = tmp_path / name
        edited = [[change[i][1] if i in change and column == change[i][0] else cell for column, cell in zip(rows[0], row, strict=True)]
                  for i, row in enumerate(rows)]  # fmt: skip
        with out.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(edited)
        return out

    first = import_coded(saved("with-mistakes.csv", {3: ("victim_age", "zestien"), 7: ("channel", "telefoon")}), codebook, skip_bad=True)
    assert (first.stored, len(first.rejected)) == (38, 2)
    second = import_coded(saved("corrected.csv", {}), codebook)
    assert (second.stored, second.unchanged, second.rejected) == (2, 38, [])
    with pytest.raises(ImportFailed) as refused:
        import_coded(saved("changed.csv", {5: ("victim_age", "44")}), codebook)
    assert "is already a case from with-mistakes.csv" in str(refused.value), "a row that differs from the stored case is not taken"
