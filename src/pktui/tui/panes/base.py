"""What every pane shares: a bordered column holding a list, and the knowledge base."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase


class Pane(Vertical):
    """A bordered pane (``.pane`` in app.tcss) with a title; ``kb`` is set when loaded."""

    TITLE = ""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.kb: KnowledgeBase | None = None

    def on_mount(self) -> None:
        self.border_title = self.TITLE

    def set_kb(self, kb: KnowledgeBase) -> None:
        self.kb = kb
