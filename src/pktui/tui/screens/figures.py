"""``f``: the figures view — each series of a reported number, one row, its points in order.

Enter on a point opens the passage of the fact it came from. ``kb.series`` comes from the
knowledge layer; when there is none the view says why.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Series
from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.keymap import bindings

FIXED_COLUMNS = 3  # subject, measure, trend


class FiguresScreen(Screen[str | None]):
    """Dismisses with the id of the fact to open, or ``None``."""

    BINDINGS = bindings("figures")

    def __init__(self, kb: KnowledgeBase, entity_id: str | None = None) -> None:
        super().__init__(id="figures")
        self.kb = kb
        self.entity_id = entity_id
        self.series = [s for s in kb.series if self._about(s)]

    def _about(self, series: Series) -> bool:
        if self.entity_id is None:
            return True
        entity = self.kb.entity(self.entity_id)
        names = {self.entity_id, *(entity.aliases if entity else ()), *((entity.name,) if entity else ())}
        return series.subject in names

    def _entity_name(self, entity_id: str | None) -> str | None:
        if not entity_id:
            return None
        e = self.kb.entity(entity_id)
        return one_line(e.name) if e else one_line(entity_id)

    def compose(self) -> ComposeResult:
        with Vertical(id="figures-body", classes="pane"):
            yield Static(id="figures-note", markup=False)
            yield DataTable(id="figures-table", cursor_type="cell", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one("#figures-body")
        about = self._entity_name(self.entity_id)
        body.border_title = Text(f"Figures about {about}" if about else "Figures")
        body.border_subtitle = "Enter opens the passage · Esc returns"
        note = self.query_one("#figures-note", Static)
        table = self.query_one(DataTable)
        if not self.series:
            table.display = False
            note.update(self._empty_text(about))
            return
        note.update(
            Text(
                f"{len(self.series)} series · one row each: subject, measure, trend, then every reported value in "
                "date order (> more than, ≈ about, ≥ at least, ≤ up to, < nearly).",
                "dim",
            )
        )
        width = max(len(s.points) for s in self.series)
        table.add_column("Subject", key="subject")
        table.add_column("Measure", key="measure")
        table.add_column("Trend", key="trend")
        for i in range(width):
            table.add_column(f"#{i + 1}", key=f"p{i}")
        for row, series in enumerate(self.series):
            values = [p.value for p in series.points]
            cells: list[Text] = [
                Text(fmt.series_subject(series, self._entity_name), "bold"),
                Text(self._measure(series)),
                Text(fmt.sparkline(values)),
            ]
            cells += [fmt.point_label(p) for p in series.points]
            cells += [Text("")] * (width - len(series.points))
            table.add_row(*cells, height=2, key=str(row))
        table.move_cursor(row=0, column=FIXED_COLUMNS)
        table.focus()

    @staticmethod
    def _measure(series: Series) -> str:
        measure, unit = one_line(series.measure), fmt.fmt_unit(series.unit)
        return measure if not unit or unit == measure else f"{measure}\n{unit}"

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

    def action_open_point(self) -> None:
        table = self.query_one(DataTable)
        if not self.series or not table.display:
            return
        row, col = table.cursor_coordinate
        point_index = col - FIXED_COLUMNS
        series = self.series[row]
        if point_index < 0:
            point_index = 0
        if point_index >= len(series.points):
            return
        point = series.points[point_index]
        fact_id = point.fact or next(iter(point.sources), None)
        if fact_id is None or self.kb.fact(fact_id) is None:
            self.notify("This value is derived from other figures; it has no passage of its own.", markup=False)
            return
        self.dismiss(fact_id)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open_point()

    def action_close(self) -> None:
        self.dismiss(None)
