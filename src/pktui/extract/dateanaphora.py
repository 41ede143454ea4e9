"""Dates that depend on another date of the text: "on the same day", "two days later", "the
following year", "earlier in the day", "that August", "in June of that year".

Such an expression is resolved against the last date written before it (its antecedent), at
the antecedent's precision: "a week later" after "November 2019" is November 2019, after
"3 May 2022" it is 10 May 2022. With no antecedent it is left out, except "earlier/later in
the day", which then means the publication date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from pktui.domain import load_domain
from pktui.extract.datescan import scan

_NUMBER = r"(?P<n>[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|\d{1,2})"
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_PREP = r"(?:(?P<prep>[Oo]n|[Bb]y|[Ff]rom|[Uu]ntil|[Ss]ince|[Ii]n|[Dd]uring)\s+)?"
#: a clause goes on after "the year before" (it is not "the day before the vote")
_CLAUSE_END = r"(?=\s*[,.;:)]|\s*$|\s+(?:and|when|while|as|but)\b)"


@dataclass(slots=True)
class Anaphor:
    start: int
    end: int
    kind: str  # same | shift | month_of | year_of | in_the_day
    unit: str = "day"  # of a shift: day | week | month | year
    steps: int = 0  # of a shift, or the years after the antecedent's for a month or a year
    month: int = 0  # of month_of
    detail: str | None = None


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    months = load_domain().months
    month = "|".join(sorted({w for m in months for w in (m.capitalize(), m.upper())}, key=len, reverse=True))
    which = r"(?P<which>that|the same|the following|the next|the previous|the preceding)"
    pats = [
        (
            "same",
            # "that day" after a preposition or opening a sentence ("and that day and night patrols" is no date)
            rf"(?:{_PREP}[Tt]he\s+same|(?P<prep2>[Oo]n|[Bb]y|[Ff]rom|[Uu]ntil|[Ss]ince|[Dd]uring)\s+that|That)"
            r"\s+(?P<unit>day|date|morning|afternoon|evening|night)\b(?!\s+(?:of|and)\b)",
        ),
        ("in_the_day", r"(?P<w>[Ee]arlier|[Ll]ater)\s+(?:in|on)\s+(?:the|that)\s+day\b"),
        ("shift", rf"{_NUMBER}\s+(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>later|earlier)\b"),
        (
            "next",
            rf"{_PREP}[Tt]he\s+(?P<dir>following|next|previous|preceding)\s+(?P<unit>day|week|month|year)\b(?!['’]s)",
        ),
        ("before_after", rf"{_PREP}[Tt]he\s+(?P<unit>day|week|month|year)\s+(?P<dir>before|after){_CLAUSE_END}"),
        ("that_month", rf"{_PREP}[Tt]hat\s+(?P<month>{month})\b"),
        (
            "month_of",
            rf"{_PREP}(?:(?:the\s+)?(?P<part>end|beginning|middle|start)\s+of\s+)?(?P<month>{month})\s+(?:of\s+)?{which}\s+year\b",
        ),
        ("year_of", rf"{_PREP}(?:[Tt]hat|[Tt]he\s+same)\s+(?P<unit>year|summer|winter|spring|autumn)\b"),
    ]
    return [(name, re.compile(rf"(?<!\w)(?:{p})")) for name, p in pats]


@lru_cache(maxsize=1)
def _gates() -> dict[str, re.Pattern[str]]:
    """Words each pattern cannot match without (see datescan)."""
    units = r"(?:day|date|morning|afternoon|evening|night)"
    return {
        "same": re.compile(rf"same\s+{units}|[Tt]hat\s+{units}"),
        "in_the_day": re.compile(r"(?:in|on)\s+(?:the|that)\s+day\b"),
        "shift": re.compile(r"(?:day|week|month|year)s?\s+(?:later|earlier)"),
        "next": re.compile(r"(?:following|next|previous|preceding)\s+(?:day|week|month|year)"),
        "before_after": re.compile(r"(?:day|week|month|year)\s+(?:before|after)"),
        "that_month": re.compile(r"[Tt]hat\s+[A-Z]"),
        "month_of": re.compile(r"(?:that|same|following|next|previous|preceding)\s+year"),
        "year_of": re.compile(r"(?:[Tt]hat|same)\s+(?:year|summer|winter|spring|autumn)"),
    }


def find_anaphors(text: str) -> list[Anaphor]:
    months = load_domain().months
    out = []
    for name, m in scan(text, _patterns(), _gates()):
        g = m.groupdict()
        prep = (g.get("prep") or "").lower()
        detail = prep if prep in ("by", "from", "until", "since") else None
        s, e = m.span()
        if name == "same":
            out.append(Anaphor(s, e, "same", detail=detail))
        elif name == "in_the_day":
            out.append(Anaphor(s, e, "in_the_day"))
        elif name == "shift":
            n = g["n"].lower()
            steps = int(n) if n.isdigit() else _NUMBERS[n]
            sign = 1 if g["dir"].lower() == "later" else -1
            out.append(Anaphor(s, e, "shift", g["unit"].rstrip("s"), sign * steps))
        elif name in ("next", "before_after"):
            sign = 1 if g["dir"].lower() in ("following", "next", "after") else -1
            out.append(Anaphor(s, e, "shift", g["unit"], sign, detail=detail))
        elif name in ("that_month", "month_of"):
            which = (g.get("which") or "that").lower()
            steps = {"the following": 1, "the next": 1, "the previous": -1, "the preceding": -1}.get(which, 0)
            month = months[g["month"].lower()]
            out.append(Anaphor(s, e, "month_of", steps=steps, month=month, detail=detail))
        elif name == "year_of":
            out.append(Anaphor(s, e, "year_of", detail=detail))
    return out


def resolve_anaphor(
    a: Anaphor, antecedent: tuple[str, str] | None, published: date | None
) -> tuple[str, str, str] | None:
    """(value, precision, why) of the anaphor given the antecedent's (value, precision), or None."""
    if a.kind == "in_the_day" and (antecedent is None or antecedent[1] != "day"):
        if published is None:
            return None
        return published.isoformat(), "day", "earlier/later in the day, no day before: the publication date"
    if antecedent is None:
        return None
    value, precision = antecedent
    why = f"after the date before it ({value})"
    if a.kind in ("same", "in_the_day"):
        if precision not in ("day", "month"):
            return None
        return value, precision, f"the same day as the date before it ({value})"
    year = int(value[:4])
    if a.kind == "year_of":
        return f"{year:04d}", "year", f"the year of the date before it ({value})"
    if a.kind == "month_of":
        return f"{year + a.steps:04d}-{a.month:02d}", "month", f"a month of the year of the date before it ({value})"
    # a shift, at the antecedent's precision (a shift in years gives a year)
    if precision == "year" or a.unit == "year":
        return f"{year + (a.steps if a.unit == 'year' else 0):04d}", "year", why
    month = int(value[5:7])
    if precision == "month":
        if a.unit == "year":
            year += a.steps
        elif a.unit == "month":
            idx = year * 12 + month - 1 + a.steps
            year, month = idx // 12, idx % 12 + 1
        return f"{year:04d}-{month:02d}", "month", why
    day = date(year, month, int(value[8:10]))
    if a.unit in ("day", "week"):
        day += timedelta(days=a.steps * (7 if a.unit == "week" else 1))
    elif a.unit == "month":
        idx = year * 12 + month - 1 + a.steps
        y, m = idx // 12, idx % 12 + 1
        day = date(y, m, min(day.day, calendar.monthrange(y, m)[1]))
    else:
        y = year + a.steps
        day = date(y, month, min(day.day, calendar.monthrange(y, month)[1]))
    if a.unit == "year":
        return f"{day.year:04d}", "year", why
    if a.unit == "month":
        return f"{day.year:04d}-{day.month:02d}", "month", why
    return day.isoformat(), "day", why
