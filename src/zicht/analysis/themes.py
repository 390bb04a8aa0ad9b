"""A thematic analysis of a subset (the report's chapter 4): each theme with its count and the quotes the researchers chose.

The researchers code passages of the subset's chats by theme (Braun and Clarke's thematic
analysis, as the 2020 report did for the corona chats). A theme counts the chats that name it
by the codebook's counting rules, from the monitor's table of the theme variable over the
subset, so the chapter's numbers are the tables' numbers. A passage is kept as readers may see
it, redacted when it was coded: the report quotes it as kept, and no role reads it unredacted.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from zicht.analysis.definition import ThemeAnalysis
from zicht.analysis.disclosure import Hidden
from zicht.analysis.tables import Tables
from zicht.codebook import Codebook


@dataclass(frozen=True)
class Passage:
    """A stretch of a visitor message coded with a theme."""

    analysis: str
    theme: str  # a category of the analysis's variable
    visitor_id: str
    conversation_id: str
    message: int
    start: int
    end: int
    text: str  # redacted
    quote: bool  # chosen by the researchers to quote in the report


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    count: int  # chats in the subset that name it (a Hidden count in a public report)
    passages: int  # passages coded with it
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class ThemeChapter:
    analysis: ThemeAnalysis
    n: int  # chats in the subset
    themes: tuple[Theme, ...]
    quotes_left_out: int  # quotes a public report leaves out, beside a count it hides


def theme_chapter(analysis: ThemeAnalysis, tables: Tables, codebook: Codebook, passages: Sequence[Passage],
                  members: Collection[str]) -> ThemeChapter:  # fmt: skip
    """Each theme in the codebook's order, with its count and at most `analysis.quotes` of the quotes chosen
    (in the order they were chosen, the same words once) from chats the subset counts; beside a hidden
    count, no quote."""
    table = tables.get(analysis.table)
    themes, left_out = [], 0
    for category in codebook[analysis.variable].categories:
        own = [p for p in passages if p.analysis == analysis.id and p.theme == category.id and p.visitor_id in members]
        quotes = tuple(dict.fromkeys(p.text for p in own if p.quote))[: analysis.quotes]  # the same words once
        count = table.counts.get(category.id, 0)
        if isinstance(count, Hidden):
            left_out += len(quotes)
            quotes = ()
        themes.append(Theme(category.id, category.label, count, len(own), quotes))
    return ThemeChapter(analysis, table.n, tuple(themes), left_out)


_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)|\n+")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or sentences) holding text[start:end], without the space around it: a suggestion's
    words offered as a passage a reader can follow."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    begin = max((e for e in ends if e <= start), default=0)
    stop = min((e for e in ends if e >= end), default=len(text))
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    return begin, stop
