"""The browser's part in corrections: what the correction keys act on, and every pane
refreshed in place once the corpus was corrected (:class:`BrowserScreen` mixes it in)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from pktui.model import Fact, Mention
from pktui.text import one_line
from pktui.tui.history import Location
from pktui.tui.messages import AsksCorrections
from pktui.tui.panes.articles import ArticlesPane
from pktui.tui.panes.entities import EntitiesPane, EntityList
from pktui.tui.panes.entity import EntityDetail, EntityPane
from pktui.tui.panes.facts import CorrectableFacts, FactsPane
from pktui.tui.panes.reader import ReaderPane
from pktui.tui.panes.results import ResultList
from pktui.tui.panes.timeline import TimelineList

if TYPE_CHECKING:
    from rich.text import Text

    from pktui.knowledge.base import KnowledgeBase
    from pktui.tui.panes.results import ResultsPane
    from pktui.tui.panes.timeline import TimelinePane


class CorrectionsMixin(Screen[Any]):
    """The browser's corrections half: what it needs of the other half is declared here."""

    kb: KnowledgeBase | None
    entity_id: str | None
    shown: Location | None
    searching: bool
    pane: str
    list_pane: str
    _lists_waiting: KnowledgeBase | None

    if TYPE_CHECKING:

        @property
        def results(self) -> ResultsPane: ...
        @property
        def timeline(self) -> TimelinePane: ...
        @property
        def timeline_filter(self) -> str | None: ...
        def set_pane(self, pane: str, *, focus: bool = True) -> None: ...
        def _layout(self, narrow: bool | None = None) -> None: ...
        def set_status(self, status: Text) -> None: ...
        def kb_status(self) -> Text: ...
        def open(self, loc: Location, *, push: bool = True) -> None: ...
        def open_fact(self, fact_id: str, *, preview: bool = False, by_entity: bool = True) -> None: ...
        def select_entity(self, entity_id: str, *, open_first: bool = True, focus: bool = True) -> None: ...
        def _refresh_bindings(self) -> None: ...

    def action_fix(self, op: str) -> None:
        """A correction key on the focused list: ask for what the operation needs, then write."""
        app = self.app
        if isinstance(app, AsksCorrections):
            app.ask_correction(
                op, entity=self.entity_at_cursor(), fact=self.fact_at_cursor(), mention=self.mention_at_cursor()
            )

    def mention_at_cursor(self) -> Mention | None:
        """The mention the source view highlights (stepped to with n / N), or None."""
        loc, kb = self.shown, self.kb
        if loc is None or kb is None or loc.highlight is None:
            return None
        start, end = loc.highlight
        return next((m for m in kb.mentions_in(loc.article) if (m.start, m.end) == (start, end)), None)

    def entity_at_cursor(self):
        focused, kb = self.focused, self.kb
        if kb is None:
            return None
        if isinstance(focused, EntityDetail):
            return kb.entity(self.entity_id) if self.entity_id else None
        if isinstance(focused, EntityList):
            return focused.current
        if isinstance(focused, ResultList):
            hit = focused.current
            return kb.entity(hit.id) if getattr(hit, "kind", None) == "entity" else None
        return None

    def fact_at_cursor(self):
        focused, kb = self.focused, self.kb
        if kb is None:
            return None
        item = getattr(focused, "current", None)
        if isinstance(focused, CorrectableFacts):
            return item if isinstance(item, Fact) else None
        if isinstance(focused, ResultList):
            return kb.fact(item.id) if item is not None and getattr(item, "kind", None) == "fact" else None
        if isinstance(focused, TimelineList):
            fact_id = getattr(item, "fact", None)
            return kb.fact(fact_id) if fact_id else None
        return None

    def corrected(self, kb: KnowledgeBase, index: object, error: str | None, *, select: str | None = None) -> None:
        """The corpus was corrected: every pane shows ``kb`` and keeps its place; ``select``
        (the entity merged into, say) is the entity selected now."""
        self.kb, self._lists_waiting = kb, None
        self.query_one(ArticlesPane).set_kb(kb, keep_place=True)
        entities = self.query_one(EntitiesPane)
        if select is not None:
            entities.wanted = select
        entities.set_kb(kb, keep_place=True)
        if select is not None and self.timeline_filter is not None:
            self.timeline.entity_id = select
        self.timeline.set_kb(kb, keep_filter=True)
        self.results.corrected(kb, index, error, searching=self.searching)
        self.query_one(ReaderPane).set_kb(kb)
        self._refresh_entity(kb, select)
        self._refresh_shown(kb)
        self.set_status(self.kb_status())
        self._refresh_bindings()

    def _refresh_entity(self, kb: KnowledgeBase, select: str | None) -> None:
        if self.entity_id is None and select is None:
            return
        entity = kb.entity(select or self.entity_id or "")
        pane = self.query_one(EntityPane)
        if entity is None:  # gone (its only mention rejected): the detail closes
            self.entity_id = None
            if self.pane == "entity":
                self.set_pane(self.list_pane)
            self._layout()
            return
        row = pane.vlist.highlighted
        self.entity_id = entity.id
        pane.show_entity(kb, entity)
        if row is not None and select is None:
            pane.vlist.move_to(pane.vlist.nearest_selectable(row))

    def _refresh_shown(self, kb: KnowledgeBase) -> None:
        """The source view and the facts again, the facts' cursor on the row it was on (the
        next fact, when its own was rejected)."""
        loc = self.shown
        if loc is None:
            return
        facts = self.query_one(FactsPane)
        row = facts.vlist.highlighted
        gone = bool(loc.fact) and kb.fact(loc.fact or "") is None
        if gone:
            loc = Location(loc.article, None, None, loc.steps)
        self.shown = None  # drawn again whatever it was
        self.open(loc, push=False)
        if row is not None and not loc.fact:
            facts.vlist.move_to(facts.vlist.nearest_selectable(row))
        current = facts.vlist.current
        if gone and self.focused is facts.vlist and isinstance(current, Fact):
            self.open_fact(current.id, preview=True, by_entity=False)

    def open_correction(self, entry, original: Fact | None = None) -> None:
        """Open what a ledger entry changed: the entity's detail, or the fact in its source."""
        kb = self.kb
        if kb is None:
            return
        t = entry.targets
        if entry.op in ("merge", "split", "rename", "retype", "alias"):
            for entity_id in (t.get("into"), t.get("entity")):
                if entity_id and kb.entity(entity_id) is not None:
                    self.select_entity(entity_id)
                    return
            self.app.notify(f"The entity {one_line(t['entity'])} is no longer in the corpus.", markup=False)
            return
        from pktui.knowledge.ledger import mention_ref

        ref = t.get("fact") or t.get("target") or ""
        span = mention_ref(ref)
        if span is not None:
            self.open(Location(span[0], (span[1], span[2])))
            self.set_pane("source")
            return
        if kb.fact(ref) is not None:
            self.open_fact(ref, by_entity=False)
            return
        if original is not None and kb.article(original.article) is not None:
            self.open(Location(original.article, (original.start, original.end)))
            self.set_pane("source")
            self.app.notify(
                "This fact is rejected (in the corrections view, u on the entry brings it back).", markup=False
            )
            return
        self.app.notify(f"The fact {one_line(ref)} is no longer in the corpus.", markup=False)
