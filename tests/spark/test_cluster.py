"""A real Spark standalone cluster on loopback (a master and two workers, each its own process): the
core's functions give there what they give on one machine, and so does the linkage on Splink's Spark backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reading.test_profile import SECRET
from zicht.codebook import load_codebook
from zicht.coding.screen import screen
from zicht.coding.suggest import suggest
from zicht.linkage.match import link
from zicht.reading import lean, profile
from zicht.spark import jobs
from zicht.spark.cluster import session, standalone
from zicht.synth import generate
from zicht.transcripts import write_chats

pytestmark = pytest.mark.long  # a minute or more: handed to a worker first (tests/conftest.py)

CHANNELS = ("fier", "csg")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    with standalone(workers=2, cores=1, memory="1g") as master:
        on_cluster = session(master, executor_memory="768m", partitions=2)  # one a core: Splink runs many small queries
        yield on_cluster
        on_cluster.stop()


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    corpus = generate(2020, 0)
    about = {t["conversation_id"] for t in corpus.truth if t.get("about_trafficking")}
    unflagged = [c for c in corpus.conversations if not c.flagged]
    chats = [*corpus.flagged[:120], *unflagged[:50], *[c for c in unflagged if c.id in about][:10]]  # both kinds, missed ones too
    path = tmp_path_factory.mktemp("export") / "chats.jsonl"
    write_chats(chats, path)
    path.write_text(path.read_text("utf-8") + "{not a conversation}\n", "utf-8")
    return path, chats


def test_the_session_is_the_clusters_and_its_two_workers_run_the_parts(spark: Any, export: tuple[Path, list[Any]]) -> None:
    assert spark.sparkContext.master.startswith("spark://127.0.0.1:")
    path, chats = export
    read = jobs.chats(spark, str(path), CHANNELS, partitions=4)
    where = read.conversations.mapPartitions(lambda part: [__import__("os").getpid()] if list(part) else []).collect()
    assert len(set(where)) >= 2, "the parts were read by more than one executor"
    assert sorted(c.id for c in read.conversations.collect()) == sorted(c.id for c in chats)
    assert read.bad_lines() == 1, "the line that is no conversation is counted, not read"


def test_screening_on_the_cluster_gives_each_chat_the_chance_it_gets_here(spark: Any, export: tuple[Path, list[Any]]) -> None:
    path, chats = export
    there = {s.conversation_id: s for s in jobs.screened(jobs.chats(spark, str(path), CHANNELS).conversations, SECRET).collect()}
    here = {s.conversation_id: s for s in screen(chats, SECRET)}
    assert there == here
    assert any(s.missed for s in here.values()), "some unflagged chat is listed: the comparison is not all zeros"


def test_profiles_and_suggestions_on_the_cluster_are_those_made_here(spark: Any, export: tuple[Path, list[Any]]) -> None:
    path, chats = export
    conversations = jobs.chats(spark, str(path), CHANNELS).conversations
    there = {p.conversation_id: p for p in jobs.profiles(conversations, SECRET).collect()}
    assert there == {c.id: lean(profile(c, SECRET)) for c in chats}
    book = load_codebook("nl-2020")
    suggested = dict(jobs.suggested(conversations.filter(lambda c: c.flagged), "nl-2020", SECRET).collect())
    assert suggested == {c.id: suggest([c], book, SECRET) for c in chats if c.flagged}


def test_splink_on_the_cluster_finds_the_visitors_duckdb_finds(spark: Any) -> None:
    profiles = [profile(c, SECRET) for c in generate(2020, 0).conversations[:150]]
    on_duckdb = _visitors(link(profiles).clusters)
    on_spark = _visitors(link(profiles, engine="spark").clusters)
    assert len(on_duckdb) >= 3, "the input has duplicates to find"
    assert on_spark == on_duckdb


def _visitors(clusters: dict[str, str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for conversation, cluster in clusters.items():
        groups.setdefault(cluster, []).append(conversation)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)
