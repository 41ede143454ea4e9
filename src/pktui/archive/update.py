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

from pktui.archive.scan import Scan, content_hash, read_source
from pktui.archive.segments import Manifest, Segments, segments_supported
from pktui.knowledge.store import FileState, KnowledgeStore, StoredKnowledgeBase, codec
from pktui.knowledge.version import current_version
from pktui.model import Article, LoadProblem
from pktui.text import one_line

STAGE_EVERY_S = 2.0  # commit extraction results at least this often
STAGE_EVERY_N = 256  # ... and every this many articles
HASH_LIMIT = 4 << 30  # files are hashed up to this size (a records file may be large)


@dataclass
class Plan:
    """What an update does."""

    #: file key -> its new state and the problems met reading it
    files: dict[str, tuple[FileState, list[LoadProblem]]] = field(default_factory=dict)
    #: files read but found unchanged in content: only their state is recorded
    touched: dict[str, FileState] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: article id -> (file key, extraction key) of articles to add
    add: dict[str, tuple[str, str]] = field(default_factory=dict)
    meta: list[tuple[str, str]] = field(default_factory=list)
    #: articles to extract again that no changed file holds (rows found bad, a new extractor)
    again: dict[str, Article] = field(default_factory=dict)
    version: str = ""  # of the extractor
    signature: str = ""  # of its inputs (pktui.knowledge.version)
    #: ids every article has after the update, and those of each file read
    ids: set[str] = field(default_factory=set)
    file_ids: dict[str, set[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.files or self.touched or self.gone or self.removed or self.add or self.meta)

    def remembers(self, store: KnowledgeStore) -> bool:
        """The index knows this extractor (no need to write its version)."""
        return store.meta("extractor") == self.version and store.meta("extractor.inputs") == self.signature


@dataclass
class Outcome:
    extracted: int = 0
    added: int = 0
    removed: int = 0
    problems: list[LoadProblem] = field(default_factory=list)


def plan_update(store: KnowledgeStore, scan: Scan, *, everything: bool = False) -> Plan:
    known = store.files()
    version, signature = current_version(store.meta("extractor"), store.meta("extractor.inputs"))
    plan = Plan(gone=list(scan.gone), version=version, signature=signature)
    changed = []
    for key in scan.suspect if not everything else list(scan.sources):
        src, (size, mtime) = scan.sources[key], scan.stats[key]
        digest = content_hash(src, HASH_LIMIT) or f"unreadable-{time.time_ns()}"
        have = known.get(key)
        if have is not None and have.hash == digest and not everything:
            plan.touched[key] = FileState(size, mtime, digest, src.shown)
        else:
            plan.files[key] = (FileState(size, mtime, digest, src.shown), [])
            changed.append(key)
    for key, src in scan.sources.items():
        have = known.get(key)
        if have is not None and key not in plan.files and have.shown != src.shown:
            st = plan.touched.get(key) or FileState(have.size, have.mtime_ns, have.hash, src.shown)
            plan.touched[key] = FileState(st.size, st.mtime_ns, st.hash, src.shown)
            plan.meta.extend(_reshown(store, key, have.shown, src.shown))
    from pktui.knowledge.cache import article_key

    old = {a.id: (f, a) for f, arts in store.articles_of(changed + plan.gone).items() for a in arts}
    taken = store.article_ids() - set(old)
    fresh: dict[str, tuple[str, Article]] = {}
    for key in changed:
        arts, problems = read_source(scan.sources[key], taken)
        plan.files[key] = (plan.files[key][0], problems)
        plan.file_ids[key] = {a.id for a in arts}
        for a in arts:
            taken.add(a.id)
            fresh[a.id] = (key, a)
    suspects = store.suspects()
    for aid in old:
        if aid not in fresh:
            plan.removed.append(aid)
    for aid, (key, a) in fresh.items():
        ekey = article_key(a, version)
        prev = old.get(aid)
        if prev is None or prev[1].ekey != ekey or aid in suspects:
            if prev is not None:
                plan.removed.append(aid)
            plan.add[aid] = (key, ekey)
        elif prev[1].meta != codec.article_meta(a) or prev[0] != key:
            plan.meta.append((aid, codec.article_meta(a)))
    # rows found bad, or a new extractor: extracted again from the stored text
    again = [aid for aid in suspects if aid not in fresh and aid not in old]
    if store.meta("extractor") not in (None, version):
        again = sorted(store.article_ids() - set(fresh) - set(old))
    for key, a in store.stored_articles(again):
        plan.removed.append(a.id)
        plan.add[a.id] = (key, article_key(a, version))
        plan.again[a.id] = a
    plan.removed = sorted(set(plan.removed))
    plan.ids = taken
    return plan


def _reshown(store: KnowledgeStore, key: str, old: str, new: str) -> list[tuple[str, str]]:
    """A file named by another path this time: its articles' ``path`` follows."""
    out = []
    for stored in store.articles_of([key])[key]:
        try:
            fields = codec.loads(stored.meta)
        except codec.BadRow:
            continue
        path = fields.get("path")
        if isinstance(path, str) and path.startswith(old):
            fields["path"] = new + path[len(old) :]
            out.append((stored.id, codec.dumps(fields)))
    return out


def run_update(
    store: KnowledgeStore,
    scan: Scan,
    plan: Plan,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Any = None,
    merge: bool = False,
) -> Outcome:
    out = Outcome()
    writer = store.writer()
    staged = writer.staged_keys()
    todo = {aid: fk for aid, fk in plan.add.items() if fk[1] not in staged}
    out.extracted = _extract_and_stage(store, scan, plan, todo, workers, progress, cancel, out.problems)
    segments = Segments(store.folder)
    try:
        with writer.transaction():
            ekeys = [ek for _f, ek in plan.add.values()]
            published = writer.publish(
                plan.removed,
                lambda facts: _staged(writer, ekeys, plan, scan, out.problems, facts),
                progress,
                len(ekeys),
            )
            store.update_meta_rows(plan.meta)
            store.save_files(plan.files, plan.gone)
            store.touch_files(plan.touched)
            store.clear_suspects(list(store.suspects()))
            store.set_meta("extractor", plan.version)
            store.set_meta("extractor.inputs", plan.signature)
            if segments_supported():
                kb = StoredKnowledgeBase.over(store.conn, store.path)
                manifest = Manifest.load(store.meta("search"))
                n_articles = int(store.meta("count.articles") or 0)
                new = segments.update(kb, manifest, published.added, published.removed, n_articles, merge=merge)
                store.set_meta("search", new.dump())
            writer.conn.execute("DELETE FROM stage")
    except BaseException:
        store.release_failed_write()
        raise
    if segments_supported():
        segments.remove_unlisted(Manifest.load(store.meta("search")))
    store.compact()
    out.added, out.removed = (
        len(published.added),
        len(published.removed) - len(set(published.removed) & set(published.added)),
    )
    return out


def _staged(writer, ekeys, plan: Plan, scan: Scan, problems: list[LoadProblem], facts: bool) -> Iterator[Any]:
    """The staged results to publish; one that cannot be trusted is extracted again here (and
    staged again, so that the second reading finds it whole)."""
    from pktui.knowledge.store.writer import Staged

    wanted = {ek: (aid, fk) for aid, (fk, ek) in plan.add.items()}
    for item in writer.read_staged(ekeys, facts):
        if isinstance(item, Staged):
            aid, fk = wanted[item.ekey]
            item.file = fk
            yield item
            continue
        ekey, reason = item
        aid, fk = wanted[ekey]
        article = plan.again.get(aid) or _reread(scan, fk, aid)
        if article is None:
            continue
        problems.append(LoadProblem(article.path, f"staged extraction not trusted ({reason}); extracted again", False))
        _aid, ex, err = _extract_one(article)
        again = Staged(ekey, article, ex, err, fk)
        writer.stage_within([again])
        yield again


def _extract_one(article: Article):
    from pktui.extract import extract_article

    try:
        return article.id, extract_article(article), None
    except Exception as exc:
        return article.id, None, f"extraction failed: {type(exc).__name__}: {one_line(str(exc))[:200]}"


def _reread(scan: Scan, key: str, aid: str) -> Article | None:
    src = scan.sources.get(key)
    if src is None:
        return None
    arts, _problems = read_source(src, set())
    return next((a for a in arts if a.id == aid), None)


def _extract_and_stage(store, scan, plan: Plan, todo, workers, progress, cancel, problems) -> int:
    """Extract ``todo`` (article id -> (file, extraction key)), committing results in batches."""
    if not todo:
        return 0
    from pktui.knowledge.loader import iter_extractions
    from pktui.knowledge.store.writer import Staged

    writer = store.writer()
    total = len(todo)
    articles = _articles_to_extract(scan, plan, todo)
    pending: list[Staged] = []
    done = 0
    last = time.monotonic()
    if progress:
        progress(0, total)
    by_id: dict[str, Article] = {}

    def feed() -> Iterator[Article]:
        for a in articles:
            by_id[a.id] = a
            yield a

    try:
        for aid, ex, err in iter_extractions(feed(), workers=workers, cancel=cancel, problems=problems, expected=total):
            a = by_id.pop(aid)
            fk, ekey = todo[aid]
            pending.append(Staged(ekey, a, ex, err, fk))
            done += 1
            if len(pending) >= STAGE_EVERY_N or time.monotonic() - last > STAGE_EVERY_S:
                writer.stage(pending)
                pending, last = [], time.monotonic()
            if progress:
                progress(done, total)
    finally:  # stopped (the user quit): what is done is kept
        writer.stage(pending)
    return done


def _articles_to_extract(scan: Scan, plan: Plan, todo) -> Iterator[Article]:
    """The articles of ``todo``, read again from their files one file at a time."""
    by_file: dict[str, set[str]] = {}
    for aid, (fk, _ek) in todo.items():
        by_file.setdefault(fk, set()).add(aid)
    for fk, wanted in by_file.items():
        again = [plan.again[aid] for aid in wanted if aid in plan.again]
        yield from again
        wanted = wanted - set(plan.again)
        if not wanted:
            continue
        src = scan.sources.get(fk)
        if src is None:
            continue
        from pktui.knowledge.cache import article_key

        arts, _problems = read_source(src, plan.ids - plan.file_ids.get(fk, set()))
        version = plan.version
        for a in arts:
            if a.id in wanted:
                ekey = article_key(a, version)
                if ekey != todo[a.id][1]:  # the file changed again since it was read
                    todo[a.id] = (fk, ekey)
                    plan.add[a.id] = (fk, ekey)
                yield a
