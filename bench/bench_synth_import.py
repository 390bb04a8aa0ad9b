"""Generate and import a corpus 100 times the size of 2020 (53,900 chats).

Prints chats per second for generation and for import, and the most memory the process held
during each import: first a file 10x smaller as the baseline, then the big one, in the same
process, so that the ratio shows whether import memory grows with file size (it should not:
the readers stream, and messages are written in batches). Issue 16's target: at least 2,000
chats/s into SQLite, sealed and pseudonymised.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.memory import Peak
from zicht.pipeline.imports import import_files
from zicht.pipeline.project import Project
from zicht.synth import generate
from zicht.transcripts import write_chats


def main(scale: int = 100) -> None:
    work = Path(tempfile.mkdtemp(prefix="zicht-bench-"))
    started = time.perf_counter()
    corpus = generate(2020, 0, scale=scale)
    generation = time.perf_counter() - started
    n = len(corpus.conversations)
    big, small = work / "big.jsonl", work / "small.jsonl"
    write_chats(corpus.conversations, big)
    write_chats((replace(c, id="S-" + c.id) for c in corpus.conversations[: n // 10]), small)
    del corpus
    print(f"generate: {n} chats in {generation:.1f} s = {n / generation:,.0f} chats/s")
    print(f"export size: {big.stat().st_size / 1e6:.1f} MB")

    project = Project.init(work / "project")
    peak, peaks, rates = Peak(), {}, {}
    for name, path in (("small (baseline)", small), ("big", big)):
        peak.reset()
        started = time.perf_counter()
        [(_, result)] = import_files(project, [path])
        seconds = time.perf_counter() - started
        peaks[name], rates[name] = peak.reset(), result.stored / seconds
        held = peaks[name] / 1e6
        print(f"import {name}: {result.stored} chats in {seconds:.1f} s = {rates[name]:,.0f} chats/s, most memory held {held:.0f} MB")
    print(
        f"big/small: {rates['big'] / rates['small (baseline)']:.2f}x the rate, {peaks['big'] / peaks['small (baseline)']:.2f}x the memory "
        "for a file 10x larger (streaming: both close to 1)"
    )
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
