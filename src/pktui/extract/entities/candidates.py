"""Stage 1, candidates: the token runs that may be names.

Numbered units ("10 SA Infantry Battalion"), ranks and titles (kept apart: a rank is not part
of a name), then capitalised runs with their connectors ("Ministry of National Defence"), known
names from the gazetteer kept whole, trimmed of sentence starters and function words.
"""

from __future__ import annotations

from pktui.extract.entities.state import (
    ACRONYM_RE,
    ROMAN_RE,
    ArticleState,
    Found,
    end_of,
    head_type,
    initial_before,
    is_namey,
    opens_sentence,
)
from pktui.extract.gazetteer import GazMatch
from pktui.extract.tokens import Token
from pktui.text import fold

ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")
#: no name is longer than this many tokens: a longer capitalised run is cut (and every later
#: stage works on runs of bounded length)
MAX_RUN = 24


def numbered_units(art: ArticleState) -> None:
    toks = art.tokens
    lex = art.lex
    n = len(toks)
    defined: dict[str, tuple[str, str]] = {}  # acronym -> (expansion, head)
    for i, tok in enumerate(toks):
        if not (tok.is_number and tok.text.isdigit() and len(tok.text) <= 3) or art.taken[i]:
            continue
        ordinal = i + 1 < n and toks[i + 1].start == tok.end and toks[i + 1].text.lower() in ORDINAL_SUFFIXES
        prev = art.prev_word(i)
        if not ordinal and prev is not None and prev.is_word and prev.is_cap and i - 1 not in art.sentence_starts:
            continue  # "Rotation 6", handled as a designation
        j = i + 2 if ordinal else i + 1
        words: list[Token] = []
        while j < n and toks[j].is_word and toks[j].is_cap and len(words) < 4:
            if toks[j].key in lex.unit_heads:
                break
            words.append(toks[j])
            j += 1
        acr = None
        if j + 2 < n and toks[j].text == "(" and ACRONYM_RE.match(toks[j + 1].text) and toks[j + 2].text == ")":
            acr = toks[j + 1].text
            j += 3
        plural_alone = not words and toks[j].text.endswith("s") if j < n else False  # "3 Battalions" is a count
        if j < n and toks[j].is_word and toks[j].bare_key in lex.unit_heads and toks[j].is_cap and not plural_alone:
            head = toks[j].bare
            number = art.text[tok.start : toks[i + 1].end] if ordinal else tok.text
            name = " ".join([number, *(w.text for w in words), head])
            why = f"{'ordinal' if ordinal else 'number'} + {'name + ' if words else ''}head word: {head}"
            f = Found(tok.start, end_of(toks[j]), "unit", name, why=why)
            if acr and words:
                f.aliases.add(f"{tok.text} {acr}")
                defined[acr] = (" ".join(w.text for w in words), head)
            art.add(f, i, j)
    if not defined:
        return
    for i, tok in enumerate(toks):
        if art.taken[i] or not (tok.is_number and tok.text.isdigit()) or i + 1 >= n:
            continue
        nxt = toks[i + 1]
        if nxt.bare in defined and not art.taken[i + 1]:
            expansion, head = defined[nxt.bare]
            why = f"number + acronym defined for {expansion} {head}"
            f = Found(tok.start, nxt.start + len(nxt.bare), "unit", f"{tok.text} {expansion} {head}", why=why)
            f.aliases.add(f"{tok.text} {nxt.bare}")
            art.add(f, i, i + 1)


#: lower-case words between a demonym and a unit's head word ("peacekeeping infantry")
_DESCRIBED_WORDS = 4


def described_units(art: ArticleState, gaz_matches: list[GazMatch]) -> None:
    """ "the 8th Chinese peacekeeping infantry battalion to South Sudan (Juba)", "the 15th
    Chinese peacekeeping engineering contingent to Darfur": a unit named by its rank in a
    series, its country and where it serves, in lower case."""
    toks = art.tokens
    lex = art.lex
    places = {m.first: m for m in gaz_matches if m.entry.type in ("country", "location")}
    n = len(toks)
    for i, tok in enumerate(toks):
        if art.taken[i] or not (tok.is_number and i + 2 < n and toks[i + 1].text.lower() in ORDINAL_SUFFIXES):
            continue
        if toks[i + 1].start != tok.end or toks[i + 2].bare_key not in lex.demonyms or not toks[i + 2].is_cap:
            continue
        j = i + 3
        while j < n and j - i - 3 < _DESCRIBED_WORDS and toks[j].is_word and toks[j].text.islower():
            if toks[j].key in lex.unit_heads or toks[j].key in ("force", "forces"):
                break
            j += 1
        if not (j < n and toks[j].is_word and (toks[j].key in lex.unit_heads or toks[j].key in ("force", "forces"))):
            continue
        if not (j + 2 < n and toks[j + 1].text == "to" and (j + 2) in places):
            continue
        last = places[j + 2].last
        if last + 3 < n and toks[last + 1].text == "(" and (last + 2) in places and toks[last + 3].text == ")":
            last += 3  # "... to South Sudan (Juba)"
        name = " ".join(art.text[toks[i].start : toks[last].end].split())
        why = f"ordinal + demonym + head word: {toks[j].text} + “to” a place"
        art.add(Found(tok.start, toks[last].end, "unit", name, why=why), i, last)


def contingent_names(art: ArticleState) -> None:
    """ "GHANBATT 91", "INDBATT-2", "BANFPU-3", "Nepbatt", "IndBatt": a contingent's short name
    (a country's letters and a unit ending, from the domain data) with its designation."""
    toks = art.tokens
    lex = art.lex
    for i, tok in enumerate(toks):
        if art.taken[i] or not tok.is_word or not tok.is_cap:
            continue
        m = lex.contingent_re.match(tok.bare)
        if m is None or fold(m.group("base")) in lex.not_contingents or tok.bare_key in lex.heads:
            continue
        base = m.group("base")
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        numbered = nxt is not None and nxt.is_number and nxt.start == tok.end + 1 and len(nxt.text) <= 4
        numbered = numbered or m.group("number") is not None  # "Estcoy-1"
        if not (base.isupper() or base[1:].lower().endswith("batt") or "Batt" in base[1:] or numbered):
            continue  # mixed case only for "...batt" ("Nepbatt", "IndBatt") or with a number ("Gamcoy 23")
        last = i
        if m.group("number") is None and nxt is not None and nxt.is_number and nxt.start == tok.end + 1:
            last = i + 1  # "GHANBATT 91", "MALBATT 850-12"
            dash, tail = (toks[i + 2], toks[i + 3]) if i + 3 < len(toks) else (None, None)
            if dash and tail and dash.text == "-" and tail.is_number and dash.start == nxt.end == tail.start - 1:
                last = i + 3
        elif nxt is not None and is_namey(nxt) and nxt.bare_key in lex.heads:
            continue  # "MALBATT Village": a name of its own, typed by its head word
        name = art.text[tok.start : end_of(toks[last])]
        art.add(Found(tok.start, end_of(toks[last]), "unit", name, why="contingent short name"), i, last)


def joined_agency_tags(art: ArticleState) -> None:
    """An agency tag naming two agencies joined by a hyphen, "(RHC-Xinhua)", "(Xinhua-ANI)": each
    is an organisation when one of them is a known one."""
    toks = art.tokens
    for k in range(1, len(toks) - 1):
        tok = toks[k]
        if toks[k - 1].text != "(" or toks[k + 1].text != ")" or "-" not in tok.text or art.taken[k]:
            continue
        parts = tok.text.split("-")
        if len(parts) != 2 or not all(len(x) >= 2 and x[0].isupper() for x in parts):
            continue
        known = [art.gaz.lookup(x) for x in parts]
        if not any(e is not None and e.type == "organization" for e in known):
            continue
        start = tok.start
        for part, entry in zip(parts, known):
            if entry is not None:
                f = Found(start, start + len(part), entry.type, entry.name, gaz=entry, why="agency tag, joined")
            elif part.isupper():
                f = Found(start, start + len(part), "organization", part, why="agency tag, joined to a known agency")
            else:
                f = None
            if f is not None:
                art.add(f, k, k)
            start += len(part) + 1


def mark_ranks_and_titles(art: ArticleState, gaz_matches: list[GazMatch]) -> None:
    toks = art.tokens
    in_gaz = [False] * len(toks)
    for m in gaz_matches:
        for k in range(m.first, m.last + 1):
            in_gaz[k] = True
    starts = art.lex.rank_title_starts
    i = 0
    while i < len(toks):
        tok = toks[i]
        if art.taken[i] or in_gaz[i] or not tok.is_word or tok.bare_key.partition(" ")[0] not in starts:
            i += 1
            continue
        rank = art.lex.ranks.match(toks, i)
        if rank is not None and i > 0 and _inside_a_name(art, i, rank[1]):
            rank = None  # "bin Haji Osman", "Pg Hj Zaidi": a courtesy word inside a name belongs to it
        if rank is not None and tok.is_cap and toks[rank[0]].bare == toks[rank[0]].text:  # "the Lord's …" is none
            last, name = rank
            nxt = toks[last + 1] if last + 1 < len(toks) else None
            if nxt is not None and nxt.is_word and nxt.is_cap and art.lex.heads.get(nxt.bare_key) != "organization":
                # "General Staff", "Colonel Staff": a rank before a body's head word names no one
                art.rank_before[last + 1] = (i, name)
                art.ranks.append((tok.start, toks[last].end, name))
                for k in range(i, last + 1):
                    art.taken[k] = True
                i = last + 1
                continue
        title = art.lex.titles.match(toks, i, skip_periods=False)
        if title is not None:
            last, _ = title
            art.title_spans.append((tok.start, toks[last].end))
            for k in range(i, last + 1):
                art.taken[k] = True
            i = last + 1
            continue
        i += 1


def _inside_a_name(art: ArticleState, i: int, rank: str) -> bool:
    """Is the courtesy title at i inside a name (after "bin", or after a name word)?"""
    prev = art.tokens[i - 1]
    if prev.text in art.lex.name_particles:
        return True
    return (
        rank in art.lex.civil_ranks
        and prev.is_word
        and prev.is_cap
        and not art.taken[i - 1]
        and i - 1 not in art.sentence_starts
        and prev.key not in art.lex.common
    )


def find_runs(art: ArticleState, gaz_at: dict[int, GazMatch]) -> list[list[int]]:
    """Token indices of each capitalised run (or known name) not yet taken, in text order."""
    runs: list[list[int]] = []
    toks = art.tokens
    n = len(toks)
    i = 0
    while i < n:
        if art.taken[i]:
            i += 1
            continue
        tok = toks[i]
        starts_gaz = i in gaz_at
        if not (starts_gaz or is_namey(tok)):
            i += 1
            continue
        if tok.key in art.lex.calendar and not starts_gaz:
            i += 1  # "Saturday at the Royal Thai Armed Forces Headquarters": no name opens with a day
            continue
        seq, i = _collect(art, i, gaz_at)
        if seq:
            runs.extend(split_run(art, seq, gaz_at))
    return runs


def split_run(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> list[list[int]]:
    """Cut a run holding two names at the connector between them: "Sarsfield Barracks in
    Limerick", "the Naval Service and the Air Corps" (the kinds of cut are domain data)."""
    toks = art.tokens
    inside_gaz = {k for m in gaz_at.values() if m.first in seq for k in range(m.first + 1, m.last + 1)}
    for pos in range(1, len(seq) - 1):
        k = seq[pos]
        kind = art.lex.split_connectors.get(
            f"{toks[k].text} {toks[seq[pos + 1]].text}"
        ) or art.lex.split_connectors.get(toks[k].text)
        if kind is None or k in inside_gaz or toks[seq[pos - 1]].text in art.lex.connectors:
            continue
        if toks[k].text == "and" and any(toks[c].text == "," for c in seq[:pos]):
            continue  # the last of a body's listed portfolios ("… of Defence, Civil Protection and Sports")
        end = pos
        while end < len(seq) and toks[seq[end]].is_word and toks[seq[end]].text in art.lex.connectors:
            end += 1
        left, right = seq[:pos], seq[end:]
        if right and _cut_here(art, left, right, kind, gaz_at):
            return [left, *split_run(art, right, gaz_at)]
    return [seq]


def _cut_here(art: ArticleState, left: list[int], right: list[int], kind: str, gaz_at: dict[int, GazMatch]) -> bool:
    if kind == "always":
        return True
    right_type = _one_known_name(right, gaz_at) or (head_type(art, right)[0] if len(right) >= 2 else None)
    if kind == "named_after" and right_type in ("organization", "mission", "unit", "location", "country"):
        return True
    reach = 9 if any(art.tokens[k].text == "and" for k in left) else 4  # "Constables A B and C D of the Police"
    if kind == "body" and left[0] in art.rank_before and len(left) <= reach:
        # "Captain Hossam Karimi of the Lebanese Navy": a ranked person, then the body
        return right_type in ("organization", "mission", "unit", "country")
    left_known = _one_known_name(left, gaz_at)
    left_type = left_known or (head_type(art, left)[0] if len(left) >= 2 else None)
    if left_type is None and len(left) >= 2 and art.tokens[left[0]].bare_key in art.lex.event_openers:
        left_type = "event"  # "Operation Aslan from Operation Azure"
    if left_type is None:
        return False
    if kind == "located":
        return left_type in ("location", "country")
    if kind in ("any", "named_after"):
        return True
    if kind == "known":  # (a country's "Mission to the UN" is one name, a body)
        un = _one_known_name(right, gaz_at) is not None and gaz_at[right[0]].entry.name == "United Nations"
        return _one_known_name(right, gaz_at) is not None and not (
            un and any(art.tokens[k].key == "mission" for k in left)
        )
    if kind == "place":
        last = art.tokens[right[-1]].bare_key
        return right_type == "location" or last in art.lex.location_suffixes
    # "body": "Maritime Task Force of the United Nations Interim Force in Lebanon"
    return len(left) >= 2 and not left_known and right_type in ("organization", "mission", "unit")


def _one_known_name(part: list[int], gaz_at: dict[int, GazMatch]) -> str | None:
    """The type of the gazetteer name that ``part`` is, whole."""
    m = gaz_at.get(part[0])
    return m.entry.type if m is not None and m.last == part[-1] else None


def _collect(art: ArticleState, i: int, gaz_at: dict[int, GazMatch]) -> tuple[list[int], int]:
    """Token indices of one capitalised run starting at i (connectors included)."""
    toks = art.tokens
    n = len(toks)
    lex = art.lex
    seq: list[int] = []
    j = i
    while j < n and not art.taken[j] and len(seq) < MAX_RUN:
        tok = toks[j]
        if j in gaz_at:
            m = gaz_at[j]
            if any(art.taken[m.first : m.last + 1]) or (seq and j in art.sentence_starts):
                break
            seq.extend(range(m.first, m.last + 1))
            j = m.last + 1
            if toks[m.last].bare != toks[m.last].text:
                break
            continue
        if is_namey(tok):
            if seq and j in art.sentence_starts:
                break
            if seq and ROMAN_RE.match(tok.text) and toks[seq[-1]].bare_key in lex.unit_heads:
                break  # "Garuda Contingent XXXIX-A": the designation is added later
            seq.append(j)
            j += 1
            opens = len(seq) == 1 or toks[seq[-2]].text in lex.connectors
            inside = opens and _body_after(art, j + 1)  # "Lord's Resistance Army", not "Air Force's Unit"
            if tok.bare != tok.text and tok.bare_key not in lex.possessives_in_names and not inside:
                break  # a possessive ends a name ("Ghana's army"), not "Sudan People's Liberation Movement"
            continue
        if tok.is_word and tok.text in lex.connectors and seq:
            # take connectors only when a name word follows ("Ministry of National Defence")
            k = j
            while k < n and toks[k].is_word and toks[k].text in lex.connectors and k - j < 2:
                k += 1
            if toks[j].text in ("in", "at") and k in gaz_at and gaz_at[k].entry.type in ("country", "location"):
                break  # "... Meeting in the Republic of Korea": the place is not part of the name
            if k in gaz_at and seq[0] in gaz_at and gaz_at[seq[0]].last == seq[-1]:
                break  # two known names joined by a connector stay two names
            calendar = k < n and toks[k].key in lex.calendar
            if (
                k < n
                and not art.taken[k]
                and not calendar
                and (k in gaz_at or is_namey(toks[k]))
                and k not in art.sentence_starts
            ):
                seq.extend(range(j, k))
                j = k
                continue
            break
        if tok.text == "." and seq and j + 1 < n and is_namey(toks[j + 1]) and initial_before(toks, seq[-1], j):
            seq.append(j)  # an initial inside a name: "Victor H. Simatupang", "U.Khurelsukh", "Kh.Battulga"
            j += 1
            continue
        if tok.text == "&" and seq and j + 1 < n and is_namey(toks[j + 1]):
            seq.append(j)
            j += 1
            continue
        if tok.text == "," and (end := _listed_portfolios_end(art, seq, j, gaz_at)) is not None:
            seq.extend(range(j, end))  # "Department of Defence, Civil Protection and Sports"
            j = end
            continue
        break
    return seq, max(j, i + 1)


def _listed_portfolios_end(art: ArticleState, seq: list[int], comma: int, gaz_at: dict[int, GazMatch]) -> int | None:
    """Where a body's spelled-out list of portfolios ends ("Ministry of Agriculture, Fisheries and
    Food"): a body head with "of" before the comma, then short unknown capitalised items closed by
    "and" + item, and no name right after. None when the comma opens no such list."""
    toks, lex = art.tokens, art.lex
    heads = [
        p
        for p, k in enumerate(seq[:-1])
        if lex.heads.get(toks[k].bare_key) == "organization" and toks[k + 1].text == "of"
    ]
    if (
        not heads
        or any(toks[k].text == "," for k in seq)
        or any(k in gaz_at and gaz_at[k].entry.type != "organization" for k in seq[heads[-1] :])
    ):
        return None
    n, j = len(toks), comma
    while j < n and toks[j].text in (",", "and"):
        closing = toks[j].text == "and"
        k = j + 1
        while k < n and k - j <= 3 and is_namey(toks[k]) and k not in gaz_at and not art.taken[k]:
            k += 1
        if k == j + 1 or k - j > 3:
            return None
        if closing:
            return k if k >= n or not is_namey(toks[k]) else None
        j = k
    return None


def _known_acronym_before_hyphen(art: ArticleState, k: int) -> None:
    """A known acronym opening a compound ("UN-led", "AU-backed", "NATO-trained") is a mention."""
    tok = art.tokens[k]
    if art.taken[k]:
        return
    acr = tok.text.rpartition("-")[0]
    entry = art.gaz.acronyms.get(acr)
    if entry is None or not acr.isupper():
        return
    why = f"known acronym before a compound: {tok.text}"
    art.add(Found(tok.start, tok.start + len(acr), entry.type, entry.name, gaz=entry, why=why), k, k)


def _body_after(art: ArticleState, k: int, reach: int = 3) -> bool:
    """Do a few capitalised words from token k end in a body's head word ("Lord's Resistance
    Army")? Then the possessive before them is inside the body's name."""
    toks = art.tokens
    for m in range(k, min(k + reach, len(toks))):
        tok = toks[m]
        if not is_namey(tok) or tok.bare != tok.text:
            return False
        if art.lex.heads.get(tok.bare_key) == "organization":
            return m + 1 >= len(toks) or not is_namey(toks[m + 1])
    return False


def trim(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> list[int]:
    toks = art.tokens
    lex = art.lex
    seq = list(seq)
    while seq:
        k = seq[0]
        key = toks[k].key
        if k in gaz_at:
            break
        hyphened = toks[k].text.rpartition("-")[2] in lex.compound_modifiers
        if (hyphened or key in lex.credit_words) and (len(seq) > 1 or hyphened):
            if hyphened:
                _known_acronym_before_hyphen(art, k)  # "UN-led": the UN is named
            seq.pop(0)  # "French-led Serval Operation", "UN-backed Transitional Council", "Photo Trọng Đức",
            continue  # "Ebola-affected countries"
        if toks[k].is_word and toks[k].text in lex.connectors:
            seq.pop(0)
            continue
        if key in lex.function_words:
            if (
                toks[k].text == "The"
                and len(seq) > 1
                and is_namey(toks[seq[1]])
                and (not opens_sentence(art, k) or toks[seq[-1]].bare_key in lex.names_with_the)
            ):
                break  # "told The New Times", "The UB Post said": a capital The belongs to the name
            seq.pop(0)
            continue
        if k in art.sentence_starts and len(seq) > 2 and toks[seq[1]].text == "of" and key not in lex.heads:
            seq.pop(0)  # "Veterans of the Second Gulf War": a sentence's first word, no head word
            continue
        if k in art.sentence_starts and key in lex.common:
            # "International Conference on ..." keeps its adjective; "Members of X" is no name
            nxt = toks[seq[1]] if len(seq) > 1 else None
            if nxt is None or nxt.text in lex.connectors or head_type(art, seq[1:])[0] is None:
                seq.pop(0)
                continue
        break
    while seq:
        k = seq[-1]
        if (toks[k].is_word and toks[k].text in lex.connectors) or toks[k].text == "&":
            seq.pop()
            continue
        break
    return seq
