"""One-line bars: the pane bar at the top and the search bar."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, Static

from pktui.tui.keymap import bindings

PANE_TITLES = {
    "articles": "Articles",
    "entities": "Entities",
    "timeline": "Timeline",
    "results": "Results",
    "source": "Source",
    "facts": "Facts",
    "entity": "Entity",
}


class PaneBar(Static):
    """``1 Articles  2 Entities ...`` with the active pane reversed, then a status on the right."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._panes: list[tuple[str, str]] = []
        self._active = ""
        self._status = Text()
        self._hits: list[tuple[int, int, str]] = []

    def set_state(self, panes: list[tuple[str, str]], active: str, status: Text | None = None) -> None:
        """``panes``: (key, pane) pairs in order; ``active``: the pane with focus."""
        self._panes, self._active = panes, active
        if status is not None:
            self._status = status
        self.update(self._render_bar())

    def _render_bar(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        self._hits = []
        for key, pane in self._panes:
            start = len(text)
            label = f" {key} {PANE_TITLES[pane]} " if key else f" {PANE_TITLES[pane]} "
            text.append(label, "reverse bold" if pane == self._active else "")
            self._hits.append((start, len(text), pane))
        if self._status:
            room = self.size.width - len(text) - 2 if self.size.width else len(self._status)
            text.append("  ")
            text.append_text(fit_parts(self._status, room))
        return text

    def on_resize(self, _event: events.Resize) -> None:
        self.update(self._render_bar())

    async def on_click(self, event: events.Click) -> None:
        for start, end, pane in self._hits:
            if start <= event.x < end:
                await self.screen.run_action(f"pane('{pane}')")
                return


def fit_parts(status: Text, width: int, sep: str = " · ") -> Text:
    """``status`` cut to ``width`` cells at a separator, whole parts only (``20,000 articles ·``
    cut mid-way read as if something followed); one part too long is cut with an ellipsis."""
    if status.cell_len <= width:
        return status
    plain = status.plain
    cut, at = -1, plain.find(sep)
    while at != -1 and cell_len(plain[:at]) <= width:
        cut, at = at, plain.find(sep, at + len(sep))
    if cut > 0:
        return status[:cut]
    short = status.copy()
    short.truncate(max(0, width), overflow="ellipsis")
    return short


class SearchInput(Input):
    """The query field; arrows move through the results, Enter opens, Esc leaves search."""

    BINDINGS = bindings("search")

    class Move(Message):
        def __init__(self, delta: int) -> None:
            super().__init__()
            self.delta = delta

    class Open(Message):
        pass

    class Close(Message):
        def __init__(self, then_key: str | None = None) -> None:
            super().__init__()
            self.then_key = then_key  # a key typed right after Esc, for the screen

    async def _on_key(self, event: events.Key) -> None:
        # Esc and the next key typed quickly reach the app as one alt+key (the terminal sends
        # them together): read as both, leave the search, then the key ("Esc 2": the entities)
        if event.key.startswith("alt+") and event.character and len(event.character) == 1:
            event.stop()
            event.prevent_default()
            self.post_message(self.Close(event.key.removeprefix("alt+")))
            return
        await super()._on_key(event)

    def action_results_move(self, delta: int) -> None:
        self.post_message(self.Move(delta))

    def action_results_open(self) -> None:
        self.post_message(self.Open())

    def action_close(self) -> None:
        self.post_message(self.Close())


class SearchBar(Horizontal):
    def compose(self):
        yield Label("/", id="search-prompt")
        yield SearchInput(
            placeholder="search facts and entities — e.g. lacrox visit, type:person, after:2020", id="search-input"
        )
