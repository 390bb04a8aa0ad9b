"""Plant each of issue 21's ten small bugs, one at a time, and show that a test catches it (`make planted`).

Each bug is a one-line change in the source; the tests named beside it run against it, and
must fail. The source is put back after each, also when interrupted. Not part of `make test`:
it runs the named tests ten times (about five minutes).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parents[1]
MINUTES = 5  # a test run that takes longer does not count as catching the bug


@dataclass(frozen=True)
class Bug:
    name: str
    file: str
    correct: str
    planted: str
    tests: tuple[str, ...]


BUGS = (
    Bug("frame: minor as age <= 18", "src/zicht/analysis/frame.py",
        '{"yes": age < self.codebook.minor_age, "no": age >= self.codebook.minor_age}',
        '{"yes": age <= self.codebook.minor_age, "no": age > self.codebook.minor_age}',
        ("tests/analysis/test_tally.py",)),
    Bug("R4 also fills forms not coded yet", "src/zicht/analysis/frame.py",
        "fill = self.applies[variable.id] & ~self.not_coded[variable.id] & ~named",
        "fill = self.applies[variable.id] & ~named",
        ("tests/analysis/test_tally.py",)),
    Bug("R3: n counts coded cases, not known ones", "src/zicht/analysis/variable_tables.py",
        "n = int(known.sum())", "n = int(coded.sum())",
        ("tests/analysis/test_counting_rules.py", "tests/analysis/test_tally.py")),
    Bug("footnote 89: age >= 18 -> > 18", "src/zicht/analysis/variable_tables.py",
        "& (age >= minor)", "& (age > minor)",
        ("tests/analysis/test_tally.py", "tests/analysis/test_published.py")),
    Bug("values._parse: a blank multi-answer cell read as 0", "src/zicht/codebook/values.py",
        'cells = {c: (row.get(c) or "").strip() for c in variable_columns(variable)}',
        'cells = {c: (row.get(c) or ("0" if variable.type == "many" else "")).strip() for c in variable_columns(variable)}',
        ("tests/transcripts/test_golden_coded.py",)),
    Bug("check_values: range bound off by one", "src/zicht/codebook/values.py",
        "if not low <= value <= high:", "if not low <= value < high:",
        ("tests/transcripts/test_golden_coded.py",)),
    Bug("disclosure: n + unknown + not coded = population dropped", "src/zicht/analysis/disclosure.py",
        'yield {population: -1, key("n"): 1, key("n_missing"): 1, key("n_not_coded"): 1}, "eq"',
        'yield {population: -1, key("n"): 1}, "ge"',
        ("tests/analysis/test_disclosure_readers.py::test_an_unknown_hidden_beside_a_published_n_and_population_stays_hidden",)),
    Bug("save_codes without the revision check", "src/zicht/store/cases.py",
        "moved = models.Case.objects.filter(pk=case.pk, revision=based_on, removed_at=None).update(",
        "moved = models.Case.objects.filter(pk=case.pk, removed_at=None).update(",
        ("tests/web/test_coding.py::test_two_researchers_saving_the_same_case_the_second_gets_a_conflict_and_nothing_is_lost",)),
    Bug("open_cases: a second case for a visitor who has one", "src/zicht/store/cases.py",
        "if visitor_of[chat] not in owned:", "if True:",
        ("tests/store/test_cases.py",)),
    Bug("the blind view prefilled with the colleague's codes", "src/zicht/web/views/double.py",
        "values = blind_values(assignment, book)",
        "values = blind_values(models.Assignment.objects.filter(sample=assignment.sample, case=assignment.case)"
        ".exclude(pk=assignment.pk).first() or assignment, book)",
        ("tests/web/test_security.py::test_the_blind_form_shows_neither_the_colleagues_codes_nor_the_cases",)),
)  # fmt: skip


def caught(bug: Bug) -> bool:
    path = ROOT / bug.file
    source = path.read_text("utf-8")
    if source.count(bug.correct) != 1:
        raise SystemExit(f"{bug.file}: the line to plant '{bug.name}' in is not there once; update tests/planted.py")
    try:
        path.write_text(source.replace(bug.correct, bug.planted), "utf-8")
        pytest = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "--hypothesis-profile=planted"]
        command = [*pytest, *bug.tests]
        try:
            run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=MINUTES * 60)
        except subprocess.TimeoutExpired:
            return False
        return run.returncode != 0
    finally:
        path.write_text(source, "utf-8")


def main(only: list[str]) -> int:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))  # `kill` and `timeout` put the source back too
    missed = 0
    bugs = [b for b in BUGS if not only or any(word in b.name for word in only)]
    for bug in bugs:
        found = caught(bug)
        missed += not found
        print(f"{'caught' if found else 'MISSED'}  {bug.name}  ({', '.join(bug.tests)})", flush=True)  # noqa: T201
    print(f"{len(bugs) - missed} of {len(bugs)} planted bugs caught")  # noqa: T201
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))  # words of the bugs' names to plant only those
