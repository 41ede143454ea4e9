"""What entity finding works on: one article's tokens, the mentions found so far, and the
small questions every stage asks about a run of tokens (its head word, its text, its end)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pktui.domain import GazEntry
from pktui.extract.entities.lexicon import lexicon
from pktui.extract.gazetteer import GazMatch, gazetteer
from pktui.extract.tokens import Token
from pktui.text import slug

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

    # -- helpers ---------------------------------------------------------------------
    def add(self, f: Found, first: int, last: int) -> Found:
        self.found.append(f)
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
    for a, b in itertools.pairwise(seq):
        ka = toks[a].key
        if ka in lex.heads and toks[b].is_word and toks[b].text in lex.connectors:
            return lex.heads[ka], a
    return None, None


def all_demonym(art: ArticleState, seq: list[int]) -> bool:
    return bool(seq) and all(art.tokens[k].bare_key in art.lex.demonyms for k in seq)


def add_gaz(art: ArticleState, m: GazMatch) -> Found:
    entry = m.entry
    name = entry.name
    f = Found(m.start, m.end, entry.type, name, gaz=entry, why=f"gazetteer: {entry.source}")
    return art.add(f, m.first, m.last)


def rank_before(art: ArticleState, first: int) -> tuple[int, str] | None:
    return art.rank_before.get(first)
