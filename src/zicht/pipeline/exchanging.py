"""Exchange with the QDA tools: the coded project out as REFI-QDA (.qdpx), the codebook as .qdc, and a
codebook started from another tool's .qdc."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zicht.codebook import NOT_CODED, Codebook, parse_codebook
from zicht.errors import ZichtError
from zicht.pipeline.project import Project
from zicht.pipeline.steps import QUIET, Steps
from zicht.store.roles import READER, RESEARCHER, Role

if TYPE_CHECKING:
    from zicht.codebook import CodedCase
    from zicht.coding.suggest import Suggestion
    from zicht.exchange.refi import Marked
    from zicht.exchange.sources import Plain
    from zicht.knowledge.htcds import Unmapped


@dataclass(frozen=True)
class Exported:
    cases: int
    chats: int
    codings: int
    notes: int
    role: Role
    suggested: int  # cases with stored suggestions: only they give a code's words


def export_qdpx(project: Project, out: Path, codebook: Codebook, year: int | None, by: str, steps: Steps = QUIET) -> Exported:
    """The coded cases with their chats, codes, evidence and overleg, redacted as `by`'s role sees them
    (a name without an account sees what a researcher sees; a reader, who sees no chats, gets none)."""
    from zicht.exchange.refi import Exchange, Note, Source, write_qdpx
    from zicht.exchange.sources import plain
    from zicht.privacy.redaction import redact_text
    from zicht.store import accounts, consulting, linking, queries

    role = accounts.role_named(by) or RESEARCHER
    if not role.sees_transcripts:
        raise ZichtError(f"{by} is a {READER.id}, who sees no chats: a QDA project holds them; ask a researcher or the coordinator")
    cases = list(queries.coded_cases(codebook, year))
    if not cases:
        raise ZichtError(f"{project.directory}: no coded cases{f' for {year}' if year else ''} to export")
    suggested = _suggestions(cases, codebook, year)
    chats = {c.id: c for c in linking.conversations(ids={i for c in cases for i in c.conversation_ids}, flagged=None)}
    steps.start(f"{'tokens shown' if role.sees_identifiers else 'redacting'}: {len(chats)} chats", total=len(chats))
    plains = {}
    for i, chat in chats.items():
        plains[i] = plain(chat, role.sees_identifiers)
        steps.advance()
    sources = [Source(i, f"{chats[i].username} {chats[i].started_at:%Y-%m-%d %H:%M}", plains[i].text, chats[i].started_at)
               for c in cases for i in c.conversation_ids if i in chats]  # fmt: skip
    marks = [m for c in cases for m in _marks(c, codebook, suggested.get(c.visitor_id, {}), plains)]
    notes = [Note(v, variable, author, at, text if role.sees_identifiers else redact_text(text))
             for v, variable, author, at, text in consulting.comments_of({c.visitor_id for c in cases})]  # fmt: skip
    steps.start("writing the project file")
    out.write_bytes(write_qdpx(Exchange(codebook, cases, sources, marks, notes)))
    steps.advance()
    return Exported(len(cases), len(sources), len(marks), len(notes), role, sum(bool(s) for s in suggested.values()))


def _suggestions(cases: list[CodedCase], codebook: Codebook, year: int | None) -> dict[str, dict[str, Suggestion]]:
    """Each case's stored suggestions, if they were read from its own chats (as the workbench shows them)."""
    from zicht.store import queries, suggesting

    of_chat = {i: c for c in cases for i in c.conversation_ids}
    out: dict[str, dict[str, Suggestion]] = {}
    for y in [year] if year else queries.years():
        for _, ids, suggestions in suggesting.suggested(y, codebook):
            case = of_chat.get(ids[0]) if ids else None
            if case is not None and set(ids) <= set(case.conversation_ids):
                out.setdefault(case.visitor_id, {}).update(suggestions)
    return out


def _marks(case: CodedCase, codebook: Codebook, suggestions: dict[str, Suggestion], plains: dict[str, Plain]) -> list[Marked]:
    """A stored code rests on the words of its suggestion where the researchers kept what it said:
    the same category, the categories both name (many), the same number, date or flag."""
    from zicht.exchange.refi import Marked

    out = []
    for variable, s in suggestions.items():
        value = case.values.get(variable)
        if value is None or value is NOT_CODED or variable not in codebook or not s.evidence:
            continue
        categories: list[str | None] = []
        if isinstance(value, frozenset):
            categories += sorted(value & s.value) if isinstance(s.value, frozenset) else []
        elif value == s.value:
            categories.append(str(value) if codebook[variable].categories else None)
        for span in s.evidence:
            where = plains[span.conversation_id].selection(span) if span.conversation_id in plains else None
            if where is not None:
                out += [Marked(span.conversation_id, *where, variable, c) for c in categories]
    return out


def export_qdc(codebook: Codebook, out: Path) -> int:
    """The codebook as a REFI-QDA codebook; the number of codes."""
    from zicht.exchange.refi import write_qdc

    out.write_bytes(write_qdc(codebook))
    return sum(1 + len(v.categories) for v in codebook)


def import_qdc(source: Path, out: Path, codebook_id: str, title: str) -> Codebook:
    """A zicht codebook (YAML, to check and complete) started from another tool's .qdc."""
    from zicht.exchange.refi import draft_codebook, read_qdc

    codes = read_qdc(source.read_bytes(), str(source))
    if not codes:
        raise ZichtError(f"{source}: the codebook holds no codes")
    text = draft_codebook(codes, codebook_id, title)
    book = parse_codebook(text, str(out))  # what zicht writes, zicht must read
    out.write_text(text, encoding="utf-8")
    return book


@dataclass(frozen=True)
class CaseData:
    rows: int
    hidden: int  # counts hidden under the disclosure rules
    case_level: bool
    unmapped: tuple[Unmapped, ...]  # the standard's fields the codebook cannot fill, with the reason


def export_htcds(project: Project, out: Path, codebook: Codebook, year: int, by: str, case_level: bool, threshold: int) -> CaseData:
    """The year's cases as the Human Trafficking Case Data Standard's fields, to CSV: counts of each value, with
    small ones hidden as in a public report; each case's values only for the coordinator."""
    import csv

    from zicht.analysis import builtin_definition
    from zicht.analysis.disclosure import Hidden, protect
    from zicht.analysis.populations import members
    from zicht.exchange.htcds import aggregate, case_rows
    from zicht.knowledge.htcds import htcds
    from zicht.pipeline.monitoring import monitor
    from zicht.store import accounts, queries
    from zicht.store.roles import COORDINATOR

    standard = htcds()
    if standard.codebook != codebook.id:
        raise ZichtError(f"the HTCDS mapping is written for codebook {standard.codebook}, not {codebook.id}")
    if case_level and (role := accounts.role_named(by)) != COORDINATOR:
        who = f"a {role.id}" if role else "no account of this project"
        raise ZichtError(f"{by} is {who}: case by case, HTCDS data leave the project only by the {COORDINATOR.id}; "
                         "without --case-level the counts go, small ones hidden")  # fmt: skip
    # everything computed before the file is opened: a refused public count leaves no half-written file
    tables, cases = (None, queries.cases_of_year(year, codebook)) if case_level else monitor(project, year, (), codebook)
    if not cases:
        raise ZichtError(f"{project.directory}: no coded cases for {year}")
    if tables is None:  # the cases the counts count: population `all`, not a visitor who turned out to be about something else
        counted = members(cases, codebook, year, standard.population)
        rows = list(case_rows([case for case in cases if case.visitor_id in counted], standard))
        with out.open("w", encoding="utf-8", newline="") as f:
            by_case = csv.DictWriter(f, ["case", *(field.name for field in standard.fields)])
            by_case.writeheader()
            by_case.writerows(rows)
        return CaseData(len(rows), 0, True, standard.unmapped)
    public, _ = protect(tables, threshold, builtin_definition(codebook.id).about_the_chat)
    counts = list(aggregate(public, standard))
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["year", "field", "value", "count", "of", "codebook_variable", "codebook_categories"])
        writer.writerows([year, c.field, c.value, str(c.count), str(c.of), c.variable, ";".join(c.categories)] for c in counts)
    return CaseData(len(counts), sum(isinstance(c.count, Hidden) for c in counts), False, standard.unmapped)
