"""Shared by the fuzz tests: how many examples (ZICHT_FUZZ_EXAMPLES; `make fuzz` runs 100,000 each),
and byte-level mutations of a valid file, which reach deeper than random bytes do."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("ZICHT_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=5000,  # a hang is a failure: no example may take seconds
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@st.composite
def mutated(draw: st.DrawFn, valid: bytes) -> bytes:
    """The valid bytes with a few bytes replaced, inserted or cut, or cut short."""
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        where = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["replace", "insert", "delete", "truncate", "duplicate"]))
        if how == "replace":
            data[where] = draw(st.integers(0, 255))
        elif how == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=8))
        elif how == "delete":
            del data[where : where + draw(st.integers(1, 16))]
        elif how == "truncate":
            del data[where:]
        else:
            end = min(len(data), where + draw(st.integers(1, 200)))
            data[where:where] = data[where:end]
    return bytes(data)
