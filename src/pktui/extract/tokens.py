"""Word tokens with their offsets, and the questions the extractor asks about them."""

from __future__ import annotations

import re

from pktui.text import fold

_TOKEN_RE = re.compile(
    # each alternative over a run starts only at the run's first character ((?<!...)): tried
    # from every character of a long run of hyphens or initials, the backtracking was quadratic
    r"(?<![A-Za-z.])(?:[A-Za-z]\.){2,}(?![A-Za-z])"  # dotted acronyms: U.N., U.S.
    r"|(?<![A-Za-z0-9-])[A-Za-z0-9][A-Za-z0-9-]*(?:\.(?:com|org|net|vn|int|gov|edu|info|io|co|uk|za|fr))+\b"  # qdnd.vn
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)"  # 1,100
    r"|(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]?\d)"  # 18 586, 100 000 (thousands by spaces)
    r"|\d+(?:\.\d+)?"  # 252, 3.5
    r"|\b(?:[Tt]hen|[Ee]x)(?=-[A-Z])"  # "then-President X", "ex-Minister X": the title is a token of its own
    r"|[^\W\d_](?:[\w]|[-'’](?=\w))*\+?"  # words, with inner hyphens/apostrophes: Jean-Pierre, A4P+
    r"|[^\w\s]",  # one punctuation character
    re.UNICODE,
)


class Token:
    """One token with its offsets and the questions the extractor asks about it, answered
    once per distinct token text (they are asked millions of times, and most words repeat)."""

    __slots__ = (
        "bare",
        "bare_key",
        "end",
        "is_allcaps",
        "is_cap",
        "is_number",
        "is_punct",
        "is_word",
        "key",
        "start",
        "text",
    )

    def __init__(self, start: int, end: int, text: str, key: str | None = None) -> None:
        self.start = start
        self.end = end
        self.text = text
        info = _info(text)
        # folded, punctuation-free ("people s" for "People’s"); the bare word's key ("people")
        (
            self.key,
            self.bare,
            self.bare_key,
            self.is_word,
            self.is_number,
            self.is_punct,
            self.is_cap,
            self.is_allcaps,
        ) = info
        if key is not None:
            self.key = key

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))


#: no word, number or name part is longer: a longer run of letters is no token (bounded
#: tokens keep every later step's work per token bounded)
MAX_TOKEN = 64


#: (key, bare, bare key, is word, is number, is punctuation, is capitalised, is all capitals)
TokenInfo = tuple[str, str, str, bool, bool, bool, bool, bool]
_INFO: dict[str, TokenInfo] = {}
_INFO_MAX = 100_000


def _info(text: str) -> TokenInfo:
    """What a token's text says, whatever its place: worked out once per distinct text."""
    info = _INFO.get(text)
    if info is None:
        if len(_INFO) >= _INFO_MAX:
            _INFO.clear()
        info = _INFO[text] = _describe(text)
    return info


def _describe(text: str) -> TokenInfo:
    first = text[0]
    is_word = first.isalpha()
    is_number = first.isdigit()
    is_punct = not first.isalnum()
    #: starts with an upper-case letter (or is a camel-case brand like ``defenceWeb``)
    is_cap = first.isupper() or (is_word and any(c.isupper() for c in text[1:]))
    letters = [c for c in text if c.isalpha()]
    is_allcaps = len(letters) >= 2 and all(c.isupper() for c in letters)
    #: the word without a possessive ending: ``Vietnam’s`` -> ``Vietnam``
    bare = text[:-2] if len(text) > 2 and text[-2] in "'’" and text[-1] in "sS" else text
    key = fold(text)
    return key, bare, key if bare == text else fold(bare), is_word, is_number, is_punct, is_cap, is_allcaps


#: a name glued to an acronym by a hyphen ("Somalia-AMISOM", "Mali-MINUSMA"): two names, not one word
_GLUED_ACRONYM_RE = re.compile(r"^([A-Z][a-z]{2,})-([A-Z]{3,})$")
#: prefixes that make one word with the acronym after them ("Anti-MONUSCO protests")
_PREFIXES = frozenset(["anti", "pro", "post", "pre", "non", "neo", "pan", "trans", "inter", "multi", "sub", "mid"])


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        s = m.group()
        if len(s) <= MAX_TOKEN:
            a, b = m.span()
            if "-" in s and (g := _GLUED_ACRONYM_RE.match(s)) and g.group(1).lower() not in _PREFIXES:
                cut = a + len(g.group(1))
                out.extend((Token(a, cut, g.group(1)), Token(cut, cut + 1, "-"), Token(cut + 1, b, g.group(2))))
                continue
            out.append(Token(a, b, s))
    return out
