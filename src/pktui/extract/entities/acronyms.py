"""Acronyms defined in brackets ("Department of Peacekeeping Operations (DPO)") and their
later uses: the acronym is linked to the name when its capitals spell the name's words."""

from __future__ import annotations

import re
from functools import lru_cache

from pktui.extract.entities.state import ACRONYM_RE, ArticleState, Found, end_of
from pktui.text import fold


def acronym_definitions(art: ArticleState) -> None:
    toks = art.tokens
    by_end = {f.end: f for f in art.found}
    by_start = {f.start: f for f in art.found}
    for i in range(1, len(toks) - 2):
        if toks[i].text != "(" or toks[i + 2].text != ")":
            continue
        acr_tok = toks[i + 1]
        acr = acr_tok.text
        if not ACRONYM_RE.match(acr):
            continue
        prev = toks[i - 1]
        f = by_end.get(prev.end) or by_end.get(prev.start + len(prev.bare))
        if f is None:
            continue
        known = f.gaz is not None and (acr in f.gaz.acronyms or acr == f.gaz.name)
        if not known and not any(initials_match(acr, form) for form in _forms_of(f, art)):
            continue
        f.aliases.add(acr)
        art.acronyms[acr] = f
        if art.taken[i + 1]:
            # the bracket already holds a mention (e.g. a gazetteer acronym): relink it
            g = by_start.get(acr_tok.start)
            if g is not None:
                g.key, g.type, g.name, g.gaz = f.key, f.type, f.name, f.gaz
                g.why = f"acronym defined in brackets for {f.name}"
            continue
        why = f"acronym defined in brackets for {f.name}"
        art.add(Found(acr_tok.start, acr_tok.end, f.type, f.name, key=f.key, why=why), i + 1, i + 1)
    # later uses of a defined acronym
    if not art.acronyms:
        return
    for i, tok in enumerate(toks):
        if art.taken[i]:
            continue
        f = art.acronyms.get(tok.bare)
        if f is not None:
            why = f"acronym defined in brackets for {f.name}"
            art.add(Found(tok.start, end_of(tok), f.type, f.name, key=f.key, why=why), i, i)


def _forms_of(f: Found, art: ArticleState) -> list[str]:
    forms = [f.name, art.text[f.start : f.end]]
    if f.gaz is not None:
        forms.extend(f.gaz.forms)
    return forms


def initials_match(acr: str, name: str) -> bool:
    """Do the capitals of ``acr`` spell the words of ``name`` (small words optional)?"""
    letters = "".join(c.lower() for c in acr if c.isalnum())
    words = [w for w in re.split(r"[\s\-/]+", fold(name)) if w]
    if len(words) > 2 * len(letters) + 8:
        return False  # no acronym skips that many words
    return _spell(letters, tuple(words))


_DIGIT_WORDS = {"4": ("for", "four"), "2": ("to", "two"), "3": ("three",)}
_SMALL_WORDS = frozenset(
    ["of", "for", "and", "the", "in", "on", "to", "de", "du", "des", "la", "le", "with", "a", "an"]
)


@lru_cache(maxsize=4096)
def _spell(letters: str, words: tuple[str, ...]) -> bool:
    if not letters:
        return all(w in _SMALL_WORDS for w in words)
    if not words:
        return False
    w = words[0]
    if letters[0] in _DIGIT_WORDS and w in _DIGIT_WORDS[letters[0]] and _spell(letters[1:], words[1:]):
        return True  # A4P: Action for Peacekeeping
    # the word gives 1..3 letters from its start, or is a small word that may be skipped
    for take in range(1, min(len(w), 3) + 1):
        if letters[:take] == w[:take] and _spell(letters[take:], words[1:]):
            return True
    return bool(w in _SMALL_WORDS and _spell(letters, words[1:]))
