"""What entity finding works on: one article's tokens, the mentions found so far, and the
small questions every stage asks about a run of tokens (its head word, its text, its end)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pktui.domain import GazEntry
from pktui.extract.entities.lexicon import Lexicon, lexicon
from pktui.extract.gazetteer import GazMatch, gazetteer
from pktui.extract.tokens import Token
from pktui.text import fold, slug

#: a Roman number as a designation ("III", "XXXIX-A", "XXVIII-K")
ROMAN_RE = re.compile(r"^(?=[IVXL])L?X{0,3}(?:IX|IV|VI{0,3}|I{1,3})?(?:-[A-Z]{1,2})?$")
ACRONYM_RE = re.compile(r"^(?=.*[A-Z].*[A-Z])[A-Z][A-Za-z0-9&+-]{1,9}$")


@dataclass(slots=True)
class Found:
    """One mention in the article, with what it names."""

    start: int
    end: int
    type: str
    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    aliases: set[str] = field(default_factory=set)
    gaz: GazEntry | None = None
    key: str = ""
    #: the rule, list or cue that found it ("gazetteer: missions", "head word: Battalion")
    why: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            self.key = f"{self.type}/{slug(self.name)}"


@dataclass
class EntityResult:
    mentions: list[Found]
    titles: list[tuple[int, int]]  # title phrases found (start, end)
    ranks: list[tuple[int, int, str]]


class ArticleState:
    """Working state while reading one article."""

    def __init__(self, text: str, tokens: list[Token], sentence_starts: set[int]) -> None:
        self.text = text
        self.tokens = tokens
        self.token_starts = [t.start for t in tokens]
        self.lex = lexicon()
        self.gaz = gazetteer()
        self.sentence_starts = sentence_starts  # token indices that open a sentence
        self.found: list[Found] = []
        self.taken = [False] * len(tokens)  # token already part of a mention or rank/title
        self.rank_before: dict[int, tuple[int, str]] = {}  # token after a rank -> (rank's first token, rank)
        self.title_spans: list[tuple[int, int]] = []
        self.ranks: list[tuple[int, int, str]] = []
        self.acronyms: dict[str, Found] = {}  # defined in this article
        self.unknown_singles: list[int] = []  # token indices of unknown one-word names
        self.unknown_multi: list[list[int]] = []
        self.gaz_at: dict[int, GazMatch] = {}  # known names not taken by ranks or titles, by first token
        #: per token: is it in a line written in title case ("Sweden Drops Largest Intel Unit"),
        #: where a capital says nothing about a name?
        self.in_headline, self.in_byline = line_kinds(text, tokens, self.lex)
        self.headline_parts: list[list[int]] = []  # runs of such lines, names only if named elsewhere
        self.people_by_name: dict[str, Found] = {}  # folded full names of people found so far
        self.people_by_word: dict[str, Found] = {}  # their first and last names
        #: listed bodies named for another country here ("Ministry of Defence of Kazakhstan"): their
        #: short form ("the Ministry of Defence") is that body in this article, not the listed one
        self.other_countries: dict[str, str] = {}

    # -- helpers ---------------------------------------------------------------------
    def add(self, f: Found, first: int, last: int) -> Found:
        self.found.append(f)
        if f.type == "person" and " " in f.name:
            self.people_by_name.setdefault(fold(f.name), f)
            words = f.name.split()
            for w in (words[0], words[-1]):
                self.people_by_word[fold(w)] = f  # the latest person of that name wins
        for k in range(first, last + 1):
            self.taken[k] = True
        return f

    def prev_word(self, i: int) -> Token | None:
        j = i - 1
        while j >= 0 and self.tokens[j].is_punct and self.tokens[j].text in "(\"“‘'":
            j -= 1
        return self.tokens[j] if j >= 0 else None

    def next_tok(self, i: int) -> Token | None:
        return self.tokens[i + 1] if i + 1 < len(self.tokens) else None


def is_namey(tok: Token) -> bool:
    return tok.is_word and tok.is_cap


def end_of(tok: Token) -> int:
    return tok.start + len(tok.bare)


def name_text(art: ArticleState, seq: list[int]) -> str:
    toks = art.tokens
    s = toks[seq[0]].start
    e = end_of(toks[seq[-1]])
    return " ".join(art.text[s:e].split())


def head_type(art: ArticleState, seq: list[int]) -> tuple[str | None, int | None]:
    """Type from the head word: the last word, or a head followed by a connector ("X of Y")."""
    toks = art.tokens
    lex = art.lex
    last = seq[-1]
    key = toks[last].bare_key
    if key in lex.heads:
        return lex.heads[key], last
    if len(seq) >= 2 and _numbering(toks[last]) and toks[seq[-2]].bare_key in lex.heads:
        return lex.heads[toks[seq[-2]].bare_key], seq[-2]  # "World War II", "World War One"
    for a, b in itertools.pairwise(seq):
        ka = toks[a].key
        if ka in lex.heads and toks[b].is_word and toks[b].text in lex.connectors:
            if ka == "mission" and toks[last].bare in ("UN", "Nations"):
                return "organization", a  # "the Permanent Mission of Ghana to the UN": a country's envoys
            return lex.heads[ka], a
    if len(seq) == 2 and toks[seq[0]].bare_key in lex.place_openers:
        return "location", seq[0]  # "Camp Castor", "Mount Elgon", "Port Sudan"
    return None, None


_NUMBER_WORDS = frozenset(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])


def _numbering(tok: Token) -> bool:
    """A number after a name: "II", "2", "One"."""
    return bool(ROMAN_RE.match(tok.text)) or tok.text.isdigit() or tok.key in _NUMBER_WORDS


def all_demonym(art: ArticleState, seq: list[int]) -> bool:
    return bool(seq) and all(art.tokens[k].bare_key in art.lex.demonyms for k in seq)


def add_gaz(art: ArticleState, m: GazMatch) -> Found:
    entry = m.entry
    name = entry.name
    if name in art.other_countries:
        full = art.other_countries[name]
        f = Found(m.start, m.end, entry.type, full, why=f"short form of {full}")
        return art.add(f, m.first, m.last)
    f = Found(m.start, m.end, entry.type, name, gaz=entry, why=f"gazetteer: {entry.source}")
    return art.add(f, m.first, m.last)


def rank_before(art: ArticleState, first: int) -> tuple[int, str] | None:
    return art.rank_before.get(first)


_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


def line_kinds(text: str, tokens: list[Token], lex: Lexicon) -> tuple[list[bool], list[bool]]:
    """Per token: is it in a title-case line (a headline, a link line), in a byline?"""
    headline = [False] * len(tokens)
    byline = [False] * len(tokens)
    if not tokens:
        return headline, byline
    k = 0
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        by = lex.byline_re.match(line) if len(line) <= _BYLINE_CHARS else None
        if by is not None and not line.rstrip().endswith(".") and not _calendar_word(line, by.end(), lex):
            flags, start = byline, start + by.end()
        elif _title_case(line, lex):
            flags = headline
        else:
            continue
        while k < len(tokens) and tokens[k].start < start:
            k += 1
        while k < len(tokens) and tokens[k].start < pos:
            flags[k] = True
            k += 1
    return headline, byline


#: a byline is a short line ("By Jane Doe and John Roe"), not a sentence opening with "By"
_BYLINE_CHARS = 80
#: a title-case line of this many words or fewer with no small word is a name ("Tanzania Daily
#: News (Dar es Salaam)", "The UB Post"), not a headline
_NAME_LINE_WORDS = 4


def _calendar_word(line: str, at: int, lex: Lexicon) -> bool:
    word = _WORD_RE.match(line, at)
    return word is not None and word.group().lower() in lex.calendar


def _title_case(line: str, lex: Lexicon) -> bool:
    """A headline or a link line: three or more words of four letters or more, every one of
    them capitalised, no sentence end and at most one comma ("Uruguay Troops to Finish
    Peacekeeping Tour in Haiti"); not a name alone on its line."""
    line = line.strip()
    if len(line) < 12 or line.endswith((".", ":")) or line.count(",") > 1 or lex.credit_line_re.search(line):
        return False  # a sentence, a line opening a quote, a list, a photo credit ("Image: Jane Doe/IOL")
    words = _WORD_RE.findall(re.sub(r"\([^)]*\)", " ", line))
    small = [w for w in words if w.lower() in lex.connectors or w.lower() in lex.function_words]
    if len(words) <= _NAME_LINE_WORDS and len(small) <= (1 if words[:1] == ["The"] else 0):
        return False
    content = [w for w in words if len(w) >= 4 and w not in lex.connectors and w not in lex.function_words]
    return len(content) >= 3 and all(w[0].isupper() for w in content)


def initial_before(toks: list[Token], k: int, dot: int) -> bool:
    """Is token k an initial ending at the period ``dot``: one capital before a spaced name
    ("H. Simatupang"), or one or two letters glued to it ("U.Khurelsukh", "Kh.Battulga")?"""
    initial, nxt = toks[k].text, toks[dot + 1]
    if toks[k].end != toks[dot].start:
        return False
    if len(initial) == 1 and initial.isupper() and nxt.start == toks[dot].end + 1:
        return True
    glued = nxt.start == toks[dot].end
    return glued and len(initial) <= 2 and initial[0].isupper() and (len(initial) == 1 or initial[1:].islower())


def opens_sentence(art: ArticleState, k: int) -> bool:
    """Does token k open a sentence, also one glued to the full stop before it ("residents.The Army")
    or after a dateline's colon or dash ("April 14 (ANI): The Indian Battalion", "Nov 17 – The ...")?"""
    if k in art.sentence_starts:
        return True
    prev = art.tokens[k - 1] if k > 0 else None
    if prev is not None and prev.text == "." and k - 1 not in art.taken:
        return True
    return prev is not None and prev.text in _DATELINE_ENDS and _after_dateline(art, k - 1)


_DATELINE_ENDS = frozenset([":", "–", "—", "--", "-"])


def _after_dateline(art: ArticleState, k: int) -> bool:
    """Token k (a colon or dash) closes a dateline: a bracketed agency or a date's number before it."""
    before = art.tokens[k - 1] if k > 0 else None
    return before is not None and (before.text == ")" or before.is_number)
