"""Every change the store records is a named event with a Dutch label the coordinator reads in the audit trail."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest

AT = dt.datetime(2020, 3, 1, 12, 0)


@pytest.mark.usefixtures("project")
def test_every_named_event_has_a_dutch_label() -> None:
    from zicht.store import audit, models

    examples = {"by": "anna", "case": "V-1", "variable": "victim_age", "old": None, "new": None, "at": AT, "action": "code",
                "conversations": ["C-1"], "reason": "dubbel", "removed_at": AT, "file": "chats.jsonl", "kind": "chats",
                "records": 3, "rejected": 0, "left": "C-1", "right": "C-2", "verdict": "merge", "sample": "s1", "cases": 2,
                "coders": ["anna", "bram"], "coder": "bram", "year": 2020, "user": "cees", "role": "reader",
                "tables_sha256": "0" * 64, "chats": 4, "messages": 40, "kept_back": 1}  # fmt: skip
    made = [
        f(**{name: examples[name] for name in inspect.signature(f).parameters})
        for name, f in vars(audit).items()
        if inspect.isfunction(f) and f.__module__ == audit.__name__ and inspect.signature(f).return_annotation == "models.Event"
        and name != "event"
    ]  # fmt: skip
    assert len(made) >= 20
    assert all(isinstance(e, models.Event) and e.user == "anna" for e in made)
    unlabelled = sorted({e.action for e in made} - set(audit.LABELS))
    assert unlabelled == []
    assert audit.LABELS["finalise"] == "rapport definitief"  # read in English on the audit page before


@pytest.mark.usefixtures("project")
def test_an_action_without_a_label_is_refused_before_it_is_stored() -> None:
    from zicht.store import audit

    with pytest.raises(ValueError, match="unknown audit action 'recode'"):
        audit.event("anna", "recode", "V-1")
    with pytest.raises(ValueError, match="'merge' is not a change of a code"):
        audit.code_changed("anna", "V-1", "victim_age", None, None, "merge", at=AT)


def test_no_module_writes_an_event_by_its_action_name_alone() -> None:
    """Events are made by their named constructors only: a misspelt action cannot reach the trail."""
    source = Path(__file__).parents[2] / "src" / "zicht"
    raw = [
        f"{path.relative_to(source)}:{i}"
        for path in source.rglob("*.py")
        if path.name != "audit.py" or path.parent.name != "store"
        for i, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if "audit.event(" in line or "models.Event(" in line
    ]
    assert raw == []
