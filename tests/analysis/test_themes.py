"""Chapter 4's themes: each theme's count is the tables' count, and its quotes are the ones the researchers chose."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from zicht.analysis import builtin_definition
from zicht.analysis.disclosure import Hidden
from zicht.analysis.tables import Table, Tables
from zicht.analysis.themes import Passage, sentence_around, theme_chapter
from zicht.codebook import load_codebook

BOOK = load_codebook("nl-2020")
CORONA = builtin_definition("nl-2020").themes["corona"]


def _tables(counts: dict[str, int], n: int) -> Tables:
    table = Table(CORONA.table, "distribution", "Thema's corona", 2020, "nl-2020", "corona", "corona", n, counts=counts)
    return Tables("nl-2020", 2020, [2020], [table])


def _passage(theme: str, visitor: str, text: str, quote: bool = True) -> Passage:
    return Passage("corona", theme, visitor, f"C-{visitor}", 3, 0, len(text), text, quote)


def test_each_theme_has_the_tables_count_and_at_most_the_quotes_the_definition_allows_in_the_order_chosen() -> None:
    chosen = [_passage("clients_continue", f"V{i}", f"citaat {i}") for i in range(5)]
    chapter = theme_chapter(CORONA, _tables({"clients_continue": 9, "excuse": 2}, 22), BOOK, chosen, {f"V{i}" for i in range(5)})
    first = chapter.themes[0]
    assert (chapter.n, first.id, first.count, first.passages) == (22, "clients_continue", 9, 5)
    assert first.quotes == ("citaat 0", "citaat 1", "citaat 2")[: CORONA.quotes]
    assert [t.id for t in chapter.themes] == list(BOOK["corona_themes"].category_ids)  # the codebook's order
    assert next(t for t in chapter.themes if t.id == "excuse").quotes == ()


def test_a_passage_not_chosen_or_from_a_chat_outside_the_subset_is_never_quoted() -> None:
    passages = [
        _passage("excuse", "V1", "niet gekozen", quote=False),
        _passage("excuse", "V2", "buiten de deelverzameling"),
        _passage("excuse", "V3", "gekozen"),
    ]
    chapter = theme_chapter(CORONA, _tables({"excuse": 2}, 2), BOOK, passages, {"V1", "V3"})
    excuse = next(t for t in chapter.themes if t.id == "excuse")
    assert excuse.quotes == ("gekozen",)
    assert excuse.passages == 2


def test_the_same_words_chosen_twice_are_quoted_once() -> None:
    same = [_passage("new_via_job", visitor, text) for visitor, text in (("V1", "zocht werk"), ("V2", "zocht werk"), ("V3", "baan kwijt"))]
    chapter = theme_chapter(CORONA, _tables({"new_via_job": 3}, 3), BOOK, same, {"V1", "V2", "V3"})
    assert next(t for t in chapter.themes if t.id == "new_via_job").quotes == ("zocht werk", "baan kwijt")


def test_a_public_report_quotes_nothing_beside_a_count_it_hides() -> None:
    hidden = Hidden("<5")
    passages = [_passage("help_access", "V1", "alles is dicht"), _passage("excuse", "V2", "smoes")]
    chapter = theme_chapter(CORONA, _tables({"help_access": hidden, "excuse": 7}, 9), BOOK, passages, {"V1", "V2"})
    themes = {t.id: t for t in chapter.themes}
    assert themes["help_access"].quotes == () and themes["excuse"].quotes == ("smoes",)
    assert chapter.quotes_left_out == 1


_SENTENCE = st.text(alphabet="abc ,", min_size=1, max_size=12).map(str.strip).filter(lambda s: any(c.isalpha() for c in s))


@given(st.lists(st.tuples(_SENTENCE, st.sampled_from([". ", "! ", "? ", "\n"])), min_size=1, max_size=6), st.data())
def test_a_suggestions_words_are_offered_as_the_whole_sentences_they_lie_in(sentences: list[tuple[str, str]], data: st.DataObject) -> None:
    text = "".join(s + end for s, end in sentences)
    spans = [(m.start(), m.end()) for m in re.finditer(r"[abc]+", text)]
    start, end = data.draw(st.sampled_from(spans))
    begin, stop = sentence_around(text, start, end)
    assert begin <= start < end <= stop
    assert text[begin:stop] == text[begin:stop].strip()
    assert begin == 0 or text[:begin].rstrip()[-1] in ".!?" or text[:begin].endswith("\n")  # starts where a sentence starts
    assert not re.search(r"[.!?\n]", text[end:stop].rstrip(".!?"))  # ends where that sentence ends
