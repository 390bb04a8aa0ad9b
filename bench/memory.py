"""Memory as the operating system sees it: what a step of a benchmark held at most."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


class Peak:
    """The process's resident memory, sampled every 20 ms: the most it held since the last reset."""

    def __init__(self) -> None:
        self.most = 0
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while True:
            self.most = max(self.most, _rss())
            time.sleep(0.02)

    def reset(self) -> int:
        most, self.most = self.most, _rss()
        return most


class TreePeak:
    """The resident memory of this process and every process it started (a local Spark cluster: the driver's
    JVM, the master, the workers, their executors and the executors' Python workers), sampled every two
    seconds (a scan of /proc every half second took a tenth of a core); and the most one executor held with
    its Python workers. Shared pages are counted in each process that maps them, so the sum is an upper bound."""

    EXECUTOR = "CoarseGrainedExecutorBackend"

    def __init__(self) -> None:
        self.most = self.most_executor = 0
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while True:
            tree, executors = _tree_rss(os.getpid(), self.EXECUTOR)
            self.most, self.most_executor = max(self.most, tree), max(self.most_executor, max(executors, default=0))
            time.sleep(2)

    def reset(self) -> tuple[int, int]:
        most, self.most, self.most_executor = (self.most, self.most_executor), 0, 0
        return most


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _tree_rss(root: int, marked: str) -> tuple[int, list[int]]:
    """The resident bytes of `root` and its descendants, and of each subtree whose command line holds `marked`."""
    parent, rss, command = {}, {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            rss[int(entry.name)] = int((entry / "statm").read_text().split()[1]) * PAGE
            command[int(entry.name)] = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue  # the process ended while it was read
        parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])

    def under(pid: int, top: int) -> bool:
        while pid in parent and pid != top:
            pid = parent[pid]
        return pid == top

    tree = [pid for pid in rss if under(pid, root)]
    tops = [pid for pid in tree if marked.encode() in command.get(pid, b"")]
    return sum(rss[p] for p in tree), [sum(rss[p] for p in tree if under(p, top)) for top in tops]
