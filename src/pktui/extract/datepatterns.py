"""The patterns of time expressions ("June 13", "last year", "9am on Tuesday", "22/07/2017"),
built once from the domain data (months, weekdays, parts of the day, holidays), and the fast
gates that spare a text the patterns it cannot match."""

from __future__ import annotations

import re
from functools import lru_cache

from pktui.domain import load_domain

_PREPS = r"(?:\b(?P<prep>[Ii]n|[Oo]n|[Ss]ince|[Bb]y|[Ff]rom|[Uu]ntil|[Tt]ill|[Dd]uring|[Bb]efore|[Aa]fter|[Tt]hrough|[Aa]s of|[Ss]tarting|[Ee]arly on|[Ll]ate on|[Ee]arly|[Ll]ate)\s+)?"


_CLOCK_PREP = r"(?:(?:[Aa]t|[Aa]round|[Aa]bout|[Bb]y|[Bb]efore|[Aa]fter|[Uu]ntil|[Ff]rom|[Ss]hortly (?:after|before)|[Jj]ust (?:after|before))\s+)"


#: a clock time: "9am", "11:20 pm", "10.30 a.m.", "14:30 hrs", "at 10:00", "at noon"
_CLOCK = (
    rf"(?:{_CLOCK_PREP}(?:(?:about|around|approximately|roughly)\s+)?)?"
    r"(?<![\w.:,])(?:\d{1,2}(?:[:.]\d{2})?\s?(?:[ap]\.m\.|[ap]m\b|[AP]M\b)"
    r"|\d{1,2}[:.h]\d{2}\s?(?:hrs\b|hours\b|h\b|GMT\b|UTC\b)"
    r"|(?<=[Aa]t )(?:about |around )?\d{1,2}:\d{2}(?![\d:])"
    r"|(?<=[Aa]t )(?:noon|midday|midnight)\b)"
    r"(?:\s+(?:local time|GMT|UTC)\b)?"
)


def _alt(words: list[str]) -> str:
    forms = set()
    for w in sorted(words, key=len, reverse=True):
        forms.add(w.capitalize())
        forms.add(w.upper())
    return "|".join(sorted(forms, key=len, reverse=True))


@lru_cache(maxsize=1)
def patterns() -> list[tuple[str, re.Pattern[str]]]:
    dom = load_domain()
    month = rf"(?P<month>{_alt(list(dom.months))})\.?"
    month2 = month.replace("?P<month>", "?P<month2>")
    wd = rf"(?P<wd>{_alt(list(dom.weekdays))})"
    parts = "|".join(str(p) for p in dom.lexicon.get("parts_of_day") or []) or "(?!)"
    part = rf"(?:\s+(?P<dpart>{parts}))?"
    holidays = (
        "|".join(
            re.escape(h).replace("'", "['’]") for h in sorted(dom.lexicon.get("holidays") or {}, key=len, reverse=True)
        )
        or "(?!)"
    )
    now = "|".join(rf"{w[:1].upper()}{w[1:]}|{w}" for w in (dom.lexicon.get("present_time") or [])) or "(?!)"
    year = r"(?P<year>1[89]\d\d|20\d\d)"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    nb = r"(?![\w%])"
    pats = [
        (
            "range",
            rf"(?:(?P<the>[Tt]he|[Ff]rom|[Bb]etween|[Ii]n the|[Ff]or the|[Bb]y the|[Oo]ver the|[Dd]uring the)\s+|{_PREPS})?(?P<y1>1[89]\d\d|20\d\d)\s*(?:[–—/-]|to|and|until|through)\s*(?P<y2>1[89]\d\d|20\d\d|\d\d){nb}(?:\s+(?P<period>period|term|cycle|plan|strategy))?",
        ),
        (
            "drange",
            rf"(?:[Ff]rom\s+|[Bb]etween\s+)?{month}\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:to|until|till|through|and|[–—-])\s*(?:{month2}\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+{year})?{nb}",
        ),
        (
            "ddrange",
            rf"(?:[Ff]rom\s+|[Bb]etween\s+)?(?:the\s+)?(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:to|until|till|through|and|[–—-])\s*(?:the\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{month}(?:,?\s+{year})?{nb}",
        ),
        (
            "myrange",
            rf"(?:[Ff]rom|[Bb]etween)\s+{month}\s+(?P<y1>1[89]\d\d|20\d\d)\s+(?:to|until|till|through|and|[–—-])\s+{month2}\s+{year}{nb}",
        ),
        (
            "mrange",
            rf"(?:[Ff]rom|[Bb]etween)\s+{month}\s+(?:to|until|till|through|and|[–—-])\s+{month2}(?:,?\s+(?:in\s+)?{year})?{nb}",
        ),
        ("mdy", rf"{_PREPS}(?:(?P<the>the)\s+)?(?:{wd},?\s+)?{month}\s+{day}(?:,?\s+{year})?{nb}"),
        ("dmy", rf"{_PREPS}(?:{wd},?\s+)?(?:the\s+)?{day}\s+(?:of\s+)?{month}(?:,?\s+{year})?{nb}"),
        (
            "my",
            rf"{_PREPS}(?:(?P<part>early|mid|late|the end of|end of|the beginning of|beginning of)[\s-]+)?{month}\.?,?\s+{year}{nb}",
        ),
        (
            "m_rel",
            rf"{_PREPS}(?:(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?)?{month}\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b",
        ),
        ("rel_m", rf"(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+{month2}\b"),
        (
            "ago",
            r"(?P<n>[Aa]|[Aa]n|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|\d{1,2})\s+(?P<unit>years?|months?|weeks?|days?)\s+ago\b",
        ),
        (
            "rel",
            r"(?:(?P<prep>[Bb]y|[Uu]ntil|[Tt]ill|[Bb]efore|[Ss]ince)\s+)?(?P<mod>(?:[Ee]arly|[Ll]ate|[Mm]id|[Ee]arlier|[Ll]ater|(?:[Aa]t\s+)?[Tt]he end of|[Ee]nd of|[Tt]he beginning of|(?:[Aa]t\s+)?[Tt]he start of)[\s-]+)?(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]revious|[Cc]oming|the)\s+(?P<unit>year|month|week)\b",
        ),
        (
            "day_relm",
            rf"{_PREPS}the\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)\s+of\s+(?P<rel>this|last|next|the same|the previous)\s+month\b",
        ),
        (
            "weekend",
            r"(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Cc]oming|[Pp]ast)\s+|(?:[Aa]t|[Oo]ver|[Dd]uring|[Oo]n)\s+the\s+)weekend\b(?![-'’]|\s+of\b)",
        ),
        ("yearend", r"(?:[Aa]t\s+)?(?:the\s+)?(?P<w>[Yy]ear[- ]end|end of the year|[Yy]ear's end)\b"),
        (
            "day_rel",
            rf"(?:(?:[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+)?(?P<w>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight)\b(?:\s*\({wd}\))?{part}",
        ),
        (
            "part_day",
            rf"(?:(?:[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+)?(?P<w>[Tt]his|[Ll]ast)\s+(?P<dpart>{parts})\b",
        ),
        (
            "weekday",
            rf"(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+|{_PREPS}(?:(?:[Ee]arly|[Ll]ate)\s+on\s+)?)?{wd}(?!,?\s+(?:the\s+)?[0-3]?\d(?:st|nd|rd|th|\s+(?:of\s+)?(?:{_alt(list(dom.months))}))|\s*,?\s*(?:{_alt(list(dom.months))}))\b{part}(?:\s+(?P<wk>last|next|this)\s+week\b)?",
        ),
        ("clock", _CLOCK),
        ("now", rf"(?<!\w)(?:{now})\b"),
        (
            "part_year",
            rf"{_PREPS}(?P<part>early|mid|late|the end of|end of|the beginning of|beginning of|the first half of|the second half of)[\s-]+{year}{nb}",
        ),
        ("decade", r"(?:[Tt]he\s+)?(?P<dec>1[89]\d0|20\d0)s\b"),
        (
            "month",
            rf"{_PREPS}(?:(?P<part>(?:the\s+)?(?:end|beginning|middle|start)\s+of|early|mid|late)[\s-]+)?{month}(?!\s*\d)\b",
        ),
        ("holiday", rf"{_PREPS}(?P<hol>{holidays})\b"),
        (
            "numeric",
            r"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[01]?\d)(?P=sep)(?P<year>(?:19|20)\d\d)(?![\d/-]|\.\d)"
            r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?![\d.:]))?",
        ),
        (
            "iso",
            r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?![\d-])"
            r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?![\d:]))?",
        ),
        ("year", rf"{_PREPS}(?<![\d,.$/-]){year}(?![\d%A-Za-z]|[.,]\d|\s*(?:per\s*cent|percent))"),
    ]
    # every date starts at a word's start: (?<!\w) fails at once inside words, where most
    # positions of a text are, before any alternative is tried
    return [(name, re.compile(rf"(?<!\w)(?:{p})")) for name, p in pats]


@lru_cache(maxsize=1)
def gates() -> dict[str, re.Pattern[str]]:
    """For each pattern, words or signs without which it cannot match: a text without them
    is not scanned for it. (Each scan tries the pattern at every word start; a gate is one
    fast scan for a few literals.)"""
    dom = load_domain()
    year = re.compile(r"1[89]\d\d|20\d\d")
    month = re.compile(rf"(?:{_alt(list(dom.months))})(?![A-Za-z])")
    parts = "|".join(str(p) for p in dom.lexicon.get("parts_of_day") or []) or "(?!)"
    holidays = sorted({str(h).split("'")[0] for h in dom.lexicon.get("holidays") or {}}, key=len, reverse=True)
    now = [str(w) for w in dom.lexicon.get("present_time") or []]
    return {
        "range": year,
        "drange": month,
        "ddrange": month,
        "myrange": month,
        "mrange": month,
        "mdy": month,
        "dmy": month,
        "my": month,
        "m_rel": month,
        "rel_m": month,
        "ago": re.compile(r"ago\b"),
        "rel": re.compile(r"(?:year|month|week)\b"),
        "weekend": re.compile("weekend"),
        "day_relm": re.compile(r"\d(?:st|nd|rd|th) of"),
        "yearend": re.compile(r"ear[- ]end|end of the year|ear's end"),
        "day_rel": re.compile("esterday|oday|omorrow|onight"),  # (without the first letter: a literal scan)
        "part_day": re.compile(parts),
        "weekday": re.compile(rf"(?:{_alt(list(dom.weekdays))})(?![A-Za-z])"),
        "clock": re.compile(r"\d\s?(?:[ap]\.?m|[AP]M)|\d[:.h]\d\d|noon|midday|midnight"),
        "now": re.compile("|".join(rf"{w[:1].upper()}{w[1:]}|{w}" for w in now) or "(?!)"),
        "part_year": year,
        "decade": re.compile(r"(?:1[89]\d0|20\d0)s"),
        "month": month,
        "holiday": re.compile("|".join(re.escape(h) for h in holidays) or "(?!)"),
        "numeric": re.compile(r"\d[/.-]\d"),
        "iso": re.compile(r"\d-[01]\d-"),
        "year": year,
    }


PATTERN_WHY = {
    "range": "year range",
    "drange": "range of days",
    "ddrange": "range of days",
    "myrange": "range of months",
    "mrange": "range of months",
    "mdy": "month + day + year",
    "dmy": "day + month + year",
    "my": "month + year",
    "m_rel": "month + “last/this/next year”, from the publication date",
    "rel_m": "“last/this/next” + month, from the publication date",
    "ago": "“… ago”, from the publication date",
    "rel": "“last/this/next” + year/month/week, from the publication date",
    "weekend": "weekend: Saturday and Sunday",
    "day_relm": "day of “this/last/next month”, from the publication date",
    "yearend": "year end of the publication year",
    "day_rel": "today/yesterday/tomorrow, from the publication date",
    "part_day": "part of the day, from the publication date",
    "clock": "clock time, no day given: the publication date",
    "now": "the present: the publication date",
    "weekday": "weekday",
    "part_year": "part of a year",
    "decade": "decade",
    "month": "month name",
    "holiday": "holiday",
    "numeric": "day/month/year",
    "iso": "year-month-day",
    "year": "year",
}
