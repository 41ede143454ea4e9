"""One call from paths to a :class:`KnowledgeBase`: read, extract (or load from cache), merge."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from pktui.corpus import ReadOptions, read_corpus
from pktui.extract import ArticleExtraction, extract_article, extractor_version
from pktui.knowledge.base import KnowledgeBase
from pktui.knowledge.build import build_knowledge
from pktui.knowledge.cache import CacheUnavailable, ExtractionCache, article_key, fill_texts
from pktui.knowledge.corrections import apply_ledger
from pktui.knowledge.ledger import LedgerError, read_ledger
from pktui.model import Article, LoadProblem
from pktui.text import one_line

#: progress(done, total) during extraction
Progress = Callable[[int, int], None]
#: below this many articles to extract, worker processes cost more than they save
PARALLEL_MIN = 64


def load_knowledge(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    progress: Progress | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    corrections: Path | None = None,
    options: ReadOptions | None = None,
    cancel: threading.Event | None = None,
) -> KnowledgeBase:
    """Read the corpus under ``paths`` (bundled sample when empty) into a knowledge base, with
    the corrections ledger at ``corrections`` (when given) applied on top; ``options``: record
    field names, following links (see :class:`pktui.corpus.ReadOptions`); ``cancel``, once set,
    stops extraction between articles (InterruptedError is raised)."""
    with _gc_paused():
        corpus = read_corpus(paths, options)
        extractions, problems, _stats = extract_corpus(
            corpus.articles, progress=progress, use_cache=use_cache, workers=workers, cancel=cancel
        )
        if cancel is not None and cancel.is_set():
            raise InterruptedError("loading cancelled")
        kb = build_knowledge(corpus.articles, extractions, corpus.problems + problems)
        kb.summary = corpus.summary
        if corrections is not None:
            kb.problems.extend(apply_corrections(kb, corrections))
        return kb


def apply_corrections(kb: KnowledgeBase, ledger_path: Path) -> list[LoadProblem]:
    """Apply the ledger at ``ledger_path`` to ``kb``; the problems: a malformed ledger (the
    corpus loads without it) or stale entries."""
    try:
        ledger = read_ledger(ledger_path)
    except LedgerError as exc:
        return [LoadProblem(exc.where or str(ledger_path), f"corrections not applied: {exc.detail}", skipped=False)]
    return apply_ledger(kb, ledger.entries).problems(str(ledger_path))


@contextmanager
def _gc_paused():
    """Building millions of small objects makes the cyclic collector run again and again
    for nothing (nothing here is garbage yet): pause it, then collect once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _extract_safely(article: Article) -> tuple[str, ArticleExtraction | None, str | None]:
    try:
        return article.id, extract_article(article), None
    except Exception as exc:
        return article.id, None, f"extraction failed: {type(exc).__name__}: {one_line(str(exc))[:200]}"


def extract_corpus(
    articles: list[Article],
    *,
    progress: Progress | None = None,
    use_cache: bool = True,
    rebuild: bool = False,
    workers: int | None = None,
    cancel: threading.Event | None = None,
) -> tuple[dict[str, ArticleExtraction], list[LoadProblem], dict[str, int]]:
    """Extraction of every article, from the cache where it holds an unchanged one.

    ``cancel``, once set, stops extracting between articles: what was extracted is kept (and
    cached), the rest is left out, queued work in worker processes is dropped."""
    stop = cancel.is_set if cancel is not None else (lambda: False)
    problems: list[LoadProblem] = []
    cache = None
    if use_cache:
        try:
            cache = ExtractionCache()
        except CacheUnavailable as exc:
            problems.append(LoadProblem("cache", f"{exc}; running without a cache", skipped=False))
    version = extractor_version()
    keys = {a.id: article_key(a, version) for a in articles}
    by_id = {a.id: a for a in articles}
    cached = cache.get_many(keys.values()) if cache is not None and not rebuild else {}
    results: dict[str, ArticleExtraction] = {}
    todo = []
    for a in articles:
        ex = cached.get(keys[a.id])
        if ex is not None and ex.article == a.id:
            results[a.id] = fill_texts(ex, a.text)
        else:
            todo.append(a)
    total = len(articles)
    done = len(results)
    if progress:
        progress(done, total)
    fresh: list[tuple[str, ArticleExtraction]] = []

    def collect(aid: str, ex: ArticleExtraction | None, err: str | None) -> None:
        nonlocal done
        done += 1
        if ex is not None:
            results[aid] = ex
            fresh.append((keys[aid], ex))
        else:
            problems.append(LoadProblem(by_id[aid].path, err or "extraction failed", skipped=False))
        if progress:
            progress(done, total)

    n_workers = workers or os.cpu_count() or 1
    if len(todo) >= PARALLEL_MIN and n_workers > 1:
        try:
            with ProcessPoolExecutor(max_workers=n_workers) as pool:
                for aid, ex, err in pool.map(
                    _extract_safely, todo, chunksize=max(1, min(64, len(todo) // (n_workers * 8)))
                ):
                    collect(aid, ex, err)
                    if stop():
                        pool.shutdown(wait=False, cancel_futures=True)
                        break
        except (OSError, RuntimeError) as exc:  # no processes here: do it in this one
            problems.append(
                LoadProblem("extraction", f"parallel extraction unavailable ({exc}); used one core", skipped=False)
            )
            for a in todo:
                if stop():
                    break
                if a.id not in results:
                    collect(*_extract_safely(a))
    else:
        for a in todo:
            if stop():
                break
            collect(*_extract_safely(a))
    if cache is not None:
        cache.put_many(fresh)
        problems.extend(LoadProblem("cache", w, skipped=False) for w in cache.warnings)
        cache.close()
    return results, problems, {"articles": total, "cached": total - len(todo), "extracted": len(fresh)}
