"""One call from paths to a :class:`KnowledgeBase`: read, extract (or load from cache), merge."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from pktui.corpus import read_corpus
from pktui.knowledge.base import KnowledgeBase

#: progress(done, total) during extraction
Progress = Callable[[int, int], None]


def load_knowledge(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    progress: Progress | None = None,
    use_cache: bool = True,
    workers: int | None = None,
) -> KnowledgeBase:
    """Read the corpus under ``paths`` (bundled sample when empty) into a knowledge base."""
    corpus = read_corpus(paths)
    if progress:
        progress(len(corpus.articles), len(corpus.articles))
    return KnowledgeBase(articles=corpus.articles, problems=corpus.problems)
