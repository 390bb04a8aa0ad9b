"""The layers hold: the core knows nothing of Django, the store, the pipeline, the workbench or the
command line; each layer imports only from the layers below it (function-local imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

import click
import pytest

SOURCE = Path(__file__).parents[1] / "src" / "zicht"
CORE = ("codebook", "knowledge", "transcripts", "privacy", "reading", "linkage", "coding", "analysis", "report", "synth", "spark",
        "exchange")  # fmt: skip
ABOVE = {  # what a package of each layer may not import
    **{core: ("django", "zicht.store", "zicht.pipeline", "zicht.web", "zicht.cli") for core in CORE},
    "store": ("zicht.pipeline", "zicht.web", "zicht.cli"),
    "pipeline": ("django", "zicht.web", "zicht.cli"),
    "web": ("zicht.cli",),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", sorted(ABOVE))
def test_no_package_imports_from_a_layer_above_it(package: str) -> None:
    forbidden = ABOVE[package]
    wrong = [
        f"{path.relative_to(SOURCE.parent)}:{line} imports {name}"
        for path in sorted((SOURCE / package).rglob("*.py"))
        for line, name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]
    assert wrong == []


def test_every_command_explains_itself_in_its_help() -> None:
    from zicht.cli import main

    def commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
        found = []
        for name, command in group.commands.items():
            found.append((f"{prefix} {name}", command))
            if isinstance(command, click.Group):
                found += commands(command, f"{prefix} {name}")
        return found

    silent = [name for name, command in commands(main, "zicht") if len((command.help or "").split()) < 5]
    assert silent == []
    assert len(commands(main, "zicht")) >= 25
