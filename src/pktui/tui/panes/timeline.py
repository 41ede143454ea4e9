"""The timeline: dated facts in date order, with the articles' publication dates among them,
or only those about one entity (``x`` shows all again).

Merging the publication dates in and filtering by entity run in a worker; the list draws only
the rows on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Static

from pktui.knowledge.store.views import LazyRows, Patched
from pktui.model import Article, TimelineEntry
from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.history import Location
from pktui.tui.keymap import bindings
from pktui.tui.messages import FactSelected, OpenLocation
from pktui.tui.panes.base import Pane
from pktui.tui.widgets.vlist import ListRows, MappedRows, VirtualList

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase


@dataclass(frozen=True, slots=True)
class Published:
    """A timeline row for an article's publication date."""

    article: Article


class MergedTimeline(Sequence):
    """The timeline with publication dates merged in: ``order[i] >= 0`` is a timeline entry,
    ``-1 - j`` the ``j``-th of ``published`` (articles oldest first; ids, looked up when shown,
    or the articles themselves)."""

    def __init__(
        self,
        timeline: Sequence[TimelineEntry],
        published: Sequence[Article | str],
        order: list[int],
        kb: KnowledgeBase | None = None,
    ) -> None:
        self.timeline, self.published, self.order, self.kb = timeline, published, order, kb

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, index):
        v = self.order[index]
        if v >= 0:
            return self.timeline[v]
        article = self.published[-1 - v]
        if isinstance(article, str) and self.kb is not None:
            return published_row(self.kb, article)
        return Published(article)


def published_row(kb: KnowledgeBase, article_id: str) -> Published:
    return Published(kb.article(article_id) or Article(article_id, "", "", None, article_id))


def merge_published(kb: KnowledgeBase) -> Sequence[Any]:
    """Publication dates of the articles whose date the timeline does not hold yet, merged in
    (a publication row before the entries of its day). One pass: run it in a worker. From the
    index's rows when it keeps them (making every entry and article took 24 s at 100,000
    articles), else from each entry and article."""
    missing = getattr(kb, "publications_missing", None)
    stored = kb.timeline
    if missing is not None and isinstance(stored, LazyRows) and (few := missing()) is not None:
        # the index counts the few rows to merge in: the stored list, patched
        if len(stored):
            stored[0]  # a lazy timeline reads its order here, in the worker, not when first drawn
        return Patched(
            stored,
            drop_rows=set(),
            dropped=lambda _entry: False,
            inserts=lambda: [(before + j, published_row(kb, aid)) for j, (before, aid, _date) in enumerate(few)],
            count=len(few),
        )
    timeline_dates, published_dates = getattr(kb, "timeline_dates", None), getattr(kb, "published_dates", None)
    published: Sequence[Article | str]
    if timeline_dates is not None and published_dates is not None:
        rows = timeline_dates()
        keys = [d.split("/")[0] for d, _ in rows]
        dated_n = set(rows)
        pub = sorted(((iso, aid) for n, aid, iso in published_dates() if (iso, n) not in dated_n), key=lambda p: p[0])
        pub_keys, published = [iso for iso, _ in pub], [aid for _, aid in pub]
    else:
        timeline = kb.timeline
        keys = [e.sort_key for e in timeline]
        dated = {(e.article, e.date) for e in timeline}
        articles = sorted(
            (a for a in kb.articles if a.published and (a.id, a.published_iso) not in dated),
            key=lambda a: a.published_iso or "",
        )
        pub_keys, published = [a.published_iso or "" for a in articles], articles
    order: list[int] = []
    i = j = 0
    while i < len(keys) or j < len(pub_keys):
        if j < len(pub_keys) and (i >= len(keys) or pub_keys[j] <= keys[i]):
            order.append(-1 - j)
            j += 1
        else:
            order.append(i)
            i += 1
    if len(kb.timeline):
        kb.timeline[0]  # a lazy timeline reads its order here, in the worker, not when first drawn
    return MergedTimeline(kb.timeline, published, order, kb)


def timeline_text(item: Any, width: int, kb: KnowledgeBase | None = None) -> Text:
    if isinstance(item, Published):
        a = item.article
        return fmt.timeline_line(a.published_iso or "", "day", a.title, published=True)
    fact = kb.fact(item.fact) if kb is not None and item.fact else None
    corrected = bool(fact is not None and fact.corrected)
    return fmt.timeline_line(item.date, item.precision, item.summary, corrected=corrected)


class TimelineList(VirtualList):
    """The timeline's rows: an entry's fact can be corrected from here."""

    BINDINGS = bindings("fact")


class TimelinePane(Pane):
    TITLE = "Timeline"
    entity_id: str | None = None  # the filter
    _keep_place = False  # the next fill keeps the cursor's row (after a correction)
    _kept_row: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="timeline-filter", markup=False)
        yield TimelineList(id="timeline")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#timeline-filter").display = False
        self.vlist.fill(ListRows(()), empty="Reading the corpus…")

    @property
    def vlist(self) -> VirtualList:
        return self.query_one("#timeline", VirtualList)

    def set_kb(self, kb: KnowledgeBase, *, keep_filter: bool = False) -> None:
        """Show ``kb``'s timeline; ``keep_filter``: the same entity's (if it is still there)
        with the cursor where it was (the knowledge base was corrected)."""
        super().set_kb(kb)
        entity = kb.entity(self.entity_id) if keep_filter and self.entity_id else None
        self._keep_place = keep_filter
        self._kept_row = self.vlist.highlighted if keep_filter else None
        self.vlist.fill(ListRows(()), empty="Updating the timeline…")  # nothing from the old corpus
        self.show(entity.id if entity else None, one_line(entity.name) if entity else None)

    def fact_at_cursor(self) -> str | None:
        item = self.vlist.current
        return getattr(item, "fact", None) or None

    def show(self, entity_id: str | None, name: str | None = None) -> None:
        """All entries (``None``), or only those about ``entity_id`` (called ``name``)."""
        self.entity_id = entity_id
        label = self.query_one("#timeline-filter", Static)
        if name:
            label.update(Text.assemble("only ", (name, "bold"), "  ·  x: show all", style="italic"))
        label.display = bool(name)
        if self.kb is not None:
            self._rows(self.kb, entity_id, name)

    @work(thread=True, exclusive=True, group="timeline-rows", description="timeline-rows")
    def _rows(self, kb: KnowledgeBase, entity_id: str | None, name: str | None) -> None:
        items: Sequence[Any] = kb.timeline_for(entity_id) if entity_id else merge_published(kb)
        if entity_id and len(items):
            items[0]  # its order read here, in the worker
        self.app.call_from_thread(self._fill, kb, entity_id, name, items)

    def _fill(self, kb: KnowledgeBase, entity_id: str | None, name: str | None, items: Sequence[Any]) -> None:
        if kb is not self.kb or entity_id != self.entity_id:
            return
        empty = f"No dated facts about {name}." if name else "No dated facts in these articles."
        row = self._kept_row
        self.vlist.fill(MappedRows(items, lambda item, width: timeline_text(item, width, kb)), empty=empty)
        if self._keep_place and row is not None:
            self.vlist.move_to(self.vlist.nearest_selectable(row))
        self._keep_place = False
        self.border_title = Text(f"Timeline · {name} · {len(items):,}" if name else f"Timeline · {len(items):,}")

    @on(VirtualList.Highlighted, "#timeline")
    def _preview(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        if event.vlist.has_focus:
            self.post_message(self.open_message(event.payload, preview=True))

    @on(VirtualList.Selected, "#timeline")
    def _open(self, event: VirtualList.Selected) -> None:
        event.stop()
        self.post_message(self.open_message(event.payload, preview=False))

    def open_message(self, item: Any, *, preview: bool):
        if isinstance(item, Published):
            return OpenLocation(Location(item.article.id), preview=preview)
        if item.fact and self.kb is not None and self.kb.fact(item.fact) is not None:
            return FactSelected(item.fact, preview=preview, by_entity=True)
        return OpenLocation(Location(item.article), preview=preview)
