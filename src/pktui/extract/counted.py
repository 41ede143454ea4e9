"""The thing a number counts: the noun phrase after it ("500 officers and soldiers", "14 bases",
"Four Malawi Defence Force (MDF) soldiers"), read from the domain's measures or a plural noun."""

from __future__ import annotations

from collections.abc import Iterable

from pktui.extract.numbers import Numbers
from pktui.extract.tokens import Token
from pktui.text import fold


def phrase_at(tokens: list[Token], j: int, phrases: Iterable[str]) -> int | None:
    for p in phrases:
        words = p.split()
        if j + len(words) <= len(tokens) and [t.text.lower() for t in tokens[j : j + len(words)]] == words:
            return j + len(words) - 1
    return None


STOP_BEFORE_UNIT = frozenset(["of", "and", "to", "in", "for", "at", "on", "by", "from", "with", "than", "as", "or"])
_SKIPPABLE_BEFORE_UNIT = frozenset(["are", "were", "more", "new", "additional", "other", "such", "extra", "further"])


def counted_after(
    text: str, tokens: list[Token], j: int, nums: Numbers, blocked_at: list[bool]
) -> tuple[str, str, int, int] | None:
    """The measure of the noun phrase after the number: (unit, counted text, end offset, last token)."""
    if (occurrences := _occurrences_at(tokens, j, nums)) is not None:
        return occurrences
    window = 4
    k = j
    seen = 0
    while k < len(tokens) and seen <= window:
        tok = tokens[k]
        if _bracketed_acronym(tokens, k):
            k += 3  # "Four Malawi Defence Force (MDF) soldiers"
            continue
        if (tok.is_punct and tok.text not in ("-",)) or "\n" in text[tokens[k - 1].end : tok.start]:
            break  # a counted noun is in the number's sentence and line
        for width in range(nums.max_measure_words, 0, -1):
            if any(t.is_punct and t.text != "-" for t in tokens[k : k + width]):
                continue
            words = tuple(fold(" ".join(t.text for t in tokens[k : k + width])).split())
            if len(words) and words in nums.measures and k + width <= len(tokens):
                last = k + width - 1
                measure = nums.measures[words]
                # "officers and soldiers", "doctors and nurses"
                if last + 2 < len(tokens) and tokens[last + 1].text == "and":
                    w2 = (tokens[last + 2].key,)
                    if w2 in nums.measures and nums.measures[w2] == measure:
                        last += 2
                counted = text[tokens[k].start : tokens[last].end]
                if k > j:
                    counted = text[tokens[j].start : tokens[last].end]
                return measure, counted, tokens[last].end, last
        if tok.is_word and tok.text.lower() in (
            "of",
            "and",
            "to",
            "in",
            "for",
            "at",
            "on",
            "by",
            "from",
            "with",
            "than",
            "as",
        ):
            break
        if tok.is_number:
            break
        seen += 1
        k += 1
    # no known measure: the first plural noun within a few words counts ("14 bases", "six other
    # conflict zones", "37 Muslim civilians", "18 IPOs")
    for k in range(j, min(j + 4, len(tokens))):
        tok = tokens[k]
        if not tok.is_word or (tok.text.islower() and tok.text in STOP_BEFORE_UNIT):
            break
        plural = (len(tok.text) > 3 or tok.text[:-1].isupper()) and tok.text.endswith("s")
        plural = plural and tok.text not in _SKIPPABLE_BEFORE_UNIT
        if plural and (tok.text.islower() or tok.text[:-1].isupper()) and tok.text not in nums.not_counts:
            return tok.text, text[tokens[j].start : tok.end], tok.end, k
        if tok.text.isupper() and len(tok.text) > 1:
            break  # an acronym, no plural: "12 UN"
    return None


def _occurrences_at(tokens: list[Token], j: int, nums: Numbers) -> tuple[str, str, int, int] | None:
    """ "three times" as a count of occurrences: the noun ends its clause or a placing word follows
    ("attacked three times", "three times since 2012"); "three times more" is a multiplier."""
    if j >= len(tokens) or tokens[j].key not in nums.occurrence_nouns:
        return None
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    if nxt is not None and nxt.is_word and nxt.key not in nums.occurrence_followers:
        return None
    if nxt is not None and nxt.is_number:
        return None
    return tokens[j].text, tokens[j].text, tokens[j].end, j


def _bracketed_acronym(tokens: list[Token], k: int) -> bool:
    """ "(MDF)" at token k, after a capitalised word."""
    return (
        k + 2 < len(tokens)
        and k > 0
        and tokens[k].text == "("
        and tokens[k + 2].text == ")"
        and tokens[k + 1].text.isupper()
        and tokens[k - 1].is_word
        and tokens[k - 1].is_cap
    )
