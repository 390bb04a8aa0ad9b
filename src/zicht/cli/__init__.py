"""The `zicht` command: a few lines per command over `zicht.pipeline`, one module per family of commands.

Steps of the pipeline, in order: init → import → link → screen → suggest → stats → report; `measure` scores the
readers on texts annotated by hand.
"""

from zicht.cli import codebook, coding, demo, linking, measure, monitor, project, themes  # noqa: F401  (each adds its commands)
from zicht.cli.group import main

__all__ = ["main"]
