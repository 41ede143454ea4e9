"""Time expressions, resolved against the publication date.

Absolute ("2014", "September 2018", "June 13", "20 December"), relative ("on Saturday",
"last year", "a year ago", "early next month", "October last year"), ranges ("2021–2023",
"the 2025–2030 period") and starts ("since June 2014"), each with its precision.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from pktui.domain import Domain, load_domain
from pktui.extract.dateanaphora import Anaphor, find_anaphors, resolve_anaphor
from pktui.extract.datescan import scan
from pktui.model import MAX_YEAR, MIN_YEAR
from pktui.textsplit import sentence_at


@dataclass(slots=True)
class DateMention:
    start: int
    end: int
    value: str
    precision: str  # year | month | day | range
    detail: str | None = None  # since | until | by | from | before | after
    why: str = ""  # the pattern and how it was resolved ("weekday, past tense → 2022-11-26")


_PREPS = r"(?:\b(?P<prep>[Ii]n|[Oo]n|[Ss]ince|[Bb]y|[Ff]rom|[Uu]ntil|[Tt]ill|[Dd]uring|[Bb]efore|[Aa]fter|[Tt]hrough|[Aa]s of|[Ss]tarting|[Ee]arly on|[Ll]ate on|[Ee]arly|[Ll]ate)\s+)?"
_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_PAST_BEFORE_RE = re.compile(
    r"\b(?:\w+ed|said|told|met|left|went|came|saw|made|gave|took|held|began|sent|set off|set out|flew|spoke|wrote|won|led|got)\s+(?:\w+\s+){0,2}$",
    re.I,
)
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
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|is to|are to|is due|are due|scheduled|expected|plans? to|planned|set to|upcoming|going to|next)\b",
    re.I,
)


def _alt(words: list[str]) -> str:
    forms = set()
    for w in sorted(words, key=len, reverse=True):
        forms.add(w.capitalize())
        forms.add(w.upper())
    return "|".join(sorted(forms, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
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
            rf"(?:(?P<the>[Tt]he|[Ff]rom|[Bb]etween|[Ii]n the|[Ff]or the|[Bb]y the|[Oo]ver the|[Dd]uring the)\s+)?(?P<y1>1[89]\d\d|20\d\d)\s*(?:[–—-]|to|and|until|through)\s*(?P<y2>1[89]\d\d|20\d\d|\d\d){nb}(?:\s+(?P<period>period|term|cycle|plan|strategy))?",
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
            rf"(?:[Ff]rom|[Bb]etween)\s+{month}\s+(?:to|until|till|through|and|[–—-])\s+{month2}(?:,?\s+{year})?{nb}",
        ),
        ("mdy", rf"{_PREPS}(?:(?P<the>the)\s+)?(?:{wd},?\s+)?{month}\s+{day}(?:,?\s+{year})?{nb}"),
        ("dmy", rf"{_PREPS}(?:{wd},?\s+)?(?:the\s+)?{day}\s+(?:of\s+)?{month}(?:,?\s+{year})?{nb}"),
        (
            "my",
            rf"{_PREPS}(?:(?P<part>early|mid|late|the end of|end of|the beginning of|beginning of)[\s-]+)?{month}\.?,?\s+{year}{nb}",
        ),
        (
            "m_rel",
            rf"{_PREPS}(?:(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?)?{month}\s+(?P<rel>last|this|next)\s+year\b",
        ),
        ("rel_m", rf"(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+{month2}\b"),
        (
            "ago",
            r"(?P<n>[Aa]|[Aa]n|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|\d{1,2})\s+(?P<unit>years?|months?|weeks?|days?)\s+ago\b",
        ),
        (
            "rel",
            r"(?:(?P<prep>[Bb]y|[Uu]ntil|[Tt]ill|[Bb]efore|[Ss]ince)\s+)?(?P<mod>(?:[Ee]arly|[Ll]ate|[Mm]id|[Ee]arlier|[Ll]ater|(?:[Aa]t\s+)?[Tt]he end of|[Ee]nd of|[Tt]he beginning of)[\s-]+)?(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]revious|[Cc]oming|the)\s+(?P<unit>year|month|week)\b",
        ),
        ("yearend", r"(?:[Aa]t\s+)?(?:the\s+)?(?P<w>[Yy]ear[- ]end|end of the year|[Yy]ear's end)\b"),
        (
            "day_rel",
            rf"(?:(?:[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\s+)?(?P<w>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight)\b{part}",
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
            r"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[01]?\d)(?P=sep)(?P<year>(?:19|20)\d\d)(?![\d/]|\.\d)"
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
def _gates() -> dict[str, re.Pattern[str]]:
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
        "numeric": re.compile(r"\d[/.]\d"),
        "iso": re.compile(r"\d-[01]\d-"),
        "year": year,
    }


def find_dates(text: str, published: date | None, sentences: list[tuple[int, int]]) -> list[DateMention]:
    dom = load_domain()
    cands: list[tuple[int, int, str, DateMention]] = []
    anaphors: dict[int, Anaphor] = {}
    for a in find_anaphors(text):
        dm = DateMention(a.start, a.end, "", "", a.detail)
        anaphors[id(dm)] = a
        cands.append((a.start, a.end, "anaphor", dm))
    for name, m in scan(text, _patterns(), _gates()):
        try:
            found = _resolve(name, m, text, published, dom, sentences)
        except (ValueError, OverflowError):
            found = None
        if found is not None and in_calendar(found.value):
            dm = found
            dm.why = f"{dm.why or _WHY[name]} → {dm.value}"
            cands.append((dm.start, dm.end, name, dm))
    # longest first, no overlaps
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    starts: list[int] = []  # of the chosen spans, sorted; they never overlap
    ends: list[int] = []
    chosen: list[tuple[str, DateMention]] = []
    for s, e, name, dm in cands:
        k = bisect.bisect_left(starts, e)  # chosen spans starting before this one ends
        if k and ends[k - 1] > s:
            continue
        starts.insert(k, s)
        ends.insert(k, e)
        chosen.append((name, dm))
    chosen.sort(key=lambda c: c[1].start)
    return _join_clock_times(text, _resolve_anaphors(chosen, anaphors, published), published)


def _resolve_anaphors(
    chosen: list[tuple[str, DateMention]], anaphors: dict[int, Anaphor], published: date | None
) -> list[tuple[str, DateMention]]:
    """Each anaphoric date resolved against the date written last before it."""
    out = []
    last: tuple[str, str] | None = None
    for name, dm in chosen:
        if name == "anaphor":
            got = resolve_anaphor(anaphors[id(dm)], last, published)
            if got is None or not in_calendar(got[0]):
                continue
            dm.value, dm.precision, why = got
            dm.why = f"{why} → {dm.value}"
        if name not in ("clock", "now") and dm.precision in ("day", "month", "year"):
            last = (dm.value, dm.precision)
        out.append((name, dm))
    return out


_DAY_GAP_RE = re.compile(r"[ \t]*,?[ \t]*(?:on[ \t]+)?")


#: a clock time with no day next to it is on the day of the last day written before it, when
#: that is this near and a day of the publication's week (the day the news is about): "...
#: attacked yesterday. [...] The blast occurred around 6.30 am."
_CLOCK_DAY_REACH = 800
_CLOCK_DAY_DAYS = 7


def _join_clock_times(
    text: str, chosen: list[tuple[str, DateMention]], published: date | None = None
) -> list[DateMention]:
    """ "at 9am on Tuesday", "Monday at 11:20 pm": a clock time joins the day next to it and
    takes its date; alone, it takes the day of the news written before it, else the
    publication date."""
    out: list[DateMention] = []
    k = 0
    while k < len(chosen):
        name, dm = chosen[k]
        nxt = chosen[k + 1] if k + 1 < len(chosen) else None
        prev = out[-1] if out else None
        if name == "clock" and nxt is not None and _day_next_to(text, dm.end, nxt[1]):
            day = nxt[1]
            out.append(DateMention(dm.start, day.end, day.value, day.precision, day.detail, f"clock time + {day.why}"))
            k += 2
            continue
        if name == "clock" and prev is not None and _day_next_to(text, prev.end, dm):
            prev.end = dm.end
            prev.why = f"{prev.why.partition(' → ')[0]} + clock time → {prev.value}"
            k += 1
            continue
        if name == "clock" and published is not None:
            _day_of_the_news(dm, chosen[:k], published)
        out.append(dm)
        k += 1
    return out


def _day_of_the_news(clock: DateMention, before: list[tuple[str, DateMention]], published: date) -> None:
    for name, dm in reversed(before):
        if clock.start - dm.end > _CLOCK_DAY_REACH:
            return
        if name == "clock" or dm.precision != "day" or "/" in dm.value:
            continue
        if abs((date.fromisoformat(dm.value) - published).days) <= _CLOCK_DAY_DAYS:
            clock.value = dm.value
            clock.why = f"clock time, on the day written before it → {dm.value}"
        return


def _day_next_to(text: str, end: int, day: DateMention) -> bool:
    gap = _DAY_GAP_RE.match(text, end, day.start)
    return day.precision == "day" and gap is not None and gap.end() == day.start


_VALUE_RE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def in_calendar(value: str) -> bool:
    """``value`` is ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a range of them, with years in
    the calendar the contract allows (0001-9999): a relative date that would leave it is
    left unresolved, never written ``10000`` or ``-002``."""
    return all(_VALUE_RE.fullmatch(p) and MIN_YEAR <= int(p[:4]) <= MAX_YEAR for p in value.split("/"))


_WHY = {
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


def _month_num(name: str, dom: Domain) -> int:
    return dom.months[name.lower().rstrip(".")]


def _nearest_year(published: date, month: int, day: int | None = None) -> int:
    """The year that puts month/day closest to the publication date."""
    best = None
    for y in (published.year - 1, published.year, published.year + 1):
        if not MIN_YEAR <= y <= MAX_YEAR:
            continue
        d = date(y, month, min(day or 15, calendar.monthrange(y, month)[1]))
        dist = abs((d - published).days)
        if best is None or dist < best[0]:
            best = (dist, y)
    if best is None:
        raise ValueError(f"no year within {MIN_YEAR}-{MAX_YEAR} near {published}")
    return best[1]


#: a day of the month named without its year is moved to the year before (after) the one
#: nearest the publication when the clause is past (future) tense and the nearest year puts it
#: more than this many days on the wrong side: "launched an offensive on Jan. 11" in November
_TENSE_SLACK = 14


def _year_of_day(published: date, month: int, day: int, tense: str | None) -> tuple[int, str]:
    y = _nearest_year(published, month, day)
    when = date(y, month, min(day, calendar.monthrange(y, month)[1]))
    if tense == "past" and (when - published).days > _TENSE_SLACK:
        return y - 1, "month + day, past tense: the last one before the publication date"
    if tense == "future" and (published - when).days > _TENSE_SLACK:
        return y + 1, "month + day, future tense: the next one after the publication date"
    return y, "month + day, in the year nearest the publication date"


def _numeric(s: int, e: int, a: int, b: int, year: int, published: date | None) -> DateMention | None:
    """ "22/07/2017", "14.12.2017": day first unless only the other order is a date; when both
    are, the reading nearer the publication date."""
    readings = []
    for day, month in ((a, b), (b, a)):
        try:
            readings.append(date(year, month, day))
        except ValueError:
            continue
    if not readings:
        return None
    best = readings[0]
    if published is not None and len(readings) == 2 and readings[0] != readings[1]:
        best = min(readings, key=lambda d: abs((d - published).days))
    why = "day/month/year" if best == readings[0] else "month/day/year (the reading nearer the publication date)"
    return DateMention(s, e, best.isoformat(), "day", None, why)


def _sentence_of(pos: int, sentences: list[tuple[int, int]]) -> tuple[int, int]:
    return sentence_at(sentences, pos)


def _prep_detail(m: re.Match[str]) -> str | None:
    prep = m.groupdict().get("prep")
    if not prep:
        return None
    p = prep.lower()
    return (
        p if p in ("since", "until", "till", "by", "from", "before", "after", "through", "as of", "starting") else None
    )


def _resolve(
    name: str, m: re.Match[str], text: str, published: date | None, dom: Domain, sentences: list[tuple[int, int]]
) -> DateMention | None:
    g = m.groupdict()
    s, e = m.span()
    detail = _prep_detail(m)
    if name == "range":
        y1 = int(g["y1"])
        y2s = g["y2"]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if not (y1 < y2 <= y1 + 50):
            return None
        if not g.get("the") and not g.get("period") and text[m.start("y1") : m.start("y2")].strip() in ("and",):
            return None
        if g.get("the") and g["the"].lower() in ("from", "between"):
            detail = None
        return DateMention(s, e, f"{y1}/{y2}", "range", detail)
    if name == "myrange":
        m1, m2 = _month_num(g["month"], dom), _month_num(g["month2"], dom)
        y1, y2 = int(g["y1"]), int(g["year"])
        if not (y1, m1) < (y2, m2) or y2 - y1 > 50:
            return None
        return DateMention(s, e, f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}", "range")
    if name in ("drange", "mrange", "ddrange"):
        m1 = _month_num(g["month"], dom)
        m2 = _month_num(g["month2"], dom) if g.get("month2") else m1
        if name == "drange" and g.get("month2") and re.search(r"^(?![Bb]etween\b).*\band\b", m.group()):
            return None  # "November 21 and November 28, 2019": two dates ("between April 19 and Nov. 30": one)
        if g.get("year"):
            y1 = int(g["year"])
        elif published is not None:
            y1 = _nearest_year(published, m1, int(g["d1"]) if name == "drange" else None)
        else:
            return None
        y2 = y1 + 1 if m2 < m1 else y1
        if name == "mrange":
            if (y2, m2) <= (y1, m1):
                return None
            return DateMention(s, e, f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}", "range")
        if name == "ddrange":
            y2 = y1
        start, end = date(y1, m1, int(g["d1"])), date(y2, m2, int(g["d2"]))
        if not start < end or (end - start).days > 370:
            return None
        return DateMention(s, e, f"{start.isoformat()}/{end.isoformat()}", "range")
    if name == "numeric":
        return _numeric(s, e, int(g["a"]), int(g["b"]), int(g["year"]), published)
    if name == "iso":
        return DateMention(s, e, date(int(g["year"]), int(g["mo"]), int(g["d"])).isoformat(), "day")
    if name in ("mdy", "dmy"):
        month = _month_num(g["month"], dom)
        day = int(g["day"])
        why = ""
        if g.get("year"):
            y = int(g["year"])
        elif (later := _COORDINATED_YEAR_RE.match(text, e)) is not None:
            y, why = int(later.group(1)), "month + day, the year of the date joined to it"
        elif published is not None:
            tense = _tense(text, s, sentences)
            if tense == "past" and (detail in ("until", "till", "by") or _WOULD_RE.search(text, max(0, s - 80), s)):
                tense = None  # "had approved an extension until April 15", "said they would leave on May 3"
            y, why = _year_of_day(published, month, day, tense)
        else:
            return None
        return DateMention(s, e, date(y, month, day).isoformat(), "day", detail, why)
    if name == "my":
        month = _month_num(g["month"], dom)
        return DateMention(s, e, f"{int(g['year']):04d}-{month:02d}", "month", detail)
    if name == "part_year":
        part = g["part"].lower()
        if part.endswith("end of"):  # "by the end of 2020" is its December
            return DateMention(s, e, f"{g['year']}-12", "month", detail, "end of a year")
        return DateMention(s, e, g["year"], "year", detail)
    if name == "decade":
        dec = int(g["dec"])
        return DateMention(s, e, f"{dec}/{dec + 9}", "range")
    if name == "year":
        y = int(g["year"])
        after = text[e : e + 40]
        if re.match(
            r"\s*(?:[a-z]+\s+){0,2}(?:troops|personnel|officers|soldiers|people|members|staff|peacekeepers)\b", after
        ):
            return None  # "2000 troops" is a count
        before = text[max(0, s - 12) : s]
        if re.search(r"(?:No\.|Resolution|resolution|number|Level|Article|\$|USD|VND)\s*$", before):
            return None
        return DateMention(s, e, f"{y:04d}", "year", detail)
    if published is None:
        return None  # the rest are relative to the publication date
    if name == "m_rel":
        month = _month_num(g["month"], dom)
        y = published.year + {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
        if g.get("day"):
            return DateMention(s, e, date(y, month, int(g["day"])).isoformat(), "day", detail)
        return DateMention(s, e, f"{y:04d}-{month:02d}", "month", detail)
    if name == "rel_m":
        month = _month_num(g["month2"], dom)
        rel = g["rel"].lower()
        y = published.year
        if rel == "last" and month >= published.month:
            y -= 1
        elif rel == "next" and month <= published.month:
            y += 1
        return DateMention(s, e, f"{y:04d}-{month:02d}", "month")
    if name == "ago":
        n = g["n"].lower()
        k = int(n) if n.isdigit() else _NUM_WORDS.get(n, 1)
        unit = g["unit"].rstrip("s")
        if unit == "year":
            return DateMention(s, e, f"{published.year - k:04d}", "year")
        if unit == "month":
            y, mo = _add_months(published.year, published.month, -k)
            return DateMention(s, e, f"{y:04d}-{mo:02d}", "month")
        d = published - timedelta(days=k * (7 if unit == "week" else 1))
        return DateMention(s, e, d.isoformat(), "day")
    if name == "rel":
        rel = g["rel"].lower()
        mod = (g.get("mod") or "").lower()
        if rel == "the" and (("end" not in mod and "beginning" not in mod) or text[e : e + 2] in ("'s", "’s")):
            return None  # "the year" alone is no date; "the end of the month" is ("last year's budget" too)
        step = {"last": -1, "previous": -1, "this": 0, "the": 0, "next": 1, "coming": 1}[rel]
        unit = g["unit"]
        if unit == "year" and ("end" in mod or "beginning" in mod):
            month = 12 if "end" in mod else 1  # "by the end of this year" is its December
            return DateMention(s, e, f"{published.year + step:04d}-{month:02d}", "month", detail,
                               f"{'end' if month == 12 else 'beginning'} of a year, from the publication date")  # fmt: skip
        if unit == "year":
            return DateMention(s, e, f"{published.year + step:04d}", "year")
        if unit == "month":
            y, mo = _add_months(published.year, published.month, step)
            return DateMention(s, e, f"{y:04d}-{mo:02d}", "month")
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
        return DateMention(s, e, f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}", "range")
    if name == "yearend":
        return DateMention(s, e, f"{published.year:04d}-12", "month")
    if name == "day_rel":
        w = g["w"].lower()
        d = published + timedelta(days={"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[w])
        return DateMention(s, e, d.isoformat(), "day")
    if name == "part_day":
        back = g["w"].lower() == "last"
        if back and g["dpart"] != "night":
            return None  # "last morning" is no date
        return DateMention(s, e, (published - timedelta(days=1 if back else 0)).isoformat(), "day")
    if name in ("clock", "now"):
        return DateMention(s, e, published.isoformat(), "day")
    if name == "weekday":
        wd = dom.weekdays[g["wd"].lower()]
        rel = (g.get("rel") or "").lower()
        if g.get("wk"):  # "on Wednesday last week"
            step = {"last": -1, "this": 0, "next": 1}[g["wk"]]
            monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
            d = monday + timedelta(days=wd)
            return DateMention(s, e, d.isoformat(), "day", detail, f"weekday of “{g['wk']} week”")
        tense = _tense(text, s, sentences)
        future = rel == "next" or (rel != "last" and tense == "future")
        if rel:
            why = f"weekday after “{rel}”"
        else:
            why = f"weekday, {tense} tense" if tense else "weekday, no tense: the last one up to the publication date"
        if future:
            delta = (wd - published.weekday()) % 7 or (
                7 if rel == "next" else 0
            )  # "on Monday" in a Monday article is that day
            d = published + timedelta(days=delta)
        else:
            delta = (published.weekday() - wd) % 7
            if rel == "last" and delta == 0:
                delta = 7
            d = published - timedelta(days=delta)
        return DateMention(s, e, d.isoformat(), "day", detail, why)
    if name == "holiday":
        month, day = (int(p) for p in str(dom.lexicon["holidays"][g["hol"].replace("’", "'")]).split("-"))
        tense = _tense(text, s, sentences)
        y = _nearest_year(published, month, day)
        if tense == "future" and date(y, month, day) < published:
            y += 1
        elif tense == "past" and date(y, month, day) > published:
            y -= 1
        return DateMention(
            s, e, date(y, month, day).isoformat(), "day", detail, "holiday, nearest the publication date"
        )
    if name == "month":
        month_word = g["month"]
        if (
            month_word.lower().rstrip(".")
            in ("may", "march", "mar", "jan", "jun", "jul", "aug", "oct", "nov", "dec", "sep", "sept", "feb", "apr")
            and not g.get("prep")
            and not g.get("part")
            and not (text[s - 1 : s] == "(" and text[e : e + 1] == ")")
        ):
            return None
        if _ANAPHORIC_BEFORE_RE.search(text, max(0, s - 6), s) or _ANAPHORIC_AFTER_RE.match(text, e):
            return None  # "that August", "in June of that year": a year named elsewhere, not resolved
        month = _month_num(month_word, dom)
        if (later := _COORDINATED_YEAR_RE.match(text, e)) is not None:
            return DateMention(
                s, e, f"{later.group(1)}-{month:02d}", "month", detail, "month, the year of the month joined to it"
            )
        tense = _tense(text, s, sentences)
        if detail in ("until", "till", "by") and tense is None:
            tense = "future"  # "until May" in a report looks ahead
        elif detail == "since":
            tense = "past"  # "has run the fleet since February" looks back
        y = _nearest_year(published, month)
        if tense == "future" and (y, month) < (published.year, published.month):
            y += 1
        elif tense == "past" and (y, month) > (published.year, published.month):
            y -= 1
        why = f"month name, {tense} tense" if tense else "month name, nearest the publication date"
        if g.get("part"):
            why = f"part of a month ({g['part']}), " + why.removeprefix("month name, ")
        return DateMention(s, e, f"{y:04d}-{month:02d}", "month", detail, why)
    return None


#: "November 21 and November 28, 2019", "January and February 2019": the year written after
#: the date joined to this one is this one's year too
_COORDINATED_YEAR_RE = re.compile(
    r",?\s+(?:and|or|&)\s+(?:[A-Z][a-z]{2,8}\.?\s+)?(?:[0-3]?\d(?:st|nd|rd|th)?\s+)?(?:of\s+)?(?:[A-Z][a-z]{2,8}\.?\s+)?"
    r"(?:[0-3]?\d(?:st|nd|rd|th)?)?,?\s*((?:19|20)\d\d)\b"
)
_WOULD_RE = re.compile(r"\b(?:would|could|should|was to|were to|was due|were due)\b[^.;]*$")
_ANAPHORIC_BEFORE_RE = re.compile(r"\b[Tt]hat\s+$")
_ANAPHORIC_AFTER_RE = re.compile(r"\s+(?:of\s+)?(?:that|the same|the following|the previous)\s+year\b")
_TENSE_WINDOW = 160  # characters of the clause before a date that say its tense


def _tense(text: str, pos: int, sentences: list[tuple[int, int]]) -> str | None:
    """ "past", "future" or None for the clause before ``pos`` (its last characters only)."""
    sent = _sentence_of(pos, sentences)
    lo = max(sent[0], pos - _TENSE_WINDOW)
    start = max(lo, text.rfind(",", lo, pos) + 1, text.rfind(";", lo, pos) + 1)
    before = text[start:pos]
    if _FUTURE_RE.search(before):
        return "future"
    if _PAST_BEFORE_RE.search(before.rstrip() + " ") or re.search(r"\b(?:said|told|announced)\b", before[-25:]):
        return "past"
    return None


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1
