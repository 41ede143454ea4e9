"""Bodies that belong to a country: a listed body named for another country ("the Mexican Ministry
of Foreign Affairs"), an armed service named alone ("the Army", "the Navy")."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from pktui.extract.entities.state import ArticleState, Found
from pktui.extract.gazetteer import GazMatch
from pktui.text import fold


def national_service(art: ArticleState, i: int) -> Found | None:
    """ "the Army" (token i) with no army named before it: the army named later in the article
    ("... the Navy ... the Indonesian Navy"), else the army of the country the article names most
    (by its name or its demonym: "Peruvian engineers ... the Army" is Peru's army)."""
    toks = art.tokens
    head = toks[i]
    if not head.text.istitle() or head.bare_key not in art.lex.national_services:
        return None
    end = head.start + len(head.bare)
    for f in art.found:
        words = fold(f.name).split()
        if f.type == "organization" and f.start > head.start and words[-1] == head.bare_key and words[0] != "the":
            why = f"the {head.bare}: the one named later ({f.name})"
            return Found(head.start, end, f.type, f.name, key=f.key, why=why)
    owner = _main_country(art)
    if owner is None:
        return None
    name = f"{owner} {head.bare}"
    return Found(head.start, end, "organization", name, why=f"the {head.bare} of the country named most ({owner})")


def possessive_services(art: ArticleState) -> None:
    """ "Niger's Army", "Peru's Air Force": the service named after a country's possessive is that
    country's (the listed body when the gazetteer has "Peru Air Force" or "Peruvian Air Force")."""
    if not art.lex.possessive_services:
        return
    service_re = _service_re(tuple(art.lex.possessive_services))
    for f in [f for f in art.found if f.type == "country"]:
        m = service_re.match(art.text, f.end)
        if m is None:
            continue
        first = bisect.bisect_left(art.token_starts, m.start("service"))
        last = bisect.bisect_left(art.token_starts, m.end("service")) - 1
        service = m.group("service")
        entry = art.gaz.lookup(f"{f.name} {service}")
        name = entry.name if entry is not None else f"{f.name} {service}"
        why = f"service after the possessive of {f.name}"
        generic = next((g for g in art.found if g.start == m.start("service") and fold(g.name) == fold(service)), None)
        if generic is not None:  # typed alone by its head word ("Air Force"): the country's
            generic.name, generic.key, generic.gaz, generic.why = (
                name,
                Found(0, 0, "organization", name).key,
                entry,
                why,
            )
        elif not any(art.taken[first : last + 1]):
            art.add(Found(m.start("service"), m.end("service"), "organization", name, gaz=entry, why=why), first, last)


def _service_re(services: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(s.title()) for s in sorted(services, key=len, reverse=True))
    return re.compile(rf"['’]s\s+(?P<service>{alts})\b(?!\s+[A-Z])")


def _main_country(art: ArticleState) -> str | None:
    """The country the article names most often, by its name or its demonym, written as named
    (the demonym when one was used: "Peruvian"); None when two tie or none is named."""
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for f in art.found:
        if f.type == "country":
            counts[fold(f.name)] += 1
            spelled.setdefault(fold(f.name), f.name)
    for tok in art.tokens:
        if tok.is_cap and (country := art.lex.demonym_country.get(tok.bare_key)) is not None:
            counts[country] += 1
            spelled[country] = tok.bare
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return spelled[top[0][0]]


def other_countries_bodies(art: ArticleState, gaz_matches: list[GazMatch]) -> list[GazMatch]:
    """The matches, less a known country's body named for another country: "the Ministry of
    Defence of Kazakhstan" is not the listed Ministry of Defence of Việt Nam."""
    toks = art.tokens
    by_first = {m.first: m for m in gaz_matches}
    kept = []
    for m in gaz_matches:
        country = m.entry.meta.get("country") if m.entry.type == "organization" else None
        before = toks[m.first - 1] if m.first > 0 else None
        owner = art.lex.demonym_country.get(before.bare_key) if before is not None and before.is_cap else None
        if country and owner is not None and owner != fold(country) and before is not None:
            # "the Mexican Ministry of Foreign Affairs": the demonym names another country's body
            art.other_countries.setdefault(m.entry.name, " ".join(art.text[before.start : m.end].split()))
            continue
        k = m.last + 1
        if country and k + 1 < len(toks) and toks[k].key == "of":
            k += 2 if toks[k + 1].key == "the" and k + 2 < len(toks) else 1
            after = by_first.get(k)
            if after is not None and after.entry.type == "country" and after.entry.name != country:
                full = " ".join(art.text[toks[m.first].start : toks[after.last].end].split())
                art.other_countries.setdefault(m.entry.name, full)
                continue
        kept.append(m)
    return kept
