"""Synthetic peacekeeping news, for benchmarks and tests.

* :func:`write_corpus` writes N contract-format article files (``date YYYY-MM-DD`` header,
  paragraphs separated by blank lines) to a folder, to be loaded like any corpus.
* :func:`synthetic_kb` builds a :class:`KnowledgeBase` of model objects directly -- the
  same articles with their entities, mentions and facts at exact offsets -- so that the
  search index can be measured at a million facts without running extraction.

The words come from :mod:`pktui.bench.pools`, the articles from :mod:`pktui.bench.world`;
hand-written knowledge bases for tests are :class:`pktui.bench.kbbuilder.KBBuilder`.
Everything is deterministic for a given seed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pktui.bench.kbbuilder import paragraph_spans
from pktui.bench.world import article_id, generate_articles
from pktui.knowledge.base import KnowledgeBase
from pktui.model import Article, Entity, Fact, Mention


def write_corpus(folder: str | Path, n_articles: int, seed: int = 7) -> list[Path]:
    """Write ``n_articles`` contract-format article files into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, pub, doc, _ in generate_articles(n_articles, seed):
        p = folder / f"{article_id(i, pub, doc)}.txt"
        p.write_text(f"date {pub.isoformat()} {doc.text}\n", encoding="utf-8")
        out.append(p)
    return out


def synthetic_kb(n_facts: int, seed: int = 7) -> KnowledgeBase:
    """A knowledge base of about ``n_facts`` facts built directly (no extraction)."""
    per_article = 15
    n_articles = max(1, -(-n_facts // per_article))
    intern = sys.intern
    shared: dict[int, int] = {}
    num = shared.setdefault  # one int object per value: offsets repeat from article to article
    # Equal values are one object: a million facts at a few hundred bytes each is most of
    # this knowledge base's memory, and most of their texts, values, summaries, sentence
    # spans and entity lists repeat (nothing mutates them).
    same: dict = {}
    one = same.setdefault
    ent_lists: dict[tuple[str, ...], list[str]] = {}
    articles: list[Article] = []
    facts: list[Fact] = []
    mentions: dict[str, list[Mention]] = {}
    world = None
    fid = 0
    for i, pub, doc, world in generate_articles(n_articles, seed):  # noqa: B007 - the last world is used below
        text = doc.text
        aid = intern(article_id(i, pub, doc))
        title = text[: text.find(" - ")] if " - " in text[:80] else text[:60]
        paragraphs = tuple(one(p, (num(p[0], p[0]), num(p[1], p[1]))) for p in paragraph_spans(text))
        articles.append(Article(aid, f"{aid}.txt", text, pub, title, paragraphs))
        for s, e, surface, ent in doc.mentions:
            mentions.setdefault(ent.id, []).append(Mention(aid, num(s, s), num(e, e), intern(surface), ent.id))
        for kind, s, e, info, sent in doc.facts:
            if len(facts) >= n_facts:
                break
            fid += 1
            sent = one(sent, (num(sent[0], sent[0]), num(sent[1], sent[1])))
            value = info.get("value")
            if value.__class__ is int:
                value = num(value, value)
            elif value.__class__ is str:
                value = one(value, value)
            summary = info.get("summary")
            if summary is not None:
                summary = one(summary, summary)
            span = text[s:e]
            ents = tuple(info.get("entities", ()))
            facts.append(
                Fact(
                    f"f-{fid:07d}",
                    kind,
                    aid,
                    num(s, s),
                    num(e, e),
                    one(span, span),
                    sent,
                    value=value,
                    qualifier=info.get("qualifier"),
                    unit=info.get("unit"),
                    precision=info.get("precision"),
                    entities=ent_lists.get(ents) or ent_lists.setdefault(ents, list(ents)),
                    summary=summary,
                    detail=info.get("detail"),
                )
            )
    del same, one
    entities = []
    if world is not None:
        for ent in world.ents.values():
            ms = mentions.get(ent.id)
            if ms:
                entities.append(Entity(ent.id, ent.name, ent.type, list(ent.aliases), ms))
    return KnowledgeBase(articles=articles, entities=entities, facts=facts)
