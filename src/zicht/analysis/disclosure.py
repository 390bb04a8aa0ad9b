"""Disclosure control for public output: small counts hidden so that no reader can work them out.

Primary suppression hides every count from 1 to `threshold - 1` (a zero names nobody and stays).
Secondary suppression then hides further counts until an audit finds no small count that the
published numbers pin down: for each hidden count it solves two integer programmes (its least
and its greatest whole value) under every relation a reader knows, and a small count whose
least and greatest agree is exposed. A count hidden for another that the reader can work out all
the same is shown again: hiding it protects nothing. The relations a reader knows are
`zicht.analysis.relations`.

Shares of a hidden count and a table's statistics, once one of its counts is hidden, go too.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from zicht.analysis.relations import Key, Relation, known_relations, public_stat, published_counts
from zicht.analysis.tables import Tables, counts_people
from zicht.errors import ZichtError

PRIMARY, SECONDARY = "<{threshold}", "x"
SPREAD = 4  # programmes in random directions before each count's own, in an audit of many hidden counts


class DisclosureError(ZichtError):
    """A public report cannot be protected: a hidden count stays exposed whatever else is hidden."""


class Hidden(int):
    """A count or share the public report does not show; it prints as its mark and counts as nothing."""

    mark: str

    def __new__(cls, mark: str) -> Hidden:
        hidden = super().__new__(cls, 0)
        hidden.mark = mark
        return hidden

    def __str__(self) -> str:
        return self.mark

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return self.mark

    def __deepcopy__(self, memo: dict[int, Any]) -> Hidden:
        return self


@dataclass
class Protection:
    threshold: int
    primary: set[Key] = field(default_factory=set)
    secondary: set[Key] = field(default_factory=set)
    rounds: int = 0  # audits run until none was exposed

    @property
    def hidden(self) -> set[Key]:
        return self.primary | self.secondary


def protect(tables: Tables, threshold: int = 5, about_the_chat: frozenset[str] = frozenset()) -> tuple[Tables, Protection]:
    """The tables as the public may see them, and what was hidden.

    `about_the_chat`: variables whose counts tell about the chat, not a person (its language); their
    small counts are not hidden, so neither is the large one beside them (282 of 283 in Dutch).
    """
    if threshold < 2:
        raise ValueError("a threshold below 2 hides nothing")
    values, alias = published_counts(tables)
    relations = known_relations(tables, values)
    of_the_chat = {t.id for t in tables if t.variable in about_the_chat}
    small = {k for k, v in values.items() if 0 < v < threshold and k[0] not in of_the_chat}
    protection = Protection(threshold, primary=small)
    before_round: set[Key] = set()
    solved = Solved()
    while True:
        protection.rounds += 1
        exposed = audit(values, relations, protection, solved)
        if not exposed:
            break
        before = len(protection.secondary)
        for key in sorted(exposed):
            # exposed again though a count was hidden for it: "<5" itself may pin it (1+1+1+1 = <5)
            if key not in before_round or not _unbound(key, relations, protection):
                _hide_another(key, values, relations, protection)
        if len(protection.secondary) == before:  # all around it is hidden already
            for key in exposed:
                _unbound(key, relations, protection)
        if len(protection.secondary) == before:
            raise DisclosureError(
                f"{sorted(exposed)[0]}: this count can be worked out from the others and nothing is left to hide beside it; "
                "the public report is not written (a monitor this small is better not published)"
            )
        before_round = exposed
    shown_anyway = {k for k in worked_out(values, relations, protection, solved) if not 0 < values[k] < threshold}
    protection.secondary -= shown_anyway  # hidden for another, yet a reader works it out all the same
    return _apply(tables, protection, alias), protection


def _unbound(key: Key, relations: list[Relation], protection: Protection) -> bool:
    """Show the small counts around `key` as "x", not "<5": then each may as well be 0. Whether any was."""
    around = {k for coefficients, _ in relations if key in coefficients for k in coefficients} | {key}
    small = around & protection.primary
    protection.secondary |= small
    protection.primary -= small
    return bool(small)


def audit(values: dict[Key, int], relations: list[Relation], protection: Protection, solved: Solved | None = None) -> set[Key]:
    """The small counts (1 to threshold - 1) a reader can work out exactly from the published numbers.

    A count hidden only to protect another may be worked out: it names no one small, and the
    programmes hold every relation at once, so knowing it tells the reader nothing more.
    """
    return {k for k in worked_out(values, relations, protection, solved) if 0 < values[k] < protection.threshold}


Constraint = tuple[dict[Key, float], float, str]  # hidden part . x  (=, >=)  -published part


@dataclass
class Solved:
    """What earlier rounds of one `protect` found. Each round only hides more and bounds less, so a
    count that could take two whole values still can: it needs no programme again, and a group that
    did not change needs none at all."""

    groups: dict[tuple[Any, ...], set[Key]] = field(default_factory=dict)  # `_problem` -> its pinned counts
    free: set[Key] = field(default_factory=set)


def worked_out(values: dict[Key, int], relations: list[Relation], protection: Protection, solved: Solved | None = None) -> set[Key]:
    """The hidden counts a reader can work out exactly from the published numbers.

    Hidden counts that share no relation cannot tell about each other, so each connected group
    is solved on its own: small integer programmes instead of one with every hidden count.
    """
    hidden = protection.hidden
    solved = Solved() if solved is None else solved
    constraints: list[Constraint] = []
    for coefficients, sense in relations:
        part = {k: float(a) for k, a in coefficients.items() if k in hidden}
        if part:
            constant = sum(a * values[k] for k, a in coefficients.items() if k not in hidden)
            constraints.append((part, -constant, sense))
    pinned: set[Key] = set()
    for group in _connected(constraints):
        within = [c for c in constraints if next(iter(c[0])) in group]
        problem = _problem(group, within, protection)
        if problem not in solved.groups:
            solved.groups[problem] = _pinned(group, within, protection, solved.free)
            solved.free |= group - solved.groups[problem]
        pinned |= solved.groups[problem]
    return pinned


def _problem(group: set[Key], constraints: list[Constraint], protection: Protection) -> tuple[Any, ...]:
    """All that decides a group's programmes: its counts, which are "<threshold", and its relations."""
    return (
        tuple(sorted(group)),
        frozenset(group & protection.primary),
        protection.threshold,
        tuple(sorted((tuple(sorted(part.items())), right, sense) for part, right, sense in constraints)),
    )


def _connected(constraints: list[Constraint]) -> list[set[Key]]:
    parent: dict[Key, Key] = {}

    def root(k: Key) -> Key:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for part, _, _ in constraints:
        first, *rest = part
        root(first)  # a constraint on one hidden count is a group of its own
        for k in rest:
            parent[root(k)] = root(first)
    groups: dict[Key, set[Key]] = {}
    for k in parent:
        groups.setdefault(root(k), set()).add(k)
    return list(groups.values())


def _pinned(group: set[Key], constraints: list[Constraint], protection: Protection, free_already: set[Key]) -> set[Key]:
    """The counts of `group` whose least and greatest whole value agree.

    Whole values, not real ones: a reader knows a count is whole, and "<5" beside a sum can leave
    a single whole value where the real ones still range (2 counts of 1 to 4 that add up to 3).
    A count is pinned exactly when no whole solution gives it another value than the first
    solution found does, so each programme solved also clears every count its solution gives
    another value: that spares most of the programmes (a year's public report solved thousands).
    """
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]

    keys = sorted(group)
    index = {k: i for i, k in enumerate(keys)}
    rows = np.zeros((len(constraints), len(keys)))
    for r, (part, _, _) in enumerate(constraints):
        for k, a in part.items():
            rows[r, index[k]] += a
    low = [right for _, right, _ in constraints]
    high = [right if sense == "eq" else np.inf for _, right, sense in constraints]
    relations = LinearConstraint(rows, low, high)
    bounds = Bounds([1 if k in protection.primary else 0 for k in keys],
                    [protection.threshold - 1 if k in protection.primary else np.inf for k in keys])  # fmt: skip
    whole = np.ones(len(keys))
    first: Any = None  # the first whole solution found
    free = np.array([k in free_already for k in keys])  # some whole solution gives it another value than the first
    fixed = _fixed_by_sums(rows[[sense == "eq" for _, _, sense in constraints]])
    directions = np.random.default_rng(0).choice([-1.0, 1.0], size=(SPREAD, len(keys)))  # fixed: the same tables, the same work
    spread = len(keys) - int(free.sum()) > SPREAD  # solutions far apart clear many counts at once, once a first is known
    for i in range(len(keys)):
        for sign in (1, -1):
            if free[i] or fixed[i]:
                break
            objective = np.zeros(len(keys))
            objective[i] = sign
            result = milp(objective, constraints=relations, integrality=whole, bounds=bounds)
            if result.status != 0:  # unbounded: certainly not pinned
                free[i] = True
            else:
                first = np.round(result.x) if first is None else first
                free |= np.round(result.x) != first
        if spread and first is not None:
            spread = False
            for objective in directions:
                result = milp(objective, constraints=relations, integrality=whole, bounds=Bounds(bounds.lb, np.minimum(bounds.ub, 10**6)))
                if result.status == 0:
                    free |= np.round(result.x) != first
    return {k for k, f in zip(keys, free, strict=True) if not f}


def _fixed_by_sums(equalities: Any) -> Any:
    """Which counts the equalities alone fix (each is a sum of the others): those whose own unit
    vector lies in the equalities' row space, i.e. that no direction within the equalities moves."""
    import numpy as np
    from scipy.linalg import null_space  # type: ignore[import-untyped]

    if not len(equalities):
        return np.zeros(equalities.shape[1], dtype=bool)
    return np.all(np.abs(null_space(equalities)) < 1e-9, axis=1)


def _hide_another(key: Key, values: dict[Key, int], relations: list[Relation], protection: Protection) -> None:
    """Hide the smallest shown count in a relation through which `key` is exposed, a stat before a
    table's own numbers: its own relations first, then those that reach it through other hidden
    counts ("minors" pins the sum of its bands)."""
    reached, frontier, seen = {key}, {key}, set()
    while frontier:
        candidates: list[tuple[int, int, int, Key]] = []  # cost, hidden beside it, value, key
        linked = [i for i, (coefficients, _) in enumerate(relations) if i not in seen and frontier & coefficients.keys()]
        seen.update(linked)
        for i in linked:
            coefficients = relations[i][0]
            shown = [k for k in coefficients if k not in protection.hidden]
            hidden = len(coefficients) - len(shown)
            candidates += [(_cost(k), hidden, values[k] if values[k] else 10**9, k) for k in shown]  # a zero only when nothing else is left
        if candidates:
            protection.secondary.add(min(candidates)[-1])
            return
        frontier = {k for i in linked for k in relations[i][0]} - reached
        reached |= frontier
    # nothing shown is left around it: a count hidden for another one this round already covers it


def _cost(key: Key) -> int:
    """What hiding a count takes from the reader: a stat beside a table (a combination of answers)
    before the table's own numbers, so that a rare combination does not blank out a whole table."""
    return 0 if key[2].startswith("stats.") else 1


def _apply(tables: Tables, protection: Protection, alias: dict[Key, Key]) -> Tables:
    public = copy.deepcopy(tables)
    primary = Hidden(PRIMARY.format(threshold=protection.threshold))
    secondary = Hidden(SECONDARY)

    def mark(key: Key) -> Hidden | None:
        key = alias.get(key, key)
        return primary if key in protection.primary else secondary if key in protection.secondary else None

    for t in public:
        any_hidden = False
        for name in ("n", "n_missing", "n_not_coded"):
            if (m := mark((t.id, t.year, name))) is not None:
                setattr(t, name, m)
                any_hidden = True
        for k in list(t.counts):
            m = mark((t.id, t.year, f"counts.{k}"))
            if m is not None:
                t.counts[k] = m
                any_hidden = True
            if k in t.shares and (m is not None or isinstance(t.n, Hidden)):
                t.shares[k] = secondary  # a share would say how small
        for r, columns in t.cells.items():
            for c in columns:
                if (m := mark((t.id, t.year, f"cells.{r}.{c}"))) is not None:
                    columns[c] = m
                    any_hidden = True
        if t.within and mark((f"population.{t.within}", t.year, "n")) is not None:
            any_hidden = True  # its share of the population it lies within would say how large that is
        t.stats = {s: v for s, v in t.stats.items() if public_stat(t, s)}
        for s, v in t.stats.items():
            if (m := mark((t.id, t.year, f"stats.{s}"))) is not None:
                t.stats[s] = m
            elif any_hidden and v is not None and t.kind != "years" and not _guarded_stat(s):
                t.stats[s] = secondary  # a mean or a share beside a hidden count could say how small it is
    return public


def _guarded_stat(stat: str) -> bool:
    """A stat the audit guards as a count, hidden only where it says so."""
    return counts_people(stat) or stat == "within_n"


def public_json(value: Any) -> Any:
    """tables.json for the public: hidden numbers as their mark, never as a number."""
    if isinstance(value, Hidden):
        return str(value)
    if isinstance(value, dict):
        return {k: public_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [public_json(v) for v in value]
    return value
