"""What one query word matches: expanded on the vocabulary, never on the documents.

The exact token and its spelling variants, the word split in two (``vietnam`` ->
``viet nam``), longer tokens when the word is being typed (the most frequent ones), and,
only when nothing matches exactly, typos (rapidfuzz on the small vocabulary bucket of the
same first letter and about the same length). An expansion keeps the words it found (for
marking matches) and the documents they give, as bitsets, by quality: exact, prefix,
one typo, two typos, each anywhere and "about" the document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import process as rf_process
from rapidfuzz.distance import OSA

from pktui.search.cache import LRU
from pktui.search.spelling import Spellings
from pktui.search.tokens import MAX_TOKEN
from pktui.search.vocabulary import Vocabulary

FUZZY_LIMIT = 12
_MAX_SPLITS = 3


def prefix_limit(n: int) -> int:
    """How many completions of a word being typed count (the most frequent ones)."""
    return 6 if n == 1 else 12 if n == 2 else 24 if n == 3 else 48


def typo_budget(n: int) -> int:
    return 0 if n < 4 else 1 if n <= 6 else 2


@dataclass(slots=True)
class Expansion:
    """What one query word matches in the vocabulary, and the documents that gives."""

    exact: list[str]
    prefix: list[str]
    fuzzy: list[str]
    splits: list[tuple[str, str]]  # pairs of words that must both occur
    exact_words: set[str]  # for marking matches in passages
    prefixes: list[str]
    marks: dict[str, int] = field(default_factory=dict)  # token -> 0 (whole) or letters typed
    e_any: int = 0
    e_about: int = 0
    p_any: int = 0
    p_about: int = 0
    f_any: int = 0  # one typo away
    f_about: int = 0
    g_any: int = 0  # two typos away
    g_about: int = 0

    @property
    def nbytes(self) -> int:
        bits = (self.e_any, self.e_about, self.p_any, self.p_about, self.f_any, self.f_about, self.g_any, self.g_about)
        return sum(b.bit_length() for b in bits) >> 3


def fuzzy(
    vocab: Vocabulary, word: str, k: int, *, prefix: bool = False, by_count: bool = True
) -> list[tuple[str, int]]:
    """``(word, distance)`` for vocabulary words within ``k`` typos (OSA distance:
    transpositions count one), closest first (then the most frequent, then A-Z)."""
    if k <= 0 or not word:
        return []
    n = len(word)
    firsts = sorted({word[0], word[1]} if n > 1 else {word[0]})  # first two letters swapped
    hi = n + 24 if prefix else n + k
    cands = vocab.bucket_words(firsts, max(3, n - k), hi)
    if not cands:
        return []
    found: dict[str, int] = {}
    for m in rf_process.extract(word, cands, scorer=OSA.distance, score_cutoff=k, limit=None):
        found[m[0]] = m[1]
    if prefix:
        for ln in (n, n + 1):
            cut = [c[:ln] for c in cands]
            for m in rf_process.extract(word, cut, scorer=OSA.distance, score_cutoff=k, limit=None):
                w = cands[m[2]]
                if m[1] < found.get(w, 99):
                    found[w] = m[1]
    if by_count:
        best = sorted(found, key=lambda w: (found[w], -vocab.df(w), w))[:FUZZY_LIMIT]
    else:
        best = sorted(found, key=lambda w: (found[w], w))[:FUZZY_LIMIT]
    return [(w, found[w]) for w in best]


class Expander:
    """Expands query words on ``vocab``; ``or_bits(words, about)`` gives the documents
    holding any of ``words``, ``bits(word, about)`` those holding one."""

    def __init__(
        self,
        vocab: Vocabulary,
        spellings: Spellings,
        or_bits: Callable[[list[str], bool], int],
        bits: Callable[[str, bool], int],
    ) -> None:
        self.vocab = vocab
        self.spellings = spellings
        self.or_bits = or_bits
        self.bits = bits
        self._cache: LRU[tuple[str, bool, bool], Expansion] = LRU(512, 16 << 20)
        self._pinned: dict[tuple[str, bool, bool], Expansion] = {}
        self._prefixes: LRU[str, tuple[str, ...]] = LRU(2048)

    def completions(self, prefix: str) -> tuple[str, ...]:
        """The vocabulary words starting with ``prefix`` (not equal), best first."""
        hit = self._prefixes.get_(prefix)
        if hit is None:
            hit = tuple(self.vocab.completions(prefix, prefix_limit(len(prefix))))
            self._prefixes.put(prefix, hit)
        return hit

    def expand(self, word: str, is_prefix: bool, *, allow_fuzzy: bool = True) -> Expansion:
        word = word[:MAX_TOKEN]
        key = (word, is_prefix, allow_fuzzy)
        hit = self._pinned.get(key) if len(word) == 1 else self._cache.get_(key)
        if hit is not None:
            return hit
        ex = self._expand(word, is_prefix, allow_fuzzy)
        if len(word) == 1:
            self._pinned[key] = ex  # the first keystroke of every query: keep them all
        else:
            self._cache.put(key, ex)
        return ex

    def _expand(self, word: str, is_prefix: bool, allow_fuzzy: bool) -> Expansion:
        vocab = self.vocab
        exact: list[str] = []
        exact_words: set[str] = set()
        splits: list[tuple[str, str]] = []
        for w in [word, *self.spellings.variants(word, vocab.__contains__)]:
            if " " in w:  # a variant in two words ("per cent")
                a, _, b = w.partition(" ")
                if a in vocab and b in vocab:
                    splits.append((a, b))
                    exact_words.update((a, b))
            elif w in vocab:
                exact.append(w)
                exact_words.add(w)
        # the word written in two ("vietnam" -> "viet nam")
        if len(word) >= 6 and not word.isdigit():
            for i in range(3, len(word) - 2):
                a, b = word[:i], word[i:]
                if a in vocab and b in vocab:
                    splits.append((a, b))
                    exact_words.update((a, b))
                    if len(splits) >= _MAX_SPLITS:
                        break
        prefix_words: list[str] = []
        prefixes: list[str] = []
        if is_prefix:
            for p in (word, *self.spellings.prefix_variants(word)):
                got = self.completions(p)
                if got:
                    prefix_words.extend(w for w in got if w not in exact and w not in prefix_words)
                    prefixes.append(p)
        near: list[str] = []
        far: list[str] = []
        if allow_fuzzy and not exact and not splits and not prefix_words and not word.isdigit():
            for w, dist in fuzzy(vocab, word, typo_budget(len(word)), prefix=is_prefix):
                (near if dist <= 1 else far).append(w)
                exact_words.add(w)
        ex = Expansion(exact, prefix_words, near + far, splits, exact_words, prefixes)
        ex.e_any = self.or_bits(exact, False)
        ex.e_about = self.or_bits(exact, True)
        for a, b in splits:
            ex.e_any |= self.bits(a, False) & self.bits(b, False)
            ex.e_about |= self.bits(a, True) & self.bits(b, True)
        ex.marks = dict.fromkeys(exact_words, 0)
        if prefix_words:
            ex.p_any = self.or_bits(prefix_words, False)
            ex.p_about = self.or_bits(prefix_words, True)
            for w in prefix_words:
                if w not in ex.marks:
                    ex.marks[w] = max((len(p) for p in prefixes if w.startswith(p)), default=len(word))
        if near:
            ex.f_any = self.or_bits(near, False)
            ex.f_about = self.or_bits(near, True)
        if far:
            ex.g_any = self.or_bits(far, False)
            ex.g_about = self.or_bits(far, True)
        return ex

    def closest(self, word: str) -> str | None:
        """The vocabulary word closest to ``word`` (did you mean), or None."""
        if word.isdigit() or len(word) < 3:
            return None
        for k in (1, 2, 3):
            if k > max(1, len(word) // 3):
                break
            found = fuzzy(self.vocab, word, k)
            if found:
                return found[0][0]
        # anywhere in the vocabulary (first letter wrong too)
        cands = self.vocab.words_of_length(len(word) - 2, len(word) + 2)
        m = rf_process.extractOne(word, cands, scorer=OSA.distance, score_cutoff=max(1, len(word) // 3))
        return m[0] if m else None
