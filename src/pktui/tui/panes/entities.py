"""Entities grouped by type (people first), most mentioned first, with counts.

The grouping and sorting run in a worker: at archive size there are hundreds of thousands of
entities, and the list draws only the rows on screen.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult

from pktui.text import fold
from pktui.tui import format as fmt
from pktui.tui.keymap import bindings
from pktui.tui.messages import EntitySelected
from pktui.tui.panes.base import Pane
from pktui.tui.widgets.vlist import ListRows, VirtualList

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase


class GroupedEntities:
    """Rows: a heading per type, then its entities (``order`` holds entity indexes, and
    ``-1 - g`` for the heading of group ``g``)."""

    def __init__(self, kb: KnowledgeBase, order: array, groups: list[tuple[str, int]]) -> None:
        self.kb, self.order, self.groups = kb, order, groups
        self.row_of: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.order)

    def payload(self, index: int):
        v = self.order[index]
        return self.kb.entities[v] if v >= 0 else None

    def text(self, index: int, width: int) -> Text:
        v = self.order[index]
        if v < 0:
            etype, count = self.groups[-1 - v]
            return fmt.group_heading(etype, count)
        return fmt.entity_prompt(self.kb.entities[v])


def group_entities(kb: KnowledgeBase) -> GroupedEntities:
    """Group and sort every entity (one pass, in a worker)."""
    by_type: dict[str, list[tuple[int, str, int, str]]] = {}
    for i, (etype, mentions, name, entity_id) in enumerate(_entity_keys(kb)):
        by_type.setdefault(etype, []).append((-mentions, fold(name), i, entity_id))
    order = array("q")
    groups: list[tuple[str, int]] = []
    row_of: dict[str, int] = {}
    for etype in [*fmt.TYPE_GROUPS, *sorted(set(by_type) - set(fmt.TYPE_GROUPS))]:
        members = by_type.get(etype)
        if not members:
            continue
        members.sort()
        order.append(-1 - len(groups))
        groups.append((etype, len(members)))
        for _, _, i, entity_id in members:
            row_of[entity_id] = len(order)
            order.append(i)
    if len(kb.entities):
        kb.entities[0]  # a lazy list reads its order here, in the worker, not when first drawn
    rows = GroupedEntities(kb, order, groups)
    rows.row_of = row_of
    return rows


def _entity_keys(kb: KnowledgeBase) -> Iterator[tuple[str, int, str, str]]:
    """(type, mentions, name, id) of each entity in order: from the index's rows when it keeps
    them (making 100,000 entities to read four fields each took seconds), else from each."""
    keys = getattr(kb, "entity_keys", None)
    if keys is not None:
        return iter(keys())
    return ((e.type, len(e.mentions), e.name, e.id) for e in kb.entities)


class EntityList(VirtualList):
    """The entities' rows: the highlighted entity can be corrected from here."""

    BINDINGS = bindings("entity")


class EntitiesPane(Pane):
    TITLE = "Entities"
    _rows: GroupedEntities | None = None

    def compose(self) -> ComposeResult:
        yield EntityList(id="entities")

    def on_mount(self) -> None:
        super().on_mount()
        self.vlist.fill(ListRows(()), empty="Reading the corpus…")

    @property
    def vlist(self) -> VirtualList:
        return self.query_one("#entities", VirtualList)

    def set_kb(self, kb: KnowledgeBase, *, keep_place: bool = False) -> None:
        """Group ``kb``'s entities; ``keep_place``: the rows stay on screen until the new ones
        are grouped and the cursor stays on its entity (the knowledge base was corrected)."""
        current = self.vlist.current if keep_place else None
        self._keep_row = self.vlist.highlighted if keep_place else None
        if current is not None and not self.wanted:
            self.wanted = current.id
        super().set_kb(kb)
        self.border_title = f"Entities · {len(kb.entities):,}"
        self._rows = None  # nothing drawn from the knowledge base before (it may be closed)
        self.vlist.fill(ListRows(()), empty="Grouping the entities…")
        self._group(kb)

    @work(thread=True, exclusive=True, group="entities-group", description="entities-group")
    def _group(self, kb: KnowledgeBase) -> None:
        rows = group_entities(kb)
        self.app.call_from_thread(self._fill, kb, rows)

    def _fill(self, kb: KnowledgeBase, rows: GroupedEntities) -> None:
        if kb is not self.kb:
            return
        self._rows = rows
        wanted, self.wanted = self.wanted, None
        row, self._keep_row = self._keep_row, None
        self.vlist.fill(rows, empty="No entities were extracted from these articles.")
        if wanted is not None and not self.select(wanted) and row is not None:
            self.wanted = None
            self.vlist.move_to(self.vlist.nearest_selectable(row))

    wanted: str | None = None  # the entity to put the cursor on once the rows are grouped
    _keep_row: int | None = None  # else the row to keep (after a correction)

    def select(self, entity_id: str) -> bool:
        """Put the cursor on ``entity_id`` (no message: the screen asked); False when it is
        not listed (yet: it is put there once the rows are grouped)."""
        rows = self._rows
        row = rows.row_of.get(entity_id) if rows is not None and rows.kb is self.kb else None
        if row is None:
            self.wanted = entity_id
            return False
        self.vlist.move_to(row)
        return True

    @on(VirtualList.Highlighted, "#entities")
    def _moved(self, event: VirtualList.Highlighted) -> None:
        event.stop()

    @on(VirtualList.Selected, "#entities")
    def _chosen(self, event: VirtualList.Selected) -> None:
        event.stop()
        if event.payload is not None:
            self.post_message(EntitySelected(event.payload.id))
