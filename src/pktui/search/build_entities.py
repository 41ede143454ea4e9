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

from collections.abc import Iterable
from itertools import islice

import numpy as np

from pktui.model import Entity
from pktui.search.arrays import csr, offsets, pairs
from pktui.search.docs import MAX_KEY, names_hash
from pktui.search.fields import distinct
from pktui.search.segment import strings
from pktui.search.tokenizer import Vocabulary, no_articles, unpacked
from pktui.search.tokens import joined
from pktui.search.vocabulary import vocab_arrays

PREFIX = "e."  # the entity part's arrays in a segment folder
_AT_ONCE = 4096


def name_forms(entity: Entity) -> list[str]:
    """An entity's name and aliases, as text."""
    return [str(x) for x in (entity.name, *(entity.aliases or ())) if x]


def entity_arrays(
    entities: Iterable[Entity], stopwords: Iterable[str]
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """The entity part's arrays (names prefixed :data:`PREFIX`) and its manifest facts,
    for ``entities`` (objects with ``id``, ``name``, ``aliases``, ``type``)."""
    ents = sorted(((str(e.id), name_forms(e), str(e.type or "")) for e in entities), key=lambda t: t[0])
    ents = [t for i, t in enumerate(ents) if i == 0 or t[0] != ents[i - 1][0]]
    tokenized = _tokenized([forms for _, forms, _ in ents], stopwords)
    words = [ws for ws, _ in tokenized]
    types = sorted({ty for _, _, ty in ents})
    type_words = [ws for ws, _ in _tokenized([[ty] for ty in types], stopwords)]
    arrays = _name_arrays(words, type_words, [types.index(ty) for _, _, ty in ents])
    arrays[f"{PREFIX}ids"] = strings([eid for eid, _, _ in ents])
    arrays[f"{PREFIX}hash"] = np.array([names_hash(ws) for ws in words], np.uint64)
    arrays.update(key_arrays([ks for _, ks in tokenized]))
    return arrays, {"entity_types": types, "entities": len(ents)}


def type_words(types: list[str], stopwords: Iterable[str]) -> list[tuple[str, ...]]:
    """The words of each entity type's name."""
    return [ws for ws, _ in _tokenized([[ty] for ty in types], stopwords)]


def _tokenized(forms: list[list[str]], stopwords: Iterable[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """For each list of names: its distinct words, sorted (stopwords left out), and its keys."""
    texts = [f for fs in forms for f in fs]
    vocab = Vocabulary(stopwords)
    words: list[str] = [""]  # id 0: JUNK
    ids: list[int] = []
    starts = [0]
    for k in range(0, len(texts), _AT_ONCE):
        got, at, new, _ = vocab.tokenize(no_articles(), texts[k : k + _AT_ONCE])
        words.extend(new)
        starts.extend([s + len(ids) for s in islice(unpacked(at), 1, None)])
        ids.extend(np.frombuffer(got, np.uint32).tolist())
    out = []
    k = 0
    for fs in forms:
        toks = distinct(ids[starts[k] : starts[k + len(fs)]])
        ks = tuple(dict.fromkeys(key for f in fs if (key := joined(f)[:MAX_KEY])))
        out.append((tuple(sorted(words[t] for t in toks)), ks))
        k += len(fs)
    return out


def _name_arrays(
    words: list[tuple[str, ...]], type_words: list[tuple[str, ...]], type_of: list[int]
) -> dict[str, np.ndarray]:
    """The vocabulary, the "about" and "anywhere" postings and each entity's name words."""
    vocab = sorted({w for ws in words for w in ws} | {w for ws in type_words for w in ws})
    tid = {w: i for i, w in enumerate(vocab)}
    name_tok = np.array([tid[w] for ws in words for w in ws], np.int64)
    name_ent = np.repeat(np.arange(len(words)), [len(ws) for ws in words])
    type_ids = [[tid[w] for w in ws] for ws in type_words]
    type_tok = np.array([t for ty in type_of for t in type_ids[ty]], np.int64)
    type_ent = np.repeat(np.arange(len(words)), [len(type_ids[ty]) for ty in type_of])
    arrays, df = posting_arrays(pairs(name_tok, name_ent), pairs(type_tok, type_ent), len(vocab))
    arrays.update(vocab_arrays(vocab, df, PREFIX))
    by_entity = np.lexsort((name_tok, name_ent))
    arrays[f"{PREFIX}names.off"] = offsets(np.array([len(ws) for ws in words], np.int64))
    arrays[f"{PREFIX}names.tok"] = name_tok[by_entity].astype(np.int32)
    arrays[f"{PREFIX}type"] = np.array(type_of, np.int32)
    return arrays


def key_arrays(keys: list[tuple[str, ...]]) -> dict[str, np.ndarray]:
    """Each name and alias joined into a key, and the entities of each key."""
    of_key: dict[str, list[int]] = {}
    for e, ks in enumerate(keys):
        for k in ks:
            of_key.setdefault(k, []).append(e)
    names = sorted(of_key)
    rows = np.repeat(np.arange(len(names)), [len(of_key[k]) for k in names])
    ents = np.array([e for k in names for e in of_key[k]], np.int64)
    off, docs = csr([pairs(rows, ents)], len(names))
    out = {f"{PREFIX}keys.off": off, f"{PREFIX}keys.ents": docs}
    out.update(vocab_arrays(names, np.diff(off).astype(np.uint32), f"{PREFIX}keys."))
    return out


def posting_arrays(
    name_pairs: np.ndarray, type_pairs: np.ndarray, n_words: int
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """An entity part's postings, by word: the entities a name word is "about", and "any"
    entity a name or type word leads to; with each word's count of entities ("any")."""
    arrays: dict[str, np.ndarray] = {}
    for name, parts in (("about", [name_pairs]), ("any", [name_pairs, type_pairs])):
        off, docs = csr(parts, n_words)
        arrays[f"{PREFIX}{name}.off"] = off
        arrays[f"{PREFIX}{name}.docs"] = docs
    return arrays, np.diff(arrays[f"{PREFIX}any.off"]).astype(np.uint32)
