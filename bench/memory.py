"""Memory as the operating system sees it: what a step of a benchmark held at most."""

from __future__ import annotations

import threading
import time
from pathlib import Path


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


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0
