"""The browser's reading keys: step through marks and facts, back and forward, cite, why (the
other half of :class:`~pktui.tui.screens.browser.BrowserScreen`; what it needs is declared)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.history import History, Steps
from pktui.tui.locations import citation, fact_location, next_fact, next_mark, why
from pktui.tui.screens.browser_corrections import CorrectionsMixin
from pktui.tui.screens.layout import PANE_GROUP

if TYPE_CHECKING:
    from pktui.tui.panes.reader import ReaderPane


class ReadingMixin(CorrectionsMixin):
    history: History

    if TYPE_CHECKING:

        @property
        def reader(self) -> ReaderPane: ...
        @property
        def narrow(self) -> bool: ...
        def _entity_steps(self) -> Steps | None: ...

    def action_step(self, delta: int) -> None:
        loc = self.shown
        if loc is None:
            return
        steps = loc.steps or self._entity_steps()
        if not steps or not steps.spans:
            self.app.notify(
                "Nothing to step through: select an entity or open a search result first.", markup=False, timeout=3
            )
            return
        self.open(next_mark(steps, loc, delta), push=False)

    def action_fact_step(self, delta: int) -> None:
        loc = self.shown
        if loc is None or self.kb is None:
            return
        facts = self.kb.facts_in(loc.article)
        if not facts:
            self.app.notify("This article has no facts to step through.", markup=False, timeout=3)
            return
        self.open(fact_location(next_fact(facts, loc, delta), loc.steps), push=False)

    def action_back(self) -> None:
        loc = self.history.back(self.shown)
        if loc is None:
            self.app.notify("Nothing to go back to.", markup=False, timeout=2)
            return
        self.open(loc, push=False)
        self._reveal_source()

    def action_forward(self) -> None:
        loc = self.history.forward()
        if loc is None:
            self.app.notify("Nothing to go forward to.", markup=False, timeout=2)
            return
        self.open(loc, push=False)
        self._reveal_source()

    def _reveal_source(self) -> None:
        if self.narrow and PANE_GROUP.get(self.pane) == "lists":
            self.set_pane("source")

    def citation(self) -> str | None:
        if self.shown is None or self.kb is None:
            return None
        return citation(self.kb, self.shown, self.reader.sentence_at)

    def action_copy_citation(self) -> None:
        text = self.citation()
        if text is None:
            self.app.notify(
                "Nothing highlighted to cite: open a fact, a timeline entry or a result first.", markup=False
            )
            return
        self.app.copy_to_clipboard(text)
        self.app.notify(f"Copied: {fmt.clip(text, 300)}", title="Citation", markup=False)

    def why(self) -> tuple[str, str] | None:
        return why(self.kb, self.shown) if self.kb is not None and self.shown is not None else None

    def action_why(self) -> None:
        answer = self.why()
        if answer is None:
            self.app.notify(
                "Nothing highlighted to explain: open a fact or step to a mention (n) first.", markup=False, timeout=4
            )
            return
        what, why = answer
        self.app.notify(
            f"{fmt.clip(what, 120)}\n{one_line(why) if why else 'no reason recorded'}",
            title="Why it was extracted",
            markup=False,
            timeout=8,
        )
