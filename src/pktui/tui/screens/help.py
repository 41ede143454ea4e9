"""``?``: every key (as remapped by the config), the search syntax, the config file.

The text is laid out in a worker (:class:`RenderedView`) and kept per width for the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer

from pktui.model import ENTITY_TYPES
from pktui.tui.config import config_path
from pktui.tui.format import CORRECTED_MARK, TYPE_NAMES
from pktui.tui.keymap import KEYS, SCOPES, SEARCH_SYNTAX, bindings
from pktui.tui.widgets.rendered import LineCache, RenderedView


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings("help")
    #: the help laid out, by (its keys and config path, width): the same for the whole session
    laid_out: ClassVar[LineCache] = {}

    def compose(self) -> ComposeResult:
        yield RenderedView(self.help_text(), key=self._text_key(), cache=self.laid_out, id="help-body")
        yield Footer()

    @property
    def text_drawn(self) -> bool:
        """Is the help text on screen (it is laid out in a worker)?"""
        return self.query_one("#help-body", RenderedView).drawn

    def _text_key(self) -> tuple[object, ...]:
        """What the help text depends on besides the width: the remapped keys, the config path."""
        config = getattr(self.app, "config", None)
        keys = tuple(sorted(config.keys.items())) if config else ()
        return (keys, str(config_path()))

    def on_mount(self) -> None:
        body = self.query_one("#help-body")
        body.border_title = "pktui — keys and search"
        body.border_subtitle = "Esc closes · j/k scroll"
        body.focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body").scroll_relative(y=delta, animate=False)

    def keys_of(self, key_id: str, default: str) -> str:
        config = getattr(self.app, "config", None)
        keys = config.keys.get(key_id, default) if config else default
        shown = []
        for key in keys.split(","):
            key = key.strip()
            if key:
                shown.append(self.app.get_key_display(Binding(key, "")))
        return " ".join(shown)

    def help_text(self) -> Group:
        """Everything as Rich renderables (Text and tables; no markup is parsed)."""
        parts: list[RenderableType] = []
        intro = Text()
        intro.append("pktui", "bold")
        intro.append(" shows what news articles say as facts, each tied to the sentence it came from. ")
        intro.append("Panes: 1 Articles · 2 Entities · 3 Timeline · 4 Source · 5 Facts · 6 Entity; ")
        intro.append("on narrow terminals one pane shows at a time and Tab moves on.")
        parts.append(intro)
        for scope, title in SCOPES.items():
            rows = [(self.keys_of(k.id, k.keys), k.help or k.description, k.id) for k in KEYS if k.scope == scope]
            parts.append(self._table(title, rows, ("keys", "does", "id (for the config)")))
        parts.append(self._table("Search syntax", list(SEARCH_SYNTAX), ("type", "finds")))
        parts.append(
            Text(
                "Results update as you type; Enter opens the passage highlighted; n/N then step through the "
                "matched words; Esc returns."
            )
        )
        legend = Text()
        legend.append("\nIn the source view\n", "bold underline")
        legend.append("highlighted", "reverse bold")
        legend.append(": the fact or match opened · ")
        legend.append("bold", "bold")
        legend.append(": its sentence · ")
        legend.append("underlined", "underline")
        legend.append(": the mentions or matches n/N step through. Mentions are tinted by type (")
        legend.append(", ".join(TYPE_NAMES[t] for t in ENTITY_TYPES))
        legend.append(
            "). y copies the highlighted sentence as a citation: quote — source, title, date, URL (the file when "
            "there is no URL). w says why the highlighted fact or mention was extracted.\n"
        )
        legend.append(f"{CORRECTED_MARK} in a list", "bold")
        legend.append(": an entity, fact or point a correction changed (c lists the corrections).\n")
        parts.append(legend)
        config = Text()
        config.append("Config", "bold underline")
        config.append(f"\n{config_path()}   (theme: also --theme NAME)\n")
        config.append(
            'theme: nord\nkeys:                 # id -> keys, comma separated\n  search: "ctrl+f,slash"\n  back: "backspace,b"'
        )
        parts.append(config)
        return Group(*parts)

    @staticmethod
    def _table(title: str, rows: Sequence[tuple[str, ...]], headers: tuple[str, ...]) -> Table:
        table = Table(
            title=Text(title, "bold underline"),
            title_justify="left",
            box=None,
            show_header=True,
            header_style="dim",
            padding=(0, 1),
            expand=True,
        )
        table.add_column(headers[0], style="bold", no_wrap=True, min_width=10)
        table.add_column(headers[1], ratio=1)
        if len(headers) > 2:
            table.add_column(headers[2], style="dim", no_wrap=True)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        return table
