"""Merge per-article extractions into one knowledge base.

Entities are resolved across articles by type and folded name, so "Hoàng Xuân Chiến" and
"Hoang Xuan Chien" are one person (named with the diacritics); a surname seen alone in one
article joins the one person of the corpus who bears it. Facts get stable global ids, and
event facts make the chronological timeline.
"""

from __future__ import annotations

from collections import defaultdict

from pktui.extract import ArticleExtraction, LocalEntity
from pktui.knowledge.base import KnowledgeBase
from pktui.knowledge.figures import build_series
from pktui.model import Article, Entity, Fact, LoadProblem, Mention, TimelineEntry
from pktui.text import fold, has_diacritics

_PRECISION_ORDER = {"year": 0, "range": 0, "month": 1, "day": 2}


def build_knowledge(
    articles: list[Article],
    extractions: dict[str, ArticleExtraction],
    problems: list[LoadProblem] | None = None,
) -> KnowledgeBase:
    order = sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id))
    resolve = _resolve_entities([extractions[a.id] for a in order if a.id in extractions])
    entities: dict[str, Entity] = {}
    for a in order:
        ex = extractions.get(a.id)
        if ex is None:
            continue
        local = {e.key: e for e in ex.entities}
        for m in ex.mentions:
            gid = resolve[m.entity]
            ent = entities.get(gid)
            le = local.get(m.entity)
            if ent is None:
                ent = entities[gid] = Entity(id=gid, name=le.name if le else m.text, type=gid.split("/", 1)[0])
            ent.mentions.append(Mention(m.article, m.start, m.end, m.text, gid, m.why))
            if le is not None:
                _merge_local(ent, le)
    for ent in entities.values():
        _finish_entity(ent)
    facts, timeline = _facts_and_timeline(order, extractions, resolve)
    ents = sorted(entities.values(), key=lambda e: (e.type, fold(e.name)))
    return KnowledgeBase(
        articles=order,
        entities=ents,
        facts=facts,
        timeline=timeline,
        series=build_series(order, ents, facts),
        problems=list(problems or []),
    )


def _resolve_entities(extractions: list[ArticleExtraction]) -> dict[str, str]:
    """Local key -> global entity id."""
    names: dict[str, list[LocalEntity]] = defaultdict(list)
    for ex in extractions:
        for e in ex.entities:
            names[e.key].append(e)
    mapping = {key: key for key in names}
    # a person known only by one word joins the single person whose last name it is
    full_people: dict[str, set[str]] = defaultdict(set)
    for key, ents in names.items():
        name = ents[0].name
        if key.startswith("person/") and " " in name:
            full_people[fold(name.split()[-1])].add(key)
    for key, ents in names.items():
        name = ents[0].name
        if key.startswith("person/") and " " not in name:
            owners = full_people.get(fold(name), set())
            if len(owners) == 1:
                mapping[key] = next(iter(owners))
    return mapping


def _merge_local(ent: Entity, le: LocalEntity) -> None:
    if le.name != ent.name and _better_name(le.name, ent.name) and fold(le.name) == fold(ent.name):
        ent.name = le.name
    for a in le.aliases:
        if a not in ent.aliases:
            ent.aliases.append(a)
    for k, v in le.attributes.items():
        ent.attributes.setdefault(k, v)


def _better_name(candidate: str, current: str) -> bool:
    return has_diacritics(candidate) and not has_diacritics(current)


def _finish_entity(ent: Entity) -> None:
    """Aliases: every other way the corpus writes the name."""
    seen = {fold(ent.name)}
    aliases = []
    for a in ent.aliases:
        if fold(a) not in seen:
            seen.add(fold(a))
            aliases.append(a)
    for m in ent.mentions:
        if fold(m.text) not in seen:
            seen.add(fold(m.text))
            aliases.append(" ".join(m.text.split()))
    ent.aliases = aliases
    ent.mentions.sort(key=lambda m: (m.article, m.start))


def _facts_and_timeline(order, extractions, resolve):
    facts: list[Fact] = []
    timeline: list[TimelineEntry] = []
    n = 0
    for a in order:
        ex = extractions.get(a.id)
        if ex is None:
            continue
        for g in sorted(ex.facts, key=lambda f: (f.start, f.end, f.kind)):
            # the extraction's own objects become the knowledge base's: no copy
            n += 1
            g.id = f"f-{n:04d}"
            g.article = a.id
            g.sentence = tuple(g.sentence)
            g.entities = list(dict.fromkeys(resolve.get(k, k) for k in g.entities))
            facts.append(g)
            if g.kind == "event" and isinstance(g.value, str):
                timeline.append(
                    TimelineEntry(g.value, g.precision or "day", g.id, g.summary or g.text, g.entities, a.id)
                )
    return facts, sort_timeline(timeline)


def sort_timeline(timeline: list[TimelineEntry]) -> list[TimelineEntry]:
    """In date order; at one date, a year before its months and days."""
    timeline.sort(key=lambda t: (t.date_key, _PRECISION_ORDER.get(t.precision, 0), t.article, t.fact))
    return timeline
