"""Language data for search, from YAML: spelling variants (``spellings.yaml``), stopwords."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from pktui.search.tokens import words


class Spellings:
    """Variants of a folded word: ``organize`` <-> ``organise``, ``defense`` <-> ``defence``."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.min_stem = int(data.get("min_stem", 3))
        self.words: dict[str, set[str]] = {}
        for pair in data.get("words") or ():
            forms = [" ".join(words(str(w))) for w in pair]
            forms = [f for f in forms if f]
            for f in forms:
                self.words.setdefault(f, set()).update(g for g in forms if g != f)
                if " " not in f:
                    self.words.setdefault(f + "s", set()).update(g + "s" for g in forms if g != f and " " not in g)
        self.suffixes: list[tuple[str, str]] = []
        for pair in data.get("suffixes") or ():
            a, b = ("".join(words(str(x))) for x in pair[:2])
            if a and b and a != b:
                self.suffixes.append((a, b))
                self.suffixes.append((b, a))
        self.suffixes.sort(key=lambda p: -len(p[0]))
        self.pairs = sorted(self.words.items())
        self._pair_words = [w for w, _ in self.pairs]
        self._prefix_cache: dict[str, list[str]] = {}
        # the typed end of a word -> the other spelling's same-length start: "iz" -> "is"
        self._partial: dict[str, set[str]] = {}
        for a, b in self.suffixes:
            for k in range(1, len(a) + 1):
                if a[:k] != b[:k]:
                    self._partial.setdefault(a[:k], set()).add(b[:k])
        self._longest = max((len(a) for a, _ in self.suffixes), default=0)

    def variants(self, word: str, known: Callable[[str], bool]) -> list[str]:
        """Other spellings of a whole word (may contain a space: ``per cent``).

        Listed pairs always count; suffix rules only when ``known(variant)`` (the corpus
        has that spelling).
        """
        out = set(self.words.get(word, ()))
        for a, b in self.suffixes:
            if word.endswith(a) and len(word) - len(a) >= self.min_stem:
                v = word[: len(word) - len(a)] + b
                if known(v):
                    out.add(v)
        out.discard(word)
        return sorted(out)

    def prefix_variants(self, prefix: str) -> list[str]:
        """Other spellings of a word being typed: ``mechaniz`` -> ``mechanis``."""
        hit = self._prefix_cache.get(prefix)
        if hit is None:
            if len(self._prefix_cache) > 4096:
                self._prefix_cache.clear()
            hit = self._prefix_cache[prefix] = self._prefix_variants(prefix)
        return hit

    def _prefix_variants(self, prefix: str) -> list[str]:
        out: set[str] = set()
        if len(prefix) < 4:
            return []
        for k in range(1, min(len(prefix) - self.min_stem, self._longest) + 1):
            for b in self._partial.get(prefix[-k:], ()):
                out.add(prefix[:-k] + b)
        i = bisect.bisect_right(self._pair_words, prefix)
        while i < len(self._pair_words) and self._pair_words[i].startswith(prefix):
            for o in self.words[self._pair_words[i]]:
                v = o[: len(prefix)]
                if v != prefix and " " not in v:
                    out.add(v)
            i += 1
        out.discard(prefix)
        return sorted(out)


@lru_cache(maxsize=1)
def default_spellings() -> Spellings:
    try:
        text = resources.files("pktui.search").joinpath("spellings.yaml").read_text("utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError, ModuleNotFoundError):
        data = {}
    return Spellings(data if isinstance(data, dict) else {})


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """Words not indexed and dropped from queries (``stopwords.yaml``)."""
    try:
        text = resources.files("pktui.search").joinpath("stopwords.yaml").read_text("utf-8")
        data = yaml.safe_load(text) or {}
        raw = data.get("stopwords", "") if isinstance(data, dict) else ""
    except (OSError, yaml.YAMLError, ModuleNotFoundError):
        raw = ""
    if isinstance(raw, list):
        raw = " ".join(str(w) for w in raw)
    return frozenset(w for item in str(raw).split() for w in words(item))
