"""Run the four commands that make a year's cases in every order on one project, and print what each order gave.

Run by test_command_order.py in a process of its own (Django serves one project per process). The
linkage is a fixed set of merge decisions, as `zicht link --accept-above` would store them: what
is under test is how the cases follow the chats, the merges and the coded file, not Splink.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

from zicht.codebook import load_codebook
from zicht.errors import ImportFailed
from zicht.linkage.review import Decision, Proposal, decide
from zicht.pipeline.project import Project
from zicht.synth import generate
from zicht.transcripts import write_chats, write_coded_csv

STEPS = ("chats", "link", "suggest", "coded")


def corpus(folder: Path) -> tuple[Path, Path, list[Decision]]:
    """60 coded visitors' chats and 4 flagged chats nobody coded; merges within the coded visitors,
    one across two coded visitors, and one between two chats nobody coded."""
    year = generate(2020, 23)
    coded = year.part(60)
    cases = coded.cases
    uncoded = [c for c in year.flagged if c not in coded.conversations][:4]
    write_chats(coded.conversations + uncoded, folder / "chats.jsonl")
    write_coded_csv(cases, load_codebook("nl-2020"), folder / "coded.csv")
    pairs = [(case.conversation_ids[0], other) for case in cases for other in case.conversation_ids[1:]]
    pairs += [(cases[0].conversation_ids[0], cases[1].conversation_ids[0]), (uncoded[0].id, uncoded[1].id)]
    return folder / "chats.jsonl", folder / "coded.csv", [decide(Proposal(a, b, 0.95), "merge", "test") for a, b in pairs]


def run(order: tuple[str, ...], chats: Path, coded: Path, decisions: list[Decision], project: Project) -> dict[str, Any]:
    from zicht.pipeline.monitoring import monitor
    from zicht.store import linking, models
    from zicht.store.cases import open_cases
    from zicht.store.importing import import_chats, import_coded

    book, secret = project.codebook, project.secret
    refused: list[str] = []

    def step(name: str) -> bool:
        have_chats = models.Conversation.objects.exists()
        if name == "chats":
            import_chats(chats, secret, book["channel"].category_ids)
        elif name == "link" and have_chats:  # `zicht link` refuses a project without chats
            linking.save_decisions(decisions)
        elif name == "suggest" and have_chats:  # so does `zicht suggest run`
            open_cases(2020, book, "test")
        elif name == "coded":
            try:
                import_coded(coded, book)
            except ImportFailed as e:
                refused.append(e.problems[0].reason)
                return False
        else:
            return False
        return True

    again = [name for name in order if not step(name)]  # then as the refusal says: the others first, this again
    for name in again:
        assert step(name), f"{name} refused after every other step: {refused}"
    cases = sorted((c.visitor_id, sorted(c.conversation_ids)) for c in models.Case.kept.all())
    tables, _ = monitor(project, 2020)
    return {"order": order, "refused": refused, "cases": cases, "flow": tables.get("flow").counts, "tables": tables.to_json()}


def main(folder: Path) -> None:
    from django.core.management import call_command

    chats, coded, decisions = corpus(folder)
    project = Project.init(folder / "project")
    from zicht.store import queries

    results = []
    for order in itertools.permutations(STEPS):
        call_command("flush", interactive=False, verbosity=0)  # which starts the ids again:
        queries._read.clear()  # the cases read before are not these
        results.append(run(order, chats, coded, decisions, project))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
