"""Writing search segments: the facts, passages and entities of a knowledge base, on disk.

``write_segment(kb, folder, article_ids)`` indexes the facts and passages of those
articles (all when None) and writes them, with a fresh entity part (every entity of
``kb``), as one segment folder (:mod:`pktui.search.segment`: atomic, versioned).
``merge_segments`` folds several segments into one. ``build_segment`` does the same
in memory (``SearchIndex.build``). The index (:mod:`pktui.search.index`) reads what is
written here and never imports this module back.

A segment holds, per document (facts and passages, numbered newest article first):

* its kind, article, date span, place in its unit, and what it is (a fact's id, a
  passage's span), as columns;
* postings of every token: ``any`` (anywhere: the fact's sentence, a passage, the names
  of the entities they mention) and ``about`` (the fact's own words and fields and the
  names of its entities); and the same of the documents' own words for the words of
  entity names (``any_own``, ``about_own``), which keep the segment right when those
  names change later (see :mod:`pktui.search.reader`);
* per entity it names or mentions: its documents (``rel_about``: the facts naming it;
  ``rel_any``: the sentences and passages mentioning it), its articles, and the words
  of its names when written; per entity type, the documents of its entities;
* its vocabulary (:mod:`pktui.search.vocabulary`) and its articles (ids, days), in order.

How the documents are built fast: :mod:`pktui.search.build_facts`; the entity part:
:mod:`pktui.search.build_entities`.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from pktui.knowledge.source import FactSource
from pktui.model import Article, Entity
from pktui.search import segment
from pktui.search.arrays import csr, offsets, pairs
from pktui.search.batch import SegmentArticle
from pktui.search.build_entities import entity_arrays, name_forms
from pktui.search.build_facts import FactBuilder
from pktui.search.docs import PASSAGE_KIND, names_hash
from pktui.search.malloc import keep_large_blocks, release_free_memory
from pktui.search.segment import SegmentData, strings
from pktui.search.spelling import default_stopwords
from pktui.search.tokenizer import LocalTokenizer, Tokenizer, WorkerTokenizer
from pktui.search.vocabulary import vocab_arrays

WORKER_MIN_ARTICLES = 1500  # a segment of this many articles is tokenized in a helper process
_POSTINGS = ("any", "about", "any_own", "about_own")

Progress = Callable[[int, int], None]


def write_segment(
    kb: FactSource,
    folder: str | os.PathLike[str],
    article_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
    entity_ids: Iterable[str] | None = None,
) -> Path:
    """Index the facts and passages of ``article_ids`` (every article when None) and the
    entities of ``kb``, and write them as the segment folder ``folder`` (atomically:
    see :mod:`pktui.search.segment`).

    The entity part holds every entity of ``kb`` when ``article_ids`` is None or a large
    share of the articles; else those the articles name or mention, and those of
    ``entity_ids`` (whose names changed otherwise: a correction, say): an update costs the
    entities it touched. The index takes each entity from the last segment that wrote it,
    and reads again those of articles deleted or written again since (see
    :mod:`pktui.search.entity_parts`); after deletions alone, nothing need be written."""
    return segment.write(build_segment(kb, article_ids, progress, entity_ids=entity_ids), folder)


def merge_segments(
    kb: FactSource,
    folders: list[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    deleted_articles: Iterable[str] = frozenset(),
    progress: Progress | None = None,
) -> Path:
    """Fold the segments ``folders`` (oldest first) into one new segment ``out``: the
    articles they hold that are live (not deleted, not in a later folder: the last copy
    wins) are indexed again from ``kb``, as one segment written from scratch would be."""
    live: list[str] = []
    seen = set(deleted_articles)
    for folder in reversed(folders):
        data = segment.read(folder)
        for raw in np.asarray(data["art_ids"]).tolist():
            aid = raw.decode("utf-8")
            if aid not in seen:
                seen.add(aid)
                live.append(aid)
    return write_segment(kb, out, live, progress)


def build_segment(
    kb: FactSource,
    article_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
    *,
    helper: bool | None = None,
    entity_ids: Iterable[str] | None = None,
) -> SegmentData:
    """The segment of ``article_ids`` (all when None) in memory. ``helper``: tokenize in a
    helper process (default: for many articles); if it fails, the build runs here."""
    keep_large_blocks()
    gc_was_on = gc.isenabled()
    gc.disable()  # millions of small objects, no cycles: collections would only cost time
    try:
        stopwords = default_stopwords()
        articles = _articles(kb, article_ids)
        ents, every = _entities(kb, articles, article_ids, entity_ids)
        ids, forms, types = [str(e.id) for e in ents], [name_forms(e) for e in ents], [str(e.type or "") for e in ents]
        expect = len(kb.facts) * len(articles) // max(1, len(kb.articles))
        if helper is None:
            helper = len(articles) >= WORKER_MIN_ARTICLES
        data = None
        helper_mb = with_helper_mb = 0.0
        if helper:
            worker: WorkerTokenizer | None
            try:
                worker = WorkerTokenizer(stopwords)
            except (OSError, ValueError):  # no helper process here
                worker = None
            if worker is not None:
                try:
                    data = _facts(kb, articles, ids, forms, types, worker, expect, progress, article_ids is None)
                except (OSError, EOFError, ValueError):  # the helper died (or spoke garbage)
                    data = None
                finally:
                    worker.close()
                    helper_mb = worker.peak_mb
                    with_helper_mb = worker.parent_peak_mb + worker.peak_mb
        if data is None:
            local = LocalTokenizer(stopwords)
            data = _facts(kb, articles, ids, forms, types, local, expect, progress, article_ids is None)
        ent, ent_meta = entity_arrays(ents, stopwords)
        data.arrays.update(ent)
        data.meta.update(ent_meta, entities_complete=every)
        data.helper_peak_mb = helper_mb
        data.peak_with_helper_mb = with_helper_mb
    finally:
        if gc_was_on:
            gc.enable()
    release_free_memory()
    return data


def _day(article: Article) -> int:
    pub = article.published
    return pub.toordinal() if pub else 0


def _order(articles: list[SegmentArticle]) -> list[SegmentArticle]:
    """Newest first: dated by day, then undated, then missing; ties by id."""
    return sorted(articles, key=lambda a: (a.group, -a.day, a.id))


def _articles(kb: FactSource, article_ids: Iterable[str] | None) -> list[SegmentArticle]:
    if article_ids is None:
        return _order([SegmentArticle(a.id, _day(a)) for a in kb.articles])
    out: list[SegmentArticle] = []
    for aid in dict.fromkeys(article_ids):
        a = kb.article(aid)
        if a is not None:
            out.append(SegmentArticle(aid, _day(a)))
        elif kb.facts_in(aid):
            out.append(SegmentArticle(aid, 0, missing=True))
    return _order(out)


def _entities(
    kb: FactSource,
    articles: list[SegmentArticle],
    article_ids: Iterable[str] | None,
    entity_ids: Iterable[str] | None,
) -> tuple[list[Entity], bool]:
    """The entities of the segment's entity part, sorted by id: all of ``kb``'s (True) for
    all articles or a large share of them; else those they name or mention and
    ``entity_ids`` (False)."""
    if article_ids is None or len(articles) > len(kb.articles) // 4:
        ents, every = list(kb.entities), True
    else:
        wanted: set[str] = set(entity_ids or ())
        for a in articles:
            wanted.update(m.entity for m in kb.mentions_in(a.id))
            for f in kb.facts_in(a.id):
                wanted.update(f.entities)
        ents, every = [e for e in map(kb.entity, sorted(wanted)) if e is not None], False
    return [e for _, e in sorted({str(e.id): e for e in ents}.items())], every


def _facts(
    kb: FactSource,
    articles: list[SegmentArticle],
    ids: list[str],
    forms: list[list[str]],
    types: list[str],
    tokenizer: Tokenizer,
    expect: int,
    progress: Progress | None,
    everything: bool,
) -> SegmentData:
    b = FactBuilder(kb, articles, ids, forms, tokenizer, expect)

    def missing() -> list[SegmentArticle]:
        """Facts of no article of ``kb`` (a stale cache, say): indexed last, under their
        article's id, with no text."""
        if not everything or b.facts_seen >= len(kb.facts):
            return []
        have = {a.id for a in b.articles}
        return [SegmentArticle(aid, 0, missing=True) for aid in sorted({f.article for f in kb.facts} - have)]

    b.run(progress, missing)
    return _finish(b, types)


def _finish(b: FactBuilder, types: list[str]) -> SegmentData:
    """The arrays of the segment the builder ``b`` made."""
    words = b.words
    order = np.array(sorted(range(1, len(words)), key=words.__getitem__), np.int64)
    new_id = np.full(len(words), -1, np.int64)
    new_id[order] = np.arange(len(order))
    arrays: dict[str, np.ndarray] = {}
    df = np.zeros(0, np.uint32)  # (set from "any", the first postings)
    for name, post in zip(_POSTINGS, (b.any_post, b.about_post, b.any_own, b.about_own)):
        got = post.finish(b.d, order)
        if name == "any":
            df = got["df"]
        for k in ("off", "docs", "row", "bits"):
            arrays[f"{name}.{k}"] = got[k]
        release_free_memory()
    arrays.update(vocab_arrays([words[t] for t in order.tolist()], df))
    for k, parts in b.cols.items():
        dtype = {"kind": np.uint8, "unit": np.uint8}.get(k, np.int32)
        arrays[f"doc_{k}"] = np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)
    arrays["fact_ids"] = _joined_strings(b.fact_ids)
    arrays["passages"] = np.concatenate(b.passages) if b.passages else np.zeros((0, 2), np.int64)
    arts = b.articles
    arrays["art_ids"] = strings([a.id for a in arts])
    arrays["art_id_order"] = np.argsort(arrays["art_ids"], kind="stable").astype(np.int32)
    arrays["art_day"] = np.array([a.day for a in arts], np.int32)
    arrays["art_group"] = np.array([a.group for a in arts], np.uint8)
    arrays["art_first"] = offsets(np.bincount(arrays["doc_art"], minlength=len(arts)).astype(np.int64))
    n_ent = len(b.ent_ids)
    arrays["ent_ids"] = strings(b.ent_ids)
    toks = [np.sort(new_id[list(t)]) if t else np.zeros(0, np.int64) for t in b.ent_toks]
    arrays["ent_names.off"] = offsets(np.array([len(t) for t in toks], np.int64))
    arrays["ent_names.tok"] = (np.concatenate(toks) if toks else np.zeros(0)).astype(np.int32)
    arrays["ent_hash"] = np.array([names_hash(words[t] for t in ts) for ts in b.ent_toks], np.uint64)
    for name, parts in (("rel_about", b.rel_about), ("rel_any", b.rel_any), ("ent_arts", b.ent_arts)):
        off, docs = csr(parts, n_ent)
        arrays[f"{name}.off"], arrays[f"{name}.docs"] = off, docs
    arrays.update(_type_docs(b, arrays, types))
    meta = {
        "docs": b.d,
        "articles": len(arts),
        "facts": b.n_facts,
        "passages": b.n_passages,
        "kinds": b.kind_names,
        "types": sorted(set(types)),
    }
    return SegmentData(arrays, meta)


def _joined_strings(parts: list[np.ndarray]) -> np.ndarray:
    """Byte-string arrays one after the other, as wide as the widest."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return np.zeros(0, "S1")
    width = max(p.dtype.itemsize for p in parts)
    return np.concatenate([p.astype(f"S{width}") for p in parts])


def _type_docs(b: FactBuilder, arrays: dict[str, np.ndarray], types: list[str]) -> dict[str, np.ndarray]:
    """Per entity type, the documents of its entities: the facts naming one and the
    passages mentioning one."""
    names = sorted(set(types))
    code = np.array([names.index(t) for t in types], np.int64)
    kinds = arrays["doc_kind"]
    passage = b.kind_code.get(PASSAGE_KIND, -1)
    parts = []
    for name in ("rel_about", "rel_any"):
        off, docs = arrays[f"{name}.off"], arrays[f"{name}.docs"].astype(np.int64)
        ents = np.repeat(np.arange(len(off) - 1), np.diff(off))
        if name == "rel_any":
            keep = kinds[docs] == passage
            ents, docs = ents[keep], docs[keep]
        parts.append(pairs(code[ents], docs))
    off, docs = csr(parts, len(names))
    return {"type_docs.off": off, "type_docs.docs": docs}
