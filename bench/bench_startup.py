"""What every command that redacts pays before its first chat: loading deduce and the word lists.

Each measurement runs in a fresh process, as a command would: the load itself, and one full garbage
collection after it. deduce's lookup lists are millions of small objects; loaded with the collector
on, they took 33 s on this machine and every later full collection walked them again (6 s each).
Since they are loaded with it off and then frozen, a collection after the load should cost next to
nothing. Beside it, the same process loads nothing (the interpreter and zicht's imports alone), the
smaller run to set the load against.

    python bench/bench_startup.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).parents[1] / "src")

PROBE = """
import gc, json, resource, sys, time
sys.path.insert(0, {src!r})
started = time.perf_counter()
from zicht.privacy import redaction
if {load}:
    redaction.load_redaction()
loaded = time.perf_counter() - started
started = time.perf_counter()
gc.collect()
collected = time.perf_counter() - started
print(json.dumps({{"load": loaded, "collect": collected, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3}}))
"""


def probe(load: bool) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(src=SRC, load=load)], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.splitlines()[-1]))


def main() -> None:
    probe(True)  # deduce's cache built once (~/.cache/zicht), and the disk warm: the runs below are a command's
    bare, loaded = probe(False), probe(True)
    for name, run in (("imports only", bare), ("redaction loaded", loaded)):
        print(f"{name:>17}: {run['load']:5.1f} s to load, {run['collect']:5.2f} s for a full collection after, "
              f"max RSS {run['rss_mb']:,.0f} MB")  # fmt: skip
    print(f"the load costs {loaded['load'] - bare['load']:.1f} s and {loaded['rss_mb'] - bare['rss_mb']:,.0f} MB; "
          f"a full collection with it loaded takes {loaded['collect'] / max(bare['collect'], 1e-3):.1f}x the bare one")  # fmt: skip


if __name__ == "__main__":
    main()
