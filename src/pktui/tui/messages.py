"""Messages the panes post up to the browser screen, which routes them (attributes go down)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from textual.message import Message

from pktui.tui.history import Location


class OpenLocation(Message):
    """Show ``location`` in the source view; ``preview``: no history, the focus stays put."""

    def __init__(self, location: Location, *, preview: bool = False) -> None:
        super().__init__()
        self.location, self.preview = location, preview


class FactSelected(Message):
    """Open a fact; its passage steps through the selected entity's mentions when ``by_entity``
    (else through what the source view steps through now)."""

    def __init__(self, fact_id: str, *, preview: bool = False, by_entity: bool = False) -> None:
        super().__init__()
        self.fact_id, self.preview, self.by_entity = fact_id, preview, by_entity


class EntitySelected(Message):
    """Show an entity's detail and filter the timeline to it; ``open_first`` opens its first
    mention, ``focus`` moves to the detail pane."""

    def __init__(self, entity_id: str, *, open_first: bool = True, focus: bool = True) -> None:
        super().__init__()
        self.entity_id, self.open_first, self.focus = entity_id, open_first, focus


class RunCommand(Message):
    """A command row was chosen (``timeline``, ``figures``, ``clear_filter``, ``suggest``)."""

    def __init__(self, name: str, arg: Any = "") -> None:
        super().__init__()
        self.name, self.arg = name, arg


class ArticlesListed(Message):
    """The article list of a newly loaded knowledge base is drawn: work that competes with
    drawing (opening the search index) may start."""


@runtime_checkable
class AsksCorrections(Protocol):
    """What a screen asks of the app for a correction key (the app is ``PktuiApp``; a screen
    does not import it: the app imports the screens)."""

    def ask_correction(self, op: str, *, entity: Any = None, fact: Any = None, mention: Any = None) -> None: ...
