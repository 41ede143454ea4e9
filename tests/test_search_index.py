"""Search engine: ranking rules, matching, filters, match spans, suggestions, robustness."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pktui.bench.kbbuilder import KBBuilder
from pktui.search import Hit, SearchIndex, parse_query
from pktui.text import fold

A1 = "2024-03-02-rwanda-receives-unisfa-delegation"
A2 = "2021-06-10-bangladesh-sixth-hospital"
A3 = "2019-09-30-kenyan-engineers-unmiss"
A4 = "undated-ghana-abyei"


def build_small_kb():
    b = KBBuilder()
    b.article(
        A1,
        "2024-03-02",
        "KIGALI, March 2 - Maj. Gen. Đặng Văn Toàn, Commander of the Rwanda Peacekeeping Training "
        "Centre, on Friday received a delegation from the UN Interim Security Force for Abyei.\n\n"
        "Rwanda has deployed more than 1,250 officers and soldiers to UNISFA since 2019, Toàn said. "
        "The mechanised infantry battalion will rotate in June 2024.",
    )
    b.article(
        A2,
        "2021-06-10",
        "DHAKA, June 10 - Bangladesh sent its sixth Level-2 Field Hospital to South Sudan in May 2021, "
        "with 64 medical staff. Colonel Amina Rahman, Director of the Armed Forces Division, said the "
        "hospital had treated nearly 3,000 patients.\n\n"
        "The defence programme includes training at the peacekeeping centre.",
    )
    b.article(
        A3,
        "2019-09-30",
        "NAIROBI, September 30 - The UN Mission in South Sudan (UNMISS) welcomed 120 Kenyan engineers. "
        "Lt. Col. Otieno said the engineers organized road repairs near Bentiu.",
    )
    b.article(A4, None, "Peacekeepers from Ghana arrived in Abyei. The field hospital opened its doors.")
    b.entity("person/dang-van-toan", "Đặng Văn Toàn", "person", ["Toàn"])
    b.entity("mission/unisfa", "UNISFA", "mission", ["UN Interim Security Force for Abyei"])
    b.entity("mission/unmiss", "UNMISS", "mission", ["UN Mission in South Sudan"])
    b.entity("country/rwanda", "Rwanda", "country")
    b.entity("country/bangladesh", "Bangladesh", "country")
    b.entity("country/ghana", "Ghana", "country")
    b.entity("location/south-sudan", "South Sudan", "location")
    b.entity("location/abyei", "Abyei", "location")
    b.entity("unit/level-2-field-hospital", "Level-2 Field Hospital", "unit")
    b.entity("person/amina-rahman", "Amina Rahman", "person")
    b.entity("person/otieno", "Otieno", "person")
    # A1
    b.fact(
        A1,
        "role",
        "Commander of the Rwanda Peacekeeping Training Centre",
        value="Commander of the Rwanda Peacekeeping Training Centre",
        entities=["person/dang-van-toan"],
    )
    b.fact(A1, "date", "on Friday", value="2024-03-01", precision="day")
    b.fact(
        A1,
        "event",
        "on Friday received a delegation from the UN Interim Security Force for Abyei",
        value="2024-03-01",
        precision="day",
        summary="Đặng Văn Toàn received a UNISFA delegation",
        entities=["person/dang-van-toan", "mission/unisfa"],
    )
    b.fact(
        A1,
        "quantity",
        "more than 1,250 officers and soldiers",
        value=1250,
        qualifier="more_than",
        unit="personnel",
        entities=["country/rwanda", "mission/unisfa"],
    )
    b.fact(A1, "date", "since 2019", value="2019", precision="year", detail="since")
    b.fact(A1, "date", "in June 2024", value="2024-06", precision="month")
    # A2
    b.fact(A2, "date", "in May 2021", value="2021-05", precision="month")
    b.fact(
        A2,
        "event",
        "Bangladesh sent its sixth Level-2 Field Hospital to South Sudan",
        value="2021-05",
        precision="month",
        summary="Bangladesh sent a Level-2 Field Hospital to South Sudan",
        entities=["country/bangladesh", "unit/level-2-field-hospital", "location/south-sudan"],
    )
    b.fact(
        A2,
        "quantity",
        "64 medical staff",
        value=64,
        qualifier="exact",
        unit="personnel",
        entities=["country/bangladesh"],
    )
    b.fact(
        A2,
        "role",
        "Director of the Armed Forces Division",
        value="Director of the Armed Forces Division",
        entities=["person/amina-rahman"],
    )
    b.fact(
        A2,
        "quantity",
        "nearly 3,000 patients",
        value=3000,
        qualifier="nearly",
        unit="patients",
        entities=["unit/level-2-field-hospital"],
    )
    # A3
    b.fact(
        A3,
        "quantity",
        "120 Kenyan engineers",
        value=120,
        qualifier="exact",
        unit="personnel",
        entities=["mission/unmiss"],
    )
    return b.build()


@pytest.fixture(scope="module")
def kb():
    return build_small_kb()


@pytest.fixture(scope="module")
def index(kb):
    return SearchIndex.build(kb)


def top(index, query, n=1):
    return index._search(parse_query(query), n)[0]  # the engine itself, without the safety net


def entity_name(kb, hit):
    return kb.entity(hit.id).name if hit.kind == "entity" else None


def fact_text(kb, hit):
    return kb.fact(hit.id).text if hit.kind == "fact" else None


def passage_text(kb, index, hit):
    s, e = index.passage(hit)
    return kb.article(hit.article).text[s:e]


# ---------------------------------------------------------------- the API shape
def test_hit_shape(kb, index):
    hits = index.search("toan", limit=5)
    assert hits and all(isinstance(h, Hit) for h in hits)
    h = hits[0]
    assert h.kind == "entity" and h.id == "person/dang-van-toan"
    text = kb.article(h.article).text
    assert fold(text[h.start : h.end]) in ("toan", "dang van toan")
    assert "\n" not in h.label and h.label
    assert isinstance(h.score, float)


def test_matches_are_sorted_non_overlapping_offsets_into_the_article(kb, index):
    for q in ("unisfa officers", "dang van toan", "level 2 hospital", "1250", "mechanized", "bangla"):
        for h in index.search(q, limit=20):
            text = kb.article(h.article).text
            last = -1
            for s, e in h.matches:
                assert 0 <= s < e <= len(text)
                assert s >= last
                last = e


def test_match_spans_mark_the_words(kb, index):
    h = top(index, "dang van toan")[0]
    text = kb.article(h.article).text
    marked = {fold(text[s:e]) for s, e in h.matches}
    assert {"dang", "van", "toan"} <= marked or "dang van toan" in marked


def test_prefix_marks_only_the_typed_part(kb, index):
    h = top(index, "bangla")[0]
    text = kb.article(h.article).text
    assert any(text[s:e] == "Bangla" for s, e in h.matches)


# ---------------------------------------------------------------- matching
@pytest.mark.parametrize(
    "query, expect",
    [
        ("dang van toan", "Đặng Văn Toàn"),  # no diacritics, đ
        ("Đặng Văn Toàn", "Đặng Văn Toàn"),
        ("DANG-VAN-TOAN", "Đặng Văn Toàn"),  # case and hyphens
        ("toan", "Đặng Văn Toàn"),
        ("unisfa", "UNISFA"),
        ("unsifa", "UNISFA"),  # transposition typo
        ("UN Interim Security Force for Abyei", "UNISFA"),  # full name -> acronym entity
        ("un interim security", "UNISFA"),
        ("unmis", "UNMISS"),  # prefix while typing
        ("bangldesh", "Bangladesh"),  # deletion typo
        ("level2", "Level-2 Field Hospital"),  # joined compound
        ("level 2 field hospital", "Level-2 Field Hospital"),
        ("south sudan", "South Sudan"),
        ("southsudan", "South Sudan"),  # written as one word
    ],
)
def test_finds_entity_first(kb, index, query, expect):
    hits = top(index, query, 3)
    assert hits, query
    assert entity_name(kb, hits[0]) == expect, [h.label for h in hits]


def test_acronym_finds_facts_written_with_the_full_name(kb, index):
    hits = top(index, "unisfa delegation", 3)
    assert fact_text(kb, hits[0]).startswith("on Friday received a delegation")


def test_full_name_finds_facts_written_with_the_acronym(kb, index):
    hits = top(index, "interim security force officers", 3)
    assert fact_text(kb, hits[0]) == "more than 1,250 officers and soldiers"


@pytest.mark.parametrize("query", ["1250", "1,250", "1250 officers", "more than 1250"])
def test_numbers_as_typed(kb, index, query):
    assert fact_text(kb, top(index, query)[0]) == "more than 1,250 officers and soldiers"


@pytest.mark.parametrize(
    "query, needle",
    [
        ("mechanized infantry", "mechanised infantry"),
        ("defense program", "defence programme"),
        ("includes training center", "peacekeeping centre"),
        ("organised road repairs", "organized road repairs"),
    ],
)
def test_british_and_american_spellings(kb, index, query, needle):
    hits = top(index, query, 3)
    assert hits and needle in passage_text(kb, index, hits[0])


def test_word_order_does_not_matter(kb, index):
    assert top(index, "officers rwanda")[0].id == top(index, "rwanda officers")[0].id


def test_viet_nam_either_way():
    b = KBBuilder()
    b.article("a", "2020-01-01", "Việt Nam sent 10 officers. Vietnam sent 20 engineers.")
    b.entity("country/viet-nam", "Việt Nam", "country", ["Vietnam"])
    b.fact("a", "quantity", "10 officers", value=10, entities=[])
    b.fact("a", "quantity", "20 engineers", value=20, entities=[])
    idx = SearchIndex.build(b.build())
    for q in ("viet nam officers", "vietnam officers", "viet nam engineers", "vietnam engineers"):
        hits = top(idx, q, 3)
        assert hits[0].kind == "fact" and hits[0].id in ("f-0001", "f-0002"), q
    assert top(idx, "vietnam officers")[0].id == "f-0001"
    assert top(idx, "viet nam engineers")[0].id == "f-0002"


# ---------------------------------------------------------------- ranking rules
def test_all_words_beat_some_words(kb, index):
    hits = top(index, "rwanda officers", 5)
    assert fact_text(kb, hits[0]) == "more than 1,250 officers and soldiers"
    # the entity Rwanda matches one word only: it comes after
    names = [entity_name(kb, h) for h in hits]
    assert "Rwanda" not in names[:1]


def _tiny(texts):
    b = KBBuilder()
    for i, (date, text) in enumerate(texts):
        b.article(f"a{i}", date, text)
    return b


def test_exact_beats_prefix_beats_typo():
    b = _tiny(
        [("2020-01-01", "The patrol left."), ("2021-01-01", "The patrols left."), ("2022-01-01", "The petrol left.")]
    )
    idx = SearchIndex.build(b.build())
    hits = top(idx, "patrol ", 3)  # complete word: exact first, though older
    texts = [passage_text(b.build(), idx, h) for h in hits]
    assert texts[0] == "The patrol left."
    hits = top(idx, "patro", 3)  # being typed: prefix matches
    assert {passage_text(b.build(), idx, h) for h in hits[:2]} == {"The patrol left.", "The patrols left."}


def test_typo_ranks_below_exact():
    b = _tiny([("2020-01-01", "The hospital opened."), ("2024-01-01", "The hospice opened.")])
    idx = SearchIndex.build(b.build())
    hits = top(idx, "hospitl opened", 3)
    assert passage_text(b.build(), idx, hits[0]) == "The hospital opened."


def test_fact_about_entity_beats_passing_mention():
    b = KBBuilder()
    b.article("new", "2025-01-01", "Officials in Juba praised UNMISS for its work. The mission sent 40 engineers.")
    b.article("old", "2020-01-01", "UNMISS deployed 300 engineers to Bor.")
    b.entity("mission/unmiss", "UNMISS", "mission")
    b.fact("new", "quantity", "40 engineers", value=40, entities=[])  # sentence does not name UNMISS
    b.fact("old", "quantity", "300 engineers", value=300, entities=["mission/unmiss"])
    idx = SearchIndex.build(b.build())
    hits = top(idx, "unmiss engineers", 3)
    assert hits[0].id == "f-0002"  # about UNMISS, though older


def test_entity_itself_first_when_query_is_its_name(kb, index):
    hits = top(index, "unisfa", 5)
    assert hits[0].kind == "entity"
    # then the facts about it, before passing mentions
    assert all(h.kind == "fact" for h in hits[1:3])


def test_ties_newest_first():
    b = _tiny(
        [
            ("2019-01-01", "Engineers arrived."),
            ("2023-01-01", "Engineers arrived."),
            ("2021-01-01", "Engineers arrived."),
        ]
    )
    idx = SearchIndex.build(b.build())
    hits = top(idx, "engineers arrived", 3)
    assert [h.article for h in hits] == ["a1", "a2", "a0"]


# ---------------------------------------------------------------- filters
def test_kind_filter(kb, index):
    hits = top(index, "kind:quantity", 50)
    assert hits and all(kb.fact(h.id).kind == "quantity" for h in hits)
    assert {kb.fact(h.id).value for h in hits} == {1250, 64, 3000, 120}


def test_filter_only_lists_newest_first(kb, index):
    hits = top(index, "kind:quantity", 50)
    pubs = [kb.article(h.article).published for h in hits]
    assert pubs == sorted(pubs, reverse=True)


def test_type_filter(kb, index):
    hits = top(index, "type:person", 50)
    assert hits
    for h in hits:
        if h.kind == "entity":
            assert kb.entity(h.id).type == "person"
        elif h.kind == "fact":
            assert any(kb.entity(e).type == "person" for e in kb.fact(h.id).entities)
    assert {h.id for h in hits if h.kind == "entity"} == {
        "person/dang-van-toan",
        "person/amina-rahman",
        "person/otieno",
    }


def test_entity_filter_fuzzy_and_by_alias(kb, index):
    for q in ("entity:unisfa", "entity:unsifa", 'entity:"UN Interim Security Force for Abyei"'):
        hits = top(index, q + " kind:quantity", 10)
        assert [fact_text(kb, h) for h in hits] == ["more than 1,250 officers and soldiers"], q


def test_date_filters(kb, index):
    def kinds(q):
        return {kb.fact(h.id).value for h in top(index, q, 50) if h.kind == "fact"}

    assert kinds("kind:date after:2020") == {"2024-03-01", "2024-06", "2021-05"}
    assert kinds("kind:date before:2021") == {"2019"}
    assert kinds("kind:date in:2024") == {"2024-03-01", "2024-06"}
    assert kinds("kind:date in:2024-06") == {"2024-06"}
    assert kinds("kind:date in:2024-03-01") == {"2024-03-01"}
    # no date of its own: the article's
    assert kinds("kind:quantity in:2021") == {64, 3000}


def test_undated_article_never_passes_a_date_filter(kb, index):
    assert all(h.article != A4 for h in top(index, "after:1900", 100))
    assert any(h.article == A4 for h in top(index, "hospital", 100))


def test_phrase_must_occur(kb, index):
    hits = top(index, '"field hospital"', 20)
    assert hits
    for h in hits:
        hay = [passage_text(kb, index, h), fact_text(kb, h) or "", h.label]
        if h.kind == "fact":  # a fact's words include its entities' names
            hay += [kb.entity(e).name for e in kb.fact(h.id).entities]
        assert any("field hospital" in fold(x) for x in hay)
    assert not top(index, '"hospital field"', 20)


def test_exclusion(kb, index):
    hits = top(index, "engineers", 10)
    assert any("Kenyan" in passage_text(kb, index, h) for h in hits)
    hits = top(index, "engineers -kenyan", 10)
    assert hits and not any("Kenyan" in passage_text(kb, index, h) for h in hits)


def test_unknown_filter_is_plain_words(kb, index):
    q = parse_query("colour:rwanda")
    assert [t.text for t in q.terms] == ["colour", "rwanda"]
    assert top(index, "foo:rwanda", 3)


def test_bad_filter_values(kb, index):
    assert top(index, "kind:nonsense", 10) == []
    assert top(index, "after:20", 10) == top(index, "", 10) == []  # a date still being typed is ignored
    assert top(index, "rwanda after:20", 3)


# ---------------------------------------------------------------- suggestions, robustness
def test_suggest(kb, index):
    assert index.suggest("bangldeshh") == "bangladesh"
    assert index.suggest("unsifaa kind:quantity") == "unisfa kind:quantity"
    assert index.suggest("rwanda") is None
    assert index.suggest("") is None


def test_stopwords_are_not_needed(kb, index):
    assert top(index, "the commander of the rwanda centre")[0].id == top(index, "commander rwanda centre")[0].id


def test_passages_without_facts_are_found(kb, index):
    hits = top(index, "ghana peacekeepers", 3)
    assert hits[0].kind == "passage" and hits[0].article == A4
    assert passage_text(kb, index, hits[0]) == "Peacekeepers from Ghana arrived in Abyei."


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_search_never_raises(index, text):
    for q in (text, text[: len(text) // 2]):
        hits, _ = index._search(parse_query(q), 10)  # no safety net: a bug would show here
        assert isinstance(hits, list)
        index.suggest(q)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "kind:",
                "type:",
                "entity:",
                "after:",
                "in:",
                "before:",
                '"',
                "-",
                " ",
                "é",
                "unisfa",
                "2020",
                "2020-13",
                "đ",
                ":",
                "\x1b",
                "[bold]",
                "level-2",
                "1,250",
            ]
        ),
        max_size=8,
    )
)
def test_search_never_raises_on_query_syntax(index, parts):
    q = "".join(parts)
    assert isinstance(index._search(parse_query(q), 10)[0], list)


def test_search_on_empty_kb():
    idx = SearchIndex.build(KBBuilder().build())
    assert idx.search("anything") == []
    assert idx.search("kind:quantity") == []
    assert idx.suggest("anything") is None


def test_importing_search_does_not_load_textual():
    code = "import sys, pktui.search; assert 'textual' not in sys.modules, 'textual imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_date_filters_agree_with_brute_force_over_many_days():
    """Date filters rank the distinct days in two bytes: check them across many days."""
    import random
    from datetime import date, timedelta

    rng = random.Random(5)
    b = KBBuilder()
    start = date(2001, 1, 1)
    for i in range(700):
        day = start + timedelta(days=rng.randrange(9000))
        aid = f"a{i:04d}"
        b.article(aid, day.isoformat() if i % 50 else None, f"Patrol {i} reached the river.")
        when = start + timedelta(days=rng.randrange(9000))
        b.fact(aid, "date", f"Patrol {i}", value=when.isoformat(), precision="day")
    kb = b.build()
    idx = SearchIndex.build(kb)
    facts = {f.id: date.fromisoformat(f.value) for f in kb.facts}
    for q, keep in [
        ("after:2010-06-15", lambda d: d > date(2010, 6, 15)),
        ("before:2012", lambda d: d < date(2012, 1, 1)),
        ("in:2015-03", lambda d: date(2015, 3, 1) <= d <= date(2015, 3, 31)),
        ("after:2019 before:2021", lambda d: date(2019, 12, 31) < d < date(2021, 1, 1)),
    ]:
        got = {h.id for h in top(idx, "kind:date " + q, 2000)}
        assert got == {fid for fid, d in facts.items() if keep(d)}, q


def test_every_fact_of_a_long_sentence_is_found_by_its_other_words():
    """A sentence's words are posted once per unit of at most 16 facts and copied over the
    unit at search time: with 40 facts in one sentence, each is still found by a word of
    the sentence outside its own span, and its own number ranks it first."""
    numbers = [str(100 + 7 * i) for i in range(40)]
    text = "In Juba the quartermaster counted " + ", ".join(f"{n} crates" for n in numbers) + "."
    b = KBBuilder()
    b.article("a", "2024-01-01", text)
    b.article("b", "2023-01-01", "Nothing about crates in here. The quartermaster left Juba.")
    for n in numbers:
        b.fact("a", "quantity", f"{n} crates", value=int(n), unit="crates")
    kb = b.build()
    index = SearchIndex.build(kb)
    assert index.segments[0].unit.tolist()[:40] == [i % 16 for i in range(40)]
    hits = index.search("quartermaster juba", limit=100)
    facts = [h.id for h in hits if h.kind == "fact"]
    assert sorted(facts) == sorted(f.id for f in kb.facts)
    # passage of the other article found too, facts of "a" are not found by a word they lack
    assert any(h.kind == "passage" and h.article == "b" for h in hits)
    assert not [h for h in index.search("left", limit=100) if h.kind == "fact"]
    for n in (numbers[0], numbers[17], numbers[39]):
        top = index.search(f"{n} crates", limit=3)[0]
        assert top.kind == "fact" and kb.fact(top.id).value == int(n)


def test_a_fact_about_a_word_beats_its_neighbour_in_the_same_sentence():
    b = KBBuilder()
    b.article("a", "2024-01-01", "The battalion of 850 soldiers arrived in Wau on 3 May with 40 trucks.")
    b.fact("a", "quantity", "850 soldiers", value=850, unit="personnel")
    b.fact("a", "quantity", "40 trucks", value=40, unit="vehicles")
    index = SearchIndex.build(b.build())
    assert index.search("trucks", limit=1)[0].label.startswith("quantity: 40 trucks")
    assert index.search("soldiers", limit=1)[0].label.startswith("quantity: 850 soldiers")
    assert {h.label.split(" =")[0] for h in index.search("wau", limit=5) if h.kind == "fact"} == {
        "quantity: 850 soldiers",
        "quantity: 40 trucks",
    }


# ---------------------------------------------------------------- names holding a stopword
def _with_minh_ducs(kb):
    """``kb`` with Đỗ Minh Đức (in an old article, with a fact about him) and twelve newer
    people called "X Minh Đức", each also known as "Minh Đức"."""
    from datetime import date

    from pktui.knowledge.base import KnowledgeBase
    from pktui.model import Article, Entity, Fact, Mention

    def person(eid, name, aliases, aid, day, text):
        at = text.index(name)
        article = Article(aid, f"{aid}.txt", text, day, text[:20])
        return article, Entity(eid, name, "person", aliases, [Mention(aid, at, at + len(name), name, eid)])

    text = "HÀ NỘI - Colonel Đỗ Minh Đức, Director of the Peacekeeping Department, met Lê Minh Kaso and Phạm Đức Rito."
    art, duc = person("person/do-minh-duc", "Đỗ Minh Đức", [], "2012-01-01-duc", date(2012, 1, 1), text)
    role = "Director of the Peacekeeping Department"
    at = text.index(role)
    fact = Fact("f-duc", "role", art.id, at, at + len(role), role, (0, len(text)), value=role, entities=[duc.id])
    arts, ents = [art], [duc]
    for k, family in enumerate(["Lê", "Võ", "Hồ", "Vũ", "Lý", "Tạ", "Mai", "Hà", "Hứa", "Kha", "Bùi", "Tô"]):
        name = f"{family} Minh Đức"
        a, e = person(f"person/{k}-minh-duc", name, ["Minh Đức"], f"2020-02-{k + 1:02d}", date(2020, 2, k + 1),
                      f"HÀ NỘI - Major {name} led the engineers.")  # fmt: skip
        arts.append(a)
        ents.append(e)
    return KnowledgeBase([*kb.articles, *arts], [*kb.entities, *ents], [*kb.facts, fact])


def test_a_name_word_that_is_a_stopword_counts_when_the_query_is_the_name():
    """``do minh duc`` among 100,000 synthetic facts and many newer "Minh Đức": the stopword
    "do" (Đỗ) makes Đỗ Minh Đức match every word of the query, and the fact about him next."""
    from pktui.bench.synthetic import synthetic_kb

    index = SearchIndex.build(_with_minh_ducs(synthetic_kb(100_000)))
    for q in ("do minh duc", "do minh duc ", "Đỗ Minh Đức", "do minh du"):
        assert [h.id for h in index.search(q, 2)] == ["person/do-minh-duc", "f-duc"], q
    # without the stopword, the newest "Minh Đức" comes first, as before
    assert index.search("minh duc ", 1)[0].id != "person/do-minh-duc"


def test_a_name_made_of_stopwords_is_found():
    b = KBBuilder()
    b.article("a", "2024-01-01", "Colonel Tô An met the engineers. The annual report is out.")
    b.entity("person/to-an", "Tô An", "person")
    index = SearchIndex.build(b.build())
    for q in ("to an", "to an ", "Tô An"):
        assert index.search(q, 1)[0].id == "person/to-an", q
    assert not index.search("to ", 5)  # one stopword is still no query
    assert top(index, "the annual report")[0].kind == "passage"
