"""Articles, newest first (date · source, then the title), then the files that were skipped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message

from pktui.model import Article, LoadProblem
from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.history import Location
from pktui.tui.messages import OpenLocation
from pktui.tui.panes.base import Pane
from pktui.tui.widgets.vlist import ChainedRows, ListRows, MappedRows, VirtualList

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase


def problem_rows(problems: Sequence[LoadProblem]) -> ListRows:
    """The files left out, then the warnings, each under a heading with its count."""
    rows: list[tuple[Text, object]] = []
    skipped = [p for p in problems if p.skipped]
    warnings = [p for p in problems if not p.skipped]
    for title, group in (("Skipped files", skipped), ("Warnings", warnings)):
        if group:
            rows.append((Text(f"{title} · {len(group):,}", "bold underline"), None))
            rows += [(Text(one_line(p.line()), "dim"), None) for p in group]
    return ListRows(rows)


class ArticlesPane(Pane):
    TITLE = "Articles"

    def compose(self) -> ComposeResult:
        yield VirtualList(id="articles", row_height=2)

    def on_mount(self) -> None:
        super().on_mount()
        self.vlist.fill(ListRows(()), empty="Reading the corpus…")

    @property
    def vlist(self) -> VirtualList:
        return self.query_one("#articles", VirtualList)

    _kept_row: int | None = None

    def set_kb(self, kb: KnowledgeBase, *, keep_place: bool = False) -> None:
        """List ``kb``'s articles; ``keep_place``: the cursor stays on its row (the corpus was
        corrected: the old rows are dropped at once, their knowledge base may be closed)."""
        super().set_kb(kb)
        self.border_title = f"Articles · {len(kb.articles):,}"
        if keep_place:
            self._kept_row = self.vlist.highlighted
            self.vlist.fill(ListRows(()), empty="Updating…")
        self._order(kb)

    @work(thread=True, exclusive=True, group="articles-order", description="articles-order")
    def _order(self, kb: KnowledgeBase) -> None:
        articles = kb.articles_newest_first()
        len(articles)  # the order is read here, off the UI thread (a lazy view reads it on first use)
        self.app.call_from_thread(self._fill, kb, articles)

    def _fill(self, kb: KnowledgeBase, articles: Sequence[Article]) -> None:
        if kb is not self.kb:
            return
        rows = ChainedRows(MappedRows(articles, lambda a, _w: fmt.article_prompt(a)), problem_rows(kb.problems))
        row, self._kept_row = self._kept_row, None
        self.vlist.fill(rows, empty="No articles.", highlight=row)
        self.post_message(self.Filled(articles))

    def failed(self) -> None:
        self.vlist.fill(ListRows(()), empty="No articles: the corpus could not be read.")

    class Filled(Message):
        """The articles are listed, newest first."""

        def __init__(self, articles: Sequence[Article]) -> None:
            super().__init__()
            self.articles = articles

    @on(VirtualList.Highlighted, "#articles")
    def _preview(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        if isinstance(event.payload, Article) and event.vlist.has_focus:
            self.post_message(OpenLocation(Location(event.payload.id), preview=True))

    @on(VirtualList.Selected, "#articles")
    def _open(self, event: VirtualList.Selected) -> None:
        event.stop()
        if isinstance(event.payload, Article):
            self.post_message(OpenLocation(Location(event.payload.id)))
