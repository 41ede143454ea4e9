"""Time expressions, resolved against the publication date.

Absolute ("2014", "September 2018", "June 13", "20 December"), relative ("on Saturday",
"last year", "a year ago", "early next month", "October last year"), ranges ("2021–2023",
"the 2025–2030 period") and starts ("since June 2014"), each with its precision. The patterns
are in ``datepatterns``, their resolution in ``dateresolve``, dates that refer to another date
("two days later") in ``dateanaphora``.
"""

from __future__ import annotations

import bisect
import re
from datetime import date

from pktui.domain import load_domain
from pktui.extract.dateanaphora import Anaphor, find_anaphors, resolve_anaphor
from pktui.extract.datepatterns import PATTERN_WHY, gates, patterns
from pktui.extract.dateresolve import DateMention, resolve_match
from pktui.extract.datescan import scan
from pktui.model import MAX_YEAR, MIN_YEAR

__all__ = ["DateMention", "find_dates", "in_calendar"]


def find_dates(text: str, published: date | None, sentences: list[tuple[int, int]]) -> list[DateMention]:
    dom = load_domain()
    cands: list[tuple[int, int, str, DateMention]] = []
    anaphors: dict[int, Anaphor] = {}
    for a in find_anaphors(text):
        dm = DateMention(a.start, a.end, "", "", a.detail)
        anaphors[id(dm)] = a
        cands.append((a.start, a.end, "anaphor", dm))
    for name, m in scan(text, patterns(), gates()):
        try:
            found = resolve_match(name, m, text, published, dom, sentences)
        except (ValueError, OverflowError):
            found = None
        if found is not None and in_calendar(found.value):
            dm = found
            dm.why = f"{dm.why or PATTERN_WHY[name]} → {dm.value}"
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
    episode: tuple[str, str] | None = None
    last_start = 0
    for name, dm in chosen:
        if name == "anaphor":
            got = resolve_anaphor(anaphors[id(dm)], last, published)
            if got is None or not in_calendar(got[0]):
                continue
            dm.value, dm.precision, why = got
            dm.why = f"{why} → {dm.value}"
        elif dm.yearless and last is not None and last == episode and dm.start - last_start <= _EPISODE_REACH:
            _year_of_episode(dm, last)
        if name not in ("clock", "now") and dm.precision in ("day", "month", "year"):
            last, last_start = (dm.value, dm.precision), dm.start
            episode = last if _sets_episode(name, dm) else None
        out.append((name, dm))
    return out


def _sets_episode(name: str, dm: DateMention) -> bool:
    """A month or day written with its year, as a point in time ("In July 2003", "on 3 May
    2022"), not as the start or end of a state ("since January 2018") nor as "last year"."""
    return (
        name in ("mdy", "dmy", "my") and not dm.yearless and dm.detail not in ("since", "until", "till", "by", "from")
    )


#: how far back (in characters) a month named with its year still sets the year of a day of
#: that month written without one
_EPISODE_REACH = 1500


def _year_of_episode(dm: DateMention, last: tuple[str, str]) -> None:
    """ "In July 2003 [...] before their departure on July 28": a day written without its year,
    in the month of the date written last before it, is in that date's year (the episode the
    text narrates), not in the year of the publication."""
    value, precision = last
    if precision not in ("day", "month") or value[5:7] != dm.value[5:7] or value[:4] == dm.value[:4]:
        return
    try:
        moved = date(int(value[:4]), int(dm.value[5:7]), int(dm.value[8:10])).isoformat()
    except ValueError:
        return
    dm.value = moved
    dm.why = f"month + day, in the year of {value} written before it (the episode narrated) → {moved}"


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
        if name == "clock" and prev is not None and _clock_after_day(text, prev, dm):
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


def _clock_after_day(text: str, day: DateMention, clock: DateMention) -> bool:
    """A clock time right after a day, also past a date line's separator ("October 7, 2021 / 09:12
    PM IST", "24 January 2022 - 09:04 UTC", "Oct 7, 2021 | 9:12 pm")."""
    gap = _CLOCK_AFTER_DAY_RE.match(text, day.end, clock.start)
    return day.precision == "day" and "/" not in day.value and gap is not None and gap.end() == clock.start


_CLOCK_AFTER_DAY_RE = re.compile(r"[ \t]*(?:[,/|–—-][ \t]*)?(?:at[ \t]+|on[ \t]+)?")


def _day_next_to(text: str, end: int, day: DateMention) -> bool:
    gap = _DAY_GAP_RE.match(text, end, day.start)
    return day.precision == "day" and gap is not None and gap.end() == day.start


_VALUE_RE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def in_calendar(value: str) -> bool:
    """``value`` is ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a range of them, with years in
    the calendar the contract allows (0001-9999): a relative date that would leave it is
    left unresolved, never written ``10000`` or ``-002``."""
    return all(_VALUE_RE.fullmatch(p) and MIN_YEAR <= int(p[:4]) <= MAX_YEAR for p in value.split("/"))
