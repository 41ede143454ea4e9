"""Stable ids: a fact keeps its id whatever else is in the corpus and in whatever order it is read."""

from __future__ import annotations

import re
import shutil

from pktui.knowledge.ids import fact_ids, text_digest
from pktui.knowledge.loader import load_knowledge
from tests.conftest import write_article

BODIES = {
    "alpha.txt": "Việt Nam sent 184 soldiers to UNISFA in 2022. On Saturday, Lt. Gen. Hoang Xuan Chien met Jean-Pierre Lacroix in Hanoi.",
    "bravo.txt": "Ghana deployed more than 700 personnel to UNMISS last year. Brigadier General Kwame Asante led them.",
    "charlie.txt": "Nepal has 5,000 peacekeepers in six missions since June 2014, the ministry said on Monday.",
    "delta.txt": "Indonesia sent nearly 1,100 troops to Lebanon in 2020. Lacroix praised them.",
}


def ids_by_article(kb) -> dict[str, list[tuple[str, int, int, str]]]:
    out: dict[str, list] = {}
    for f in kb.facts:
        out.setdefault(f.article, []).append((f.id, f.start, f.end, f.kind))
    return out


def test_a_fact_keeps_its_id_whatever_else_is_in_the_corpus_and_the_reading_order(tmp_path):
    small, big = tmp_path / "small", tmp_path / "big"
    for name in ("alpha.txt", "bravo.txt"):
        write_article(small, name, BODIES[name], date="2023-04-01")
    for name, body in BODIES.items():
        write_article(big, name, body, date="2023-04-01" if name in ("alpha.txt", "bravo.txt") else "2019-01-02")
    alone = ids_by_article(load_knowledge([small], use_cache=False))
    among = ids_by_article(load_knowledge([big], use_cache=False))
    files = sorted(big.glob("*.txt"), reverse=True)
    reversed_order = ids_by_article(load_knowledge(files, use_cache=False))
    assert alone["alpha"] and alone["bravo"]
    for aid in ("alpha", "bravo"):
        assert alone[aid] == among[aid] == reversed_order[aid]
    every = [i for facts in among.values() for i, *_ in facts]
    assert len(every) == len(set(every)) and all(re.fullmatch(r"f-[a-z2-7]{12}", i) for i in every)


def test_ids_change_with_the_text_and_differ_between_articles(tmp_path):
    write_article(tmp_path / "a", "alpha.txt", BODIES["alpha.txt"])
    before = ids_by_article(load_knowledge([tmp_path / "a"], use_cache=False))["alpha"]
    shutil.rmtree(tmp_path / "a")
    write_article(tmp_path / "a", "alpha.txt", BODIES["alpha.txt"] + " More news followed.")
    after = ids_by_article(load_knowledge([tmp_path / "a"], use_cache=False))["alpha"]
    assert [(s, e, k) for _i, s, e, k in before] == [(s, e, k) for _i, s, e, k in after][: len(before)]
    assert not {i for i, *_ in before} & {i for i, *_ in after}  # a correction on the old text is stale
    # the same spans in another article are other facts
    digest = text_digest("same text")
    assert fact_ids("a", "same text", [(0, 4, "date")]) != fact_ids("b", "same text", [(0, 4, "date")])
    assert len(set(fact_ids("a", "same text", [(0, 4, "date"), (0, 4, "date")]))) == 2
    assert digest == text_digest("same text")
