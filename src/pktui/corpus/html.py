"""Saved web pages, and HTML inside records and feed items, reduced to their main text.

Through trafilatura (main-text extraction, with htmldate for the date): menus, cookie
banners, share bars, related links, footers and scripts stay out; paragraphs stay
paragraphs. The page's title, date, canonical URL, site name and author come with it.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from functools import lru_cache
from typing import Any

from pktui.corpus.base import Draft, clean_body, clean_field
from pktui.text import fold

#: a page whose main text has fewer words than this has none (a menu, a cookie wall)
MIN_PAGE_WORDS = 8

_TAG_RE = re.compile(
    r"<(?:p|br|div|span|a|b|i|em|strong|h[1-6]|ul|ol|li|table|tr|td|article|section|img|figure|"
    r"figcaption|blockquote|pre|code|html|body|head|script|style)\b[^>]{0,2000}?/?>",
    re.IGNORECASE,
)
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,10});", re.IGNORECASE)


@lru_cache(maxsize=1)
def _trafilatura() -> Any:
    """Imported when the first page is read (about 0.3 s); its log lines stay out of stderr."""
    for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    import trafilatura

    return trafilatura


class NoMainText(ValueError):
    """The page holds no article text (only menus, a cookie wall, a login form)."""


def looks_like_html(text: str) -> bool:
    """Markup worth reducing: tags (not a lone ``a < b``) or character entities."""
    if "<" not in text and "&" not in text:
        return False
    return _TAG_RE.search(text, 0, 100_000) is not None or _ENTITY_RE.search(text, 0, 100_000) is not None


def _paragraphs(blocks: list[str], drop_first: str | None = None) -> str:
    """Blocks of text as paragraphs separated by blank lines, without a first block that
    only repeats the title."""
    blocks = [b for b in blocks if b.strip()]
    if drop_first and blocks and fold(blocks[0]) == fold(drop_first):
        blocks = blocks[1:]
    return clean_body("\n\n".join(blocks))


_SPACE_RE = re.compile(r"\s+")


def _inline(el: Any) -> str:
    """The text of an element as one line: source white space (line wraps of the HTML)
    folded to single spaces; only a line break of the page (``<br>``: ``lb``) kept."""
    parts = [_SPACE_RE.sub(" ", el.text or "")]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in ("list", "table"):  # nested blocks are read on their own
            parts.append(_inline(child))
        parts.append(_SPACE_RE.sub(" ", child.tail or ""))
    return "".join(parts)


def _line_block(el: Any) -> str:
    return "\n".join(line.strip() for line in _inline(el).split("\n") if line.strip())


def body_blocks(body: Any) -> list[str]:
    """The blocks of trafilatura's result tree (``p``, ``head``, ``quote``, list items,
    table rows, code) as texts, in order."""
    blocks: list[str] = []
    if body is None:
        return blocks
    if (body.text or "").strip():
        blocks.append(" ".join(body.text.split()))
    for child in body:
        tag = child.tag
        if tag == "list":
            blocks.extend(_line_block(item) for item in child.iter("item"))
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_line_block(c) for c in row.iter("cell")]
                blocks.append(" | ".join(c for c in cells if c))
        elif tag in ("code", "pre"):
            code = "".join(child.itertext())
            blocks.append("\n".join(ln.rstrip() for ln in code.strip("\n").split("\n")))
        elif tag != "graphic":
            blocks.append(_line_block(child))
        if (child.tail or "").strip():
            blocks.append(" ".join(child.tail.split()))
    return blocks


def html_to_text(markup: str) -> str:
    """A fragment of HTML (a record's body, a feed item's content) as paragraphs of text."""
    if not markup.strip():
        return ""
    traf = _trafilatura()
    doc = None
    try:
        doc = traf.bare_extraction(markup, fast=True, include_comments=False, include_tables=True)
    except Exception:  # a fragment lxml cannot parse: fall back to its text below
        doc = None
    text = _paragraphs(body_blocks(getattr(doc, "body", None))) if doc is not None else ""
    return text or _plain_text_of(markup)


def _plain_text_of(markup: str) -> str:
    """Every text node, blocks as paragraphs (when main-text extraction keeps nothing)."""
    try:
        import lxml.html

        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:
        return clean_body(re.sub(r"<[^>]{0,2000}>", " ", markup))
    for bad in root.xpath(".//script|.//style|.//noscript|.//template"):
        bad.drop_tree()
    blocks = root.xpath(".//p|.//li|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//blockquote|.//pre|.//td|.//div")
    for block in blocks:
        block.tail = "\n\n" + (block.tail or "")
    for br in root.xpath(".//br"):
        br.tail = "\n" + (br.tail or "")
    text = root.text_content()
    return clean_body("\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()))


def read_page(data: bytes, shown: str) -> tuple[Draft, list[str]]:
    """A saved page -> a draft and warnings; raises :class:`NoMainText`."""
    traf = _trafilatura()
    try:
        doc = traf.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # metadata, JSON-LD, <time>, the URL: not a guess from any year in the text
            # (a copyright line would date the page 1 January of that year)
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except Exception as exc:  # trafilatura or lxml refusing the markup
        raise NoMainText(f"page could not be parsed ({type(exc).__name__})") from None
    if doc is None or not (doc.text or "").strip():
        raise NoMainText("no main text found in the page")
    title = clean_field(doc.title)
    text = _paragraphs(body_blocks(doc.body), drop_first=title)
    if len(text.split()) < MIN_PAGE_WORDS:
        raise NoMainText(f"no main text found in the page (only {len(text.split())} words outside menus)")
    warnings = []
    published = None
    if doc.date:
        try:
            published = date.fromisoformat(str(doc.date)[:10])
        except ValueError:
            warnings.append(f"unreadable date {str(doc.date)[:20]!r} in the page; date unknown")
    else:
        warnings.append("no date in the page's metadata; date unknown")
    draft = Draft(
        path=shown,
        text=text,
        published=published,
        title=title,
        url=clean_field(doc.url),
        source=clean_field(doc.sitename),
        author=clean_field(doc.author),
    )
    return draft, warnings
