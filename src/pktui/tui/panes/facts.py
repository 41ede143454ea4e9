"""The facts of the open article, in text order: kind and value, then the quote."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult

from pktui.model import Article, Fact
from pktui.tui import format as fmt
from pktui.tui.keymap import bindings
from pktui.tui.messages import FactSelected
from pktui.tui.panes.base import Pane
from pktui.tui.widgets.vlist import ListRows, MappedRows, VirtualList

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase


class FactList(VirtualList):
    """A list of facts: stepping, citing and ``why`` work from here as in the source view."""

    BINDINGS = bindings("reading")


class CorrectableFacts(FactList):
    """The open article's facts: the highlighted one can be rejected or edited."""

    BINDINGS = bindings("fact")


class FactsPane(Pane):
    TITLE = "Facts"
    article_id: str | None = None

    def compose(self) -> ComposeResult:
        yield CorrectableFacts(id="facts", row_height=2)

    def on_mount(self) -> None:
        super().on_mount()
        self.vlist.fill(ListRows(()), empty="No article open yet.")

    @property
    def vlist(self) -> FactList:
        return self.query_one("#facts", FactList)

    def show_article(self, kb: KnowledgeBase, article: Article) -> None:
        """List the facts of ``article`` (cheap: only the rows on screen are made)."""
        self.kb, self.article_id = kb, article.id
        facts = kb.facts_in(article.id)
        name = self.entity_name
        self.vlist.fill(
            MappedRows(facts, lambda f, _w: fmt.fact_prompt(f, name)),
            empty="No facts were extracted from this article.",
        )
        self.border_title = f"Facts · {len(facts):,}"

    def no_articles(self) -> None:
        self.vlist.fill(ListRows(()), empty="No articles, so no facts.")

    def select_fact(self, fact_id: str) -> None:
        self.vlist.select_payload(lambda f: f.id == fact_id)

    def entity_name(self, entity_id: str | None) -> str | None:
        return fmt.entity_name(self.kb, entity_id)

    @on(VirtualList.Highlighted, "#facts")
    def _preview(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        if isinstance(event.payload, Fact) and event.vlist.has_focus:
            self.post_message(FactSelected(event.payload.id, preview=True))

    @on(VirtualList.Selected, "#facts")
    def _open(self, event: VirtualList.Selected) -> None:
        event.stop()
        if isinstance(event.payload, Fact):
            self.post_message(FactSelected(event.payload.id))
