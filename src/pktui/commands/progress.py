"""A small progress bar for long CLI work (stderr, only drawn on a terminal)."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressBar:
    """Callable as ``progress(done, total)``; redraws at most ten times a second."""

    def __init__(self, stream: TextIO, label: str = "extracting", width: int = 30) -> None:
        self.stream = stream
        self.label = label
        self.width = width
        self.enabled = stream.isatty()
        self._last = 0.0
        self._start = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        frac = done / total if total else 1.0
        filled = int(frac * self.width)
        rate = done / (now - self._start) if now > self._start else 0.0
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\r{self.label} {bar} {done}/{total} ({rate:,.0f}/s)")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
