"""The source view: an article's text, wrapped, with mentions tinted and one passage highlighted.

A line-API widget (like toolong's log view): the text is wrapped once per width into
``(start, end)`` offset ranges, so any character offset maps to a screen line and the
highlighted span can be scrolled into view. Styles come from component classes
(``source--person``, ``source--highlight``, ...) set in ``app.tcss``; the highlight is
reverse + bold so it stays visible without colour.

Attributes down: the screen calls :meth:`show`; :attr:`highlight` tells what is highlighted.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from rich._wrap import divide_line
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pktui.model import ENTITY_TYPES, Article
from pktui.text import safe_display
from pktui.tui.keymap import bindings

Span = tuple[int, int]


class SourceView(ScrollView, can_focus=True):
    """Shows one article; ``highlight`` is the span shown reversed (``None`` when nothing is)."""

    BINDINGS = bindings("reading") + bindings("source")
    COMPONENT_CLASSES = {
        *(f"source--{t}" for t in ENTITY_TYPES),
        "source--passage",
        "source--mark",
        "source--highlight",
        "source--message",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.highlight: Span | None = None
        self.passage: Span | None = None
        self.marks: tuple[Span, ...] = ()
        self.mentions: tuple[tuple[int, int, str], ...] = ()
        self._plain = ""
        self._message: Text | None = None
        self._lines: list[Span] = []
        self._starts: list[int] = []
        self._pieces: list[Text] | None = None
        self._strips: dict[int, Strip] = {}
        self._wrapped_width = -1
        self._scroll_pending = False

    # -- attributes down ---------------------------------------------------------------

    def show(
        self,
        article: Article,
        *,
        highlight: Span | None = None,
        passage: Span | None = None,
        marks: Iterable[Span] = (),
        mentions: Iterable[tuple[int, int, str]] | None = None,
    ) -> None:
        """Show ``article`` with ``highlight`` reversed and scrolled into view."""
        if article is not self.article or self._message is not None:
            self.article = article
            self._plain = safe_display(article.text)
            self._message = None
            self._wrapped_width = -1
            if mentions is None:
                mentions = ()
        if mentions is not None:
            self.mentions = tuple(mentions)
        self.highlight = _clamp(highlight, len(self._plain))
        self.passage = _clamp(passage, len(self._plain))
        self.marks = tuple(m for m in (_clamp(m, len(self._plain)) for m in marks) if m)
        self._restyle()
        self._scroll_pending = True
        self._relayout()

    def show_message(self, message: Text) -> None:
        """An explanation instead of an article (loading, no articles, ...)."""
        self.article = None
        self.highlight = self.passage = None
        self.marks = ()
        self.mentions = ()
        self._message = message
        self._plain = message.plain
        self._wrapped_width = -1
        self._restyle()
        self._scroll_pending = True
        self._relayout()

    def line_of(self, offset: int) -> int:
        """The wrapped line that shows character ``offset``."""
        return max(0, bisect_right(self._starts, offset) - 1)

    def lines(self) -> list[str]:
        """The wrapped lines as plain text (what the view shows, for tests and tools)."""
        return [self._plain[s:e] for s, e in self._lines]

    # -- layout and rendering ----------------------------------------------------------

    def _restyle(self) -> None:
        self._pieces = None
        self._strips.clear()
        self.refresh()

    def _styled(self) -> Text:
        if self._message is not None:
            text = self._message.copy()
            text.stylize(self.get_component_rich_style("source--message", partial=True))
            return text
        text = Text(self._plain)
        get = self.get_component_rich_style
        if self.passage:  # the full style, so its tinted background is blended like the widget's
            text.stylize(get("source--passage"), *self.passage)
        for start, end, etype in self.mentions:
            text.stylize(get(f"source--{etype}", partial=True, default=Style()), start, end)
        for start, end in self.marks:
            text.stylize(get("source--mark", partial=True), start, end)
        if self.highlight:
            text.stylize(get("source--highlight", partial=True), *self.highlight)
        return text

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        if width != self._wrapped_width:
            self._wrap(width)
        if self._scroll_pending:
            self._scroll_pending = False
            self.scroll_to_highlight()

    def _wrap(self, width: int) -> None:
        lines: list[Span] = []
        pos = 0
        for para in self._plain.split("\n"):
            if not para.strip():
                if lines and lines[-1][0] != lines[-1][1]:  # a run of blank lines shows as one
                    lines.append((pos, pos))
            else:
                bounds = [0, *divide_line(para, width, fold=True), len(para)]
                lines.extend((pos + a, pos + b) for a, b in itertools.pairwise(bounds) if b > a)
            pos += len(para) + 1
        self._lines = lines
        self._starts = [s for s, _ in lines]
        self._wrapped_width = width
        self._pieces = None
        self._strips.clear()
        self.virtual_size = Size(width, len(lines))

    def scroll_to_highlight(self) -> None:
        """Bring the highlight (or the first mark) into view, a third of the way down."""
        target = self.highlight or (self.marks[0] if self.marks else None)
        if target is None:
            self.scroll_to(0, 0, animate=False, immediate=True)
            return
        first, last = self.line_of(target[0]), self.line_of(max(target[0], target[1] - 1))
        height = max(1, self.scrollable_content_region.height)
        top = first - height // 3
        if last >= top + height:  # a long passage: start it at the top
            top = first
        self.scroll_to(0, max(0, top), animate=False, immediate=True, force=True)

    def on_resize(self) -> None:
        keep = self._scroll_pending or self.highlight is not None
        self._scroll_pending = keep
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyle()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._lines) or width <= 0:
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            if self._pieces is None:
                offsets = [o for span in self._lines for o in span]
                self._pieces = self._styled().divide(offsets)[1::2]
            piece = self._pieces[index]
            segments = list(piece.render(self.app.console, end=""))
            strip = Strip(Segment.apply_style(segments, base), piece.cell_len)
            self._strips[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, index)


def _clamp(span: Sequence[int] | None, n: int) -> Span | None:
    if not span:
        return None
    start, end = max(0, min(span[0], n)), max(0, min(span[1], n))
    return (start, end) if end > start else None
