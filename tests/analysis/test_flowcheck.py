"""The flow of chapter 2 adds up, or the report says what does not (issue 19: a monitor of 0 visitors without a word)."""

from __future__ import annotations

import dataclasses

from zicht.analysis import Flow, monitor
from zicht.analysis.flowcheck import flow_problems
from zicht.codebook import NOT_CODED, load_codebook
from zicht.report.document import build_document
from zicht.synth import generate

BOOK = load_codebook("nl-2020")
YEAR = generate(2020, 0)


def test_the_synthetic_year_adds_up() -> None:
    assert flow_problems(monitor(YEAR.cases, BOOK, 2020, flows={2020: YEAR.flow()})) == []


def test_visitors_not_coded_yet_and_chats_in_no_case_are_named() -> None:
    empty = [dataclasses.replace(c, values=dict.fromkeys(c.values, NOT_CODED)) for c in YEAR.cases[:5]]
    cases = empty + YEAR.cases[5:200]
    problems = flow_problems(monitor(cases, BOOK, 2020, flows={2020: YEAR.flow()}))
    in_cases = sum(len(c.conversation_ids) for c in cases)
    assert any(f"horen er {YEAR.flow().flagged_chats - in_cases} bij geen enkele casus" in p for p in problems)
    assert any("bij 5 nog niet gecodeerd" in p for p in problems)


def test_the_empty_monitor_of_the_issue_does_not_pass_for_a_result() -> None:
    """Every conversation in an uncoded case of its own beside the coded ones: 686 visitors, 0 counted."""
    uncoded = [dataclasses.replace(c, visitor_id=f"C-{c.visitor_id}", values=dict.fromkeys(c.values, NOT_CODED)) for c in YEAR.cases]
    problems = flow_problems(monitor(YEAR.cases + uncoded, BOOK, 2020, flows={2020: YEAR.flow()}))
    assert any("meer dan de" in p for p in problems)
    assert flow_problems(monitor(uncoded, BOOK, 2020, flows={2020: Flow(YEAR.flow().flagged_chats)}))


def test_the_report_says_so_on_its_first_page() -> None:
    cases = [dataclasses.replace(c, values=dict.fromkeys(c.values, NOT_CODED)) for c in YEAR.cases[:3]] + YEAR.cases[3:]
    blocks = build_document(monitor(cases, BOOK, 2020, flows={2020: YEAR.flow()}), BOOK, {})
    first = " ".join(getattr(b, "text", "") or " ".join(getattr(b, "items", [])) for b in blocks[:6])
    assert any("sluit niet" in getattr(b, "text", "") for b in blocks[:4])
    assert "mogen zo niet worden gepubliceerd" in first and "bij 3 nog niet gecodeerd" in first, "what is wrong, under the warning"
    fine = build_document(monitor(YEAR.cases, BOOK, 2020, flows={2020: YEAR.flow()}), BOOK, {})
    assert not any("sluit niet" in getattr(b, "text", "") for b in fine)
