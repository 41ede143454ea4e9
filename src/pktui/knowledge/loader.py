"""One call from paths to a :class:`KnowledgeBase`: read, extract (or load from cache), merge."""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from pktui.corpus import ReadOptions, read_corpus
from pktui.extract import ArticleExtraction, extract_article, extractor_version
from pktui.knowledge.base import KnowledgeBase
from pktui.knowledge.build import build_knowledge
from pktui.knowledge.cache import CacheUnavailable, ExtractionCache, article_key
from pktui.knowledge.cancel import Cancel, Cancelled, check
from pktui.knowledge.corrections import apply_ledger
from pktui.knowledge.ledger import LedgerError, read_ledger
from pktui.model import Article, LoadProblem
from pktui.text import one_line

#: an article's id, its extraction (None when it failed) and the error
Extracted = tuple[str, ArticleExtraction | None, str | None]

__all__ = ["Cancelled", "extract_corpus", "iter_extractions", "load_knowledge"]

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
    cancel: Cancel | None = None,
) -> KnowledgeBase:
    """Read the corpus under ``paths`` (bundled sample when empty) into a knowledge base in
    memory, with the corrections ledger at ``corrections`` (when given) applied on top;
    ``options``: record field names, following links (see :class:`pktui.corpus.ReadOptions`);
    ``cancel`` (a ``threading.Event``) stops extraction between articles (:class:`Cancelled`).
    The persistent index (:mod:`pktui.archive`) is for large corpora."""
    with _gc_paused():
        corpus = read_corpus(paths, options)
        extractions, problems, _stats = extract_corpus(
            corpus.articles, progress=progress, use_cache=use_cache, workers=workers, cancel=cancel
        )
        if cancel is not None and cancel.is_set():
            raise Cancelled("loading cancelled")
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
    outcome = apply_ledger(kb, ledger.entries)
    kb.corrections = outcome
    return outcome.problems(str(ledger_path))


@contextmanager
def _gc_paused() -> Iterator[None]:
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
    cancel: Cancel | None = None,
) -> tuple[dict[str, ArticleExtraction], list[LoadProblem], dict[str, int]]:
    """Extraction of every article, from the cache where it holds an unchanged one.

    ``cancel``, once set, stops extracting between articles: what was extracted is kept (and
    cached), the rest is left out, queued work in worker processes is dropped."""
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
    cached = cache.get_many(keys.values(), by_id) if cache is not None and not rebuild else {}
    results: dict[str, ArticleExtraction] = {}
    todo = []
    for a in articles:
        ex = cached.get(keys[a.id])
        if ex is not None and ex.article == a.id:
            results[a.id] = ex
        else:
            todo.append(a)
    total = len(articles)
    done = len(results)
    if progress:
        progress(done, total)
    fresh: list[tuple[str, ArticleExtraction]] = []
    with contextlib.suppress(Cancelled):  # stopped: what is done is kept (and cached)
        for aid, ex, err in iter_extractions(todo, workers=workers, cancel=cancel, problems=problems):
            done += 1
            if ex is not None:
                results[aid] = ex
                fresh.append((keys[aid], ex))
            else:
                problems.append(LoadProblem(by_id[aid].path, err or "extraction failed", skipped=False))
            if progress:
                progress(done, total)
    if cache is not None:
        cache.put_many(fresh)
        problems.extend(LoadProblem("cache", w, skipped=False) for w in cache.warnings)
        cache.close()
    return results, problems, {"articles": total, "cached": total - len(todo), "extracted": len(fresh)}


#: an article longer than this is extracted in a worker process even alone, so that a
#: cancel does not wait for it
LONG_ARTICLE = 200_000


def iter_extractions(
    articles: Iterable[Article],
    *,
    workers: int | None = None,
    cancel: Cancel | None = None,
    problems: list[LoadProblem] | None = None,
    expected: int | None = None,
) -> Iterator[tuple[str, ArticleExtraction | None, str | None]]:
    """``(article id, extraction or None, error)`` for each article, in no set order; on all
    cores when there are enough (``expected``: how many, when ``articles`` is an iterator
    read as the workers take them); raises :class:`Cancelled` as soon as ``cancel`` is set
    (worker processes are stopped, not waited for)."""
    if not isinstance(articles, list) and expected is None:
        articles = list(articles)
    count = len(articles) if isinstance(articles, list) else expected or 0
    n_workers = workers or os.cpu_count() or 1
    has_long = isinstance(articles, list) and any(len(a.text) > LONG_ARTICLE for a in articles)
    if (count < PARALLEL_MIN and not has_long) or (n_workers == 1 and not has_long):
        for a in articles:
            check(cancel)
            yield _extract_safely(a)
        return
    try:
        pool = ProcessPoolExecutor(
            max_workers=max(1, min(n_workers, count)), initializer=_watch_parent, initargs=(os.getpid(),)
        )
    except (OSError, RuntimeError) as exc:  # no processes here: do it in this one
        if problems is not None:
            problems.append(
                LoadProblem("extraction", f"parallel extraction unavailable ({exc}); used one core", skipped=False)
            )
        for a in articles:
            check(cancel)
            yield _extract_safely(a)
        return
    yield from _in_pool(pool, iter(articles), count, n_workers, cancel, problems)


def _chunks(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while True:
        part = list(itertools.islice(articles, size))
        if not part:
            return
        yield part


def _in_pool(
    pool: ProcessPoolExecutor,
    articles: Iterator[Article],
    count: int,
    n_workers: int,
    cancel: Cancel | None,
    problems: list[LoadProblem] | None,
) -> Iterator[Extracted]:
    size = max(1, min(32, count // (n_workers * 8)))
    pending: dict[Future[list[Extracted]], list[Article]] = {}
    todo = _chunks(articles, size)
    try:
        while True:
            while len(pending) < n_workers * 3:
                part = next(todo, None)
                if part is None:
                    break
                pending[pool.submit(_extract_many, part)] = part
            if not pending:
                break
            finished, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            check(cancel)
            for fut in finished:
                pending.pop(fut)
                yield from fut.result()
    except (OSError, RuntimeError, BrokenProcessPool) as exc:
        if problems is not None:
            problems.append(
                LoadProblem("extraction", f"parallel extraction unavailable ({exc}); used one core", skipped=False)
            )
        _stop(pool)
        for part in [*pending.values(), *todo]:
            for a in part:
                check(cancel)
                yield _extract_safely(a)
        return
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _watch_parent(parent: int) -> None:
    """In a worker: end when the process that started it is gone (killed, even with -9),
    instead of living on as an orphan holding what it inherited."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _extract_many(articles: list[Article]) -> list[Extracted]:
    return [_extract_safely(a) for a in articles]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once: queued work dropped, worker processes ended, nothing waited for."""
    processes = list(getattr(pool, "_processes", {}).values())  # the executor has no public way
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        with contextlib.suppress(Exception):
            p.terminate()
