"""Acronyms defined in brackets ("Department of Peacekeeping Operations (DPO)") and their
later uses: the acronym is linked to the name when its capitals spell the name's words."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from pktui.extract.entities.state import ACRONYM_RE, ArticleState, Found, end_of
from pktui.extract.gazetteer import spelling
from pktui.text import fold, slug


def acronym_definitions(art: ArticleState) -> None:
    toks = art.tokens
    by_end = {f.end: f for f in art.found}
    by_start = {f.start: f for f in art.found}
    for i in range(1, len(toks) - 2):
        if toks[i].text != "(" or toks[i + 2].text != ")" or art.taken[i]:
            continue  # (a bracket inside a known name: "United Nations (UN) Stabilization Mission in Haiti")
        acr_tok = toks[i + 1]
        acr = acr_tok.text
        if not ACRONYM_RE.match(acr):
            if art.gaz.title_case_acronym(acr) is None:  # "(Misca)" is still an acronym
                _nickname(art, i, by_end)
                continue
            acr = acr.upper()
        prev = toks[i - 1]
        f = by_end.get(prev.end) or by_end.get(prev.start + len(prev.bare))
        named = _known_acronym_after(art, i, acr, f, by_start)
        if named is not None:
            by_end[named.end] = f = named
        if f is None:
            continue
        known = f.gaz is not None and (acr in f.gaz.acronyms or acr == f.gaz.name)
        spelled = known or any(initials_match(acr, form) for form in _forms_of(f, art))
        if not spelled and not _other_language_acronym(art, acr, f):
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
        if not spelled:
            why = f"acronym in brackets right after {f.name} (its letters in another language)"
        art.add(Found(acr_tok.start, acr_tok.end, f.type, f.name, key=f.key, why=why), i + 1, i + 1)
    art.found = [f for f in art.found if f.end > f.start]  # without the mentions a whole name replaced
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


def bracketed_unit_names(art: ArticleState) -> None:
    """A unit's short name in brackets right after its full name is the same unit: "the Second
    Zambia Battalion (ZAMBATT II)", "the Nepalese Battalion (NEPBATT 2)"."""
    by_start = {f.start: f for f in art.found if f.type == "unit"}
    text = art.text
    for f in art.found:
        if f.type != "unit" or f.gaz is not None:
            continue
        k = f.end
        while k < len(text) and text[k] == " ":
            k += 1
        if k >= len(text) or text[k] != "(":
            continue
        g = by_start.get(k + 1)
        if g is None or g is f or g.gaz is not None or text[g.end : g.end + 1] != ")":
            continue
        g.key, g.name = f.key, f.name
        g.why = f"short name in brackets after the unit {f.name}"
        f.aliases.add(text[g.start : g.end])


#: words a name before a bracketed acronym may have ("United Nations Assistance Mission in Iraq")
_NAME_REACH = 12


def _known_acronym_after(
    art: ArticleState, i: int, acr: str, f: Found | None, by_start: dict[int, Found]
) -> Found | None:
    """The name before "(ACR)" when ACR is a known acronym: "UN Assistance Mission Iraq
    (UNAMI)" whose initials spell it, or "the Republic of the Congo (DRC)", part of one of its
    names. The mentions inside become one mention of the known entity."""
    entry = art.gaz.acronyms.get(acr)
    if entry is None or (f is not None and f.gaz is entry):
        return None
    toks = art.tokens
    end = toks[i - 1]
    start = None
    if f is not None and f.type == entry.type and any(_words_in(fold(f.name), fold(form)) for form in entry.forms):
        start = f.start
    elif f is not None and f.type == entry.type == "mission" and f.gaz is None:
        start = f.start  # a mission's acronym follows its French name: "... Mission in Mali (MINUSMA)"
    else:
        j = i - 1
        while j > 0 and i - j < _NAME_REACH and (toks[j - 1].is_cap or toks[j - 1].text in art.lex.connectors):
            j -= 1
            if j in art.sentence_starts:
                break
        for k in range(j, i):
            if (
                toks[k].is_word
                and toks[k].is_cap
                and toks[k].key not in art.lex.function_words
                and initials_match(acr, art.text[toks[k].start : end.end])
            ):
                start = toks[k].start
                break
        if start is None and entry.type == "mission" and j < i:
            # "UN ... Mission in Mali (MINUSMA)": a new mission's name, cut before its place
            named = [by_start.get(toks[k].start) for k in range(j, i)]
            start = next((g.start for g in named if g is not None and g.type == "mission" and g.gaz is None), None)
    if start is None:
        return None
    first = bisect.bisect_left(art.token_starts, start)
    for k in range(first, i):
        g = by_start.pop(toks[k].start, None)
        if g is not None:
            g.end = g.start  # replaced by the whole name (finalise drops empty mentions)
    whole = Found(start, end_of(end), entry.type, entry.name, gaz=entry, why=f"name before its known acronym {acr}")
    by_start[start] = whole
    return art.add(whole, first, i - 1)


def _other_language_acronym(art: ArticleState, acr: str, f: Found) -> bool:
    """ "the Defense Ministry (SEDENA)", "Malaysian Armed Forces (ATM)", "Central African Armed Forces
    (FACa)": capitals in brackets right after a body's name of two or more words are its acronym in
    the body's own language, unless the gazetteer gives those letters to something else ("(UN)")."""
    if f.type not in ("organization", "mission", "unit") or " " not in f.name:
        return False
    if fold(acr) in art.lex.common or fold(acr) in art.lex.not_names:
        return False  # "(HQ)", "(PDF)"
    return art.gaz.acronyms.get(acr) is None and art.gaz.lookup(acr) is None


def _words_in(part: str, whole: str) -> bool:
    return f" {part} " in f" {whole} "


def ambiguous_acronyms(art: ArticleState) -> None:
    """ "AFP" in an article that names the Armed Forces of the Philippines is that body, not
    the news agency the gazetteer knows by those letters: an acronym whose listed name the
    article never writes goes to a name in the article whose initials spell it."""
    named = [g for g in art.found if g.type in ("organization", "mission", "unit", "programme") and " " in g.name]
    if not named:
        return
    written = {g.key for g in art.found if g.gaz is not None and not art.text[g.start : g.end].isupper()}
    meaning: dict[tuple[str, str], Found | None] = {}
    for f in art.found:
        acr = art.text[f.start : f.end]
        if f.gaz is None or f.key in written or not acr.isupper() or acr not in f.gaz.acronyms:
            continue
        if (acr, f.key) not in meaning:
            meaning[acr, f.key] = next((g for g in named if g.key != f.key and _may_be(acr, g)), None)
        g = meaning[acr, f.key]
        if g is not None:
            f.key, f.type, f.name, f.gaz = g.key, g.type, g.name, g.gaz
            f.why = f"acronym of {g.name}, named in the article"


def _nickname(art: ArticleState, i: int, by_end: dict[int, Found]) -> None:
    """ "President Joko Widodo (Jokowi)": a one-word name in brackets after a person's full
    name is that person's other name."""
    toks = art.tokens
    tok = toks[i + 1]
    f = by_end.get(toks[i - 1].end)
    if f is None or f.type != "person" or " " not in f.name or art.taken[i + 1]:
        return
    if not (tok.is_word and tok.text[:1].isupper() and tok.text[1:].islower() and len(tok.text) > 2):
        return
    f.aliases.add(tok.text)
    why = f"other name in brackets for {f.name}"
    art.add(Found(tok.start, tok.end, "person", f.name, key=f.key, why=why), i + 1, i + 1)


def _may_be(acr: str, g: Found) -> bool:
    """May ``acr`` stand for ``g``? Its initials spell it, and a listed name has no other acronym."""
    if g.gaz is not None and g.gaz.acronyms and acr not in g.gaz.acronyms:
        return False
    return acr.isalnum() and initials_match(acr, g.name)


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
    ["of", "for", "and", "the", "in", "on", "to", "de", "du", "des", "la", "le", "with", "a", "an", "s"]
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


def cut_short_known_names(art: ArticleState) -> None:
    """A known name written without its last words ("United Nations Multidimensional Integrated
    Stabilization Mission", then "dubbed MINUSCA") is that known name, when exactly one known
    name the article mentions elsewhere opens with those words."""
    known = {f.gaz.name: f.gaz for f in art.found if f.gaz is not None and f.type in ("mission", "organization")}
    if not known:
        return
    forms = {name: [_spelled(form) for form in (name, *g.forms)] for name, g in known.items()}
    for f in art.found:
        if f.gaz is not None or f.type not in ("mission", "organization") or f.name.count(" ") < 2:
            continue
        start = _spelled(f.name) + " "
        hits = [
            name for name, fs in forms.items() if known[name].type == f.type and any(s.startswith(start) for s in fs)
        ]
        if len(hits) == 1:
            g = known[hits[0]]
            f.key, f.name, f.gaz = f"{g.type}/{slug(g.name)}", g.name, g
            f.why = f"first words of {g.name}, named in the article"


def _spelled(name: str) -> str:
    return " ".join(spelling(w) for w in fold(name).split())


#: a designation at the end of a unit's name ("9", "II", "XXXIX-A", "850-12")
_DESIGNATION_RE = re.compile(r"\s(\d[\d-]*|[IVXL]+(?:-[A-Z]{1,2})?)$")


def alias_references(art: ArticleState) -> None:
    """A body's short name used again on its own is that body: "SLFPU" after "Sri Lankan Force
    Protection Unit (SLFPU)", "GHANBATT 9" after "Ghana Battalion (GHANBATT) 9" (but not "GHANBATT"
    alone: the contingent at large, as "TOGOBATT" beside "the 20th Togolese Battalion").
    A short name that two bodies of the article share links neither."""
    owners: dict[str, set[str]] = {}
    by_key: dict[str, Found] = {}
    for f in art.found:
        if f.type not in ("unit", "organization", "mission") or not f.aliases:
            continue
        by_key.setdefault(f.key, f)
        designation = _DESIGNATION_RE.search(f.name)
        for alias in f.aliases:
            if not ACRONYM_RE.match(alias):
                continue
            # a numbered unit's bare short name is the contingent at large, not this rotation
            form = f"{alias} {designation.group(1)}" if designation else alias
            owners.setdefault(fold(form), set()).add(f.key)
    if not owners:
        return
    for f in art.found:
        keys = owners.get(fold(f.name), set()) - {f.key}
        if len(keys) != 1 or f.gaz is not None or f.type not in ("unit", "organization", "mission"):
            continue
        g = by_key[next(iter(keys))]
        if len(owners[fold(f.name)]) > 1:
            continue
        f.key, f.type, f.name = g.key, g.type, g.name
        f.why = f"{f.why}; short name of {g.name}, named in the article"
