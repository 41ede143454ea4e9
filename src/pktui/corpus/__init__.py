"""Read what the user hands over — files and folders in every form of the contract, mixed —
into :class:`~pktui.model.Article` objects.

Forms (one module each): plain ``date YYYY-MM-DD`` articles and Markdown / text with front
matter (:mod:`.plain`), saved web pages (:mod:`.html`, trafilatura), feeds (:mod:`.feeds`,
feedparser), records in JSON Lines, JSON, CSV and TSV (:mod:`.records`, streamed). Which
form a file is in: :mod:`.forms`; walking the paths: :mod:`.walk`; ids: :mod:`.ids`.

Anything that cannot be read becomes a :class:`~pktui.model.LoadProblem` line naming the file
(and the line or record inside it); everything else still loads. The same article arriving
twice (same canonical URL, or same text after folding white space) is loaded once and
counted in :attr:`Corpus.summary` (``duplicates``), beside hidden files skipped.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pktui.corpus.base import (
    MAX_ARTICLE_BYTES,
    MAX_FEED_BYTES,
    MAX_PAGE_BYTES,
    MAX_RECORDS_BYTES,
    Draft,
    SourceFile,
    decode,
    paragraph_spans,
)
from pktui.corpus.fields import COMMON_FIELDS, FieldMap, FieldSpecError
from pktui.corpus.ids import assign_ids, file_base_id
from pktui.corpus.plain import parse_article_text
from pktui.corpus.reader import read_source
from pktui.corpus.walk import bundled_corpus_dir, check_named_path, iter_source_files
from pktui.model import Article, LoadProblem, LoadSummary

__all__ = [
    "COMMON_FIELDS",
    "MAX_ARTICLE_BYTES",
    "MAX_FEED_BYTES",
    "MAX_PAGE_BYTES",
    "MAX_RECORDS_BYTES",
    "Corpus",
    "FieldMap",
    "FieldSpecError",
    "ReadOptions",
    "SourceFile",
    "bundled_corpus_dir",
    "check_named_path",
    "decode",
    "iter_source_files",
    "make_article",
    "paragraph_spans",
    "parse_article_text",
    "read_corpus",
    "read_source",
]


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    summary: LoadSummary = field(default_factory=LoadSummary)

    @property
    def duplicates(self) -> int:
        return self.summary.duplicates


@dataclass(frozen=True)
class ReadOptions:
    """How to read: the record field names (``--field``, ``fields:``) and whether symbolic
    links leading out of the corpus folders are followed (``--follow-links``)."""

    fields: FieldMap = field(default_factory=FieldMap)
    follow_links: bool = False

    def key(self) -> str:
        """Stable text naming what changes the articles read (for cache and index keys)."""
        return f"fields[{self.fields.key()}];links={int(self.follow_links)}"


class _Duplicates:
    """Remembers each article's canonical URL and white-space-folded text (as digests)."""

    def __init__(self) -> None:
        self.by_url: dict[str, str] = {}
        self.by_text: dict[bytes, str] = {}

    def first_copy(self, draft: Draft) -> str | None:
        """The path of an earlier copy of ``draft``, or None (and ``draft`` is remembered)."""
        url = canonical_url(draft.url)
        text = hashlib.sha1(" ".join(draft.text.split()).encode("utf-8", "surrogatepass")).digest()
        earlier = (self.by_url.get(url) if url else None) or self.by_text.get(text)
        if earlier is not None:
            return earlier
        if url:
            self.by_url[url] = draft.path
        self.by_text[text] = draft.path
        return None


def canonical_url(url: str | None) -> str | None:
    """``HTTPS://Example.org/a/#top`` and ``http://example.org/a`` are the same page."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.netloc:
        return None
    path = parts.path.rstrip("/") or "/"
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    return urlunsplit((scheme, parts.netloc.lower(), path, parts.query, ""))


def iter_drafts(
    paths: Iterable[str | os.PathLike[str]] | None,
    options: ReadOptions | None = None,
    summary: LoadSummary | None = None,
) -> Iterator[Draft | LoadProblem]:
    """Every article draft and problem under ``paths``, in reading order, duplicates left
    out (and counted in ``summary``)."""
    options = options or ReadOptions()
    summary = summary if summary is not None else LoadSummary()
    seen = _Duplicates()
    for item in iter_source_files(paths, follow_links=options.follow_links, summary=summary):
        if isinstance(item, LoadProblem):
            yield item
            continue
        undated: list[str] = []
        for got in read_source(item, options.fields):
            if isinstance(got, Draft):
                earlier = seen.first_copy(got)
                if earlier is not None:
                    summary.duplicates += 1
                    summary.duplicate_paths.append((got.path, earlier))
                    continue
                if got.date_missing:
                    undated.append(got.path)
            yield got
        if undated:
            yield LoadProblem(
                item.shown,
                f"{len(undated)} article(s) in it without a date (first: {undated[0]}); dates unknown",
                skipped=False,
            )


def read_corpus(paths: Iterable[str | os.PathLike[str]] | None = None, options: ReadOptions | None = None) -> Corpus:
    """Read every article under ``paths`` (the bundled sample when empty)."""
    corpus = Corpus()
    drafts: list[Draft] = []
    for item in iter_drafts(paths, options, corpus.summary):
        if isinstance(item, LoadProblem):
            corpus.problems.append(item)
        else:
            drafts.append(item)
    ids = assign_ids([d.base_id for d in drafts], [d.identity for d in drafts])
    corpus.articles = [d.article(i) for d, i in zip(drafts, ids)]
    return corpus


def make_article(path: Path | str, shown: str, body: str, published: date | None) -> Article:
    """An article from a body already read (tests, synthetic corpora): id from the file name."""
    draft = Draft(shown, body, published, base_id=file_base_id(path), identity=shown)
    return draft.article(draft.base_id)
