"""Roles: a person's title or post, as the article states it.

"Director of the department Maj. Gen. Hoàng Kim Phụng", "Hoang Xuan Chien (right), Deputy
Minister of National Defence," and "UN Under-Secretary-General for Peace Operations
Jean-Pierre Lacroix" each give a role fact tied to the title's characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pktui.extract.entities import Found

_OF_TAIL_RE = re.compile(
    r"\s+(?:of|for)\s+the\s+[a-z]+\b(?!\s+[a-z])"  # "Director of the department"
    r"|\s+(?:of|for)\s+(?:the\s+)?(?:[A-ZÀ-Ỹ][\w’'.-]*|of|for|and|the|on|in)(?:\s+(?:[A-ZÀ-Ỹ][\w’'.-]*|of|for|and|the|on|in))*"
)
_LEAD_GAP_RE = re.compile(r"^\s*(?:\([^)]{0,20}\)\s*)?,\s*(?:the\s+|who\s+(?:is|was)\s+(?:the\s+|a\s+)?)?$")


@dataclass(slots=True)
class RoleMention:
    start: int
    end: int
    title: str
    person: str  # entity key
    org: str | None
    why: str = ""


def find_roles(text: str, titles: list[tuple[int, int]], mentions: list[Found], ranks) -> list[RoleMention]:
    persons = [m for m in mentions if m.type == "person"]
    orgs = [m for m in mentions if m.type in ("organization", "mission", "country")]
    rank_spans = [(s, e) for s, e, _ in ranks]
    out: list[RoleMention] = []
    for ts, te in titles:
        # extend: "Director of the department", "Deputy Minister of National Defence"
        tail = _OF_TAIL_RE.match(text, te)
        end = te
        if tail:
            cand = tail.end()
            # never swallow the person's name or a rank
            for p in persons:
                if te <= p.start < cand:
                    cand = p.start
            for rs, _re in rank_spans:
                if te <= rs < cand:
                    cand = rs
            end = _rstrip(text, te, cand)
        start = ts
        # an organisation right before the title belongs to it: "UN Under-Secretary-General"
        for o in orgs:
            gap = text[o.end : ts]
            if o.end <= ts and len(gap) <= 2 and gap.strip() in ("", "’s", "'s"):
                start = o.start
        person = _person_after(text, end, persons, rank_spans)
        why = "title before the name"
        if person is None:
            person, why = _person_before(text, start, persons), "title in apposition after the name"
        if person is None:
            continue
        org = next((o.key for o in orgs if start <= o.start and o.end <= end), None)
        title = " ".join(text[start:end].split())
        out.append(RoleMention(start, end, title, person.key, org, f"{why}: {person.name}"))
    return out


def _rstrip(text: str, lo: int, hi: int) -> int:
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ",;:"):
        hi -= 1
    # drop a trailing connector: "Director of the" -> "Director"
    m = re.search(r"\s+(?:of|for|and|the|in|on|at)$", text[lo:hi])
    while m:
        hi = lo + m.start()
        m = re.search(r"\s+(?:of|for|and|the|in|on|at)$", text[lo:hi])
    return hi


def _person_after(text: str, end: int, persons: list[Found], rank_spans) -> Found | None:
    pos = end
    while pos < len(text) and text[pos] == " ":
        pos += 1
    for rs, re_ in rank_spans:
        if rs == pos:
            pos = re_
            while pos < len(text) and text[pos] == " ":
                pos += 1
    for p in persons:
        if p.start == pos and " " in text[p.start : p.end]:
            return p
    return None


def _person_before(text: str, start: int, persons: list[Found]) -> Found | None:
    for p in reversed(persons):
        if p.end <= start and _LEAD_GAP_RE.match(text[p.end : start]):
            return p
        if p.end < start - 40:
            break
    return None
