"""The browser's reading keys: step through marks and facts, back and forward, cite, why (the
other half of :class:`~pktui.tui.screens.browser.BrowserScreen`; what it needs is declared)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from pktui.model import Entity
from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.history import History, Location, Steps
from pktui.tui.locations import (
    citation,
    fact_location,
    next_fact,
    next_mark,
    read_mention_steps,
    ready_mention_steps,
    why,
)
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

    _steps_reading: str | None = None  # the entity whose steps a worker reads
    #: what waits for them: (entity id, the location to give them to; None: open the first)
    _steps_wanted: tuple[str, Location | None] | None = None

    def _entity_steps(self) -> Steps | None:
        """The selected entity's mentions to step through, when they are to hand; else None,
        and a worker reads them (a country may have a hundred thousand) for what waits."""
        eid, kb = self.entity_id, self.kb
        entity = kb.entity(eid) if (kb is not None and eid) else None
        if kb is None or entity is None or not entity.mentions:
            return None
        steps = ready_mention_steps(kb, entity)
        if steps is None and self._steps_reading != eid:
            self._steps_reading = eid
            self._read_entity_steps(kb, entity)
        return steps

    def _await_steps(self, loc: Location | None) -> None:
        """Once the selected entity's steps are read, give them to ``loc`` if it is still
        shown (None: open the entity's first mention)."""
        if self.entity_id and self._steps_reading == self.entity_id:
            self._steps_wanted = (self.entity_id, loc)

    @work(thread=True, exclusive=True, group="entity-steps", description="mentions", exit_on_error=False)
    def _read_entity_steps(self, kb: Any, entity: Entity) -> None:
        steps = read_mention_steps(kb, entity)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._entity_steps_read, kb, entity.id, steps)

    def _entity_steps_read(self, kb: Any, entity_id: str, steps: Steps) -> None:
        if self._steps_reading == entity_id:
            self._steps_reading = None
        if kb is not self.kb or entity_id != self.entity_id:
            return
        wanted, self._steps_wanted = self._steps_wanted, None
        if wanted is None or wanted[0] != entity_id:
            return
        loc = wanted[1]
        if loc is None and steps.spans:
            a, s, e = steps.spans[0]
            self.open(Location(a, (s, e), None, steps))
        elif loc is not None and self.shown == loc:
            with_steps = replace(loc, steps=steps)
            self.history.replace(loc, with_steps)
            self.open(with_steps, push=False)

    def action_step(self, delta: int) -> None:
        loc = self.shown
        if loc is None:
            return
        steps = loc.steps or self._entity_steps()
        if steps is None and self._steps_reading is not None and self._steps_reading == self.entity_id:
            self.app.notify("Reading the entity's mentions…", markup=False, timeout=2)
            return
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
