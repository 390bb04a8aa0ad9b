"""The phrase bank of the synthetic chats (`phrases.yaml`) and how its templates are filled."""

from __future__ import annotations

import random
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def bank() -> dict[str, Any]:
    text = (resources.files("zicht.synth") / "phrases.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def fill(template: str, slots: dict[str, str]) -> str:
    """The template with each `{slot}` it has a value for filled in; the others stay as they are."""
    return re.sub(r"\{(\w+)\}", lambda m: slots.get(m.group(1), m.group(0)), template)


def pick(rng: random.Random, options: list[str]) -> str:
    """One of the options, each `{~part}` in it drawn from the bank's `parts` (a phrase built from
    independent pieces: "{~if_refuse}, {~then_hurt}" is any condition with any threat)."""
    return _PART.sub(lambda m: pick(rng, bank()["parts"][m.group(1)]), rng.choice(options))


_PART = re.compile(r"\{~(\w+)\}")
