"""The whole job on the synthetic corpus: generate 2019 and 2020, import (chats, codes, theme passages), link, count, report,
check, suggest."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from zicht.pipeline.imports import import_files
from zicht.pipeline.linking import Proposed, propose
from zicht.pipeline.monitoring import Report, check, report
from zicht.pipeline.project import Project
from zicht.pipeline.steps import QUIET, Steps
from zicht.pipeline.suggesting import Evaluation, evaluate
from zicht.pipeline.theming import import_passages

if TYPE_CHECKING:
    from zicht.analysis.published import Check
    from zicht.linkage.evaluate import Scores
    from zicht.transcripts.model import Conversation

YEARS = (2019, 2020)  # the year before, to compare with, and the monitor's year
NEW_CHATS = "new-chats-2021.jsonl"  # not imported: the README's tour imports them, and the queue has work


@dataclass(frozen=True)
class Demo:
    corpus: Path
    project: Project
    linkage: Proposed
    linkage_scores: Scores  # the visitors found against the corpus's truth
    report: Report
    checks: list[Check]  # every published 2020 figure
    evaluation: Evaluation  # suggestions (rules, no training) against the codes


def new_chats(seed: int, n: int = 40) -> list[Conversation]:
    """Flagged chats of a year nobody has coded yet: another draw of the synthetic year, a year on."""
    from zicht.synth import generate

    def later(at: dt.datetime) -> dt.datetime:
        return at + dt.timedelta(days=365)

    return [
        replace(c, id=f"NIEUW-{c.id}", started_at=later(c.started_at), messages=tuple(replace(m, at=later(m.at)) for m in c.messages))
        for c in generate(YEARS[1], seed + 1).flagged[:n]
    ]


def demo(out: Path, seed: int = 0, steps: Steps = QUIET) -> Demo:
    """Everything under OUT: corpus/ (the generated files, and a year's new chats for the tour), project/ (database, secret, published
    figures), report/ (HTML, PDF, Word, figures, tables.json, .sav, .csv). The project is opened once."""
    from zicht.linkage.evaluate import pairwise_scores, read_visitors
    from zicht.synth import generate, write_corpus
    from zicht.transcripts import write_chats

    if out.exists():
        shutil.rmtree(out)
    steps.start("generate the synthetic corpus")
    files = {year: write_corpus(generate(year, seed), out / "corpus") for year in YEARS}
    write_chats(new_chats(seed), out / "corpus" / NEW_CHATS)
    steps.start("create the project")
    project = Project.init(out / "project")
    for year in YEARS:
        list(import_files(project, [files[year]["chats"]], files[year]["coded"], steps=steps))
    year, before = YEARS[1], YEARS[0]
    steps.start("import the researchers' theme passages")
    import_passages(project, files[year]["themes"], None, "demo")
    linkage = propose(project, year, steps=steps)
    scores = pairwise_scores(linkage.linkage.clusters, read_visitors(files[year]["truth"]))
    written = report(project, year, (before,), out / "report", steps=steps)
    checks = check(project, project.published / f"published-{year}.yaml", year, steps=steps)
    evaluation = evaluate(project, year, steps=steps)
    return Demo(out / "corpus", project, linkage, scores, written, checks, evaluation)
