"""The word lists entity finding reads: head words, connectors, cues, ranks and titles.

Built once from the domain data; ranks and titles are phrase tries matched on folded words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pktui.domain import Domain, load_domain
from pktui.extract.tokens import Token
from pktui.text import fold


class Lexicon:
    def __init__(self, dom: Domain) -> None:
        lex = dom.lexicon
        self.heads: dict[str, str] = {}
        # later types in this order win: unit heads beat organisation heads ("Formation")
        for etype in ("organization", "programme", "location", "event", "mission", "unit"):
            for w in lex.get("heads", {}).get(etype, []) or []:
                w = str(w).rstrip("-")
                self.heads[w] = etype
        self.connectors = {str(w) for w in lex.get("connectors", [])}
        self.name_particles = {str(w) for w in lex.get("name_particles", [])}
        self.ordinal_unit_heads = {str(w) for w in lex.get("ordinal_unit_heads", [])}
        self.numbered_unit_words = [tuple(str(w).split()) for w in lex.get("numbered_unit_words", [])]
        #: first words of what numbers count ("soldiers", "kilometres"): after a number they make it a count
        self.counted_words = {str(w).split()[0] for m in dom.measures.values() for w in m.get("words") or []}
        self.counted_words |= {"strong", "km", "kilometres", "kilometers", "metres", "meters", "miles"}
        self.place_nouns_before_of = {str(w) for w in lex.get("place_nouns_before_of", [])}
        self.function_words = {str(w) for w in lex.get("function_words", [])}
        self.common = {str(w) for w in lex.get("common_capitalised", [])}
        self.not_names = {fold(str(w)) for w in lex.get("not_names", [])}
        self.person_before = {str(w) for w in lex.get("person_cues_before", [])}
        self.person_after = {str(w) for w in lex.get("person_cues_after", [])}
        self.location_before = {str(w) for w in lex.get("location_cues_before", [])}
        self.not_places = {fold(str(w)) for w in lex.get("not_places", [])}
        self.location_suffixes = {str(w) for w in lex.get("location_suffixes", [])}
        self.location_suffix_modifiers = {str(w) for w in lex.get("location_suffix_modifiers", [])}
        self.designated_area_words = {fold(str(w)) for w in lex.get("designated_area_words", [])}
        self.person_title_words = {fold(w) for t in dom.titles for w in str(t).split() if len(w) > 3} | {
            fold(str(w)) for w in lex.get("person_title_words", [])
        }
        self.place_prefixes = {fold(str(w)) for w in lex.get("place_prefixes", [])}
        self.place_openers = {fold(str(w)) for w in lex.get("place_openers", [])}
        #: nouns of a post that may stand right before a name ("Cabinet Secretary Yoshihide Suga")
        self.post_nouns = {fold(str(w)) for w in lex.get("person_title_words", [])} - {
            "general",
            "colonel",
            "captain",
            "major",
            "lieutenant",
            "brigadier",
            "head",
            "officer",
            "deputy",
        }
        self.compound_modifiers = {str(w) for w in lex.get("compound_modifiers", [])}
        self.org_nouns = {str(w) for w in lex.get("organization_nouns_before", [])}
        self.credit_words = {fold(str(w)) for w in lex.get("credit_words", [])}
        self.names_with_the = {fold(str(w)) for w in lex.get("names_with_the", [])}
        self.time_zones = {str(w) for w in lex.get("time_zones", [])}
        numbers = dom.numbers
        self.number_words = {fold(str(w)) for key in ("units", "tens", "scales") for w in (numbers.get(key) or {})}
        self.ambiguous_names = {str(k): [str(n) for n in v] for k, v in (lex.get("ambiguous_names") or {}).items()}
        markers = sorted((str(w) for w in lex.get("byline_markers") or []), key=len, reverse=True)
        self.byline_re = (
            re.compile(rf"^[\s\-–—|•]*(?:{'|'.join(map(re.escape, markers))})\s*:?\s+(?=[^\W\d_])")
            if markers
            else re.compile("(?!)")
        )
        credits = sorted((str(w) for w in lex.get("credit_markers") or []), key=len, reverse=True)
        self.credit_line_re = re.compile(rf"^[\s(\[]*(?:{'|'.join(map(re.escape, credits))})|/" if credits else "/")
        self.demonyms = set(dom.demonyms)
        self.demonym_country = {d: fold(c) for d, c in dom.demonyms.items() if c}
        self.surnames = dom.surnames_vi
        self.middle = dom.middle_vi
        self.given = dom.given_names
        self.particles = dom.particles
        self.honorifics = dom.honorifics
        self.civil_ranks = dom.civil_ranks | {h.capitalize() for h in dom.honorifics}
        self.unit_heads = {w for w, t in self.heads.items() if t == "unit"}
        # month and weekday names never continue a name ("The New Times on Monday")
        self.calendar = {m for m in dom.months if len(m) > 3} | set(dom.weekdays)
        self.calendar_words = set(dom.months) | set(dom.weekdays)  # with "Jan", "Sept"
        self.event_openers = {fold(str(w)) for w in lex.get("event_openers", [])}
        self.organization_openers = {fold(str(w)) for w in lex.get("organization_openers", [])}
        units = dom.units_doc
        endings = sorted((str(e).lower() for e in units.get("contingent_endings") or []), key=len, reverse=True)
        self.contingent_re = (
            re.compile(
                rf"^(?P<base>[A-Za-z]{{2,10}}?(?:{'|'.join(map(re.escape, endings))}))(?P<number>-[0-9]{{1,4}}|-[IVX]{{1,5}})?$",
                re.I,
            )
            if endings
            else re.compile("(?!)")
        )
        self.not_contingents = {fold(str(w)) for w in units.get("not_contingents") or []}
        self.need_designation = {str(w) for w in units.get("need_designation") or []}
        self.split_connectors = {str(k): str(v) for k, v in (lex.get("split_connectors") or {}).items()}
        self.national_services = {fold(str(w)) for w in lex.get("national_services", [])}
        self.possessive_services = [str(w) for w in lex.get("possessive_services", [])]
        self.possessives_in_names = {fold(str(w)) for w in lex.get("possessives_in_names", [])}
        self.ranks = PhraseTrie()
        for name, forms in dom.ranks:
            for form in forms:
                self.ranks.add(form, name)
                if (plural := _plural_rank(form)) is not None:
                    self.ranks.add(plural, name)  # "Brigadier Generals Zoran Nasković and …"
        for h in dom.honorifics:
            self.ranks.add(h, h.capitalize())
        self.titles = PhraseTrie()
        for t in dom.titles:
            self.titles.add(t, t)
        #: first words of every rank and title (no other word opens one)
        self.rank_title_starts = frozenset(self.ranks.root.children) | frozenset(self.titles.root.children)


class _PhraseNode:
    """A word of the trie: the words that may follow it, and a phrase's value if one ends here."""

    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[str, _PhraseNode] = {}
        self.value: str | None = None


def _plural_rank(form: str) -> str | None:
    """The plural of a spelled-out rank ("Generals", "Lieutenant Colonels"), or None for an
    abbreviation or a word that is no plain noun."""
    last = form.split()[-1] if form.split() else ""
    if len(last) < 4 or not last.isalpha() or not last[0].isupper() or last.endswith("s"):
        return None
    return form + "s"


def _attached(tokens: list[Token], j: int) -> bool:
    """Token j touches the tokens on both sides (no space around it)."""
    return 0 < j < len(tokens) - 1 and tokens[j - 1].end == tokens[j].start and tokens[j].end == tokens[j + 1].start


class PhraseTrie:
    """Multi-word phrases matched on folded words, punctuation ignored ("Maj. Gen.")."""

    def __init__(self) -> None:
        self.root = _PhraseNode()

    def add(self, phrase: str, value: str) -> None:
        node = self.root
        for w in fold(phrase).split():
            node = node.children.setdefault(w, _PhraseNode())
        if node.value is None:
            node.value = value

    def match(self, tokens: list[Token], i: int, *, skip_periods: bool = True) -> tuple[int, str] | None:
        """Longest phrase starting at token i: (last token index, value)."""
        if tokens[i].bare_key.split(" ", 1)[0] not in self.root.children:
            return None
        node = self.root
        best = None
        j = i
        while j < len(tokens):
            tok = tokens[j]
            if tok.is_punct:
                if skip_periods and tok.text == "-" and j > i and tokens[j - 1].text == "." and _attached(tokens, j):
                    j += 1  # "Lt.-Col.", "Maj.-Gen.": two abbreviations joined by a hyphen
                    continue
                if skip_periods and tok.text == "." and j > i:
                    if node.value is not None:
                        best = (j, node.value)
                    j += 1
                    continue
                break
            words = tok.bare_key.split()
            ok = True
            for w in words:
                if w not in node.children:
                    ok = False
                    break
                node = node.children[w]
            if not ok:
                break
            if node.value is not None:
                best = (j, node.value)
            if tok.bare != tok.text:
                break
            j += 1
        return best


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(load_domain())
