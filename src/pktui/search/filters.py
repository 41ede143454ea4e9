"""Filters in the search box (``kind:``, ``type:``, ``entity:``, dates) and entity names, as bitsets.

Mixed into :class:`pktui.search.index.SearchIndex`, whose documents are the fact segments'
(each at its base) followed by the entity documents; every bitset is made once per value
and cached.

**The query is a name** (:meth:`Filters._name_bonus`): entity documents whose name or
alias, joined (``Việt Nam`` -> ``vietnam``), is what was typed (a run of its words, or
its last word being typed) get a bonus. Such a run is looked for among the query's words
with and without its stopwords: a name's word that folds to a stopword ("Đỗ" -> ``do``,
"An", "Tô" -> ``to``) is dropped from an ordinary query, but in ``do minh duc`` it is part
of the name, and counts as a matched word of that entity's document.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

import numpy as np

from pktui.search import rank
from pktui.search.cache import LRU, Fifo
from pktui.search.docs import ENTITY_KIND, MAX_KEY, PASSAGE_KIND
from pktui.search.expansion import Expander, Expansion, fuzzy, typo_budget
from pktui.search.layout import Layout
from pktui.search.query import Query, Term
from pktui.search.reader import EntityPart, FactSegment, bits_of_docs, bits_of_mask
from pktui.search.spelling import Spellings
from pktui.search.vocabulary import Vocabulary

NAME_PREFIXES = 32  # names completed when the query's last word is being typed


class Filters:
    """The filter side of the index (see the module doc)."""

    segments: list[FactSegment]
    bases: list[int]
    ent: EntityPart
    ent_base: int
    ent_at: np.ndarray
    ent_pos: np.ndarray
    ent_lo: np.ndarray
    ent_hi: np.ndarray
    layout: Layout
    spellings: Spellings
    stopwords: frozenset[str]
    #: filter bitsets by their key, and ("named", entity document) -> (every, about) bitsets
    _filtercache: LRU[Hashable, int | tuple[int, int]]
    _keycache: Fifo[str, list[int]]
    _all: int
    _spread: Callable[[int], int]  # the index's: "anywhere" bits over whole units
    expander: Expander

    def _filter_bits(self, q: Query) -> int | None:
        """Documents allowed by the filters (None: no filter)."""
        out: int | None = None

        def narrow(b: int) -> None:
            nonlocal out
            out = b if out is None else out & b

        if q.kinds:
            b = 0
            for v in q.kinds:
                v = v[:-3] + "y" if v.endswith("ies") else v[:-1] if v.endswith("s") else v
                for name in self.kind_names:
                    if v and name.startswith(v):
                        b |= self.kind_bits(name)
            narrow(b)
        if q.types:
            b = 0
            for v in q.types:
                forms = {v, v.replace(" ", ""), *self.spellings.variants(v, lambda w: True)}
                for ty in self.type_names:
                    if any(ty.startswith(f) or f.startswith(ty) for f in forms if f):
                        b |= self.type_bits(ty)
            narrow(b)
        for v in q.entities:
            narrow(self._entity_filter(v))
        for r in q.after:
            narrow(self._date_bits("ge", r.hi + 1))
        for r in q.before:
            narrow(self._date_bits("le", r.lo - 1))
        for r in q.within:
            narrow(self._date_bits("ge", r.lo) & self._date_bits("le", r.hi))
        return out

    # ------------------------------------------------------------------ kinds and types
    @property
    def kind_names(self) -> list[str]:
        names = self.__dict__.get("_kind_names")
        if names is None:
            names = [ENTITY_KIND]
            for seg in self.segments:
                names.extend(k for k in seg.kind_names if k not in names)
            self.__dict__["_kind_names"] = names
        return names

    @property
    def type_names(self) -> list[str]:
        names = self.__dict__.get("_type_names")
        if names is None:
            found = set(self.ent.type_names)
            for seg in self.segments:
                found.update(seg.types)
            names = self.__dict__["_type_names"] = sorted(found)
        return names

    def kind_bits(self, name: str) -> int:
        """The documents of a kind (``fact`` kinds, ``passage``, ``entity``)."""
        return self._cached(("kind", name), lambda: self._kind_bits(name))

    def _kind_bits(self, name: str) -> int:
        if name == ENTITY_KIND:
            return ((1 << self.ent.n) - 1) << self.ent_base
        out = 0
        for seg, base in zip(self.segments, self.bases):
            out |= seg.kind_mask(name) << base
        return out

    def type_bits(self, name: str) -> int:
        """The entities of a type and the documents about (or passages mentioning) them."""
        return self._cached(("type", name), lambda: self._type_bits(name))

    def _type_bits(self, name: str) -> int:
        out = 0
        for seg, base in zip(self.segments, self.bases):
            out |= seg.type_bits(name) << base
        ent = self.ent
        if name in ent.type_names:
            mine = np.flatnonzero(np.asarray(ent.type) == ent.type_names.index(name))
            out |= self._entity_docs(mine)
        return out

    # ------------------------------------------------------------------ entities
    def _entity_docs(self, ents: np.ndarray) -> int:
        """The documents of entities of the entity part (their indices there)."""
        return bits_of_docs(self.layout.entity_docs(ents).astype(np.uint32)) if len(ents) else 0

    def _ent_of_doc(self, d: int) -> int:
        """The entity part's index of entity document ``d``."""
        return int(self.ent_at[d - self.ent_base])

    def key_docs(self, key: str) -> list[int]:
        """Entity documents one of whose names or aliases, joined, is ``key``."""
        keys = self.ent.keys
        tid = keys.find(key[:MAX_KEY])
        if tid < 0:
            return []
        return self._docs_of_keys([tid])

    def keys_starting(self, prefix: str, limit: int) -> list[int]:
        """Entity documents of (at most ``limit``) names that start with ``prefix``."""
        i, j = self.ent.keys.range(prefix[:MAX_KEY])
        return self._docs_of_keys(range(i, min(j, i + limit)))

    def keys_near(self, key: str) -> list[int]:
        """Entity documents of the names within a typo or two of ``key``."""
        found = fuzzy(self._key_vocab, key[:MAX_KEY], typo_budget(len(key)), by_count=False)
        return self._docs_of_keys([self.ent.keys.find(w) for w, _ in found])

    @property
    def _key_vocab(self) -> Vocabulary:
        vocab = self.__dict__.get("_keys_vocab")
        if vocab is None:
            vocab = self.__dict__["_keys_vocab"] = Vocabulary([self.ent.keys])
        return vocab

    def _docs_of_keys(self, tids: Iterable[int]) -> list[int]:
        rows = [self.ent.key_ents.row(t) for t in tids]
        if not rows:
            return []
        ents = np.concatenate(rows).astype(np.int64)
        docs: list[int] = (np.sort(self.ent_pos[ents]) + self.ent_base).tolist()
        return docs

    def _matching_entities(self, value: str) -> list[int]:
        """Entity docs whose name or an alias matches ``value`` (folded words)."""
        key = "".join(value.split())
        docs = self.key_docs(key)
        if not docs and len(key) >= 2:
            docs = self.keys_starting(key, 64)
        if not docs:
            docs = self.keys_near(key)
        if not docs:
            b = self.kind_bits(ENTITY_KIND)
            ws = value.split()
            for j, w in enumerate(ws):
                ex = self.expander.expand(w, j == len(ws) - 1, allow_fuzzy=True)
                b &= ex.e_about | ex.p_about | ex.f_about | ex.g_about
                if not b:
                    break
            docs = rank.iter_bits(b, 64)
        return docs

    def _entity_filter(self, value: str) -> int:
        return self._cached(("entity", value), lambda: self._entity_filter_bits(value))

    def _entity_filter_bits(self, value: str) -> int:
        ents = np.array(sorted({self._ent_of_doc(d) for d in self._matching_entities(value)}), np.int64)
        if not len(ents):
            return 0
        out = self._entity_docs(ents)
        ids = np.asarray(self.ent.ids)[ents]
        for seg, base in zip(self.segments, self.bases):
            local = seg.entities_in(ids)
            local = local[local >= 0]
            if len(local):
                passages = seg.kind_mask(PASSAGE_KIND)
                b = 0
                for e in local.tolist():
                    b |= seg.entity_bits(e, passages)
                out |= b << base
        return out

    # ------------------------------------------------------------------ the query is a name
    def _name_bonus(
        self, typed: list[Term], terms: list[Term], exps: list[Expansion]
    ) -> tuple[int, dict[int, tuple[int, int]]]:
        """Entity docs whose whole name or alias is what was typed; and, per number of
        stopwords such a name covers ("Đỗ" folds to the stopword "do"), the docs of those
        entities: all of them, and those about them (see :meth:`_named`)."""
        docs: set[int] = set()
        credit: dict[int, int] = {}
        stop = self.stopwords
        names = self._names
        for words in (terms, typed) if len(typed) > len(terms) else (terms,):
            texts = [t.text for t in words]
            dropped = [t.text in stop and not t.prefix for t in words]
            n = len(texts)
            for i in range(n):
                key = ""
                for j in range(i, n):
                    key += texts[j]
                    found = names(key)
                    if not found and j == n - 1 and words[j].prefix and len(key) >= 3:
                        found = self._names_starting(key)
                    if not found:
                        continue
                    docs.update(found)
                    covered = sum(dropped[i : j + 1])
                    if covered:
                        for d in found:
                            credit[d] = max(credit.get(d, 0), covered)
        for ex in exps:
            for w in ex.exact_words:
                docs.update(names(w))
        if len(typed) > 1:
            whole = "".join(t.text for t in typed)
            if not self._names(whole) and len(whole) >= 6:
                near = self._keycache.get("\x01" + whole)
                if near is None:
                    near = self._keycache["\x01" + whole] = self.keys_near(whole)
                docs.update(near)
                covered = sum(1 for t in typed if t.text in stop and not t.prefix)
                for d in near if covered else ():
                    credit[d] = max(credit.get(d, 0), covered)
        by_count: dict[int, list[int]] = {}
        for d, c in credit.items():
            by_count.setdefault(c, []).append(d)
        return (rank.bits_of(docs) if docs else 0), {c: self._named(ds) for c, ds in by_count.items()}

    def _named(self, docs: list[int]) -> tuple[int, int]:
        """The documents of some entities (by their entity documents): all of them (their
        own, the facts naming them, the sentences and passages mentioning them), and those
        about them (their own and the facts naming them)."""
        every = about = 0
        for d in docs:
            got = self._filtercache.get_(("named", d))
            if not isinstance(got, tuple):  # (None: not yet)
                got = self._named_one(self._ent_of_doc(d), d)
                self._filtercache.put(("named", d), got)
            every |= got[0]
            about |= got[1]
        return every, about

    def _named_one(self, e: int, own: int) -> tuple[int, int]:
        ids = np.asarray(self.ent.ids)[[e]]
        about = mentioned = 0
        for seg, base in zip(self.segments, self.bases):
            local = int(seg.entities_in(ids)[0])
            if local >= 0:
                about |= seg.rel["about"].bits([local]) << base
                mentioned |= seg.rel["any"].bits([local]) << base
        about |= 1 << own
        return self._spread(mentioned) | about, about

    def _names_starting(self, key: str) -> list[int]:
        """Entity docs with a name or alias that starts with ``key`` joined (cached)."""
        ck = "\x00" + key
        found = self._keycache.get(ck)
        if found is None:
            found = self._keycache[ck] = self.keys_starting(key, NAME_PREFIXES)
        return found

    def _names(self, key: str) -> list[int]:
        """Entity docs with a name or alias that is ``key`` joined (cached)."""
        found = self._keycache.get(key)
        if found is not None:
            return found
        if found is None:
            found = self._keycache[key] = self.key_docs(key)
        return found

    # ------------------------------------------------------------------ dates
    def _date_bits(self, how: str, day: int) -> int:
        """Documents whose date span ends on or after ``day`` (``ge``), or starts on or
        before it (``le``); an undated document never passes."""
        return self._cached(("date", how, day), lambda: self._dates(how, day))

    def _dates(self, how: str, day: int) -> int:
        out = 0
        cols = [(seg.hi if how == "ge" else seg.lo, base) for seg, base in zip(self.segments, self.bases)]
        cols.append((self.ent_hi if how == "ge" else self.ent_lo, self.ent_base))
        for col, base in cols:
            col = np.asarray(col)
            out |= bits_of_mask(col >= day if how == "ge" else col <= day) << base
        return out

    def _cached(self, key: Hashable, make: Callable[[], int]) -> int:
        hit = self._filtercache.get_(key)
        if not isinstance(hit, int):  # (None: not yet)
            hit = make()
            self._filtercache.put(key, hit)
        return hit
