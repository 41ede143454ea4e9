"""Merge per-article extractions into one knowledge base, in memory.

Entities are resolved across articles as :mod:`pktui.knowledge.entities` defines it (by key,
"Hoàng Xuân Chiến" and "Hoang Xuan Chien" are one person, named with the diacritics; a
surname seen alone joins the one person of the corpus who bears it). Facts get stable ids
(:mod:`pktui.knowledge.ids`), and event facts make the chronological timeline. The on-disk
store (:mod:`pktui.knowledge.store`) computes the same things one article at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from pktui.extract import ArticleExtraction
from pktui.knowledge import entities as ents
from pktui.knowledge.base import KnowledgeBase
from pktui.knowledge.figures import build_series
from pktui.knowledge.ids import fact_ids
from pktui.knowledge.timeline import sort_timeline
from pktui.model import Article, Entity, Fact, LoadProblem, TimelineEntry

#: (recency of the article, attributes) of a contribution to an entity
DatedAttributes = tuple[tuple[bool, str, str], Mapping[str, str]]


def article_order(a: Article) -> tuple[bool, str, str]:
    """Articles in date order, those without a date last."""
    return (a.published is None, a.published_iso or "", a.id)


def build_knowledge(
    articles: list[Article],
    extractions: dict[str, ArticleExtraction],
    problems: list[LoadProblem] | None = None,
) -> KnowledgeBase:
    order = sorted(articles, key=article_order)
    done = [(a, extractions[a.id]) for a in order if a.id in extractions]
    key_variants: dict[str, ents.Variants] = defaultdict(ents.Variants)
    key_attributes: dict[str, list[DatedAttributes]] = defaultdict(list)
    for a, ex in done:
        when = ents.recency(a.published_iso, a.id)
        for c in ents.contributions(ex):
            key_variants[c.key].add(c.variants())
            if c.local.attributes:
                key_attributes[c.key].append((when, c.local.attributes))
    names = {k: ents.key_name(v, k) for k, v in key_variants.items()}
    remap = ents.resolve_people({k: n for k, n in names.items() if ents.is_person(k)})
    entity_of = {k: remap.get(k, k) for k in key_variants}
    entities = _entities(key_variants, key_attributes, entity_of)
    for a, ex in done:
        for m in sorted(ex.mentions, key=lambda m: (m.start, m.end, m.entity)):
            m.entity = entity_of.get(m.entity, m.entity)
            m.article = a.id
            entities[m.entity].mentions.append(m)
    facts, timeline = _facts_and_timeline(done, lambda k: entity_of.get(k, k), entities)
    ordered = sorted(entities.values(), key=entity_order)
    return KnowledgeBase(
        articles=order,
        entities=ordered,
        facts=facts,
        timeline=timeline,
        series=build_series(order, ordered, facts),
        problems=list(problems or []),
    )


def entity_order(e: Entity) -> tuple[str, str, str]:
    from pktui.text import fold

    return (e.type, fold(e.name), e.id)


def _entities(
    key_variants: dict[str, ents.Variants],
    key_attributes: dict[str, list[DatedAttributes]],
    entity_of: dict[str, str],
) -> dict[str, Entity]:
    members: dict[str, list[str]] = defaultdict(list)
    for key, gid in entity_of.items():
        members[gid].append(key)
    out = {}
    for gid, keys in members.items():
        merged = ents.Variants()
        for k in keys:
            merged.add(key_variants[k].counts)
        name = ents.entity_name(key_variants.get(gid), merged, gid)
        attributes = ents.latest_attributes(item for k in keys for item in key_attributes.get(k, ()))
        out[gid] = Entity(gid, name, gid.split("/", 1)[0], ents.entity_aliases(merged, name), [], attributes)
    return out


def resolved_entities(keys: Iterable[str], entity_of: Callable[[str], str], exists: Callable[[str], bool]) -> list[str]:
    """A fact's local entity keys -> the ids of entities that exist, in order, each once."""
    return [e for e in dict.fromkeys(entity_of(k) for k in keys) if exists(e)]


def sorted_facts(ex: ArticleExtraction, article: Article) -> list[Fact]:
    """One article's facts in text order, with their stable ids."""
    facts = sorted(ex.facts, key=lambda f: (f.start, f.end, f.kind))
    for f, fid in zip(facts, fact_ids(article.id, article.text, [(f.start, f.end, f.kind) for f in facts])):
        f.id = fid
        f.article = article.id
        s, e = f.sentence  # (a list, read back from a cache)
        f.sentence = (s, e)
    return facts


def timeline_entry(f: Fact) -> TimelineEntry | None:
    if f.kind == "event" and isinstance(f.value, str):
        return TimelineEntry(f.value, f.precision or "day", f.id, f.summary or f.text, list(f.entities), f.article)
    return None


def _facts_and_timeline(
    done: list[tuple[Article, ArticleExtraction]], entity_of: Callable[[str], str], entities: dict[str, Entity]
) -> tuple[list[Fact], list[TimelineEntry]]:
    facts: list[Fact] = []
    timeline: list[TimelineEntry] = []
    for a, ex in done:
        for f in sorted_facts(ex, a):
            # the extraction's own objects become the knowledge base's: no copy
            f.entities = resolved_entities(f.entities, entity_of, entities.__contains__)
            facts.append(f)
            entry = timeline_entry(f)
            if entry is not None:
                timeline.append(entry)
    return facts, sort_timeline(timeline)
