"""A small modal for corrections: an input, a list, or both (a name and a type), or a fuzzy
picker whose list follows what is typed.

Enter picks (the highlighted row and the text typed), Esc cancels (dismisses ``None``); ↑/↓
typed in the input move the list. A picker's matching runs in a thread worker, so no key
waits for it. Rows are ``Text`` and the input's value is plain: nothing is read as markup.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from pktui.tui.keymap import bindings
from pktui.tui.widgets.vlist import ListRows, MappedRows, VirtualList


@dataclass(frozen=True, slots=True)
class Choice:
    """What was picked: the text typed (``""`` without an input) and the row's payload."""

    text: str
    item: Any = None


class ChoiceScreen(ModalScreen[Choice | None]):
    BINDINGS = bindings("choose")

    def __init__(
        self,
        title: str,
        *,
        hint: str = "",
        value: str | None = None,
        placeholder: str = "",
        rows: Sequence[tuple[Text, Any]] | None = None,
        highlight: int | None = None,
        search: Callable[[str], Sequence[Any]] | None = None,
        render: Callable[[Any], Text] | None = None,
        empty: str = "nothing to choose",
    ) -> None:
        """``value``: an input prefilled with it; ``rows``: a list to choose from; ``search``:
        a picker (``search(text)`` -> items, shown with ``render``) that follows the input."""
        super().__init__(classes="choose")
        self.title_text, self.hint = title, hint
        self.value, self.placeholder = value, placeholder
        self.choices, self.first_row = rows, highlight
        self.finder, self.row_text, self.empty_text = search, render, empty

    @property
    def has_input(self) -> bool:
        return self.value is not None or self.finder is not None

    @property
    def has_list(self) -> bool:
        return self.choices is not None or self.finder is not None

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-body"):
            if self.hint:
                yield Static(Text(self.hint, "dim"), id="choose-hint", markup=False)
            if self.has_input:
                yield Input(value=self.value or "", placeholder=self.placeholder, id="choose-input")
            if self.has_list:
                yield VirtualList(id="choose-list")
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one("#choose-body")
        body.border_title = Text(self.title_text)
        keys = "Enter picks · Esc cancels"
        if self.has_input and self.has_list and self.finder is None:
            keys = "Enter picks both · Tab: the list · Esc cancels"
        body.border_subtitle = keys
        body.set_class(not self.has_list, "-short")
        if self.choices is not None:
            self.list.fill(ListRows(self.choices), empty=self.empty_text, highlight=self.first_row)
        if self.finder is not None:
            self.list.fill(ListRows(()), empty="Looking…")
            self._find(self.value or "")
        (self.query_one("#choose-input") if self.has_input else self.list).focus()

    @property
    def list(self) -> VirtualList:
        return self.query_one("#choose-list", VirtualList)

    # -- the picker ---------------------------------------------------------------------------

    @on(Input.Changed, "#choose-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.finder is not None:
            self._find(event.value)

    @work(thread=True, exclusive=True, group="choose", description="choose", exit_on_error=False)
    def _find(self, text: str) -> None:
        items = list(self.finder(text)) if self.finder is not None else []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found, text, items)

    def _found(self, text: str, items: builtins.list[Any]) -> None:
        if not self.is_mounted or text != self.query_one("#choose-input", Input).value:
            return  # typed over: a newer list is on its way
        render = self.row_text or (lambda item: Text(str(item)))
        self.list.fill(MappedRows(items, lambda item, _w: render(item)), empty=self.empty_text)

    # -- picking ------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """↑/↓ (and page keys) in the input move the list."""
        if self.has_list and isinstance(self.focused, Input) and event.key in ("up", "down", "pageup", "pagedown"):
            moves = {
                "up": self.list.action_cursor_up,
                "down": self.list.action_cursor_down,
                "pageup": self.list.action_page_up,
                "pagedown": self.list.action_page_down,
            }
            moves[event.key]()
            event.stop()
            event.prevent_default()

    @on(Input.Submitted, "#choose-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.pick()

    @on(VirtualList.Selected, "#choose-list")
    def _selected(self, event: VirtualList.Selected) -> None:
        event.stop()
        self.pick()

    def pick(self) -> None:
        text = self.query_one("#choose-input", Input).value if self.has_input else ""
        item = self.list.current if self.has_list else None
        if self.has_list and item is None:
            self.app.bell()
            return
        self.dismiss(Choice(text, item))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_focus_next(self) -> None:
        self.focus_next()
