"""``f``: the figures view — every series of a reported number, filtered as you type, sorted,
its points across (subject and measure frozen), the selected series drawn as a chart.

Enter on a point opens the passage of the fact it came from. Filtering and sorting run in a
worker (there can be thousands of series); ``kb.series`` comes from the knowledge layer, and
when there is none the view says why.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Series
from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.keymap import bindings
from pktui.tui.messages import AsksCorrections
from pktui.tui.panes.figures import SORTS, Row, SeriesTable, cell_width, draw_chart, make_rows, select_rows
from pktui.tui.widgets.chart import ChartPlot

WIDE = 120
CHART_DELAY = 0.12  # seconds the cursor rests before the chart is drawn again


class FiguresScreen(Screen[str | None]):
    """Dismisses with the id of the fact to open, or ``None``."""

    BINDINGS = bindings("figures")

    def __init__(self, kb: KnowledgeBase, entity_id: str | None = None) -> None:
        super().__init__(id="figures")
        self.kb = kb
        self.entity_id = entity_id
        self.sort = SORTS[0]
        self.all_rows: list[Row] | None = None
        self._place: tuple[str, str, int, int] | None = None  # kept across a correction
        self._chart_timer: Timer | None = None

    def _entity_name(self, entity_id: str | None) -> str | None:
        return fmt.entity_name(self.kb, entity_id)

    def compose(self) -> ComposeResult:
        with Vertical(id="figures-body", classes="pane"):
            yield Static(id="figures-note", markup=False)
            yield Input(
                placeholder="type to filter: words of a subject or measure", id="figures-filter", select_on_focus=False
            )
            with Horizontal(id="figures-main"):
                yield SeriesTable(id="figures-table")
                yield ChartPlot(id="figures-chart")
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one("#figures-body")
        about = self._entity_name(self.entity_id)
        body.border_title = Text(f"Figures about {about}" if about else "Figures")
        body.border_subtitle = "type to filter · ←→ points · Enter opens the passage · ctrl+s sorts · Esc returns"
        self.query_one("#figures-note", Static).update(Text("Reading the series…", "dim italic"))
        self._layout(self.app.size.width)
        table = self.query_one(SeriesTable)
        table.corrected = self._point_corrected
        table.focus()
        self._load()

    def _point_corrected(self, point) -> bool:
        fact = self.kb.fact(point.fact) if point.fact else None
        return bool(fact is not None and fact.corrected)

    def corrected(self, kb: KnowledgeBase) -> None:
        """The corpus was corrected: its series again (a rejected quantity has left its series),
        the cursor on the same series and point (or the next, when the point is gone)."""
        table = self.query_one(SeriesTable)
        row = table.current
        if row is not None:
            self._place = (row.series.subject, row.series.measure, table.row, table.point)
        self.kb = kb
        self._load()

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.query_one("#figures-main").set_class(width >= WIDE, "-wide")

    # -- the series: made, filtered and sorted in a worker -------------------------------

    @work(thread=True, exclusive=True, group="figures", description="figures")
    def _load(self) -> None:
        series = [s for s in self.kb.series if self._about(s)]
        rows = make_rows(series, self._entity_name)
        self.app.call_from_thread(self._loaded, rows)

    def _about(self, series: Series) -> bool:
        if self.entity_id is None:
            return True
        entity = self.kb.entity(self.entity_id)
        names = {self.entity_id, *(entity.aliases if entity else ()), *((entity.name,) if entity else ())}
        return series.subject in names

    def _loaded(self, rows: list[Row]) -> None:
        self.all_rows = rows
        if not rows:
            self.query_one("#figures-filter").display = False
            self.query_one("#figures-main").display = False
            self.query_one("#figures-note", Static).update(self._empty_text(self._entity_name(self.entity_id)))
            return
        self._select()

    def _select(self) -> None:
        if self.all_rows is not None:
            self._selected(self.all_rows, self.query_one("#figures-filter", Input).value, self.sort)

    @work(thread=True, exclusive=True, group="figures-select", description="figures-select")
    def _selected(self, rows: list[Row], query: str, sort: str) -> None:
        chosen = select_rows(rows, query, sort)
        self.app.call_from_thread(self._show, query, sort, chosen, cell_width(chosen))

    def _show(self, query: str, sort: str, rows: list[Row], cell: int) -> None:
        if query != self.query_one("#figures-filter", Input).value or sort != self.sort:
            return  # typed over: a newer selection is on its way
        total = len(self.all_rows or ())
        shown = f"{len(rows):,} of {total:,} series" if query.strip() else f"{total:,} series"
        note = Text(f"{shown} · sorted by {sort} · ", "dim")
        note.append("> more than, ≈ about, ≥ at least, ≤ up to, < nearly, ! conflict, * derived", "dim")
        if query.strip() and not rows:
            note = Text.assemble(("No series match ", "bold"), (f"“{one_line(query)}”", "bold"), " · Esc clears")
        self.query_one("#figures-note", Static).update(note)
        table = self.query_one(SeriesTable)
        place, self._place = self._place, None
        if place is None:
            table.fill(rows, cell=cell)
            return
        subject, measure, row, point = place
        found = next(
            (i for i, r in enumerate(rows) if (r.series.subject, r.series.measure) == (subject, measure)), None
        )
        row = found if found is not None else min(row, max(0, len(rows) - 1))
        table.fill(rows, row=row, point=point, cell=cell)

    @on(Input.Changed, "#figures-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._select()

    @on(SeriesTable.Moved)
    def _moved(self, event: SeriesTable.Moved) -> None:
        """The chart follows the cursor once it rests (plotext takes a good part of a second to
        draw a wide chart: a held arrow key would queue one drawing a row)."""
        if self._chart_timer is not None:
            self._chart_timer.stop()
        self._chart_timer = self.set_timer(CHART_DELAY, self._draw_chart)

    @property
    def chart_drawn(self) -> bool:
        """Does the chart show the series and point under the cursor (none waits to be drawn)?"""
        return self._chart_timer is None and self.query_one(ChartPlot).drawn

    def _draw_chart(self) -> None:
        self._chart_timer = None
        table = self.query_one(SeriesTable)
        row, point = table.current, table.point
        self.query_one(ChartPlot).draw(lambda plt: draw_chart(plt, row, point))

    @on(SeriesTable.Chosen)
    def _chosen(self, event: SeriesTable.Chosen) -> None:
        point = event.point
        fact_id = point.fact or next(iter(point.sources), None)
        if fact_id is None or self.kb.fact(fact_id) is None:
            self.notify("This value is derived from other figures; it has no passage of its own.", markup=False)
            return
        self.dismiss(fact_id)

    # -- keys ----------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Typing on the table filters: the key goes to the filter box (fzf-like)."""
        box = self.query_one("#figures-filter", Input)
        if self.focused is self.query_one(SeriesTable) and event.is_printable and event.character:
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()
        elif self.focused is box and event.key in ("down", "up", "pagedown", "pageup"):
            table = self.query_one(SeriesTable)
            table.focus()
            moves = {"down": table.action_down, "up": table.action_up}
            moves.get(event.key, lambda: table.action_page(1 if event.key == "pagedown" else -1))()
            event.stop()
            event.prevent_default()

    def _point_fact(self):
        table = self.query_one(SeriesTable)
        row = table.current
        if row is None or not row.series.points:
            return None
        point = row.series.points[table.point]
        if point.fact is None:
            self.notify("This value is derived from other figures: correct the figures it comes from.", markup=False)
            return None
        return self.kb.fact(point.fact)

    def action_reject_point(self) -> None:
        fact = self._point_fact()
        app = self.app
        if fact is not None and isinstance(app, AsksCorrections):
            app.ask_correction("reject", fact=fact)

    def action_edit_point(self) -> None:
        fact = self._point_fact()
        app = self.app
        if fact is not None and isinstance(app, AsksCorrections):
            app.ask_correction("set", fact=fact)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._select()

    def action_open_point(self) -> None:
        self.query_one(SeriesTable).action_open_point()

    def action_close(self) -> None:
        """Esc: from the filter back to the table, then clear the filter, then close."""
        box = self.query_one("#figures-filter", Input)
        if self.focused is box:
            self.query_one(SeriesTable).focus()
        elif box.value:
            box.value = ""
        else:
            self.dismiss(None)

    @on(Input.Submitted, "#figures-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one(SeriesTable).focus()

    def _empty_text(self, about: str | None) -> Text:
        text = Text()
        if about:
            text.append(f"No figures about {about}.\n\n", "bold")
        else:
            text.append("No figures yet.\n\n", "bold")
        text.append(
            "A figure is a number the articles report more than once for the same subject and measure — "
            "say, how many Vietnamese personnel served in UN missions — lined up by date so you can see it "
            "change and spot where sources disagree. Figures are built from the quantity facts of the "
            "articles; "
        )
        if self.kb.series:
            text.append("none of them is about this entity. Press f from a list pane for all figures.")
        else:
            text.append("this corpus (or this version of the extractor) gives none yet.")
        text.append("\n\nEsc returns to the browser.", "dim")
        return text
