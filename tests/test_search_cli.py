"""``pktui search`` and ``pktui bench`` implementations, and the synthetic corpus."""

from __future__ import annotations

import io
import json
import re

from pktui.bench import percentile, run_bench
from pktui.bench.kbbuilder import KBBuilder
from pktui.bench.synthetic import synthetic_kb, write_corpus
from pktui.commands.search import run_search
from tests.test_search_index import A1, build_small_kb

FACT_KEYS = {"id", "kind", "article", "start", "end", "text", "value", "entities", "sentence", "score", "matches"}


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_search_plain_output_has_passage_article_and_date():
    out = io.StringIO()
    assert run_search(build_small_kb(), "rwanda officers", 5, False, out=out) == 0
    text = out.getvalue()
    assert "more than 1,250 officers and soldiers" in text
    assert A1 in text and "2024-03-02" in text
    assert "\x1b[" not in text  # piped: no escape sequences


def test_search_json_is_fact_objects_with_score_and_matches():
    kb = build_small_kb()
    out = io.StringIO()
    assert run_search(kb, "rwanda officers", 5, True, out=out) == 0
    hits = json.loads(out.getvalue())
    assert hits and set(hits[0]) >= FACT_KEYS
    h = hits[0]
    assert h["text"] == kb.article(h["article"]).text[h["start"] : h["end"]]
    assert h["value"] == 1250 and h["qualifier"] == "more_than" and h["unit"] == "personnel"
    for s, e in h["matches"]:
        assert 0 <= s < e <= len(kb.article(h["article"]).text)
    ent = json.loads(_json(kb, "toan"))[0]
    assert ent["kind"] == "entity" and ent["type"] == "person" and ent["name"] == "Đặng Văn Toàn"
    assert {"id", "article", "start", "end", "text", "score", "matches"} <= set(ent)


def _json(kb, q):
    out = io.StringIO()
    run_search(kb, q, 5, True, out=out)
    return out.getvalue()


def test_search_no_results(capsys):
    kb = build_small_kb()
    out = io.StringIO()
    assert run_search(kb, "qqqqzzzz", 5, False, out=out) == 0
    err = capsys.readouterr().err
    assert "no results" in err and out.getvalue() == ""
    run_search(kb, "bangladeshhhx", 5, False, out=io.StringIO())
    assert "did you mean 'bangladesh'" in capsys.readouterr().err
    assert json.loads(_json(kb, "qqqqzzzz")) == []


def test_untrusted_article_text_is_never_interpreted():
    b = KBBuilder()
    body = "The [bold red]convoy[/] reached \x1b[31mBor\x1b[0m with 12 trucks :warning: today."
    b.article("x", "2024-01-01", body)
    b.fact("x", "quantity", "12 trucks", value=12, unit="trucks")
    kb = b.build()
    for out in (io.StringIO(), _Tty()):
        run_search(kb, "convoy trucks", 5, False, out=out)
        text = out.getvalue()
        assert "[bold red]convoy[/]" in text  # markup printed as typed
        assert ":warning:" in text and "\u26a0" not in text
        assert "\x1b[31m" not in text and "\u241b[31m" in text  # ESC shown as a visible stand-in
    tty = _Tty()
    run_search(kb, "convoy", 5, False, out=tty)
    assert re.search(r"\x1b\[[0-9;]*7m", tty.getvalue())  # matches marked (reverse) on a terminal


def test_bench_json_on_synthetic_facts():
    out = io.StringIO()
    assert run_bench(None, None, None, True, out=out, synthetic_facts=1500) == 0
    report = json.loads(out.getvalue())
    assert set(report) == {
        "articles",
        "facts",
        "load_s",
        "index_s",
        "keystrokes",
        "p50_ms",
        "p95_ms",
        "max_ms",
        "peak_rss_mb",
    }
    assert report["facts"] == 1500 and report["keystrokes"] > 100
    assert report["p50_ms"] <= report["p95_ms"] <= report["max_ms"]


def test_bench_table_and_queries_file(tmp_path):
    qf = tmp_path / "q.txt"
    qf.write_text("unisfa\n\nlevel 2\n", encoding="utf-8")
    out = io.StringIO()
    assert run_bench(None, str(qf), None, False, out=out, synthetic_facts=300) == 0
    text = out.getvalue()
    assert "latency p95" in text and "index build" in text
    assert "2 (" in text  # two queries
    assert run_bench(None, str(tmp_path / "missing.txt"), None, True, out=io.StringIO(), synthetic_facts=300) == 1


def test_percentile():
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([], 95) == 0


def test_synthetic_kb_is_consistent_and_deterministic():
    kb = synthetic_kb(600, seed=3)
    assert len(kb.facts) == 600
    kinds = {f.kind for f in kb.facts}
    assert kinds == {"quantity", "date", "role", "event"}
    for f in kb.facts:
        text = kb.article(f.article).text
        assert text[f.start : f.end] == f.text
        assert f.sentence[0] <= f.start <= f.end <= f.sentence[1]
        assert all(kb.entity(e) is not None for e in f.entities)
    for e in kb.entities:
        for m in e.mentions:
            assert kb.article(m.article).text[m.start : m.end] == m.text
    again = synthetic_kb(600, seed=3)
    assert [f.text for f in again.facts] == [f.text for f in kb.facts]
    assert len({e.name for e in kb.entities if e.type == "person"}) > 20


def test_write_corpus_contract_format(tmp_path):
    paths = write_corpus(tmp_path, 3, seed=1)
    assert len(paths) == 3
    for p in paths:
        raw = p.read_text(encoding="utf-8")
        assert re.match(r"date \d{4}-\d{2}-\d{2} \S", raw)
        assert "\n\n" in raw
