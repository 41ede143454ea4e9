"""Reading numbers: digits, "1,100", "18 586", number words ("twenty-five", "two hundred"),
the qualifier before them ("more than", "nearly"), from the domain data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pktui.domain import load_domain
from pktui.extract.tokens import Token
from pktui.text import fold

MAX_NUMBER_WORDS = 8


@dataclass(slots=True)
class QuantityMention:
    start: int
    end: int
    value: int | float
    qualifier: str
    unit: str | None  # the measure ("personnel"), or the counted word when no measure knows it
    counted: str | None  # what is counted, as written ("officers and soldiers")
    why: str = ""  # the rule that found it ("number + counted noun: officers → personnel")


class Numbers:
    def __init__(self) -> None:
        dom = load_domain()
        nums = dom.numbers
        self.units = {k: int(v) for k, v in (nums.get("units") or {}).items()}
        self.tens = {k: int(v) for k, v in (nums.get("tens") or {}).items()}
        self.scales = {k: int(v) for k, v in (nums.get("scales") or {}).items()}
        self.collectives = {k: int(v) for k, v in (nums.get("collectives") or {}).items()}
        self.ordinals = set((nums.get("ordinals") or {}).keys())
        self.qualifiers = {fold(k): v for k, v in (nums.get("qualifiers") or {}).items()}
        self.max_qual_words = max((len(k.split()) for k in self.qualifiers), default=1)
        # measure phrases, longest first: folded words -> measure
        self.measures: dict[tuple[str, ...], str] = {}
        for measure, spec in dom.measures.items():
            for w in spec.get("words", []) or []:
                self.measures.setdefault(tuple(fold(str(w)).split()), measure)
        self.max_measure_words = max((len(k) for k in self.measures), default=1)
        self.durations = set(dom.durations)
        self.measures_by_word = {k[0]: v for k, v in self.measures.items() if len(k) == 1}
        self.not_counts = {str(w) for w in dom.measures_doc.get("not_counts") or []}
        self.occurrence_nouns = {fold(str(w)) for w in dom.measures_doc.get("occurrence_nouns") or []}
        self.occurrence_followers = {fold(str(w)) for w in dom.measures_doc.get("occurrence_followers") or []}
        self.clock_words = {fold(str(w)) for w in dom.measures_doc.get("clock_words") or []}
        doc = dom.measures_doc
        self.designation_words = {fold(str(w)) for w in doc.get("designation_words") or []}
        self.currency_signs = {str(w) for w in doc.get("currency_signs") or []}
        self.currency_prefixes = {str(w) for w in doc.get("currency_sign_prefixes") or []}
        self.currency_codes = _currency_codes() - {str(w) for w in doc.get("currency_codes_not") or []}
        self.count_followers = {fold(str(w)) for w in doc.get("count_followers") or []}
        self.count_preceders = {tuple(fold(str(w)).split()) for w in doc.get("count_preceders") or []}
        self.headcount_words = {fold(str(w)) for w in doc.get("headcount_words") or []}
        self.duration_adjectives = {fold(str(w)) for w in doc.get("duration_adjectives") or []}
        self.rate_words = {fold(str(w)) for w in doc.get("rate_words") or []}
        self.change_words = {fold(str(w)) for w in doc.get("change_words") or []}
        self.designation_nouns = {fold(str(w)) for w in doc.get("designation_nouns") or []}
        self.function_words = {fold(str(w)) for w in dom.lexicon.get("function_words") or []}
        self.calendar_words = set(dom.months) | set(dom.weekdays)
        #: words a number or a duration may start with (besides digits and hyphenated words)
        self.starters = {*self.units, *self.tens, *self.collectives, "a", "an", "past", "last", "previous", "yearlong"}

    def word_value(self, word: str) -> int | None:
        """``four`` -> 4, ``twenty-five`` -> 25."""
        w = word.lower()
        if w in self.units:
            return self.units[w]
        if w in self.tens:
            return self.tens[w]
        if "-" in w:
            a, _, b = w.partition("-")
            if a in self.tens and b in self.units and self.units[b] < 10:
                return self.tens[a] + self.units[b]
        return None


@lru_cache(maxsize=1)
def numbers() -> Numbers:
    return Numbers()


def parse_number(tokens: list[Token], i: int, nums: Numbers) -> tuple[float, int] | None:
    """Value and last token index of a number starting at token i."""
    tok = tokens[i]
    if tok.is_number:
        try:
            value = float("".join(c for c in tok.text if c not in ", \u00a0\u202f"))
        except ValueError:
            return None
        last = i
        if _stray_space_thousands(tokens, i):  # "4, 500 troops": a space slipped in after the comma
            value = value * 1000 + float(tokens[i + 2].text)
            last = i + 2
        if last + 1 < len(tokens) and tokens[last + 1].text.lower() in nums.scales:
            value *= nums.scales[tokens[last + 1].text.lower()]
            last += 1
        return value, last
    v = nums.word_value(tok.text)
    if v is None:
        low = tok.text.lower()
        if low in nums.collectives and i > 0 and tokens[i - 1].text.lower() in ("a", "one"):
            return float(nums.collectives[low]), i
        return None
    value = float(v)
    last = i
    j = i + 1
    if (unit := _unit_after_tens(tokens, i, nums)) is not None:  # "seventy two"
        value += unit
        last, j = i + 1, i + 2
    # "two hundred", "one thousand five hundred" (a number is a few words: a run of
    # "twenty-five hundred twenty-five hundred ..." is cut, or each start re-reads it all)
    while j < len(tokens) and j - i < MAX_NUMBER_WORDS and tokens[j].text.lower() in nums.scales:
        value *= nums.scales[tokens[j].text.lower()]
        last = j
        j += 1
        if j < len(tokens) and tokens[j].text.lower() == "and":
            j += 1
        if j < len(tokens) and (w := nums.word_value(tokens[j].text)) is not None:
            value += w
            last = j
            if (unit := _unit_after_tens(tokens, j, nums)) is not None:  # "one hundred and seventy two"
                value += unit
                last = j + 1
            j = last + 1
    return value, last


def _stray_space_thousands(tokens: list[Token], i: int) -> bool:
    """ "4, 500 troops": one to three digits, a comma, one space, three digits and a word in lower
    case; not a list ("101, 102, 103", "in 2, 500 and 600")."""
    if i + 3 >= len(tokens) or not tokens[i].text.isdigit() or len(tokens[i].text) > 3:
        return False
    comma, rest, word = tokens[i + 1], tokens[i + 2], tokens[i + 3]
    if comma.text != "," or comma.start != tokens[i].end or rest.start != comma.end + 1:
        return False
    if not (rest.text.isdigit() and len(rest.text) == 3 and word.is_word and word.text.islower()):
        return False
    return word.text not in ("and", "or", "to") and not (i > 0 and tokens[i - 1].text == ",")


def _unit_after_tens(tokens: list[Token], i: int, nums: Numbers) -> int | None:
    """The units written as a word of their own after a tens word ("seventy two"), or None."""
    if tokens[i].text.lower() not in nums.tens or i + 1 >= len(tokens):
        return None
    nxt = tokens[i + 1]
    unit = nums.units.get(nxt.text.lower())
    if unit is None or not 0 < unit < 10 or nxt.start != tokens[i].end + 1:
        return None
    return unit


def num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def qualifier_before(tokens: list[Token], i: int, nums: Numbers) -> tuple[str, int | None]:
    best = ("exact", None)
    for width in range(nums.max_qual_words, 0, -1):
        s = i - width
        if s < 0:
            continue
        if tokens[s].is_punct or any(t.is_punct and t.text != "." for t in tokens[s:i]):
            continue
        phrase = fold(" ".join(t.text for t in tokens[s:i]))
        if phrase in nums.qualifiers:
            return nums.qualifiers[phrase], s
    return best


def _currency_codes() -> set[str]:
    """ISO 4217 codes ("USD", "SEK", "XOF"), from pycountry (none when it is missing)."""
    try:
        import pycountry
    except ImportError:
        return set()
    return {str(c.alpha_3) for c in pycountry.currencies}
