"""Case data for partners in the Human Trafficking Case Data Standard: the mapping is checked as it is
loaded, the counts are the cases', and the aggregate names no one the public report would not."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.analysis import tally

from zicht.analysis import builtin_definition, monitor
from zicht.analysis.disclosure import Hidden, protect
from zicht.codebook import NOT_CODED, CodedCase, load_codebook
from zicht.errors import KnowledgeError
from zicht.exchange.htcds import aggregate, case_values
from zicht.knowledge.htcds import compile_htcds, htcds
from zicht.knowledge.read import parse
from zicht.synth import generate

BOOK = load_codebook("nl-2020")
SHIPPED = (resources.files("zicht.exchange") / "data" / "htcds-nl.yaml").read_text("utf-8")


def test_a_category_the_codebook_lacks_or_one_giving_two_values_is_named_with_its_place() -> None:
    text = SHIPPED.replace("Feminine: [female]", "Feminine: [femail]").replace(
        "Other: [tinder, yubo, other]", "Other: [tinder, yubo, other, instagram]"
    )
    with pytest.raises(KnowledgeError) as refused:
        parse(text, "htcds-nl.yaml", compile_htcds)
    said = str(refused.value)
    assert "htcds-nl.yaml: fields[0].values.Feminine: 'femail' is no category of 'victim_gender'" in said
    assert "fields[3].values.Other: 'instagram' already gives Instagram" in said


def test_each_count_is_the_victims_whose_codes_give_the_value_and_none_names_fewer_than_five() -> None:
    cases = generate(2020, 0).cases
    standard = htcds()
    public, _ = protect(monitor(cases, BOOK, 2020), 5)
    victims = tally.population(builtin_definition(BOOK.id), BOOK, standard.population, cases, 2020)
    fields = {f.name: f for f in standard.fields}
    counts = [c for c in aggregate(public, standard) if c.categories]  # the values, not the unknown
    assert {c.field for c in counts} == set(fields)
    for count in counts:
        said = [
            tally.categories_of(BOOK, count.variable, v.values, 18, "victim_age") or set() for v in victims
        ]  # the report's rules, counted apart
        giving = sum(1 for answers in said if answers & set(count.categories))
        if isinstance(count.count, Hidden):  # for a reason: a part the public tables hide, or several answers given
            table = public.get(f"{standard.population}.{count.variable}")
            parts = [sum(1 for answers in said if c in answers) for c in count.categories]
            assert any(isinstance(table.counts.get(c), Hidden) for c in count.categories) or sum(1 for p in parts if p) > 1, count
        else:
            assert count.count == giving, count
            assert not 0 < count.count < 5, count
    platforms_other = next(c for c in counts if (c.field, c.value) == ("vic_RecruitmentWebsitesAndApps", "Other"))
    assert isinstance(platforms_other.count, Hidden), "tinder, yubo and other together: a sum is not the cases naming any"


@given(st.sampled_from(htcds().fields), st.data())
def test_a_case_gives_the_values_of_its_categories_once_each_and_nothing_where_not_coded(field, data) -> None:  # type: ignore[no-untyped-def]
    variable = BOOK[field.variable]
    categories = data.draw(st.frozensets(st.sampled_from(variable.category_ids), min_size=1))
    value = categories if variable.type == "many" else next(iter(categories))
    case = CodedCase("V1", BOOK.id, {field.variable: value})
    given_values = case_values(case, field)
    expected = {v for v, cs in field.values.items() if set(cs) & ({value} if isinstance(value, str) else set(value))}
    assert set(given_values) == expected and len(given_values) == len(set(given_values))
    assert case_values(CodedCase("V2", BOOK.id, {field.variable: NOT_CODED}), field) == ()
    assert case_values(CodedCase("V3", BOOK.id, {field.variable: None}), field) == ((field.unknown,) if field.unknown else ())
