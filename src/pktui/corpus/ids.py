"""Article ids: readable, stable from run to run, unique, and independent of load order.

- A file that is one article (plain text, Markdown, a saved page) is known by its file name
  without the extension, as before: ``2022-11-27-lacroix-visits-vietnam``.
- A record or feed item is known by its publication date and title as a slug
  (``2024-11-05-viet-nam-sends-medics``); without a title by its URL's last part; without
  either by its file's name and a hash of its text. Its place in the file is not used, so
  the id survives records being added or reordered.
- When two articles would get the same id, every one of them gets a short hash of what
  tells them apart (the path of a file; the URL or text of a record) appended, decided
  after the whole corpus is read: the result never depends on which came first.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import PurePath
from urllib.parse import urlsplit

from pktui.corpus.base import valid_unicode
from pktui.text import slug

MAX_SLUG_CHARS = 60


def short_hash(text: str, n: int = 8) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def file_base_id(path: str | PurePath) -> str:
    return valid_unicode(PurePath(path).stem) or "article"


def _short_slug(text: str) -> str:
    s = slug(text)[: MAX_SLUG_CHARS + 1]
    if len(s) > MAX_SLUG_CHARS:
        cut = s.rfind("-", 0, MAX_SLUG_CHARS)
        s = s[: cut if cut > MAX_SLUG_CHARS // 2 else MAX_SLUG_CHARS]
    return s.strip("-")


def record_base_id(title: str | None, published: date | None, url: str | None, stem: str, text: str) -> str:
    if title:
        base = _short_slug(title[:400])
        if base and base != "x":
            return f"{published.isoformat()}-{base}" if published else base
    if url:
        parts = urlsplit(url[:2000])
        segments = [s for s in parts.path.split("/") if s]
        last = segments[-1].rsplit(".", 1)[0] if segments else ""
        base = _short_slug(last) if last else ""
        if not base or base == "x" or base.isdigit():
            base = _short_slug(f"{parts.netloc} {' '.join(segments)}")
        if base and base != "x":
            return base
    return f"{file_base_id(stem)}-{short_hash(text)}"


def assign_ids(base_ids: list[str], identities: list[str]) -> list[str]:
    """Final ids: the base id when only one article has it, else base + hash of identity."""
    counts: dict[str, int] = {}
    for b in base_ids:
        counts[b] = counts.get(b, 0) + 1
    out = [b if counts[b] == 1 else f"{b}-{short_hash(i)}" for b, i in zip(base_ids, identities)]
    taken = set()
    final = []
    for b, i, candidate in zip(base_ids, identities, out):
        n = 2
        while candidate in taken:  # a hash clash, or a suffixed id equal to another base
            candidate = f"{b}-{short_hash(f'{i}#{n}')}"
            n += 1
        taken.add(candidate)
        final.append(candidate)
    return final
