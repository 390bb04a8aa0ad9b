"""The suggestion rules (`coding/data/suggest-nl.yaml`): where each variable's suggested value comes from, checked.

Every variable the rules name is one of the codebook's; a default is one of its categories; a
variable read from the lexicon's cues has cues there; and a profile field is one the profile reads.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

from zicht.codebook import Codebook
from zicht.knowledge.lexicon import lexicon
from zicht.knowledge.read import Reader, frozen, load

Source = Literal["fact", "profile", "chat", "screening"]
SOURCES: tuple[Source, ...] = ("fact", "profile", "chat", "screening")
FIELDS: Mapping[Source, tuple[str, ...]] = {
    "profile": ("age", "gender", "platforms", "start_said", "span_months"),
    "chat": ("channel", "date"),
}
FOUND = 0.9  # the confidence of what a cue or the profile read, unless the rules say otherwise


@dataclass(frozen=True)
class HowSuggested:
    """How one variable is suggested: its source, and what stands when the chats say nothing."""

    source: Source
    field: str | None = None  # the profile's or the chat's field
    confidence: float = FOUND
    default: tuple[str, ...] | None = None  # the categories suggested when nothing is said
    named: str | None = None  # the category when the visitor names someone by first name only
    about_other: str | None = None  # the category when the visitor speaks of someone else


@dataclass(frozen=True)
class Screening:
    """A chat is about trafficking when it names one of these categories, or says one of `also`; how
    sure the screening is of it comes from a logistic model over what the reader finds (`weights`)."""

    named: Mapping[str, frozenset[str] | None]  # variable -> its categories that count (None: any)
    also: re.Pattern[str]
    weights: Mapping[str, float]  # a feature (SCREENING_FEATURES, or a variable the reader found) -> its weight
    intercept: float
    likely_missed: float  # an unflagged chat above this chance is listed for the researchers
    flagged: float  # the confidence of "about trafficking" from a counsellor's flag alone


# Besides the variables the reader finds: the rules' own answer, and how many variables it found.
SCREENING_FEATURES = ("said", "facts")


@dataclass(frozen=True)
class SuggestionRules:
    codebook: str
    variables: Mapping[str, HowSuggested]
    screening: Screening


@functools.cache
def suggestion_rules() -> SuggestionRules:
    """The shipped Dutch rules, compiled once per process."""
    return load("zicht.coding", "suggest-nl.yaml", compile_rules)


def compile_rules(r: Reader, raw: dict[str, Any]) -> SuggestionRules:
    codebook = r.codebook(raw)
    r.fields(raw, "", ("codebook", "variables", "screening"))
    cues = lexicon().facts
    variables = {}
    for variable, how in r.mapping(raw.get("variables"), "variables").items():
        here = f"variables.{variable}"
        if variable not in codebook:
            r.problem(here, f"'{variable}' is no variable of codebook {codebook.id}")
            continue
        variables[variable] = _how(r, how, here, variable, codebook)
        if variables[variable].source == "fact" and variable not in cues:
            r.problem(here, f"'from: fact' needs cues for '{variable}' in the lexicon (lexicon-nl.yaml, facts:)")
    return SuggestionRules(codebook.id, frozen(variables), _screening(r, raw.get("screening"), codebook))


def _how(r: Reader, raw: Any, where: str, variable: str, codebook: Codebook) -> HowSuggested:
    how = r.fields(raw, where, ("from",), ("field", "confidence", "default", "named", "about_other"))
    source = how.get("from")
    if source not in SOURCES:
        r.problem(f"{where}.from", f"must be one of {', '.join(SOURCES)} (found {source!r})")
    wanted = FIELDS.get(source, ()) if source in SOURCES else ()
    if wanted and how.get("field") not in wanted:
        r.problem(f"{where}.field", f"'from: {source}' reads one of {', '.join(wanted)} (found {how.get('field')!r})")
    if not wanted and "field" in how:
        r.problem(f"{where}.field", f"'from: {source}' takes no field")
    default = how.get("default")
    defaults = None if default is None else tuple(_category_id(d) for d in (default if isinstance(default, list) else [default]))
    for key in ("named", "about_other"):
        if key in how:
            r.category(codebook, variable, how[key], f"{where}.{key}")
    for value in defaults or ():
        r.category(codebook, variable, value, f"{where}.default")
    return HowSuggested(
        source=cast(Source, source),
        field=how.get("field"),
        confidence=r.number(how.get("confidence", FOUND), f"{where}.confidence", 0.0, 1.0),
        default=defaults,
        named=how.get("named"),
        about_other=how.get("about_other"),
    )


def _category_id(raw: Any) -> str:
    """A category as the codebook names it: a flag's `true`, not YAML's True."""
    return str(raw).lower() if isinstance(raw, bool) else str(raw)


def _screening(r: Reader, raw: Any, codebook: Codebook) -> Screening:
    s = r.fields(raw, "screening", ("named", "also", "flagged", "weights", "intercept", "likely_missed"))
    named: dict[str, frozenset[str] | None] = {}
    for variable, categories in r.mapping(s.get("named"), "screening.named").items():
        here = f"screening.named.{variable}"
        if categories == "any":
            named[variable] = None
            if variable not in codebook:
                r.problem(here, f"'{variable}' is no variable of codebook {codebook.id}")
            continue
        listed = r.words(categories, here)
        for category in listed:
            r.category(codebook, variable, category, here)
        named[variable] = frozenset(listed)
    weights = {
        name: r.number(w, f"screening.weights.{name}", -20, 20) for name, w in r.mapping(s.get("weights"), "screening.weights").items()
    }
    for name in weights:
        if name not in SCREENING_FEATURES and name not in codebook:
            r.problem(
                f"screening.weights.{name}", f"'{name}' is no variable of codebook {codebook.id} nor one of {', '.join(SCREENING_FEATURES)}"
            )
    return Screening(
        frozen(named),
        Reader.one_of(r.patterns(s.get("also"), "screening.also")),
        frozen(weights),
        r.number(s.get("intercept"), "screening.intercept", -20, 20),
        r.number(s.get("likely_missed"), "screening.likely_missed", 0, 1),
        r.number(s.get("flagged"), "screening.flagged", 0, 1),
    )
