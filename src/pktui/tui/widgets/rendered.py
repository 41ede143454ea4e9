"""A long Rich renderable laid out in a worker, then shown a line at a time (the help screen).

Rich lays out a hundred-row table in pure Python: 0.2 s of the UI thread at a wide terminal,
longer on a loaded machine, every time the help opened. Here the renderable is cut into lines at
the view's width in a thread; the UI thread only crops the lines on screen. Lines already laid
out at a width are kept in a cache the caller may share, so a second opening is immediate.
"""

from __future__ import annotations

from collections.abc import Hashable, MutableMapping

from rich.console import RenderableType
from textual import work
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

#: laid-out lines by (the caller's key, width)
LineCache = MutableMapping[tuple[Hashable, int], list[Strip]]


class RenderedView(ScrollView, can_focus=True):
    """Shows ``renderable`` wrapped to the view's width; laid out off the UI thread."""

    DEFAULT_CSS = """
    RenderedView { overflow-x: hidden; scrollbar-gutter: stable; }
    """

    def __init__(
        self,
        renderable: RenderableType,
        *,
        key: Hashable = None,
        cache: LineCache | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._renderable = renderable
        self._key = key
        self._cache: LineCache = cache if cache is not None else {}
        self._lines: list[Strip] = []
        self._width = -1  # the width the shown lines were laid out at
        self._asked = -1  # the width last asked for

    @property
    def drawn(self) -> bool:
        """Are the lines on screen laid out at the view's present width?"""
        return self._width == self._asked and self._width > 0

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._asked:
            return
        self._asked = width
        lines = self._cache.get((self._key, width))
        if lines is not None:
            self._show(lines, width)
        else:
            self._lay_out(width)

    @work(thread=True, exclusive=True, group="lay-out", description="lay out", exit_on_error=False)
    def _lay_out(self, width: int) -> None:
        console = self.app.console
        options = console.options.update_width(width)
        lines = [Strip(line, width) for line in console.render_lines(self._renderable, options, pad=True)]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._laid_out, lines, width)

    def _laid_out(self, lines: list[Strip], width: int) -> None:
        self._cache[(self._key, width)] = lines
        if width == self._asked:
            self._show(lines, width)

    def _show(self, lines: list[Strip], width: int) -> None:
        self._lines, self._width = lines, width
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        if width <= 0 or index >= len(self._lines):
            return Strip.blank(max(0, width), self.rich_style)
        return self._lines[index].apply_style(self.rich_style).crop_extend(0, width, self.rich_style)
