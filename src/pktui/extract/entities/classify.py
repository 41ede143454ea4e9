"""Stage 2, typing: what each candidate run names.

A run that is one known name takes the gazetteer's type; otherwise the head word types it
("... Battalion" a unit), then name lists, a rank or title before it, or context ("based in X"
is a place, "Photo by X" a credit). One-word unknowns wait for resolution (they may be a short
reference to a name found later in the article).
"""

from __future__ import annotations

from pktui.extract.entities.candidates import trim
from pktui.extract.entities.cues import (
    add_person,
    credit_context,
    initials,
    location_context,
    looks_like_person,
    name_word,
    place_apposition,
    place_supported,
    prev_is,
    split_after_ranked_name,
)
from pktui.extract.entities.state import (
    ROMAN_RE,
    ArticleState,
    Found,
    add_gaz,
    all_demonym,
    end_of,
    head_type,
    name_text,
    rank_before,
)
from pktui.extract.gazetteer import GazMatch
from pktui.extract.numbers import numbers
from pktui.text import fold


def type_run(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> None:
    toks = art.tokens
    lex = art.lex
    seq = trim(art, seq, gaz_at)
    if not seq or _designator_acronym(art, seq):
        return
    first, last = seq[0], seq[-1]
    if art.in_byline[first] and not (first in gaz_at and gaz_at[first].last == last):
        return  # the article's author ("By Jane Doe"), unless a known agency ("By Reuters")
    if art.in_headline[first]:
        rank = rank_before(art, first)
        if rank is not None and (why := looks_like_person(art, seq, True)):
            add_person(art, seq, rank, why)  # "Lt Col Kwame Mensah, Commanding Officer"
        else:
            _type_headline(art, seq, gaz_at)
        return
    # the whole run is one known name
    if first in gaz_at and gaz_at[first].last == last:
        m = gaz_at[first]
        if _add_known(art, m) is None:
            _type_unknown(art, seq)
        return
    if (name_and_body := split_after_ranked_name(art, seq)) is not None:
        for part in name_and_body:
            type_run(art, part, gaz_at)
        return
    if _title_then_name(art, seq, gaz_at) or _named_with_year(art, seq, gaz_at):
        return
    if _person_with_initial(art, seq, gaz_at) or _person_with_particle(art, seq, gaz_at):
        return
    if len(seq) >= 2 and toks[first].bare_key in lex.event_openers and first not in gaz_at:
        why = f"named event: {toks[first].bare} + name"
        art.add(Found(toks[first].start, end_of(toks[last]), "event", name_text(art, seq), why=why), first, last)
        return
    etype, head_idx = head_type(art, seq)
    place = gaz_at.get(last)
    if (
        len(seq) == 2
        and etype is None
        and toks[first].bare_key in lex.organization_openers
        and place is not None
        and place.entry.type in ("country", "location")
    ):
        why = f"company: {toks[first].bare} + name"  # "Air Asia"
        art.add(Found(toks[first].start, end_of(toks[last]), "organization", name_text(art, seq), why=why), first, last)
        return
    head_in_gaz = head_idx is not None and any(
        g.first <= head_idx <= g.last for g in gaz_at.values() if first <= g.first and g.last <= last
    )
    if head_in_gaz and (_place_then_named(art, seq, gaz_at, etype) or _unknown_then_named(art, seq, gaz_at)):
        head_in_gaz = False  # "Seoul UN Peacekeeping Ministerial Meeting", "National Security Council": one name
    if (
        etype is not None
        and head_idx is not None
        and not head_in_gaz
        and len(seq) >= 2
        and not all_demonym(art, seq[:-1])
    ):
        name = name_text(art, seq)
        if fold(name) in lex.not_names or toks[head_idx].key in lex.not_names:
            if head_idx == last and _number_after(art, last):
                type_run(art, seq[:-1], gaz_at)  # "Security Council Resolution 1701": the body stays
            return
        f = Found(toks[first].start, end_of(toks[last]), etype, name, why=f"head word: {toks[head_idx].bare}")
        art.add(f, first, last)
        return
    # split at connectors (never inside a known name) and type the parts
    inside = {
        k for g in (gaz_at.get(k) for k in seq) if g is not None and g.last <= last for k in range(g.first + 1, g.last)
    }
    parts: list[list[int]] = []
    cur: list[int] = []
    for k in seq:
        if k not in inside and ((toks[k].is_word and toks[k].text in lex.connectors) or toks[k].text == "&"):
            if cur:
                parts.append(cur)
            cur = []
        else:
            cur.append(k)
    if cur:
        parts.append(cur)
    if len(parts) > 1:
        for p in parts:
            _type_part(art, p, gaz_at)
        return
    _type_part(art, seq, gaz_at)


def _person_with_particle(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> bool:
    """ "General José Conde de Arjona", "Rafael van der Berg": a particle between name words keeps
    one person's name whole (its words may also be towns' names), when a rank or a person cue
    says it is a person. Other connectors still cut or join as before."""
    toks = art.tokens
    lex = art.lex
    inner = seq[1:-1]
    if len(seq) < 3 or not any(toks[k].text in lex.name_particles for k in inner):
        return False
    if any(gaz_at[k].entry.type != "location" or gaz_at[k].last != k for k in seq if k in gaz_at):
        return False  # a known country or body inside is no person's name
    if not all(toks[k].text in lex.name_particles or name_word(toks[k]) for k in seq):
        return False
    if not name_word(toks[seq[0]]) or not name_word(toks[seq[-1]]):
        return False
    rank = rank_before(art, seq[0])
    why = looks_like_person(art, seq, rank is not None)
    if why is None:
        return False
    add_person(art, seq, rank, f"{why}; name particle inside")
    return True


def _person_with_initial(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> bool:
    """ "Edmond R. Dejon Wega": a middle initial between name words makes one person's name, even
    when its first word is also a town's name."""
    toks = art.tokens
    if len(seq) < 4 or any(gaz_at[k].entry.type not in ("location",) for k in seq if k in gaz_at):
        return False
    middle = [k for k in seq[1:-2] if initials(toks[k]) and toks[k + 1].text == "."]
    if not middle or not all(name_word(toks[k]) or toks[k].text == "." for k in seq):
        return False
    rank = rank_before(art, seq[0])
    plain = toks[seq[0]].bare_key not in art.lex.place_openers and not any(
        toks[k].bare_key in art.lex.heads or toks[k].bare_key in art.lex.demonyms for k in seq
    )
    why = looks_like_person(art, seq, rank is not None) or ("name words" if plain else None)
    if why is None:
        return False
    add_person(art, seq, rank, f"{why}; middle initial {toks[middle[0]].text}.")
    return True


#: name words after a title word ("Chief Cabinet Secretary Yoshihide Suga", "President Aquino")
_MAX_NAME_AFTER_TITLE = 4


def _title_then_name(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> bool:
    """A run of a post and a person's name: the words after the last title word are a person
    when they are written as names and are no known name or head word."""
    toks = art.tokens
    lex = art.lex
    k = max((n for n, i in enumerate(seq) if toks[i].key in lex.post_nouns and toks[i].is_cap), default=-1)
    tail = seq[k + 1 :]
    if k < 0 or not 1 <= len(tail) <= _MAX_NAME_AFTER_TITLE:
        return False
    if any(i in gaz_at or i in art.taken for i in tail):
        return False
    words = [toks[i] for i in tail]
    if not all(name_word(t) and t.bare_key not in lex.heads and t.bare_key not in lex.common for t in words):
        return False
    if len(tail) == 1 and (words[0].is_allcaps or initials(words[0]) or _not_a_lone_name(art, tail[0])):
        return False
    add_person(art, tail, None, f"title word before name: {toks[seq[k]].text}")
    return True


def _title_before_single(art: ArticleState, i: int) -> bool:
    """A one-word name right after a post ("President Aquino"), not after a possessive post
    ("the Force Commander's Commendation"), no head word, initial or alias of a name."""
    tok = art.tokens[i]
    prev = art.prev_word(i)
    if prev is None or prev.bare != prev.text or not any(te == prev.end for _s, te in art.title_spans):
        return False
    if not name_word(tok) or initials(tok) or tok.bare_key in art.lex.heads or tok.bare_key in art.lex.common:
        return False
    return not _not_a_lone_name(art, i) and not any(tok.bare in f.aliases for f in art.found)


def _not_a_lone_name(art: ArticleState, i: int) -> bool:
    """ "Kh.Battulga": an initial glued to a name; "Force Commander Reserve (FCR)": a thing
    with an acronym of its own."""
    after = art.text[art.tokens[i].end : art.tokens[i].end + 3]
    return (len(after) > 1 and after[0] == "." and after[1].isalpha()) or after.lstrip()[:1] == "("


def _number_or_zone(art: ArticleState, i: int) -> bool:
    """ "TWO more peacekeepers" (a number word in capitals), "01:13 IST" (a time zone), "SEK 800
    million" (a currency code before an amount)."""
    tok = art.tokens[i]
    if tok.key in art.lex.number_words:
        return True
    nxt = art.next_tok(i)
    if nxt is not None and nxt.is_number and tok.text in numbers().currency_codes:
        return True
    return tok.text in art.lex.time_zones and i > 0 and art.tokens[i - 1].is_number


#: tokens around a name and its year that may hold the word saying it is an event
_EVENT_WORD_REACH = 8


def _named_with_year(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> bool:
    """ "Khaan Quest 2017 multinational peacekeeping exercise", "the joint exercise ... VINBAX
    2023": a name and its year, with an event's head word near, is one event."""
    toks = art.tokens
    last = seq[-1]
    year = last + 1
    if year >= len(toks) or not (
        toks[year].is_number and len(toks[year].text) == 4 and toks[year].text[:2] in ("19", "20")
    ):
        return False
    if toks[year].start != toks[last].end + 1 or (seq[0] in gaz_at and gaz_at[seq[0]].last == last):
        return False
    lex = art.lex
    if any(toks[k].bare_key in lex.calendar_words for k in seq):
        return False  # "July 2003" is a date
    near = toks[max(0, seq[0] - _EVENT_WORD_REACH) : seq[0]] + toks[year + 1 : year + 1 + _EVENT_WORD_REACH]
    head = next((t for t in near if t.text.islower() and lex.heads.get(t.key) == "event"), None)
    if head is None:
        return False
    name = name_text(art, seq)
    f = Found(
        toks[seq[0]].start, toks[year].end, "event", f"{name} {toks[year].text}", why=f"name + year, near “{head.text}”"
    )
    f.aliases.add(name)
    art.add(f, seq[0], year)
    return True


def _number_after(art: ArticleState, last: int) -> bool:
    """A designator's number follows, also past a bracketed acronym or a number sign:
    "Resolution 1701", "Resolution (UNSCR) 1325", "Resolution No. 2100"."""
    toks = art.tokens
    k = last + 1
    if k + 2 < len(toks) and toks[k].text == "(" and toks[k + 2].text == ")" and toks[k + 1].text.isupper():
        k += 3
    while k < len(toks) and toks[k].text in _NUMBER_SIGNS:
        k += 1
    return k < len(toks) and toks[k].is_number


def _designator_acronym(art: ArticleState, seq: list[int]) -> bool:
    """The bracketed acronym of a designator before its number ("Resolution (UNSCR) 1325"):
    it names the resolution, not a body."""
    k = seq[0]
    toks = art.tokens
    return (
        len(seq) == 1
        and k >= 2
        and toks[k - 1].text == "("
        and toks[k - 2].key in art.lex.not_names
        and _number_after(art, k - 2)
    )


_NUMBER_SIGNS = frozenset(["No", "No.", "no.", "Nº", "№", "#", "."])


def _type_headline(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> None:
    """A run in a title-case line: its known names, and its other parts (cut at small words,
    "To", "Of") kept aside, a name only when the article names them elsewhere."""
    toks = art.tokens
    lex = art.lex
    rest: list[int] = []
    k = 0
    while k < len(seq):
        i = seq[k]
        m = gaz_at.get(i)
        if m is not None and m.last <= seq[-1] and _add_known(art, m) is not None:
            if rest:
                art.headline_parts.append(rest)
            rest = []
            while k < len(seq) and seq[k] <= m.last:
                k += 1
            continue
        word = toks[i].text.lower()
        if word in lex.connectors or word in lex.function_words or not toks[i].is_word:
            if rest:
                art.headline_parts.append(rest)
            rest = []
        else:
            rest.append(i)
        k += 1
    if rest:
        art.headline_parts.append(rest)


def _unknown_then_named(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> bool:
    """Capitalised words nobody knows before a known name that ends the run: "National" +
    "Security Council" is the National Security Council, not the UN's."""
    m = next((gaz_at[k] for k in seq if k in gaz_at), None)
    if m is None or m.last != seq[-1] or m.first == seq[0] or m.entry.type not in ("organization", "mission"):
        return False
    before = [k for k in seq if k < m.first]
    lex = art.lex
    return all(
        art.tokens[k].is_word
        and art.tokens[k].is_cap
        and art.tokens[k].bare_key not in lex.demonyms
        and not (art.tokens[k].bare_key in lex.common and k in art.sentence_starts)
        and art.tokens[k].bare_key not in lex.function_words
        and art.tokens[k].bare_key not in lex.number_words
        for k in before
    )


def _place_then_named(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch], etype: str | None) -> bool:
    """A run made of place names followed by one known name of the head's type."""
    k = 0
    while k < len(seq) and seq[k] in gaz_at and gaz_at[seq[k]].entry.type in ("location", "country"):
        k = seq.index(gaz_at[seq[k]].last) + 1
    if k == 0 or k >= len(seq) or seq[k] not in gaz_at:
        return False
    m = gaz_at[seq[k]]
    return m.last == seq[-1] and m.entry.type == etype


def _type_part(art: ArticleState, part: list[int], gaz_at: dict[int, GazMatch]) -> None:
    part = trim(art, part, gaz_at)
    if not part:
        return
    first, last = part[0], part[-1]
    # gazetteer pieces inside: keep them, type the rest
    inner = [gaz_at[k] for k in part if k in gaz_at and gaz_at[k].last <= last]
    if inner:
        if len(inner) == 1 and inner[0].first == first and inner[0].last == last:
            if _add_known(art, inner[0]) is None:
                _type_unknown(art, part)
            return
        rest: list[int] = []
        covered: set[int] = set()
        for m in inner:
            if _add_known(art, m) is not None:
                covered.update(range(m.first, m.last + 1))
        for k in part:
            if k in covered:
                if rest:
                    _type_unknown(art, rest)
                rest = []
            else:
                rest.append(k)
        if rest:
            _type_unknown(art, rest)
        return
    _type_unknown(art, part)


def _type_unknown(art: ArticleState, part: list[int]) -> None:
    toks = art.tokens
    lex = art.lex
    part = trim(art, part, {})
    if not part:
        return
    first, last = part[0], part[-1]
    words = [toks[k] for k in part]
    keys = [t.bare_key for t in words]
    if all(k in lex.demonyms for k in keys) or " ".join(keys) in lex.demonyms:
        return
    if any(k in lex.not_names for k in keys):
        return
    etype, head_idx = head_type(art, part)
    if etype == "unit" and head_idx == part[-1] and all_demonym(art, part[:-1]) and not _designated(art, part[-1]):
        return  # "the Rwandan Battalion": a description, not a name (a designation would make it one)
    if etype is not None and head_idx is not None and len(part) >= 2:
        why = f"head word: {toks[head_idx].bare}"
        art.add(Found(toks[first].start, end_of(toks[last]), etype, name_text(art, part), why=why), first, last)
        return
    rank = rank_before(art, first)
    if rank is not None and len(part) == 1 and (known := art.people_by_word.get(fold(words[0].bare))) is not None:
        why = f"short reference to {known.name}"  # "General Songwit Noonphakdi … General Songwit"
        art.add(Found(toks[first].start, end_of(toks[last]), "person", known.name, key=known.key, why=why), first, last)
        return
    person_why = looks_like_person(art, part, rank is not None)
    if person_why:
        add_person(art, part, rank, person_why)
        return
    if len(part) == 1:
        tok = words[0]
        if tok.text[0].islower():
            prefix, hyphen, _rest = tok.text.partition("-")
            if hyphen and prefix not in lex.particles:
                return  # "mid-May", "pro-Government": a word before a capital, not a brand ("al-Qaida" is a name)
            if any(tok.key.endswith(w) for w in lex.calendar_words):
                return  # "readDec 4": two words run together, not a brand
            art.add(Found(tok.start, end_of(tok), "organization", tok.bare, why="camel-case brand"), first, last)
            return
        art.unknown_singles.append(first)  # typed once every full name is known
        return
    known = art.people_by_name.get(fold(name_text(art, part)))
    if known is not None:  # "… Major General Sem Ratana …, according to Sem Ratana"
        why = f"same name as {known.name}"
        art.add(Found(toks[first].start, end_of(toks[last]), "person", known.name, key=known.key, why=why), first, last)
        return
    place_why = location_context(art, first, last)
    if place_why:
        art.add(
            Found(toks[first].start, end_of(toks[last]), "location", name_text(art, part), why=place_why), first, last
        )
        return
    if credit_context(art, first) and len(part) <= 3:
        etype = "person" if len(part) >= 2 else "organization"
        art.add(
            Found(toks[first].start, end_of(toks[last]), etype, name_text(art, part), why="photo or source credit"),
            first,
            last,
        )
        return
    art.unknown_multi.append(part)


def type_single(art: ArticleState, i: int) -> None:
    """An unknown one-word name: an acronym, a place by context, or nothing."""
    tok = art.tokens[i]
    if tok.bare_key in art.lex.place_prefixes or art.in_byline[i]:
        return  # "Co" in "Co Wexford", "County" alone; an author
    if (prev := art.prev_word(i)) is not None and prev_is(art, i, art.lex.org_nouns):
        why = f"name after “{prev.text}”"  # "the newspaper Metro"
        art.add(Found(tok.start, end_of(tok), "organization", tok.bare, why=why), i, i)
    elif _title_before_single(art, i):
        art.add(Found(tok.start, end_of(tok), "person", tok.bare, why="title before name"), i, i)  # "President Aquino"
    elif tok.is_allcaps and len(tok.bare) <= 8 and not ROMAN_RE.match(tok.bare) and not _number_or_zone(art, i):
        art.add(Found(tok.start, end_of(tok), "organization", tok.bare, why="all-capitals acronym"), i, i)
    elif (
        (i not in art.sentence_starts or place_apposition(art, i) is not None)  # "Lungi, the airport for …"
        and tok.bare_key not in art.lex.heads
        and (place_why := location_context(art, i, i))
    ):
        art.add(Found(tok.start, end_of(tok), "location", tok.bare, why=place_why), i, i)
    elif credit_context(art, i):
        art.add(Found(tok.start, end_of(tok), "organization", tok.bare, why="photo or source credit"), i, i)


def _add_known(art: ArticleState, m: GazMatch) -> Found | None:
    """A gazetteer name as a mention; a library place only where the text supports it; a
    programme written in lower case ("protection of civilians") only when it is named, i.e.
    given its acronym in brackets ("women, peace and security (WPS)")."""
    if m.entry.type == "programme" and art.text[m.start].islower() and not _acronym_follows(art, m):
        return None
    if not m.entry.weak:
        return add_gaz(art, m)
    why = place_supported(art, m.first, m.last)
    if why is None:
        return None
    f = add_gaz(art, m)
    f.why = f"{f.why}, {why}"
    return f


def _designated(art: ArticleState, last: int) -> bool:
    """A designation follows: "Ghanaian Battalion 96", "... Battalion III", "... Rotation 2", or the
    contingent's short name in brackets: "Indian Battalion (INDBATT)"."""
    nxt = art.next_tok(last)
    if nxt is None:
        return False
    adjacent = nxt.start == art.tokens[last].end + 1
    if adjacent and nxt.text == "(" and last + 2 < len(art.tokens):
        return art.lex.contingent_re.match(art.tokens[last + 2].bare) is not None
    return adjacent and (nxt.is_number or bool(ROMAN_RE.match(nxt.text)) or nxt.text in ("Rotation", "No"))


def _acronym_follows(art: ArticleState, m: GazMatch) -> bool:
    toks = art.tokens
    k = m.last + 1
    return k + 2 < len(toks) and toks[k].text == "(" and toks[k + 2].text == ")" and toks[k + 1].text.isupper()
