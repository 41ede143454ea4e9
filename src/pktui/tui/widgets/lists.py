"""Keyboard lists (j/k, g/G, Enter) whose options carry a payload: an article, an entity, ..."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pktui.tui.keymap import bindings

#: A row of a list: its prompt (a ``Text`` or another renderable with a ``plain`` text) and
#: what it stands for (``None``: a heading or a message, not selectable).
Row = tuple[Any, Any]


class NavList(OptionList):
    """An ``OptionList`` of :data:`Row`; never parses markup, so untrusted text stays literal."""

    BINDINGS = bindings("list")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._payloads: list[Any] = []

    def fill(self, rows: Iterable[Row], *, empty: str | Text | None = None, keep: bool = False) -> None:
        """Replace the rows; ``empty`` explains an empty list; ``keep`` keeps the highlight."""
        old = self.highlighted if keep else None
        rows = list(rows)
        if not rows and empty is not None:
            message = Text(empty, "italic") if isinstance(empty, str) else empty
            rows = [(message, None)]
        self._payloads = [payload for _, payload in rows]
        self.set_options(
            Option(prompt, id=str(i), disabled=payload is None) for i, (prompt, payload) in enumerate(rows)
        )
        if old is not None and old < len(rows) and rows[old][1] is not None:
            self.highlighted = old
        else:
            self.highlighted = self.first_enabled()

    def first_enabled(self) -> int | None:
        return next((i for i, p in enumerate(self._payloads) if p is not None), None)

    def payload(self, index: int | None) -> Any:
        if index is None or not 0 <= index < len(self._payloads):
            return None
        return self._payloads[index]

    @property
    def current(self) -> Any:
        return self.payload(self.highlighted)

    def select_payload(self, match) -> bool:
        """Highlight the first row whose payload satisfies ``match``."""
        for i, p in enumerate(self._payloads):
            if p is not None and match(p):
                self.highlighted = i
                return True
        return False

    def payloads(self) -> list[Any]:
        return [p for p in self._payloads if p is not None]

    def texts(self) -> list[str]:
        """The plain text of every row, as shown."""
        return [getattr(o.prompt, "plain", str(o.prompt)) for o in self.options]


class FactList(NavList):
    """The facts of the article and the entity detail: stepping and citing work from here too."""

    BINDINGS = bindings("reading")
