"""The synthetic world and its articles: entities created once per seed and size, then
one article at a time written piece by piece, its mentions and facts at exact offsets.

Names of people and places are partly generated from syllables, so the vocabulary grows
with the corpus as real news vocabulary does. Deterministic for a given seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from pktui.bench.pools import (
    COUNTRIES,
    EVENTS,
    FILLER_AMERICAN,
    FILLER_BRITISH,
    FIRST,
    ITEMS,
    MISSIONS,
    MONTHS,
    ORDINALS,
    PERSONNEL,
    PROGRAMMES,
    QUALS,
    RANKS,
    SURNAMES,
    SYLLABLES,
    TITLES,
    UNITS,
    VERBS,
    WEEKDAYS,
)
from pktui.text import slug


@dataclass(slots=True)
class Ent:
    id: str
    name: str
    type: str
    aliases: list[str]


class Doc:
    """One article being written: text pieces with offsets, mentions and facts."""

    __slots__ = ("facts", "mentions", "parts", "pending", "pos", "sent_start")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.mentions: list[tuple[int, int, str, Ent]] = []
        self.facts: list[list] = []  # [kind, start, end, sentence_start, info]
        self.sent_start = 0
        self.pending: list[list] = []

    def w(self, s: str) -> int:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return start

    def ent(self, e: Ent, surface: str | None = None) -> int:
        surface = surface or e.name
        start = self.w(surface)
        self.mentions.append((start, self.pos, surface, e))
        return start

    def fact(self, kind: str, start: int, end: int, **info) -> None:
        self.pending.append([kind, start, end, info])

    def end_sentence(self, sep: str = " ") -> None:
        for p in self.pending:
            self.facts.append(p + [(self.sent_start, self.pos)])
        self.pending = []
        self.w(sep)
        self.sent_start = self.pos

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _name_pool(rng: random.Random, n: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set(SURNAMES)
    while len(out) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4)))).capitalize()
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


class World:
    """Entities of the synthetic world, created once per seed and size."""

    def __init__(self, rng: random.Random, n_articles: int) -> None:
        self.ents: dict[str, Ent] = {}
        self.countries = [self._e("country", n, al) for n, al, _ in COUNTRIES]
        self.demonym = {c.id: d for c, (_, _, d) in zip(self.countries, COUNTRIES)}
        self.missions = [self._e("mission", acr, [full]) for acr, full, _ in MISSIONS]
        self.mission_place = {m.id: self._e("location", p, []) for m, (_, _, p) in zip(self.missions, MISSIONS)}
        self.units = [self._e("unit", n, []) for n, _ in UNITS]
        self.programmes = [self._e("programme", n, al) for n, al in PROGRAMMES]
        self.events = [self._e("event", n, al) for n, al in EVENTS]
        self.orgs = []
        for c, (name, _, _) in zip(self.countries, COUNTRIES):
            plain = c.aliases[0] if c.aliases and name.startswith("Vi") else name
            acr = "".join(w[0] for w in plain.split() if w[0].isupper()) + "DPO"
            self.orgs.append(self._e("organization", f"{plain} Department of Peacekeeping Operations", [acr]))
        self.ministries = [
            self._e("organization", f"Ministry of National Defence of {c.name}", []) for c in self.countries
        ]
        generated = _name_pool(rng, max(60, n_articles // 3 + 40))
        surnames = SURNAMES + generated[: len(generated) // 2]
        places = generated[len(generated) // 2 :]
        n_people = max(80, n_articles // 2)
        self.people: list[Ent] = []
        for i in range(n_people):
            first = FIRST[i % len(FIRST)] if i < len(FIRST) else rng.choice(FIRST)
            last = SURNAMES[i % len(SURNAMES)] if i < len(SURNAMES) else rng.choice(surnames)
            name = f"{first} {last}"
            if any(p.name == name for p in self.people[-50:]):
                name = f"{first} {rng.choice(surnames)}"
            self.people.append(self._e("person", name, [last]))
        self.places = [self._e("location", p, []) for p in places[: max(40, len(places))]]

    def _e(self, etype: str, name: str, aliases: list[str]) -> Ent:
        eid = f"{etype}/{slug(name)}"
        e = self.ents.get(eid)
        if e is None:
            e = self.ents[eid] = Ent(eid, name, etype, list(aliases))
        return e


def _resolve_weekday(pub: date, weekday: int) -> date:
    delta = (pub.weekday() - weekday) % 7 or 7
    return pub - timedelta(days=delta)


def _article(rng: random.Random, world: World, pub: date, british: bool) -> Doc:
    doc = Doc()
    country = rng.choice(world.countries)
    ci = world.countries.index(country)
    org = world.orgs[ci]
    mission = rng.choice(world.missions)
    place = rng.choice(world.places)
    visitor = rng.choice(world.people)
    host = rng.choice(world.people)
    unit = rng.choice(world.units)
    verb, _ = rng.choice(VERBS)
    title_tpl = rng.choice(TITLES)
    title = title_tpl.format(org=org.name, acr=mission.name, country=world.demonym[country.id], place=place.name)

    # lead sentence: role, date, event
    wd = rng.randrange(7)
    when = _resolve_weekday(pub, wd)
    doc.w(f"{place.name.upper()}, {MONTHS[pub.month - 1]} {pub.day} - ")
    t0 = doc.w(title)
    doc.fact("role", t0, doc.pos, value=title, entities=[visitor.id])
    doc.w(" ")
    e0 = doc.ent(visitor)
    doc.w(" ")
    d0 = doc.w(f"on {WEEKDAYS[wd]}")
    doc.fact("date", d0, doc.pos, value=when.isoformat(), precision="day")
    doc.w(f" {verb} the ")
    doc.ent(org)
    doc.fact(
        "event",
        e0,
        doc.pos,
        value=when.isoformat(),
        precision="day",
        summary=f"{visitor.name} {verb} the {org.name}",
        entities=[visitor.id, org.id],
    )
    doc.w(" in ")
    doc.ent(country)
    doc.w(" as part of a working trip to the region.")
    doc.end_sentence("\n\n")

    # contributions: quantity + since-date
    qual, qcode = rng.choice(QUALS)
    n = rng.randrange(40, 6000)
    year0 = rng.randrange(1995, max(1996, pub.year))
    doc.w("According to ")
    doc.ent(host)
    doc.w(", ")
    doc.ent(country)
    doc.w(" has sent ")
    numtxt = f"{n:,}"
    q0 = doc.w(f"{qual} {numtxt}".strip() + " " + (noun := rng.choice(PERSONNEL)))
    doc.fact("quantity", q0, doc.pos, value=n, qualifier=qcode, unit="personnel", detail=noun, entities=[country.id])
    doc.w(" to UN peacekeeping missions ")
    s0 = doc.w(f"since {year0}")
    doc.fact("date", s0, doc.pos, value=str(year0), precision="year", detail="since")
    doc.w(".")
    doc.end_sentence()

    # deployment: date, quantity, event
    dm = rng.randrange(12)
    dy = rng.randrange(max(1996, pub.year - 8), pub.year + 1)
    i0 = doc.w(f"In {MONTHS[dm]} {dy}")
    doc.fact("date", i0, doc.pos, value=f"{dy}-{dm + 1:02d}", precision="month")
    doc.w(", ")
    c0 = doc.ent(country)
    doc.w(f" deployed its {rng.choice(ORDINALS)} ")
    doc.ent(unit, unit.name)
    doc.fact(
        "event",
        c0,
        doc.pos,
        value=f"{dy}-{dm + 1:02d}",
        precision="month",
        summary=f"{country.name} deployed {unit.name} to {mission.name}",
        entities=[country.id, unit.id, mission.id],
    )
    doc.w(" comprising ")
    m = rng.randrange(30, 900)
    p0 = doc.w(f"{m} personnel")
    doc.fact("quantity", p0, doc.pos, value=m, qualifier="exact", unit="personnel", entities=[unit.id, country.id])
    doc.w(" to the ")
    full = mission.aliases[0]
    doc.ent(mission, full)
    doc.w(" (")
    doc.ent(mission)
    doc.w(").")
    doc.end_sentence("\n\n")

    # commander statement: role + quantity
    commander = rng.choice(world.people)
    rank = rng.choice(RANKS)
    doc.w(f"{rank} ")
    doc.ent(commander)
    doc.w(", ")
    r0 = doc.w(f"Force Commander of {mission.name}")
    doc.fact("role", r0, doc.pos, value=f"Force Commander of {mission.name}", entities=[commander.id, mission.id])
    doc.w(", said the ")
    doc.ent(unit, unit.name)
    k = rng.randrange(5, 2500)
    item = rng.choice(ITEMS)
    doc.w(" had completed ")
    k0 = doc.w(f"{k:,} {item}")
    doc.fact(
        "quantity", k0, doc.pos, value=k, qualifier="exact", unit=item.split()[-1], detail=item, entities=[unit.id]
    )
    doc.w(" in ")
    loc = world.mission_place[mission.id]
    doc.ent(loc)
    doc.w(f" over the past {rng.randrange(2, 13)} months.")
    doc.end_sentence()

    # women: percentage
    pct = rng.randrange(5, 40)
    qual, qcode = rng.choice(QUALS[:5])
    w0 = doc.w(f"{qual.capitalize()} {pct} per cent")
    doc.fact("quantity", w0, doc.pos, value=pct, qualifier=qcode, unit="percent", entities=[country.id])
    doc.w(" of the deployed personnel are women, ")
    doc.ent(host, host.aliases[0] if host.aliases else host.name)
    doc.w(" noted.")
    doc.end_sentence("\n\n")

    # budget: quantity + range
    y1 = rng.randrange(max(2000, pub.year - 3), pub.year + 2)
    doc.w("The ")
    doc.ent(mission)
    doc.w(" budget for ")
    b0 = doc.w(f"{y1}\u2013{y1 + rng.randrange(1, 6)}")
    y2 = int(doc.parts[-1][-4:])
    doc.fact("date", b0, doc.pos, value=f"{y1}/{y2}", precision="range")
    doc.w(" stands at ")
    mm = rng.randrange(50, 1500)
    u0 = doc.w(f"{mm} million US dollars")
    doc.fact("quantity", u0, doc.pos, value=mm * 1_000_000, qualifier="exact", unit="USD", entities=[mission.id])
    doc.w(".")
    doc.end_sentence()

    # handover: quantity + date
    hd = pub - timedelta(days=rng.randrange(1, 60))
    h = rng.randrange(2, 400)
    doc.w("A total of ")
    h0 = doc.w(f"{h} {rng.choice(ITEMS[3:])}")
    doc.fact("quantity", h0, doc.pos, value=h, qualifier="exact", unit="items", entities=[])
    doc.w(" were handed over to local authorities in ")
    doc.ent(place)
    doc.w(" ")
    o0 = doc.w(f"on {MONTHS[hd.month - 1]} {hd.day}")
    doc.fact("date", o0, doc.pos, value=hd.isoformat(), precision="day")
    doc.w(".")
    doc.end_sentence("\n\n")

    # filler and programme mention
    filler = FILLER_BRITISH if british else FILLER_AMERICAN
    doc.w(rng.choice(filler))
    doc.end_sentence()
    prog = rng.choice(world.programmes)
    doc.ent(visitor, visitor.aliases[0] if visitor.aliases else visitor.name)
    doc.w(" commended the contributions of ")
    doc.ent(country)
    doc.w(" to the ")
    doc.ent(prog)
    doc.w(" and to the ")
    doc.ent(rng.choice(world.events))
    doc.w(".")
    doc.end_sentence("")
    return doc


def generate_articles(n: int, seed: int) -> Iterator[tuple[int, date, Doc, World]]:
    """``n`` articles, each with its number, publication date and the world it is set in."""
    rng = random.Random(seed)
    world = World(rng, n)
    start = date(2005, 1, 1).toordinal()
    span = date(2025, 12, 31).toordinal() - start
    for i in range(n):
        pub = date.fromordinal(start + rng.randrange(span))
        doc = _article(rng, world, pub, british=rng.random() < 0.6)
        yield i, pub, doc, world


def article_id(i: int, pub: date, doc: Doc) -> str:
    """The article's id (and file name): its date and its number."""
    return f"{pub.isoformat()}-synthetic-{i:07d}"
