"""Entities across articles, defined so that they can be kept up to date one article at a time.

Each article names its entities by local keys (``type/slug``). What the corpus knows of a key
is a few counts: how often each way of writing it served as the article's name for it, as one
of its aliases, or as a mention's text (:class:`Variants`). Everything about an entity follows
from those counts (and, for attributes, from the latest article that gives one), never from
the order in which articles were read:

- **resolution**: a person known by one word only joins the single person of the corpus whose
  last name it is; every other key is its own entity;
- **name**: among the entity's own key's names, one with diacritics, then the most used, then
  the first in code-point order ("Hoàng Xuân Chiến" over "Hoang Xuan Chien");
- **aliases**: every other way the corpus writes it (folded forms counted once, each shown as
  its most used writing), most used first;
- **attributes**: for each attribute, the value from the most recent dated article that gives
  it (an article without a date counts as the oldest).

The in-memory build and the on-disk store both use these functions, so an index updated
article by article equals one built at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pktui.extract import ArticleExtraction, LocalEntity
from pktui.text import fold, has_diacritics


def normal_text(text: str) -> str:
    return " ".join(text.split())


@dataclass(slots=True)
class Contribution:
    """What one article says about one local key."""

    key: str
    local: LocalEntity
    first: int  # offset of its first mention
    mention_texts: Counter[str] = field(default_factory=Counter)

    def variants(self) -> dict[str, list[int]]:
        """text -> [as name, as alias, as mention text] for this article."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        out[normal_text(self.local.name)][0] += 1
        for a in self.local.aliases:
            out[normal_text(a)][1] += 1
        for text, n in self.mention_texts.items():
            out[text][2] += n
        return dict(out)


def contributions(ex: ArticleExtraction) -> list[Contribution]:
    """The article's keys that it mentions, in order of first mention."""
    local = {e.key: e for e in ex.entities}
    found: dict[str, Contribution] = {}
    for m in sorted(ex.mentions, key=lambda m: (m.start, m.end, m.entity)):
        c = found.get(m.entity)
        if c is None:
            le = local.get(m.entity) or LocalEntity(m.entity, normal_text(m.text), m.entity.split("/", 1)[0])
            c = found[m.entity] = Contribution(m.entity, le, m.start)
        c.mention_texts[normal_text(m.text)] += 1
    return list(found.values())


class Variants:
    """Counts of the ways one key (or one entity) is written: text -> [names, aliases, mentions]."""

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}

    def add(self, variants: Mapping[str, Iterable[int]], sign: int = 1) -> None:
        for text, ns in variants.items():
            have = self.counts.setdefault(text, [0, 0, 0])
            for i, n in enumerate(ns):
                have[i] += sign * n
            if not any(have):
                del self.counts[text]

    @property
    def mentions(self) -> int:
        return sum(c[2] for c in self.counts.values())

    def best_name(self) -> str | None:
        names = [(t, c[0]) for t, c in self.counts.items() if c[0] > 0]
        if not names:
            return None
        return min(names, key=lambda tn: (not has_diacritics(tn[0]), -tn[1], tn[0]))[0]


def key_name(variants: Variants, key: str) -> str:
    return variants.best_name() or key.split("/", 1)[-1]


def resolve_people(person_names: Mapping[str, str]) -> dict[str, str]:
    """Person keys known by one word -> the one full name they stand for (others: absent)."""
    full: dict[str, set[str]] = defaultdict(set)
    for key, name in person_names.items():
        if " " in name:
            full[fold(name.split()[-1])].add(key)
    out = {}
    for key, name in person_names.items():
        if " " not in name:
            owners = full.get(fold(name), set())
            if len(owners) == 1:
                out[key] = next(iter(owners))
    return out


def is_person(key: str) -> bool:
    return key.startswith("person/")


def entity_name(own: Variants | None, merged: Variants, entity_id: str) -> str:
    return (own.best_name() if own is not None else None) or merged.best_name() or entity_id.split("/", 1)[-1]


def entity_aliases(merged: Variants, name: str) -> list[str]:
    by_fold: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for text, c in merged.counts.items():
        by_fold[fold(text)].append((text, sum(c)))
    skip = fold(name)
    chosen = []
    for folded, writings in by_fold.items():
        if folded == skip or not folded:
            continue
        total = sum(n for _t, n in writings)
        text = min(writings, key=lambda tn: (-tn[1], tn[0]))[0]
        chosen.append((-total, folded, text))
    chosen.sort()
    return [t for _n, _f, t in chosen]


def recency(published: str | None, article_id: str) -> tuple[bool, str, str]:
    """Sort key: later is more recent; undated articles are the oldest."""
    return (published is not None, published or "", article_id)


def latest_attributes(items: Iterable[tuple[tuple[bool, str, str], Mapping[str, str]]]) -> dict[str, str]:
    """``(recency, attributes)`` of every contribution -> each attribute's most recent value."""
    best: dict[str, tuple[tuple[bool, str, str], str]] = {}
    for when, attrs in items:
        for k, v in attrs.items():
            have = best.get(k)
            if have is None or (when, v) > have:
                best[k] = (when, v)
    return {k: best[k][1] for k in sorted(best)}
