"""Sentence boundaries, datelines and titles.

Kept below the extraction layer because the corpus reader needs a title for each article.
Abbreviations (ranks such as "Maj. Gen.", "Sen. Lieu. Gen.", honorifics, months) come from
the domain data so that a new rank never splits a sentence.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from pktui.domain import load_domain

# (?<!...) starts a match only at the first mark of a run: "....." (x 10,000) was quadratic
_END_RE = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]]*(?=\s)")
_NEXT_RE = re.compile(r"\s+([\"'“‘(\[]?)(\S)")
_WORD_BEFORE_RE = re.compile(r"([\w.’'-]+)$")
_WORD_WINDOW = 64  # no abbreviation is longer
_DATELINE_RE = re.compile(r"(?P<pre>[^\n—–.!?]{1,70}?)\s+(?:[—–]|-{1,2})\s+")
_DATELINE_WORD_RE = re.compile(r"[(\[]?[^\W\d_][\w.’'-]*[)\],]*|[(\[]?\d[\d,/.-]*[)\],]*|[(\[]?[^\w\s]+[)\],]*")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(load_domain().abbreviations)


@lru_cache(maxsize=1)
def _dateline_words() -> frozenset[str]:
    dom = load_domain()
    return frozenset(w.lower() for w in (*dom.months, *dom.weekdays))


def prepare() -> None:
    """Read the word lists sentence splitting needs (the domain data: half a second), so that
    the first split, on whichever thread, does not."""
    _abbreviations()
    _dateline_words()


def _is_abbreviation(word: str) -> bool:
    """``word`` ends with the period that may end a sentence."""
    core = word.rstrip(".")
    if not core:
        return False
    if core.lower() in _abbreviations() or core in _abbreviations():
        return True
    if len(core) == 1 and core.isalpha():  # an initial: "J. Smith"
        return True
    # dotted acronyms: U.S., U.N., e.g.
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", core))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as absolute (start, end) spans, stripped.

    Paragraph breaks (blank lines) always end a sentence.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for ps, pe in _paragraphs(text, start, end):
        spans.extend(_split_paragraph(text, ps, pe))
    return spans


def sentence_at(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence of ``sentences`` (sorted, not overlapping) holding ``pos``, else ``(pos, pos)``."""
    k = bisect.bisect_right(sentences, (pos, float("inf"))) - 1
    if k >= 0 and sentences[k][0] <= pos < sentences[k][1]:
        return sentences[k]
    return (pos, pos)


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in re.finditer(r"\n[ \t]*\n", text[start:end]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, end))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in out) if e > s]


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _split_paragraph(text: str, ps: int, pe: int) -> list[tuple[int, int]]:
    spans = []
    seg_start = ps
    para = text[ps:pe]
    for m in _END_RE.finditer(para):
        cut = ps + m.end()
        nxt = _NEXT_RE.match(text, cut, pe)
        if not nxt:
            continue
        opener, first = nxt.group(1), nxt.group(2)
        if not (first.isupper() or first.isdigit() or opener):
            continue
        punct = m.group(0)
        if punct.startswith(".") and len(punct.rstrip("\"'”’)]")) == 1 and not punct.endswith((")", "]")):
            # the word before the period: look back a bounded window, not from the sentence
            # start (a long run of abbreviations, "Gen. Lt. Col. ...", was quadratic)
            dot = ps + m.start() + 1
            wb = _WORD_BEFORE_RE.search(text, max(seg_start, dot - _WORD_WINDOW), dot)
            if wb and _is_abbreviation(wb.group(1)) and not _starts_sentence_anyway(text, nxt.start(2)):
                continue
        s, e = _strip(text, seg_start, cut)
        if e > s:
            spans.append((s, e))
        seg_start = cut
    s, e = _strip(text, seg_start, pe)
    if e > s:
        spans.append((s, e))
    return spans


_ALWAYS_STARTERS = frozenset(
    [
        "The",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "In",
        "On",
        "At",
        "But",
        "And",
        "However",
        "Meanwhile",
    ]
)


def _starts_sentence_anyway(text: str, pos: int) -> bool:
    """After "U.S." a pronoun or article still starts a new sentence."""
    m = re.match(r"[A-Za-z]+", text[pos : pos + 20])
    return m is not None and m.group(0) in _ALWAYS_STARTERS and _dotted_before(text, pos)


def _dotted_before(text: str, pos: int) -> bool:
    before = text[max(0, pos - 8) : pos].rstrip()
    return bool(re.search(r"(?:[A-Za-z]\.){2,}$", before))


def dateline_end(text: str, start: int = 0) -> int:
    """Offset after a dateline prefix such as ``VIETNAM, November 27 - HÀ NỘI — ``."""
    pos = start
    for _ in range(3):
        m = _DATELINE_RE.match(text, pos)
        if not m or not _looks_like_dateline(m.group("pre")):
            break
        pos = m.end()
    return pos


def _looks_like_dateline(pre: str) -> bool:
    words = pre.split()
    if not words or len(words) > 8:
        return False
    known = _dateline_words()
    for w in words:
        core = w.strip("(),[]")
        if not core:
            continue
        if core[0].isdigit() or core.isupper() or core.lower() in known:
            continue
        if core[0].isupper() and len(words) <= 3:
            continue
        return False
    return True


def title_of(body: str, limit: int = 500) -> str:
    """The title of an article that gives none: its whole lead sentence without the dateline
    (citations and the export carry it whole; lists clip it to their width). Only a run-on
    lead past ``limit`` characters is cut, at a word."""
    head_end = body.find("\n\n", 0, 4000)
    spans = sentence_spans(body, 0, head_end if head_end > 0 else min(len(body), 4000))
    if not spans:
        return "(untitled)"
    s, e = spans[0]
    s = dateline_end(body, s)
    title = " ".join(body[s:e].split())
    if len(title) > limit:
        cut = title.rfind(" ", 0, limit - 1)
        title = title[: cut if cut > limit // 2 else limit - 1].rstrip(",;:—– ") + "…"
    return title or "(untitled)"
