"""The entity part of a segment: one document per entity of the whole knowledge base.

An entity's names and aliases can change whenever an article arrives (a new alias joins
it), so its document is not kept with the articles that mention it: every segment
written carries a fresh entity part, and the index searches the entity part of the last
segment it opens. Per entity (in the order of their ids): its type, the words of its
names (and a digest of them, which tells a segment written earlier that the entity's
names changed since), its "about" postings (the words of its names) and "anywhere"
postings (those and its type's), and its names and aliases joined into keys
(``Việt Nam`` -> ``vietnam``) for "the query is its name".
"""

from __future__ import annotations

from itertools import islice

import numpy as np

from pktui.search.arrays import csr, offsets, pairs
from pktui.search.docs import MAX_KEY, names_hash
from pktui.search.fields import distinct
from pktui.search.segment import strings
from pktui.search.tokenizer import Vocabulary, no_articles, unpacked
from pktui.search.tokens import SEP_WORD, joined
from pktui.search.vocabulary import vocab_arrays

PREFIX = "e."  # the entity part's arrays in a segment folder
_AT_ONCE = 4096


def name_forms(entity) -> list[str]:
    """An entity's name and aliases, as text."""
    return [str(x) for x in (entity.name, *(entity.aliases or ())) if x]


def entity_arrays(entities, stopwords) -> tuple[dict[str, np.ndarray], dict]:
    """The entity part's arrays (names prefixed :data:`PREFIX`) and its manifest facts,
    for ``entities`` (objects with ``id``, ``name``, ``aliases``, ``type``)."""
    ents = sorted(((str(e.id), name_forms(e), str(e.type or "")) for e in entities), key=lambda t: t[0])
    ents = [t for i, t in enumerate(ents) if i == 0 or t[0] != ents[i - 1][0]]
    types = sorted({ty for _, _, ty in ents})
    type_code = {ty: k for k, ty in enumerate(types)}
    texts: list[str] = list(types)
    firsts = []
    for _, forms, _ in ents:
        firsts.append(len(texts))
        texts.extend(forms)
    firsts.append(len(texts))
    vocab = Vocabulary(stopwords)
    words: list[str] = [SEP_WORD]
    ids: list[int] = []
    starts = [0]
    for k in range(0, len(texts), _AT_ONCE):
        got, at, new, _ = vocab.tokenize(no_articles(), texts[k : k + _AT_ONCE])
        words.extend(new)
        starts.extend([s + len(ids) for s in islice(unpacked(at), 1, None)])
        ids.extend(np.frombuffer(got, np.uint32).tolist())
    type_toks = [distinct(ids[starts[k] : starts[k + 1]]) for k in range(len(types))]
    name_toks = [distinct(ids[starts[a] : starts[z]]) for a, z in zip(firsts, islice(firsts, 1, None))]

    order = np.array(sorted(range(1, len(words)), key=words.__getitem__), np.int64)
    new_id = np.full(len(words), -1, np.int64)
    new_id[order] = np.arange(len(order))
    n_words = len(order)
    ent_type = np.array([type_code[ty] for _, _, ty in ents], np.int64)
    # (token, entity) pairs: the words of its names (about), and those and its type's (any)
    name_tok = np.array([t for toks in name_toks for t in toks], np.int64)
    name_ent = np.repeat(np.arange(len(ents)), [len(toks) for toks in name_toks])
    type_tok = np.array([t for e in range(len(ents)) for t in type_toks[ent_type[e]]], np.int64)
    type_ent = np.repeat(np.arange(len(ents)), [len(type_toks[ty]) for ty in ent_type.tolist()])
    about = [pairs(new_id[name_tok], name_ent)]
    any_ = [about[0], pairs(new_id[type_tok], type_ent)]
    arrays: dict[str, np.ndarray] = {}
    for name, parts in (("about", about), ("any", any_)):
        off, docs = csr(parts, n_words)
        arrays[f"{PREFIX}{name}.off"] = off
        arrays[f"{PREFIX}{name}.docs"] = docs
    df = np.diff(arrays[f"{PREFIX}any.off"]).astype(np.uint32)
    arrays.update(vocab_arrays([words[t] for t in order.tolist()], df, PREFIX))
    sorted_toks = [np.sort(new_id[list(toks)]) if toks else np.zeros(0, np.int64) for toks in name_toks]
    arrays[f"{PREFIX}names.off"] = offsets(np.array([len(t) for t in sorted_toks], np.int64))
    arrays[f"{PREFIX}names.tok"] = (np.concatenate(sorted_toks) if sorted_toks else np.zeros(0)).astype(np.int32)
    arrays[f"{PREFIX}ids"] = strings([eid for eid, _, _ in ents])
    arrays[f"{PREFIX}type"] = ent_type.astype(np.int32)
    arrays[f"{PREFIX}hash"] = np.array([names_hash(words[t] for t in toks) for toks in name_toks], np.uint64)
    arrays.update(_key_arrays(ents))
    return arrays, {"entity_types": types, "entities": len(ents)}


def _key_arrays(ents) -> dict[str, np.ndarray]:
    """Each name and alias joined into a key, and the entities of each key."""
    of_key: dict[str, set[int]] = {}
    for e, (_, forms, _) in enumerate(ents):
        for form in forms:
            k = joined(form)[:MAX_KEY]
            if k:
                of_key.setdefault(k, set()).add(e)
    keys = sorted(of_key)
    rows = np.repeat(np.arange(len(keys)), [len(of_key[k]) for k in keys])
    ents = np.array([e for k in keys for e in of_key[k]], np.int64)
    off, docs = csr([pairs(rows, ents)], len(keys))
    out = {f"{PREFIX}keys.off": off, f"{PREFIX}keys.ents": docs}
    out.update(vocab_arrays(keys, np.diff(off).astype(np.uint32), f"{PREFIX}keys."))
    return out
