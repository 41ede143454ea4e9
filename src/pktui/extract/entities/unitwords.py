"""Units named by lower-case unit words: an ordinal before them ("the 44th battalion", "its 7th
contingent", "the 50th Swisscoy contingent") or a number after them ("battle group 19",
"contingent 22"); the words are domain data (``ordinal_unit_heads``, ``numbered_unit_words``)."""

from __future__ import annotations

import bisect

from pktui.extract.entities.candidates import ORDINAL_SUFFIXES
from pktui.extract.entities.state import ArticleState, Found


def ordinal_units(art: ArticleState) -> None:
    """ "the 44th battalion", "its 7th contingent", "the 23rd Spanish rotation", "the 7th Cameroonian
    peacekeeping contingent": an ordinal makes a designation of a unit word written in lower case
    (the words are domain data); a plural ("the 44th and 45th battalions") stays a coordination."""
    toks = art.tokens
    lex = art.lex
    n = len(toks)
    for i, tok in enumerate(toks):
        if art.taken[i] or not (tok.is_number and tok.text.isdigit() and i + 2 < n):
            continue
        if toks[i + 1].start != tok.end or toks[i + 1].text.lower() not in ORDINAL_SUFFIXES:
            continue
        j = i + 2
        if toks[j].is_allcaps and (entry := art.gaz.lookup(toks[j].bare)) is not None and entry.type == "mission":
            j += 1  # "the 32nd UNFICYP Hungarian contingent"
        demonym = j < n and toks[j].is_cap and toks[j].bare_key in lex.demonyms
        named = not demonym and _one_name_before_unit_word(art, j)
        if demonym or named:
            j += 1
            while j < n and j - i - 3 < 2 and toks[j].is_word and toks[j].text.islower():
                if toks[j].key in lex.ordinal_unit_heads:
                    break
                j += 1  # "national peacekeeping"
        if not (j < n and toks[j].is_word and toks[j].text.islower() and toks[j].key in lex.ordinal_unit_heads):
            continue
        if any(art.taken[i : j + 1]) or _part_of_named_body(art, j):
            continue
        name = " ".join(art.text[tok.start : toks[j].end].split())
        between = "demonym + " if demonym else "name + " if named else ""
        why = f"ordinal + {between}unit word: {toks[j].text}"
        f = Found(tok.start, toks[j].end, "unit", name, why=why)
        f.attrs["ordinal"] = tok.text
        art.add(f, i, j)


def _part_of_named_body(art: ArticleState, j: int) -> bool:
    """ "the 3rd battalion of the 3rd Gurkha Rifles": a sub-unit of a named body is left to that name."""
    toks = art.tokens
    if j + 3 >= len(toks) or toks[j + 1].text != "of" or toks[j + 2].key != "the":
        return False
    k = j + 3
    if toks[k].is_number:
        return True
    while k + 1 < len(toks) and toks[k + 1].is_word and toks[k + 1].is_cap:
        k += 1
    # "of the 3rd Gurkha Rifles" is a named unit; "of the National Army" is the body it serves
    return toks[j + 3].is_cap and toks[j + 3].bare_key not in art.lex.demonyms and toks[k].key in art.lex.unit_heads


def _one_name_before_unit_word(art: ArticleState, j: int) -> bool:
    """ "the 50th Swisscoy contingent": one capitalised name between an ordinal and a lower-case
    unit word."""
    toks = art.tokens
    if not (j + 1 < len(toks) and toks[j].is_word and toks[j].is_cap and not art.taken[j]):
        return False
    nxt = toks[j + 1]
    return nxt.is_word and nxt.text.islower() and nxt.key in art.lex.ordinal_unit_heads


def numbered_unit_words(art: ArticleState) -> None:
    """ "battle group 19 replaces battle group 16", "five others from contingent 22": lower-case unit
    words (domain data) with a number after them name one unit of a series. Not after "a"/"one"
    ("a contingent 200 strong"), nor when a counted word follows the number."""
    toks = art.tokens
    n = len(toks)
    for words in art.lex.numbered_unit_words:
        w = len(words)
        for i in range(n - w):
            if any(toks[i + k].text != words[k] for k in range(w)):
                continue
            num = i + w
            if not (toks[num].is_number and toks[num].text.isdigit() and len(toks[num].text) <= 3):
                continue
            if any(art.taken[i : num + 1]) or (num + 1 < n and toks[num + 1].key in art.lex.counted_words):
                continue
            prev = art.prev_word(i)
            if prev is not None and prev.key in ("a", "an", "one", "each", "per", "every"):
                continue
            name = " ".join(art.text[toks[i].start : toks[num].end].split())
            f = Found(toks[i].start, toks[num].end, "unit", name, why=f"unit word + number: {' '.join(words)}")
            f.attrs["numbered"] = toks[num].text
            art.add(f, i, num)


def numbered_unit_references(art: ArticleState) -> None:
    """ "rotation 9" after "the 9th rotation of the Ukrainian contingent": the same unit, when one
    unit of the article has that ordinal and that unit word."""
    for f in art.found:
        number = f.attrs.get("numbered")
        if number is None:
            continue
        word = f.name.split()[-2].lower()
        same = {
            g.key: g
            for g in art.found
            if g is not f
            and g.type == "unit"
            and g.name.startswith(number)
            and g.name[len(number) : len(number) + 2] in ORDINAL_SUFFIXES
            and word in g.name.lower().split()
        }
        if len(same) == 1:
            target = next(iter(same.values()))
            f.key, f.name = target.key, target.name
            f.why = f"{f.why}; the same unit as {target.name}"


def ordinal_unit_references(art: ArticleState) -> None:
    """An ordinal unit in lower case names a unit found elsewhere: "the 26th contingent" after
    "the 26th Brazilian Contingent" (same ordinal), or "the Sabuj Battalion, who made up the army's
    66th contingent" (a named unit earlier in the sentence, and a possessive before the ordinal)."""
    toks = art.tokens
    named = [g for g in art.found if g.type == "unit" and "ordinal" not in g.attrs]
    for f in art.found:
        number = f.attrs.get("ordinal")
        if number is None or f.type != "unit":
            continue
        same = [g for g in named if g.name.startswith(f"{number}") and g.name[len(number) : len(number) + 2].isalpha()]
        target = same[0] if len({g.key for g in same}) == 1 else None
        if target is None:  # "its 7th contingent" ... "the 7th Cameroonian contingent": the fuller name
            fuller = {g.key: g for g in art.found if _fuller_ordinal_unit(g, f)}
            target = next(iter(fuller.values())) if len(fuller) == 1 else None
        i = bisect.bisect_left(art.token_starts, f.start)
        prev = art.prev_word(i)
        if target is None and prev is not None and (prev.key in ("its", "their") or prev.text != prev.bare):
            s0 = max((k for k in art.sentence_starts if k <= i), default=0)
            before = [g for g in named if toks[s0].start <= g.start < f.start]
            target = before[-1] if before else None
        if target is not None:
            f.key, f.name = target.key, target.name
            f.why = f"{f.why}; the same unit as {target.name}"


def _fuller_ordinal_unit(g: Found, f: Found) -> bool:
    """g is the same ordinal and unit word as f, with more words between ("7th Cameroonian contingent"
    for "7th contingent")."""
    gw, fw = g.name.lower().split(), f.name.lower().split()
    return g.attrs.get("ordinal") == f.attrs.get("ordinal") and len(gw) > len(fw) and gw[-1] == fw[-1]
