"""Roles: a person's title or post, as the article states it.

"Director of the department Maj. Gen. Hoàng Kim Phụng", "Hoang Xuan Chien (right), Deputy
Minister of National Defence," and "UN Under-Secretary-General for Peace Operations
Jean-Pierre Lacroix" each give a role fact tied to the title's characters.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pktui.extract.entities import Found

_OF_TAIL_RE = re.compile(
    r"\s+(?:of|for)\s+the\s+[a-z]+\b(?!\s+[a-z])"  # "Director of the department"
    r"|\s+(?:of|for)\s+(?:the\s+)?(?:[A-ZÀ-Ỹ][\w’'.-]*|of|for|and|the|on|in)(?:\s+(?:[A-ZÀ-Ỹ][\w’'.-]*|of|for|and|the|on|in))*"
)
_TRAILING_CONNECTOR_RE = re.compile(r"\s+(?:of|for|and|the|in|on|at)$")
_SPACES_RE = re.compile(r" +")
_LEAD_GAP_RE = re.compile(r"^\s*(?:\([^)]{0,20}\)\s*)?,\s*(?:the\s+|who\s+(?:is|was)\s+(?:the\s+|a\s+)?)?$")


@dataclass(slots=True)
class RoleMention:
    start: int
    end: int
    title: str
    person: str  # entity key
    org: str | None
    why: str = ""


#: characters after a title that its "of ..." tail is looked for in
TAIL_WINDOW = 200


def find_roles(
    text: str, titles: list[tuple[int, int]], mentions: list[Found], ranks: list[tuple[int, int, str]]
) -> list[RoleMention]:
    """Each title with the person it belongs to (mentions sorted by start, not overlapping)."""
    persons = [m for m in mentions if m.type == "person"]
    person_starts = [p.start for p in persons]
    person_at = {p.start: p for p in persons if " " in text[p.start : p.end]}
    orgs = [m for m in mentions if m.type in ("organization", "mission", "country")]
    org_starts = [o.start for o in orgs]
    rank_spans = [(s, e) for s, e, _ in ranks]
    rank_end_at = dict(rank_spans)
    rank_starts = [s for s, _e in rank_spans]
    out: list[RoleMention] = []
    for ts, te in titles:
        # extend: "Director of the department", "Deputy Minister of National Defence"
        tail = _OF_TAIL_RE.match(text, te, te + TAIL_WINDOW)
        end = te
        if tail:
            # never swallow the person's name or a rank
            cand = min(tail.end(), _first_at_or_after(person_starts, te), _first_at_or_after(rank_starts, te))
            end = _rstrip(text, te, cand)
        start = ts
        # an organisation right before the title belongs to it: "UN Under-Secretary-General"
        k = bisect.bisect_left(org_starts, ts) - 1
        if k >= 0 and orgs[k].end <= ts:
            gap = text[orgs[k].end : ts]
            if len(gap) <= 2 and gap.strip() in ("", "’s", "'s"):
                start = orgs[k].start
        person = _person_after(text, end, person_at, rank_end_at)
        why = "title before the name"
        if person is None:
            k = bisect.bisect_left(person_starts, start)
            person, why = _person_before(text, start, persons[:k][-8:]), "title in apposition after the name"
        if person is None:
            continue
        k = bisect.bisect_left(org_starts, start)
        org = orgs[k].key if k < len(orgs) and orgs[k].end <= end else None
        title = " ".join(text[start:end].split())
        out.append(RoleMention(start, end, title, person.key, org, f"{why}: {person.name}"))
    return out


def _first_at_or_after(starts: list[int], pos: int) -> int:
    k = bisect.bisect_left(starts, pos)
    return starts[k] if k < len(starts) else 1 << 62


def _rstrip(text: str, lo: int, hi: int) -> int:
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ",;:"):
        hi -= 1
    # drop a trailing connector: "Director of the" -> "Director"
    m = _TRAILING_CONNECTOR_RE.search(text, lo, hi)
    while m:
        hi = m.start()
        m = _TRAILING_CONNECTOR_RE.search(text, lo, hi)
    return hi


def _skip_spaces(text: str, pos: int) -> int:
    m = _SPACES_RE.match(text, pos)
    return m.end() if m else pos


def _person_after(text: str, end: int, person_at: dict[int, Found], rank_end_at: dict[int, int]) -> Found | None:
    pos = _skip_spaces(text, end)
    for _ in range(3):  # "Maj. Gen. (retd.)": a few ranks in a row at most
        if pos not in rank_end_at:
            break
        pos = _skip_spaces(text, rank_end_at[pos])
    return person_at.get(pos)


def _person_before(text: str, start: int, persons: list[Found]) -> Found | None:
    """Of the last few people before ``start``, one followed by "(...), the" or ", who is"."""
    for p in reversed(persons):
        if p.end <= start and _LEAD_GAP_RE.match(text[p.end : start]):
            return p
        if p.end < start - 40:
            break
    return None
