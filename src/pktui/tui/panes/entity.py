"""The selected entity: name, type, counts, aliases, where to go next, then its facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult

from pktui.model import Entity, Fact
from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.keymap import bindings
from pktui.tui.messages import FactSelected, RunCommand
from pktui.tui.panes.base import Pane
from pktui.tui.panes.facts import CorrectableFacts
from pktui.tui.widgets.vlist import ChainedRows, ListRows, MappedRows, VirtualList

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase


class EntityDetail(CorrectableFacts):
    """The entity's detail: the entity (and the highlighted fact) can be corrected from here."""

    BINDINGS = bindings("entity")


class EntityPane(Pane):
    TITLE = "Entity"
    entity_id: str | None = None

    def compose(self) -> ComposeResult:
        yield EntityDetail(id="entity")

    @property
    def vlist(self) -> EntityDetail:
        return self.query_one("#entity", EntityDetail)

    def show_entity(self, kb: KnowledgeBase, entity: Entity) -> None:
        self.kb, self.entity_id = kb, entity.id
        name = one_line(entity.name)
        kind = fmt.TYPE_NAMES.get(entity.type, one_line(entity.type))
        rows: list[tuple[Text, object]] = [
            (fmt.mark_corrected(Text.assemble((name, "bold"), "  ", (kind, "italic")), entity), None),
            (
                Text(
                    fmt.counted(len(entity.mentions), "mention")
                    + " in "
                    + fmt.counted(len(entity.articles), "article"),
                    "dim",
                ),
                None,
            ),
        ]
        if entity.corrected:
            rows.append((Text(fmt.corrected_by(entity) + " (c lists the corrections)", "dim"), None))
        aliases = [one_line(a) for a in entity.aliases if a != entity.name]
        if aliases:
            rows.append((Text("also: " + ", ".join(aliases), "dim"), None))
        for key, value in entity.attributes.items():
            rows.append((Text(f"{one_line(key)}: {one_line(value)}", "dim"), None))
        commands = [
            (Text("Go to", "bold underline"), None),
            (Text(f"▸ timeline of {name}"), RunCommand("timeline")),
            (Text(f"▸ figures about {name}"), RunCommand("figures", entity.id)),
            (Text("▸ clear the timeline filter (x)"), RunCommand("clear_filter")),
        ]
        facts = kb.facts_about(entity.id)
        rows.append((Text(f"Facts · {len(facts):,}", "bold underline"), None))
        if not facts:
            rows.append((Text("no facts about this entity", "italic dim"), None))

        def fact_row(fact: Fact, width: int) -> Text:
            return fmt.fact_line(fact, self.entity_name, kb.article(fact.article), width)

        # the commands come last (G reaches them): an entity may have a hundred thousand facts
        self.vlist.fill(ChainedRows(ListRows(rows), MappedRows(facts, fact_row), ListRows(commands)))
        self.border_title = Text(f"{name} · {kind}")

    def entity_name(self, entity_id: str | None) -> str | None:
        return fmt.entity_name(self.kb, entity_id)

    @on(VirtualList.Highlighted, "#entity")
    def _preview(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        if isinstance(event.payload, Fact) and event.vlist.has_focus:
            self.post_message(FactSelected(event.payload.id, preview=True))

    @on(VirtualList.Selected, "#entity")
    def _open(self, event: VirtualList.Selected) -> None:
        event.stop()
        item = event.payload
        if isinstance(item, Fact):
            self.post_message(FactSelected(item.id, by_entity=True))
        elif isinstance(item, RunCommand):
            self.post_message(RunCommand(item.name, item.arg))
