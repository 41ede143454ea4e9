"""Cutting an article into the pieces the index tokenizes, and finding its passages.

The builder knows where the facts and their sentences are; the rest of the text is cut
into sentences here (*passages*, so that every word can be found) by a light splitter.
Runs where the tokenizing runs (a helper process on a large corpus): it needs only the
text and the bounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

from pktui.search.tokens import _WORD_RE


def layout(text: str, bounds: list[int], gaps: list[tuple[int, int]]) -> tuple[list[int], list[tuple[int, int]]]:
    """Every bound (``bounds`` and those of the passages found in ``gaps``, sorted) and
    the passages."""
    passages: list[tuple[int, int]] = []
    for gs, ge in gaps:
        passages.extend(gap_sentences(text, gs, ge))
    if passages:
        cuts = set(bounds)
        for span in passages:
            cuts.update(span)
        bounds = sorted(cuts)
    return bounds, passages


def pieces(text: str, bounds: list[int]) -> list[str]:
    """The text between consecutive bounds."""
    return list(map(text.__getitem__, map(slice, bounds, islice(bounds, 1, None))))


# A sentence end: a run of end marks (from its start only, taken whole: possessive, so a
# run of 20,000 "!" is read once, not once per character), closing quotes, then a space.
_SENT_END = re.compile(r"(?<![.!?])[.!?]++[\"'\u201d\u2019)\]]*+(?=\s)|\n")
_LAST_WORD = re.compile(r"([\w.'\u2019-]+)$")


_abbrev: frozenset[str] | None = None


def abbreviations() -> frozenset[str]:
    """Words whose period ends no sentence ("Lt.", "Gen."): from the domain data, loaded
    once (or given by :func:`use_abbreviations`)."""
    global _abbrev
    if _abbrev is None:
        try:
            from pktui.domain import load_domain

            _abbrev = frozenset(str(a).lower().rstrip(".") for a in load_domain().abbreviations)
        except Exception:
            _abbrev = frozenset()
    return _abbrev


def use_abbreviations(words: Iterable[str]) -> None:
    """Take the abbreviations from the caller (a helper process need not load the domain)."""
    global _abbrev
    _abbrev = frozenset(words)


def gap_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` (text no fact covers): a light splitter."""
    seg = text[start:end]
    if len(seg) < 3 or seg.isspace():
        return []
    cuts: list[int] = []
    abbrev = abbreviations()
    for m in _SENT_END.finditer(text, start, end):
        if m.group() != "\n" and m.group()[0] == ".":
            w = _LAST_WORD.search(text, max(start, m.start() - 24), m.start())
            word = w.group(1).lower().rstrip(".") if w else ""
            if len(word) == 1 or word in abbrev:
                continue
        cuts.append(m.end())
    spans = []
    a = start
    for b in (*cuts, end):
        piece = text[a:b]
        core = piece.strip()
        if len(core) >= 3 and _WORD_RE.search(core) is not None:
            s = a + len(piece) - len(piece.lstrip())
            spans.append((s, s + len(core)))
        a = b
    return spans


def uncovered(spans: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """The parts of ``[0, n)`` that no span covers."""
    out = []
    pos = 0
    for a, b in sorted(spans):
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < n:
        out.append((pos, n))
    return out
