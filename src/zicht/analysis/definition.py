"""The monitor definition: which populations and tables the yearly monitor has, as data.

The definition names codebook variables and categories; it is checked against the codebook
when loaded, so a renamed category is an error with its place in the file, never a silent 0.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from zicht.codebook import Codebook, load_codebook
from zicht.errors import CodebookError

TableKind = Literal["distribution", "crosstab", "months", "coverage"]
MINOR = "minor"  # the derived variable of rule R7


@dataclass(frozen=True)
class Rule:
    """One condition of a population; exactly one of the tests is set."""

    variable: str
    equals: Any = None
    in_: tuple[str, ...] | None = None
    includes: str | None = None
    is_: frozenset[str] | None = None
    known: bool | None = None
    on_or_after: tuple[int, int] | None = None  # (month, day) in the monitor's year


@dataclass(frozen=True)
class Population:
    id: str
    label: str
    within: str | None = None
    where: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    id: str
    kind: TableKind
    population: str
    variable: str | None = None
    title: str | None = None
    figure: str = ""  # "" none | bars | combinations (many: each exact set of answers) | months
    denominator: Literal["known", "population"] | None = None  # None: the codebook's missing rule
    groups: tuple[Group, ...] = ()
    rows: str | None = None
    columns: str | None = None
    count: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class AgeBand:
    id: str
    label: str
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class Reference:
    value: float
    label: str


@dataclass(frozen=True)
class FlowText:
    """The words of chapter 2's table (flagged chats to unique visitors)."""

    title: str = "Van aangemerkte chats naar unieke bezoekers"
    population: str = "Aangemerkte chatgesprekken van het jaar"
    labels: dict[str, str] = field(default_factory=dict)  # `channel` is a pattern: "Via {}"


@dataclass(frozen=True)
class ThemeAnalysis:
    """A thematic analysis of a subset (chapter 4): passages of its chats coded by theme, the themes being
    the categories of a codebook variable; each theme counted by that variable's table over the subset."""

    id: str
    label: str
    population: str  # the subset
    variable: str  # a `many` variable: its categories are the themes
    quotes: int  # at most this many quotes per theme in the report

    @property
    def table(self) -> str:
        return f"{self.population}.{self.variable}"


@dataclass(frozen=True)
class MonitorDefinition:
    codebook: str
    populations: dict[str, Population]
    tables: tuple[TableSpec, ...]
    age_variable: str
    age_young: int
    age_duration: str | None
    age_bands: tuple[AgeBand, ...]
    age_for: tuple[str, ...]
    minor_label: str
    minor_categories: dict[str, str]
    references: dict[str, Reference] = field(default_factory=dict)
    compare: tuple[str, ...] = ()
    flow: FlowText = field(default_factory=FlowText)
    # variables whose counts tell about the chat, not a person (its language): a public report
    # shows them, also the small ones, as the published report did ("282 van de 283 in het Nederlands")
    about_the_chat: frozenset[str] = frozenset()
    themes: dict[str, ThemeAnalysis] = field(default_factory=dict)


_TOP_KEYS = {
    "codebook", "flow", "age", "minor", "references", "populations", "per_variable", "figures_for", "age_for", "tables", "compare",
    "about_the_chat", "themes",
}  # fmt: skip
_TABLE_KEYS = {"id", "kind", "population", "variable", "title", "figure", "denominator", "groups", "rows", "columns", "count", "reference"}
_RULE_TESTS = {"equals", "in", "includes", "is", "known", "on_or_after"}


def builtin_definition(codebook_id: str) -> MonitorDefinition:
    """The built-in monitor definition of a codebook version."""
    name = f"monitor-{codebook_id}.yaml"
    data = resources.files("zicht.analysis") / "data" / name
    if not data.is_file():
        raise CodebookError(f"no built-in monitor definition for codebook {codebook_id!r} ({name})")
    return _cached(codebook_id, data.read_text("utf-8"))


@functools.cache
def _cached(codebook_id: str, text: str) -> MonitorDefinition:
    return parse_definition(text, f"monitor-{codebook_id}.yaml", load_codebook(codebook_id))


def load_definition(path: Path, codebook: Codebook) -> MonitorDefinition:
    return parse_definition(path.read_text("utf-8"), str(path), codebook)


def parse_definition(text: str, source: str, codebook: Codebook) -> MonitorDefinition:
    raw = yaml.safe_load(text)
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise CodebookError(f"{source}: expected a mapping at the top")
    problems += [f"unknown key {k!r}" for k in raw if k not in _TOP_KEYS]
    if raw.get("codebook") != codebook.id:
        problems.append(f"codebook: is {raw.get('codebook')!r}, the data are coded with {codebook.id!r}")
    check = _Checker(codebook, problems)
    populations = {pid: check.population(pid, spec or {}) for pid, spec in (raw.get("populations") or {}).items()}
    for p in populations.values():
        if p.within is not None and p.within not in populations:
            problems.append(f"populations.{p.id}.within: unknown population {p.within!r}")
    age = raw.get("age") or {}
    minor = raw.get("minor") or {}
    flow = raw.get("flow") or {}
    problems += [f"flow: unknown key {k!r}" for k in flow if k not in ("title", "population", "labels")]
    tables = _auto_tables(codebook, raw, populations, problems)
    for i, spec in enumerate(raw.get("tables") or []):
        table = check.table(f"tables[{i}]", spec, populations)
        tables[table.id] = table
    definition = MonitorDefinition(
        codebook=codebook.id,
        populations=populations,
        tables=tuple(tables.values()),
        age_variable=str(age.get("variable", "")),
        age_young=int(age.get("young", 15)),
        age_duration=age.get("duration"),
        age_bands=tuple(AgeBand(str(b["id"]), str(b["label"]), b.get("min"), b.get("max")) for b in age.get("bands") or []),
        age_for=tuple(raw.get("age_for") or ()),
        minor_label=str(minor.get("label", "Minderjarig")),
        minor_categories={str(c["id"]): str(c["label"]) for c in minor.get("categories") or []},
        references={k: Reference(float(v["value"]), str(v["label"])) for k, v in (raw.get("references") or {}).items()},
        compare=tuple(raw.get("compare") or ()),
        flow=FlowText(**{k: v for k, v in flow.items() if k in ("title", "population", "labels")}),
        about_the_chat=frozenset(map(str, raw.get("about_the_chat") or ())),
        themes={aid: check.themes(f"themes.{aid}", aid, spec or {}, tables) for aid, spec in (raw.get("themes") or {}).items()},
    )
    problems += [f"about_the_chat: unknown variable {v!r}" for v in sorted(definition.about_the_chat) if v not in codebook]
    if definition.age_variable not in codebook or codebook[definition.age_variable].type != "integer":
        problems.append(f"age.variable: {definition.age_variable!r} is not an integer variable of {codebook.id}")
    problems += [f"age_for: unknown population {p!r}" for p in definition.age_for if p not in populations]
    if set(definition.minor_categories) != {"yes", "no"}:
        problems.append("minor.categories: needs the ids yes and no")
    if problems:
        raise CodebookError("\n".join(f"{source}: {p}" for p in problems))
    return definition


def _auto_tables(codebook: Codebook, raw: dict[str, Any], populations: dict[str, Population], problems: list[str]) -> dict[str, TableSpec]:
    """A distribution of every categorical variable over each `per_variable` population."""
    tables: dict[str, TableSpec] = {}
    with_figure = set(raw.get("figures_for") or ())
    for pid in raw.get("per_variable") or ():
        if pid not in populations:
            problems.append(f"per_variable: unknown population {pid!r}")
            continue
        for variable in codebook:
            if variable.type in ("one", "many", "flag"):
                tables[f"{pid}.{variable.id}"] = TableSpec(
                    f"{pid}.{variable.id}",
                    "distribution",
                    pid,
                    variable.id,
                    figure="bars" if pid in with_figure and variable.type != "flag" else "",
                )
    return tables


class _Checker:
    def __init__(self, codebook: Codebook, problems: list[str]) -> None:
        self.codebook = codebook
        self.problems = problems

    def variable(self, where: str, variable_id: Any, categories: tuple[str, ...] = ()) -> None:
        if variable_id == MINOR:
            return
        if variable_id not in self.codebook:
            self.problems.append(f"{where}: unknown variable {variable_id!r}")
            return
        known = self.codebook[variable_id].category_ids
        self.problems.extend(f"{where}: {variable_id} has no category {c!r}" for c in categories if c not in known)

    def population(self, pid: str, spec: dict[str, Any]) -> Population:
        rules = []
        for i, r in enumerate(spec.get("where") or ()):
            where = f"populations.{pid}.where[{i}]"
            tests = set(r) & _RULE_TESTS
            if set(r) - _RULE_TESTS - {"variable"} or len(tests) != 1:
                self.problems.append(f"{where}: needs `variable` and one of {sorted(_RULE_TESTS)}")
                continue
            values = r.get("in") or r.get("is") or ([r["includes"]] if "includes" in r else [])
            if "equals" in r and isinstance(r["equals"], str):
                values = [r["equals"]]
            self.variable(where, r.get("variable"), tuple(values))
            start = None
            if "on_or_after" in r:
                month, day = (int(x) for x in str(r["on_or_after"]).split("-"))
                start = (month, day)
            rules.append(
                Rule(
                    variable=r["variable"],
                    equals=r.get("equals"),
                    in_=tuple(r["in"]) if "in" in r else None,
                    includes=r.get("includes"),
                    is_=frozenset(r["is"]) if "is" in r else None,
                    known=r.get("known"),
                    on_or_after=start,
                )
            )
        return Population(pid, str(spec.get("label", pid)), spec.get("within"), tuple(rules))

    def themes(self, where: str, aid: str, spec: dict[str, Any], tables: dict[str, TableSpec]) -> ThemeAnalysis:
        self.problems.extend(f"{where}: unknown key {k!r}" for k in spec if k not in ("label", "population", "variable", "quotes"))
        quotes = spec.get("quotes", 3)
        if not isinstance(quotes, int) or quotes < 0:
            self.problems.append(f"{where}.quotes: expected a whole number of quotes per theme, got {quotes!r}")
            quotes = 0
        analysis = ThemeAnalysis(aid, str(spec.get("label", aid)), str(spec.get("population")), str(spec.get("variable")), quotes)
        if analysis.variable not in self.codebook or self.codebook[analysis.variable].type != "many":
            self.problems.append(f"{where}.variable: {analysis.variable!r} is no multiple-answer variable of {self.codebook.id}")
        elif analysis.table not in tables:
            self.problems.append(f"{where}: no table {analysis.table} to count the themes by (add {analysis.population} to per_variable)")
        return analysis

    def figure(self, where: str, kind: str, figure: Any) -> str:
        if figure is True:
            return "months" if kind == "months" else "bars"
        if figure in ("", False, "bars", "combinations"):
            return str(figure or "")
        self.problems.append(f"{where}.figure: expected true, bars or combinations, got {figure!r}")
        return ""

    def table(self, where: str, spec: dict[str, Any], populations: dict[str, Population]) -> TableSpec:
        self.problems.extend(f"{where}: unknown key {k!r}" for k in spec if k not in _TABLE_KEYS)
        kind = spec.get("kind", "distribution")
        if spec.get("population") not in populations:
            self.problems.append(f"{where}: unknown population {spec.get('population')!r}")
        groups = tuple(Group(gid, str(g["label"]), tuple(g["categories"])) for gid, g in (spec.get("groups") or {}).items())
        for name in ("variable", "rows", "columns"):
            if name in spec:
                self.variable(f"{where}.{name}", spec[name], tuple(c for g in groups for c in g.categories) if name == "variable" else ())
        return TableSpec(
            id=str(spec.get("id")),
            kind=kind,
            population=str(spec.get("population")),
            variable=spec.get("variable"),
            title=spec.get("title"),
            figure=self.figure(where, kind, spec.get("figure", "")),
            denominator=spec.get("denominator"),
            groups=groups,
            rows=spec.get("rows"),
            columns=spec.get("columns"),
            count=spec.get("count"),
            reference=spec.get("reference"),
        )
