"""A keyboard list that draws only the rows on screen (a virtual list, like toolong's log view).

The rows come from a :class:`Rows`: its length, the item a row stands for (``None`` for a
heading or a message, which the cursor skips) and the row's text, made when the row is drawn.
Filling a list of a million rows costs nothing; moving to its end costs one row. Every row has
the same height (``row_height`` lines). Messages up: :class:`VirtualList.Highlighted` when the
cursor moves, :class:`VirtualList.Selected` on Enter or a click.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pktui.tui.keymap import bindings

#: how far the cursor looks for a selectable row past headings before it gives up
SKIP_LIMIT = 2000
CACHED_ROWS = 512


class Rows(Protocol):
    """What a :class:`VirtualList` shows: rows made on demand."""

    def __len__(self) -> int: ...

    def payload(self, index: int) -> Any:
        """What row ``index`` stands for; ``None`` for headings and messages."""

    def text(self, index: int, width: int) -> Text:
        """Row ``index`` as text, ``row_height`` lines at most, for a list ``width`` cells wide."""


class ListRows:
    """Rows from a list of ``(text, payload)`` pairs (small lists: results, facts, details)."""

    def __init__(self, rows: Sequence[tuple[Text, Any]]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def payload(self, index: int) -> Any:
        return self._rows[index][1]

    def text(self, index: int, width: int) -> Text:
        return self._rows[index][0]


class MappedRows:
    """One row per item of a ``Sequence``, its text made by ``make(item, width)`` when drawn."""

    def __init__(self, items: Sequence[Any], make: Callable[[Any, int], Text]) -> None:
        self.items = items
        self._make = make

    def __len__(self) -> int:
        return len(self.items)

    def payload(self, index: int) -> Any:
        return self.items[index]

    def text(self, index: int, width: int) -> Text:
        return self._make(self.items[index], width)


class ChainedRows:
    """Several :class:`Rows` one after the other (the articles, then the skipped files)."""

    def __init__(self, *parts: Rows) -> None:
        self._parts = [p for p in parts if len(p)]

    def __len__(self) -> int:
        return sum(len(p) for p in self._parts)

    def _find(self, index: int) -> tuple[Rows, int]:
        for part in self._parts:
            if index < len(part):
                return part, index
            index -= len(part)
        raise IndexError(index)

    def payload(self, index: int) -> Any:
        part, i = self._find(index)
        return part.payload(i)

    def text(self, index: int, width: int) -> Text:
        part, i = self._find(index)
        return part.text(i, width)


EMPTY: Rows = ListRows(())


class VirtualList(ScrollView, can_focus=True):
    """A list over :class:`Rows`; never parses markup (rows are ``Text``)."""

    BINDINGS = bindings("list")
    COMPONENT_CLASSES = {"virtual-list--cursor", "virtual-list--message"}
    DEFAULT_CSS = """
    VirtualList { overflow-x: hidden; }
    VirtualList > .virtual-list--cursor { text-style: reverse; }
    VirtualList:focus > .virtual-list--cursor { text-style: reverse bold; }
    VirtualList > .virtual-list--message { color: $text-muted; text-style: italic; }
    """

    class Highlighted(Message):
        """The cursor moved to ``index`` (``payload`` is what the row stands for)."""

        def __init__(self, vlist: VirtualList, index: int, payload: Any) -> None:
            super().__init__()
            self.vlist, self.index, self.payload = vlist, index, payload

        @property
        def control(self) -> VirtualList:
            return self.vlist

    class Selected(Message):
        """Enter (or a click) on row ``index``."""

        def __init__(self, vlist: VirtualList, index: int, payload: Any) -> None:
            super().__init__()
            self.vlist, self.index, self.payload = vlist, index, payload

        @property
        def control(self) -> VirtualList:
            return self.vlist

    def __init__(self, *, row_height: int = 1, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.row_height = row_height
        self.rows: Rows = EMPTY
        self.highlighted: int | None = None
        self._empty: Text | None = None
        self._cache: OrderedDict[int, list[Strip]] = OrderedDict()
        self._cache_width = -1

    # -- attributes down ---------------------------------------------------------------

    def fill(self, rows: Rows, *, empty: str | Text | None = None, highlight: int | None = None) -> None:
        """Show ``rows`` (an ``empty`` message when there are none) with the cursor on ``highlight``
        or the first selectable row. Posts no message: the caller knows what it filled."""
        self.rows = rows
        self._empty = Text(empty) if isinstance(empty, str) else empty
        self._cache.clear()
        self._resize_virtual()
        self.highlighted = None
        target = highlight if highlight is not None and self._selectable(highlight) else self._next_enabled(0, 1)
        self.highlighted = target
        self.scroll_to(0, 0, animate=False, immediate=True)
        if target is not None:
            self._scroll_to_cursor()
        self.refresh()

    def refresh_rows(self) -> None:
        """Redraw every row (their texts changed, not their number)."""
        self._cache.clear()
        self.refresh()

    def move_to(self, index: int | None, *, announce: bool = False) -> None:
        """Put the cursor on ``index``; ``announce`` posts :class:`Highlighted`."""
        if index is not None and not self._selectable(index):
            return
        old = self.highlighted
        self.highlighted = index
        if old != index:
            self._refresh_row(old)
            self._refresh_row(index)
        self._scroll_to_cursor()
        if announce and index is not None:
            self.post_message(self.Highlighted(self, index, self.rows.payload(index)))

    # -- reading -----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def payload(self, index: int | None) -> Any:
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows.payload(index)

    @property
    def current(self) -> Any:
        return self.payload(self.highlighted)

    def texts(self) -> list[str]:
        """The plain text of every row (for tests and tools: it makes every row)."""
        if not len(self.rows):
            return [self._empty.plain] if self._empty is not None else []
        width = max(10, self.content_width)
        return [self.rows.text(i, width).plain for i in range(len(self.rows))]

    def payloads(self) -> list[Any]:
        return [p for p in (self.rows.payload(i) for i in range(len(self.rows))) if p is not None]

    def nearest_selectable(self, index: int) -> int | None:
        """``index`` if the cursor may stand there, else the next row it may (or the one before):
        where the cursor goes when its row was taken out of the list."""
        n = len(self.rows)
        if not n:
            return None
        index = max(0, min(n - 1, index))
        found = self._next_enabled(index, 1)
        return found if found is not None else self._next_enabled(index, -1)

    def select_payload(self, match: Callable[[Any], bool]) -> bool:
        """Highlight the first row whose payload satisfies ``match`` (a scan: small lists only)."""
        for i in range(len(self.rows)):
            p = self.rows.payload(i)
            if p is not None and match(p):
                self.move_to(i)
                return True
        return False

    @property
    def content_width(self) -> int:
        return max(0, self.scrollable_content_region.width - 2)

    # -- cursor ------------------------------------------------------------------------

    def _selectable(self, index: int) -> bool:
        return 0 <= index < len(self.rows) and self.rows.payload(index) is not None

    def _next_enabled(self, start: int, step: int) -> int | None:
        n = len(self.rows)
        i, tries = start, 0
        while 0 <= i < n and tries < SKIP_LIMIT:
            if self.rows.payload(i) is not None:
                return i
            i += step
            tries += 1
        return None

    def _step(self, delta: int) -> None:
        n = len(self.rows)
        if not n:
            return
        if self.highlighted is None:
            target = self._next_enabled(0, 1)
        else:
            start = max(0, min(n - 1, self.highlighted + delta))
            step = 1 if delta > 0 else -1
            target = self._next_enabled(start, step)
            if target is None or target == self.highlighted:
                target = self._next_enabled(start, -step) if target is None else target
        if target is not None and target != self.highlighted:
            self.move_to(target, announce=True)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        target = self._next_enabled(0, 1)
        if target is not None:
            self.move_to(target, announce=target != self.highlighted)

    def action_last(self) -> None:
        target = self._next_enabled(len(self.rows) - 1, -1)
        if target is not None:
            self.move_to(target, announce=target != self.highlighted)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height - 1)

    def action_page_down(self) -> None:
        self._step(self._page())

    def action_page_up(self) -> None:
        self._step(-self._page())

    def action_select(self) -> None:
        if self.highlighted is not None and self._selectable(self.highlighted):
            self.post_message(self.Selected(self, self.highlighted, self.rows.payload(self.highlighted)))

    def on_click(self, event: events.Click) -> None:
        index = (event.y + int(self.scroll_offset.y)) // self.row_height
        if self._selectable(index):
            self.move_to(index)
            self.action_select()

    # -- layout and drawing ------------------------------------------------------------

    def _resize_virtual(self) -> None:
        self.virtual_size = Size(0, max(1, len(self.rows)) * self.row_height)

    def _scroll_to_cursor(self) -> None:
        if self.highlighted is None:
            return
        height = self.scrollable_content_region.height
        if height <= 0:
            return  # not laid out (a hidden pane): on_resize scrolls when it is shown
        top = self.highlighted * self.row_height
        bottom = top + self.row_height
        y = int(self.scroll_offset.y)
        if top < y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > y + height:
            self.scroll_to(y=bottom - height, animate=False, immediate=True)

    def _refresh_row(self, index: int | None) -> None:
        if index is None:
            return
        self._cache.pop(index, None)
        self.refresh_lines(index * self.row_height, self.row_height)  # virtual lines: it subtracts the scroll

    def on_resize(self) -> None:
        self._cache.clear()
        self._resize_virtual()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def _row_strips(self, index: int, width: int) -> list[Strip]:
        if width != self._cache_width:
            self._cache.clear()
            self._cache_width = width
        strips = self._cache.get(index)
        if strips is not None:
            self._cache.move_to_end(index)
            return strips
        base = self.rich_style
        style = base
        if index == self.highlighted and self._selectable(index):
            style = base + self.get_component_rich_style("virtual-list--cursor", partial=True)
        text = self.rows.text(index, max(1, width - 2))
        strips = [self._line_strip(line, width, style) for line in text.split("\n")[: self.row_height]]
        while len(strips) < self.row_height:
            strips.append(Strip.blank(width, style))
        self._cache[index] = strips
        if len(self._cache) > CACHED_ROWS:
            self._cache.popitem(last=False)
        return strips

    def _line_strip(self, line: Text, width: int, style: Style) -> Strip:
        line = line.copy()
        line.no_wrap = True
        line.truncate(max(1, width - 2), overflow="ellipsis", pad=True)
        segments = [Segment(" "), *line.render(self.app.console, end=""), Segment(" ")]
        return Strip(Segment.apply_style(segments, style), width).crop_extend(0, width, style)

    def _empty_lines(self, width: int) -> list[Text]:
        if self._empty is None:
            return []
        return list(self._empty.wrap(self.app.console, max(1, width - 2)))

    def on_focus(self) -> None:
        self.refresh_rows()

    def on_blur(self) -> None:
        self.refresh_rows()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if width <= 0:
            return Strip.blank(0)
        row_y = int(self.scroll_offset.y) + y
        if not len(self.rows):
            lines = self._empty_lines(width)
            if row_y < len(lines):
                message = self.get_component_rich_style("virtual-list--message", partial=True)
                return self._line_strip(lines[row_y], width, base + message)
            return Strip.blank(width, base)
        index, line = divmod(row_y, self.row_height)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        return self._row_strips(index, width)[line]
