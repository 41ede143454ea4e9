"""Feeds (RSS 0.9x/1.0/2.0, Atom) through feedparser: one article per item.

The full content (``content:encoded``, Atom ``content``) is taken over the teaser summary;
the item's own date string is read as written (RFC 822 or ISO: feedparser's parsed form is
converted to UTC, which could move the day); the channel's title is the source.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

from pktui.corpus.base import Draft, clean_body, clean_field
from pktui.corpus.dates import parse_published
from pktui.corpus.html import html_to_text, looks_like_html
from pktui.corpus.ids import record_base_id

logging.getLogger("feedparser").addHandler(logging.NullHandler())


class NotAFeed(ValueError):
    """The file is not a feed, or not one that can be read; the message says why."""


def _parse(data: bytes) -> Any:
    import feedparser  # type: ignore[import-untyped]  # the library ships no type hints

    # bytes, never a string: feedparser would take a string for a URL or a file name
    return feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)


def _error_text(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    line = getattr(exc, "getLineNumber", lambda: None)()
    message = getattr(exc, "getMessage", lambda: str(exc))() or type(exc).__name__
    return f"{message} (line {line})" if line else str(message)


def read_feed(data: bytes, shown: str, stem: str) -> Iterator[Draft | tuple[str, str, bool]]:
    """Drafts for every item; ``(place, reason, skipped)`` for items that cannot be read.
    Raises :class:`NotAFeed` when nothing in the file is a feed item."""
    doc = _parse(data)
    entries = [e for e in doc.entries if _has_anything(e)]
    if not entries:
        if doc.get("bozo") and doc.get("bozo_exception") is not None and doc.get("version"):
            raise NotAFeed(f"feed does not parse: {_error_text(doc.bozo_exception)}")
        if not doc.get("version"):
            if doc.get("bozo"):
                raise NotAFeed(f"not a feed (RSS or Atom): {_error_text(doc.get('bozo_exception'))}")
            raise NotAFeed("not a feed (RSS or Atom)")
        raise NotAFeed("feed has no items")
    if doc.get("bozo") and _is_xml_error(doc.get("bozo_exception")):
        yield ("", f"feed is not well-formed ({_error_text(doc.bozo_exception)}); its items read leniently", False)
    channel = clean_field(doc.feed.get("title")) if doc.get("feed") else None
    for number, entry in enumerate(entries, 1):
        place = f"#{number}"
        text = _entry_text(entry)
        if not text:
            yield (place, "item has no text (no content or summary)", True)
            continue
        published, problem = _entry_date(entry)
        if problem:
            yield (place, f"{problem}; date unknown", False)
        title = _entry_title(entry)
        url = clean_field(entry.get("link"))
        yield Draft(
            path=f"{shown}{place}",
            text=text,
            published=published,
            title=title,
            url=url,
            source=channel,
            author=_entry_author(entry),
            base_id=record_base_id(title, published, url, stem, text),
            identity=url or text,
            date_missing=published is None and problem is None,
        )


def _has_anything(entry: Any) -> bool:
    return bool(entry.get("title") or entry.get("summary") or entry.get("content") or entry.get("link"))


def _is_xml_error(exc: BaseException | None) -> bool:
    return exc is not None and hasattr(exc, "getLineNumber")


def _entry_text(entry: Any) -> str:
    """The longest full content, else the summary, reduced to text when it is HTML."""
    candidates = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if candidates:
        best = max(candidates, key=lambda c: len(c.get("value") or ""))
        value, kind = best.get("value") or "", best.get("type") or ""
    else:
        detail = entry.get("summary_detail") or {}
        value, kind = entry.get("summary") or "", detail.get("type") or ""
    if "html" in kind or looks_like_html(value):
        return html_to_text(value)
    return clean_body(value)


def _entry_title(entry: Any) -> str | None:
    title = entry.get("title") or ""
    kind = (entry.get("title_detail") or {}).get("type") or ""
    if "html" in kind and looks_like_html(title):
        title = html_to_text(title)
    return clean_field(title)


def _entry_author(entry: Any) -> str | None:
    names = [a["name"] for a in entry.get("authors") or [] if isinstance(a, dict) and a.get("name")]
    if names:
        return clean_field(", ".join(dict.fromkeys(names)))
    detail = entry.get("author_detail") or {}
    return clean_field(detail.get("name") or entry.get("author"))


def _entry_date(entry: Any) -> tuple[date | None, str | None]:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            published, problem = parse_published(raw)
            if published is not None:
                return published, None
            parsed = entry.get(f"{key}_parsed")
            if parsed is not None:  # feedparser read it (in UTC): better than nothing
                try:
                    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday), None
                except ValueError:
                    pass
            return None, problem or f"unreadable date {str(raw)[:40]!r}"
    return None, None
