"""Corrections: the ledger's entries applied to a knowledge base, after extraction and the cache.

Every load applies the active entries (those no ``undo`` took back) in order. An entry whose
target is gone (the article changed, the entity was merged away) is *stale*: reported, never
dropped silently and never applied to something else. Every item an entry changed records the
entry's number in ``corrected``, so the export and the browser can say so.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from pktui.knowledge.base import KnowledgeBase
from pktui.knowledge.correction_values import Folded, check_fact_fields, name_pattern, number, precision
from pktui.knowledge.ledger import CorrectionRefused, Entry, Ledger, check_fields, mention_ref
from pktui.knowledge.outcome import Outcome
from pktui.knowledge.source import FactSource
from pktui.knowledge.timeline import sort_timeline
from pktui.model import Entity, Fact, Mention
from pktui.text import fold, slug

#: a correction's fields (``entity``, ``into``, ``alias``, ...), as the ledger holds them
Targets = dict[str, Any]


def in_effect(entries: Sequence[Entry]) -> set[int]:
    """Numbers of the entries in effect (undo entries included): every one that no entry in
    effect undid. Walking newest to oldest settles each entry before the earlier ones it may
    undo, so an undo of an undo brings the first entry back."""
    undone: set[int] = set()
    effective: set[int] = set()
    for entry in reversed(entries):
        if entry.n in undone:
            continue
        effective.add(entry.n)
        if entry.op == "undo":
            undone.add(entry.targets["entry"])
    return effective


def active_entries(entries: Sequence[Entry]) -> list[Entry]:
    """The corrections in effect, oldest first (undo entries left out: their work is done)."""
    effective = in_effect(entries)
    return [e for e in entries if e.n in effective and e.op != "undo"]


def apply_ledger(kb: KnowledgeBase, entries: Sequence[Entry], *, series: bool = True) -> Outcome:
    """Apply the active entries of a ledger to ``kb`` in place. Without ``series`` the figures
    are left as they were (``outcome.series_changed`` says whether they are to be made again:
    the overlay on the store makes only those of the articles it read)."""
    outcome = Outcome()
    known = {e.n for e in entries}
    for entry in entries:
        if entry.op == "undo" and (entry.targets["entry"] not in known or entry.targets["entry"] >= entry.n):
            outcome.stale.append((entry, f"there is no earlier entry {entry.targets['entry']}"))
    active = active_entries(entries)
    if not active:
        return outcome
    corrector = _Corrector(kb)
    for entry in active:
        reason = corrector.apply(entry)
        if reason is None:
            outcome.applied.append(entry.n)
        else:
            outcome.stale.append((entry, reason))
    corrector.finish(series)
    outcome.series_changed = corrector.changed_series
    outcome.made = [eid for eid in corrector.made if eid in corrector.entities]
    outcome.gone_entities = corrector.gone
    outcome.gone_facts = corrector.gone_facts
    return outcome


def _mark(item: Entity | Fact | Mention, n: int) -> None:
    if n not in item.corrected:
        item.corrected = (*item.corrected, n)


class _Corrector:
    """Applies entries one at a time, keeping its own lookups current between them."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.entities: dict[str, Entity] = {e.id: e for e in kb.entities}
        self.facts: dict[str, Fact] = {f.id: f for f in kb.facts}
        self.about: dict[str, set[str]] = defaultdict(set)  # entity id -> fact ids
        for f in kb.facts:
            for eid in f.entities:
                self.about[eid].add(f.id)
        self.rejected: set[str] = set()
        self.changed_series = False
        self.folded: dict[str, Folded] = dict(getattr(kb, "folded_texts", None) or {})
        self.spans: dict[str, list[tuple[int, int, Mention]]] | None = None
        self.made: dict[str, None] = {}
        self.gone: dict[str, str] = {}
        self.gone_facts: dict[str, Fact] = {}

    def apply(self, entry: Entry) -> str | None:
        """Apply one entry; the reason it is stale, or None."""
        handler: Callable[[Entry, Targets], str | None] = getattr(self, f"_{entry.op}")
        return handler(entry, entry.targets)

    # -- entities -------------------------------------------------------------------------------

    def _entity(self, eid: str) -> Entity | None:
        return self.entities.get(eid)

    def _merge(self, entry: Entry, t: Targets) -> str | None:
        src, dst = self._entity(t["entity"]), self._entity(t["into"])
        if src is None or dst is None:
            return f"no entity {t['entity'] if src is None else t['into']}"
        for m in src.mentions:
            m.entity = dst.id
            _mark(m, entry.n)
        dst.mentions.extend(src.mentions)
        dst.mentions.sort(key=lambda m: (m.article, m.start))
        _add_aliases(dst, [src.name, *src.aliases])
        for k, v in src.attributes.items():
            dst.attributes.setdefault(k, v)
        _mark(dst, entry.n)
        self._replace_in_facts(src.id, dst.id, self.about.pop(src.id, set()), entry.n)
        self._remove(src)
        return None

    def _replace_in_facts(self, old: str, new: str, fact_ids: set[str], n: int) -> None:
        for fid in fact_ids:
            f = self.facts.get(fid)
            if f is None:
                continue
            f.entities = list(dict.fromkeys(new if e == old else e for e in f.entities))
            _mark(f, n)
            self.about[new].add(fid)
        self.changed_series = True

    def _split(self, entry: Entry, t: Targets) -> str | None:
        ent = self._entity(t["entity"])
        if ent is None:
            return f"no entity {t['entity']}"
        key = fold(t["alias"])
        moved = [m for m in ent.mentions if fold(m.text) == key]
        if not moved:
            return f"{ent.id} has no mention written {t['alias']!r}"
        new_type = t.get("type") or ent.type
        new_name = " ".join((t.get("name") or t["alias"]).split())
        new_id = f"{new_type}/{slug(new_name)}"
        if new_id == ent.id:
            new_id = f"{new_id}-{entry.n}"
        target = self.entities.get(new_id)
        if target is None:
            target = self.entities[new_id] = Entity(new_id, new_name, new_type)
            self.made.pop(new_id, None)
            self.made[new_id] = None
        _mark(target, entry.n)
        _mark(ent, entry.n)
        ent.mentions = [m for m in ent.mentions if fold(m.text) != key]
        ent.aliases = [a for a in ent.aliases if fold(a) != key]
        for m in moved:
            m.entity = target.id
            _mark(m, entry.n)
        target.mentions.extend(moved)
        target.mentions.sort(key=lambda m: (m.article, m.start))
        _add_aliases(target, [m.text for m in moved])
        self._split_facts(ent, target, moved, entry.n)
        if not ent.mentions:
            self._replace_in_facts(ent.id, target.id, self.about.pop(ent.id, set()), entry.n)
            self._remove(ent)
        return None

    def _split_facts(self, ent: Entity, target: Entity, moved: list[Mention], n: int) -> None:
        """A fact about the entity goes with the split-off name when its sentence names the
        entity only by that name."""
        moved_at: dict[str, list[int]] = defaultdict(list)
        kept_at: dict[str, list[int]] = defaultdict(list)
        for m in moved:
            moved_at[m.article].append(m.start)
        for m in ent.mentions:
            kept_at[m.article].append(m.start)
        for starts in (*moved_at.values(), *kept_at.values()):
            starts.sort()
        for fid in list(self.about.get(ent.id, ())):
            f = self.facts.get(fid)
            if f is None or f.article not in moved_at:
                continue
            lo, hi = f.sentence
            if _any_within(moved_at[f.article], lo, hi) and not _any_within(kept_at.get(f.article, []), lo, hi):
                f.entities = list(dict.fromkeys(target.id if e == ent.id else e for e in f.entities))
                _mark(f, n)
                self.about[ent.id].discard(fid)
                self.about[target.id].add(fid)
                self.changed_series = True

    def _rename(self, entry: Entry, t: Targets) -> str | None:
        ent = self._entity(t["entity"])
        if ent is None:
            return f"no entity {t['entity']}"
        name = " ".join(t["name"].split())
        old = ent.name
        ent.name = name
        ent.aliases = [a for a in ent.aliases if fold(a) != fold(name)]
        _add_aliases(ent, [old])
        _mark(ent, entry.n)
        return None

    def _retype(self, entry: Entry, t: Targets) -> str | None:
        ent = self._entity(t["entity"])
        if ent is None:
            return f"no entity {t['entity']}"
        ent.type = t["type"]
        _mark(ent, entry.n)
        self.changed_series = True
        return None

    def _alias(self, entry: Entry, t: Targets) -> str | None:
        """NAME is another name of the entity: its occurrences in every article become mentions
        (an occurrence already a mention of the same span moves over; one inside or across a
        longer name is left alone)."""
        ent = self._entity(t["entity"])
        if ent is None:
            return f"no entity {t['entity']}"
        pattern = name_pattern(t["name"])
        if pattern is None:
            return f"{t['name']!r} has no letters or digits to find"
        _add_aliases(ent, [t["name"]])
        _mark(ent, entry.n)
        key = fold(t["name"])
        found = [(a.id, self._folded(a)) for a in self.kb.articles if key in self._folded(a).words]
        spans = self._mention_spans()
        for aid, folded in found:
            for match in pattern.finditer(folded.in_place):
                self._claim(ent, aid, match.start(), match.end(), spans, entry.n)
        ent.mentions.sort(key=lambda m: (m.article, m.start))
        return None

    def _folded(self, article: Any) -> Folded:
        """An article's text folded once for all the aliases of a ledger (the overlay hands
        over those it folded)."""
        got = self.folded.get(article.id)
        if got is None:
            got = self.folded[article.id] = Folded(article.text)
        return got

    def _mention_spans(self) -> dict[str, list[tuple[int, int, Mention]]]:
        """Every mention by article in text order: made once, then kept as entries change
        them (a mention made is put in, a rejected one taken out; one that changes entity is
        the same object)."""
        if self.spans is not None:
            return self.spans
        spans: dict[str, list[tuple[int, int, Mention]]] = defaultdict(list)
        self.spans = spans
        for e in self.entities.values():
            for m in e.mentions:
                spans[m.article].append((m.start, m.end, m))
        for rows in spans.values():
            rows.sort(key=lambda r: (r[0], r[1]))
        return spans

    def _claim(
        self, ent: Entity, article_id: str, s: int, e: int, spans: dict[str, list[tuple[int, int, Mention]]], n: int
    ) -> None:
        rows = spans[article_id]
        for start, end, m in rows:
            if start >= e:
                break
            if end <= s:
                continue
            if (start, end) == (s, e) and m.entity != ent.id:
                owner = self.entities.get(m.entity)
                if owner is not None:
                    owner.mentions.remove(m)
                m.entity = ent.id
                _mark(m, n)
                ent.mentions.append(m)
            return  # the same span, or overlapping another name: never two mentions at once
        article = self.kb.article(article_id)
        if article is None:
            raise KeyError(f"no article {article_id!r} for a mention")  # (spans come from its mentions)
        text = article.text
        m = Mention(article_id, s, e, text[s:e], ent.id, f"alias added by correction {n}", (n,))
        ent.mentions.append(m)
        bisect.insort(rows, (s, e, m), key=lambda r: (r[0], r[1]))

    # -- facts and mentions ---------------------------------------------------------------------

    def _reject(self, entry: Entry, t: Targets) -> str | None:
        ref = mention_ref(t["target"])
        if ref is None:
            fact = self.facts.pop(t["target"], None)
            if fact is None:
                return f"no fact {t['target']}"
            self.rejected.add(fact.id)
            self.gone_facts[fact.id] = fact
            for eid in fact.entities:
                self.about[eid].discard(fact.id)
            self.changed_series = True
            return None
        article, start, end = ref
        rows = self._mention_spans().get(article, [])
        held = [(k, r[2]) for k, r in enumerate(rows) if r[0] == start and r[1] == end and r[2].entity in self.entities]
        if not held:
            return f"no mention at {t['target']}"
        if len(held) > 1:  # the same span in two entities: the first entity's, in their order
            order = {eid: i for i, eid in enumerate(self.entities)}
            held.sort(key=lambda km: order[km[1].entity])
        k, m = held[0]
        ent = self.entities[m.entity]
        ent.mentions.remove(m)
        del rows[k]
        _mark(ent, entry.n)
        if not ent.mentions:
            self._drop_entity(ent, entry.n)
        return None

    def _drop_entity(self, ent: Entity, n: int) -> None:
        for fid in self.about.pop(ent.id, set()):
            f = self.facts.get(fid)
            if f is not None:
                f.entities = [e for e in f.entities if e != ent.id]
                _mark(f, n)
        self._remove(ent)
        self.changed_series = True

    def _remove(self, ent: Entity) -> None:
        del self.entities[ent.id]
        self.gone[ent.id] = ent.name

    def _set(self, entry: Entry, t: Targets) -> str | None:
        fact = self.facts.get(t["fact"])
        if fact is None:
            return f"no fact {t['fact']}"
        problem = check_fact_fields(fact, t["fields"])
        if problem:
            return problem
        for key, value in t["fields"].items():
            if key == "value" and fact.kind in ("date", "event"):
                fact.value = value
                fact.precision = precision(value)
            elif key == "value" and fact.kind in ("quantity", "ordinal"):
                fact.value = number(value)
            elif key == "value":
                fact.value = str(value)
            else:
                setattr(fact, key, value)
        _mark(fact, entry.n)
        self.changed_series = True
        return None

    # -- the end --------------------------------------------------------------------------------

    def finish(self, series: bool = True) -> None:
        kb = self.kb
        kb.entities = sorted(self.entities.values(), key=lambda e: (e.type, fold(e.name)))
        kb.facts = [f for f in kb.facts if f.id not in self.rejected]
        timeline = []
        for t in kb.timeline:
            f = self.facts.get(t.fact)
            if f is None:
                continue
            if f.corrected:
                t.entities = list(f.entities)
                if f.kind == "event" and isinstance(f.value, str):
                    t.date, t.precision = f.value, f.precision or t.precision
            timeline.append(t)
        kb.timeline = sort_timeline(timeline)
        if self.changed_series and series:
            from pktui.knowledge.figures import build_series  # (it reads the extraction's domain data)

            kb.series = build_series(kb.articles, kb.entities, kb.facts)
        kb.reindex()


def _add_aliases(ent: Entity, names: list[str]) -> None:
    have = {fold(ent.name), *(fold(a) for a in ent.aliases)}
    for name in names:
        name = " ".join(name.split())
        if name and fold(name) not in have:
            have.add(fold(name))
            ent.aliases.append(name)


def _any_within(sorted_starts: list[int], lo: int, hi: int) -> bool:
    i = bisect.bisect_left(sorted_starts, lo)
    return i < len(sorted_starts) and sorted_starts[i] < hi


# -- checking a correction before it is written -------------------------------------------------


def check_entry(kb: FactSource, op: str, t: Targets) -> str | None:
    """What in the corpus a correction's targets fail to name (a message for the user), or None."""
    for key in ("entity", "into"):
        if key in t and kb.entity(t[key]) is None:
            return f"unknown entity {t[key]!r}{_did_you_mean(t[key], [e.id for e in kb.entities])}"
    if op == "split":
        key = fold(t["alias"])
        split = kb.entity(t["entity"])  # (known: checked above)
        if split is None or not any(fold(m.text) == key for m in split.mentions):
            return f"{t['entity']} has no mention written {t['alias']!r}"
    if op == "reject":
        return _check_reject(kb, t["target"])
    if op == "set":
        fact = kb.fact(t["fact"])
        if fact is None:
            return f"unknown fact {t['fact']!r}{_did_you_mean(t['fact'], [f.id for f in kb.facts])}"
        return check_fields(t["fields"]) or check_fact_fields(fact, t["fields"])
    if op == "merge" and t["entity"] == t["into"]:
        return "an entity cannot be merged into itself"
    return None


def _check_reject(kb: FactSource, ref: str) -> str | None:
    span = mention_ref(ref)
    if span is None:
        if kb.fact(ref) is None:
            return f"unknown fact {ref!r} (a fact id, or a mention as ARTICLE:START-END)"
        return None
    article, start, end = span
    if kb.article(article) is None:
        return f"unknown article {article!r}"
    if not any(m.start == start and m.end == end for m in kb.mentions_in(article)):
        return f"no mention at {ref}"
    return None


def _did_you_mean(word: str, choices: list[str]) -> str:
    from rapidfuzz import fuzz, process

    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=70)
    return f" (did you mean {best[0]!r}?)" if best else ""


def undo_target(ledger: Ledger, n: int | None) -> Entry:
    """The entry ``undo N`` takes back: N, or the newest correction in effect."""
    active = {e.n for e in active_entries(ledger.entries)}
    if n is None:
        candidates = [e for e in ledger.entries if e.n in active]
        if not candidates:
            raise CorrectionRefused("nothing to undo: no correction is in effect")
        return candidates[-1]
    entry = ledger.entry(n)
    if entry is None:
        raise CorrectionRefused(f"there is no entry {n} in {ledger.path}")
    if n not in in_effect(ledger.entries):
        raise CorrectionRefused(f"entry {n} is already undone")
    return entry
