"""``pktui search QUERY``: ranked hits, each with its passage, matched characters marked.

Article text is untrusted: it is shown through ``safe_display`` (control and escape
characters become visible stand-ins) and only ever as ``rich.text.Text`` or plain writes,
never as markup, so ``[bold]`` in an article is printed as typed.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Fact
from pktui.search.index import Hit, SearchIndex
from pktui.text import json_terminal_safe, one_line, safe_display

PASSAGE_WIDTH = 360  # characters of passage shown around the hit


def fact_json(f: Fact) -> dict:
    """A fact as in the export schema (``pktui export``): one definition for both."""
    from pktui.commands.export import fact_dict

    return fact_dict(f)


def hit_json(kb: KnowledgeBase, index: SearchIndex, hit: Hit) -> dict:
    matches = [[s, e] for s, e in hit.matches]
    if hit.kind == "fact":
        f = kb.fact(hit.id)
        if f is not None:
            return {**fact_json(f), "score": hit.score, "matches": matches}
    article = kb.article(hit.article)
    text = article.text[hit.start : hit.end] if article is not None else ""
    out: dict = {"id": hit.id, "kind": hit.kind}
    if hit.kind == "entity":
        e = kb.entity(hit.id)
        out.update(type=e.type if e else None, name=e.name if e else hit.label)
    out.update(article=hit.article, start=hit.start, end=hit.end, text=text, score=hit.score, matches=matches)
    return out


def _window(ps: int, pe: int, s: int, e: int, width: int = PASSAGE_WIDTH) -> tuple[int, int]:
    """At most ``width`` characters of the passage ``[ps, pe)``, keeping ``[s, e)`` in view."""
    if pe - ps <= width:
        return ps, pe
    mid = (s + e) // 2
    a = max(ps, mid - width // 2)
    b = min(pe, a + width)
    a = max(ps, b - width)
    return a, b


def _passage_text(text: str, a: int, b: int) -> str:
    # same length as text[a:b], so match offsets stay valid; one line
    return safe_display(text[a:b]).replace("\n", " ").replace("\r", " ")


def run_search(
    kb: KnowledgeBase, query: str, limit: int, as_json: bool, out: TextIO = sys.stdout, index: SearchIndex | None = None
) -> int:
    if index is None:
        index = SearchIndex.build(kb)
    hits = index.search(query, limit=limit)
    if as_json:
        doc = json.dumps([hit_json(kb, index, h) for h in hits], ensure_ascii=False, indent=2) + "\n"
        # on a terminal, controls inside strings are written as JSON escapes: same document, nothing raw
        out.write(json_terminal_safe(doc) if out.isatty() else doc)
        return 0
    if not hits:
        suggestion = index.suggest(query)
        msg = f"no results for {one_line(query)!r}"
        if suggestion:
            msg += f" (did you mean {one_line(suggestion)!r}?)"
        print(msg, file=sys.stderr)
        return 0
    tty = bool(getattr(out, "isatty", lambda: False)())
    console = None
    if tty:
        from rich.console import Console

        console = Console(file=out, highlight=False, markup=False, emoji=False, soft_wrap=False)
    for n, hit in enumerate(hits, 1):
        _print_hit(kb, index, hit, n, out, console)
    return 0


def _print_hit(kb, index: SearchIndex, hit: Hit, n: int, out: TextIO, console) -> None:
    article = kb.article(hit.article)
    text = article.text if article is not None else ""
    ps, pe = index.passage(hit)
    ps, pe = min(ps, hit.start), max(pe, hit.end)
    a, b = _window(ps, pe, hit.start, hit.end)
    passage = _passage_text(text, a, b)
    prefix = "\u2026" if a > ps else ""
    suffix = "\u2026" if b < pe else ""
    date = article.published_iso if article is not None and article.published else "date unknown"
    title = one_line(article.title) if article is not None else ""
    head = f"{n:>3}. {one_line(hit.label)}"
    meta = f"     {date} \u00b7 {one_line(hit.article)} \u00b7 {title}"
    if console is None:
        out.write(f"{head}\n{meta}\n     {prefix}{passage}{suffix}\n\n")
        return
    from rich.text import Text

    console.print(Text(head, style="bold"))
    console.print(Text(meta, style="dim"))
    body = Text("     " + prefix)
    base = len(body)
    body.append(passage)
    body.append(suffix)
    # the fact (or mention) itself underlined, matched characters bold and reversed
    if hit.start < b and hit.end > a:
        body.stylize("underline", base + max(hit.start, a) - a, base + min(hit.end, b) - a)
    for s, e in hit.matches:
        if s < b and e > a:
            body.stylize("bold reverse", base + max(s, a) - a, base + min(e, b) - a)
    console.print(body)
    console.print()
