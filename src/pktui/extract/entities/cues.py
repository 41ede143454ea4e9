"""Stage 2, typing by context: a person's name by its form and the words around it (a rank, a
title, a cue such as "said", an appositive, an age), a place by a cue before it ("based in X"),
a photo or source credit, a list of places the text supports."""

from __future__ import annotations

import bisect
import re

from pktui.extract.entities.state import ArticleState, Found, end_of, name_text
from pktui.extract.tokens import Token
from pktui.text import fold


def prev_is(art: ArticleState, i: int, words: set[str]) -> bool:
    prev = art.prev_word(i)
    return prev is not None and prev.text in words


def looks_like_person(art: ArticleState, part: list[int], ranked: bool) -> str | None:
    """Why the run is a person's name, or None."""
    toks = art.tokens
    lex = art.lex
    words = [toks[k] for k in part]
    words = [t for t in words if t.text != "."]  # "Victor H. Simatupang"
    if any(not t.is_word for t in words):
        return None
    keys = [t.bare_key for t in words]
    if any(k in lex.heads for k in keys[-1:]):
        return None
    if any(t.is_allcaps and len(t.bare) > 1 and not initials(t) for t in words) and len(words) > 1:
        return None
    if initials(words[-1]):
        return None  # a name ends with a name, not an initial
    size = sum(t.text not in lex.name_particles for t in words)  # "Marcos de Sa Affonso da Costa": 4
    if ranked and 1 <= size <= 5:
        return "rank before name"
    if not 2 <= size <= 5:
        return None
    if keys[0] in lex.surnames and all(len(k) <= 7 and "-" not in t.text for k, t in zip(keys, words)):
        return f"name list: surname {words[0].text}"
    if keys[0] in lex.given or keys[0].split(" ")[0] in lex.given:
        return f"name list: given name {words[0].text}"
    if keys[0] in lex.honorifics:
        return f"honorific: {words[0].text}"
    prev = art.prev_word(part[0])
    nxt = art.next_tok(part[-1])
    if prev is not None and any(te == prev.end for _ts, te in art.title_spans) and len(words) <= 4:
        return "title before name"  # "Under-Secretary-General for Peace Operations Jean-Pierre Lacroix"
    if prev is not None and prev.key in lex.person_before and len(words) <= 3:
        return f"person cue before: {prev.text}"
    if nxt is not None and nxt.text in lex.person_after and len(words) <= 3 and part[0] not in art.sentence_starts:
        return f"person cue after: {nxt.text}"
    if (
        nxt is not None
        and nxt.text == "("
        and len(words) <= 4
        and all(name_word(t) for t in words)
        and _age_after(art, part[-1])
    ):
        return "name before an age in brackets"
    if len(words) <= 4 and all(name_word(t) and t.bare_key not in lex.heads for t in words):
        return _appositive(art, part)
    return None


def _age_after(art: ArticleState, last: int) -> bool:
    """ "(29)" after a name: a person's age."""
    toks = art.tokens
    k = last + 1
    return (
        k + 2 < len(toks)
        and toks[k + 1].text.isdigit()
        and 15 <= int(toks[k + 1].text) <= 99
        and toks[k + 2].text == ")"
    )


def initials(tok: Token) -> bool:
    """ "H", "FK", "E.W.", "L.P.": initials in a person's name."""
    letters = tok.text.replace(".", "")
    return tok.text[:1].isupper() and len(letters) <= 3 and letters.isalpha() and letters.isupper()


def name_word(tok: Token) -> bool:
    """A word as names are written: "Cullity", "Liying", "H", "E.W." (not "UNIFIL", "de")."""
    t = tok.bare
    return initials(tok) or tok.text == "." or (t[:1].isupper() and t[1:].islower() and t.isalpha())


_APPOSITION_AFTER_RE = re.compile(
    r",\s+(?:the|a|an|who|whose|[a-z]+(?:-[a-z]+)*(?:\s+[a-z]+(?:-[a-z]+)*)?\s+(?:of|to|for|at|in|with)\b)"
)


#: a capitalised post right after ", " ("Ke Kim Yan, Commander-in-Chief of ...", "X, Deputy Defence Minister,")
_TITLE_AFTER_RE = re.compile(r",\s+(?P<title>(?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)(?=\s+of\b|\s*,)")


def _appositive(art: ArticleState, part: list[int]) -> str | None:
    """A name set off by commas with a description: "Ravi Menon, the ambassador to Juba, ..."
    or "... the UN coordinator in Cambodia, Jo Scheuer." (a title word before the comma)."""
    toks = art.tokens
    lex = art.lex
    start, end = toks[part[0]].start, end_of(toks[part[-1]])
    prev = art.prev_word(part[0])
    if prev is not None and prev.text == "the":
        return None  # "at the opening of the Khaan Quest, the President said": no person has "the"
    if _APPOSITION_AFTER_RE.match(art.text, end, end + 40):
        return "name before an appositive"
    if (m := _TITLE_AFTER_RE.match(art.text, end, end + 40)) and any(
        fold(w) in lex.person_title_words for w in re.split(r"[\s-]+", m.group("title"))
    ):
        return "name before a title after a comma"  # "Ke Kim Yan, Commander-in-Chief of the ..."
    before = art.text[max(0, start - 80) : start].rstrip()
    if not before.endswith(","):
        return None
    after = art.text[end : end + 2]
    if not after[:1] or after[:1] not in ",.;":
        return None
    words = [fold(w) for w in before[:-1].split()[-6:]]
    if any(w in lex.person_title_words for w in words):
        return "name after a title and a comma"
    return None


def add_person(art: ArticleState, part: list[int], rank: tuple[int, str] | None, why: str) -> None:
    toks = art.tokens
    first, last = part[0], part[-1]
    name = name_text(art, part)
    f = Found(toks[first].start, end_of(toks[last]), "person", name, why=why)
    if rank is not None and rank[1] not in art.lex.civil_ranks:
        f.attrs["rank"] = rank[1]
    art.add(f, first, last)


def location_context(art: ArticleState, first: int, last: int) -> str | None:
    """Why the run is a place by its context, or None."""
    lex = art.lex
    prev = art.prev_word(first)
    nxt = art.next_tok(last)
    if first == last and nxt is not None and nxt.is_number and art.tokens[first].bare_key in lex.designated_area_words:
        return None  # "in Sector 4", "at Position 2-45": a numbered part of an area, no name
    if nxt is not None and nxt.text in lex.location_suffixes:
        return f"place word after: {nxt.text}"
    if nxt is not None and nxt.text in lex.location_suffix_modifiers:
        word = art.next_tok(last + 1)  # "Shamaa military base", "Entebbe air base"
        if word is not None and word.text in lex.location_suffixes:
            return f"place word after: {nxt.text} {word.text}"
    if last - first <= 2 and (head := place_apposition(art, last)) is not None:
        return f"place apposition: the … {head}"  # "Lungi, the primary airport for …"
    if prev is None or last - first > 2:
        return None
    if first == last and art.tokens[first].bare_key in lex.not_places:
        return None  # "in Southern Somalia" with Somalia known: a compass word alone is no place
    if prev.key in lex.location_before:  # "in Athlone", "In Almaty, the troops …"
        return f"place cue before: {prev.text}"
    noun = art.prev_word(bisect.bisect_left(art.token_starts, prev.start)) if prev.key == "of" else None
    if noun is not None and noun.key in lex.place_nouns_before_of:
        return f"place noun before: {noun.text} of"  # "the village of Lukweti", "the town of Marup"
    if prev.text in ("and", "or"):
        # coordinated with a place: "at Phalaborwa and Entabeni"
        for f in reversed(art.found):
            if f.end <= prev.start:
                gap = art.text[f.end : prev.start].strip()
                return (
                    f"coordinated with the place {f.name}" if gap == "" and f.type in ("location", "country") else None
                )
    return None


#: words an appositive may have before its place word ("Lungi, the primary international airport")
_APPOSITION_REACH = 4


def place_apposition(art: ArticleState, last: int) -> str | None:
    """The place word of an appositive right after the name (", the primary airport", ", a
    town in"), or None."""
    toks = art.tokens
    k = last + 1
    if k + 2 >= len(toks) or toks[k].text != "," or toks[k + 1].key not in ("the", "a", "an"):
        return None
    for m in range(k + 2, min(k + 2 + _APPOSITION_REACH, len(toks))):
        tok = toks[m]
        if not tok.is_word or tok.is_cap:
            return None
        if art.lex.heads.get(tok.key) == "location":
            return tok.text
    return None


def credit_context(art: ArticleState, first: int) -> bool:
    """After "Photo:", "Photo by", "Source:" (and "Photo: VNA/" before a photographer)."""
    toks = art.tokens
    j = first - 1
    if j >= 1 and toks[j].text == "/" and toks[j - 1].is_word:
        agency = toks[j - 1]
        if agency.key in ("photo", "photos", "image", "credit") or agency.is_allcaps:
            return True  # "(Photo/Dai Tianjiao)", "ANDINA/Vidal Tarqui"
        j -= 2  # "VNA/Trọng Đức": look before the agency
    while j >= 0 and toks[j].text in ":/":
        j -= 1
    if j < 0:
        return False
    before = fold(art.text[max(0, toks[j].start - 20) : toks[j].end])
    return before.endswith(("photo by", "photo", "photos", "source", "credit", "image", "courtesy of", "photos by"))


_LIST_GAP_RE = re.compile(r"^(?:\s*\(\s*\d[\d,.]*\s*\))?\s*(?:,|;|,?\s*and|,?\s*or)\s*$")


def place_supported(art: ArticleState, first: int, last: int) -> str | None:
    """Why the text supports a place name from a big list, or None: a place cue before it ("in
    Athlone", "County Clare"), a place word after it, a known place after a comma ("Kilmore, Co
    Wexford"), or a list it continues ("Cork (64), Kilkenny (50) and Clare")."""
    lex = art.lex
    toks = art.tokens
    why = location_context(art, first, last)
    if why and first not in art.sentence_starts:
        return why
    prev = art.prev_word(first)
    if prev is not None and prev.bare_key in lex.place_prefixes:
        return f"place word before: {prev.bare}"
    if last + 2 < len(toks) and toks[last + 1].text == "," and (last + 2) in art.gaz_at:
        after = art.gaz_at[last + 2]
        if after.entry.type in ("country", "location"):
            return f"place before {after.entry.name}"
        if toks[last + 2].bare_key in lex.place_prefixes:
            return "place before a county or province"
    before = [f for f in art.found[-3:] if f.end <= toks[first].start]
    if before and before[-1].type in ("location", "country"):
        gap = art.text[before[-1].end : toks[first].start]
        if len(gap) <= 16 and _LIST_GAP_RE.match(gap):
            return f"in a list after the place {before[-1].name}"
    return None


#: prepositions that end a ranked person's name: "Captain Ali Hassan from the Army Medical Corps"
_AFTER_RANKED_NAME = frozenset(["from", "of", "at", "with"])


def split_after_ranked_name(art: ArticleState, seq: list[int]) -> tuple[list[int], list[int]] | None:
    """A run opening with a ranked person's name words and going on through "from the", "of the",
    "at the" to a body: the name and the body, each its own run."""
    toks = art.tokens
    if art.rank_before.get(seq[0]) is None:
        return None
    for n, k in enumerate(seq[1:-2], start=1):
        if toks[k].key in _AFTER_RANKED_NAME and toks[k + 1].key == "the":
            if n >= 2 and all(name_word(toks[j]) for j in seq[:n]):
                return seq[:n], seq[n + 2 :]
            return None
    return None
