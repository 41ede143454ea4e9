"""Synthetic peacekeeping news, for benchmarks and tests.

* :func:`write_corpus` writes N contract-format article files (``date YYYY-MM-DD`` header,
  paragraphs separated by blank lines) to a folder, to be loaded like any corpus.
* :func:`synthetic_kb` builds a :class:`KnowledgeBase` of model objects directly -- the
  same articles with their entities, mentions and facts at exact offsets -- so that the
  search index can be measured at a million facts without running extraction.
* :class:`KBBuilder` assembles small hand-written knowledge bases (tests).

Everything is deterministic for a given seed. Countries, missions, units, people (with
and without diacritics), places, numbers and dates vary so that facts are diverse; names
of people and places are partly generated from syllables, so the vocabulary grows with
the corpus as real news vocabulary does.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Article, Entity, Fact, Mention
from pktui.text import slug

# ---------------------------------------------------------------------------- pools
COUNTRIES = [
    ("Việt Nam", ["Vietnam", "Viet Nam"], "Vietnamese"),
    ("Indonesia", [], "Indonesian"),
    ("Bangladesh", [], "Bangladeshi"),
    ("Nepal", [], "Nepalese"),
    ("India", [], "Indian"),
    ("Pakistan", [], "Pakistani"),
    ("Rwanda", [], "Rwandan"),
    ("Ghana", [], "Ghanaian"),
    ("Senegal", [], "Senegalese"),
    ("Ethiopia", [], "Ethiopian"),
    ("Cambodia", [], "Cambodian"),
    ("Mongolia", [], "Mongolian"),
    ("Brazil", [], "Brazilian"),
    ("Uruguay", [], "Uruguayan"),
    ("Peru", [], "Peruvian"),
    ("Ireland", [], "Irish"),
    ("Norway", [], "Norwegian"),
    ("Finland", [], "Finnish"),
    ("Republic of Korea", ["South Korea"], "Korean"),
    ("Japan", [], "Japanese"),
    ("Thailand", [], "Thai"),
    ("Malaysia", [], "Malaysian"),
    ("Egypt", [], "Egyptian"),
    ("Morocco", [], "Moroccan"),
    ("Tunisia", [], "Tunisian"),
    ("Côte d'Ivoire", ["Ivory Coast"], "Ivorian"),
    ("Burkina Faso", [], "Burkinabe"),
    ("Zambia", [], "Zambian"),
    ("Malawi", [], "Malawian"),
    ("Kenya", [], "Kenyan"),
    ("Tanzania", [], "Tanzanian"),
    ("Argentina", [], "Argentine"),
    ("Chile", [], "Chilean"),
    ("Türkiye", ["Turkey"], "Turkish"),
    ("Poland", [], "Polish"),
    ("Portugal", [], "Portuguese"),
    ("Fiji", [], "Fijian"),
    ("Sri Lanka", [], "Sri Lankan"),
    ("Bhutan", [], "Bhutanese"),
    ("Kazakhstan", [], "Kazakh"),
]
MISSIONS = [
    ("UNISFA", "UN Interim Security Force for Abyei", "Abyei"),
    ("UNMISS", "United Nations Mission in South Sudan", "South Sudan"),
    ("MINUSCA", "UN Multidimensional Integrated Stabilization Mission in the Central African Republic", "Bangui"),
    ("MONUSCO", "UN Organization Stabilization Mission in the Democratic Republic of the Congo", "Goma"),
    ("UNIFIL", "United Nations Interim Force in Lebanon", "South Lebanon"),
    ("MINURSO", "UN Mission for the Referendum in Western Sahara", "Laayoune"),
    ("UNFICYP", "United Nations Peacekeeping Force in Cyprus", "Nicosia"),
    ("UNDOF", "UN Disengagement Observer Force", "Golan Heights"),
    ("UNMIK", "UN Interim Administration Mission in Kosovo", "Pristina"),
    ("UNTSO", "UN Truce Supervision Organization", "Jerusalem"),
    ("UNMOGIP", "UN Military Observer Group in India and Pakistan", "Srinagar"),
    ("MINUSMA", "UN Multidimensional Integrated Stabilization Mission in Mali", "Gao"),
    ("UNAMID", "African Union-United Nations Hybrid Operation in Darfur", "El Fasher"),
    ("UNMIL", "United Nations Mission in Liberia", "Monrovia"),
]
UNITS = [
    ("Level-2 Field Hospital", "level-2 field hospital"),
    ("Level-1 Field Hospital", "level-1 field hospital"),
    ("engineering company", "engineering company"),
    ("mechanised infantry battalion", "mechanised infantry battalion"),
    ("military police unit", "military police unit"),
    ("quick reaction force", "quick reaction force"),
    ("signals company", "signals company"),
    ("aviation unit", "aviation unit"),
    ("riverine unit", "riverine unit"),
    ("demining team", "demining team"),
    ("formed police unit", "formed police unit"),
    ("transport company", "transport company"),
    ("airport support team", "airport support team"),
]
PROGRAMMES = [
    ("Action for Peacekeeping", ["A4P"]),
    ("Action for Peacekeeping Plus", ["A4P+"]),
    ("Triangular Partnership Programme", ["TPP"]),
    ("Peacekeeping Capability Readiness System", ["PCRS"]),
    ("Women, Peace and Security agenda", ["WPS agenda"]),
]
EVENTS: list[tuple[str, list[str]]] = [
    ("UN Peacekeeping Ministerial Meeting", []),
    ("International Conference on Women in Peacekeeping", []),
    ("Regional Peacekeeping Training Forum", []),
]
FIRST = [
    "Jean-Pierre",
    "Hoàng Kim",
    "Nguyễn Văn",
    "Trần Thị",
    "Lê Minh",
    "Phạm Đức",
    "Đỗ Quang",
    "Amina",
    "Kwame",
    "Fatou",
    "Ibrahim",
    "Chidi",
    "Aisha",
    "Tariq",
    "Priya",
    "Rahul",
    "Sofia",
    "Mateo",
    "Lucía",
    "Joaquín",
    "Ingrid",
    "Mikael",
    "Aino",
    "Siobhan",
    "Ciarán",
    "Min-jun",
    "Ji-woo",
    "Haruto",
    "Yui",
    "Somchai",
    "Nurul",
    "Agus",
    "Dewi",
    "Bilal",
    "Olusegun",
    "Thandiwe",
    "Baraka",
    "Zanele",
    "Oğuz",
    "Zeynep",
    "Łukasz",
    "Agnieszka",
]
SURNAMES = [
    "Lacroix",
    "Phụng",
    "Hùng",
    "Dũng",
    "Mensah",
    "Diallo",
    "Okafor",
    "Haddad",
    "Rahman",
    "Sharma",
    "Fernández",
    "García",
    "Silva",
    "Lindqvist",
    "Virtanen",
    "O'Brien",
    "Kim",
    "Park",
    "Tanaka",
    "Suzuki",
    "Chaiyaporn",
    "Santoso",
    "Wijaya",
    "Yilmaz",
    "Kowalski",
    "Mwangi",
    "Banda",
    "Phiri",
    "Nkosi",
    "Khan",
    "Tshering",
    "Dorji",
    "Bekov",
]
SYLLABLES = [
    "ba",
    "ko",
    "ri",
    "ta",
    "na",
    "ma",
    "lo",
    "vi",
    "se",
    "du",
    "ga",
    "he",
    "ya",
    "zu",
    "ne",
    "po",
    "ra",
    "ki",
    "mo",
    "sa",
    "te",
    "lu",
    "fa",
    "di",
    "wo",
    "che",
    "sha",
    "tho",
    "ngu",
    "pha",
    "bi",
    "ro",
    "ka",
    "mi",
    "de",
    "su",
    "ja",
    "le",
    "to",
    "ve",
    "ni",
    "ho",
]
RANKS = ["Maj. Gen.", "Lt. Gen.", "Sen. Lt. Gen.", "Brig. Gen.", "Col.", "Lt. Col.", "Major", "Capt."]
TITLES = [
    "Director of the {org}",
    "Deputy Minister of National Defence",
    "Force Commander of {acr}",
    "Head of Mission of {acr}",
    "Chief of Staff of the {country} Army",
    "Under-Secretary-General for Peace Operations",
    "Military Adviser for Peacekeeping Operations",
    "Special Representative of the Secretary-General for {place}",
]
VERBS = [
    ("visited", "visit"),
    ("inspected", "inspect"),
    ("received", "receive"),
    ("welcomed", "welcome"),
    ("hosted", "host"),
    ("met", "meet"),
]
PERSONNEL = [
    "officers and soldiers",
    "personnel",
    "peacekeepers",
    "military observers",
    "staff officers",
    "medical staff",
    "engineers",
    "police officers",
]
ITEMS = [
    "patrols",
    "kilometres of road",
    "patients",
    "wells",
    "classrooms",
    "explosive devices",
    "bridges",
    "water points",
    "training courses",
]
QUALS = [
    ("more than", "more_than"),
    ("over", "over"),
    ("nearly", "nearly"),
    ("about", "about"),
    ("at least", "at_least"),
    ("up to", "up_to"),
    ("approximately", "approximately"),
    ("", "exact"),
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
FILLER_BRITISH = [
    "The two sides also discussed training cooperation and the organisation of international courses at the peacekeeping training centre.",
    "Both delegations agreed to strengthen the defence programme and to share experience in mechanised operations.",
    "The officials praised the professionalism and the capability of the deployed forces.",
    "Participants reviewed the mission's mandate, its logistics and the protection of civilians.",
    "The meeting took place in a friendly and open atmosphere.",
]
FILLER_AMERICAN = [
    "The two sides also discussed training cooperation and the organization of international courses at the peacekeeping training center.",
    "Both delegations agreed to strengthen the defense program and to share experience in mechanized operations.",
    "The officials praised the professionalism and the capability of the deployed forces.",
    "Participants reviewed the mission's mandate, its logistics and the protection of civilians.",
    "The meeting took place in a friendly and open atmosphere.",
]


# ---------------------------------------------------------------------------- builder
def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    s = start
    while s > 0:
        ch = text[s - 1]
        if ch == "\n" or (ch == " " and s >= 2 and text[s - 2] in ".!?"):
            break
        s -= 1
    e = end
    while e < len(text):
        ch = text[e]
        if ch == "\n":
            break
        e += 1
        if ch in ".!?" and (e >= len(text) or text[e] in " \n"):
            break
    return s, e


def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text))


class KBBuilder:
    """Assemble a small knowledge base by hand: articles, entities, mentions and facts.

    Offsets are found from substrings, so tests read like the articles they describe::

        b = KBBuilder()
        a = b.article("2024-03-02-x", "2024-03-02", "Maj. Gen. An visited ...")
        b.entity("person/an", "An", "person", aliases=["General An"])   # mentions found
        b.fact(a, "date", "on Friday", value="2024-03-01", precision="day")
        kb = b.build()
    """

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.entities: dict[str, Entity] = {}
        self.facts: list[Fact] = []

    def article(self, aid: str, published: str | None, text: str, title: str | None = None) -> str:
        pub = date.fromisoformat(published) if published else None
        first = text.split("\n", 1)[0]
        self.articles.append(Article(aid, f"{aid}.txt", text, pub, title or first[:80], _paragraphs(text)))
        return aid

    def _text(self, aid: str) -> str:
        for a in self.articles:
            if a.id == aid:
                return a.text
        raise KeyError(aid)

    def entity(self, eid: str, name: str, etype: str, aliases: list[str] | tuple = (), mentions: bool = True) -> Entity:
        e = Entity(eid, name, etype, list(aliases))
        self.entities[eid] = e
        if mentions:
            for a in self.articles:
                taken: list[tuple[int, int]] = []
                for form in sorted({name, *aliases}, key=len, reverse=True):
                    for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", a.text):
                        if any(m.start() < te and ts < m.end() for ts, te in taken):
                            continue
                        taken.append((m.start(), m.end()))
                        e.mentions.append(Mention(a.id, m.start(), m.end(), m.group(), eid))
            e.mentions.sort(key=lambda m: (m.article, m.start))
        return e

    def fact(self, aid: str, kind: str, text: str, occurrence: int = 0, **kw) -> Fact:
        body = self._text(aid)
        start = -1
        for _ in range(occurrence + 1):
            start = body.index(text, start + 1)
        end = start + len(text)
        sentence = kw.pop("sentence", None) or _sentence_span(body, start, end)
        fid = kw.pop("id", None) or f"f-{len(self.facts) + 1:04d}"
        f = Fact(fid, kind, aid, start, end, text, tuple(sentence), **kw)
        self.facts.append(f)
        return f

    def build(self) -> KnowledgeBase:
        return KnowledgeBase(
            articles=list(self.articles), entities=list(self.entities.values()), facts=list(self.facts)
        )


# ---------------------------------------------------------------------------- generator
@dataclass(slots=True)
class _Ent:
    id: str
    name: str
    type: str
    aliases: list[str]


class _Doc:
    """One article being written: text pieces with offsets, mentions and facts."""

    __slots__ = ("facts", "mentions", "parts", "pending", "pos", "sent_start")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.mentions: list[tuple[int, int, str, _Ent]] = []
        self.facts: list[list] = []  # [kind, start, end, sentence_start, info]
        self.sent_start = 0
        self.pending: list[list] = []

    def w(self, s: str) -> int:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return start

    def ent(self, e: _Ent, surface: str | None = None) -> int:
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


class _World:
    """Entities of the synthetic world, created once per seed and size."""

    def __init__(self, rng: random.Random, n_articles: int) -> None:
        self.ents: dict[str, _Ent] = {}
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
        self.people: list[_Ent] = []
        for i in range(n_people):
            first = FIRST[i % len(FIRST)] if i < len(FIRST) else rng.choice(FIRST)
            last = SURNAMES[i % len(SURNAMES)] if i < len(SURNAMES) else rng.choice(surnames)
            name = f"{first} {last}"
            if any(p.name == name for p in self.people[-50:]):
                name = f"{first} {rng.choice(surnames)}"
            self.people.append(self._e("person", name, [last]))
        self.places = [self._e("location", p, []) for p in places[: max(40, len(places))]]

    def _e(self, etype: str, name: str, aliases: list[str]) -> _Ent:
        eid = f"{etype}/{slug(name)}"
        e = self.ents.get(eid)
        if e is None:
            e = self.ents[eid] = _Ent(eid, name, etype, list(aliases))
        return e


def _resolve_weekday(pub: date, weekday: int) -> date:
    delta = (pub.weekday() - weekday) % 7 or 7
    return pub - timedelta(days=delta)


def _article(rng: random.Random, world: _World, pub: date, british: bool) -> _Doc:
    doc = _Doc()
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


def _articles(n: int, seed: int):
    rng = random.Random(seed)
    world = _World(rng, n)
    start = date(2005, 1, 1).toordinal()
    span = date(2025, 12, 31).toordinal() - start
    for i in range(n):
        pub = date.fromordinal(start + rng.randrange(span))
        doc = _article(rng, world, pub, british=rng.random() < 0.6)
        yield i, pub, doc, world


def _article_id(i: int, pub: date, doc: _Doc) -> str:
    return f"{pub.isoformat()}-synthetic-{i:07d}"


def write_corpus(folder: str | Path, n_articles: int, seed: int = 7) -> list[Path]:
    """Write ``n_articles`` contract-format article files into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, pub, doc, _ in _articles(n_articles, seed):
        p = folder / f"{_article_id(i, pub, doc)}.txt"
        p.write_text(f"date {pub.isoformat()} {doc.text}\n", encoding="utf-8")
        out.append(p)
    return out


def synthetic_kb(n_facts: int, seed: int = 7) -> KnowledgeBase:
    """A knowledge base of about ``n_facts`` facts built directly (no extraction)."""
    per_article = 15
    n_articles = max(1, -(-n_facts // per_article))
    intern = sys.intern
    shared: dict[int, int] = {}
    num = shared.setdefault  # one int object per value: offsets repeat from article to article
    # Equal values are one object: a million facts at a few hundred bytes each is most of
    # this knowledge base's memory, and most of their texts, values, summaries, sentence
    # spans and entity lists repeat (nothing mutates them).
    same: dict = {}
    one = same.setdefault
    ent_lists: dict[tuple[str, ...], list[str]] = {}
    articles: list[Article] = []
    facts: list[Fact] = []
    mentions: dict[str, list[Mention]] = {}
    world = None
    fid = 0
    for i, pub, doc, world in _articles(n_articles, seed):  # noqa: B007 - the last world is used below
        text = doc.text
        aid = intern(_article_id(i, pub, doc))
        title = text[: text.find(" - ")] if " - " in text[:80] else text[:60]
        paragraphs = tuple(one(p, (num(p[0], p[0]), num(p[1], p[1]))) for p in _paragraphs(text))
        articles.append(Article(aid, f"{aid}.txt", text, pub, title, paragraphs))
        for s, e, surface, ent in doc.mentions:
            mentions.setdefault(ent.id, []).append(Mention(aid, num(s, s), num(e, e), intern(surface), ent.id))
        for kind, s, e, info, sent in doc.facts:
            if len(facts) >= n_facts:
                break
            fid += 1
            sent = one(sent, (num(sent[0], sent[0]), num(sent[1], sent[1])))
            value = info.get("value")
            if value.__class__ is int:
                value = num(value, value)
            elif value.__class__ is str:
                value = one(value, value)
            summary = info.get("summary")
            if summary is not None:
                summary = one(summary, summary)
            span = text[s:e]
            ents = tuple(info.get("entities", ()))
            facts.append(
                Fact(
                    f"f-{fid:07d}",
                    kind,
                    aid,
                    num(s, s),
                    num(e, e),
                    one(span, span),
                    sent,
                    value=value,
                    qualifier=info.get("qualifier"),
                    unit=info.get("unit"),
                    precision=info.get("precision"),
                    entities=ent_lists.get(ents) or ent_lists.setdefault(ents, list(ents)),
                    summary=summary,
                    detail=info.get("detail"),
                )
            )
    del same, one
    entities = []
    if world is not None:
        for ent in world.ents.values():
            ms = mentions.get(ent.id)
            if ms:
                entities.append(Entity(ent.id, ent.name, ent.type, list(ent.aliases), ms))
    return KnowledgeBase(articles=articles, entities=entities, facts=facts)
