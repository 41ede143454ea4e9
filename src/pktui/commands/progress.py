"""Progress of long command-line work (``pktui index``), drawn by Rich on standard error.

Drawn only when the stream is a terminal: piped or redirected, nothing is written, so a
script reading standard error sees only the messages.
"""

from __future__ import annotations

from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn


class ProgressBar:
    """Callable as ``progress(done, total)``; a context manager that clears up the display
    (the cursor shown again) however the work ends."""

    def __init__(self, stream: TextIO, label: str = "extracting") -> None:
        self.console = Console(file=stream, highlight=False, markup=False, emoji=False)
        self.label = label
        self.enabled = self.console.is_terminal
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._progress is None or self._task is None:
            self._progress = Progress(
                TextColumn(self.label, markup=False),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=self.console,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._task = self._progress.add_task(self.label, total=total)
            self._progress.start()
        self._progress.update(self._task, completed=done, total=total)
        if done >= total:
            self.close()

    def close(self) -> None:
        """Stop drawing: the bar stays as last drawn, on its own line."""
        if self._progress is not None:
            self._progress.stop()
        self._progress, self._task = None, None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
