"""Probabilistic linkage of conversations to visitors with Splink (Fellegi-Sunter), trained without labels.

Each conversation's profile becomes a record. Splink compares pairs that share a block
(birth year, place, a name, an identifier, ...), weighs the evidence of every attribute
(a shared rare name says more than a common one: term-frequency adjustment), and clusters
the pairs above a threshold into visitors. Age is compared against the time between the
chats, so a visitor who had a birthday in between still agrees, and one who got younger does
not. The m-probabilities are priors (`data/model-nl.yaml`); u is estimated on the chats.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from zicht.knowledge.priors import linkage_priors
from zicht.linkage.review import Proposal, groups
from zicht.reading.profile import Profile, story_words

DEFAULT_THRESHOLD = 0.85  # pooled over 20 synthetic years: pairwise precision 0.981, recall 0.962 (bench_linkage.py)
Engine = Literal["duckdb", "spark"]
IDENTIFIER_KINDS = ("phone", "handle", "email")  # compared apart: a phone number and a handle never disagree
INTEGER_COLUMNS = ("age", "birth_year", "start_month", "chat_minute")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_YEAR = 525_960  # 365.25 days
RETURN_WINDOW_DAYS = 90  # a place named in two chats this close is worth comparing, gender or not
ARRAY_COLUMNS = ("perpetrator_names", "platforms", "distinctive_words", *(f"{kind}s" for kind in IDENTIFIER_KINDS))
DISTINCTIVE_SHARE = 0.03  # a word in at most this share of the chats is distinctive ("audi", "schorpioen")
EM_BLOCKS: list[tuple[str, ...]] = [("birth_year",), ("start_month",), ("perpetrator", "form")]


@dataclass(frozen=True)
class Linkage:
    """Scored pairs (with each comparison's level: the evidence) and the visitor of each conversation."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, match_weight, mw_* (each attribute's weight)
    clusters: dict[str, str]  # conversation id -> cluster id (the id of one of its conversations)
    threshold: float
    sampled: bool = False  # u was estimated on a sample of U_PAIRS pairs (seed U_SEED), not on every pair

    @property
    def how_u(self) -> str:
        if self.sampled:
            return f"u estimated on a random sample of {U_PAIRS:,} pairs (seed {U_SEED}: the same chats give the same result)"
        return "u estimated on every pair"


# u from random pairs of the project's chats: every pair up to U_PAIRS, a seeded sample beyond, so
# that linking the same chats again gives the same proposals (also in another project: the
# features compare keyed tokens only for equality, which no secret changes).
U_PAIRS = 2_000_000
U_SEED = 1
# Up to this many pairs u is counted in one pass over all of them: Splink's ten chunks (a query per
# comparison each, stopping once every level has a hundred pairs) bound the memory of a large
# project, and on Spark they cost minutes even for a hundred chats.
ONE_PASS_PAIRS = 20_000


def records(profiles: Sequence[Profile]) -> pd.DataFrame:
    """One row per conversation, as Splink reads it; empty lists become nulls (unknown, not 'none').
    Built a column at a time: a million rows as dictionaries would hold gigabytes for a moment."""
    priors = linkage_priors()
    columns: dict[str, list[Any]] = {
        "unique_id": [p.conversation_id for p in profiles],
        "helpline": [priors.helpline(p.channel) for p in profiles],
        "age": [p.age for p in profiles],
        "birth_year": [p.birth_year for p in profiles],
        "gender": [p.gender for p in profiles],
        "place": [p.place for p in profiles],
        "school": [p.school for p in profiles],
        "own_name": [p.own_name for p in profiles],
        "perpetrator_names": [p.perpetrator_names or None for p in profiles],
        "platforms": [sorted(p.platforms) or None for p in profiles],
        **{f"{kind}s": [_identifiers(p, kind) for p in profiles] for kind in IDENTIFIER_KINDS},
        "relation": [p.relation for p in profiles],
        "about_other": ["other" if p.about_other else "self" for p in profiles],
        "start_month": [p.start_month for p in profiles],
        "chat_minute": [int(p.started_at.timestamp()) // 60 for p in profiles],
        "returning": [p.returning for p in profiles],
        **{variable: [_fact(p, variable) for p in profiles] for variable in priors.facts},
        "distinctive_words": distinctive_words(profiles),
    }
    frame = pd.DataFrame(columns)
    for column in INTEGER_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame


def distinctive_words(profiles: Sequence[Profile]) -> list[list[str] | None]:
    """Per chat, the words few other chats use: the details that make a story one person's own.

    A word must occur in at least two chats (else it links nothing) and in at most
    DISTINCTIVE_SHARE of them. Words that always come together ("shisha lounge", "betaalt mijn
    eten en kleren") count as one detail, not as several.
    """
    stories = [story_words(p) for p in profiles]
    frequency: dict[str, int] = {}
    fingerprint: dict[str, int] = {}  # a hash of the set of chats a word occurs in
    for chat, found in enumerate(stories):
        mark = int.from_bytes(hashlib.blake2b(chat.to_bytes(8), digest_size=8).digest())
        for word in found:
            frequency[word] = frequency.get(word, 0) + 1
            fingerprint[word] = (fingerprint.get(word, 0) + mark) & 0xFFFFFFFFFFFFFFFF
    most = max(2, int(DISTINCTIVE_SHARE * len(profiles)))
    detail: dict[int, str] = {}  # one word stands for all with the same chats
    for word in sorted(frequency):
        detail.setdefault(fingerprint[word], word)
    return [sorted({detail[fingerprint[w]] for w in found if 2 <= frequency[w] <= most}) or None for found in stories]


def _identifiers(p: Profile, kind: str) -> list[str] | None:
    return sorted(i for i in p.identifiers if i.startswith(kind + "-")) or None


def _fact(p: Profile, variable: str) -> str | None:
    """What the chat tells of one codebook variable, as one value; not told is null (not 'no')."""
    told = p.facts.get(variable)
    return "+".join(sorted(told)) if told else None


def prior_match_probability(chats: int, helplines: Sequence[int] = ()) -> float:
    """The chance that two chats of one helpline picked at random are one visitor's: the share of chats
    from a returning visitor, spread over the pairs within each helpline (`helplines`: how many chats
    each holds; all in one if not given). It falls with the chats of a helpline (a fixed value would
    claim ever more returning visitors as a project grows), not with the helplines of a network."""
    sizes = helplines or (chats,)
    pairs = max(1, sum(n * (n - 1) // 2 for n in sizes))
    return min(0.5, linkage_priors().returning_share * max(chats, 2) / pairs)


def settings(chats: int, helplines: Sequence[int] = ()) -> Any:
    """The comparisons, with the prior m-probabilities of `data/model-nl.yaml`, and the blocking rules."""
    from splink import SettingsCreator

    comparisons = _comparisons()
    for comparison in comparisons:
        comparison.configure(m_probabilities=list(linkage_priors().m[comparison.create_output_column_name()]))
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior_match_probability(chats, helplines),
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=_blocking_rules(),
        retain_intermediate_calculation_columns=True,  # mw_*: the evidence of each comparison
        retain_matching_columns=False,
    )


def _comparisons() -> list[Any]:
    """What is compared between two chats: the visitor, the time between them, and the facts told."""
    import splink.comparison_library as cl

    return [
        _age_grows(),
        cl.ExactMatch("gender"),
        cl.ExactMatch("place").configure(term_frequency_adjustments=True),
        cl.ExactMatch("school"),
        cl.ExactMatch("own_name").configure(term_frequency_adjustments=True),
        cl.ArrayIntersectAtSizes("perpetrator_names", [1]),
        *(cl.ArrayIntersectAtSizes(f"{kind}s", [1]) for kind in IDENTIFIER_KINDS),
        cl.ArrayIntersectAtSizes("platforms", [1]),
        cl.ArrayIntersectAtSizes("distinctive_words", [3, 2, 1]),
        cl.ExactMatch("relation"),
        cl.ExactMatch("about_other"),
        _near("start_month", 2, 8),
        _near("chat_minute", 60 * MINUTES_PER_DAY, 180 * MINUTES_PER_DAY, name="days_apart"),
        _later_says_returning(),
        *(cl.ExactMatch(variable) for variable in linkage_priors().facts),
    ]


def _near(column: str, *distances: int, name: str = "") -> Any:
    import splink.comparison_library as cl
    from splink import comparison_level_library as cll

    levels: list[Any] = [cll.NullLevel(column)]
    levels += [cll.ExactMatchLevel(column)] if distances[0] == 0 else []
    levels += [cll.AbsoluteDifferenceLevel(column, d) for d in distances if d]
    return cl.CustomComparison(output_column_name=name or column, comparison_levels=[*levels, cll.ElseLevel()])


def _age_grows() -> Any:
    """Age against the time between the chats: the implied birth years agree, and the later chat is
    never younger (a birthday in between makes it one older, a year later one or two)."""
    import splink.comparison_library as cl
    from splink import comparison_level_library as cll

    years_between = f"(chat_minute_r - chat_minute_l) / {MINUTES_PER_YEAR}.0"
    return cl.CustomComparison(
        output_column_name="age",
        comparison_levels=[
            cll.NullLevel("age"),
            cll.CustomLevel(f"age_l = age_r and abs({years_between}) < 1", "the same age, within a year"),
            cll.CustomLevel(f"abs((age_r - age_l) - {years_between}) < 1", "older by the time between the chats"),
            cll.ElseLevel(),
        ],
    )


def _later_says_returning() -> Any:
    """The later of the two chats says its visitor chatted here recently."""
    import splink.comparison_library as cl
    from splink import comparison_level_library as cll

    return cl.CustomComparison(
        output_column_name="returning",
        comparison_levels=[
            cll.CustomLevel(
                "(returning_r = 'recent' and chat_minute_r > chat_minute_l) or (returning_l = 'recent' and chat_minute_l > chat_minute_r)",
                "the later chat says it returns",
            ),
            cll.ElseLevel(),
        ],
    )


def _blocking_rules() -> list[Any]:
    """The pairs worth scoring. Within a helpline: each rule selective on its own. Across helplines only a
    shared phone number, handle or e-mail address: the rest (a birth year, a town, a first name) is
    common in a network of millions, and would make its pairs grow with its square."""
    from splink import block_on
    from splink.blocking_rule_library import CustomRule

    window = RETURN_WINDOW_DAYS * MINUTES_PER_DAY
    return [
        block_on("helpline", "birth_year", "gender", "about_other"),
        CustomRule("l.helpline = r.helpline and l.birth_year + 1 = r.birth_year and l.gender = r.gender"),
        CustomRule("l.helpline = r.helpline and l.birth_year = r.birth_year + 1 and l.gender = r.gender"),
        block_on("helpline", "start_month", "gender"),
        block_on("helpline", "place", "gender"),
        block_on("helpline", "place", "birth_year"),  # gender is often not said: these three do without it
        block_on("helpline", "place", "start_month"),
        CustomRule(f"l.helpline = r.helpline and l.place = r.place and abs(l.chat_minute - r.chat_minute) < {window}"),
        block_on("helpline", "own_name"),
        block_on("helpline", "school"),
        *(block_on(f"{kind}s", arrays_to_explode=[f"{kind}s"]) for kind in IDENTIFIER_KINDS),
        block_on("helpline", "perpetrator_names", arrays_to_explode=["perpetrator_names"]),
    ]


def link(profiles: Sequence[Profile], threshold: float = DEFAULT_THRESHOLD, em: bool = False, engine: Engine = "duckdb") -> Linkage:
    """Estimate u on the profiles themselves (random sampling), optionally refine m by EM, score, and cluster.

    `engine="spark"` runs the same model on Spark (local mode here, a cluster for a network of helplines).
    """
    from splink import Linker, block_on

    frame = records(profiles)
    helplines = Counter(linkage_priors().helpline(p.channel) for p in profiles)
    model = settings(len(profiles), list(helplines.values()))
    linker = Linker(_register(frame), model, log_level=logging.ERROR)
    if len(profiles) * (len(profiles) - 1) / 2 <= ONE_PASS_PAIRS:
        linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=U_SEED, num_chunks=1, min_count_per_level=None)
    else:
        linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=U_SEED)
    if engine == "spark":
        linker = Linker(_register_spark(frame), _with_u(model.create_settings_dict("spark"), linker), log_level=logging.ERROR)
    for rule in EM_BLOCKS if em else ():
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), fix_probability_two_random_records_match=True
            )
        except ValueError as e:  # too few pairs in the block to estimate m: keep the earlier values
            logging.getLogger(__name__).info("EM on %s skipped: %s", rule, e)
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=threshold)
    pairs = predictions.as_pandas_dataframe()
    assigned = clusters.as_pandas_dataframe()
    sampled = len(profiles) * (len(profiles) - 1) / 2 > U_PAIRS
    return Linkage(pairs, dict(zip(assigned["unique_id"], assigned["cluster_id"], strict=True)), threshold, sampled)


def _with_u(model: dict[str, Any], estimated: Any) -> dict[str, Any]:
    """The model with u as DuckDB estimated it, level by level.

    u comes from a random sample of pairs that the driver holds anyway; Splink on Spark spends a
    query and a collect per comparison on it (48 of the 70 s that 150 chats took on two local
    cores), and its seeded sample is another than DuckDB's. So both engines score with the same u.
    """
    trained = estimated.misc.save_model_to_json()["comparisons"]
    for comparison, learned in zip(model["comparisons"], trained, strict=True):
        for level, u in zip(comparison["comparison_levels"], learned["comparison_levels"], strict=True):
            if "u_probability" in u:
                level["u_probability"] = u["u_probability"]
    return model


def _register(frame: pd.DataFrame) -> Any:
    """The records as a DuckDB table, with typed lists (pandas hands over lists as objects)."""
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect()
    connection.register("profiles_in", frame)
    lists = ", ".join(f"{c}::varchar[] as {c}" for c in ARRAY_COLUMNS)
    connection.execute(f"create table profiles as select * replace ({lists}) from profiles_in")
    connection.unregister("profiles_in")
    return DuckDBAPI(connection).register("profiles")


def _register_spark(frame: pd.DataFrame) -> Any:
    """The records as a Spark table, with the schema spelled out (pandas nulls and lists do not infer), in
    the session already open (a cluster's, `zicht.spark.cluster.session`) or a new one on this machine."""
    from pyspark.sql import types as T
    from splink import SparkAPI

    from zicht.spark.cluster import session

    spark = session()
    fields = []
    for column in frame.columns:
        if column in ARRAY_COLUMNS:
            kind: T.DataType = T.ArrayType(T.StringType())
        elif column in INTEGER_COLUMNS:
            kind = T.LongType()
        else:
            kind = T.StringType()
        fields.append(T.StructField(column, kind, True))
    rows = [[_plain(value) for value in row] for row in frame.itertuples(index=False)]
    return SparkAPI(spark_session=spark).register(spark.createDataFrame(rows, T.StructType(fields)))


def _plain(value: Any) -> Any:
    """A pandas or numpy value as the Python value Spark expects (nulls as None)."""
    if isinstance(value, np.ndarray):
        return [float(x) for x in value]
    if isinstance(value, list):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return int(value) if isinstance(value, np.integer) else value


def proposals(linkage: Linkage, at_least: float) -> list[Proposal]:
    """The scored pairs at or above a probability, with each comparison's weight as evidence."""
    weights = [c for c in linkage.pairs.columns if c.startswith("mw_")]
    chosen = linkage.pairs[linkage.pairs["match_probability"] >= at_least]
    return [
        Proposal(
            str(row["unique_id_l"]),
            str(row["unique_id_r"]),
            float(row["match_probability"]),
            {c[3:]: round(float(row[c]), 2) for c in weights if pd.notna(row[c])},
        )
        for _, row in chosen.iterrows()
    ]


def clusters_at(linkage: Linkage, threshold: float) -> dict[str, str]:
    """The visitors had the pairs been cut at another probability (no new Splink run)."""
    chosen = linkage.pairs[linkage.pairs["match_probability"] >= threshold]
    return groups(linkage.clusters, zip(chosen["unique_id_l"].astype(str), chosen["unique_id_r"].astype(str), strict=True))
