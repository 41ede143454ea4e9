"""Find the names the domain data knows (countries, missions, organisations, places, ...).

Forms are matched on folded words, so case, diacritics and punctuation do not count
("VIETNAM", "Việt Nam" and "Viet Nam" are one country); all-caps acronyms are matched
with their case ("CAR" but not "car").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from pktui.domain import Domain, GazEntry, load_domain
from pktui.extract.tokens import Token
from pktui.text import fold

_SKIPPABLE = frozenset("-–—'’.&")  # folded away in listed forms ("Trinidad & Tobago")


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    # (entry, any case allowed, commas allowed)
    entries: list[tuple[GazEntry, bool, bool, tuple[bool, ...]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GazMatch:
    first: int  # token index
    last: int  # token index, inclusive
    start: int
    end: int
    entry: GazEntry


_SPELLINGS = (("isation", "ization"), ("isations", "izations"), ("ised", "ized"), ("ising", "izing"))
_WORD_SPELLINGS = {"centre": "center", "centres": "centers", "defence": "defense", "programme": "program",
                   "programmes": "programs", "labour": "labor", "organisation": "organization",
                   "forces": "force"}  # fmt: skip


@lru_cache(maxsize=65536)
def spelling(word: str) -> str:
    """British and American spellings as one key: "stabilisation" and "stabilization",
    "motorised" and "motorized", "defence" and "defense" match the same listed name (and
    "Forces" the listed "Force": "UN Interim Forces in Lebanon")."""
    if word in _WORD_SPELLINGS:
        return _WORD_SPELLINGS[word]
    for british, american in _SPELLINGS:
        if word.endswith(british) and len(word) > len(british) + 2:
            return word[: -len(british)] + american
    return word


def _un_variants(form: str) -> list[str]:
    out = [form]
    for long, short in (("United Nations ", "UN "), ("United Nations ", "U.N. "), ("African Union ", "AU ")):
        if form.startswith(long):
            out.append(short + form[len(long) :])
        elif form.startswith(short):
            out.append(long + form[len(short) :])
    return out


def _form_words(form: str) -> list[str]:
    """The words of a form as written, aligned with ``fold(form).split()``."""
    out = []
    for raw in form.split():
        n = len(fold(raw).split())
        if n:
            out.append(raw)
            out.extend(["x"] * (n - 1))  # inner pieces ("People's" -> people, s): case not checked
    return out


class Gazetteer:
    def __init__(self, domain: Domain) -> None:
        self.root = _Node()
        self.acronyms: dict[str, GazEntry] = {}
        self.by_name: dict[tuple[str, str], GazEntry] = {}
        for entry in domain.entries:
            self.by_name.setdefault((entry.type, fold(entry.name)), entry)
            for acr in entry.acronyms:
                self.acronyms.setdefault(acr, entry)
            for form in entry.forms:
                for variant in _un_variants(form):
                    self._add(variant, entry)
                    if entry.type == "unit" and not variant.endswith("s"):
                        self._add(variant + "s", entry)

        self._can_start: dict[str, bool] = {}
        #: particles a name may open in lower case ("al Shabaab", "al Qaida" for "Al Shabaab")
        self.particles = frozenset(domain.particles)
        self.weak = domain.weak_places
        self.weak_words = max((len(k.split()) for k in self.weak), default=0)
        self.weak_firsts = {k.split()[0] for k in self.weak if k}

    def _add(self, form: str, entry: GazEntry) -> None:
        words = [spelling(w) for w in fold(form).split()]
        if not words:
            return
        node = self.root
        for w in words:
            node = node.children.setdefault(w, _Node())
        any_case = form[:1].islower()
        form_caps = tuple(w[:1].isupper() or w[:1].isdigit() for w in _form_words(form))
        node.entries.append((entry, any_case, "," in form, form_caps))

    def lookup(self, name: str) -> GazEntry | None:
        """The entry whose form is exactly ``name`` (folded), if any."""
        if name in self.acronyms:
            return self.acronyms[name]
        node = _walk(self.root, fold(name).split())
        return node.entries[0][0] if node is not None and node.entries else None

    def find(self, text: str, tokens: list[Token]) -> list[GazMatch]:
        """Known names, longest first, not overlapping, in text order."""
        can_start = self._can_start
        candidates = [
            m
            for i, t in enumerate(tokens)
            if (can_start.get(t.text) if t.text in can_start else self._may_start(t))
            and (m := self._longest_at(text, tokens, i)) is not None
        ]
        if self.weak:
            weak_firsts = self.weak_firsts
            candidates += [
                m
                for i, t in enumerate(tokens)
                if t.bare_key.partition(" ")[0] in weak_firsts and (m := self._weak_at(tokens, i)) is not None
            ]
        # longest first; a listed name before a library place of the same length
        candidates.sort(key=lambda m: (-(m.last - m.first), -(m.end - m.start), m.entry.weak, m.first))
        used = [False] * len(tokens)
        chosen = []
        for m in candidates:
            if any(used[m.first : m.last + 1]):
                continue
            for k in range(m.first, m.last + 1):
                used[k] = True
            chosen.append(m)
        chosen.sort(key=lambda m: m.first)
        return chosen

    def _may_start(self, t: Token) -> bool:
        """May a listed name start with this token? (worked out once per token text)"""
        ok = (
            spelling(t.key.partition(" ")[0]) in self.root.children
            or t.bare in self.acronyms
            or t.text in self.acronyms
            or t.bare.upper() in self.acronyms
        )
        if len(self._can_start) >= 200_000:
            self._can_start.clear()
        self._can_start[t.text] = ok
        return ok

    def title_case_acronym(self, word: str) -> GazEntry | None:
        """ "Minusma", "Monusco": a mission's acronym of five letters or more written as a name."""
        if len(word) < 5 or not word.istitle():
            return None
        entry = self.acronyms.get(word.upper())
        return entry if entry is not None and entry.type == "mission" else None

    def _weak_at(self, tokens: list[Token], i: int) -> GazMatch | None:
        """The longest library place name starting at token i, written with capitals."""
        first = tokens[i]
        if not first.is_word or not first.text[0].isupper() or first.bare_key.split(" ", 1)[0] not in self.weak_firsts:
            return None
        words: list[str] = []
        best = None
        for j in range(i, min(i + self.weak_words, len(tokens))):
            tok = tokens[j]
            if not tok.is_word or not tok.text[0].isupper():
                break
            words.append(tok.bare_key)
            entry = self.weak.get(" ".join(words))
            if entry is not None:
                best = GazMatch(i, j, tokens[i].start, tok.start + len(tok.bare), entry)
            if tok.bare != tok.text:
                break
        return best

    def _longest_at(self, text: str, tokens: list[Token], i: int) -> GazMatch | None:
        first = tokens[i]
        if first.is_punct:
            return None
        best: GazMatch | None = None
        acr = self.acronyms.get(first.bare) or self.acronyms.get(first.text) or self.title_case_acronym(first.bare)
        if acr is not None:
            best = GazMatch(i, i, first.start, first.start + len(first.bare), acr)
        if spelling(first.key.split(" ", 1)[0]) not in self.root.children:
            return best  # no listed form starts with this word (nor with its bare form)
        node = self.root
        caps: list[bool] = []  # per matched word: is it capitalised in the text?
        j = i
        has_comma = False
        while j < len(tokens):
            tok = tokens[j]
            if tok.is_punct:
                if j == i:
                    return best
                if tok.text == ",":
                    has_comma = True
                elif _inner_acronym(tokens, j, self.acronyms):
                    j += 3  # "United Nations (UN) Stabilization Mission in Haiti"
                    continue
                elif tok.text not in _SKIPPABLE:
                    break
                j += 1
                continue
            cap = tok.text[0].isupper() or tok.text[0].isdigit() or (j == i and tok.key in self.particles)
            if tok.bare != tok.text:
                # a possessive ("Vietnam’s") may end a name here, whatever longer forms go on
                # through the full word ("Vietnam's Ministry of National Defence")
                bare_words = tok.bare_key.split()
                bare_node = _walk(node, bare_words)
                if bare_node is not None:
                    entry = _accepted(bare_node, caps + [cap] + [True] * (len(bare_words) - 1), has_comma)
                    end = tok.start + len(tok.bare)
                    if entry is not None and (best is None or end > best.end):
                        best = GazMatch(i, j, first.start, end, entry)
            words = tok.key.split()
            nxt = _walk(node, words)
            if nxt is None:
                break
            node = nxt
            caps.extend([cap] + [True] * (len(words) - 1))
            entry = _accepted(node, caps, has_comma)
            if entry is not None and (best is None or tok.end > best.end):
                best = GazMatch(i, j, first.start, tok.end, entry)
            j += 1
        return best


def _inner_acronym(tokens: list[Token], j: int, acronyms: dict[str, GazEntry]) -> bool:
    """A body's acronym in brackets inside a longer name: "(UN)" of "United Nations (UN)
    Stabilization Mission in Haiti" (not a name's own acronym: "Action for Peacekeeping (A4P)
    initiative")."""
    if not (tokens[j].text == "(" and j + 3 < len(tokens) and tokens[j + 2].text == ")" and tokens[j + 3].is_word):
        return False
    entry = acronyms.get(tokens[j + 1].text)
    return entry is not None and entry.type in ("organization", "country")


def _accepted(node: _Node, caps: list[bool], has_comma: bool) -> GazEntry | None:
    """The first entry ending at ``node`` whose form allows the text's case and commas."""
    for entry, any_case, comma_ok, form_caps in node.entries:
        if has_comma and not comma_ok:
            continue
        if not any_case and not all(c or not fc for c, fc in zip(caps, form_caps)):
            continue
        return entry
    return None


def _walk(node: _Node, words: list[str]) -> _Node | None:
    at: _Node | None = node
    for w in words:
        at = at.children.get(spelling(w)) if at is not None else None
        if at is None:
            return None
    return at if words else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(load_domain())
