"""Events: a dated clause becomes a timeline entry with a short summary.

"since Việt Nam signed the first agreement with the UN on sending Level-2 Field Hospitals
to South Sudan in September 2018" -> 2018-09: "Việt Nam signed the first agreement with the
UN on sending Level-2 Field Hospitals to South Sudan".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pktui.extract.dates import DateMention
from pktui.textsplit import sentence_at

_CLAUSE_BREAK_RE = re.compile(r",\s+|;\s+|\s+[—–]\s+|:\s+")
_LEADING_RE = re.compile(
    r"^(?:(?:and|but|while|whereas|as|when|since|after|before|until|where|which|who|that|then|so|"
    r"meanwhile|notably|regarding|according to|in terms of|during|by|from|on|in|at|also)\b[\s,]*)+",
    re.I,
)
SUMMARY_LIMIT = 110
#: characters either side of a date that its clause is looked for in: a summary is short, and
#: a sentence of a megabyte with a date every few words must not be split once per date
CLAUSE_WINDOW = 400


@dataclass(slots=True)
class EventMention:
    start: int
    end: int
    date: DateMention
    summary: str


def _clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out = []
    pos = s
    depth = 0
    for m in _CLAUSE_BREAK_RE.finditer(text, s, e):
        seg = text[pos : m.start()]
        depth += seg.count("(") - seg.count(")")
        if depth > 0:
            continue
        out.append((pos, m.start()))
        pos = m.end()
        depth = 0
    out.append((pos, e))
    return [(a, b) for a, b in out if b > a]


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


def find_events(
    text: str, sentences: list[tuple[int, int]], dates: list[DateMention], body_start: int
) -> list[EventMention]:
    out = []
    for d in dates:
        if d.end <= body_start:
            continue  # the dateline's own date is the publication
        s, e = sentence_at(sentences, d.start)
        if s == e:
            continue
        s = max(s, body_start) if s < body_start <= d.start else s
        s, e = max(s, d.start - CLAUSE_WINDOW), min(e, d.end + CLAUSE_WINDOW)
        clauses = _clauses(text, s, _trim_end(text, s, e))
        idx = next((k for k, (a, b) in enumerate(clauses) if a <= d.start < b), None)
        if idx is None:
            continue
        a, b = clauses[idx]
        rest = _without(text, a, b, d)
        # a fronted "In 2022," or a trailing "in September 2018" alone says nothing: join a neighbour
        if _words(rest) < 4:
            if idx + 1 < len(clauses):
                b = clauses[idx + 1][1]
            elif idx > 0:
                a = clauses[idx - 1][0]
            rest = _without(text, a, b, d)
        if idx > 0 and _starts_with_verb(text, a):
            a = clauses[0][0]  # "X (right), Deputy Minister, receives Y on June 13": keep the subject
            rest = _without(text, a, b, d)
        summary = _summary(rest)
        if _words(summary) < 2:
            continue
        out.append(EventMention(a, b, d, summary))
    return out


def _starts_with_verb(text: str, a: int) -> bool:
    m = re.match(r"[a-z]+", text[a : a + 30])
    return (
        m is not None and (m.group(0).endswith("s") or m.group(0).endswith("ed")) and not _LEADING_RE.match(m.group(0))
    )


def _trim_end(text: str, s: int, e: int) -> int:
    while e > s and (text[e - 1] in ".;:,/ \n" or text[e - 1].isspace()):
        e -= 1
    return e


def _without(text: str, a: int, b: int, d: DateMention) -> str:
    lo, hi = max(a, d.start), min(b, d.end)
    return text[a:lo] + " " + text[hi:b]


def _summary(raw: str) -> str:
    s = " ".join(raw.split())
    s = re.sub(r"\((?:[^()]{0,12}|(?:Photo|Source|File)[^()]*)\)", "", s)  # "(right)", "(Photo: ...)"
    s = re.sub(r"\(\s*\)", "", s)
    s = " ".join(s.split())
    s = re.sub(r"\s+([,.;:])", r"\1", s)
    s = _LEADING_RE.sub("", s).strip(" ,;:—–-")
    s = re.sub(r"\b(?:so far|always|also|successfully)\s+", "", s)
    if len(s) > SUMMARY_LIMIT:
        cut = s.rfind(" ", 0, SUMMARY_LIMIT)
        s = s[: cut if cut > 40 else SUMMARY_LIMIT].rstrip(",;: ") + "…"
    return s[:1].upper() + s[1:]
