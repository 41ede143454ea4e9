"""Named entities of one article: find, type and resolve them within the article.

Known names come from the gazetteer; unknown ones are capitalised word runs typed by their
head word ("... Headquarters" is an organisation, "... Battalion" a unit), by name lists
(Vietnamese surnames, given names), by a rank or title before them, or by context ("based in
X" is a place). Short references ("Lacroix", "Phụng"), acronyms defined in brackets and
shortened names are linked to the full entity.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pktui.domain import Domain, GazEntry, load_domain
from pktui.extract.gazetteer import GazMatch, gazetteer
from pktui.extract.tokens import Token
from pktui.text import fold, has_diacritics, slug

_ROMAN_RE = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3})$")
_ACRONYM_RE = re.compile(r"^(?=.*[A-Z].*[A-Z])[A-Z][A-Za-z0-9&+-]{1,9}$")


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

    def __post_init__(self) -> None:
        if not self.key:
            self.key = f"{self.type}/{slug(self.name)}"


@dataclass
class EntityResult:
    mentions: list[Found]
    titles: list[tuple[int, int]]  # title phrases found (start, end)
    ranks: list[tuple[int, int, str]]


class _Lexicon:
    def __init__(self, dom: Domain) -> None:
        lex = dom.lexicon
        self.heads: dict[str, str] = {}
        # later types in this order win: unit heads beat organisation heads ("Formation")
        for etype in ("organization", "programme", "location", "event", "mission", "unit"):
            for w in lex.get("heads", {}).get(etype, []) or []:
                w = str(w).rstrip("-")
                self.heads[w] = etype
        self.connectors = {str(w) for w in lex.get("connectors", [])}
        self.function_words = {str(w) for w in lex.get("function_words", [])}
        self.common = {str(w) for w in lex.get("common_capitalised", [])}
        self.not_names = {fold(str(w)) for w in lex.get("not_names", [])}
        self.person_before = {str(w) for w in lex.get("person_cues_before", [])}
        self.person_after = {str(w) for w in lex.get("person_cues_after", [])}
        self.location_before = {str(w) for w in lex.get("location_cues_before", [])}
        self.location_suffixes = {str(w) for w in lex.get("location_suffixes", [])}
        self.demonyms = set(dom.demonyms)
        self.surnames = dom.surnames_vi
        self.middle = dom.middle_vi
        self.given = dom.given_names
        self.particles = dom.particles
        self.honorifics = dom.honorifics
        self.civil_ranks = dom.civil_ranks | {h.capitalize() for h in dom.honorifics}
        self.unit_heads = {w for w, t in self.heads.items() if t == "unit"}
        # month and weekday names never continue a name ("The New Times on Monday")
        self.calendar = {m for m in dom.months if len(m) > 3} | set(dom.weekdays)
        self.ranks = _PhraseTrie()
        for name, forms in dom.ranks:
            for form in forms:
                self.ranks.add(form, name)
        for h in dom.honorifics:
            self.ranks.add(h, h.capitalize())
        self.titles = _PhraseTrie()
        for t in dom.titles:
            self.titles.add(t, t)


class _PhraseTrie:
    """Multi-word phrases matched on folded words, punctuation ignored ("Maj. Gen.")."""

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, phrase: str, value: str) -> None:
        node = self.root
        for w in fold(phrase).split():
            node = node.setdefault(w, {})
        node.setdefault("$", value)

    def match(self, tokens: list[Token], i: int, *, skip_periods: bool = True) -> tuple[int, str] | None:
        """Longest phrase starting at token i: (last token index, value)."""
        node = self.root
        best = None
        j = i
        while j < len(tokens):
            tok = tokens[j]
            if tok.is_punct:
                if skip_periods and tok.text == "." and j > i:
                    if "$" in node:
                        best = (j, node["$"])
                    j += 1
                    continue
                break
            words = fold(tok.bare).split()
            ok = True
            for w in words:
                if w not in node:
                    ok = False
                    break
                node = node[w]
            if not ok:
                break
            if "$" in node:
                best = (j, node["$"])
            if tok.bare != tok.text:
                break
            j += 1
        return best


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon(load_domain())


# ---------------------------------------------------------------------------------------


class _Article:
    """Working state while reading one article."""

    def __init__(self, text: str, tokens: list[Token], sentence_starts: set[int]) -> None:
        self.text = text
        self.tokens = tokens
        self.lex = _lexicon()
        self.gaz = gazetteer()
        self.sentence_starts = sentence_starts  # token indices that open a sentence
        self.found: list[Found] = []
        self.taken = [False] * len(tokens)  # token already part of a mention or rank/title
        self.rank_at: dict[int, tuple[int, str]] = {}
        self.title_spans: list[tuple[int, int]] = []
        self.ranks: list[tuple[int, int, str]] = []
        self.acronyms: dict[str, Found] = {}  # defined in this article
        self.unknown_singles: list[int] = []  # token indices of unknown one-word names
        self.unknown_multi: list[list[int]] = []

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


def find_entities(text: str, tokens: list[Token], sentence_starts: set[int]) -> EntityResult:
    art = _Article(text, tokens, sentence_starts)
    gaz_matches = art.gaz.find(text, tokens)
    _numbered_units(art)
    _mark_ranks_and_titles(art, gaz_matches)
    gaz_at = {m.first: m for m in gaz_matches if not any(art.taken[m.first : m.last + 1])}
    _sequences(art, gaz_at)
    _acronym_definitions(art)
    _designations(art)
    _short_references(art)
    _the_references(art)
    mentions = _finalise(art)
    return EntityResult(mentions, art.title_spans, art.ranks)


# -- numbered units: "10 SA Infantry (SAI) Battalion", "14 SAI" ---------------------------


def _numbered_units(art: _Article) -> None:
    toks = art.tokens
    lex = art.lex
    n = len(toks)
    defined: dict[str, tuple[str, str]] = {}  # acronym -> (expansion, head)
    for i, tok in enumerate(toks):
        if not (tok.is_number and tok.text.isdigit() and len(tok.text) <= 3) or art.taken[i]:
            continue
        prev = art.prev_word(i)
        if prev is not None and prev.is_word and prev.is_cap and i - 1 not in art.sentence_starts:
            continue  # "Rotation 6", handled as a designation
        j = i + 1
        words = []
        while j < n and toks[j].is_word and toks[j].is_cap and len(words) < 4:
            if fold(toks[j].text) in lex.unit_heads:
                break
            words.append(toks[j])
            j += 1
        if not words:
            continue
        acr = None
        if j + 2 < n and toks[j].text == "(" and _ACRONYM_RE.match(toks[j + 1].text) and toks[j + 2].text == ")":
            acr = toks[j + 1].text
            j += 3
        if j < n and toks[j].is_word and fold(toks[j].text) in lex.unit_heads and toks[j].is_cap:
            head = toks[j].text
            name = f"{tok.text} {' '.join(w.text for w in words)} {head}"
            f = Found(tok.start, toks[j].end, "unit", name)
            if acr:
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
            f = Found(tok.start, nxt.start + len(nxt.bare), "unit", f"{tok.text} {expansion} {head}")
            f.aliases.add(f"{tok.text} {nxt.bare}")
            art.add(f, i, i + 1)


# -- ranks and titles ------------------------------------------------------------------------


def _mark_ranks_and_titles(art: _Article, gaz_matches: list[GazMatch]) -> None:
    toks = art.tokens
    in_gaz = [False] * len(toks)
    for m in gaz_matches:
        for k in range(m.first, m.last + 1):
            in_gaz[k] = True
    i = 0
    while i < len(toks):
        tok = toks[i]
        if art.taken[i] or in_gaz[i] or not tok.is_word:
            i += 1
            continue
        rank = art.lex.ranks.match(toks, i)
        if rank is not None and tok.is_cap:
            last, name = rank
            nxt = toks[last + 1] if last + 1 < len(toks) else None
            if nxt is not None and nxt.is_word and nxt.is_cap:
                art.rank_at[i] = (last, name)
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


# -- capitalised sequences -------------------------------------------------------------------


def _is_namey(tok: Token) -> bool:
    return tok.is_word and tok.is_cap


def _sequences(art: _Article, gaz_at: dict[int, GazMatch]) -> None:
    toks = art.tokens
    n = len(toks)
    i = 0
    while i < n:
        if art.taken[i]:
            i += 1
            continue
        tok = toks[i]
        starts_gaz = i in gaz_at
        if not (starts_gaz or _is_namey(tok)):
            i += 1
            continue
        seq, i = _collect(art, i, gaz_at)
        if seq:
            _type_sequence(art, seq, gaz_at)


def _collect(art: _Article, i: int, gaz_at: dict[int, GazMatch]) -> tuple[list[int], int]:
    """Token indices of one capitalised run starting at i (connectors included)."""
    toks = art.tokens
    n = len(toks)
    lex = art.lex
    seq: list[int] = []
    j = i
    while j < n and not art.taken[j]:
        tok = toks[j]
        if j in gaz_at:
            m = gaz_at[j]
            if any(art.taken[m.first : m.last + 1]):
                break
            seq.extend(range(m.first, m.last + 1))
            j = m.last + 1
            if toks[m.last].bare != toks[m.last].text:
                break
            continue
        if _is_namey(tok):
            if seq and j in art.sentence_starts:
                break
            seq.append(j)
            j += 1
            if tok.bare != tok.text:  # possessive ends a name
                break
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
            calendar = k < n and fold(toks[k].text) in lex.calendar
            if (
                k < n
                and not art.taken[k]
                and not calendar
                and (k in gaz_at or _is_namey(toks[k]))
                and k not in art.sentence_starts
            ):
                seq.extend(range(j, k))
                j = k
                continue
            break
        if tok.text == "&" and seq and j + 1 < n and _is_namey(toks[j + 1]):
            seq.append(j)
            j += 1
            continue
        break
    return seq, max(j, i + 1)


def _type_sequence(art: _Article, seq: list[int], gaz_at: dict[int, GazMatch]) -> None:
    toks = art.tokens
    lex = art.lex
    seq = _trim(art, seq, gaz_at)
    if not seq:
        return
    first, last = seq[0], seq[-1]
    # the whole run is one known name
    if first in gaz_at and gaz_at[first].last == last:
        m = gaz_at[first]
        _add_gaz(art, m)
        return
    etype, head_idx = _head_type(art, seq)
    head_in_gaz = head_idx is not None and any(
        g.first <= head_idx <= g.last for g in gaz_at.values() if first <= g.first and g.last <= last
    )
    if head_in_gaz and _place_then_named(art, seq, gaz_at, etype):
        head_in_gaz = False  # "Seoul" + "UN Peacekeeping Ministerial Meeting" is one meeting
    if etype is not None and not head_in_gaz and len(seq) >= 2 and not _all_demonym(art, seq[:-1]):
        name = _name_text(art, seq)
        if fold(name) in lex.not_names or fold(toks[head_idx].text) in lex.not_names:
            return
        f = Found(toks[first].start, _end(toks[last]), etype, name)
        art.add(f, first, last)
        return
    # split at connectors and type the parts
    parts: list[list[int]] = []
    cur: list[int] = []
    for k in seq:
        if (toks[k].is_word and toks[k].text in lex.connectors) or toks[k].text == "&":
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


def _place_then_named(art: _Article, seq: list[int], gaz_at: dict[int, GazMatch], etype: str | None) -> bool:
    """A run made of place names followed by one known name of the head's type."""
    k = 0
    while k < len(seq) and seq[k] in gaz_at and gaz_at[seq[k]].entry.type in ("location", "country"):
        k = seq.index(gaz_at[seq[k]].last) + 1
    if k == 0 or k >= len(seq) or seq[k] not in gaz_at:
        return False
    m = gaz_at[seq[k]]
    return m.last == seq[-1] and m.entry.type == etype


def _type_part(art: _Article, part: list[int], gaz_at: dict[int, GazMatch]) -> None:
    part = _trim(art, part, gaz_at)
    if not part:
        return
    first, last = part[0], part[-1]
    # gazetteer pieces inside: keep them, type the rest
    inner = [gaz_at[k] for k in part if k in gaz_at and gaz_at[k].last <= last]
    if inner:
        if len(inner) == 1 and inner[0].first == first and inner[0].last == last:
            _add_gaz(art, inner[0])
            return
        rest: list[int] = []
        covered = set()
        for m in inner:
            _add_gaz(art, m)
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


def _type_unknown(art: _Article, part: list[int]) -> None:
    toks = art.tokens
    lex = art.lex
    part = _trim(art, part, {})
    if not part:
        return
    first, last = part[0], part[-1]
    words = [toks[k] for k in part]
    keys = [fold(t.bare) for t in words]
    if all(k in lex.demonyms for k in keys) or " ".join(keys) in lex.demonyms:
        return
    if any(k in lex.not_names for k in keys):
        return
    etype, _head_idx = _head_type(art, part)
    if etype is not None and len(part) >= 2:
        art.add(Found(toks[first].start, _end(toks[last]), etype, _name_text(art, part)), first, last)
        return
    rank = _rank_before(art, first)
    if _looks_like_person(art, part, rank is not None):
        _add_person(art, part, rank)
        return
    if len(part) == 1:
        tok = words[0]
        if tok.text[0].islower():  # camel-case brand: defenceWeb
            art.add(Found(tok.start, _end(tok), "organization", tok.bare), first, last)
            return
        art.unknown_singles.append(first)  # typed once every full name is known
        return
    if _location_context(art, first, last):
        art.add(Found(toks[first].start, _end(toks[last]), "location", _name_text(art, part)), first, last)
        return
    if _credit_context(art, first) and len(part) <= 3:
        etype = "person" if len(part) >= 2 else "organization"
        art.add(Found(toks[first].start, _end(toks[last]), etype, _name_text(art, part)), first, last)
        return
    art.unknown_multi.append(part)


def _trim(art: _Article, seq: list[int], gaz_at: dict[int, GazMatch]) -> list[int]:
    toks = art.tokens
    lex = art.lex
    seq = list(seq)
    while seq:
        k = seq[0]
        key = fold(toks[k].text)
        if k in gaz_at:
            break
        if toks[k].is_word and toks[k].text in lex.connectors:
            seq.pop(0)
            continue
        if key in lex.function_words:
            if toks[k].text == "The" and k not in art.sentence_starts and len(seq) > 1 and _is_namey(toks[seq[1]]):
                break  # "told The New Times": a capital The inside a sentence belongs to the name
            seq.pop(0)
            continue
        if k in art.sentence_starts and key in lex.common:
            # "International Conference on ..." keeps its adjective; "Members of X" is no name
            nxt = toks[seq[1]] if len(seq) > 1 else None
            if nxt is None or nxt.text in lex.connectors or _head_type(art, seq[1:])[0] is None:
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


def _head_type(art: _Article, seq: list[int]) -> tuple[str | None, int | None]:
    """Type from the head word: the last word, or a head followed by a connector ("X of Y")."""
    toks = art.tokens
    lex = art.lex
    last = seq[-1]
    key = fold(toks[last].bare)
    if key in lex.heads:
        return lex.heads[key], last
    for a, b in itertools.pairwise(seq):
        ka = fold(toks[a].text)
        if ka in lex.heads and toks[b].is_word and toks[b].text in lex.connectors:
            return lex.heads[ka], a
    return None, None


def _all_demonym(art: _Article, seq: list[int]) -> bool:
    return bool(seq) and all(fold(art.tokens[k].bare) in art.lex.demonyms for k in seq)


def _end(tok: Token) -> int:
    return tok.start + len(tok.bare)


def _name_text(art: _Article, seq: list[int]) -> str:
    toks = art.tokens
    s = toks[seq[0]].start
    e = _end(toks[seq[-1]])
    return " ".join(art.text[s:e].split())


def _add_gaz(art: _Article, m: GazMatch) -> Found:
    entry = m.entry
    name = entry.name
    f = Found(m.start, m.end, entry.type, name, gaz=entry)
    return art.add(f, m.first, m.last)


def _rank_before(art: _Article, first: int) -> tuple[int, str] | None:
    for start, (last, name) in art.rank_at.items():
        if last + 1 == first:
            return start, name
    return None


def _looks_like_person(art: _Article, part: list[int], ranked: bool) -> bool:
    toks = art.tokens
    lex = art.lex
    words = [toks[k] for k in part]
    if any(not t.is_word for t in words):
        return False
    keys = [fold(t.bare) for t in words]
    if any(k in lex.heads for k in keys[-1:]):
        return False
    if any(t.is_allcaps and len(t.bare) > 1 for t in words) and len(words) > 1:
        return False
    if ranked and 1 <= len(words) <= 5:
        return True
    if not 2 <= len(words) <= 5:
        return False
    if keys[0] in lex.surnames and all(len(k) <= 7 and "-" not in t.text for k, t in zip(keys, words)):
        return True
    if keys[0] in lex.given or keys[0].split(" ")[0] in lex.given:
        return True
    if keys[0] in lex.honorifics:
        return True
    prev = art.prev_word(part[0])
    nxt = art.next_tok(part[-1])
    if prev is not None and any(te == prev.end for _ts, te in art.title_spans) and len(words) <= 4:
        return True  # "Under-Secretary-General for Peace Operations Jean-Pierre Lacroix"
    if prev is not None and fold(prev.text) in lex.person_before and len(words) <= 3:
        return True
    return bool(
        nxt is not None and nxt.text in lex.person_after and len(words) <= 3 and part[0] not in art.sentence_starts
    )


def _add_person(art: _Article, part: list[int], rank: tuple[int, str] | None) -> None:
    toks = art.tokens
    first, last = part[0], part[-1]
    name = _name_text(art, part)
    f = Found(toks[first].start, _end(toks[last]), "person", name)
    if rank is not None and rank[1] not in art.lex.civil_ranks:
        f.attrs["rank"] = rank[1]
    art.add(f, first, last)


def _location_context(art: _Article, first: int, last: int) -> bool:
    lex = art.lex
    prev = art.prev_word(first)
    nxt = art.next_tok(last)
    if nxt is not None and nxt.text in lex.location_suffixes:
        return True
    if prev is None or last - first > 2:
        return False
    if prev.text in lex.location_before:
        return True
    if prev.text in ("and", "or"):
        # coordinated with a place: "at Phalaborwa and Entabeni"
        for f in reversed(art.found):
            if f.end <= prev.start:
                gap = art.text[f.end : prev.start].strip()
                return gap == "" and f.type in ("location", "country")
    return False


def _credit_context(art: _Article, first: int) -> bool:
    """After "Photo:", "Photo by", "Source:" (and "Photo: VNA/" before a photographer)."""
    toks = art.tokens
    j = first - 1
    if j >= 1 and toks[j].text == "/" and toks[j - 1].is_word:
        j -= 2  # "VNA/Trọng Đức": look before the agency
    while j >= 0 and toks[j].text in ":/":
        j -= 1
    if j < 0:
        return False
    before = fold(art.text[max(0, toks[j].start - 20) : toks[j].end])
    return before.endswith(("photo by", "photo", "photos", "source", "credit", "image", "courtesy of", "by"))


# -- acronyms defined in brackets ------------------------------------------------------------


def _acronym_definitions(art: _Article) -> None:
    toks = art.tokens
    by_end = {f.end: f for f in art.found}
    for i in range(1, len(toks) - 2):
        if toks[i].text != "(" or toks[i + 2].text != ")":
            continue
        acr_tok = toks[i + 1]
        acr = acr_tok.text
        if not _ACRONYM_RE.match(acr):
            continue
        prev = toks[i - 1]
        f = by_end.get(prev.end) or by_end.get(prev.start + len(prev.bare))
        if f is None:
            continue
        known = f.gaz is not None and (acr in f.gaz.acronyms or acr == f.gaz.name)
        if not known and not any(_initials_match(acr, form) for form in _forms_of(f, art)):
            continue
        f.aliases.add(acr)
        art.acronyms[acr] = f
        if art.taken[i + 1]:
            # the bracket already holds a mention (e.g. a gazetteer acronym): relink it
            for g in art.found:
                if g.start == acr_tok.start:
                    g.key, g.type, g.name, g.gaz = f.key, f.type, f.name, f.gaz
            continue
        art.add(Found(acr_tok.start, acr_tok.end, f.type, f.name, key=f.key), i + 1, i + 1)
    # later uses of a defined acronym
    if not art.acronyms:
        return
    for i, tok in enumerate(toks):
        if art.taken[i]:
            continue
        f = art.acronyms.get(tok.bare)
        if f is not None:
            art.add(Found(tok.start, _end(tok), f.type, f.name, key=f.key), i, i)


def _forms_of(f: Found, art: _Article) -> list[str]:
    forms = [f.name, art.text[f.start : f.end]]
    if f.gaz is not None:
        forms.extend(f.gaz.forms)
    return forms


def _initials_match(acr: str, name: str) -> bool:
    """Do the capitals of ``acr`` spell the words of ``name`` (small words optional)?"""
    letters = [c.lower() for c in acr if c.isalnum()]
    words = [w for w in re.split(r"[\s\-/]+", fold(name)) if w]
    return _spell(letters, words)


def _spell(letters: list[str], words: list[str]) -> bool:
    if not letters:
        return all(w in _SMALL_WORDS for w in words)
    if not words:
        return False
    w = words[0]
    if letters[0] in _DIGIT_WORDS and w in _DIGIT_WORDS[letters[0]] and _spell(letters[1:], words[1:]):
        return True  # A4P: Action for Peacekeeping
    # the word gives 1..3 letters from its start, or is a small word that may be skipped
    for take in range(1, min(len(w), 3) + 1):
        if letters[:take] == list(w[:take]) and _spell(letters[take:], words[1:]):
            return True
    return bool(w in _SMALL_WORDS and _spell(letters, words[1:]))


_DIGIT_WORDS = {"4": ("for", "four"), "2": ("to", "two"), "3": ("three",)}
_SMALL_WORDS = frozenset(
    ["of", "for", "and", "the", "in", "on", "to", "de", "du", "des", "la", "le", "with", "a", "an"]
)


# -- designations: "Tactical Intelligence Unit (TIU) III", "sister unit IV" -----------------


def _designations(art: _Article) -> None:
    """ "Engineering Unit Rotation 2", "Level-2 Field Hospital No. 6", "Ghanaian Battalion 96".

    Each mention takes the designation written after it: one article may name several
    rotations of one unit. An acronym defined for the unit ("(TIU)") follows its mention.
    """
    toks = art.tokens
    for f in list(art.found):
        if f.type != "unit":
            continue
        # the token after the mention, skipping a bracketed acronym
        j = next((k for k, t in enumerate(toks) if t.start >= f.end), None)
        if j is None:
            continue
        if j + 2 < len(toks) and toks[j].text == "(" and toks[j + 2].text == ")":
            j += 3
        if j >= len(toks) or art.taken[j]:
            continue
        numbered = (
            toks[j].is_number and toks[j].text.isdigit() and toks[j].start == toks[j - 1].end + 1 and f.gaz is None
        )
        if not (_ROMAN_RE.match(toks[j].text) or toks[j].text in ("Rotation", "No") or numbered):
            continue
        end_tok = j
        designation = toks[j].text
        if toks[j].text == "Rotation":
            if not (j + 1 < len(toks) and toks[j + 1].is_number):
                continue
            end_tok = j + 1
            designation = f"Rotation {toks[j + 1].text}"
        elif toks[j].text == "No":
            k = j + 2 if j + 1 < len(toks) and toks[j + 1].text == "." else j + 1
            if not (k < len(toks) and toks[k].is_number):
                continue
            end_tok = k
            designation = f"No. {toks[k].text}"
        old_key, base = f.key, f.name
        f.name = f"{base} {designation}"
        f.end = toks[end_tok].end
        f.key = f"unit/{slug(f.name)}"
        f.gaz = None
        for g in art.found:
            if g is not f and g.key == old_key and art.text[g.start : g.end] in f.aliases:
                g.key, g.name = f.key, f.name
        for k in range(j, end_tok + 1):
            art.taken[k] = True
        _sister_units(art, base, f)


def _sister_units(art: _Article, base: str, first: Found) -> None:
    """ "unit IV" after "Tactical Intelligence Unit III" is "Tactical Intelligence Unit IV"."""
    toks = art.tokens
    head = base.split()[-1].lower()
    for k in range(len(toks) - 1):
        if art.taken[k] or art.taken[k + 1] or toks[k].start < first.end:
            continue
        if toks[k].text.lower() == head and _ROMAN_RE.match(toks[k + 1].text):
            name = f"{base} {toks[k + 1].text}"
            art.add(Found(toks[k].start, toks[k + 1].end, "unit", name), k, k + 1)


# -- short references ------------------------------------------------------------------------


def _short_references(art: _Article) -> None:
    """Link "Lacroix", "Phụng", "Lieut. Colonel Phuong" to the person named in full."""
    toks = art.tokens
    lex = art.lex
    short: dict[str, list[Found]] = {}
    for f in art.found:
        if f.type == "person" and " " in f.name:
            short.setdefault(fold(f.name.split()[-1]), []).append(f)
    names_by_fold = {fold(f.name): f for f in art.found}
    singles = set(art.unknown_singles)
    for i, tok in enumerate(toks):
        if art.taken[i] or not _is_namey(tok):
            continue
        key = fold(tok.bare)
        target = _nearest_before(short.get(key), tok.start)
        if target is not None:
            f = Found(tok.start, _end(tok), "person", target.name, key=target.key)
            art.add(f, i, i)
            continue
        rank = _rank_before(art, i)
        if rank is not None and key not in lex.common:
            _add_person(art, [i], rank)
            continue
        other = names_by_fold.get(key)
        if other is not None:
            art.add(Found(tok.start, _end(tok), other.type, other.name, key=other.key), i, i)
            continue
        if i in singles:
            _type_single(art, i)
    # multi-word unknowns equal to a known name: "The De Brug centre"
    for part in art.unknown_multi:
        if any(art.taken[k] for k in part):
            continue
        name = _name_text(art, part)
        other = names_by_fold.get(fold(name))
        if other is not None:
            art.add(
                Found(toks[part[0]].start, _end(toks[part[-1]]), other.type, other.name, key=other.key),
                part[0],
                part[-1],
            )
    # a shorter name that ends a longer one of the same kind: "Department of Peacekeeping
    # Operations" after "Viet Nam Department of Peacekeeping Operations"
    longer = [f for f in art.found if f.type in ("organization", "mission", "unit", "programme", "event")]
    for f in art.found:
        if f.gaz is not None:
            continue  # a known name keeps its own identity ("UN" is not "Permanent Mission ... to the UN")
        ff = fold(f.name)
        for g in longer:
            if g is f or g.key == f.key:
                continue
            fg = fold(g.name)
            if len(fg) > len(ff) + 3 and fg.endswith(" " + ff) and g.type == f.type:
                f.key, f.name, f.gaz = g.key, g.name, g.gaz
                break


def _nearest_before(people: list[Found] | None, pos: int) -> Found | None:
    """Of the people a short name may mean, the one named last before it (else the first)."""
    if not people:
        return None
    before = [p for p in people if p.start < pos]
    return max(before, key=lambda p: p.start) if before else min(people, key=lambda p: p.start)


def _type_single(art: _Article, i: int) -> None:
    """An unknown one-word name: an acronym, a place by context, or nothing."""
    tok = art.tokens[i]
    if tok.is_allcaps and len(tok.bare) <= 8 and not _ROMAN_RE.match(tok.bare):
        art.add(Found(tok.start, _end(tok), "organization", tok.bare), i, i)
    elif i not in art.sentence_starts and _location_context(art, i, i):
        art.add(Found(tok.start, _end(tok), "location", tok.bare), i, i)
    elif _credit_context(art, i):
        art.add(Found(tok.start, _end(tok), "organization", tok.bare), i, i)


def _the_references(art: _Article) -> None:
    """ "the department" refers to the last department named before it."""
    toks = art.tokens
    lex = art.lex
    for i in range(len(toks) - 1):
        if toks[i].text.lower() != "the" or art.taken[i + 1]:
            continue
        head = toks[i + 1]
        if not head.is_word or head.text != head.text.lower() or head.text not in lex.heads:
            continue
        if (
            i + 2 < len(toks)
            and toks[i + 2].is_word
            and toks[i + 2].text[0].islower()
            and toks[i + 2].text not in lex.connectors
        ):
            continue  # "the department store"
        target = None
        for f in art.found:
            if (
                f.start < head.start
                and f.type in ("organization", "mission", "unit")
                and head.text in fold(f.name).split()
            ):
                target = f
        if target is not None:
            art.add(Found(head.start, head.end, target.type, target.name, key=target.key), i + 1, i + 1)


# -- finish -----------------------------------------------------------------------------------


def _finalise(art: _Article) -> list[Found]:
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
