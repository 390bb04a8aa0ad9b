"""A Spark session on a cluster's master, set up as zicht's jobs need it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zicht.errors import ZichtError

NEEDS_PYSPARK = "the Spark engine needs pyspark: pip install 'zicht[spark]'"


def session(master: str | None = None, executor_memory: str = "1g", partitions: int = 4) -> Any:
    """The session on `master` (`spark://host:7077`, or `local[n]` on this machine); without one, the
    session already open, or a new one on this machine's two cores. The executors run this Python,
    which has zicht installed; nothing leaves the cluster (no UI, no event log, no progress bars)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ZichtError(NEEDS_PYSPARK) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        if master is None or active.sparkContext.master == master:
            return active
        active.stop()  # one session per process: asked for another master, this one goes
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master(master or "local[2]")
        .appName("zicht")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.executor.memory", executor_memory)
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="zicht-spark-"))  # Splink breaks lineage by checkpoints
    return spark


@contextmanager
def standalone(workers: int = 2, cores: int = 1, memory: str = "1g", timeout: float = 120) -> Iterator[str]:
    """A standalone Spark cluster on this machine's loopback, from the pyspark distribution: a master and
    `workers` workers, each a process of its own as on separate machines. Yields the master's URL;
    stops them all after. For a trial and the tests; a real cluster is started by its operators."""
    try:
        import pyspark
    except ImportError:
        raise ZichtError(NEEDS_PYSPARK) from None
    home = Path(pyspark.__file__).parent
    spark_class = str(home / "bin" / "spark-class")
    folder = Path(tempfile.mkdtemp(prefix="zicht-cluster-"))
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable}
    port, ui = _free_port(), _free_port()
    url = f"spark://127.0.0.1:{port}"
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str, *argv: str) -> None:
        with (folder / f"{name}.log").open("wb") as log:
            started.append(subprocess.Popen([spark_class, *argv], env=env, stdout=log, stderr=subprocess.STDOUT))

    try:
        start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui))
        for n in range(workers):
            start(f"worker-{n}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", str(cores),
                  "--memory", memory, "--webui-port", str(_free_port()), "--work-dir", str(folder / f"work-{n}"), url)  # fmt: skip
        _wait_for_workers(workers, timeout, folder)
        yield url
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for_workers(workers: int, timeout: float, folder: Path) -> None:
    """Until the master's log says every worker has registered (read from its file: no request is made)."""
    deadline = time.monotonic() + timeout
    log = folder / "master.log"
    while time.monotonic() < deadline:
        if log.exists() and log.read_text("utf-8", errors="replace").count("Registering worker") >= workers:
            return
        time.sleep(0.5)
    raise ZichtError(f"the Spark cluster did not start within {timeout:.0f} s; its logs are in {folder}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
