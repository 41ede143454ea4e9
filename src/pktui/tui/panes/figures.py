"""The figures table and chart: one row a series, subject and measure frozen while its points
scroll sideways, and the selected series drawn with textual-plotext.

Rows are drawn only when on screen (a line-API widget like the lists); a point is a cell of one
width for all (the widest value the series hold), so no value is ever cut: a cell that does not
fit is not drawn, and an arrow says there are more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual_plotext.plot import Plot

from pktui.model import Series, SeriesPoint
from pktui.text import fold, one_line
from pktui.tui import format as fmt
from pktui.tui.keymap import bindings

SORTS = ("size", "recency", "conflicts", "subject")
MAX_CELL = 24
#: points measured for the cell width (an archive's 75,000 took seconds on the UI thread)
CELL_SAMPLE = 3000
#: points a chart draws at most: past it, the lowest and highest of each of half as many
#: slices of time (the line keeps its shape; plotext draws a point in Python)
CHART_POINTS = 240


@dataclass(frozen=True, slots=True)
class Row:
    """A series as the table shows it: its names made once, folded for filtering."""

    series: Series
    subject: str
    measure: str
    folded: str

    @property
    def conflicts(self) -> int:
        return sum(1 for p in self.series.points if p.conflict)

    @property
    def last_date(self) -> str:
        return max((p.date for p in self.series.points), default="")


def make_rows(series: Sequence[Series], name_of: Callable[[str], str | None]) -> list[Row]:
    rows = []
    for s in series:
        subject = fmt.series_subject(s, name_of)
        unit = fmt.fmt_unit(s.unit)
        measure = one_line(s.measure)
        if unit and unit != measure:
            measure = f"{measure} ({unit})"
        rows.append(Row(s, subject, measure, fold(f"{subject} {measure} {s.subject}")))
    return rows


def select_rows(rows: Sequence[Row], query: str, sort: str) -> list[Row]:
    """The rows whose subject or measure hold every word of ``query`` (folded), sorted."""
    words = fold(query).split()
    chosen = [r for r in rows if all(w in r.folded for w in words)] if words else list(rows)
    if sort == "size":
        chosen.sort(key=lambda r: (-len(r.series.points), r.subject.casefold()))
    elif sort == "recency":
        chosen.sort(key=lambda r: r.last_date, reverse=True)
    elif sort == "conflicts":
        chosen.sort(key=lambda r: (-r.conflicts, -len(r.series.points)))
    else:
        chosen.sort(key=lambda r: (r.subject.casefold(), r.measure.casefold()))
    return chosen


def cell_width(rows: Sequence[Row]) -> int:
    """The width of a point's column: the longest of the first ``CELL_SAMPLE`` points' cells
    (made as Text: ~90 ms for 3,000, so in the worker that selects the rows)."""
    sample = islice((p for r in rows for p in r.series.points), CELL_SAMPLE)
    longest = max((point_cell(p, True).cell_len for p in sample), default=10)
    return min(MAX_CELL, longest + 2)


def point_cell(point: SeriesPoint, corrected: bool = False) -> Text:
    """``2022-11 >500`` (``!`` for a conflict, ``*`` for a derived value, the corrected mark
    when a correction set its value)."""
    sign = fmt.QUALIFIER_SIGNS.get(point.qualifier, "")
    text = Text.assemble((fmt.fmt_date(point.date), "dim"), " ", (f"{sign}{fmt.fmt_number(point.value)}", "bold"))
    if corrected:
        text.append(fmt.CORRECTED_MARK, "bold")
    if point.derived:
        text.append("*", "dim")
    if point.conflict:
        text.append("!", "bold reverse")
    return text


class SeriesTable(ScrollView, can_focus=True):
    """Series down, points across; ``row`` and ``point`` are the cursor."""

    BINDINGS = bindings("figures_table")
    COMPONENT_CLASSES = {"series-table--cursor", "series-table--row", "series-table--header"}
    DEFAULT_CSS = """
    SeriesTable { overflow-x: hidden; }
    SeriesTable > .series-table--row { text-style: reverse; }
    SeriesTable > .series-table--cursor { text-style: reverse bold; }
    SeriesTable > .series-table--header { text-style: bold underline; }
    """

    class Moved(Message):
        """The cursor is on another series or point."""

    class Chosen(Message):
        """Enter on a point."""

        def __init__(self, point: SeriesPoint) -> None:
            super().__init__()
            self.point = point

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.row = 0
        self.point = 0
        self.first_point = 0  # the first point column shown
        self.cell = 12
        self._frozen_for: tuple[int, tuple[int, int]] | None = None  # (width, widths) for these rows
        #: was this point's fact corrected (set by the figures screen, which has the corpus)
        self.corrected: Callable[[SeriesPoint], bool] = lambda point: False

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def current(self) -> Row | None:
        return self.rows[self.row] if 0 <= self.row < len(self.rows) else None

    def fill(self, rows: list[Row], *, row: int = 0, point: int = 0, cell: int | None = None) -> None:
        """Show ``rows``, the cursor on ``row`` and ``point`` (clamped); ``cell`` is the points'
        column width when known (:func:`cell_width`, made off the UI thread)."""
        self.rows, self._frozen_for = rows, None
        self.row = self.point = self.first_point = 0
        self.cell = cell if cell is not None else cell_width(rows)
        self.virtual_size = Size(0, len(rows) + 1)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()
        if (row or point) and rows:
            self._move(row, point)
        else:
            self.post_message(self.Moved())

    # -- geometry ----------------------------------------------------------------------

    def _frozen(self, width: int) -> tuple[int, int]:
        """Widths of the subject and measure columns: a third of the width each at most
        (measured once per fill and width: every line drawn asks)."""
        if self._frozen_for is not None and self._frozen_for[0] == width:
            return self._frozen_for[1]
        subject = min(max((cell_len(r.subject) for r in self.rows[:2000]), default=7), max(10, width // 4), 30)
        measure = min(max((cell_len(r.measure) for r in self.rows[:2000]), default=7), max(10, width // 4), 36)
        widths = max(7, subject), max(7, measure)
        self._frozen_for = (width, widths)
        return widths

    def _visible_points(self, width: int) -> int:
        subject, measure = self._frozen(width)
        return max(1, (width - subject - measure - 6) // self.cell)  # margins, ‹ and ›

    # -- cursor ------------------------------------------------------------------------

    def _move(self, row: int, point: int) -> None:
        if not self.rows:
            return
        row = max(0, min(len(self.rows) - 1, row))
        points = len(self.rows[row].series.points)
        point = max(0, min(points - 1, point))
        self.row, self.point = row, point
        shown = self._visible_points(self.scrollable_content_region.width)
        if point < self.first_point:
            self.first_point = point
        elif point >= self.first_point + shown:
            self.first_point = point - shown + 1
        height = self.scrollable_content_region.height - 1  # the header line
        y = int(self.scroll_offset.y)
        if row < y:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif height > 0 and row >= y + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Moved())

    def action_down(self) -> None:
        self._move(self.row + 1, self.point)

    def action_up(self) -> None:
        self._move(self.row - 1, self.point)

    def action_left(self) -> None:
        self._move(self.row, self.point - 1)

    def action_right(self) -> None:
        self._move(self.row, self.point + 1)

    def action_first(self) -> None:
        self._move(0, 0)

    def action_last(self) -> None:
        self._move(len(self.rows) - 1, 0)

    def action_page(self, delta: int) -> None:
        self._move(self.row + delta * max(1, self.scrollable_content_region.height - 2), self.point)

    def action_open_point(self) -> None:
        row = self.current
        if row is not None and row.series.points:
            self.post_message(self.Chosen(row.series.points[self.point]))

    # -- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if width <= 0:
            return Strip.blank(0)
        subject_w, measure_w = self._frozen(width)
        shown = self._visible_points(width)
        if y == 0:  # the header stays while the rows scroll
            header = Text.assemble(
                f" {'Subject':<{subject_w}} ", f"{'Measure':<{measure_w}} ", f"points {self.first_point + 1}–"
            )
            header.append(str(self.first_point + shown))
            return self._strip(header, width, base + self.get_component_rich_style("series-table--header"))
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        line = Text(" ")
        line.append_text(_cut(row.subject, subject_w))
        line.stylize("bold", 1, 1 + subject_w)
        line.append(" ")
        line.append_text(_cut(row.measure, measure_w))
        line.append(" ")
        points = row.series.points
        line.append("‹" if self.first_point > 0 and points else " ", "dim")
        for k in range(self.first_point, min(len(points), self.first_point + shown)):
            cell = point_cell(points[k], self.corrected(points[k]))
            cell.pad_right(self.cell - cell.cell_len)
            if index == self.row and k == self.point:
                cell.stylize(self.get_component_rich_style("series-table--cursor", partial=True))
            line.append_text(cell)
        if len(points) > self.first_point + shown:
            line.append("›", "dim")
        style = base
        if index == self.row:
            style = base + self.get_component_rich_style("series-table--row", partial=True)
            style = style if self.has_focus else base
        return self._strip(line, width, style)

    def _strip(self, text: Text, width: int, style) -> Strip:
        text.no_wrap = True
        text.truncate(width, overflow="crop", pad=True)
        segments = list(text.render(self.app.console, end=""))
        return Strip(Segment.apply_style(segments, style), width).crop_extend(0, width, style)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


def _cut(text: str, width: int) -> Text:
    """``text`` in exactly ``width`` cells (cut with an ellipsis, or padded)."""
    cell = Text(text, no_wrap=True)
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


def draw_chart(plt: Plot, row: Row | None, selected: int) -> None:
    """The series as a line over time, qualifiers beside their points, conflicts marked, on
    a plotext figure of its own (see :mod:`pktui.tui.widgets.chart`)."""
    if row is None or not row.series.points:
        plt.title("no series selected")
        return
    points = row.series.points
    kept = thinned(points, selected)
    selected = kept.index(selected) if selected in kept else -1
    points = [points[i] for i in kept]
    xs = [_year(p.date) for p in points]
    ys = [float(p.value) for p in points]
    plt.plot(xs, ys, marker="braille")
    # each point drawn with its qualifier's sign (● exact, ≈ about, > more than, ...)
    by_sign: dict[str, list[tuple[float, float]]] = {}
    for x, y, p in zip(xs, ys, points):
        by_sign.setdefault(fmt.QUALIFIER_SIGNS.get(p.qualifier, "") or "●", []).append((x, y))
    for sign, xy in by_sign.items():
        plt.scatter([x for x, _ in xy], [y for _, y in xy], marker=sign)
    conflicts = [(x, y) for x, y, p in zip(xs, ys, points) if p.conflict]
    if conflicts:
        plt.scatter([x for x, _ in conflicts], [y for _, y in conflicts], marker="!", color="red", label="! conflict")
    if 0 <= selected < len(points):
        plt.scatter([xs[selected]], [ys[selected]], marker="◆", color="orange", label="◆ selected")
    ticks = sorted(set(xs))
    if len(ticks) > 5:  # a few dates, chosen here (plotext would thin them by itself, not always alike)
        ticks = [ticks[round(i * (len(ticks) - 1) / 4)] for i in range(5)]
    plt.xticks(ticks, [_tick(points, t, xs) for t in ticks])
    title = f"{row.subject} · {row.measure}"
    if len(points) < len(row.series.points):
        title += f" · {len(row.series.points):,} points, lowest and highest of each period drawn"
    plt.title(title)


def thinned(points: Sequence[SeriesPoint], keep: int = -1) -> list[int]:
    """Which of ``points`` (in date order) a chart draws, at most about :data:`CHART_POINTS`
    and every conflict: the lowest and the highest of each slice of time, and ``keep``."""
    if len(points) <= CHART_POINTS:
        return list(range(len(points)))
    size = -(-len(points) // (CHART_POINTS // 2))
    chosen = {i for i, p in enumerate(points) if p.conflict}
    if 0 <= keep < len(points):
        chosen.add(keep)
    for start in range(0, len(points), size):
        part = range(start, min(start + size, len(points)))
        chosen.add(min(part, key=lambda i: float(points[i].value)))
        chosen.add(max(part, key=lambda i: float(points[i].value)))
    return sorted(chosen)


def _year(date: str) -> float:
    """``2022-11-03`` -> 2022.84 (a year, a month or a day as a point in time)."""
    parts = date.split("/")[0].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
    except ValueError:
        return 0.0
    return year + (month - 1) / 12 + (day - 1) / 365


def _tick(points: Sequence[SeriesPoint], x: float, xs: list[float]) -> str:
    return fmt.fmt_date(points[xs.index(x)].date)
