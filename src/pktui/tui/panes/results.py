"""Search results, one line a hit (kind badge, the fact or entity with the typed words marked,
date and source on the right), a preview of the selected hit's passage, and an honest header:
``Results · 50 of 1,234``, true after every keystroke.

The pane owns the query: it debounces typing, searches in a worker, and drops stale answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from pktui.model import Entity
from pktui.text import fold, fold_keep, one_line
from pktui.textsplit import sentence_spans
from pktui.tui import format as fmt
from pktui.tui.history import Location, Steps
from pktui.tui.keymap import SEARCH_SYNTAX, bindings
from pktui.tui.locations import read_mention_steps, ready_mention_steps
from pktui.tui.messages import EntitySelected, OpenLocation, RunCommand
from pktui.tui.panes.base import Pane
from pktui.tui.widgets.vlist import ListRows, MappedRows, VirtualList

if TYPE_CHECKING:
    pass

SEARCH_DEBOUNCE = 0.04  # seconds of quiet typing before a search starts
LIMIT = 50  # hits shown
BADGES = {
    "quantity": "QTY",
    "date": "DATE",
    "role": "ROLE",
    "event": "EVT",
    "passage": "TEXT",
    "person": "PER",
    "organization": "ORG",
    "mission": "MISN",
    "country": "CTRY",
    "location": "LOC",
    "unit": "UNIT",
    "programme": "PROG",
}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The "did you mean" row: Enter searches for ``query``."""

    query: str


def query_words(query: str) -> list[str]:
    """The folded words of a query, filters (``type:person``) and exclusions left out."""
    words = [w.strip('"') for w in query.split() if ":" not in w and not w.startswith("-")]
    return [w for w in fold(" ".join(words)).split() if w]


def mark_words(text: Text, words: list[str], style: str = "underline") -> Text:
    """Style the places in ``text`` where a word starts with one of ``words`` (folded)."""
    folded = fold_keep(text.plain)
    for word in words:
        start = folded.find(word)
        while start >= 0:
            if start == 0 or not folded[start - 1].isalnum():
                text.stylize(style, start, start + len(word))
            start = folded.find(word, start + 1)
    return text


class ResultList(VirtualList):
    """The hits: the highlighted fact or entity can be corrected from here."""

    BINDINGS = bindings("entity") + bindings("fact")


class ResultsPane(Pane):
    TITLE = "Results"
    query_text = ""  # (not ``query``: that is every widget's CSS query method)
    shown_query: str | None = None  # the query whose results are listed
    index: Any = None
    index_error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="results-status", markup=False)
        yield ResultList(id="results")
        yield Static(id="results-preview", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self._timer: Timer | None = None
        self.help()

    @property
    def vlist(self) -> VirtualList:
        return self.query_one("#results", VirtualList)

    def status(self, text: Text) -> None:
        self.query_one("#results-status", Static).update(text)

    def preview(self, text: Text | None) -> None:
        preview = self.query_one("#results-preview", Static)
        preview.update(text or Text())
        preview.set_class(text is None, "-empty")

    # -- the query ---------------------------------------------------------------------

    def set_index(self, index: Any, error: str | None) -> None:
        self.index, self.index_error = index, error
        if self.query_text.strip():
            self.search_now()

    _restore_row: int | None = None

    def corrected(self, kb: Any, index: Any, error: str | None, *, searching: bool) -> None:
        """The knowledge base was corrected: search again (now when the search is open, else
        when it is opened), the cursor on the row it was on (the next hit, when its own is gone)."""
        self.kb = kb
        self._restore_row = self.vlist.highlighted
        if searching:
            self.set_index(index, error)
            return
        self.index, self.index_error = index, error
        self.shown_query = None
        self.vlist.fill(ListRows(()), empty="")

    def set_query(self, query: str) -> None:
        """The query changed: search once typing pauses."""
        self.query_text = query
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DEBOUNCE, self.search_now)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def pending(self) -> bool:
        """Are the listed results not yet those of the query typed?"""
        return self._timer is not None or (self.shown_query != self.query_text and bool(self.query_text.strip()))

    def help(self) -> None:
        rows = [(Text("Type to search facts and entities. Filters:", "italic"), None)]
        for example, meaning in SEARCH_SYNTAX:
            rows.append((Text.assemble((f"{example:<24}", "bold"), (meaning, "dim")), None))
        self.vlist.fill(ListRows(rows))
        self.status(Text("↑↓ move · Enter open · Esc return", "dim"))
        self.border_title = "Results"
        self.preview(None)

    def search_now(self) -> None:
        self._timer = None
        query = self.query_text
        if not query.strip():
            self.shown_query = query
            self.help()
            return
        if self.index is None:
            if self.index_error:
                message = f"Search unavailable: {one_line(self.index_error)}"
                hint = "The articles, entities and timeline panes still work (1, 2, 3)."
            else:
                message = "Building the search index…"
                hint = "Results appear here as soon as it is ready; keep typing."
            self.status(Text(message, "italic"))
            self.vlist.fill(ListRows(()), empty=hint)
            self.preview(None)
            return
        self._search(self.index, query)

    @work(thread=True, exclusive=True, group="search", description="search", exit_on_error=False)
    def _search(self, index: Any, query: str) -> None:
        worker = get_current_worker()
        total: int | None = None
        try:
            counted = getattr(index, "search_counted", None)
            if counted is not None:
                hits, total = counted(query, LIMIT)
            else:
                hits = list(index.search(query, limit=LIMIT))
            suggestion = None if hits or worker.is_cancelled else index.suggest(query)
            for hit in hits:
                if worker.is_cancelled:
                    break
                self._read_for_line(hit)
            error = None
        except Exception as exc:
            hits, suggestion, error = [], None, f"{type(exc).__name__}: {exc}"
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, query, list(hits), total, suggestion, error)

    def show_results(
        self, query: str, hits: list[Any], total: int | None, suggestion: str | None, error: str | None = None
    ) -> None:
        if query != self.query_text:
            return  # a newer query is on its way
        self.shown_query = query
        if error:
            self.status(Text(f"Search failed: {one_line(error)}", "bold"))
            self.vlist.fill(ListRows(()), empty="The search engine could not run this query.")
            self.border_title = "Results"
            self.preview(None)
            return
        if not hits:
            self._no_results(query, suggestion)
            return
        shown = f"{len(hits):,}" if total is None else f"{len(hits):,} of {max(total, len(hits)):,}"
        self.border_title = f"Results · {shown}"
        self.status(Text("↑↓ move · Enter open · Esc return", "dim"))
        words = query_words(query)
        self.vlist.fill(MappedRows(hits, lambda hit, width: self.hit_line(hit, words, width)))
        row, self._restore_row = self._restore_row, None
        if row is not None:
            self.vlist.move_to(self.vlist.nearest_selectable(row))
        self.post_preview(self.vlist.current)

    def _no_results(self, query: str, suggestion: str | None) -> None:
        message = Text.assemble("No results for ", (f"“{one_line(query)}”", "bold"), ".")
        rows: list[tuple[Text, Any]] = []
        if suggestion and suggestion.strip() != query.strip():
            message.append(" Did you mean ")
            message.append(f"“{one_line(suggestion)}”", "bold")
            message.append("?")
            rows.append((Text.assemble("▸ search for ", (one_line(suggestion), "bold")), Suggestion(suggestion)))
        self.border_title = "Results · 0"
        self.status(message)
        self.vlist.fill(ListRows(rows), empty=message)
        self.preview(None)

    # -- one hit -----------------------------------------------------------------------

    def hit_line(self, hit: Any, words: list[str], width: int) -> Text:
        kb = self.kb
        if isinstance(hit, Suggestion) or kb is None:
            return Text(one_line(getattr(hit, "query", "")))
        article = kb.article(hit.article)
        line = Text()
        label = Text()
        if hit.kind == "entity":
            entity = kb.entity(hit.id)
            badge = BADGES.get(entity.type if entity else "", "ENT")
            label.append(one_line(entity.name if entity else hit.label), "bold")
            fmt.mark_corrected(label, entity)
            if entity:
                label.append(f" · {len(entity.mentions):,} mentions", "dim")
        elif hit.kind == "fact" and (fact := kb.fact(hit.id)) is not None:
            badge = BADGES.get(fact.kind, fact.kind[:4].upper())
            label.append(one_line(fmt.fact_value(fact, lambda e: fmt.entity_name(kb, e))), "bold")
            fmt.mark_corrected(label, fact)
        else:
            badge = BADGES["passage"]
        mark_words(label, words, "underline")
        line.append(f"{badge:<4}", "bold dim")
        line.append(" ")
        line.append_text(label)
        if article is not None:
            start, end = self.passage_of(hit)
            line.append("  ")
            snip = fmt.snippet(article.text, start, end, hit.matches, width=max(20, width))
            snip.stylize("dim")
            line.append_text(snip)
        return fmt.right_aligned(line, self.where(article), width)

    def _read_for_line(self, hit: Any) -> None:
        """Read (in the search's worker) what a hit's line shows, so that drawing it finds it
        all read: the UI thread never waits on the store for a result line."""
        kb = self.kb
        if kb is None:
            return
        kb.article(hit.article)
        if hit.kind == "entity":
            kb.entity(hit.id)
        elif hit.kind == "fact" and (fact := kb.fact(hit.id)) is not None:
            for eid in fact.entities:
                kb.entity(eid)
        self.passage_of(hit)

    @staticmethod
    def where(article: Any) -> Text:
        if article is None:
            return Text()
        text = Text(article.published_iso or fmt.UNKNOWN_DATE, "dim")
        if article.source:
            text.append(f" · {fmt.clip(article.source, 18)}", "dim")
        return text

    def passage_of(self, hit: Any) -> tuple[int, int]:
        """The sentence to show for a hit."""
        passage = getattr(self.index, "passage", None)
        if passage is not None:
            try:
                return passage(hit)
            except Exception:
                pass
        kb = self.kb
        fact = kb.fact(hit.id) if kb is not None and hit.kind == "fact" else None
        if fact is not None and fact.sentence:
            return (fact.sentence[0], fact.sentence[1])
        article = kb.article(hit.article) if kb is not None else None
        if article is not None:
            for s, e in sentence_spans(article.text):
                if s <= hit.start < e:
                    return s, e
        return hit.start, hit.end

    def preview_text(self, hit: Any) -> Text | None:
        kb = self.kb
        article = kb.article(hit.article) if kb is not None and not isinstance(hit, Suggestion) else None
        if article is None:
            return None
        start, end = self.passage_of(hit)
        text = self.where(article)  # where it comes from first (one line): the passage may be cut
        text.append(" · ", "dim")
        text.append(fmt.clip(article.title, 60), "dim italic")
        text.append("\n")
        text.append_text(fmt.snippet(article.text, start, end, hit.matches, width=400))
        return text

    def location(self, hit: Any) -> Location | None:
        kb = self.kb
        if isinstance(hit, Suggestion) or kb is None or kb.article(hit.article) is None:
            return None
        if hit.kind == "entity":
            entity = kb.entity(hit.id)
            steps = self._entity_steps(kb, entity) if isinstance(entity, Entity) and entity.mentions else None
            return Location(hit.article, (hit.start, hit.end), None, steps)
        steps = None
        if hit.matches:
            label = f"matches of “{fmt.clip(self.shown_query or self.query_text, 30)}”"
            steps = Steps(label, tuple((hit.article, s, e) for s, e in hit.matches))
        return Location(hit.article, (hit.start, hit.end), hit.id if kb.fact(hit.id) else None, steps)

    def _entity_steps(self, kb: Any, entity: Entity) -> Steps | None:
        """An entity hit's mentions to step through when they are to hand; else None, and a
        worker reads them and shows the hit again if it is still the one selected."""
        steps = ready_mention_steps(kb, entity)
        if steps is None:
            self._read_hit_steps(kb, entity)
        return steps

    @work(thread=True, exclusive=True, group="hit-steps", description="mentions", exit_on_error=False)
    def _read_hit_steps(self, kb: Any, entity: Entity) -> None:
        read_mention_steps(kb, entity)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._hit_steps_read, kb, entity.id)

    def _hit_steps_read(self, kb: Any, entity_id: str) -> None:
        if kb is not self.kb:
            return
        hit = self.vlist.current
        if getattr(hit, "kind", None) == "entity" and hit.id == entity_id:
            self.post_preview(hit)

    def post_preview(self, hit: Any) -> None:
        if hit is None:
            self.preview(None)
            return
        self.preview(self.preview_text(hit))
        loc = self.location(hit)
        if loc is not None:
            self.post_message(OpenLocation(loc, preview=True))

    def open(self, hit: Any) -> None:
        """Open ``hit``'s passage (or search for the suggestion)."""
        if isinstance(hit, Suggestion):
            self.post_message(RunCommand("suggest", hit.query))
            return
        loc = self.location(hit)
        if loc is None:
            return
        if hit.kind == "entity":
            self.post_message(EntitySelected(hit.id, open_first=False))
        self.post_message(OpenLocation(loc))

    def open_when_ready(self, tries: int = 100) -> None:
        """Enter in the search box: open the highlighted hit once the results are those of the
        query typed (searching now if typing has not paused yet)."""
        if self._timer is not None:
            self.stop()
            self.search_now()
        if self.shown_query != self.query_text and tries > 0 and self.query_text.strip():
            self.set_timer(0.02, lambda: self.open_when_ready(tries - 1))
            return
        item = self.vlist.current
        if item is not None:
            self.open(item)

    @on(VirtualList.Highlighted, "#results")
    def _moved(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        self.post_preview(event.payload)

    @on(VirtualList.Selected, "#results")
    def _chosen(self, event: VirtualList.Selected) -> None:
        event.stop()
        self.open(event.payload)
