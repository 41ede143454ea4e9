"""Every mention and fact says why it was found: the rule, list or cue that produced it.

The reason travels with the fact through the extraction cache, the cross-article merge and the
export, so a user (and we) can explain every hit and every error.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pktui.commands.export import export_document
from pktui.extract import extract_article
from pktui.knowledge.cache import decode_extraction, encode_extraction
from pktui.knowledge.loader import load_knowledge
from pktui.model import Article

HERE = Path(__file__).parent / "articles"


def extract(text: str, published: date | None = date(2022, 11, 27)):
    return extract_article(Article("a", "a.txt", text, published, "t"))


def why_of_mention(ex, text: str) -> str:
    for m in ex.mentions:
        if m.text == text:
            return m.why or ""
    raise AssertionError(f"no mention {text!r} in {[m.text for m in ex.mentions]}")


def why_of_fact(ex, kind: str, text: str) -> str:
    for f in ex.facts:
        if f.kind == kind and f.text == text:
            return f.why or ""
    raise AssertionError(f"no {kind} {text!r} in {[(f.kind, f.text) for f in ex.facts]}")


def test_every_mention_and_fact_of_the_samples_has_a_reason(sample_kb):
    for ent in sample_kb.entities:
        for m in ent.mentions:
            assert m.why, (ent.id, m)
    for f in sample_kb.facts:
        assert f.why, f


def test_every_mention_and_fact_of_the_test_articles_has_a_reason():
    kb = load_knowledge([HERE], use_cache=False)
    assert all(m.why for e in kb.entities for m in e.mentions)
    assert all(f.why for f in kb.facts)


@pytest.mark.parametrize(
    ("text", "mention", "reason"),
    [
        ("Troops of UNMISS patrolled the town.", "UNMISS", "gazetteer: missions"),
        (
            "The Kilimanjaro Mechanised Battalion left on Monday.",
            "Kilimanjaro Mechanised Battalion",
            "head word: Battalion",
        ),
        ("The visit was led by Col. Amara Diallo of the army.", "Amara Diallo", "rank before name"),
        (
            "The Regional Logistics Coordination Office (RLCO) opened. Later the RLCO closed.",
            "RLCO",
            "acronym defined in brackets for Regional Logistics Coordination Office",
        ),
    ],
)
def test_mentions_name_their_rule(text, mention, reason):
    assert why_of_mention(extract(text), mention) == reason


def test_a_short_reference_names_the_full_name():
    ex = extract("Col. Amara Diallo arrived in Juba. Diallo said the roads were closed.")
    assert why_of_mention(ex, "Diallo") == "short reference to Amara Diallo"


def test_facts_name_their_rule_and_resolution():
    ex = extract("The force sent more than 300 engineers to Malakal, the ministry said on Saturday.")
    assert why_of_fact(ex, "quantity", "more than 300 engineers") == (
        "number + counted noun: engineers → personnel; qualifier: more than"
    )
    # 2022-11-27 is a Sunday: "said on Saturday" is the day before
    assert why_of_fact(ex, "date", "on Saturday") == "weekday, past tense → 2022-11-26"


def test_the_reason_survives_the_cache():
    text = "Troops of UNMISS arrived in Bor on Friday. Col. Amara Diallo led 40 officers."
    ex = extract(text)
    back = decode_extraction(encode_extraction(ex), Article("a", "a.txt", text, date(2022, 11, 27), "t"))
    assert [m.why for m in back.mentions] == [m.why for m in ex.mentions]
    assert [f.why for f in back.facts] == [f.why for f in ex.facts]


def test_the_reason_is_exported_on_every_mention_and_fact(sample_kb):
    doc = json.loads(json.dumps(export_document(sample_kb)))
    mentions = [m for e in doc["entities"] for m in e["mentions"]]
    assert mentions and all(m["why"] for m in mentions)
    assert doc["facts"] and all(f["why"] for f in doc["facts"])
    gazetteer = [m for m in mentions if m["text"] == "UNISFA"]
    assert gazetteer and all(m["why"] for m in gazetteer)


def test_the_reason_is_the_same_from_the_cache_as_from_extraction(tmp_path):
    first = load_knowledge([HERE], use_cache=True)
    again = load_knowledge([HERE], use_cache=True)  # every article from the cache now
    assert [f.why for f in again.facts] == [f.why for f in first.facts]
    whys = sorted((m.article, m.start, m.why) for e in first.entities for m in e.mentions)
    assert sorted((m.article, m.start, m.why) for e in again.entities for m in e.mentions) == whys
