"""What one benchmarked process measures: wall time per stage and peak RSS of its process tree."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psutil

SAMPLE_EVERY_S = 0.25


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (worker pools included)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


@dataclass
class StageClock:
    """Times named stages and keeps each stage's peak tree RSS, sampled by a background thread."""

    seconds: dict[str, float] = field(default_factory=dict)
    peak_rss: dict[str, int] = field(default_factory=dict)
    _current: str | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._process = psutil.Process(os.getpid())
        self._thread = threading.Thread(target=self._sample, name="rss-sampler", daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            stage = self._current
            if stage is not None:
                rss = tree_rss(self._process)
                self.peak_rss[stage] = max(rss, self.peak_rss.get(stage, 0))
            self._stop.wait(SAMPLE_EVERY_S)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._current = name
        self.peak_rss[name] = tree_rss(self._process)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - start
            self.peak_rss[name] = max(tree_rss(self._process), self.peak_rss[name])
            self._current = None

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
