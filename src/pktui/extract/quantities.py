"""Counts and measures: "more than 500 officers and soldiers", "four hospitals", "over 16%".

A number (digits, "1,100", or words such as "four" or "twenty-five") with the qualifier
before it, a percent sign or word after it, and the thing counted, normalised to a measure
from the domain data (officers, soldiers and medical staff are all ``personnel``).
Years, dates, designations ("Level-2", "Rotation 6", "10 SA Infantry") and ordinals are not
counts.
"""

from __future__ import annotations

import bisect

from pktui.extract.counted import counted_after, phrase_at
from pktui.extract.durations import duration_adjective
from pktui.extract.numbers import Numbers, QuantityMention, num, numbers, parse_number, qualifier_before
from pktui.extract.tokens import Token
from pktui.text import fold

_PERCENT_WORDS = ("percent", "per cent", "pct", "percentage points")


def find_quantities(
    text: str,
    tokens: list[Token],
    blocked: list[tuple[int, int]],
    sentence_starts: set[int],
) -> list[QuantityMention]:
    """Quantities in ``text``; numbers inside ``blocked`` spans (dates, names) are skipped."""
    nums = numbers()
    blocked_at = blocked_mask(tokens, blocked)
    out: list[QuantityMention] = []
    i = 0
    n = len(tokens)
    starters = nums.starters
    while i < n:
        tok = tokens[i]
        if blocked_at[i] or not (tok.is_number or "-" in tok.text or tok.text.lower() in starters):
            i += 1  # no number, number word or duration starts here
            continue
        pair = _range_at(text, tokens, i, nums, blocked_at, sentence_starts, out) or _coordinated_range_at(
            text, tokens, i, nums, blocked_at
        )
        if pair is not None:  # "45-50 men", "$1.2–1.5 million": two numbers, one count
            out.extend(pair[:2])
            i = pair[2]
            continue
        found = _quantity_at(text, tokens, i, nums, blocked_at, sentence_starts, out)
        if found is None:
            i += 1
            continue
        q, next_i = found
        if q.qualifier != "exact":
            q.why += f"; qualifier: {q.qualifier.replace('_', ' ')}"
        out.append(q)
        i = max(next_i, i + 1)
    return out


def _range_at(
    text: str,
    tokens: list[Token],
    i: int,
    nums: Numbers,
    blocked_at: list[bool],
    sentence_starts: set[int],
    previous: list[QuantityMention],
) -> tuple[QuantityMention, QuantityMention, int] | None:
    """A range of two numbers joined by a dash ("about 45-50 men", "$1.2–1.5 million"): the
    second is read as any count, the first counts the same thing at the same scale."""
    if not tokens[i].is_number:  # "about 45-50 men": from the qualifier before the first number
        j = next((j for j in range(i + 1, min(i + 4, len(tokens))) if tokens[j].is_number), None)
        if j is None or qualifier_before(tokens, j, nums)[1] != i:
            return None
        i = j
    k = i + 2
    if k >= len(tokens) or tokens[i + 1].text not in ("-", "–") or not tokens[k].is_number:
        return None
    low, high = _digits(tokens[i].text), _digits(tokens[k].text)
    if low is None or high is None or not low < high or _looks_like_year(low) or blocked_at[k]:
        return None
    currency = _currency_before(tokens, i, nums)
    if currency is None and (
        _is_designation(text, tokens, i, sentence_starts) or (i > 0 and tokens[i - 1].key in nums.designation_words)
    ):
        return None  # "Resolution 2-3" (but "USD 5-10 million": a currency code is no designation)
    parsed = parse_number(tokens, k, nums)
    if parsed is None:
        return None
    value, last = parsed
    scale = value / high
    qualifier, qstart = qualifier_before(tokens, currency if currency is not None else i, nums)
    start = tokens[qstart if qstart is not None else currency if currency is not None else i].start
    if currency is not None:
        counted = text[tokens[currency].start : tokens[last].end]
        second = QuantityMention(
            tokens[k].start, tokens[last].end, num(value), "exact", "money", counted, "currency sign + number"
        )
        nxt = last + 1
    elif (pw := phrase_at(tokens, last + 1, ("%", *_PERCENT_WORDS))) is not None:
        why = "number + per cent"
        second = QuantityMention(tokens[k].start, tokens[pw].end, num(value), "exact", "percent", "%", why)
        nxt = pw + 1
    else:
        after = counted_after(text, tokens, last + 1, nums, blocked_at)
        if after is None:
            return None
        unit, counted, uend, ulast = after
        why = f"number + counted noun: {counted} → {unit}"
        second, nxt = QuantityMention(tokens[k].start, uend, num(value), "exact", unit, counted, why), ulast + 1
    why = f"range: {tokens[i].text}{tokens[i + 1].text}{tokens[k].text}, "
    first = QuantityMention(start, tokens[i].end, num(low * scale), qualifier, second.unit, second.counted)
    first.why = why + "the first number counts what the second counts"
    second.why = why + "the second number" + (f" ({second.why})" if second.why else "")
    return first, second, nxt


def _coordinated_range_at(
    text: str, tokens: list[Token], i: int, nums: Numbers, blocked_at: list[bool]
) -> tuple[QuantityMention, QuantityMention, int] | None:
    """Two numbers joined by "and" or "to" after "between" ("between 200 and 300 troops", "Between
    two and five servicemen"), or after a currency with the scale written once ("SEK 800 and 900
    million"): the first counts what the second counts, at the second's scale."""
    currency = _currency_before(tokens, i, nums)
    after_between = i > 0 and tokens[i - 1].key == "between"
    if not (after_between or currency is not None):
        return None
    first = parse_number(tokens, i, nums)
    if first is None or first[1] + 2 >= len(tokens) or tokens[first[1] + 1].key not in ("and", "to"):
        return None
    k = first[1] + 2
    second = parse_number(tokens, k, nums) if not blocked_at[k] else None
    if second is None:
        return None
    low, (value, last) = first[0], second
    high = _digits(tokens[k].text) if tokens[k].is_number else value
    if high is None or not low < high or _looks_like_year(low) or _looks_like_year(value):
        return None
    scale = value / high
    if currency is not None and not after_between and scale == 1:
        return None  # "$5 and $6": two amounts, each read on its own
    joined = f"{tokens[first[1] + 1].text} {tokens[k].text}"
    if currency is not None:
        unit, counted, end, nxt = "money", text[tokens[currency].start : tokens[last].end], tokens[last].end, last + 1
    elif (pw := phrase_at(tokens, last + 1, ("%", *_PERCENT_WORDS))) is not None:
        unit, counted, end, nxt = "percent", "%", tokens[pw].end, pw + 1
    else:
        after = counted_after(text, tokens, last + 1, nums, blocked_at)
        if after is None:
            return None
        unit, counted, end, ulast = after
        nxt = ulast + 1
    start = tokens[currency].start if currency is not None and currency < i else tokens[i].start
    why = f"range: {tokens[i].text} {joined}, "
    low_q = QuantityMention(start, tokens[first[1]].end, num(low * scale), "exact", unit, counted)
    low_q.why = why + "the first number counts what the second counts"
    high_q = QuantityMention(tokens[k].start, end, num(value), "exact", unit, counted, why + "the second number")
    return low_q, high_q, nxt


def _digits(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def blocked_mask(tokens: list[Token], blocked: list[tuple[int, int]]) -> list[bool]:
    """Per token: does it overlap a blocked span?"""
    mask = [False] * len(tokens)
    if not blocked:
        return mask
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    for s, e in blocked:
        # tokens overlapping [s, e): ending after s and starting before e
        for k in range(bisect.bisect_right(ends, s), bisect.bisect_left(starts, e)):
            mask[k] = True
    return mask


def _quantity_at(
    text: str,
    tokens: list[Token],
    i: int,
    nums: Numbers,
    blocked_at: list[bool],
    sentence_starts: set[int],
    previous: list[QuantityMention],
) -> tuple[QuantityMention, int] | None:
    tok = tokens[i]
    # duration adjectives: "two-year", "13-year-old", "five-year", "year-long"
    dur = duration_adjective(tokens, i, nums)
    if dur is not None:
        return dur
    parsed = parse_number(tokens, i, nums)
    if parsed is None:
        return None
    value, last = parsed
    currency = _currency_before(tokens, i, nums)
    if tok.is_number and currency is None and _is_designation(text, tokens, i, sentence_starts):
        return None  # ("USD 5 million": a currency code is no designation)
    if i > 0 and tokens[i - 1].key in nums.designation_words:
        return None  # "resolution 186", "route 4"
    if i > 1 and tokens[i - 1].text in (":", ".") and tokens[i - 2].is_number and tokens[i - 2].end == tok.start - 1:
        return None  # the minutes of "00:10", "01:13 IST"
    if (
        currency is None
        and i > 0
        and tokens[i - 1].text in ("-", "–", "/", "#", "№")
        and tokens[i - 1].start == (tokens[i - 2].end if i > 1 else -1)
    ):
        return None  # "C-17", "COVID-19"
    if currency is None and i > 1 and tokens[i - 1].text in ("-", "–") and _is_short_name(tokens[i - 2]):
        return None  # a designator after a spaced dash: "ZAMBATT – 7", "BANFPU - 3"
    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    if (
        nxt is not None
        and nxt.text in (":", ".")
        and last + 2 < len(tokens)
        and tokens[last + 2].is_number
        and tokens[last + 2].start == nxt.end
    ):
        return None  # times and versions: 10:30
    if nxt is not None and nxt.text.lower() in ("st", "nd", "rd", "th"):
        return None
    if nxt is not None and nxt.key in nums.clock_words and nxt.start - tokens[last].end <= 1:
        return None  # a clock time is never a count: "around 2pm", "10.30 a.m.", "14:30 hrs"
    unit: str | None
    counted: str | None
    start = tok.start
    if currency is not None:
        start = tokens[currency].start
    qualifier, qstart = qualifier_before(tokens, currency if currency is not None else i, nums)
    if qstart is not None:
        start = tokens[qstart].start
    if currency is not None:
        counted = text[tokens[currency].start : tokens[last].end]
        return QuantityMention(
            start, tokens[last].end, num(value), qualifier, "money", counted, "currency sign + number"
        ), last + 1
    if tok.text.lower() in ("one",) and nxt is not None and nxt.text.lower() in ("of", "another", "or"):
        # "one of the highest" is not a count ("19 of them" is, below)
        return None
    end = tokens[last].end
    j = last + 1
    head = _headcount(text, tokens, i, last, nums, start, qualifier)
    if head is not None:
        return head
    restated = _restated_in_brackets(tokens, i, last, value)
    if restated is not None:  # "three hundred and forty-one (341)"
        return QuantityMention(start, tokens[restated].end, num(value), qualifier, None, None,
                               "number in words, restated in digits"), restated + 1  # fmt: skip
    # percent
    if j < len(tokens) and tokens[j].text == "%":
        return QuantityMention(start, tokens[j].end, num(value), qualifier, "percent", "%", "number + %"), j + 1
    pw = phrase_at(tokens, j, _PERCENT_WORDS)
    if pw is not None:
        why = f"number + {text[tokens[j].start : tokens[pw].end]}"
        return QuantityMention(start, tokens[pw].end, num(value), qualifier, "percent", "percent", why), pw + 1
    # "19 of them": the unit of the count before it
    if (
        j + 1 < len(tokens)
        and tokens[j].text == "of"
        and tokens[j + 1].text in ("them", "whom", "these", "those", "their", "its", "our")
    ):
        unit = previous[-1].unit if previous else None
        counted = previous[-1].counted if previous else None
        why = f"number + “of {tokens[j + 1].text}”: counts what the count before it counts"
        return QuantityMention(start, tokens[j + 1].end, num(value), qualifier, unit, counted, why), j + 2
    after = counted_after(text, tokens, j, nums, blocked_at)
    if after is None:
        bare_why = _bare_count(text, tokens, i, last, nums, qualifier, value)
        if bare_why is None:
            return None
        return QuantityMention(start, end, num(value), qualifier, None, None, bare_why), last + 1
    unit, counted, uend, ulast = after
    if _to_another(tokens, ulast):
        return None  # "from one mission to another"
    if value >= 100 and fold(counted.split()[-1]) in nums.designation_nouns:
        return None  # "1701 and 2373 resolutions": numbers that name, not count
    known = unit in numbers().measures.values()
    why = f"number + counted noun: {counted} → {unit}" if known else f"number + plural noun: {counted}"
    return QuantityMention(start, uend, num(value), qualifier, unit, counted, why), ulast + 1


def _bare_count(
    text: str, tokens: list[Token], i: int, last: int, nums: Numbers, qualifier: str, value: float
) -> str | None:
    """Why a number with no counted noun after it is still a count, or None: its noun is left
    out ("140 in Bor", "the remaining 200", "Counties represented: 28", "Cork (64)")."""
    tok = tokens[i]
    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    follower = nxt is not None and nxt.is_word and nxt.key in nums.count_followers
    if not tok.is_number:  # a number word needs a noun, or a follower: "nine from Malta"
        if nxt is not None and follower and nxt.text in ("from", "of", "who", "were"):
            return f"number before “{nxt.text}”"
        qstart = qualifier_before(tokens, i, nums)[1] if follower and qualifier != "exact" else None
        if qstart and (tokens[qstart - 1].text == "," or tokens[qstart - 1].key == "and"):
            return "qualified number in a list, its noun left out"  # "…, up to five in the Western Sahara"
        prev = tokens[i - 1] if i > 0 else None
        verb_after = nxt is None or not nxt.is_word or nxt.key in nums.count_followers or nxt.key in _AUXILIARIES
        if prev is not None and prev.key in ("another", "remaining") and verb_after:
            return f"number after “{prev.text}”"  # "and another one is missing"
        return None
    if qualifier != "exact":
        return "qualified number"
    if _looks_like_year(value):
        return None
    if nxt is not None and follower:
        return f"number before “{nxt.text}”"
    preceder = _preceder(tokens, i, nums)
    if preceder:
        return f"number after “{preceder}”"
    prev = tokens[i - 1] if i > 0 else None
    if prev is not None and prev.text == "(" and nxt is not None and nxt.text == ")" and i >= 2:
        before = tokens[i - 2]
        if before.is_word and before.key in nums.calendar_words:
            return None  # a day in brackets: "this Thursday (29)"
        if before.is_word and before.is_cap:
            return "number in brackets after a name"  # "Cork (64), Kilkenny (50)"
        if before.is_word and before.text.islower() and before.text.endswith("s") and len(before.text) > 3:
            return "number in brackets after a plural noun"  # "sons (594) and daughters (102)"
    if prev is not None and prev.key in ("to", "from") and _after_change_word(tokens, i, nums):
        return f"number after “{prev.text}” in a change of a count"
    if (
        prev is not None
        and prev.text == ":"
        and (nxt is None or nxt.text in (".", ";", ",") or "\n" in text[tok.end : nxt.start])
    ):
        return "number after a label"  # "Counties represented: 28"
    return None


def _after_change_word(tokens: list[Token], i: int, nums: Numbers, reach: int = 12) -> bool:
    """Is the number after "to"/"from" the end of a change of a count ("brought the number of …
    to 12", "increase the contingent from 538 to 1,600"), a change word earlier in its clause?"""
    if tokens[i - 1].key == "from":
        k = i + 1
        if not (k + 1 < len(tokens) and tokens[k].key == "to" and tokens[k + 1].is_number):
            return False
    for k in range(i - 2, max(-1, i - 2 - reach), -1):
        tok = tokens[k]
        if tok.is_punct and tok.text in (".", ";", ":", "!", "?"):
            return False
        if tok.is_word and tok.key in nums.change_words:
            return True
    return False


def _is_short_name(tok: Token) -> bool:
    """A contingent's short name in capitals ("ZAMBATT", "BANFPU"): the word before a designator."""
    return tok.is_word and len(tok.text) >= 3 and tok.text.isupper()


def _preceder(tokens: list[Token], i: int, nums: Numbers) -> str | None:
    for width in (2, 1):
        if i - width < 0:
            continue
        words = tuple(t.key for t in tokens[i - width : i])
        if words in nums.count_preceders:
            return " ".join(t.text for t in tokens[i - width : i])
    return None


def _headcount(
    text: str, tokens: list[Token], i: int, last: int, nums: Numbers, start: int, qualifier: str
) -> tuple[QuantityMention, int] | None:
    """ "a 4,000-strong force", "a 180-member unit", "171 strong": a headcount."""
    n = len(tokens)
    k = last + 1
    if k + 1 < n and tokens[k].text == "-" and tokens[k].start == tokens[last].end == tokens[k + 1].start - 1:
        word = tokens[k + 1]
    elif k < n and tokens[k].key == "strong" and tokens[i].is_number:
        word = tokens[k]
    else:
        return None
    if word.key not in nums.headcount_words:
        return None
    value = parse_number(tokens, i, nums)
    if value is None:
        return None
    end, counted = word.end, word.text
    noun = tokens[k + 2] if k + 2 < n and word is tokens[k + 1] else None
    if noun is not None and noun.is_word and noun.text.islower():
        end, counted = noun.end, noun.text  # the unit is the force: "4,000-strong force"
    why = f"headcount: number + “{word.text}”"
    return QuantityMention(start, end, num(value[0]), qualifier, "personnel", counted, why), (k + 2)


def _restated_in_brackets(tokens: list[Token], i: int, last: int, value: float) -> int | None:
    """Index of ")" when number words are followed by the same number in digits: "(341)"."""
    if tokens[i].is_number or last + 3 >= len(tokens):
        return None
    a, b, c = tokens[last + 1 : last + 4]
    if a.text == "(" and c.text == ")" and b.is_number:
        try:
            if float(b.text.replace(",", "")) == value:
                return last + 3
        except ValueError:
            return None
    return None


def _to_another(tokens: list[Token], last: int) -> bool:
    after = [t.text.lower() for t in tokens[last + 1 : last + 3]]
    return after in (["to", "another"], ["or", "another"])


def _currency_before(tokens: list[Token], i: int, nums: Numbers) -> int | None:
    """Index of a currency sign or code right before the number ("$1.2 million", "US$ 5",
    "SEK 800 million"); the signs, letters and codes are domain data and pycountry's."""
    if i == 0:
        return None
    prev = tokens[i - 1]
    if prev.text in nums.currency_signs and prev.end == tokens[i].start:
        if i >= 2 and tokens[i - 2].text in nums.currency_prefixes and tokens[i - 2].end == prev.start:
            return i - 2
        return i - 1
    if prev.text in nums.currency_codes and prev.end + 1 == tokens[i].start:
        return i - 1
    return None


def _looks_like_year(value: float) -> bool:
    return float(value).is_integer() and 1900 <= value <= 2100


def _is_designation(text: str, tokens: list[Token], i: int, sentence_starts: set[int]) -> bool:
    """ "Rotation 6", "Resolution 2719", "Hospital 175": a capitalised word right before."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    if prev.is_word and prev.text[0].isupper() and (i - 1) not in sentence_starts and prev.end == tokens[i].start - 1:
        nums = numbers()
        word = prev.key
        if word in nums.function_words:
            return False  # "A 135-member contingent", "Another 35": a determiner opens the clause
        return word not in nums.qualifiers and (word,) not in nums.count_preceders and word != "than"
    return False


_AUXILIARIES = frozenset(["is", "was", "has", "had", "have", "will", "would", "may", "might", "remains"])
