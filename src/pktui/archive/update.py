"""Bringing a corpus index up to date with its folder (the caller holds the write lock).

1. the scan's new and changed files are hashed; those whose content did change are read;
2. their articles are compared with the stored ones by id and extraction key: new, changed,
   gone, or only their path or metadata moved;
3. the articles to extract are read again file by file as the worker processes take them
   (memory bounded by what is in flight, not the corpus), and their results committed in
   batches (a kill keeps the work done; the next run finds it staged);
4. one transaction publishes it all: the knowledge base, the file states, and the search
   segments' manifest. A failure (a full disk) rolls it back and empties the WAL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pktui.archive.plan import Plan, text_digest
from pktui.archive.scan import Scan, read_drafts
from pktui.archive.segments import Manifest, Segments, segments_supported
from pktui.knowledge.cancel import Cancel
from pktui.knowledge.store import KnowledgeStore, StoredKnowledgeBase
from pktui.model import Article, LoadProblem
from pktui.text import one_line

STAGE_EVERY_S = 2.0  # commit extraction results at least this often
STAGE_EVERY_N = 256  # ... and every this many articles


@dataclass
class Outcome:
    extracted: int = 0
    added: int = 0
    removed: int = 0
    problems: list[LoadProblem] = field(default_factory=list)


def run_update(
    store: KnowledgeStore,
    scan: Scan,
    plan: Plan,
    *,
    options: Any = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Cancel | None = None,
    merge: bool = False,
) -> Outcome:
    out = Outcome()
    store.attach_stage()
    writer = store.writer()
    staged = writer.staged_keys()
    todo = [new for new in plan.add.values() if new.ekey not in staged]
    out.extracted = _extract_and_stage(store, scan, plan, todo, options, workers, progress, cancel, out.problems)
    segments = Segments(store.folder)
    try:
        with writer.transaction():
            ekeys = [new.ekey for new in plan.add.values()]
            published = writer.publish(
                plan.removed,
                lambda facts: _staged(writer, ekeys, plan, scan, options, out.problems, facts),
                progress,
                len(ekeys),
            )
            store.update_meta_rows(plan.meta)
            store.save_files(plan.files, plan.gone)
            store.touch_files(plan.touched)
            store.save_duplicates(plan.duplicates, [*plan.files, *plan.gone])
            store.clear_suspects(list(store.suspects()))
            store.set_meta("extractor", plan.version)
            store.set_meta("extractor.inputs", plan.signature)
            if scan.walked or scan.memo is not None:
                store.remember_walk(scan.memo, within=True)
            store.set_meta("generation", str(int(store.meta("generation") or 0) + 1))
            if segments_supported():
                kb = StoredKnowledgeBase.over(store.conn, store.path)
                manifest = Manifest.load(store.meta("search"))
                n_articles = int(store.meta("count.articles") or 0)
                # older articles whose facts now name another entity are indexed again too
                changed = [*published.added, *published.refreshed]
                new = segments.update(
                    kb,
                    manifest,
                    changed,
                    published.removed,
                    n_articles,
                    merge=merge,
                    entity_ids=sorted(published.entities_changed),
                )
                store.set_meta("search", new.dump())
    except BaseException:
        store.release_failed_write()
        raise
    store.discard_stage()
    if segments_supported():
        segments.remove_unlisted(Manifest.load(store.meta("search")))
    store.compact()
    out.added = len(published.added)
    out.removed = len(set(published.removed) - set(published.added))
    return out


def _staged(writer, ekeys, plan: Plan, scan: Scan, options, problems: list[LoadProblem], facts: bool) -> Iterator[Any]:
    """The staged results to publish; one that cannot be trusted is extracted again here (and
    staged again, so that the second reading finds it whole)."""
    from pktui.knowledge.store.rows import Staged

    wanted = {new.ekey: new for new in plan.add.values()}
    for item in writer.read_staged(ekeys, facts):
        if isinstance(item, Staged):
            new = wanted[item.ekey]
            item.file, item.who = new.file, new.who.columns()
            yield item
            continue
        ekey, reason = item
        new = wanted[ekey]
        article = plan.again.get(new.id) or _reread(scan, new, options)
        if article is None:
            continue
        problems.append(LoadProblem(article.path, f"staged extraction not trusted ({reason}); extracted again", False))
        _aid, ex, err = _extract_one(article)
        again = Staged(ekey, article, ex, err, new.file, new.who.columns())
        writer.stage_within([again])
        yield again


def _extract_one(article: Article):
    from pktui.extract import extract_article

    try:
        return article.id, extract_article(article), None
    except Exception as exc:
        return article.id, None, f"extraction failed: {type(exc).__name__}: {one_line(str(exc))[:200]}"


def _reread(scan: Scan, new, options) -> Article | None:
    return next(iter(_from_file(scan, new.file, {new.who.place: new}, options)), None)


def _from_file(scan: Scan, key: str, wanted: dict, options) -> Iterator[Article]:
    """The planned articles of one file (place -> NewArticle), read again. One whose text is
    not what was planned (the file changed again meanwhile) is left for the next update."""
    src = scan.sources.get(key)
    if src is None:
        return
    drafts, _problems = read_drafts(src, options)
    for place, d in enumerate(drafts):
        new = wanted.get(place)
        if new is None:
            continue
        a = d.article(new.id)
        if text_digest(a.text) == new.digest:
            yield a


def _extract_and_stage(store, scan, plan: Plan, todo, options, workers, progress, cancel, problems) -> int:
    """Extract ``todo`` (planned articles), committing results in batches."""
    if not todo:
        return 0
    from pktui.knowledge.loader import iter_extractions
    from pktui.knowledge.store.rows import Staged

    writer = store.writer()
    total = len(todo)
    by_id = {new.id: new for new in todo}
    pending: list[Staged] = []
    done = 0
    last = time.monotonic()
    if progress:
        progress(0, total)
    held: dict[str, Article] = {}

    def feed() -> Iterator[Article]:
        for a in _articles_to_extract(scan, plan, todo, options):
            held[a.id] = a
            yield a

    try:
        for aid, ex, err in iter_extractions(feed(), workers=workers, cancel=cancel, problems=problems, expected=total):
            a, new = held.pop(aid), by_id[aid]
            pending.append(Staged(new.ekey, a, ex, err, new.file, new.who.columns()))
            done += 1
            if len(pending) >= STAGE_EVERY_N or time.monotonic() - last > STAGE_EVERY_S:
                writer.stage(pending)
                pending, last = [], time.monotonic()
            if progress:
                progress(done, total)
    finally:  # stopped (the user quit): what is done is kept
        writer.stage(pending)
    return done


def _articles_to_extract(scan: Scan, plan: Plan, todo, options) -> Iterator[Article]:
    """The planned articles, read again from their files one file at a time (or from the
    index, for those extracted again from their stored text)."""
    by_file: dict[str, dict[int, object]] = {}
    for new in todo:
        if new.id in plan.again:
            yield plan.again[new.id]
        else:
            by_file.setdefault(new.file, {})[new.who.place] = new
    for key, wanted in by_file.items():
        yield from _from_file(scan, key, wanted, options)
