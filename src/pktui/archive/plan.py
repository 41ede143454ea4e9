"""What an update must do, worked out from the scan and the index (nothing written here).

Only new and changed files are read, yet the result is the corpus a full read would give:

- **duplicates**: the same article twice (same canonical URL, or same text after folding
  white space) is kept once, the copy first in reading order (files in walk order, records in
  file order). A new article earlier than a stored copy replaces it; the copies left out are
  remembered (``duplicate`` rows), so that when the copy kept goes, their files are read again;
- **ids**: decided as :func:`pktui.corpus.ids.assign_ids` decides them for a whole corpus:
  only articles sharing a base id with a new or removed one can change, so only those are
  looked at; a stored article whose id changes is extracted again under its new id;
- **what changed**: by id and extraction key (the extractor's version, the article's id, date,
  title and a digest of its text); an article whose other fields moved (URL, path) is updated
  in place. Articles whose rows were found bad, and all of them after a new extractor, are
  extracted again from their stored text.

Texts are not held: each new article is kept as a small record (:class:`NewArticle`) and read
again from its file when its turn to be extracted comes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from pktui.archive.scan import Scan, content_hash, settled
from pktui.knowledge.store import FileState, Identity, KnowledgeStore, as_text, codec
from pktui.knowledge.version import current_version
from pktui.model import Article, LoadProblem

HASH_LIMIT = 4 << 30  # files are hashed up to this size (a records file may be large)


@dataclass(slots=True)
class NewArticle:
    id: str
    file: str
    ekey: str
    who: Identity
    digest: str  # of its text: the file read again must give the same article


@dataclass
class Plan:
    #: file key -> its new state and the problems met reading it
    files: dict[str, tuple[FileState, list[LoadProblem]]] = field(default_factory=dict)
    #: files whose content is unchanged though their size, time or shown path moved
    touched: dict[str, FileState] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    add: dict[str, NewArticle] = field(default_factory=dict)
    #: (article id, its stored fields, file, place) of articles whose fields or place moved
    #: but not what extraction reads
    meta: list[tuple[str, str, str, int]] = field(default_factory=list)
    #: articles to extract again from their stored text (bad rows, a new id, a new extractor)
    again: dict[str, Article] = field(default_factory=dict)
    #: copies left out: file key -> rows for the ``duplicate`` table; and stored articles that
    #: became copies of a new one
    duplicates: dict[str, list[tuple]] = field(default_factory=dict)
    version: str = ""  # of the extractor
    signature: str = ""  # of its inputs (pktui.knowledge.version)

    @property
    def empty(self) -> bool:
        return not (self.files or self.touched or self.gone or self.removed or self.add or self.meta)

    def remembers(self, store: KnowledgeStore) -> bool:
        """The index knows this extractor (no need to write its version)."""
        return store.meta("extractor") == self.version and store.meta("extractor.inputs") == self.signature


def extraction_key(version: str, a: Article, digest: str) -> str:
    """What extraction reads of an article: the extractor, the article's id, date, title
    ("Published: ..." events) and text (by its digest)."""
    h = hashlib.sha256()
    for part in (version, a.id, a.published_iso or "", a.title, digest):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def identity_of(draft: Any, place: int) -> Identity:
    from pktui.corpus import canonical_url

    url = canonical_url(draft.url)
    url_key = hashlib.sha1(url.encode("utf-8", "surrogatepass")).hexdigest() if url else None
    folded = " ".join(draft.text.split()).encode("utf-8", "surrogatepass")
    return Identity(draft.base_id, draft.identity, url_key, hashlib.sha1(folded).hexdigest(), place)


@dataclass
class _Read:
    """A new draft, reduced to what planning needs."""

    file: str
    who: Identity
    article: Article  # with a provisional id and no text
    digest: str
    date_missing: bool


def quiet_plan(store: KnowledgeStore) -> Plan:
    """Nothing in the folder moved (:attr:`Scan.quiet`): only the extractor may be new, and
    then every article is extracted again from its stored text."""
    version, signature = current_version(store.meta("extractor"), store.meta("extractor.inputs"))
    plan = Plan(version=version, signature=signature)
    if store.meta("extractor") not in (None, version):
        _extract_again(store, plan, {aid: aid for aid in store.article_ids()})
        plan.removed = sorted(set(plan.removed))
    return plan


def plan_update(store: KnowledgeStore, scan: Scan, options: Any = None, *, everything: bool = False) -> Plan:
    known = scan.known
    version, signature = current_version(store.meta("extractor"), store.meta("extractor.inputs"))
    plan = Plan(gone=list(scan.gone), version=version, signature=signature)
    changed = _changed_files(scan, known, plan, everything)
    _follow_shown_paths(store, scan, known, plan)
    changed = _with_copies_to_read_again(store, scan, known, plan, changed)
    reads = _read(scan, changed, plan, options)
    old = {a.id: a for f, arts in store.articles_of(changed + plan.gone).items() for a in arts}
    kept = _drop_copies(store, scan, reads, set(changed) | set(plan.gone), plan, old)
    ids, renamed = _assign_ids(store, kept, old, plan)
    _diff(store, kept, ids, old, renamed, plan)
    _undated_notes(scan, kept, plan)
    plan.removed = sorted(set(plan.removed))
    return plan


def _changed_files(scan: Scan, known: dict[str, FileState], plan: Plan, everything: bool) -> list[str]:
    changed = []
    for key in list(scan.sources) if everything else scan.suspect:
        src, (size, mtime) = scan.sources[key], scan.stats[key]
        digest = content_hash(src, HASH_LIMIT) or f"unreadable-{time.time_ns()}"
        have = known.get(key)
        mtime = settled(mtime)  # one that just changed is looked at again next time
        if have is not None and have.hash == digest and not everything:
            plan.touched[key] = FileState(size, mtime, digest, src.shown)
        else:
            plan.files[key] = (FileState(size, mtime, digest, src.shown), [])
            changed.append(key)
    return changed


def _follow_shown_paths(store: KnowledgeStore, scan: Scan, known: dict[str, FileState], plan: Plan) -> None:
    """A file named by another path this time (another working folder): its articles'
    ``path`` follows, nothing is extracted."""
    if scan.same_names:
        return
    for key, src in scan.sources.items():
        have = known.get(key)
        if have is None or key in plan.files or have.shown == as_text(src.shown):
            continue
        st = plan.touched.get(key) or have
        plan.touched[key] = FileState(st.size, st.mtime_ns, st.hash, src.shown)
        for stored in store.articles_of([key])[key]:
            try:
                fields = codec.loads(stored.meta)
            except codec.BadRow:
                continue
            path = fields.get("path")
            if isinstance(path, str) and path.startswith(have.shown):
                fields["path"] = src.shown + path[len(have.shown) :]
                plan.meta.append((stored.id, codec.dumps(fields), stored.file, stored.place))


def _with_copies_to_read_again(
    store: KnowledgeStore, scan: Scan, known: dict[str, FileState], plan: Plan, changed: list[str]
) -> list[str]:
    """Files holding copies left out of an article that may go are read again too."""
    todo = list(changed)
    done = set(changed) | set(plan.gone)
    frontier = list(done)
    while frontier:
        keys = store.article_keys_of(frontier)
        frontier = [f for f in store.files_with_copies(keys) if f not in done and f in scan.sources]
        for f in frontier:
            done.add(f)
            todo.append(f)
            have = known[f] if f in known else FileState(*scan.stats[f], "", scan.sources[f].shown)
            plan.files[f] = (FileState(*scan.stats[f], have.hash, scan.sources[f].shown), [])
            plan.touched.pop(f, None)
    return todo


def _read(scan: Scan, changed: list[str], plan: Plan, options: Any) -> list[_Read]:
    """The drafts of the files to read, in reading order (their texts let go)."""
    from pktui.archive.scan import read_drafts

    order = {k: i for i, k in enumerate(scan.sources)}
    out = []
    for key in sorted(changed, key=lambda k: order.get(k, -1)):
        drafts, problems = read_drafts(scan.sources[key], options)
        plan.files[key] = (plan.files[key][0], problems)
        for place, d in enumerate(drafts):
            a = d.article(d.base_id)
            digest = text_digest(a.text)
            out.append(_Read(key, identity_of(d, place), _without_text(a), digest, d.date_missing))
    return out


def _without_text(a: Article) -> Article:
    import dataclasses

    return dataclasses.replace(a, text="")


def _drop_copies(store, scan: Scan, reads: list[_Read], reread: set[str], plan: Plan, old: dict) -> list[_Read]:
    """Keep the first copy of each article in reading order (see the module doc)."""
    order = {k: i for i, k in enumerate(scan.sources)}
    urls = {r.who.url_key for r in reads if r.who.url_key}
    texts = {r.who.text_key for r in reads}
    rivals = [s for s in store.articles_with_keys(urls, texts) if s.file not in reread]
    items: list[tuple[tuple[int, int], Any]] = [((order.get(r.file, -1), r.who.place), r) for r in reads]
    items += [((order.get(s.file, -1), s.place), s) for s in rivals]
    items.sort(key=lambda it: it[0])
    by_url: dict[str, Any] = {}
    by_text: dict[str, Any] = {}
    kept = []
    for _order, item in items:
        url, text = _keys(item)
        earlier = (by_url.get(url) if url else None) or by_text.get(text)
        if earlier is not None:
            _left_out(item, earlier, plan, old)
            continue
        if url:
            by_url[url] = item
        by_text[text] = item
        if isinstance(item, _Read):
            kept.append(item)
    return kept


def _keys(item: Any) -> tuple[str | None, str]:
    if isinstance(item, _Read):
        return item.who.url_key, item.who.text_key
    return item.url_key, item.text_key


def _path(item: Any) -> str:
    return item.article.path if isinstance(item, _Read) else item.path


def _left_out(item: Any, earlier: Any, plan: Plan, old: dict) -> None:
    url, text = _keys(item)
    if isinstance(item, _Read):
        row = (item.file, item.who.place, url, text, _path(item), _path(earlier))
        plan.duplicates.setdefault(item.file, []).append(row)
        return
    # a stored article is now a copy of a new one before it: it goes
    plan.removed.append(item.id)
    plan.duplicates.setdefault(item.file, []).append((item.file, item.place, url, text, item.path, _path(earlier)))


def _assign_ids(store, kept: list[_Read], old: dict, plan: Plan) -> tuple[list[str], dict[str, str]]:
    """Ids of the kept new drafts, and stored articles whose id changes (old id -> new)."""
    from pktui.corpus.ids import assign_ids

    bases = {r.who.base_id for r in kept} | {a.base_id for a in old.values()}
    bases |= {s.base_id for s in store.articles_by_id(plan.removed)}
    stored = [s for s in store.articles_with_bases(bases) if s.id not in old and s.id not in plan.removed]
    group_bases = [r.who.base_id for r in kept] + [s.base_id for s in stored]
    group_ids = [r.who.identity for r in kept] + [s.identity for s in stored]
    ids = assign_ids(group_bases, group_ids)
    renamed = {s.id: new for s, new in zip(stored, ids[len(kept) :]) if new != s.id}
    return ids[: len(kept)], renamed


def _diff(store, kept: list[_Read], ids: list[str], old: dict, renamed: dict[str, str], plan: Plan) -> None:
    fresh = {}
    for r, aid in zip(kept, ids):
        a = dataclasses.replace(r.article, id=aid)
        fresh[aid] = (r, a)
    suspects = store.suspects()
    for aid in old:
        if aid not in fresh:
            plan.removed.append(aid)
    for aid, (r, a) in fresh.items():
        ekey = extraction_key(plan.version, a, r.digest)
        prev = old.get(aid)
        if prev is None or prev.ekey != ekey or aid in suspects:
            if prev is not None:
                plan.removed.append(aid)
            plan.add[aid] = NewArticle(aid, r.file, ekey, r.who, r.digest)
        elif prev.meta != codec.article_meta(a) or prev.file != r.file or prev.place != r.who.place:
            plan.meta.append((aid, codec.article_meta(a), r.file, r.who.place))
    # rows found bad, a new id, or a new extractor: extracted again from the stored text
    again = {aid: aid for aid in suspects if aid not in fresh and aid not in old}
    again.update(renamed)
    if store.meta("extractor") not in (None, plan.version):
        again.update({aid: aid for aid in store.article_ids() - set(fresh) - set(old) - set(plan.removed)})
    _extract_again(store, plan, again)


def _extract_again(store: KnowledgeStore, plan: Plan, again: dict[str, str]) -> None:
    """Stored articles (id -> the id they take) to extract again from their stored text."""
    for file, a, who in store.stored_articles(list(again)):
        new_id = again[a.id]
        moved = dataclasses.replace(a, id=new_id)
        plan.removed.append(a.id)
        digest = text_digest(a.text)
        plan.add[new_id] = NewArticle(new_id, file, extraction_key(plan.version, moved, digest), who, digest)
        plan.again[new_id] = moved


def _undated_notes(scan: Scan, kept: list[_Read], plan: Plan) -> None:
    """A records file or feed with articles that give no date: said once for the file."""
    undated: dict[str, list[str]] = {}
    for r in kept:
        if r.date_missing:
            undated.setdefault(r.file, []).append(r.article.path)
    for key, paths in undated.items():
        _state, problems = plan.files[key]
        note = f"{len(paths)} article(s) in it without a date (first: {paths[0]}); dates unknown"
        problems.append(LoadProblem(scan.sources[key].shown, note, skipped=False))
