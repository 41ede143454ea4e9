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
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pktui.text import fold, fold_char, fold_keep

# Characters that join two words into a compound (hyphens and apostrophes). Digit groups
# are joined by "," and "." between digits.
JOINERS = "-\u2010\u2011'\u2019"

_WORD = r"[^\W_]+"
_WORD_RE = re.compile(_WORD)
_COMPOUND_RE = re.compile(
    r"[^\W_]+(?:(?:[\-\u2010\u2011'\u2019]|(?<=\d)[.,](?=\d))[^\W_]+)+"
)
_NOT_WORD_RE = re.compile(r"[\W_]+")

# Text whose characters all fold the same way with whole-string NFKD + mark removal as
# with ``fold_char`` one character at a time (checked exhaustively by a test).
_UNSAFE_FAST = re.compile(
    "[^\u0000-\u00bb\u00bf-\u013e\u0141-\u0148\u014a-\u01e1\u01e4-\u01fb\u0200-\u024f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e]"
)
_MARKS = re.compile("[\u0300-\u036f]")
_HAS_EXTRA = re.compile("[\u0111\u0110\u00f8\u00d8\u0142\u0141\u00df\u00e6\u00c6\u0153\u0152\u0131]")
_EXTRA = str.maketrans(
    {"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae",
     "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i"}
)


def fold_text(text: str) -> str:
    """Fold letters like ``fold`` but keep the separators (so compounds can be found).

    Alphanumeric characters come out exactly as ``fold`` folds them; everything else is
    kept as is (hyphens, apostrophes, commas) or becomes a space. The length may change.
    """
    if text.isascii():
        return text.lower()
    if _UNSAFE_FAST.search(text) is None:
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
        if _HAS_EXTRA.search(text) is not None:
            text = text.translate(_EXTRA)
        return text.lower()
    out = []
    for ch in text:
        f = fold_char(ch)
        if f.isalnum():
            out.append(f)
        elif ch in JOINERS or ch in ".,":
            out.append(ch)
        else:
            out.append(" ")
    return "".join(out)


def words(text: str) -> list[str]:
    """``fold(text).split()``, fast."""
    return _split_words(fold_text(text))


# after lower(): every ASCII byte that is not a letter or digit separates words
_ASCII_SPLIT = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))
_COMMON_PUNCT = "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb\u00b7\u00a0\u2010\u2011\u2012\u2015\u2022"
_EDGE = "".join(chr(c) for c in range(128) if not chr(c).isalnum()) + _COMMON_PUNCT


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
_WORD_END = re.compile(r"[^\W_]+$")
_HYPHENS = frozenset(JOINERS)


def _joins_at(f: str, i: int) -> bool:
    """``f[i]`` joins the words on both sides into a compound."""
    if i <= 0 or i + 1 >= len(f):
        return False
    a, b = f[i - 1], f[i + 1]
    if f[i] in _HYPHENS:
        return a.isalnum() and b.isalnum() and a != "_" and b != "_"
    return f[i] in ".," and a.isdigit() and b.isdigit()


def _compounds(f: str, hyphens: bool = True, digits: bool = True) -> list[str]:
    """Words joined by hyphens or apostrophes, and digit groups, without the joiners."""
    pos: list[int] = []
    if hyphens:
        pos = [m.start() for m in _HYPHEN_RE.finditer(f)]
    if digits:
        pos.extend(m.start() + 1 for m in _DIGIT_SEP_RE.finditer(f))
        pos.sort()
    out = []
    last = -1
    match_word = _WORD_RE.match
    n = len(f)
    for i in pos:
        if i <= last or not _joins_at(f, i):
            continue
        left = _WORD_END.search(f, max(0, i - 64), i)
        if left is None:
            continue
        parts = [left.group()]
        j = i
        while j < n and _joins_at(f, j):
            right = match_word(f, j + 1)
            if right is None:
                break
            parts.append(right.group())
            j = right.end()
        last = j
        if len(parts) > 1:
            out.append("".join(parts))
    return out


def index_tokens(text: str) -> list[str]:
    """Folded words and joined compounds of ``text`` (may repeat)."""
    f = fold_text(text)
    if f.isascii():
        b = f.encode("ascii")
        toks = b.translate(_ASCII_SPLIT).decode("ascii").split()
        if len(toks) > 1:
            hy = b"-" in b or b"'" in b
            dg = False
            if b"," in b or b"." in b:
                t9 = b.translate(_DIGITS9)
                dg = b"9,9" in t9 or b"9.9" in t9
            if hy or dg:
                toks.extend(_compounds(f, hy, dg))
        return toks
    toks = _split_words(f)
    if len(toks) > 1:
        toks.extend(_compounds(f))
    return toks


def joined(text: str) -> str:
    """The folded text with no spaces: the key of a name (``Việt Nam`` -> ``vietnam``)."""
    return "".join(words(text))


@lru_cache(maxsize=4096)
def _span_tokens_cached(text: str) -> tuple[tuple[str, int, int], ...]:
    if text.isascii():
        keyed = text.lower()
        out = [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(keyed)]
        if len(out) > 1:
            for m in _COMPOUND_RE.finditer(keyed):
                out.append((_NOT_WORD_RE.sub("", m.group()), m.start(), m.end()))
        return tuple(out)
    keyed = fold_keep(text)
    out = []
    for m in _WORD_RE.finditer(keyed):
        out.append(("".join(fold(text[m.start() : m.end()]).split()), m.start(), m.end()))
    if len(out) > 1:
        for m in _COMPOUND_RE.finditer(keyed):
            out.append(("".join(fold(text[m.start() : m.end()]).split()), m.start(), m.end()))
    return tuple(out)


def span_tokens(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for the words and compounds of ``text``; offsets + ``offset``."""
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
