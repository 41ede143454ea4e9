"""What every input form shares: limits, the file handed to a reader, the article draft.

A reader turns one file into :class:`Draft` objects (one per article: the file itself, a
feed item, a record) and :class:`~pktui.model.LoadProblem` lines. Ids are given later, once
the whole corpus is known (:mod:`pktui.corpus.collect`), so that they never depend on the
order files are read in.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from pktui.model import Article

#: Articles larger than this are refused (documented in the README).
MAX_ARTICLE_BYTES = 8 * 1024 * 1024
#: A saved page may carry scripts, styles and inlined images around its text.
MAX_PAGE_BYTES = 32 * 1024 * 1024
#: Feeds are parsed whole (feedparser): bounded well below memory.
MAX_FEED_BYTES = 128 * 1024 * 1024
#: Records files (JSON Lines, JSON arrays, CSV/TSV) are streamed record by record.
MAX_RECORDS_BYTES = 2 * 1024 * 1024 * 1024
#: Broken records named one by one in a file; the rest are counted in one line.
MAX_PROBLEMS_PER_FILE = 100

_PARA_SPLIT_RE = re.compile(r"\n[ \t]*\n\s*")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def mb(n: int) -> str:
    return f"{n // (1024 * 1024 * 1024)} GB" if n >= 1024**3 else f"{n // (1024 * 1024)} MB"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to read: ``path`` to open, ``shown`` as reported to the user and in the export,
    ``form`` from its extension (None: decided by its content), ``named``: given on the
    command line itself (not found inside a folder)."""

    path: str | PurePath
    shown: str
    form: str | None = None
    named: bool = False


@dataclass(slots=True)
class Draft:
    """An article before it has an id. ``title`` is None when the input gives none (the
    lead sentence is used); ``identity`` tells two drafts with the same id apart."""

    path: str
    text: str
    published: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    base_id: str = "article"
    identity: str = ""
    #: a record or feed item that gives no date at all (said once for its whole file)
    date_missing: bool = False

    def article(self, article_id: str) -> Article:
        from pktui.textsplit import title_of  # local: keeps corpus import light

        return Article(
            id=article_id,
            path=valid_unicode(self.path),
            text=self.text,
            published=self.published,
            title=self.title or title_of(self.text),
            paragraphs=paragraph_spans(self.text),
            url=self.url,
            source=self.source,
            author=self.author,
        )


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes -> text and an optional warning; raises ValueError with a one-line reason."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "decoded as UTF-16 (byte-order mark)"
        except UnicodeDecodeError as exc:
            raise ValueError(f"broken UTF-16 at byte {exc.start}") from None
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it with iconv"
        ) from None
    return text, None


def paragraph_spans(body: str) -> tuple[tuple[int, int], ...]:
    spans = []
    pos = 0
    for m in _PARA_SPLIT_RE.finditer(body):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(body):
        spans.append((pos, len(body)))
    return tuple(spans)


def valid_unicode(text: str) -> str:
    """Text that can be written anywhere: lone surrogates (file names that are not UTF-8,
    ``\\ud800`` escapes in JSON) become U+FFFD, else one such string fails the export,
    the cache and the search of the whole corpus."""
    if _SURROGATE_RE.search(text) is None:
        return text
    return _SURROGATE_RE.sub("\ufffd", text)


def clean_body(text: str) -> str:
    """An article body as every form stores it: LF line ends, no NUL, no lone surrogate,
    no white space around it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return valid_unicode(text).strip()


def clean_field(value: str | None, limit: int = 2000) -> str | None:
    """A metadata value (title, source, author, URL) on one line, or None when blank."""
    if value is None:
        return None
    text = " ".join(valid_unicode(str(value)).replace("\x00", " ").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


def too_large(text: str) -> bool:
    return len(text) * 4 > MAX_ARTICLE_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES
