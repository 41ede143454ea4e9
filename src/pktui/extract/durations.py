"""Durations: "two-year", "13-year-old", "year-long", "(for) a year", "almost a decade",
"the past decade", and headcounts written as one word ("three-member", "five-plus years")."""

from __future__ import annotations

import re

from pktui.extract.numbers import Numbers, QuantityMention, num, qualifier_before
from pktui.extract.tokens import Token
from pktui.text import fold

_DURATION_ADJ_RE = re.compile(
    r"^(?P<n>[a-z]+|\d+)-(?P<unit>year|month|week|day|hour|decade)(?:s)?(?:-(?:old|long))?$", re.I
)
_ONE_UNIT_ADJ_RE = re.compile(r"^[a-z]+-(?:long|old)$")


def duration_adjective(tokens: list[Token], i: int, nums: Numbers) -> tuple[QuantityMention, int] | None:
    tok = tokens[i]
    # "13-year-old": number, "-", "year-old"
    if tok.is_number and i + 2 < len(tokens) and tokens[i + 1].text == "-" and tokens[i + 1].start == tok.end:
        m = re.match(r"^(year|month|week|day|hour|decade)s?(?:-(?:old|long))?$", tokens[i + 2].text, re.I)
        if m:
            value = float(tok.text.replace(",", ""))
            q, qs = qualifier_before(tokens, i, nums)
            start = tokens[qs].start if qs is not None else tok.start
            why = "duration adjective: number + " + tokens[i + 2].text
            return QuantityMention(
                start, tokens[i + 2].end, num(value), q, m.group(1).lower(), tokens[i + 2].text, why
            ), i + 3
        return None
    if not tok.is_word:
        return None
    low = tok.text.lower()
    if low == "yearlong" or (_ONE_UNIT_ADJ_RE.match(low) and low.split("-")[0] in nums.durations):
        unit = low.split("-")[0].replace("yearlong", "year")  # "year-long", "decade-old"
        return QuantityMention(tok.start, tok.end, 1, "exact", unit, tok.text, "duration adjective: one " + unit), i + 1
    m = _DURATION_ADJ_RE.match(tok.text)
    if m:
        n = m.group("n")
        v = int(n) if n.isdigit() else nums.word_value(n)
        if v is None:
            return None
        q, qs = qualifier_before(tokens, i, nums)
        start = tokens[qs].start if qs is not None else tok.start
        why = "duration adjective: " + tok.text
        return QuantityMention(start, tok.end, v, q, m.group("unit").lower(), tok.text, why), i + 1
    # "for a year", "about a year", "a full year", "almost a decade": one unit of time
    if low in ("a", "an") and i + 1 < len(tokens):
        return _one_unit_of_time(tokens, i, nums)
    # "the past decade": a decade
    if low in ("past", "last", "previous") and i + 1 < len(tokens) and tokens[i + 1].text.lower() == "decade":
        why = f"“{tok.text} decade”: one decade"
        return QuantityMention(tok.start, tokens[i + 1].end, 1, "exact", "decade", "decade", why), i + 2
    # "three-member team", "five-plus years"
    m = _WORD_HEADCOUNT_RE.match(tok.text)
    if m and (v := nums.word_value(m.group("n"))) is not None:
        what = m.group("w").lower()
        if what == "plus":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is None or nxt.key not in nums.measures_by_word:
                return None
            unit = nums.measures_by_word[nxt.key]
            return QuantityMention(tok.start, nxt.end, v, "more_than", unit, nxt.text, "number + “plus”"), i + 2
        if fold(what) in nums.headcount_words:
            return QuantityMention(
                tok.start, tok.end, v, "exact", "personnel", tok.text, f"headcount: number + “{what}”"
            ), i + 1
    return None


_WORD_HEADCOUNT_RE = re.compile(r"^(?P<n>[a-z]+)-(?P<w>member|strong|man|plus)$", re.I)
_DATE_AFTER = ("ago", "later", "earlier", "before", "since", "from")


def _one_unit_of_time(tokens: list[Token], i: int, nums: Numbers) -> tuple[QuantityMention, int] | None:
    """ "(for) a year", "about a week", "a full year", "more than a decade": a duration of one unit,
    unless it is a date ("a year ago") or a rate ("twice a year", "30 patients a day")."""
    k = i + 1
    if tokens[k].key in nums.duration_adjectives and k + 1 < len(tokens):
        k += 1
    unit = tokens[k].text.lower()
    if unit not in nums.durations:
        return None
    if k + 1 < len(tokens) and tokens[k + 1].text.lower() in _DATE_AFTER:
        return None
    prev = tokens[i - 1] if i > 0 else None
    if prev is not None and (
        prev.is_number
        or prev.key in nums.rate_words
        or (prev.key,) in nums.measures
        or nums.word_value(prev.text) is not None
    ):
        return None
    q, qs = qualifier_before(tokens, i, nums)
    start = tokens[qs].start if qs is not None else tokens[i].start
    if qs is None and prev is not None and prev.text.lower() in ("for", "over", "within"):
        start = prev.start
    why = f"“{tokens[i].text}” + time unit: one {unit}"
    return QuantityMention(start, tokens[k].end, 1, q, unit, tokens[k].text, why), k + 1
