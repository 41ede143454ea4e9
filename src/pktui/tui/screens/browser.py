"""The browser: lists (articles, entities, timeline, search results) | source | facts and entity.

The screen composes the panes (:mod:`pktui.tui.panes`) and routes their messages; it owns the
layout, what the source view shows and the back/forward history. Wide terminals show three
columns; narrow ones (80×24) one pane at a time, switched with Tab / Shift+Tab or the number
keys, as the pane bar at the top shows. Everything the source view shows is a
:class:`~pktui.tui.history.Location`; opening one pushes it on the history, previews do not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Footer, Input

from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.history import History, Location
from pktui.tui.keymap import bindings
from pktui.tui.locations import fact_location
from pktui.tui.messages import ArticlesListed, EntitySelected, FactSelected, OpenLocation, RunCommand
from pktui.tui.panes.articles import ArticlesPane
from pktui.tui.panes.entities import EntitiesPane
from pktui.tui.panes.entity import EntityPane
from pktui.tui.panes.facts import FactsPane
from pktui.tui.panes.reader import ReaderPane
from pktui.tui.panes.results import ResultsPane
from pktui.tui.panes.timeline import TimelinePane
from pktui.tui.screens.browser_reading import ReadingMixin
from pktui.tui.screens.layout import LIST_PANES, PANE_GROUP, PANE_KEYS, PANE_WIDGET, WIDE, WIDGET_PANE
from pktui.tui.widgets.bars import PaneBar, SearchBar, SearchInput

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase

#: seconds after the article list is drawn when the entities and the timeline are filled even
#: if search is not open yet
OTHER_LISTS_AFTER = 3.0


class BrowserScreen(ReadingMixin):
    BINDINGS = bindings("browser")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    AUTO_FOCUS = "#articles"

    def __init__(self) -> None:
        super().__init__(id="browser")
        self.kb: KnowledgeBase | None = None
        self.paths: list[str] | None = None
        self.history = History()
        self.shown: Location | None = None
        self.pane = "articles"
        self.list_pane = "articles"
        self.searching = False
        self.entity_id: str | None = None  # the entity in the detail pane
        self._status = Text("loading…", "dim")
        self._bindings_state: tuple[bool | None, ...] = ()
        self._key_after_search: str | None = None  # typed with the Esc that closed the search
        self._lists_waiting: KnowledgeBase | None = None  # entities and timeline, filled after search opens

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PaneBar(id="panebar")
        yield SearchBar(id="searchbar")
        with Horizontal(id="body"):
            with ContentSwitcher(id="lists", initial="articles-pane"):
                yield ArticlesPane(id="articles-pane")
                yield EntitiesPane(id="entities-pane")
                yield TimelinePane(id="timeline-pane")
                yield ResultsPane(id="results-pane")
            yield ReaderPane(id="reader")
            with Vertical(id="side"):
                yield FactsPane(id="facts-pane")
                yield EntityPane(id="entity-pane")
        yield Footer(id="footer")

    def on_mount(self) -> None:
        self.set_pane("articles", focus=False)  # AUTO_FOCUS focuses it once the screen is active

    @property
    def reader(self) -> ReaderPane:
        return self.query_one(ReaderPane)

    @property
    def results(self) -> ResultsPane:
        return self.query_one(ResultsPane)

    @property
    def timeline(self) -> TimelinePane:
        return self.query_one(TimelinePane)

    @property
    def timeline_filter(self) -> str | None:
        return self.timeline.entity_id

    @property
    def search_query(self) -> str:
        return self.results.query_text

    @property
    def narrow(self) -> bool:
        return self.app.size.width < WIDE

    def cycle(self) -> list[str]:
        order = ["query", "results"] if self.searching else ["articles", "entities", "timeline"]
        order += ["source", "facts"]
        if self.entity_id:
            order.append("entity")
        return order

    def set_pane(self, pane: str, *, focus: bool = True) -> None:
        if pane == "entity" and not self.entity_id:
            self.app.notify("No entity selected: pick one in the Entities pane (2) first.", markup=False)
            return
        self.pane = pane
        if pane in LIST_PANES or pane == "query":
            self.query_one("#lists", ContentSwitcher).current = f"{'results' if pane == 'query' else pane}-pane"
            if pane in ("articles", "entities", "timeline"):
                self.list_pane = pane
        self._layout()
        if focus:
            widget = self.query_one(f"#{PANE_WIDGET[pane]}")
            if self.focused is not widget:
                # at once, so that keys typed right after (``/lacroix``) reach the widget
                self.set_focus(widget)
        self._update_panebar()

    def _layout(self, narrow: bool | None = None) -> None:
        """Show the columns the layout calls for: all when wide, the active pane's when narrow.

        Set on the widgets directly, not with classes on the screen: a class there makes Textual
        restyle every widget, which made each pane switch take a noticeable moment.
        """
        narrow = self.narrow if narrow is None else narrow
        group = PANE_GROUP[self.pane]
        for name in ("lists", "reader", "side"):
            self._set_display(f"#{name}", not narrow or group == name)
        self._set_display("#facts-pane", not narrow or self.pane != "entity")
        self._set_display("#entity-pane", bool(self.entity_id) and (not narrow or self.pane != "facts"))
        # results read one line a hit: give them room beside the source view, which previews
        lists = self.query_one("#lists")
        width, max_width = ("1fr", None) if narrow else ("45%", 90) if self.searching else ("28%", 52)
        if str(lists.styles.width) != width:
            lists.styles.width = width
            lists.styles.max_width = max_width
        self.results.set_class(not narrow, "-beside")

    def _set_display(self, selector: str, show: bool) -> None:
        widget = self.query_one(selector)
        if widget.display != show:
            widget.display = show

    def on_resize(self, event) -> None:
        self._layout(event.size.width < WIDE)

    def on_descendant_focus(self, event) -> None:
        if self._key_after_search and not self.searching:
            self.call_after_refresh(self._press_after_search, self._key_after_search)
            self._key_after_search = None
        node = event.widget
        while node is not None and node is not self:
            pane = WIDGET_PANE.get(node.id or "")
            if pane:
                if pane != self.pane:
                    self.set_pane(pane, focus=False)
                return
            node = node.parent

    def action_pane(self, pane: str) -> None:
        if self.searching and pane in ("articles", "entities", "timeline"):
            self.close_search(restore=False)
        self.set_pane(pane)

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_prev_pane(self) -> None:
        self._cycle(-1)

    def _cycle(self, delta: int) -> None:
        order = self.cycle()
        current = self.pane if self.pane in order else ("results" if self.searching else self.list_pane)
        self.set_pane(order[(order.index(current) + delta) % len(order)])

    def action_escape(self) -> None:
        if self.searching:
            if self.pane in ("results", "query"):
                self.close_search()
            else:
                self.set_pane("results")
        elif self.pane in ("source", "facts", "entity"):
            self.set_pane(self.list_pane)
        elif self.pane == "timeline" and self.timeline_filter:
            self.action_clear_filter()

    def _update_panebar(self) -> None:
        panes = ["articles", "entities", "timeline"]
        if self.searching:
            panes.append("results")
        panes += ["source", "facts"]
        if self.entity_id:
            panes.append("entity")
        active = "results" if self.pane == "query" else self.pane
        self.query_one(PaneBar).set_state([(PANE_KEYS[p], p) for p in panes], active, self._status)

    def set_status(self, status: Text) -> None:
        self._status = status
        self._update_panebar()

    # -- loading -----------------------------------------------------------------------

    def load_progress(self, done: int, total: int, what: str = "reading") -> None:
        if what in ("indexing", "updating"):  # the panes are filled: the status says how far
            status = self.kb_status()
            doing = "indexing for search" if what == "indexing" else "reading what changed in the folder"
            status.append(f" · {doing} {100 * done // max(total, 1)}%", "dim italic")
            self.set_status(status)
            return
        self.reader.progress(done, total)
        self.set_status(Text(f"{what} {done:,}/{total:,} articles…", "dim"))

    def load_failed(self, message: str) -> None:
        text = Text("Could not read the corpus.\n\n", "bold")
        text.append(one_line(message))
        self.reader.message(text)
        self.query_one(ArticlesPane).failed()
        self.set_status(Text("load failed", "bold"))

    def set_kb(self, kb: KnowledgeBase, paths: list[str] | None) -> None:
        """The knowledge base is loaded: every pane fills itself (the big ones in workers), the
        article list first, the entities and the timeline once it is drawn (their workers would
        hold the lock Python runs under while the one list a user sees waits to be drawn)."""
        self.kb, self.paths, self._steps_reading, self._steps_wanted = kb, paths, None, None
        for pane in (ArticlesPane, ResultsPane, ReaderPane):
            self.query_one(pane).set_kb(kb)
        self._lists_waiting = kb
        self.set_status(self.kb_status())
        if not len(kb.articles):
            self.reader.no_articles(paths)
            self.query_one(FactsPane).no_articles()

    @on(ArticlesPane.Filled)
    def _articles_listed(self, event: ArticlesPane.Filled) -> None:
        """Open the newest article once the list is there (unless the user opened something)."""
        if self.shown is None and len(event.articles):
            self.open(Location(event.articles[0].id), push=True)
        if self._lists_waiting is not None:
            self.call_after_refresh(self.post_message, ArticlesListed())
            self.set_timer(OTHER_LISTS_AFTER, self.fill_other_lists)

    def fill_other_lists(self) -> None:
        """The entities and the timeline, once search is open (or a while after the article
        list, if it takes long): at 100,000 articles their workers and the index opening took
        4 s together, and the first search waited for both."""
        kb, self._lists_waiting = self._lists_waiting, None
        if kb is not None and kb is self.kb:
            self.query_one(EntitiesPane).set_kb(kb)
            self.query_one(TimelinePane).set_kb(kb)

    def kb_status(self) -> Text:
        return fmt.kb_status(self.kb, getattr(self.app, "index_error", None))

    def index_changed(self, index: object, error: str | None) -> None:
        self.set_status(self.kb_status())
        self.results.set_index(index, error)
        self.fill_other_lists()

    # -- opening things ----------------------------------------------------------------

    def open(self, loc: Location, *, push: bool = True) -> None:
        """Show ``loc`` in the source view (and push it on the history)."""
        kb = self.kb
        if kb is None:
            return
        article = kb.article(loc.article)
        if article is None:
            self.app.notify(f"No article {one_line(loc.article)!r} in this corpus.", severity="warning", markup=False)
            return
        if push:
            self.history.push(loc)
        elif loc == self.shown:
            return  # a preview of what is shown already: nothing to redraw
        previous = self.shown
        self.shown = loc
        fact = kb.fact(loc.fact) if loc.fact else None
        self.reader.show(article, loc, fact)
        facts = self.query_one(FactsPane)
        if previous is None or previous.article != article.id:
            facts.show_article(kb, article)
        if fact is not None:
            facts.select_fact(fact.id)
        self._refresh_bindings()

    def open_article(self, article_id: str) -> None:
        self.open(Location(article_id))
        self.set_pane("source")

    def open_fact(self, fact_id: str, *, preview: bool = False, by_entity: bool = True) -> None:
        fact = self.kb.fact(fact_id) if self.kb else None
        if fact is None:
            self.app.notify(f"No fact {one_line(fact_id)!r}.", severity="warning", markup=False)
            return
        steps = self._entity_steps() if by_entity else (self.shown.steps if self.shown else None)
        loc = fact_location(fact, steps)
        self.open(loc, push=not preview)
        if by_entity and steps is None:
            self._await_steps(loc)
        if not preview:
            self.set_pane("source")

    @on(OpenLocation)
    def _open_location(self, event: OpenLocation) -> None:
        event.stop()
        self.open(event.location, push=not event.preview)
        if not event.preview:
            self.set_pane("source")

    @on(FactSelected)
    def _fact_selected(self, event: FactSelected) -> None:
        event.stop()
        self.open_fact(event.fact_id, preview=event.preview, by_entity=event.by_entity)

    @on(EntitySelected)
    def _entity_selected(self, event: EntitySelected) -> None:
        event.stop()
        self.select_entity(event.entity_id, open_first=event.open_first, focus=event.focus)

    @on(RunCommand)
    def run_command(self, event: RunCommand) -> None:
        if event.name == "figures":
            return  # the app opens the figures view over the browser: the message goes on up to it
        event.stop()
        if event.name == "timeline":
            self.set_pane("timeline")
        elif event.name == "clear_filter":
            self.action_clear_filter()
        elif event.name == "suggest":
            self.query_one(SearchInput).value = str(event.arg)
            self.set_pane("query")

    def select_entity(self, entity_id: str, *, open_first: bool = True, focus: bool = True) -> None:
        """Show the entity's detail, filter the timeline to it, and open its first mention."""
        kb = self.kb
        entity = kb.entity(entity_id) if kb else None
        if kb is None or entity is None:
            self.app.notify(f"No entity {one_line(entity_id)!r}.", severity="warning", markup=False)
            return
        self.entity_id = entity.id
        self._layout()
        self.query_one(EntityPane).show_entity(kb, entity)
        self.timeline.show(entity.id, one_line(entity.name))
        self.query_one(EntitiesPane).select(entity.id)
        if open_first and entity.mentions:
            if (steps := self._entity_steps()) is None:
                self._await_steps(None)  # opened when read
            elif steps.spans:
                a, s, e = steps.spans[0]
                self.open(Location(a, (s, e), None, steps))
        if focus:
            self.set_pane("entity")
        else:
            self._update_panebar()
        self._refresh_bindings()

    def action_clear_filter(self) -> None:
        if not self.timeline_filter:
            return
        self.timeline.show(None)
        self._refresh_bindings()
        self.app.notify("Timeline: all entries again.", markup=False, timeout=2)

    # -- bindings (stepping, history, citation, why: browser_reading) -------------------

    def _refresh_bindings(self) -> None:
        """Refresh the footer only when what ``check_action`` answers changed (it recomposes)."""
        actions = ("step", "fact_step", "copy_citation", "clear_filter", "back", "forward", "why")
        state = (*(self.check_action(a, ()) for a in actions), self.check_action("fix", ("reject_mention",)))
        if state != self._bindings_state:
            self._bindings_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return self.shown is not None and bool(self.shown.steps or self.entity_id)
        if action == "fact_step":
            return self.shown is not None and self.kb is not None and bool(self.kb.facts_in(self.shown.article))
        if action in ("copy_citation", "why"):
            return self.shown is not None and self.shown.highlight is not None
        if action == "clear_filter":
            return self.timeline_filter is not None
        if action == "fix" and parameters == ("reject_mention",):  # only on a highlighted mention
            return self.mention_at_cursor() is not None
        if action == "back":  # stays on while previewing, so the footer is not rebuilt on every move
            return len(self.history) > 0
        if action == "forward":
            return self.history.can_forward()
        return True

    # -- search ------------------------------------------------------------------------

    def open_search(self) -> None:
        if not self.searching:
            self.searching = True
            self.query_one("#searchbar").display = True
            if self.search_query.strip() and self.results.shown_query != self.search_query:
                self.results.search_now()
        self.set_pane("query")

    def close_search(self, *, restore: bool = True) -> None:
        if not self.searching:
            return
        self.searching = False
        self.query_one("#searchbar").display = False
        self.results.stop()
        if restore:
            self.set_pane(self.list_pane)
        else:
            self._layout()
            self._update_panebar()

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.results.set_query(event.value)

    @on(SearchInput.Move)
    def _results_move(self, event: SearchInput.Move) -> None:
        results = self.results.vlist
        if event.delta > 0:
            results.action_cursor_down()
        else:
            results.action_cursor_up()

    @on(SearchInput.Open)
    def _results_open(self, event: SearchInput.Open) -> None:
        self.results.open_when_ready()

    @on(SearchInput.Close)
    def _search_close(self, event: SearchInput.Close) -> None:
        self._key_after_search = event.then_key  # pressed once the focus has left the search
        self.close_search()

    async def _press_after_search(self, key: str) -> None:
        """What ``key`` is bound to now that the search is closed (Esc and it came as one)."""
        bound = self.app.active_bindings.get(key)
        if bound is not None and bound.enabled:
            await self.app.run_action(bound.binding.action, bound.node)
