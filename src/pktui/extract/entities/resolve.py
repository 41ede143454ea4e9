"""Stage 3, resolution within the article: designations ("... Rotation 2"), short
references ("Lacroix" for Jean-Pierre Lacroix), "the department" for the department named
before, shortened names, then one mention per span."""

from __future__ import annotations

import bisect

from pktui.extract.entities.acronyms import initials_match
from pktui.extract.entities.classify import type_single
from pktui.extract.entities.countries import national_service
from pktui.extract.entities.cues import add_person, name_word
from pktui.extract.entities.state import ROMAN_RE, ArticleState, Found, end_of, is_namey, name_text, rank_before
from pktui.extract.entities.surnames import nearest_before, shortened_people, surnames_taken_for_places
from pktui.extract.tokens import Token
from pktui.text import fold, has_diacritics, slug


def designations(art: ArticleState) -> None:
    """ "Engineering Unit Rotation 2", "Level-2 Field Hospital No. 6", "Ghanaian Battalion 96".

    Each mention takes the designation written after it: one article may name several
    rotations of one unit. An acronym defined for the unit ("(TIU)") follows its mention.
    """
    toks = art.tokens
    token_starts = [t.start for t in toks]
    designated: dict[str, list[tuple[int, str, str]]] = {}  # head word -> (end, base name, name), by end
    for f in list(art.found):
        if f.type != "unit":
            continue
        # the token after the mention, skipping a bracketed acronym
        j = bisect.bisect_left(token_starts, f.end)
        if j >= len(toks):
            continue
        if j + 2 < len(toks) and toks[j].text == "(" and toks[j + 2].text == ")":
            j += 3
        if j >= len(toks) or art.taken[j]:
            continue
        numbered = (
            toks[j].is_number and toks[j].text.isdigit() and toks[j].start == toks[j - 1].end + 1 and f.gaz is None
        )
        if not (ROMAN_RE.match(toks[j].text) or toks[j].text in ("Rotation", "No") or numbered):
            continue
        end_tok = j
        designation = toks[j].text
        if toks[j].text == "Rotation":
            if not (j + 1 < len(toks) and toks[j + 1].is_number):
                continue
            end_tok = j + 1
            designation = f"Rotation {toks[j + 1].text}"
        elif numbered and _glued_number_after(toks, j):
            end_tok = j + 2  # "Malaysian Battalion 850-2"
            designation = art.text[toks[j].start : toks[j + 2].end]
        elif toks[j].text == "No":
            k = j + 2 if j + 1 < len(toks) and toks[j + 1].text == "." else j + 1
            if not (k < len(toks) and toks[k].is_number):
                continue
            end_tok = k
            designation = f"No. {toks[k].text}"
        old_key, base = f.key, f.name
        f.why = f"{f.why}; designation after it: {designation}"
        f.name = f"{base} {designation}"
        f.end = toks[end_tok].end
        f.key = f"unit/{slug(f.name)}"
        f.gaz = None
        for g in art.found:
            if g is not f and g.key == old_key and art.text[g.start : g.end] in f.aliases:
                g.key, g.name = f.key, f.name
        for k in range(j, end_tok + 1):
            art.taken[k] = True
        _bracketed_short_name(art, f, end_tok, designation)
        designated.setdefault(base.split()[-1].lower(), []).append((f.end, base, f.name))
    if designated:
        _sister_units(art, designated)
    # a kind of unit with no designation is a description ("the Engineering Unit")
    for f in art.found:
        if f.type == "unit" and f.gaz is not None and f.gaz.name in art.lex.need_designation:
            f.end = f.start
    art.found = [f for f in art.found if f.end > f.start]


def _bracketed_short_name(art: ArticleState, f: Found, end_tok: int, designation: str) -> None:
    """ "Malaysian Battalion 850-11 (Malbatt 850-11)": a unit in brackets right after a designated
    unit, ending in the same designation, is its short name."""
    toks = art.tokens
    k = end_tok + 1
    if k + 1 >= len(toks) or toks[k].text != "(":
        return
    short = next(
        (g for g in art.found if g is not f and g.type == "unit" and g.start == toks[k + 1].start),
        None,
    )
    if short is None or not short.name.endswith(f" {designation}"):
        return
    old_key = short.key
    for g in art.found:
        if g.key == old_key:
            g.key, g.name = f.key, f.name
            g.why = f"{g.why}; short name in brackets after {f.name}"


def _glued_number_after(toks: list[Token], j: int) -> bool:
    """ "850-2": a hyphen and a number glued to the number at j (a contingent's rotation)."""
    if j + 2 >= len(toks):
        return False
    dash, tail = toks[j + 1], toks[j + 2]
    return dash.text == "-" and tail.is_number and tail.text.isdigit() and toks[j].end == dash.start == tail.start - 1


def _sister_units(art: ArticleState, designated: dict[str, list[tuple[int, str, str]]]) -> None:
    """ "unit IV" after "Tactical Intelligence Unit III" is "Tactical Intelligence Unit IV":
    a head word and a Roman number name a sister of the nearest designated unit before."""
    toks = art.tokens
    for listed in designated.values():
        listed.sort()
    for k in range(len(toks) - 1):
        bases = designated.get(toks[k].text.lower())
        if not bases or art.taken[k] or art.taken[k + 1] or not ROMAN_RE.match(toks[k + 1].text):
            continue
        n = bisect.bisect_right(bases, (toks[k].start, "\uffff"))
        if n == 0:
            continue
        _end, base, sister = bases[n - 1]
        why = f"sister unit of {sister}"
        art.add(Found(toks[k].start, toks[k + 1].end, "unit", f"{base} {toks[k + 1].text}", why=why), k, k + 1)


def short_references(art: ArticleState) -> None:
    """Link "Lacroix", "Phụng", "Lieut. Colonel Phuong" to the person named in full."""
    toks = art.tokens
    lex = art.lex
    short: dict[str, list[Found]] = {}
    for f in art.found:
        if f.type == "person" and " " in f.name:
            words = f.name.split()
            # the surname, and a middle name of a longer name ("Brako" of Barima Brako Owusu)
            for w in {words[-1], *(words[1:-1] if len(words) >= 3 else [])}:
                if len(w) > 2:
                    short.setdefault(fold(w), []).append(f)
    shortened_people(art)
    surnames_taken_for_places(art, short)
    names_by_fold = {fold(f.name): f for f in art.found}
    for f in art.found:
        for a in f.aliases:
            names_by_fold.setdefault(fold(a), f)
    singles = set(art.unknown_singles)
    for i, tok in enumerate(toks):
        if art.taken[i] or not is_namey(tok):
            continue
        key = tok.bare_key
        target = nearest_before(short.get(key), tok.start)
        if target is not None:
            f = Found(
                tok.start, end_of(tok), "person", target.name, key=target.key, why=f"short reference to {target.name}"
            )
            art.add(f, i, i)
            continue
        rank = rank_before(art, i)
        if rank is not None and key not in lex.common:
            add_person(art, [i], rank, "rank before name")
            continue
        other = names_by_fold.get(key)
        if other is not None:
            why = f"same name as {other.name}"
            art.add(Found(tok.start, end_of(tok), other.type, other.name, key=other.key, why=why), i, i)
            continue
        if tok.bare in lex.ambiguous_names:
            _ambiguous(art, i, lex.ambiguous_names[tok.bare])
            continue
        if i in singles:
            type_single(art, i)
    # multi-word unknowns equal to a known name: "The De Brug centre"; in headlines, any
    # stretch of a run equal to a known name ("Kora Battalion" in "Kora Battalion Returns Home")
    for part in art.unknown_multi + [p for whole in art.headline_parts for p in _stretches(whole, names_by_fold, art)]:
        if any(art.taken[k] for k in part):
            continue
        name = name_text(art, part)
        other = names_by_fold.get(fold(name))
        if other is not None:
            art.add(
                Found(
                    toks[part[0]].start,
                    end_of(toks[part[-1]]),
                    other.type,
                    other.name,
                    key=other.key,
                    why=f"same name as {other.name}",
                ),
                part[0],
                part[-1],
            )
    # a shorter name that ends a longer one of the same kind: "Department of Peacekeeping
    # Operations" after "Viet Nam Department of Peacekeeping Operations"
    # (the longer names are found by their last words, not by comparing every pair: linear)
    by_suffix: dict[tuple[str, str], list[Found]] = {}
    for g in art.found:
        if g.type in ("organization", "mission", "unit", "programme", "event"):
            words = fold(g.name).split()
            for k in range(1, len(words)):
                by_suffix.setdefault((g.type, " ".join(words[k:])), []).append(g)
    for f in art.found:
        if f.gaz is not None:
            continue  # a known name keeps its own identity ("UN" is not "Permanent Mission ... to the UN")
        ff = fold(f.name)
        for g in by_suffix.get((f.type, ff), ()):
            if g is f or g.key == f.key:
                continue
            fg = fold(g.name)
            if len(fg) > len(ff) + 3 and fg.endswith(" " + ff) and g.type == f.type:
                f.why = f"shortened name of {g.name}"
                f.key, f.name, f.gaz = g.key, g.name, g.gaz
                break


def _ambiguous(art: ArticleState, i: int, meanings: list[str]) -> None:
    """ "Congo": the listed entity of that name the article names, else one of its own."""
    tok = art.tokens[i]
    named = {f.gaz.name: f for f in art.found if f.gaz is not None}
    target = next((named[m] for m in meanings if m in named), None)
    if target is not None:
        f = Found(tok.start, end_of(tok), target.type, target.name, key=target.key, gaz=target.gaz,
                  why=f"short name of {target.name}, named in the article")  # fmt: skip
    else:
        entry = art.gaz.lookup(meanings[0])
        etype = entry.type if entry is not None else "location"
        f = Found(tok.start, end_of(tok), etype, tok.bare, why=f"short name of {' or '.join(meanings)}")
    art.add(f, i, i)


def _stretches(part: list[int], names_by_fold: dict[str, Found], art: ArticleState) -> list[list[int]]:
    """The longest stretches (two words or more) of a headline run that are known names."""
    out = []
    i = 0
    while i < len(part) - 1:
        for j in range(len(part), i + 1, -1):
            if fold(name_text(art, part[i:j])) in names_by_fold:
                out.append(part[i:j])
                i = j - 1
                break
        i += 1
    return out


def the_references(art: ArticleState) -> None:
    """ "the department" refers to the last department named before it."""
    toks = art.tokens
    lex = art.lex
    named: dict[str, list[tuple[int, int, Found]]] = {}  # word of a name -> (start, order, mention)
    for n, f in enumerate(art.found):
        if f.type in ("organization", "mission", "unit"):
            for word in set(fold(f.name).split()):
                if word in lex.heads:
                    named.setdefault(word, []).append((f.start, n, f))
    for mentions in named.values():
        mentions.sort(key=lambda m: (m[0], m[1]))
    for i in range(len(toks) - 1):
        if toks[i].text.lower() != "the" or art.taken[i + 1]:
            continue
        head = toks[i + 1]
        # "the department"; "the Army" (a capitalised head word alone)
        if not head.is_word or head.bare_key not in lex.heads or not (head.text.islower() or head.text.istitle()):
            continue
        if head.text.istitle() and i + 2 < len(toks) and is_namey(toks[i + 2]):
            continue
        if (
            head.text.islower()
            and i + 2 < len(toks)
            and toks[i + 2].is_word
            and toks[i + 2].text[0].islower()
            and toks[i + 2].text not in lex.connectors
        ):
            continue  # "the department store"
        target = _last_named_before(named, head.bare_key, head.start)
        if target is None and (service := national_service(art, i + 1)) is not None:
            art.add(service, i + 1, i + 1)  # "the Army" of the country named before it
        elif target is not None:
            why = f"the {head.text}: refers to {target.name}"
            art.add(Found(head.start, head.end, target.type, target.name, key=target.key, why=why), i + 1, i + 1)


#: words of one unknown item in a list of places ("Ebel Es Saqi")
_LIST_ITEM_WORDS = 4


def place_lists(art: ArticleState) -> None:
    """Unknown names in a list of places are places: "from Houle, Ebel Es Saqi, Marjayoun,
    Kleyya and Hasbaiya", "in Tchabi, Komanda, Bogoro and Bayo" (a list with a known place and
    a conjunction or three items, two known places or a place cue before it)."""
    toks = art.tokens
    starts = [t.start for t in toks]
    at: dict[int, Found] = {}
    for f in art.found:
        k = bisect.bisect_left(starts, f.start)
        if k < len(toks) and toks[k].start == f.start:
            at[k] = f
    i = 0
    while i < len(toks):
        if i not in at and not is_namey(toks[i]):
            i += 1  # a list opens with a name
            continue
        items, end, conj = _list_at(art, i, at)
        if len(items) >= 2:
            known = [it for it in items if isinstance(it, Found) and it.type in ("location", "country")]
            cue = art.prev_word(i)
            cued = cue is not None and cue.text in art.lex.location_before
            if known and (conj or len(items) >= 3) and (len(known) >= 2 or cued):
                for it in items:
                    if isinstance(it, list):
                        first, last = it[0], it[-1]
                        why = f"in a list of places with {known[0].name}"
                        name = name_text(art, it)
                        art.add(Found(toks[first].start, end_of(toks[last]), "location", name, why=why), first, last)
            i = max(end, i + 1)
        else:
            i += 1


def _list_at(art: ArticleState, i: int, at: dict[int, Found]) -> tuple[list[Found | list[int]], int, bool]:
    """The items of a list starting at token i (known mentions, or runs of unknown capitalised
    words), the token after it, and whether a conjunction joins its last item."""
    toks = art.tokens
    items: list[Found | list[int]] = []
    conj = False
    j = i
    while j < len(toks):
        f = at.get(j)
        if f is not None:
            items.append(f)
            while j < len(toks) and toks[j].start < f.end:
                j += 1
        elif (
            not art.taken[j]
            and is_namey(toks[j])
            and toks[j].bare_key not in art.lex.common
            and toks[j].bare_key not in art.lex.calendar_words
        ):
            run: list[int] = []
            while j < len(toks) and len(run) < _LIST_ITEM_WORDS and not art.taken[j] and is_namey(toks[j]):
                run.append(j)
                j += 1
            items.append(run)
        else:
            break
        if j + 2 < len(toks) and toks[j].text == "(" and toks[j + 1].is_number and toks[j + 2].text == ")":
            j += 3  # a count in brackets after an item: "Warrap (3), Unity (2) and Jonglei (4)"
        k = j
        if k < len(toks) and toks[k].text == ",":
            k += 1
        if k < len(toks) and toks[k].text in ("and", "or"):
            conj = True
            k += 1
        if k == j or k >= len(toks) or (k in art.sentence_starts):
            break
        j = k
    return items, j, conj


def coordinated_people(art: ArticleState) -> None:
    """ "Sovanna Chhay and Dara Pich were decorated": a name written as names are, joined by
    "and" or a comma to a person, is a person."""
    toks = art.tokens
    people = {f.start: f for f in art.found if f.type == "person"}
    ends = {f.end: f for f in art.found if f.type == "person"}
    for part in art.unknown_multi:
        if any(art.taken[k] for k in part) or len(part) > 4 or not all(name_word(toks[k]) for k in part):
            continue
        first, last = part[0], part[-1]
        after = _joined(toks, last + 1, 1)
        before = _joined(toks, first - 1, -1)
        partner = (people.get(toks[after].start) if after is not None else None) or (
            ends.get(toks[before].end) if before is not None else None
        )
        if partner is not None:
            add_person(art, part, None, f"joined to the person {partner.name}")


def _joined(toks: list[Token], k: int, step: int) -> int | None:
    """The token after (step 1) or before (step -1) an "and" or a comma at k."""
    seen = 0
    while 0 <= k < len(toks) and toks[k].text in (",", "and") and seen < 2:
        k += step
        seen += 1
    return k if seen and 0 <= k < len(toks) else None


def spelled_acronyms(art: ArticleState) -> None:
    """ "SDF" in an article that names the Self-Defense Forces is that body: an acronym nobody
    defined, whose letters spell a name the article writes out."""
    named = [f for f in art.found if f.type in ("organization", "mission", "unit", "programme") and " " in f.name]
    spelled: dict[str, Found | None] = {}
    for f in art.found:
        if f.why != "all-capitals acronym":
            continue
        if f.name not in spelled:
            spelled[f.name] = next(
                (
                    g
                    for g in named
                    if initials_match(f.name, g.name) or initials_match(f.name, art.text[g.start : g.end])
                ),
                None,
            )
        g = spelled[f.name]
        if g is not None:
            f.key, f.type, f.name, f.gaz = g.key, g.type, g.name, g.gaz
            f.why = f"acronym of {g.name}, named in the article"


def place_short_names(art: ArticleState) -> None:
    """ "Bundase" after "Bundase Camp": a place named without its head word is that place."""
    headed: dict[str, Found] = {}
    for f in art.found:
        words = f.name.split()
        if f.type == "location" and len(words) >= 2 and fold(words[-1]) in art.lex.heads:
            headed.setdefault(fold(" ".join(words[:-1])), f)
    if not headed:
        return
    for f in art.found:
        g = headed.get(fold(f.name)) if f.type == "location" and f.gaz is None else None
        if g is not None and g.key != f.key:
            f.key, f.name, f.why = g.key, g.name, f"{f.why}; short for {g.name}"


def demonym_variants(art: ArticleState) -> None:
    """ "Sri Lankan Army" and "Sri Lanka Army", "Ghanaian Battalion" and "Ghana Battalion": a
    body named with its country's demonym or with the country is one entity."""
    groups: dict[tuple[str, str], list[Found]] = {}
    for f in art.found:
        if f.type in ("organization", "unit", "mission") and " " in f.name:
            groups.setdefault((f.type, _country_first(fold(f.name), art)), []).append(f)
    for members in groups.values():
        # the listed name, else the one written with the country, else the first
        best = min(members, key=lambda f: (f.gaz is None, _country_first(fold(f.name), art) != fold(f.name)))
        for f in members:
            if f.key != best.key:
                f.key, f.name, f.gaz = best.key, best.name, best.gaz
                f.why = f"{f.why}; the same body as {best.name}"


def _country_first(name: str, art: ArticleState) -> str:
    """The name with a leading demonym written as its country ("sri lankan army" -> "sri lanka army")."""
    words = name.split()
    for n in (3, 2, 1):
        country = art.lex.demonym_country.get(" ".join(words[:n]))
        if country and len(words) > n:
            return f"{country} {' '.join(words[n:])}"
    return name


def finalise(art: ArticleState) -> list[Found]:
    found = sorted(art.found, key=lambda f: (f.start, -(f.end - f.start)))
    out: list[Found] = []
    last_end = -1
    for f in found:
        if f.start < last_end or f.end <= f.start:
            continue
        out.append(f)
        last_end = f.end
    # prefer the spelling with diacritics for a person's name
    best_name: dict[str, str] = {}
    for f in out:
        cur = best_name.get(f.key)
        if cur is None or (len(f.name) > len(cur)) or (has_diacritics(f.name) and not has_diacritics(cur)):
            best_name[f.key] = f.name
    for f in out:
        f.name = best_name.get(f.key, f.name)
    return out


def _last_named_before(named: dict[str, list[tuple[int, int, Found]]], word: str, pos: int) -> Found | None:
    """The mention named with ``word`` that starts last before ``pos`` (the last listed of
    those starting at one place)."""
    mentions = named.get(word)
    if not mentions:
        return None
    k = bisect.bisect_left(mentions, pos, key=lambda m: m[0])
    return mentions[k - 1][2] if k else None
