"""The knowledge files are compiled as the codebook is: checked against it, every problem at once with its place."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from zicht.errors import KnowledgeError, ZichtError
from zicht.knowledge import identifier_patterns, lexicon, linkage_priors, parse, redaction_rules, suggestion_rules
from zicht.knowledge.identifiers import compile_identifiers
from zicht.knowledge.lexicon import compile_lexicon
from zicht.knowledge.priors import compile_priors
from zicht.knowledge.redaction import compile_redaction
from zicht.knowledge.suggestion import compile_rules

SHIPPED: dict[str, tuple[str, Callable[..., Any]]] = {
    "lexicon-nl.yaml": ("zicht.reading", compile_lexicon),
    "model-nl.yaml": ("zicht.linkage", compile_priors),
    "suggest-nl.yaml": ("zicht.coding", compile_rules),
    "redaction-nl.yaml": ("zicht.privacy", compile_redaction),
    "identifiers-nl.yaml": ("zicht.privacy", compile_identifiers),
}


def _shipped(name: str) -> dict[str, Any]:
    package, _ = SHIPPED[name]
    raw: dict[str, Any] = yaml.safe_load((resources.files(package) / "data" / name).read_text("utf-8"))
    return raw


def _problems(name: str, raw: dict[str, Any]) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        parse(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), name, SHIPPED[name][1])
    return str(caught.value).splitlines()


def test_the_shipped_files_compile_and_name_what_the_codebook_has() -> None:
    assert lexicon().codebook == suggestion_rules().codebook == linkage_priors().codebook == "nl-2020"
    assert lexicon().facts["coercion"]["violence"].search("hij slaat me")
    assert redaction_rules().labels["name"] == "naam"
    assert identifier_patterns().email.search("mail me op anna_17@hotmail.com")


def test_the_facts_linkage_compares_are_the_codebook_variables_the_priors_weigh() -> None:
    facts = linkage_priors().facts
    assert "coercion" in facts and "form" in facts
    assert "days_apart" not in facts and "age" not in facts  # comparisons of the chats, not codebook variables


def test_one_answer_variables_are_the_codebooks_one_variables() -> None:
    single = lexicon().single
    assert {"visitor_role", "perpetrator", "meeting"} <= single
    assert not single & {"coercion", "form", "told_before"}  # many answers


def test_a_broken_lexicon_names_every_problem_with_its_place() -> None:
    raw = _shipped("lexicon-nl.yaml")
    raw["facts"]["coercion"]["violence"][0] = "(hij slaat"
    raw["facts"]["coercion"]["magic"] = ["\\btovert\\b"]
    raw["facts"]["wishes"] = {"yes": ["\\bwens\\b"]}
    raw["place"][1] = "\\bin (?P<plaats>\\w+)"
    raw["relations"]["tante"] = "vrouw"
    raw["spam"] = 1
    raw["negation"]["not_for"] = ["victim_gender", "hair_colour"]
    raw["start"].append("\\bsinds kort\\b")
    raw["answers"][0]["answers"]["misschien"] = ["^\\W*misschien\\b"]
    problems = _problems("lexicon-nl.yaml", raw)
    broken = "lexicon-nl.yaml: facts.coercion.violence[0]: not a regular expression (missing ), unterminated"
    assert any(p.startswith(broken) for p in problems)
    assert "lexicon-nl.yaml: facts.coercion.magic: 'magic' is no category of 'coercion' in codebook nl-2020" in " ".join(problems)
    assert any(p.startswith("lexicon-nl.yaml: facts.wishes.yes: 'wishes' is no variable of codebook nl-2020") for p in problems)
    assert "lexicon-nl.yaml: place[1]: needs the named group(s) value, e.g. (?P<value>...)" in problems
    assert any(p.startswith("lexicon-nl.yaml: relations.tante: 'vrouw' is no category of 'victim_gender'") for p in problems)
    assert "lexicon-nl.yaml: spam: unknown key" in problems
    assert "lexicon-nl.yaml: negation.not_for: 'hair_colour' has no cues under facts" in problems
    assert f"lexicon-nl.yaml: start[{len(raw['start']) - 1}]: needs a named group month, season or year, e.g. (?P<month>...)" in problems
    misschien = "lexicon-nl.yaml: answers[0].answers.misschien: 'misschien' is no category of 'first_disclosure'"
    assert any(p.startswith(misschien) for p in problems)
    assert len(problems) == 9


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_any_broken_cue_is_found_at_its_place(data: st.DataObject) -> None:
    raw = _shipped("lexicon-nl.yaml")
    variable = data.draw(st.sampled_from(sorted(raw["facts"])))
    category = data.draw(st.sampled_from(sorted(raw["facts"][variable])))
    index = data.draw(st.integers(0, len(raw["facts"][variable][category]) - 1))
    raw["facts"][variable][category][index] = data.draw(st.sampled_from(["(", "[a-", "x{2,1}", "(?P<1>)"]))
    assert [p.split(": not a regular expression")[0] for p in _problems("lexicon-nl.yaml", raw)] == [
        f"lexicon-nl.yaml: facts.{variable}.{category}[{index}]"
    ]


def test_suggestion_rules_are_checked_against_the_codebook_and_the_lexicon() -> None:
    raw = _shipped("suggest-nl.yaml")
    raw["variables"]["visitor_role"]["default"] = "slachtoffer"
    raw["variables"]["victim_age"] = {"from": "profile", "field": "leeftijd"}
    raw["variables"]["duration"] = {"from": "fact"}  # the lexicon has no cues for it: the profile reads how long
    raw["variables"]["hair_colour"] = {"from": "fact"}
    raw["variables"]["form"] = {"from": "guess"}
    raw["screening"]["named"]["visitor_role"] = ["klant"]
    problems = _problems("suggest-nl.yaml", raw)
    assert sorted(p.split(": ")[1] for p in problems) == [
        "screening.named.visitor_role",
        "variables.duration",
        "variables.form.from",
        "variables.hair_colour",
        "variables.victim_age.field",
        "variables.visitor_role.default",
    ]
    assert "variables.victim_age.field: 'from: profile' reads one of age, gender, platforms, start_said, span_months" in " ".join(problems)


def test_the_screening_model_weighs_what_the_reader_finds_and_its_threshold_is_a_chance() -> None:
    raw = _shipped("suggest-nl.yaml")
    raw["screening"]["weights"]["hair_colour"] = 0.5
    raw["screening"]["weights"]["form"] = "zwaar"
    raw["screening"]["likely_missed"] = 1.5
    problems = _problems("suggest-nl.yaml", raw)
    unknown = "'hair_colour' is no variable of codebook nl-2020 nor one of said, facts"
    assert f"suggest-nl.yaml: screening.weights.hair_colour: {unknown}" in problems
    assert "suggest-nl.yaml: screening.weights.form: must be a number from -20 to 20 (found 'zwaar')" in problems
    assert "suggest-nl.yaml: screening.likely_missed: must be a number from 0 to 1 (found 1.5)" in problems


def test_priors_are_chances_that_add_up_to_one() -> None:
    raw = _shipped("model-nl.yaml")
    raw["m"]["gender"] = [0.98, 0.2]
    raw["m"]["place"] = [1.5, -0.5]
    raw["returning_share"] = "veel"
    problems = _problems("model-nl.yaml", raw)
    assert "model-nl.yaml: m.gender: the chances of the levels must add up to 1 (they add up to 1.18)" in problems
    assert "model-nl.yaml: m.place[0]: must be a number from 0 to 1 (found 1.5)" in problems
    assert "model-nl.yaml: returning_share: must be a number from 0 to 1 (found 'veel')" in problems


def test_every_redacted_kind_has_a_label_readers_see_and_every_rule_says_what_it_takes() -> None:
    raw = _shipped("redaction-nl.yaml")
    raw["deduce_tags"]["leeftijd"] = "age"
    raw["context"].append({"kind": "nickname", "takes": ["capitalised"], "patterns": ["(?i)\\bnoem me (?P<value>\\w+)"]})
    raw["context"].append({"kind": "handle", "takes": ["anything"], "patterns": ["@\\w+"]})
    raw["context"].append({"kind": "name", "takes": ["whatever"], "patterns": []})
    last = len(raw["context"]) - 1
    taken = "anything, capitalised, unknown word, rare word, listed name, listed place, listed place that is no frequent word"
    labels = (
        "name, place, school, phone, handle, email, plate, date, address, url, number, institution, street, neighbourhood, station, "
        "venue, proper_name"
    )
    assert _problems("redaction-nl.yaml", raw) == [
        f"redaction-nl.yaml: context[{last - 1}].patterns[0]: needs the named group(s) value, e.g. (?P<value>...)",
        f"redaction-nl.yaml: context[{last}].takes[0]: must be one of {taken} (found 'whatever')",
        f"redaction-nl.yaml: deduce_tags.leeftijd: 'age' has no label (labels: {labels})",
        f"redaction-nl.yaml: context[{last - 2}].kind: 'nickname' has no label (labels: {labels})",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("facts: [", "lexicon-nl.yaml: not valid YAML"),
        ("facts: {}", "lexicon-nl.yaml: codebook: name the codebook"),
        ("codebook: nl-1999\nfacts: {}", "lexicon-nl.yaml: codebook: nl-1999: cannot read codebook"),
    ],
)
def test_a_file_that_cannot_be_checked_says_why(text: str, message: str) -> None:
    with pytest.raises(KnowledgeError, match=re.escape(message)):
        parse(text, "lexicon-nl.yaml", compile_lexicon)


def test_a_knowledge_error_is_a_zicht_error_the_shells_turn_into_a_message() -> None:
    assert issubclass(KnowledgeError, ZichtError)


def test_a_handle_pattern_and_what_it_needs_are_both_checked() -> None:
    raw = _shipped("identifiers-nl.yaml")
    raw["handle"] += [{"pattern": "@(?P<value>\\w+)", "needs": "(@"}, {"pattern": "@\\w+", "needs": "@"}, {"pattern": "@(?P<value>\\w+)"}]
    n = len(raw["handle"])
    problems = _problems("identifiers-nl.yaml", raw)
    assert problems[0].startswith(f"identifiers-nl.yaml: handle[{n - 3}].needs: not a regular expression")
    assert problems[1:] == [
        f"identifiers-nl.yaml: handle[{n - 2}].pattern: needs the named group(s) value, e.g. (?P<value>...)",
        f"identifiers-nl.yaml: handle[{n - 1}]: missing key 'needs'",
    ]
