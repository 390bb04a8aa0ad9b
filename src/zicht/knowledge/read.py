"""Reading a knowledge file: each value checked for its type as it is taken, every problem noted with its place.

A knowledge file (the lexicon, the suggestion rules, the linkage priors, the redaction and
identifier patterns) is compiled as the codebook is: the whole file is read, every problem is
collected as `lexicon-nl.yaml: facts.coercion.violence[2]: not a regular expression (...)`,
and only a file without problems becomes typed objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from zicht.codebook import Codebook, load_codebook
from zicht.errors import KnowledgeError, ZichtError

T = TypeVar("T")


class Reader:
    """Takes values out of a parsed file by their place (`facts.coercion`), noting what is wrong instead of raising."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def codebook(self, raw: dict[str, Any]) -> Codebook:
        """The codebook the file names (`codebook: nl-2020`): nothing else can be checked without it."""
        name = raw.get("codebook")
        if not isinstance(name, str):
            raise KnowledgeError(f"{self.source}: codebook: name the codebook whose variables the file names (e.g. 'codebook: nl-2020')")
        try:
            return load_codebook(name)
        except ZichtError as e:
            raise KnowledgeError(f"{self.source}: codebook: {e}") from None

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}" if where else what)

    def fields(self, raw: Any, where: str, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Any]:
        """A mapping with these keys: a missing required one and an unknown one are problems."""
        if not isinstance(raw, dict):
            self.problem(where, "must be a mapping")
            return {}
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in raw:
            if key not in allowed:
                self.problem(_at(where, str(key)), "unknown key")
        for key in required:
            if key not in raw:
                self.problem(where, f"missing key '{key}'")
        return raw

    def listed(self, raw: Any, where: str, shape: str) -> list[tuple[str, Any]]:
        """The items of a list, each with its place (`span[3]`)."""
        if not isinstance(raw, list):
            self.problem(where, f"must be a list of {shape}")
            return []
        return [(f"{where}[{i}]", item) for i, item in enumerate(raw)]

    def mapping(self, raw: Any, where: str) -> dict[str, Any]:
        if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
            self.problem(where, "must be a mapping of names")
            return {}
        return raw

    def text(self, raw: Any, where: str) -> str:
        if not isinstance(raw, str):
            self.problem(where, f"must be text (found {raw!r})")
            return ""
        return raw

    def number(self, raw: Any, where: str, low: float, high: float) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not low <= raw <= high:
            self.problem(where, f"must be a number from {low:g} to {high:g} (found {raw!r})")
            return low
        return float(raw)

    def whole(self, raw: Any, where: str, low: int, high: int) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            self.problem(where, f"must be a whole number from {low} to {high} (found {raw!r})")
            return low
        return raw

    def words(self, raw: Any, where: str) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(w, str) for w in raw):
            self.problem(where, "must be a list of words")
            return ()
        return tuple(raw)

    def pattern(self, raw: Any, where: str, flags: int = 0, groups: Iterable[str] = ()) -> re.Pattern[str]:
        """A regular expression that compiles and has the named groups the code reads from it."""
        return self.one_of(self.patterns([raw], where, groups=groups, one=True), flags)

    def patterns(self, raw: Any, where: str, groups: Iterable[str] = (), one: bool = False) -> tuple[str, ...]:
        """Regular expressions, checked one by one (each with the named groups); returned as text."""
        if not isinstance(raw, list):
            self.problem(where, "must be a list of regular expressions")
            return ()
        good = []
        for i, item in enumerate(raw):
            here = where if one else f"{where}[{i}]"
            if not isinstance(item, str):
                self.problem(here, f"must be a regular expression in quotes (found {item!r})")
                continue
            try:
                compiled = re.compile(item)
            except re.error as e:
                self.problem(here, f"not a regular expression ({e})")
                continue
            missing = [g for g in groups if g not in compiled.groupindex]
            if missing:
                self.problem(here, f"needs the named group(s) {', '.join(missing)}, e.g. (?P<{missing[0]}>...)")
                continue
            good.append(item)
        return tuple(good)

    def compiled(self, raw: Any, where: str, groups: Iterable[str] = (), flags: int = re.IGNORECASE) -> tuple[re.Pattern[str], ...]:
        """Regular expressions kept apart, in order (each searched on its own), checked as `patterns` does."""
        return tuple(re.compile(p, flags) for p in self.patterns(raw, where, groups))

    @staticmethod
    def one_of(patterns: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
        """One expression for several: a text is searched once, not once per pattern."""
        return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)", flags)

    def category(self, codebook: Codebook, variable: str, category: Any, where: str) -> None:
        """A value the file names must be a category of the codebook's variable (a flag's is `true`)."""
        if variable not in codebook:
            self.problem(where, f"'{variable}' is no variable of codebook {codebook.id}")
            return
        var = codebook[variable]
        allowed = ("true", "false") if var.type == "flag" else var.category_ids
        if (str(category).lower() if var.type == "flag" else category) not in allowed:
            self.problem(where, f"'{category}' is no category of '{variable}' in codebook {codebook.id} ({', '.join(allowed)})")


def frozen(mapping: Mapping[str, T]) -> Mapping[str, T]:
    return MappingProxyType(dict(mapping))


def load(package: str, name: str, compile_: Callable[[Reader, dict[str, Any]], T]) -> T:
    """A shipped knowledge file (`zicht.reading`, `lexicon-nl.yaml`), compiled."""
    return parse((resources.files(package) / "data" / name).read_text("utf-8"), name, compile_)


def parse(text: str, source: str, compile_: Callable[[Reader, dict[str, Any]], T]) -> T:
    """A knowledge file's text as typed objects, or a KnowledgeError listing every problem with its place."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise KnowledgeError(f"{source}: not valid YAML: {e}") from None
    reader = Reader(source)
    result = compile_(reader, reader.mapping(raw, ""))
    if reader.problems:
        raise KnowledgeError("\n".join(f"{source}: {p}" for p in reader.problems))
    return result


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
