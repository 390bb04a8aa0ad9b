"""Generate and import a corpus 100 times the size of 2020 (36,400 chats).

Prints chats per second for generation and for import, and peak memory; then imports a
file 10x smaller in the same process as the baseline, so that the ratio shows whether
import memory grows with file size (it should not: the readers stream).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

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
    peaks = {}
    for name, path in (("small (baseline)", small), ("big", big)):
        tracemalloc.start()
        started = time.perf_counter()
        [(_, result)] = import_files(project, [path])
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        peaks[name] = peak
        print(
            f"import {name}: {result.stored} chats in {seconds:.1f} s = {result.stored / seconds:,.0f} chats/s, "
            f"peak traced memory {peak / 1e6:.1f} MB"
        )
    ratio = peaks["big"] / peaks["small (baseline)"]
    print(f"import memory big/small: {ratio:.2f} for a file 10x larger (streaming: close to 1)")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
