"""A plotext chart drawn in a worker: the widget shows the last chart built.

Plotext builds a chart in pure Python: 0.1-0.2 s of the UI thread for a wide one (a figures
view at 100,000 articles held the screen that long each time the cursor rested). Here each
chart is built on a plotext figure of its own in a thread, turned into a ``Text`` there, and
only shown on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import RenderResult
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

#: what draws a chart on a plotext figure (called in the worker)
Drawing = Callable[[Plot], None]


class ChartPlot(PlotextPlot):
    """A chart built off the UI thread; ``draw`` asks for one, the newest asked wins."""

    _built: Text | None = None
    _drawing: Drawing | None = None
    _asked = 0  # charts asked for
    _shown = 0  # the newest of them shown

    @property
    def drawn(self) -> bool:
        """Is the newest chart asked for on screen?"""
        return self._shown == self._asked

    def render(self) -> RenderResult:
        return self._built if self._built is not None else Text()

    def draw(self, drawing: Drawing) -> None:
        """Build the chart ``drawing`` draws, at this widget's size and theme, in a worker."""
        self._drawing = drawing
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return  # drawn when it gets a size (on_resize)
        self._asked += 1
        self._build(drawing, width, height, self._get_plotext_theme_name(self.app.theme), self._asked)

    def on_resize(self) -> None:
        if self._drawing is not None:
            self.draw(self._drawing)

    @work(thread=True, exclusive=True, group="chart", description="chart", exit_on_error=False)
    def _build(self, drawing: Drawing, width: int, height: int, theme: str, asked: int) -> None:
        plot = Plot()
        plot.plotsize(width, height)
        plot._set_size(width, height)  # (as textual-plotext does: the size holds only with both)
        drawing(plot)
        plot.theme(theme)  # after the drawing, as the widget sets it (its colours for the plots)
        text = Text.from_ansi(plot.build())
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, text, asked)

    def _show(self, text: Text, asked: int) -> None:
        if asked < self._shown:
            return  # (an older chart's worker finished after a newer one's)
        self._built, self._shown = text, asked
        self.refresh()
