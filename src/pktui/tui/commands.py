"""The app's own commands in the command palette (ctrl+p).

Open article…, go to entity…, jump to date…, copy citation, figures, help. Every candidate
is plain text: article titles are shown with :class:`Content` built from the string (never
parsed as markup), with the fuzzy-matched letters styled.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from pktui.tui import format as fmt

#: (text shown and matched, what it does, help line: plain text, escaped before display)
Item = tuple[str, Callable[[], object], str]


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
    def _items(self) -> list[Item]:
        app = self.app
        browser = app.browser  # type: ignore[attr-defined]

        def on_browser(fn: Callable[..., object], *args: object) -> Callable[[], object]:
            def run() -> object:
                app._to_browser()  # type: ignore[attr-defined]
                return fn(*args)

            return run

        items: list[Item] = [
            ("Search facts and entities", app.action_search, "/ — fuzzy search with filters"),  # type: ignore[attr-defined]
            ("Figures: reported numbers over time", app.action_figures, "f"),  # type: ignore[attr-defined]
            ("Help: every key and the search syntax", app.action_help, "?"),  # type: ignore[attr-defined]
            (
                "Copy citation of the highlighted passage",
                on_browser(browser.action_copy_citation),
                "y — quote, title, date",
            ),
            ("Back", on_browser(browser.action_back), "backspace / alt+left"),
            ("Forward", on_browser(browser.action_forward), "alt+right"),
            ("Clear the timeline's entity filter", on_browser(browser.action_clear_filter), "x"),
        ]
        kb = app.kb  # type: ignore[attr-defined]
        if kb is None:
            return items
        for a in kb.articles_newest_first():
            date = a.published_iso or fmt.UNKNOWN_DATE
            items.append(
                (
                    f"Open article: {date} {fmt.clip(a.title, 70)}",
                    on_browser(browser.open_article, a.id),
                    fmt.clip(a.path, 80),
                )
            )
        for e in kb.entities:
            kind = fmt.TYPE_NAMES.get(e.type, e.type)
            help_text = f"{len(e.mentions)} mentions — shows its facts and filters the timeline"
            items.append(
                (f"Go to entity: {fmt.clip(e.name, 60)} ({kind})", on_browser(browser.select_entity, e.id), help_text)
            )
        for prompt, item in browser.timeline_rows(None):
            items.append(
                (f"Jump to date: {fmt.clip(prompt.plain, 80)}", on_browser(browser.jump_to, item), "opens the passage")
            )
        for s in kb.series:
            subject = fmt.series_subject(s, browser._entity_name)
            items.append((f"Figures about {subject}", partial(app.show_figures, s.subject), fmt.clip(s.measure, 60)))  # type: ignore[attr-defined]
        return items

    async def discover(self) -> Hits:
        for text, callback, help_text in self._items()[:7]:
            yield DiscoveryHit(Content(text), callback, text=text, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight(matcher, text), callback, text=text, help=escape(help_text))
