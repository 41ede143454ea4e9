"""The reader: the source view of the open article, its header (date, source, author, URL) and
the fact bar under it (what is highlighted, where n/N step, which keys do what)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from pktui.model import Article, Fact
from pktui.text import one_line
from pktui.textsplit import sentence_spans
from pktui.tui import format as fmt
from pktui.tui.history import Location
from pktui.tui.panes.base import Pane
from pktui.tui.widgets.source import SourceView

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase

CACHED_ARTICLES = 64


class ReaderPane(Pane):
    TITLE = "Source"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._sentences: dict[str, list[tuple[int, int]]] = {}
        self._mention_types: dict[str, list[tuple[int, int, str]]] = {}

    def compose(self) -> ComposeResult:
        yield ProgressBar(id="loading", show_eta=False)
        yield Static(id="source-meta", markup=False)
        yield SourceView(id="source")
        with Horizontal(id="factbar"):
            yield Static(id="factbar-text", markup=False)
            yield Static(id="factbar-keys", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#source-meta").display = False
        self.source.show_message(Text("Reading the corpus…", "italic"))

    @property
    def source(self) -> SourceView:
        return self.query_one(SourceView)

    def progress(self, done: int, total: int) -> None:
        self.query_one("#loading", ProgressBar).update(total=max(total, 1), progress=done)

    def loaded(self) -> None:
        self.query_one("#loading").display = False

    def set_kb(self, kb: KnowledgeBase) -> None:
        super().set_kb(kb)
        self._sentences.clear()
        self._mention_types.clear()
        self.loaded()

    def message(self, text: Text) -> None:
        self.loaded()
        self.query_one("#source-meta").display = False
        self.source.show_message(text)

    def no_articles(self, paths: list[str] | None) -> None:
        text = Text("No articles to show.\n\n", "bold")
        where = ", ".join(one_line(p) for p in paths) if paths else "the bundled sample corpus"
        text.append(f"pktui found no readable article in {where}.\n\n")
        text.append(
            "Articles are read from text files (opening with 'date YYYY-MM-DD'), Markdown with front matter, "
            "saved web pages, feeds and JSON Lines, JSON or CSV records; folders are read recursively.\n"
        )
        if self.kb and self.kb.problems:
            text.append("\nFiles that could not be read:\n", "bold")
            for p in self.kb.problems:
                text.append(f"  {one_line(p.line())}\n")
        self.message(text)

    # -- showing a location ------------------------------------------------------------

    def show(self, article: Article, loc: Location, fact: Fact | None) -> None:
        passage: tuple[int, int] | None = None
        if fact is not None:
            passage = (fact.sentence[0], fact.sentence[1]) if fact.sentence else None
        elif loc.highlight:
            passage = self.sentence_at(article, loc.highlight[0])
        marks = loc.steps.in_article(article.id) if loc.steps else ()
        self.source.show(
            article, highlight=loc.highlight, passage=passage, marks=marks, mentions=self.mentions(article)
        )
        self.border_title = Text(fmt.clip(article.title, 300))
        meta = self.query_one("#source-meta", Static)
        meta.update(fmt.article_meta(article))
        meta.display = True
        self._factbar(article, loc, fact)

    def _factbar(self, article: Article, loc: Location, fact: Fact | None) -> None:
        text = Text()
        if fact is not None:
            text.append(fmt.KIND_TAGS.get(fact.kind, fact.kind).strip(), "dim")
            text.append(" ")
            text.append(fmt.fact_value(fact, lambda e: fmt.entity_name(self.kb, e)), "bold")
        elif loc.highlight:
            s, e = loc.highlight
            text.append("“", "dim")
            text.append(fmt.clip(article.text[s:e], 60), "bold")
            text.append("”", "dim")
        else:
            n_facts = len(self.kb.facts_in(article.id)) if self.kb else 0
            text.append(f"{n_facts:,} facts · {len(self.mentions(article)):,} mentions", "dim")
        if loc.steps:
            i = loc.steps.index_of(loc.article, loc.highlight)
            where = f"{i + 1}/{len(loc.steps.spans)}" if i >= 0 else f"{len(loc.steps.spans)}"
            text.append("  ·  ", "dim")
            text.append(f"n/N {where} {one_line(loc.steps.label)}", "dim")
        self.query_one("#factbar-text", Static).update(text)
        # the key hints in a box of their own: never cut, whatever the width (the text wraps)
        hints = ["[ ] facts"]
        if loc.highlight is not None:
            hints += ["y cite", "w why"]
        self.query_one("#factbar-keys", Static).update(Text(" · ".join(hints), "dim italic"))

    # -- per-article lookups, cached -----------------------------------------------------

    def sentence_at(self, article: Article, offset: int) -> tuple[int, int] | None:
        spans = self._sentences.get(article.id)
        if spans is None:
            if len(self._sentences) > CACHED_ARTICLES:
                self._sentences.clear()
            spans = self._sentences[article.id] = sentence_spans(article.text)
        for s, e in spans:
            if s <= offset < e:
                return (s, e)
        return None

    def mentions(self, article: Article) -> list[tuple[int, int, str]]:
        cached = self._mention_types.get(article.id)
        if cached is None and self.kb is not None:
            kb = self.kb
            if len(self._mention_types) > CACHED_ARTICLES:
                self._mention_types.clear()
            cached = []
            for m in kb.mentions_in(article.id):
                e = kb.entity(m.entity)
                cached.append((m.start, m.end, e.type if e else "person"))
            self._mention_types[article.id] = cached
        return cached or []
