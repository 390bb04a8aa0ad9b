"""The lexicon (`reading/data/lexicon-nl.yaml`): the words a visitor profile is read from, compiled and checked.

Every pattern is compiled once here, case-insensitive, with the named groups the profile reads
(`value`, `n`, `month`); every category it names is checked against the codebook, and so are
the genders of the relation words and the platforms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

from zicht.codebook import Codebook
from zicht.knowledge.read import Reader, frozen, load

Whose = Literal["self", "other", "any", "answer"]
_WHOSE = ("self", "other", "any")
_I = re.IGNORECASE


@dataclass(frozen=True)
class AgeRule:
    """A way an age is said, and whose age it is: the visitor's, someone they speak of, or either."""

    who: Whose
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class SpanRule:
    """A phrase for how long it has lasted: a fixed number of months, or `n` times `months_per` plus `add`."""

    pattern: re.Pattern[str]
    months: int | None
    months_per: int
    add: int
    start: bool  # the phrase says when it began as a month ("deze maand")

    def months_of(self, m: re.Match[str]) -> int:
        return self.months if self.months is not None else int(m.group("n")) * self.months_per + self.add


@dataclass(frozen=True)
class AnswerRule:
    """A counsellor's question about one variable, and what the visitor's short answer to it means:
    category -> the answers that say it, read from the start of the visitor's next messages."""

    variable: str
    question: re.Pattern[str]
    answers: Mapping[str, re.Pattern[str]]


@dataclass(frozen=True)
class Negation:
    """When a cue does not count: denied close to it in its clause, or only feared in its sentence."""

    sentence_end: re.Pattern[str]
    clause_end: re.Pattern[str]
    words: re.Pattern[str]
    near: int
    hypothetical: re.Pattern[str]
    condition: re.Pattern[str]  # a conjunction whose clause's negation denies nothing after it
    not_for: frozenset[str]  # variables a negation does not deny: who someone is stays who they are


@dataclass(frozen=True)
class Lexicon:
    codebook: str
    relations: Mapping[str, str | None]  # relation word -> the gender it tells of the victim
    relation_patterns: tuple[re.Pattern[str], ...]
    gender_self: Mapping[str, tuple[re.Pattern[str], ...]]
    gender_question: re.Pattern[str]  # a counsellor asks whether the visitor is a boy or a girl
    gender_answer: Mapping[str, tuple[re.Pattern[str], ...]]  # the visitor's answer to it
    age_question: re.Pattern[str]
    age_answer: re.Pattern[str]
    age_patterns: tuple[AgeRule, ...]
    age_not: re.Pattern[str]
    age_range: tuple[int, int]
    school_year: re.Pattern[str]
    school: re.Pattern[str]
    not_schools: frozenset[str]
    place: tuple[re.Pattern[str], ...]
    place_stop: frozenset[str]
    own_name: tuple[re.Pattern[str], ...]
    perpetrator_name: tuple[re.Pattern[str], ...]
    not_names: frozenset[str]
    returning: Mapping[str, re.Pattern[str]]  # in order: the first that matches stands
    platforms: Mapping[str, tuple[str, ...]]  # codebook category of `platform` -> how visitors write it
    platform_patterns: Mapping[str, re.Pattern[str]]
    span: tuple[SpanRule, ...]
    start: tuple[re.Pattern[str], ...]
    months: tuple[str, ...]
    seasons: Mapping[str, int]  # a season or school holiday -> the month it stands for ("zomervakantie": 7)
    negation: Negation
    facts: Mapping[str, Mapping[str, re.Pattern[str]]]  # variable -> category -> its cues as one pattern
    answers: tuple[AnswerRule, ...]
    single: frozenset[str]  # variables of one answer: the first category found in a message stands
    common_words: frozenset[str]

    def without(self, variable: str, category: str) -> Lexicon:
        """The lexicon with one category's cues left out: a phrasing the rules do not know (tests, benchmarks)."""
        facts = {v: frozen({c: p for c, p in cues.items() if (v, c) != (variable, category)}) for v, cues in self.facts.items()}
        return replace(self, facts=frozen(facts))


@functools.cache
def lexicon() -> Lexicon:
    """The shipped Dutch lexicon, compiled once per process."""
    return load("zicht.reading", "lexicon-nl.yaml", compile_lexicon)


_KEYS = (
    "codebook", "relations", "relation_patterns", "gender_self", "gender_question", "gender_answer", "age_question", "age_answer",
    "age_patterns", "age_not", "age_range", "school_year", "school", "not_schools", "place", "place_stop", "own_name",
    "perpetrator_name", "not_names", "returning", "platforms", "span", "start", "months", "seasons", "negation", "facts", "answers",
    "common_words",
)  # fmt: skip


def compile_lexicon(r: Reader, raw: dict[str, Any]) -> Lexicon:
    codebook = r.codebook(raw)
    r.fields(raw, "", _KEYS)
    value = ("value",)
    relations = {word: gender for word, gender in r.mapping(raw.get("relations"), "relations").items()}
    for word, gender in relations.items():
        if gender is not None:
            r.category(codebook, "victim_gender", gender, f"relations.{word}")
    gender_self, gender_answer = (_by_gender(r, raw.get(key), key, codebook) for key in ("gender_self", "gender_answer"))
    platforms = {p: r.words(aliases, f"platforms.{p}") for p, aliases in r.mapping(raw.get("platforms"), "platforms").items()}
    for platform in platforms:
        r.category(codebook, "platform", platform, f"platforms.{platform}")
    low_high = raw.get("age_range")
    if not (isinstance(low_high, list) and len(low_high) == 2 and all(isinstance(x, int) for x in low_high) and low_high[0] <= low_high[1]):
        r.problem("age_range", f"must be [youngest, oldest] in whole years (found {low_high!r})")
        low_high = [0, 0]
    months = r.words(raw.get("months"), "months")
    seasons = r.mapping(raw.get("seasons"), "seasons")
    facts = _facts(r, raw.get("facts"), codebook)
    negation = _negation(r, raw.get("negation"))
    for variable in sorted(negation.not_for - set(facts)):
        r.problem("negation.not_for", f"{variable!r} has no cues under facts")
    if len(months) != 12:
        r.problem("months", f"must name the 12 months in order (found {len(months)})")
    return Lexicon(
        codebook=codebook.id,
        relations=frozen(relations),
        relation_patterns=r.compiled(raw.get("relation_patterns"), "relation_patterns", value),
        gender_self=gender_self,
        gender_question=r.pattern(raw.get("gender_question"), "gender_question", _I),
        gender_answer=gender_answer,
        age_question=r.pattern(raw.get("age_question"), "age_question", _I),
        age_answer=r.pattern(raw.get("age_answer"), "age_answer", _I, value),
        age_patterns=_age_rules(r, raw.get("age_patterns")),
        age_not=r.pattern(raw.get("age_not"), "age_not", _I),
        age_range=(low_high[0], low_high[1]),
        school_year=r.pattern(raw.get("school_year"), "school_year", _I, value),
        school=r.pattern(raw.get("school"), "school", _I, value),
        not_schools=frozenset(r.words(raw.get("not_schools"), "not_schools")),
        place=r.compiled(raw.get("place"), "place", value),
        place_stop=frozenset(r.words(raw.get("place_stop"), "place_stop")),
        own_name=r.compiled(raw.get("own_name"), "own_name", value),
        perpetrator_name=r.compiled(raw.get("perpetrator_name"), "perpetrator_name", value),
        not_names=frozenset(r.words(raw.get("not_names"), "not_names")),
        returning=frozen({when: _cues(r, p, f"returning.{when}") for when, p in r.mapping(raw.get("returning"), "returning").items()}),
        platforms=frozen(platforms),
        platform_patterns=frozen({p: Reader.one_of(rf"\b{re.escape(a)}\b" for a in names) for p, names in platforms.items()}),
        span=_span_rules(r, raw.get("span")),
        start=_start_patterns(r, raw.get("start")),
        months=months,
        seasons=frozen({season: r.whole(month, f"seasons.{season}", 1, 12) for season, month in seasons.items()}),
        negation=negation,
        facts=facts,
        answers=_answer_rules(r, raw.get("answers"), codebook),
        single=frozenset(v for v in facts if v in codebook and codebook[v].type == "one"),
        common_words=frozenset(r.words(raw.get("common_words"), "common_words")),
    )


def _by_gender(r: Reader, raw: Any, where: str, codebook: Codebook) -> Mapping[str, tuple[re.Pattern[str], ...]]:
    said = {gender: r.compiled(patterns, f"{where}.{gender}") for gender, patterns in r.mapping(raw, where).items()}
    for gender in said:
        r.category(codebook, "victim_gender", gender, f"{where}.{gender}")
    return frozen(said)


def _start_patterns(r: Reader, raw: Any) -> tuple[re.Pattern[str], ...]:
    """Each says when it began by a `month`, a `season` or a `year` (and `last_year` where it says so)."""
    patterns = r.compiled(raw, "start")
    for i, pattern in enumerate(patterns):
        if not {"month", "season", "year"} & set(pattern.groupindex):
            r.problem(f"start[{i}]", "needs a named group month, season or year, e.g. (?P<month>...)")
    return patterns


def _cues(r: Reader, raw: Any, where: str) -> re.Pattern[str]:
    return Reader.one_of(r.patterns(raw, where))


def _age_rules(r: Reader, raw: Any) -> tuple[AgeRule, ...]:
    rules = []
    for here, item in r.listed(raw, "age_patterns", "{who, pattern}"):
        rule = r.fields(item, here, ("who", "pattern"))
        if rule.get("who") not in _WHOSE:
            r.problem(f"{here}.who", f"must be one of {', '.join(_WHOSE)} (found {rule.get('who')!r})")
        rules.append(AgeRule(cast(Whose, rule.get("who")), r.pattern(rule.get("pattern"), f"{here}.pattern", _I, ("value",))))
    return tuple(rules)


def _span_rules(r: Reader, raw: Any) -> tuple[SpanRule, ...]:
    rules = []
    for here, item in r.listed(raw, "span", "{pattern, months} or {pattern, months_per, add}"):
        rule = r.fields(item, here, ("pattern",), ("months", "months_per", "add", "start"))
        counted = "months_per" in rule
        if counted == ("months" in rule):
            r.problem(here, "give either 'months' or 'months_per' (with a group n in the pattern)")
        pattern = r.pattern(rule.get("pattern"), f"{here}.pattern", _I, ("n",) if counted else ())
        rules.append(
            SpanRule(
                pattern=pattern,
                months=r.whole(rule["months"], f"{here}.months", 0, 240) if "months" in rule else None,
                months_per=r.whole(rule.get("months_per", 1), f"{here}.months_per", 1, 12),
                add=r.whole(rule.get("add", 0), f"{here}.add", -12, 12),
                start=bool(rule.get("start", False)),
            )
        )
    return tuple(rules)


def _negation(r: Reader, raw: Any) -> Negation:
    n = r.fields(raw, "negation", ("sentence_end", "clause_end", "words", "near", "hypothetical", "condition", "not_for"))
    return Negation(
        sentence_end=r.pattern(n.get("sentence_end"), "negation.sentence_end", _I),
        clause_end=r.pattern(n.get("clause_end"), "negation.clause_end", _I),
        words=r.pattern(n.get("words"), "negation.words", _I),
        near=r.whole(n.get("near"), "negation.near", 1, 10),
        hypothetical=r.pattern(n.get("hypothetical"), "negation.hypothetical", _I),
        condition=r.pattern(n.get("condition"), "negation.condition", _I),
        not_for=frozenset(r.words(n.get("not_for", []), "negation.not_for")),
    )


def _answer_rules(r: Reader, raw: Any, codebook: Codebook) -> tuple[AnswerRule, ...]:
    rules = []
    for here, item in r.listed(raw, "answers", "{variable, question, answers}"):
        rule = r.fields(item, here, ("variable", "question", "answers"))
        variable = str(rule.get("variable"))
        answers = {}
        for category, patterns in r.mapping(rule.get("answers"), f"{here}.answers").items():
            r.category(codebook, variable, category, f"{here}.answers.{category}")
            answers[category] = _cues(r, patterns, f"{here}.answers.{category}")
        rules.append(AnswerRule(variable, r.pattern(rule.get("question"), f"{here}.question", _I), frozen(answers)))
    return tuple(rules)


def _facts(r: Reader, raw: Any, codebook: Codebook) -> Mapping[str, Mapping[str, re.Pattern[str]]]:
    facts = {}
    for variable, categories in r.mapping(raw, "facts").items():
        cues = {}
        for category, patterns in r.mapping(categories, f"facts.{variable}").items():
            r.category(codebook, variable, category, f"facts.{variable}.{category}")
            cues[category] = _cues(r, patterns, f"facts.{variable}.{category}")
        facts[variable] = frozen(cues)
    return frozen(facts)
