"""The same linkage on Spark (local mode) gives the same visitors as on DuckDB."""

from __future__ import annotations

from reading.test_profile import SECRET
from zicht.linkage.match import link
from zicht.reading import profile
from zicht.synth import generate


def _visitors(clusters: dict[str, str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for conversation, cluster in clusters.items():
        groups.setdefault(cluster, []).append(conversation)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def test_duckdb_and_spark_give_the_same_clusters() -> None:
    profiles = [profile(c, SECRET) for c in generate(2020, 0).conversations[:150]]
    on_duckdb = _visitors(link(profiles).clusters)
    on_spark = _visitors(link(profiles, engine="spark").clusters)
    assert len(on_duckdb) >= 3, "the input has duplicates to find"
    assert on_spark == on_duckdb
