"""A large export streams: peak memory of reading it, and of importing it, against file size.

    python bench/import_large.py [READ_MB] [IMPORT_MB ...]

Writes a JSONL export of READ_MB (default 2048) by repeating the synthetic chats under new ids,
reads it with `read_chats` in a child process, and prints the peak memory (max RSS); then does
the same for `zicht import` into a fresh project for each IMPORT_MB (default 50 and 200). The
baseline is the smallest size in the same run: constant memory means the ratio stays near 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zicht.synth import generate
from zicht.transcripts.writers import conversation_json

READ = """
import resource, sys
from pathlib import Path
from zicht.transcripts import read_chats
n = sum(1 for _ in read_chats(Path(sys.argv[1]), ("fier", "csg")))
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""

IMPORT = """
import resource, sys
from pathlib import Path
from zicht.pipeline.imports import import_files
from zicht.pipeline.project import Project
[(_, result)] = import_files(Project.init(Path(sys.argv[2])), [Path(sys.argv[1])])
print(result.stored, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def write_export(path: Path, megabytes: int) -> int:
    lines = [json.loads(json.dumps(conversation_json(c), default=str)) for c in generate(2020, 0).conversations]
    target, written, n = megabytes << 20, 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            record = lines[n % len(lines)]
            line = json.dumps({**record, "id": f"L{n:09d}"}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def run(code: str, *args: str) -> tuple[int, int, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    records, peak = map(int, done.stdout.split()[-2:])
    return records, peak, time.perf_counter() - start


def main(read_mb: int, import_mbs: list[int]) -> None:
    with tempfile.TemporaryDirectory(dir=Path.home()) as folder:
        print(f"{'what':<8} {'MB':>6} {'records':>10} {'peak MB':>8} {'ratio':>6} {'seconds':>8} {'MB/s':>6}")
        for what, sizes in (("read", sorted({64, read_mb})), ("import", sorted(import_mbs))):
            base = None
            for mb in sizes:
                path = Path(folder) / f"export-{mb}.jsonl"
                write_export(path, mb)
                args = (str(path),) if what == "read" else (str(path), str(Path(folder) / f"project-{mb}"))
                records, peak, seconds = run(READ if what == "read" else IMPORT, *args)
                base = base or peak
                print(f"{what:<8} {mb:>6} {records:>10} {peak:>8} {peak / base:>6.2f} {seconds:>8.1f} {mb / seconds:>6.1f}")
                path.unlink()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2048, [int(a) for a in sys.argv[2:]] or [50, 200])
