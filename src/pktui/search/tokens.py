"""Tokens for the search index: the project's ``fold``, fast, with compounds and offsets.

Every token here is a word of :func:`pktui.text.fold` (case, diacritics incl. đ/Đ,
punctuation and hyphens do not count). Two helpers on top of it:

* :func:`index_tokens` -- the folded words of a text *plus* its compounds: words joined by
  a hyphen or an apostrophe (``Level-2`` -> ``level``, ``2``, ``level2``) and digit groups
  (``1,100`` -> ``1``, ``100``, ``1100``), so that ``level2``, ``level 2`` and ``1100``
  all find them. Used when building the index: it must be fast, so text made of ASCII
  and Latin letters (the usual case) is folded with C-level string operations, which
  give exactly ``fold``'s words for those characters (a test checks every one of them);
  anything else goes through ``fold`` itself.
* :func:`span_tokens` -- the same tokens with their character offsets in the original
  text, for marking matches in the few passages shown.
* :func:`piece_tokens` -- the tokens of many consecutive pieces of text in one pass,
  laid out so that the tokens of any run of pieces are one slice (the index builder).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pktui.text import fold, fold_char, fold_keep

# Characters that join two words into a compound (hyphens and apostrophes). Digit groups
# are joined by "," and "." between digits.
JOINERS = "-\u2010\u2011'\u2019"

# The longest token indexed or searched: a longer word (a 20,000-letter "word" in a hostile
# article) counts by its first MAX_TOKEN letters, so that no token costs more than a word.
MAX_TOKEN = 48

_WORD = r"[^\W_]+"
_WORD_RE = re.compile(_WORD)

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_RUN_JOINERS = re.compile("[\u2019\u2018\u2010\u2011]")
_run_cache: dict[str, str] = {}
# lower() depends on the letters around a capital sigma, and folding turns these into
# one (Σ, Ϲ and the mathematical capital sigmas): fold the texts that hold one whole
_CONTEXT_CASED = ("\u03a3", "\u03f9", "\U0001d6ba", "\U0001d6f4", "\U0001d72e", "\U0001d768", "\U0001d7a2")


def _context_cased(text: str) -> bool:
    return any(c in text for c in _CONTEXT_CASED)


def fold_text(text: str) -> str:
    """Fold letters as ``fold`` does but keep the separators (so compounds can be found).

    Words come out exactly as ``fold``'s: each run of non-ASCII characters is folded by
    ``fold`` itself, between two ASCII letters so that it joins or separates the words
    around it as it does in place (runs repeat -- names, mostly -- so they are cached).
    Typographic joiners (’ ‐) become ASCII ones; the length may change.
    """
    if text.isascii():
        return text.lower()
    return _NON_ASCII_RUN.sub(_fold_match, text).lower()


def _fold_match(m: re.Match[str]) -> str:
    run = m.group()
    out = _run_cache.get(run)
    if out is None:
        if len(_run_cache) > 100_000:
            _run_cache.clear()
        if _RUN_JOINERS.search(run) is not None:
            joiner = "-" if ("\u2010" in run or "\u2011" in run) else "'"
            out = joiner.join(_fold_piece(p) for p in _RUN_JOINERS.split(run))
        else:
            out = _fold_piece(run)
        _run_cache[run] = out
    return out


def _fold_piece(piece: str) -> str:
    if not piece:
        return ""
    f = fold("a" + piece + "a")
    if len(f) >= 2 and f[0] == "a" and f[-1] == "a":
        return f[1:-1]
    return " " + f + " "


def words(text: str) -> list[str]:
    """``fold(text).split()``, fast."""
    if _context_cased(text):
        return fold(text).split()
    return _split_words(fold_text(text))


# after lower(): every ASCII byte that is not a letter or digit separates words
_ASCII_SPLIT = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))
_COMMON_PUNCT = "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb\u00b7\u00a0\u2010\u2011\u2012\u2015\u2022"


def _split_words(folded: str) -> list[str]:
    if not folded.isascii():
        for ch in _COMMON_PUNCT:
            if ch in folded:
                folded = folded.replace(ch, " ")
        if not folded.isascii():
            return _WORD_RE.findall(folded)
    return folded.encode("ascii").translate(_ASCII_SPLIT).decode("ascii").split()


_HYPHEN_RE = re.compile(r"[\-\u2010\u2011'\u2019]")
_DIGIT_SEP_RE = re.compile(r"[0-9][.,][0-9]")
_DIGITS9 = bytes(57 if 48 <= c <= 57 else c for c in range(256))
_HYPHENS = frozenset(JOINERS)


def _joins_at(f: str, i: int) -> bool:
    """``f[i]`` joins the words on both sides into a compound."""
    if i <= 0 or i + 1 >= len(f):
        return False
    a, b = f[i - 1], f[i + 1]
    if f[i] in _HYPHENS:
        return a.isalnum() and b.isalnum() and a != "_" and b != "_"
    return f[i] in ".," and a.isdigit() and b.isdigit()


def _compounds_at(f: str, hyphens: bool = True, digits: bool = True) -> list[tuple[int, int, str]]:
    """``(start, end, compound)``: words joined by hyphens or apostrophes, and digit
    groups, from where the first word starts to where the last one ends.

    A possessive ``'s`` is not a compound (``UN's`` stays ``un`` + ``s``). Linear in the
    length of ``f``: each joiner is looked at once, and each word walked over at most
    twice (no regular expression that could backtrack over a long word).
    """
    pos: list[int] = []
    n = len(f)
    if hyphens:
        if f.isascii():
            k = f.find("-")
            while k >= 0:
                pos.append(k)
                k = f.find("-", k + 1)
            k = f.find("'")
            while k >= 0:
                if not (f[k + 1 : k + 2] == "s" and (k + 2 >= n or not f[k + 2].isalnum())):
                    pos.append(k)
                k = f.find("'", k + 1)
        else:
            for m in _HYPHEN_RE.finditer(f):
                k = m.start()
                if f[k] in "'\u2019" and f[k + 1 : k + 2] == "s" and (k + 2 >= n or not f[k + 2].isalnum()):
                    continue
                pos.append(k)
    if digits:
        if f.isascii():
            t9 = f.encode("ascii").translate(_DIGITS9)
            for sep in (b"9,9", b"9.9"):
                k = t9.find(sep)
                while k >= 0:
                    pos.append(k + 1)
                    k = t9.find(sep, k + 1)
        else:
            pos.extend([m.start() + 1 for m in _DIGIT_SEP_RE.finditer(f)])
    if not pos:
        return []
    pos.sort()
    out = []
    last = -1
    match_word = _WORD_RE.match
    for i in pos:
        if i <= last or not _joins_at(f, i):
            continue
        j = i
        while j > last + 1 and f[j - 1].isalnum():  # never back into the previous compound
            j -= 1
        if j == i:
            continue
        start = j
        parts = [f[j:i]]
        size = i - j
        j = i
        while j < n and _joins_at(f, j) and size < MAX_TOKEN:
            if f[j] in "'\u2019" and f[j + 1 : j + 2] == "s" and (j + 2 >= n or not f[j + 2].isalnum()):
                break
            right = match_word(f, j + 1)
            if right is None:
                break
            parts.append(right.group())
            size += right.end() - right.start()
            j = right.end()
        last = j
        if len(parts) > 1:
            out.append((start, j, "".join(parts)))
    return out


def _compounds(f: str, hyphens: bool = True, digits: bool = True) -> list[str]:
    return [c for _, _, c in _compounds_at(f, hyphens, digits)]


def _has_joins(f: str) -> tuple[bool, bool]:
    """(hyphen or apostrophe, digit group separator) may occur in folded ``f``."""
    if f.isascii():
        hy = "-" in f or "'" in f
        dg = False
        if "," in f or "." in f:
            t9 = f.encode("ascii").translate(_DIGITS9)
            dg = b"9,9" in t9 or b"9.9" in t9
        return hy, dg
    return True, True


def _index_tokens_whole(text: str) -> list[str]:
    toks = fold(text).split()
    f = fold_text(text)
    hy, dg = _has_joins(f)
    if len(toks) > 1 and (hy or dg):
        toks.extend(_compounds(f, hy, dg))
    return toks


def index_tokens(text: str) -> list[str]:
    """Folded words and joined compounds of ``text`` (may repeat)."""
    if _context_cased(text):
        return _index_tokens_whole(text)
    f = fold_text(text)
    toks = _split_words(f)
    if len(toks) > 1:
        hy, dg = _has_joins(f)
        if hy or dg:
            toks.extend(_compounds(f, hy, dg))
    return toks


# a word that folding keeps and no text contains: separates the texts of one batch
SEP_WORD = _SEP_WORD = "qzx0sep0xzq"
_SEP = f" {_SEP_WORD} "


def joined(text: str) -> str:
    """The folded text with no spaces: the key of a name (``Việt Nam`` -> ``vietnam``)."""
    return "".join(words(text))


@lru_cache(maxsize=4096)
def _span_tokens_cached(text: str) -> tuple[tuple[str, int, int], ...]:
    if text.isascii():
        keyed = text.lower()
        out = [(m.group()[:MAX_TOKEN], m.start(), m.end()) for m in _WORD_RE.finditer(keyed)]
        if len(out) > 1:
            hy, dg = _has_joins(keyed)
            out.extend((c[:MAX_TOKEN], s, e) for s, e, c in _compounds_at(keyed, hy, dg))
        return tuple(out)
    keyed = fold_keep(text)
    out = []
    for m in _WORD_RE.finditer(keyed):
        out.append(("".join(fold(text[m.start() : m.end()]).split())[:MAX_TOKEN], m.start(), m.end()))
    if len(out) > 1:
        for s, e, _ in _compounds_at(keyed):
            out.append(("".join(fold(text[s:e]).split())[:MAX_TOKEN], s, e))
    return tuple(out)


def span_tokens(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for the words and compounds of ``text``; offsets + ``offset``.
    A token over :data:`MAX_TOKEN` letters is cut there, as the index cuts it."""
    toks = _span_tokens_cached(text)
    if not offset:
        return list(toks)
    return [(t, s + offset, e + offset) for t, s, e in toks]


def prefix_end(text: str, start: int, end: int, n: int) -> int:
    """Offset in ``text`` where the first ``n`` folded letters of ``text[start:end]`` end."""
    count = 0
    i = start
    while i < end and count < n:
        f = fold_char(text[i])
        if f.isalnum():
            count += len(f)
        i += 1
    return i


def piece_tokens(texts: list[str]) -> tuple[list[str], list[int]]:
    """Tokens of consecutive pieces of text, laid out so that any run of pieces is a slice.

    Returns ``(tokens, starts)``: ``tokens[starts[i]:starts[i + 1]]`` are the words and
    compounds of ``texts[i]`` followed by one :data:`SEP_WORD`, so the tokens of pieces
    ``i`` to ``j - 1`` are ``tokens[starts[i]:starts[j]]`` (``len(starts) == len(texts) + 1``).
    One pass over all the texts: each compound is written into the folded text right
    after its words, and the separators are found at C speed.
    """
    if not texts:
        return [], [0]
    f = _SEP.join([t.lower() if t.isascii() else fold_text(t) for t in texts]) + _SEP
    if not f.isascii() and any(map(_context_cased, texts)):
        return _piece_tokens_each(texts)
    hy, dg = _has_joins(f)
    if hy or dg:
        found = _compounds_at(f, hy, dg)
        if found:
            parts: list[str] = []
            pos = 0
            for _, end, c in found:
                parts.extend((f[pos:end], " ", c, " "))
                pos = end
            parts.append(f[pos:])
            f = "".join(parts)
    toks = _split_words(f)
    starts = [0]
    k = -1
    find = toks.index
    try:
        for _ in texts:
            k = find(_SEP_WORD, k + 1)
            starts.append(k + 1)
    except ValueError:  # pragma: no cover - every text is followed by one
        return _piece_tokens_each(texts)
    if k + 1 != len(toks):  # a text holds the separator word itself
        return _piece_tokens_each(texts)
    return toks, starts


def _piece_tokens_each(texts: list[str]) -> tuple[list[str], list[int]]:
    toks: list[str] = []
    starts = [0]
    for t in texts:
        toks.extend(index_tokens(t))
        toks.append(_SEP_WORD)
        starts.append(len(toks))
    return toks, starts
