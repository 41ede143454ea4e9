"""The app's commands in the command palette (ctrl+p), and the corpus searched as you type.

The palette lists a few commands (search, figures, help, cite, back, ...) matched by Textual's
fuzzy matcher, then what the search index finds for the words typed: entities, facts and
passages, the same engine as ``/``, run in a thread so that no key waits for it (Textual
cancels the search of a query that was typed over, and its answer is dropped). Every
candidate is plain text: shown with :class:`Content` built from the string, never parsed as
markup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from pktui.text import one_line
from pktui.tui import format as fmt

#: (text shown and matched, what it does, help line: plain text)
Item = tuple[str, Callable[[], object], str]
PALETTE_HITS = 20


def highlight(matcher: Matcher, candidate: str) -> Content:
    """Like ``Matcher.highlight`` but for untrusted text: no markup is parsed."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class PktuiCommands(Provider):
    def _commands(self) -> list[Item]:
        app: Any = self.app
        browser = app.browser

        def on_browser(fn: Callable[..., object], *args: object) -> Callable[[], object]:
            def run() -> object:
                app._to_browser()
                return fn(*args)

            return run

        return [
            ("Search facts and entities", app.action_search, "/ — fuzzy search with filters"),
            ("Figures: reported numbers over time", app.action_figures, "f"),
            ("Help: every key and the search syntax", app.action_help, "?"),
            ("Corrections: the ledger, newest first", app.action_corrections, "c"),
            ("Undo the last correction", app.action_undo, "u"),
            ("Copy citation of the highlighted passage", on_browser(browser.action_copy_citation), "y"),
            ("Why was the highlighted fact extracted", on_browser(browser.action_why), "w"),
            ("Back", on_browser(browser.action_back), "backspace / alt+left"),
            ("Forward", on_browser(browser.action_forward), "alt+right"),
            ("Clear the timeline's entity filter", on_browser(browser.action_clear_filter), "x"),
        ]

    def _hit_item(self, hit: Any) -> Item | None:
        """A search hit as a palette row: what it is, where it comes from, what Enter does."""
        app: Any = self.app
        kb, browser = app.kb, app.browser
        article = kb.article(hit.article) if kb is not None else None
        if kb is None or article is None:
            return None

        def run(fn: Callable[..., object], *args: object) -> Callable[[], object]:
            def go() -> object:
                app._to_browser()
                return fn(*args)

            return go

        where = f"{article.published_iso or fmt.UNKNOWN_DATE} · {fmt.clip(article.title, 90)}"
        if article.source:
            where = f"{one_line(article.source)} · {where}"
        if hit.kind == "entity":
            entity = kb.entity(hit.id)
            if entity is None:
                return None
            kind = fmt.TYPE_NAMES.get(entity.type, one_line(entity.type))
            text = f"Go to entity: {fmt.clip(entity.name, 70)} ({kind})"
            return text, run(browser.select_entity, entity.id), f"{len(entity.mentions):,} mentions"
        fact = kb.fact(hit.id) if hit.kind == "fact" else None
        if fact is not None:
            kind = fmt.KIND_TAGS.get(fact.kind, fact.kind).strip()
            text = f"Open {kind}: {fmt.clip(fmt.fact_value(fact, lambda e: fmt.entity_name(kb, e)), 80)}"
            return text, run(browser.open_fact, fact.id), where
        text = f"Open passage: {fmt.clip(hit.label or article.text[hit.start : hit.end], 90)}"
        return text, run(browser.open_article, article.id), where

    async def discover(self) -> Hits:
        for text, callback, help_text in self._commands():
            yield DiscoveryHit(Content(text), callback, text=text, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight(matcher, text), callback, text=text, help=escape(help_text))
        index = getattr(self.app, "index", None)
        if index is None or not query.strip():
            return
        hits = await asyncio.to_thread(index.search, query, PALETTE_HITS)
        for rank, hit in enumerate(hits):
            item = self._hit_item(hit)
            if item is not None:
                text, callback, help_text = item
                # below a command that matches well, in the engine's order
                yield Hit(0.9 - rank / 1000, Content(text), callback, text=text, help=escape(help_text))
