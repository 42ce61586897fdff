"""CPU time of process trees, read from /proc/<pid>/stat (user + system, all threads).

The kernel reports it in clock ticks (10 ms here), so a figure is usable only when the process
used well over that during a test; `Usage.coarse` says when it did not.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")
COARSE_BELOW_S = 0.05  # 5 ticks: under this the figure is mostly rounding


def _processes() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds so far) for every process now alive."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        # after the command name: state ppid ... utime (12th) stime (13th)
        table[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK)
    return table


def tree_seconds(roots: list[int]) -> float | None:
    """CPU seconds used so far by the processes `roots` and their living descendants."""
    if not roots:
        return None
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, seen, todo = 0.0, set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in table:
            continue
        seen.add(pid)
        total += table[pid][1]
        todo.extend(children.get(pid, ()))
    return total


@dataclass
class Usage:
    seconds: float
    wall: float

    @property
    def cores(self) -> float:
        return self.seconds / self.wall if self.wall > 0 else 0.0

    @property
    def coarse(self) -> bool:
        return self.seconds < COARSE_BELOW_S


class Meter:
    """CPU used by a process tree between start() and stop()."""

    def __init__(self, roots: list[int]):
        self.roots = roots
        self.begin = None

    def start(self) -> None:
        self.begin = tree_seconds(self.roots)

    def stop(self, wall: float) -> Usage | None:
        end = tree_seconds(self.roots)
        if self.begin is None or end is None:
            return None
        return Usage(max(0.0, end - self.begin), wall)
