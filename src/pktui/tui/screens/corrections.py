"""``c``: the corrections view — the ledger newest first, one line an entry (number, what it
did with its targets by name, time, note; stale and undone ones say so).

Enter opens what the entry changed (the entity's detail, the fact in its source); ``u`` undoes
the selected entry. The ledger is read in a worker; the view reads it again after every change.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from pktui.knowledge.corrections import in_effect
from pktui.knowledge.ledger import Entry, LedgerError, mention_ref, read_ledger
from pktui.model import Fact
from pktui.text import one_line
from pktui.tui.corrections import entry_line, extracted_facts, gone_facts
from pktui.tui.keymap import bindings
from pktui.tui.widgets.vlist import ListRows, MappedRows, VirtualList


@dataclass(frozen=True, slots=True)
class Opened:
    """What Enter opens: the entry whose change to show (an undo's target for an undo) and,
    for a fact the corpus no longer holds, the fact as extracted."""

    entry: Entry
    original: Fact | None = None


class CorrectionsScreen(Screen[Opened | None]):
    BINDINGS = bindings("corrections")

    def __init__(self) -> None:
        super().__init__(id="corrections")
        self.entries: dict[int, Entry] = {}
        self.originals: dict[str, Fact] = {}
        self.effective: set[int] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="corrections-body", classes="pane"):
            yield Static(id="corrections-note", markup=False)
            yield VirtualList(id="corrections-list")
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one("#corrections-body")
        body.border_title = "Corrections"
        body.border_subtitle = "Enter opens · u undoes the entry · Esc returns"
        self.list.fill(ListRows(()), empty="Reading the ledger…")
        self.list.focus()
        self.reload()

    @property
    def list(self) -> VirtualList:
        return self.query_one("#corrections-list", VirtualList)

    def reload(self) -> None:
        app: Any = self.app
        self._read(app.ledger_path, app.kb, app.archive)

    @work(thread=True, exclusive=True, group="corrections-view", description="corrections-view")
    def _read(self, path: Any, kb: Any, archive: Any) -> None:
        if path is None:
            self.app.call_from_thread(self._failed, "This corpus was opened without a corrections ledger.")
            return
        try:
            ledger = read_ledger(path)
        except LedgerError as exc:
            self.app.call_from_thread(self._failed, f"The ledger cannot be used: {one_line(str(exc))}")
            return
        outcome = getattr(kb, "corrections", None)
        stale = {e.n: why for e, why in outcome.stale} if outcome is not None else {}
        effective = in_effect(ledger.entries)
        undone_by = {e.targets["entry"]: e.n for e in ledger.entries if e.op == "undo" and e.n in effective}
        gone = [fid for e in ledger.entries for fid in [_fact_of(e)] if fid and (kb is None or kb.fact(fid) is None)]
        originals = {**{fid: f for fid, f in gone_facts(kb).items() if fid in gone}, **extracted_facts(archive, gone)}
        rows = []
        for e in reversed(ledger.entries):
            state, why = "in effect", ""
            if e.n in stale:
                state, why = "stale", stale[e.n]
            elif e.n in undone_by:
                state = f"undone by {undone_by[e.n]}"
            elif e.n not in effective:
                state = "undone"
            rows.append((e, state, why, originals.get(_fact_of(e) or "")))
        note = Text(f"{len(ledger.entries):,} entries in ", "dim")
        note.append(one_line(str(path)), "dim bold")
        if stale:
            note.append(f" · {len(stale):,} stale (their target is gone)", "bold")
        self.app.call_from_thread(self._show, rows, {e.n: e for e in ledger.entries}, originals, effective, note)

    def _show(
        self,
        rows: builtins.list[Any],
        entries: dict[int, Entry],
        originals: dict[str, Fact],
        effective: set[int],
        note: Text,
    ) -> None:
        self.entries, self.originals, self.effective = entries, originals, effective
        self.query_one("#corrections-note", Static).update(note)
        row = self.list.highlighted
        kb = getattr(self.app, "kb", None)

        def line(row: tuple, width: int) -> Text:
            entry, state, why, original = row
            return entry_line(entry, kb, state, why, original, width)

        self.list.fill(
            MappedRows(rows, line), empty="No corrections yet: m r t s a on an entity, d e on a fact, D on a mention."
        )
        if row is not None:
            self.list.move_to(self.list.nearest_selectable(row))

    def _failed(self, message: str) -> None:
        self.query_one("#corrections-note", Static).update(Text(message, "bold"))
        self.list.fill(ListRows(()), empty="Nothing to list.")

    # -- keys ---------------------------------------------------------------------------------

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        event.stop()
        self.action_open_entry()

    @property
    def current(self) -> Entry | None:
        row = self.list.current
        return row[0] if row else None

    def action_open_entry(self) -> None:
        entry = self.current
        if entry is None:
            return
        while entry.op == "undo" and entry.targets["entry"] in self.entries:
            entry = self.entries[entry.targets["entry"]]
        if entry.op == "undo":
            self.notify(f"Entry {entry.targets['entry']} is not in the ledger.", markup=False)
            return
        self.dismiss(Opened(entry, self.originals.get(_fact_of(entry) or "")))

    def action_undo_entry(self) -> None:
        entry = self.current
        if entry is None:
            return
        app: Any = self.app
        from pktui.tui.corrections import Correction

        app.correct(Correction("undo", {"entry": entry.n}, doing=f"undoing entry {entry.n}"))

    def action_close(self) -> None:
        self.dismiss(None)

    def corrected(self, kb: Any) -> None:
        """The corpus was corrected (an entry undone here, say): read the ledger again."""
        self.reload()


def _fact_of(entry: Entry) -> str | None:
    """The fact an entry names (a reject of a fact, a set), or None."""
    if entry.op == "set":
        return entry.targets["fact"]
    if entry.op == "reject" and mention_ref(entry.targets["target"]) is None:
        return entry.targets["target"]
    return None
