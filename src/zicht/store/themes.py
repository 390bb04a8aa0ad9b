"""Theme passages of a thematic analysis (`analysis.themes`): coded, chosen as quotes, removed; each change audited.

A passage coded with a theme also puts the theme in the case's code of the theme variable (a
"code" event like any other), so that the chapter's counts, which come from the tables, hold the
chat every quote comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction

from zicht.analysis.definition import ThemeAnalysis
from zicht.analysis.themes import Passage
from zicht.codebook import Codebook
from zicht.errors import Refused
from zicht.privacy.redaction import redact_stretches
from zicht.store import audit, linking, models
from zicht.store.cases import save_codes, values_of
from zicht.transcripts.passages import PassageRow


class PassageRefused(Refused):
    """A passage cannot be coded so; the message (Dutch, as the workbench shows it) says why."""


def code_passage(case: models.Case, analysis: ThemeAnalysis, codebook: Codebook, theme: str, conversation: str,
                 message: int, start: int, end: int, by: str, quote: bool = False) -> models.Passage:  # fmt: skip
    """Store text[start:end] of a visitor message of the case as a passage of `theme`, redacted."""
    variable = codebook[analysis.variable]
    if theme not in variable.category_ids:
        raise PassageRefused(f"kies een thema van {variable.label}" if not theme else f"{theme!r} is geen thema van {variable.label}")
    values = values_of(case, codebook)
    if not codebook.applies(variable, values):
        raise PassageRefused(f"casus {case.visitor_id}: {variable.label} geldt hier niet (zie {_condition(codebook, variable.id)})")
    if conversation not in case.conversation_ids:
        raise PassageRefused(f"gesprek {conversation} hoort niet bij casus {case.visitor_id}")
    if models.Conversation.objects.filter(external_id=conversation).exclude(purged_at=None).exists():
        raise PassageRefused(f"de tekst van gesprek {conversation} is verwijderd (bewaartermijn)")
    chat = next(linking.conversations(ids=[conversation], flagged=None), None)
    if chat is None or not 0 <= message < len(chat.messages) or chat.messages[message].sender != "visitor":
        raise PassageRefused(f"gesprek {conversation} heeft geen bericht {message} van de bezoeker")
    if not 0 <= start < end <= len(chat.messages[message].text):
        raise PassageRefused(f"tekens {start}-{end} liggen niet in bericht {message} van gesprek {conversation}")
    [text] = redact_stretches([m.text for m in chat.messages], [(message, start, end)])
    where = {"conversation": conversation, "message": message, "start": start, "end": end}
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = models.Passage.objects.create(case=case, analysis=analysis.id, theme=theme, text=text, quote=quote,
                                                    coded_by=by, coded_at=dt.datetime.now(), **where)  # fmt: skip
        except IntegrityError:
            raise PassageRefused(f"deze passage is al gecodeerd als {variable.category(theme).label}") from None
        _event(audit.passage_coded, by, row, analysis.variable).save()
        themes = values.get(variable.id)
        if not isinstance(themes, frozenset) or theme not in themes:
            save_codes(case, codebook, {variable.id: (themes if isinstance(themes, frozenset) else frozenset()) | {theme}},
                       by, case.revision)  # fmt: skip
    return row


def code_passages(rows: Sequence[PassageRow], analysis: ThemeAnalysis, codebook: Codebook,
                  by: str) -> tuple[int, int, list[tuple[int, str, str]]]:  # fmt: skip
    """A file's passages, all or nothing: how many stored, how many held already, and (line, column, why)
    for each row the project cannot take, in which case none is kept. A passage held already stays as it
    is, but whether to quote it follows the row."""
    stored = already = 0
    problems = []
    with transaction.atomic():
        for row in rows:
            case = models.Case.kept.filter(held__conversation=row.conversation_id).first()
            if case is None:
                problems.append((row.line, "conversation_id", f"no case holds chat {row.conversation_id!r}"))
                continue
            same = models.Passage.objects.filter(analysis=analysis.id, theme=row.theme, conversation=row.conversation_id,
                                                 message=row.message, start=row.start, end=row.end).first()  # fmt: skip
            if same is not None:
                if same.quote == row.quote:
                    already += 1
                else:
                    choose_quote(same, analysis, row.quote, by)
                    stored += 1
                continue
            try:
                code_passage(case, analysis, codebook, row.theme, row.conversation_id, row.message, row.start, row.end, by, row.quote)
            except PassageRefused as e:
                problems.append((row.line, "", str(e)))
                continue
            stored += 1
        if problems:
            transaction.set_rollback(True)
    return stored, already, problems


def choose_quote(passage: models.Passage, analysis: ThemeAnalysis, quote: bool, by: str) -> None:
    """Choose a passage to quote in the report, or take it back."""
    with transaction.atomic():
        models.Passage.objects.filter(pk=passage.pk).update(quote=quote)
        passage.quote = quote
        _event(audit.quote_chosen if quote else audit.quote_taken_back, by, passage, analysis.variable).save()


def remove_passage(passage: models.Passage, analysis: ThemeAnalysis, by: str) -> None:
    """The passage goes; the case's code of the theme stays as the researchers coded it."""
    with transaction.atomic():
        _event(audit.passage_removed, by, passage, analysis.variable).save()
        passage.delete()


def passages(analysis: str, visitors: Iterable[str] | None = None) -> list[Passage]:
    """The analysis's passages in the order they were coded, as the report and the workbench read them."""
    rows = models.Passage.objects.filter(analysis=analysis).select_related("case")
    if visitors is not None:
        rows = rows.filter(case__visitor_id__in=list(visitors))
    return [Passage(r.analysis, r.theme, r.case.visitor_id, r.conversation, r.message, r.start, r.end, r.text, r.quote) for r in rows]


def _event(made: Callable[[str, str, str, Any], models.Event], by: str, passage: models.Passage, variable: str) -> models.Event:
    new = {"theme": passage.theme, "conversation": passage.conversation, "message": passage.message,
           "start": passage.start, "end": passage.end}  # fmt: skip
    return made(by, passage.case.visitor_id, variable, new)


def _condition(codebook: Codebook, variable_id: str) -> str:
    when = codebook[variable_id].applies_when
    return f"{codebook[when.variable].label}" if when is not None else "het codeboek"
