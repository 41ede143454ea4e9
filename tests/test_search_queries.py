"""The query set (tests/search_queries.yaml) against the bundled sample corpus: top-3 hit rate."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pktui.text import fold

QUERIES = Path(__file__).with_name("search_queries.yaml")
MIN_TOP3_RATE = 0.95


@pytest.fixture(scope="module")
def sample_index():
    try:
        from pktui.knowledge.loader import load_knowledge
    except ImportError as exc:  # pragma: no cover - only while the loader is being written
        pytest.skip(f"pktui.knowledge.loader is not importable yet: {exc}")
    from pktui.search import SearchIndex

    kb = load_knowledge(None, use_cache=False)
    assert kb.facts, "the bundled corpus should give facts"
    return kb, SearchIndex.build(kb)


def _folded(s: str) -> str:
    return " ".join(fold(s).split())


def _satisfies(kb, index, hit, expect: dict) -> bool:
    if "entity" in expect or "entity_type" in expect:
        if hit.kind != "entity":
            return False
        e = kb.entity(hit.id)
        if "entity" in expect and e.name != expect["entity"]:
            return False
        if "entity_type" in expect and e.type != expect["entity_type"]:
            return False
    fact = kb.fact(hit.id) if hit.kind == "fact" else None
    if "article" in expect and hit.article != expect["article"]:
        return False
    if "kind" in expect and (fact is None or fact.kind != expect["kind"]):
        return False
    if "value" in expect and (fact is None or fact.value != expect["value"]):
        return False
    if "value_startswith" in expect and (
        fact is None or not str(fact.value).startswith(str(expect["value_startswith"]))
    ):
        return False
    if "entities_include" in expect and (fact is None or expect["entities_include"] not in fact.entities):
        return False
    if "text_contains" in expect:
        text = kb.article(hit.article).text
        ps, pe = index.passage(hit)
        hay = _folded(text[ps:pe]) + " | " + _folded(text[hit.start : hit.end])
        if _folded(expect["text_contains"]) not in hay:
            return False
    return True


def test_query_set_top3(sample_index):
    kb, index = sample_index
    cases = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]
    assert len(cases) >= 40
    misses = []
    for case in cases:
        hits = index.search(case["query"], limit=3)
        if not any(_satisfies(kb, index, h, case["expect"]) for h in hits[:3]):
            got = [f"{h.kind}:{h.label[:60]}" for h in hits[:3]]
            misses.append(f"{case['query']!r}: expected {case['expect']}, got {got}")
    rate = 1 - len(misses) / len(cases)
    report = "\n".join(misses)
    print(f"top-3 hit rate {rate:.1%} ({len(cases) - len(misses)}/{len(cases)})\n{report}")
    assert rate >= MIN_TOP3_RATE, f"top-3 hit rate {rate:.1%} < {MIN_TOP3_RATE:.0%}; misses:\n{report}"
