"""Measuring helpers shared by the benchmarks: CPU time of a server process and its children (gunicorn master and
workers, from /proc), and median/p95 of repeated timings."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (gunicorn master + workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    total = 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and p95 (nearest rank) of ``samples``."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(fn, n: int) -> tuple[float, float]:
    """Median and p95 in milliseconds of ``n`` calls of ``fn`` after one warm-up call."""
    fn()
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return percentiles(samples)
