"""One matched time expression resolved against the publication date: its value, precision and
why (the tense of its clause, the year nearest the publication, the month and day it names)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from pktui.domain import Domain
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
    #: a month and day written without a year, its year taken from the publication date
    yearless: bool = False


_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


_PAST_BEFORE_RE = re.compile(
    r"\b(?:\w+ed|said|told|met|left|went|came|saw|made|gave|took|held|began|sent|set off|set out|flew|spoke|wrote|won|led|got)\s+(?:\w+\s+){0,2}$",
    re.I,
)


_FUTURE_RE = re.compile(
    r"\b(?:will|shall|is to|are to|is due|are due|scheduled|expected|plans? to|planned|set to|upcoming|going to|next)\b",
    re.I,
)


def _month_num(name: str, dom: Domain) -> int:
    return dom.months[name.lower().rstrip(".")]


#: a month named with no tense this many months after the publication date or more is read as
#: the one before it (the nearest reading splits the year evenly; news looks back more than ahead)
_FAR_AHEAD_MONTHS = 5


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


def _year_of_range(published: date, month: int, day: int | None, tense: str | None) -> int:
    """The year of a range's first month (and day) written without a year: the one nearest the
    publication, moved by the clause's tense ("will be held from 4-6 October" in April)."""
    if day is not None:
        return _year_of_day(published, month, day, tense)[0]
    return _year_of_day(published, month, 15, tense)[0]


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


def resolve_match(
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
        joined = text[m.end("y1") : m.start("y2")].strip()
        led = bool(g.get("the") or g.get("prep"))
        between = (g.get("the") or "").lower() == "between"
        if joined == "and" and not g.get("period") and not between and (not led or y2 != y1 + 1):
            return None  # "in 2023 and 2024" is one range; "in 2010 and 2012" two years
        if joined == "/" and len(y2s) == 2 and y2 != y1 + 1:
            return None  # "2019/06": a year and a month, not "2015/16"
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
            y1 = _year_of_range(published, m1, int(g["d1"]) if name != "mrange" else None, _tense(text, s, sentences))
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
        day_first = g["sep"] in ".-"  # "14.12.2017", "16-8-2024": written day first; "1/5/2016" may be either
        return _numeric(s, e, int(g["a"]), int(g["b"]), int(g["year"]), None if day_first else published)
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
            return DateMention(s, e, date(y, month, day).isoformat(), "day", detail, why, yearless=True)
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
        if part.endswith("half of"):  # "in the first half of 2018": January to June
            first = part.startswith("the first")
            span = f"{g['year']}-{'01' if first else '07'}/{g['year']}-{'06' if first else '12'}"
            return DateMention(s, e, span, "range", detail, "half of a year")
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
        mod = mod.replace("start", "beginning")  # "the start of the year" is its beginning
        if rel == "the" and (("end" not in mod and "beginning" not in mod) or text[e : e + 2] in ("'s", "’s")):
            return None  # "the year" alone is no date; "the end of the month" is ("last year's budget" too)
        if rel in ("last", "previous") and not mod and _SPAN_BEFORE_RE.search(text, max(0, s - 20), s):
            return None  # "trained hard for the last year": a duration, not a date
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
    if name == "day_relm":  # "on the 5th of this month", "the 28th of last month"
        step = {"last": -1, "the previous": -1, "next": 1}.get(g["rel"].lower(), 0)
        y, mo = _add_months(published.year, published.month, step)
        return DateMention(s, e, date(y, mo, int(g["day"])).isoformat(), "day", detail)
    if name == "weekend":
        return _weekend(text, s, e, g, published, sentences)
    if name == "yearend":
        return DateMention(s, e, f"{published.year:04d}-12", "month")
    if name == "day_rel":
        w = g["w"].lower()
        d = published + timedelta(days={"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[w])
        if g.get("wd"):
            # "tomorrow (Wednesday)" quoted from the day before: the weekday in brackets wins
            shift = (dom.weekdays[g["wd"].lower()] - d.weekday() + 3) % 7 - 3
            why = f"{w} ({g['wd']}): the {g['wd']} nearest the publication date's {w}"
            return DateMention(s, e, (d + timedelta(days=shift)).isoformat(), "day", None, why)
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
        if _WOULD_VERB_RE.search(text, max(0, s - 40), s):
            tense = "future"  # reported plans: "said an advance party would leave on Saturday"
        if rel == "this" and tense is None:
            tense = _tense_after(text, e, sentences)  # "Speaking in Harare this Thursday, the chief said"
        # "this Sunday" is the coming one unless the clause is past ("departs this Sunday")
        future = rel == "next" or (rel == "this" and tense != "past") or (rel != "last" and tense == "future")
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
        elif tense is None and (y - published.year) * 12 + month - published.month >= _FAR_AHEAD_MONTHS:
            y -= 1
            tense = "no"  # "a resolution in March" in September: news tells what happened
        why = f"month name, {tense} tense" if tense else "month name, nearest the publication date"
        if tense == "no":
            why = "month name, no tense, half a year or more ahead: the one before the publication date"
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


_SPAN_BEFORE_RE = re.compile(r"\b(?:[Ff]or|[Oo]ver|[Tt]hroughout)\s+the\s+$")
#: "would" or "was to" right before the weekday's verb phrase: "would leave on Saturday",
#: "were to arrive on Monday" (a plan reported in the past looks ahead)
_WOULD_VERB_RE = re.compile(
    r"\b(?:would|was to|were to|was due to|were due to)\s+(?:be\s+)?\w+(?:\s+\w+)?\s+(?:on\s+)?$", re.I
)
_WOULD_RE = re.compile(r"\b(?:would|could|should|was to|were to|was due|were due)\b[^.;]*$")


_ANAPHORIC_BEFORE_RE = re.compile(r"\b[Tt]hat\s+$")


_ANAPHORIC_AFTER_RE = re.compile(r"\s+(?:of\s+)?(?:that|the same|the following|the previous)\s+year\b")


_TENSE_WINDOW = 160  # characters of the clause before a date that say its tense


_PAST_AFTER_RE = re.compile(r"\b(?:said|told|announced|claimed|noted|added|was|were|had|\w{3,}ed)\b", re.I)


def _tense_after(text: str, pos: int, sentences: list[tuple[int, int]]) -> str | None:
    """ "past" or "future" from the rest of the sentence after ``pos``, when nothing before it told."""
    rest = text[pos : _sentence_of(pos, sentences)[1]]
    if _FUTURE_RE.search(rest):
        return "future"
    return "past" if _PAST_AFTER_RE.search(rest) else None


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
    if _past_verb_further(before):
        return "past"
    return None


#: a past verb with its object between it and the date: "launched a military offensive on Jan. 11"
_PAST_FAR_RE = re.compile(
    r"(?P<lead>\w+)\s+(?:\w+ed|sent|began|held|took|made|gave|set up|won|led)\s+(?:[\w-]+\s+){3,4}$", re.I
)
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you"])
_DETERMINERS = frozenset(["the", "a", "an", "this", "that", "its", "their", "his", "her", "our"])


def _past_verb_further(before: str) -> bool:
    """A past verb three or four words before the date right after its subject, a name or a pronoun
    ("France launched a military offensive on Jan. 11"), not an adjective after a determiner or an
    adverb ("The newly appointed commander takes over on January 5")."""
    m = _PAST_FAR_RE.search(before.rstrip() + " ")
    if m is None:
        return False
    lead = m.group("lead")
    return lead.lower() in _PRONOUNS or (lead[:1].isupper() and lead.lower() not in _DETERMINERS)


def _weekend(
    text: str, s: int, e: int, g: dict[str, str], published: date, sentences: list[tuple[int, int]]
) -> DateMention:
    """Saturday and Sunday as a range: "last weekend" the one before, "this/next/coming weekend"
    the coming one (this one on a weekend day), "at/over the weekend" by the clause's tense."""
    rel = (g.get("rel") or "").lower()
    tense = _tense(text, s, sentences) if not rel else None
    on_weekend = published.weekday() >= 5
    saturday = published - timedelta(days=published.weekday() - 5)  # this week's Saturday
    if rel in ("last", "past") or (not rel and tense != "future" and not on_weekend):
        saturday -= timedelta(weeks=1)  # the weekend gone by
    elif rel == "next" and on_weekend:
        saturday += timedelta(weeks=1)
    why = f"weekend after “{rel}”" if rel else f"weekend, {tense or 'no'} tense"
    return DateMention(s, e, f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}", "range", None, why)


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1
