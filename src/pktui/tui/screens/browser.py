"""The browser: lists (articles, entities, timeline, search results) | source | facts and entity.

Wide terminals show three columns; narrow ones (80×24) show one pane at a time, switched
with Tab / Shift+Tab or the number keys, as the pane bar at the top shows. Everything the
source view shows is a :class:`~pktui.tui.history.Location`; opening one pushes it on the
back/forward history, previews (moving through a list) do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Input, OptionList, ProgressBar, Static
from textual.worker import get_current_worker

from pktui.model import Article, Entity, Fact, TimelineEntry
from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.history import History, Location, Steps
from pktui.tui.keymap import SEARCH_SYNTAX, bindings
from pktui.tui.widgets.bars import PaneBar, SearchBar, SearchInput
from pktui.tui.widgets.lists import FactList, NavList, Row
from pktui.tui.widgets.source import SourceView

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase

WIDE = 120  # columns from which the three columns are shown side by side
SEARCH_DEBOUNCE = 0.04  # seconds of quiet typing before a search starts

LIST_PANES = ("articles", "entities", "timeline", "results")
PANE_WIDGET = {
    "articles": "articles",
    "entities": "entities",
    "timeline": "timeline",
    "results": "results",
    "query": "search-input",
    "source": "source",
    "facts": "facts",
    "entity": "entity",
}
WIDGET_PANE = {v: k for k, v in PANE_WIDGET.items()}
PANE_GROUP = {
    "articles": "lists",
    "entities": "lists",
    "timeline": "lists",
    "results": "lists",
    "query": "lists",
    "source": "reader",
    "facts": "side",
    "entity": "side",
}
PANE_KEYS = {
    "articles": "1",
    "entities": "2",
    "timeline": "3",
    "results": "/",
    "source": "4",
    "facts": "5",
    "entity": "6",
}


@dataclass(frozen=True, slots=True)
class Published:
    """A timeline row for an article's publication date."""

    article: Article


@dataclass(frozen=True, slots=True)
class Command:
    """A selectable action row (in the entity detail or the results)."""

    name: str
    arg: str = ""


class BrowserScreen(Screen):
    BINDINGS = bindings("browser")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    AUTO_FOCUS = "#articles"

    def __init__(self) -> None:
        super().__init__(id="browser")
        self.kb: KnowledgeBase | None = None
        self.history = History()
        self.shown: Location | None = None
        self.pane = "articles"
        self.list_pane = "articles"
        self.searching = False
        self.entity_id: str | None = None  # the entity in the detail pane
        self.timeline_filter: str | None = None
        self.search_query = ""
        self._results_query: str | None = None
        self._search_timer = None
        self._sentences: dict[str, list[tuple[int, int]]] = {}
        self._mention_types: dict[str, list[tuple[int, int, str]]] = {}
        self._article_order: dict[str, int] = {}
        self._status = Text("loading…", "dim")
        self._bindings_state: tuple[bool | None, ...] = ()

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PaneBar(id="panebar")
        yield SearchBar(id="searchbar")
        with Horizontal(id="body"):
            with ContentSwitcher(id="lists", initial="articles-pane"):
                with Vertical(id="articles-pane", classes="pane"):
                    yield NavList(id="articles")
                with Vertical(id="entities-pane", classes="pane"):
                    yield NavList(id="entities")
                with Vertical(id="timeline-pane", classes="pane"):
                    yield Static(id="timeline-filter", markup=False)
                    yield NavList(id="timeline")
                with Vertical(id="results-pane", classes="pane"):
                    yield Static(id="results-status", markup=False)
                    yield NavList(id="results")
            with Vertical(id="reader", classes="pane"):
                yield ProgressBar(id="loading", show_eta=False)
                yield SourceView(id="source")
                yield Static(id="factbar", markup=False)
            with Vertical(id="side"):
                with Vertical(id="facts-pane", classes="pane"):
                    yield FactList(id="facts")
                with Vertical(id="entity-pane", classes="pane"):
                    yield FactList(id="entity")
        yield Footer(id="footer")

    def on_mount(self) -> None:
        self.query_one("#articles-pane").border_title = "Articles"
        self.query_one("#entities-pane").border_title = "Entities"
        self.query_one("#timeline-pane").border_title = "Timeline"
        self.query_one("#results-pane").border_title = "Results"
        self.query_one("#reader").border_title = "Source"
        self.query_one("#facts-pane").border_title = "Facts"
        self.query_one("#entity-pane").border_title = "Entity"
        self.query_one("#timeline-filter").display = False
        self.query_one(SourceView).show_message(Text("Reading the corpus…", "italic"))
        for list_id, message in (
            ("articles", "Reading the corpus…"),
            ("entities", "Reading the corpus…"),
            ("timeline", "Reading the corpus…"),
            ("facts", "No article open yet."),
        ):
            self.query_one(f"#{list_id}", NavList).fill([], empty=message)
        self.set_pane("articles", focus=False)  # AUTO_FOCUS focuses it once the screen is active

    # -- panes -------------------------------------------------------------------------

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

    def _set_display(self, selector: str, show: bool) -> None:
        widget = self.query_one(selector)
        if widget.display != show:
            widget.display = show

    def on_resize(self, event) -> None:
        self._layout(event.size.width < WIDE)

    def on_descendant_focus(self, event) -> None:
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

    def _loaded(self) -> None:
        self.query_one("#loading").display = False

    def load_progress(self, done: int, total: int) -> None:
        bar = self.query_one("#loading", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.set_status(Text(f"reading {done}/{total} articles…", "dim"))

    def load_failed(self, message: str) -> None:
        self._loaded()
        text = Text("Could not read the corpus.\n\n", "bold")
        text.append(one_line(message))
        self.query_one(SourceView).show_message(text)
        self.query_one("#articles", NavList).fill([], empty="No articles: the corpus could not be read.")
        self.set_status(Text("load failed", "bold"))

    def set_kb(self, kb: KnowledgeBase, paths: list[str] | None) -> None:
        """The knowledge base is loaded: fill every pane and open the newest article."""
        self.kb = kb
        self._loaded()
        articles = kb.articles_newest_first()
        self._article_order = {a.id: i for i, a in enumerate(articles)}
        self._sentences.clear()
        self._mention_types.clear()
        self._fill_articles(articles)
        self._fill_entities()
        self._fill_timeline()
        self.set_status(self._kb_status())
        articles_pane = self.query_one("#articles-pane")
        articles_pane.border_title = f"Articles · {len(articles)}"
        if articles:
            self.open(Location(articles[0].id), push=True)
        else:
            self.query_one(SourceView).show_message(self._no_articles_message(paths))
            self.query_one("#facts", NavList).fill([], empty="No articles, so no facts.")

    def _kb_status(self) -> Text:
        kb = self.kb
        if kb is None:
            return Text("loading…", "dim")
        parts = [f"{len(kb.articles)} articles", f"{len(kb.entities)} entities", f"{len(kb.facts)} facts"]
        if kb.problems:
            parts.append(f"{sum(p.skipped for p in kb.problems)} skipped")
        text = Text(" · ".join(parts), "dim")
        error = getattr(self.app, "index_error", None)
        if error:
            text.append(" ")
            text.append("· search unavailable", "bold")
        return text

    def index_changed(self) -> None:
        self.set_status(self._kb_status())
        if self.searching and self.search_query:
            self._start_search()

    def _no_articles_message(self, paths: list[str] | None) -> Text:
        text = Text("No articles to show.\n\n", "bold")
        where = ", ".join(one_line(p) for p in paths) if paths else "the bundled sample corpus"
        text.append(f"pktui found no readable article in {where}.\n\n")
        text.append(
            "An article is a UTF-8 .txt file, one article per file, that opens with "
            "'date YYYY-MM-DD' followed by the text; folders are read recursively.\n"
        )
        if self.kb and self.kb.problems:
            text.append("\nFiles that could not be read:\n", "bold")
            for p in self.kb.problems:
                text.append(f"  {one_line(p.line())}\n")
        return text

    # -- filling the lists -------------------------------------------------------------

    def _fill_articles(self, articles: list[Article]) -> None:
        rows: list[Row] = [(fmt.article_row(a), a) for a in articles]
        kb = self.kb
        if kb and kb.problems:
            rows.append((Text(f"Skipped files · {len(kb.problems)}", "bold underline"), None))
            rows += [(Text(one_line(p.line()), "dim"), None) for p in kb.problems]
        self.query_one("#articles", NavList).fill(rows, empty="No articles.")

    def _fill_entities(self) -> None:
        kb = self.kb
        assert kb is not None
        by_type: dict[str, list[Entity]] = {}
        for e in kb.entities:
            by_type.setdefault(e.type, []).append(e)
        rows: list[Row] = []
        for etype in [*fmt.TYPE_GROUPS, *sorted(set(by_type) - set(fmt.TYPE_GROUPS))]:
            group = by_type.get(etype)
            if not group:
                continue
            group.sort(key=lambda e: (-len(e.mentions), e.name.casefold()))
            rows.append((fmt.group_heading(etype, len(group)), None))
            rows += [(fmt.entity_prompt(e), e) for e in group]
        self.query_one("#entities", NavList).fill(rows, empty="No entities were extracted from these articles.")
        self.query_one("#entities-pane").border_title = f"Entities · {len(kb.entities)}"

    def timeline_rows(self, entity_id: str | None) -> list[Row]:
        kb = self.kb
        assert kb is not None
        items: list[tuple[str, int, Any]] = [(e.sort_key, 1, e) for e in kb.timeline_for(entity_id)]
        if entity_id is None:  # publication dates, unless the knowledge base has them already
            dated = {(e.article, e.date) for e in kb.timeline}
            items += [
                (a.published_iso, 0, Published(a))
                for a in kb.articles
                if a.published and (a.id, a.published_iso) not in dated
            ]
        items.sort(key=lambda t: (t[0], t[1]))
        rows = []
        for _, _, item in items:
            if isinstance(item, Published):
                a = item.article
                rows.append((fmt.timeline_prompt(a.published_iso or "", "day", a.title, published=True), item))
            else:
                rows.append((fmt.timeline_entry_prompt(item), item))
        return rows

    def _fill_timeline(self) -> None:
        rows = self.timeline_rows(self.timeline_filter)
        name = self._entity_name(self.timeline_filter) if self.timeline_filter else None
        empty = f"No dated facts about {name}." if name else "No dated facts in these articles."
        timeline = self.query_one("#timeline", NavList)
        with self.prevent(OptionList.OptionHighlighted):
            timeline.fill(rows, empty=empty)
        pane = self.query_one("#timeline-pane")
        label = self.query_one("#timeline-filter", Static)
        if name:
            pane.border_title = Text(f"Timeline · {name} · {len(rows)}")
            label.update(Text.assemble("only ", (name, "bold"), "  ·  x: show all", style="italic"))
            label.display = True
        else:
            pane.border_title = f"Timeline · {len(rows)}"
            label.display = False
        self._refresh_bindings()

    def _fill_facts(self, article: Article) -> None:
        kb = self.kb
        assert kb is not None
        facts = kb.facts_in(article.id)
        rows = [(fmt.fact_prompt(f, self._entity_name), f) for f in facts]
        with self.prevent(OptionList.OptionHighlighted):
            self.query_one("#facts", NavList).fill(rows, empty="No facts were extracted from this article.")
        self.query_one("#facts-pane").border_title = f"Facts · {len(facts)}"

    def _fill_entity(self, entity: Entity) -> None:
        kb = self.kb
        assert kb is not None
        name = one_line(entity.name)
        head = Text(name, "bold")
        head.append("  ")
        head.append(fmt.TYPE_NAMES.get(entity.type, one_line(entity.type)), "italic")
        head.append("\n")
        head.append(f"{len(entity.mentions)} mentions in {len(entity.articles)} articles", "dim")
        rows: list[Row] = [(head, None)]
        aliases = [one_line(a) for a in entity.aliases if a != entity.name]
        if aliases:
            rows.append((Text("also: " + ", ".join(aliases), "dim"), None))
        for key, value in entity.attributes.items():
            rows.append((Text(f"{one_line(key)}: {one_line(value)}", "dim"), None))
        facts = kb.facts_about(entity.id)
        roles = [f for f in facts if f.kind == "role"]
        others = [f for f in facts if f.kind != "role"]
        if roles:
            rows.append((Text(f"Roles · {len(roles)}", "bold underline"), None))
            rows += [(fmt.fact_prompt(f, self._entity_name, article=kb.article(f.article), quote=50), f) for f in roles]
        rows.append((Text(f"Facts · {len(others)}", "bold underline"), None))
        if others:
            rows += [
                (fmt.fact_prompt(f, self._entity_name, article=kb.article(f.article), quote=50), f) for f in others
            ]
        else:
            rows.append((Text("no facts about this entity", "italic dim"), None))
        n_timeline = len(kb.timeline_for(entity.id))
        rows.append((Text("Go to", "bold underline"), None))
        rows.append((Text(f"▸ timeline of {name} · {n_timeline} entries"), Command("timeline")))
        rows.append((Text(f"▸ figures about {name}"), Command("figures", entity.id)))
        rows.append((Text("▸ clear the timeline filter (x)"), Command("clear_filter")))
        with self.prevent(OptionList.OptionHighlighted):
            self.query_one("#entity", NavList).fill(rows)
        self.query_one("#entity-pane").border_title = Text(f"{name} · {fmt.TYPE_NAMES.get(entity.type, '')}")

    # -- names and sentences -----------------------------------------------------------

    def _entity_name(self, entity_id: str | None) -> str | None:
        if not entity_id or self.kb is None:
            return None
        e = self.kb.entity(entity_id)
        return one_line(e.name) if e else one_line(entity_id)

    def _sentence_at(self, article: Article, offset: int) -> tuple[int, int] | None:
        spans = self._sentences.get(article.id)
        if spans is None:
            from pktui.textsplit import sentence_spans

            spans = self._sentences[article.id] = sentence_spans(article.text)
        for s, e in spans:
            if s <= offset < e:
                return (s, e)
        return None

    def _mentions(self, article: Article) -> list[tuple[int, int, str]]:
        cached = self._mention_types.get(article.id)
        if cached is None:
            kb = self.kb
            assert kb is not None
            cached = []
            for m in kb.mentions_in(article.id):
                e = kb.entity(m.entity)
                cached.append((m.start, m.end, e.type if e else "person"))
            self._mention_types[article.id] = cached
        return cached

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
        passage = None
        if fact is not None:
            passage = tuple(fact.sentence) if fact.sentence else None
        elif loc.highlight:
            passage = self._sentence_at(article, loc.highlight[0])
        marks = loc.steps.in_article(article.id) if loc.steps else ()
        self.query_one(SourceView).show(
            article, highlight=loc.highlight, passage=passage, marks=marks, mentions=self._mentions(article)
        )
        reader = self.query_one("#reader")
        reader.border_title = Text(fmt.clip(article.title, 200))
        reader.border_subtitle = Text(f"{article.published_iso or fmt.UNKNOWN_DATE} · {one_line(article.path)}")
        if previous is None or previous.article != article.id:
            self._fill_facts(article)
        if fact is not None:
            facts = self.query_one("#facts", NavList)
            with self.prevent(OptionList.OptionHighlighted):
                facts.select_payload(lambda f: f.id == fact.id)
        self._update_factbar(article, loc, fact)
        self._refresh_bindings()

    def _update_factbar(self, article: Article, loc: Location, fact: Fact | None) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        if fact is not None:
            text.append(fmt.KIND_TAGS.get(fact.kind, fact.kind).strip(), "dim")
            text.append(" ")
            text.append(fmt.fact_value(fact, self._entity_name), "bold")
            text.append("  ")
            text.append(f"·  {fmt.clip(fact.id, 30)}", "dim")
        elif loc.highlight:
            s, e = loc.highlight
            text.append("“", "dim")
            text.append(fmt.clip(article.text[s:e], 60), "bold")
            text.append("”", "dim")
        else:
            kb = self.kb
            n_facts = len(kb.facts_in(article.id)) if kb else 0
            text.append(f"{article.published_iso or fmt.UNKNOWN_DATE}", "bold")
            text.append("  ")
            text.append(f"·  {n_facts} facts  ·  {len(self._mentions(article))} mentions", "dim")
        if loc.steps:
            i = loc.steps.index_of(loc.article, loc.highlight)
            where = f"{i + 1}/{len(loc.steps.spans)}" if i >= 0 else f"{len(loc.steps.spans)}"
            text.append("  ")
            text.append(f"·  n/N {where} {loc.steps.label}", "dim")
        self.query_one("#factbar", Static).update(text)

    def open_article(self, article_id: str) -> None:
        self.open(Location(article_id))
        self.set_pane("source")

    def fact_location(self, fact: Fact, steps: Steps | None = None) -> Location:
        return Location(fact.article, (fact.start, fact.end), fact.id, steps)

    def open_fact(self, fact_id: str) -> None:
        fact = self.kb.fact(fact_id) if self.kb else None
        if fact is None:
            self.app.notify(f"No fact {one_line(fact_id)!r}.", severity="warning", markup=False)
            return
        self.open(self.fact_location(fact, self._entity_steps()))
        self.set_pane("source")

    def open_timeline(self, item: Any, *, push: bool = True) -> None:
        kb = self.kb
        assert kb is not None
        if isinstance(item, Published):
            self.open(Location(item.article.id), push=push)
            return
        entry: TimelineEntry = item
        fact = kb.fact(entry.fact)
        if fact is not None:
            self.open(self.fact_location(fact, self._entity_steps()), push=push)
        else:
            self.open(Location(entry.article), push=push)

    def jump_to(self, item: Any) -> None:
        """Open a timeline row (an entry or a publication date) and show the source."""
        self.open_timeline(item)
        self.set_pane("source")

    def _mention_steps(self, entity: Entity) -> Steps:
        order = self._article_order
        spans = sorted(
            ((m.article, m.start, m.end) for m in entity.mentions),
            key=lambda t: (order.get(t[0], len(order)), t[1], t[2]),
        )
        return Steps(f"mentions of {one_line(entity.name)}", tuple(spans))

    def _entity_steps(self) -> Steps | None:
        entity = self.kb.entity(self.entity_id) if (self.kb and self.entity_id) else None
        return self._mention_steps(entity) if entity and entity.mentions else None

    def select_entity(self, entity_id: str, *, open_first: bool = True, focus: bool = True) -> None:
        """Show the entity's detail, filter the timeline to it, and open its first mention."""
        kb = self.kb
        entity = kb.entity(entity_id) if kb else None
        if entity is None:
            self.app.notify(f"No entity {one_line(entity_id)!r}.", severity="warning", markup=False)
            return
        self.entity_id = entity.id
        self.timeline_filter = entity.id
        self._layout()
        self._fill_entity(entity)
        self._fill_timeline()
        entities = self.query_one("#entities", NavList)
        if entities.current is not entity:
            with self.prevent(OptionList.OptionHighlighted):
                entities.select_payload(lambda e: e.id == entity.id)
        if open_first and entity.mentions:
            steps = self._mention_steps(entity)
            a, s, e = steps.spans[0]
            self.open(Location(a, (s, e), None, steps))
        if focus:
            self.set_pane("entity")
        else:
            self._update_panebar()

    def action_clear_filter(self) -> None:
        if not self.timeline_filter:
            return
        self.timeline_filter = None
        self._fill_timeline()
        self.app.notify("Timeline: all entries again.", markup=False, timeout=2)

    # -- list messages (up from the lists) ---------------------------------------------

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        source = event.option_list
        if not isinstance(source, NavList):
            return
        item = source.payload(event.option_index)
        if item is None:
            return
        list_id = source.id
        if list_id == "articles":
            self.open_article(item.id)
        elif list_id == "entities":
            self.select_entity(item.id)
        elif list_id == "timeline":
            self.jump_to(item)
        elif list_id in ("facts", "entity") and isinstance(item, Fact):
            self.open(self.fact_location(item, self._entity_steps() if list_id == "entity" else self._steps_here()))
            self.set_pane("source")
        elif isinstance(item, Command):
            self.run_command(item)
        elif list_id == "results":
            self.open_result(item)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving through a list previews the item in the source view (no history)."""
        event.stop()
        source = event.option_list
        if not isinstance(source, NavList) or self.kb is None:
            return
        if source.id != "results" and not source.has_focus:
            return
        item = source.payload(event.option_index)
        if item is None:
            return
        if source.id == "articles":
            if self.shown is None or self.shown.article != item.id:
                self.open(Location(item.id), push=False)
        elif source.id == "timeline":
            self.open_timeline(item, push=False)
        elif source.id in ("facts", "entity") and isinstance(item, Fact):
            self.open(self.fact_location(item, self.shown.steps if self.shown else None), push=False)
        elif source.id == "results" and self.searching:
            loc = self.hit_location(item)
            if loc is not None:
                self.open(loc, push=False)

    def _steps_here(self) -> Steps | None:
        return self.shown.steps if self.shown else None

    def run_command(self, cmd: Command) -> None:
        if cmd.name == "timeline":
            self.set_pane("timeline")
        elif cmd.name == "figures":
            self.app.show_figures(cmd.arg or None)
        elif cmd.name == "clear_filter":
            self.action_clear_filter()
        elif cmd.name == "suggest":
            self.query_one(SearchInput).value = cmd.arg
            self.set_pane("query")

    # -- stepping, history, citation ---------------------------------------------------

    def _refresh_bindings(self) -> None:
        """Refresh the footer only when what ``check_action`` answers changed (it recomposes)."""
        actions = ("step", "fact_step", "copy_citation", "clear_filter", "back", "forward")
        state = tuple(self.check_action(a, ()) for a in actions)
        if state != self._bindings_state:
            self._bindings_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return self.shown is not None and bool(self.shown.steps or self.entity_id)
        if action == "fact_step":
            return self.shown is not None and self.kb is not None and bool(self.kb.facts_in(self.shown.article))
        if action == "copy_citation":
            return self.shown is not None and self.shown.highlight is not None
        if action == "clear_filter":
            return self.timeline_filter is not None
        if action == "back":  # stays on while previewing, so the footer is not rebuilt on every move
            return len(self.history) > 0
        if action == "forward":
            return self.history.can_forward()
        return True

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
        i = steps.index_of(loc.article, loc.highlight)
        if i < 0:
            here = [k for k, (a, _, _) in enumerate(steps.spans) if a == loc.article]
            i = (here[0] - 1 if delta > 0 else here[0]) if here else -1
        j = (i + delta) % len(steps.spans) if i >= 0 or delta < 0 else 0
        a, s, e = steps.spans[j]
        self.open(Location(a, (s, e), None, steps), push=False)

    def action_fact_step(self, delta: int) -> None:
        loc = self.shown
        if loc is None or self.kb is None:
            return
        facts = self.kb.facts_in(loc.article)
        if not facts:
            self.app.notify("This article has no facts to step through.", markup=False, timeout=3)
            return
        ids = [f.id for f in facts]
        if loc.fact in ids:
            j = (ids.index(loc.fact) + delta) % len(facts)
        else:
            at = loc.highlight[0] if loc.highlight else (-1 if delta > 0 else 1 << 60)
            after = [k for k, f in enumerate(facts) if (f.start > at if delta > 0 else f.start < at)]
            j = (after[0] if delta > 0 else after[-1]) if after else (0 if delta > 0 else len(facts) - 1)
        self.open(self.fact_location(facts[j], loc.steps), push=False)

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
        loc, kb = self.shown, self.kb
        if loc is None or kb is None or loc.highlight is None:
            return None
        article = kb.article(loc.article)
        if article is None:
            return None
        fact = kb.fact(loc.fact) if loc.fact else None
        span = tuple(fact.sentence) if fact and fact.sentence else self._sentence_at(article, loc.highlight[0])
        start, end = span or loc.highlight
        return fmt.citation(article, start, end)

    def action_copy_citation(self) -> None:
        text = self.citation()
        if text is None:
            self.app.notify(
                "Nothing highlighted to cite: open a fact, a timeline entry or a result first.", markup=False
            )
            return
        self.app.copy_to_clipboard(text)
        self.app.notify(f"Copied: {fmt.clip(text, 160)}", title="Citation", markup=False)

    # -- search ------------------------------------------------------------------------

    def open_search(self) -> None:
        if not self.searching:
            self.searching = True
            self.query_one("#searchbar").display = True
            results = self.query_one("#results", NavList)
            if not self.search_query:
                self._search_help()
            elif results.option_count == 0:
                self._start_search()
        self.set_pane("query")

    def close_search(self, *, restore: bool = True) -> None:
        if not self.searching:
            return
        self.searching = False
        self.query_one("#searchbar").display = False
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if restore:
            self.set_pane(self.list_pane)
        else:
            self._update_panebar()

    def _search_help(self) -> None:
        rows = [(Text("Type to search facts and entities. Filters:", "italic"), None)]
        for example, meaning in SEARCH_SYNTAX:
            rows.append((Text.assemble((f"{example:<24}", "bold"), (meaning, "dim")), None))
        self.query_one("#results", NavList).fill(rows)
        self.query_one("#results-status", Static).update(Text("↑↓ move · Enter open · Esc return", "dim"))

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search_query = event.value
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, self._start_search)

    def _start_search(self) -> None:
        self._search_timer = None
        query = self.search_query
        if not query.strip():
            self._search_help()
            return
        index = getattr(self.app, "index", None)
        status = self.query_one("#results-status", Static)
        if index is None:
            error = getattr(self.app, "index_error", None)
            if error:
                message = f"Search unavailable: {one_line(error)}"
                hint = "The articles, entities and timeline panes still work (1, 2, 3)."
            else:
                message = "Building the search index…"
                hint = "Results appear here as soon as it is ready; keep typing."
            status.update(Text(message, "italic"))
            self.query_one("#results", NavList).fill([], empty=hint)
            return
        self._search_worker(index, query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_worker(self, index: Any, query: str) -> None:
        worker = get_current_worker()
        try:
            hits = list(index.search(query, limit=50))
            suggestion = None if hits or worker.is_cancelled else index.suggest(query)
            error = None
        except Exception as exc:
            hits, suggestion, error = [], None, f"{type(exc).__name__}: {exc}"
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, query, hits, suggestion, error)

    def show_results(self, query: str, hits: list[Any], suggestion: str | None, error: str | None = None) -> None:
        if query != self.search_query or not self.searching:
            return  # a newer query is on its way, or search was closed
        kb = self.kb
        self._results_query = query
        status = self.query_one("#results-status", Static)
        results = self.query_one("#results", NavList)
        if error:
            status.update(Text(f"Search failed: {one_line(error)}", "bold"))
            results.fill([], empty="The search engine could not run this query.")
            return
        if not hits:
            message = Text.assemble("No results for ", (f"“{one_line(query)}”", "bold"), ".")
            rows: list[Row] = []
            if suggestion and suggestion.strip() != query.strip():
                message.append(" Did you mean ")
                message.append(f"“{one_line(suggestion)}”", "bold")
                message.append("?")
                rows.append(
                    (Text.assemble("▸ search for ", (one_line(suggestion), "bold")), Command("suggest", suggestion))
                )
            status.update(message)
            results.fill(rows, empty=message)
            return
        status.update(Text(f"{len(hits)} results · Enter opens · Esc returns", "dim"))
        results.fill([(self._hit_prompt(h), h) for h in hits])
        if kb is not None:
            self.query_one("#results-pane").border_title = f"Results · {len(hits)}"

    def _hit_prompt(self, hit: Any) -> fmt.Hanging:
        kb = self.kb
        assert kb is not None
        article = kb.article(hit.article)
        body = Text()
        if hit.kind == "entity":
            entity = kb.entity(hit.id)
            etype = entity.type if entity else "entity"
            tag = Text(fmt.TYPE_NAMES.get(etype, one_line(etype))[:5], "dim")
            body.append(one_line(entity.name if entity else hit.label), "bold")
            if entity:
                body.append("  ")
                body.append(f"{len(entity.mentions)} mentions", "dim")
        else:
            fact = kb.fact(hit.id)
            tag = fmt.fact_tag(fact.kind if fact else "fact")
            body.append(fmt.clip(fmt.fact_value(fact, self._entity_name) if fact else hit.label, 70), "bold")
        if article is not None:
            body.append("\n")
            body.append_text(fmt.snippet(article.text, hit.start, hit.end, hit.matches, width=80))
            body.append("\n")
            body.append_text(fmt.article_caption(article, 36))
        return fmt.Hanging(tag, body, 5)

    def hit_location(self, hit: Any) -> Location | None:
        if isinstance(hit, Command):
            return None
        kb = self.kb
        if kb is None or kb.article(hit.article) is None:
            return None
        if hit.kind == "entity":
            entity = kb.entity(hit.id)
            steps = self._mention_steps(entity) if entity and entity.mentions else None
            return Location(hit.article, (hit.start, hit.end), None, steps)
        steps = None
        if hit.matches:
            label = f"matches of “{fmt.clip(self.search_query, 30)}”"
            steps = Steps(label, tuple((hit.article, s, e) for s, e in hit.matches))
        return Location(hit.article, (hit.start, hit.end), hit.id if kb.fact(hit.id) else None, steps)

    def open_result(self, hit: Any) -> None:
        if isinstance(hit, Command):
            self.run_command(hit)
            return
        loc = self.hit_location(hit)
        if loc is None:
            return
        if hit.kind == "entity":
            self.select_entity(hit.id, open_first=False, focus=False)
        self.open(loc)
        self.set_pane("source")

    @on(SearchInput.Move)
    def _results_move(self, event: SearchInput.Move) -> None:
        results = self.query_one("#results", NavList)
        if event.delta > 0:
            results.action_cursor_down()
        else:
            results.action_cursor_up()

    @on(SearchInput.Open)
    def _results_open(self, event: SearchInput.Open) -> None:
        if self._search_timer is not None:  # Enter before the debounce fired: search now
            self._search_timer.stop()
            self._start_search()
        self._open_when_ready(100)

    def _open_when_ready(self, tries: int) -> None:
        """Open the highlighted result once the results are those of the query typed."""
        if self._results_query != self.search_query and tries > 0 and self.search_query.strip():
            self.set_timer(0.02, lambda: self._open_when_ready(tries - 1))
            return
        item = self.query_one("#results", NavList).current
        if item is not None:
            self.open_result(item)

    @on(SearchInput.Close)
    def _search_close(self, event: SearchInput.Close) -> None:
        self.close_search()
