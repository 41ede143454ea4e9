"""Figures over time: series of the bundled articles, derived points, conflicts, CLI."""

from __future__ import annotations

import json

import pytest

from pktui.knowledge.figures import interval
from pktui.knowledge.loader import load_knowledge
from tests.conftest import write_article
from tests.test_cli import pktui


def series(kb, subject, measure):
    for s in kb.series:
        if s.subject == subject and s.measure == measure:
            return [(p.date, p.value, p.qualifier, p.derived) for p in s.points], s
    raise AssertionError(f"no series {measure} for {subject}: {[(s.subject, s.measure) for s in kb.series]}")


def test_how_vietnam_contribution_grew(sample_kb):
    vn = "country/viet-nam"
    pts, _ = series(sample_kb, vn, "personnel")
    assert pts == [
        ("2022-11-27", 500, "more_than", False),
        ("2022-11-27", 512, "exact", False),
        ("2025-06-14", 1100, "nearly", False),
    ]
    assert series(sample_kb, vn, "hospital")[0] == [
        ("2022-11-27", 4, "exact", False),
        ("2025-06-14", 6, "exact", False),
    ]
    assert series(sample_kb, vn, "unit")[0] == [("2022-11-27", 1, "exact", True), ("2025-06-14", 3, "exact", False)]
    share, s = series(sample_kb, vn, "women share")
    assert share == [("2022-11-27", 13.7, "more_than", True), ("2025-06-14", 16, "over", False)]
    assert s.unit == "%"


def test_every_point_cites_its_passage(sample_kb):
    for s in sample_kb.series:
        for p in s.points:
            fact = sample_kb.fact(p.fact)
            assert fact is not None and fact.kind in ("quantity", "ordinal")
            article = sample_kb.article(fact.article)
            assert article.text[fact.start : fact.end] == fact.text
    _share, s = series(sample_kb, "country/viet-nam", "women share")
    derived = s.points[0]
    texts = [sample_kb.fact(f).text for f in derived.sources]
    assert texts == ["more than 70 are women", "512 Vietnamese officers and soldiers"]


def test_parts_are_not_mixed_with_totals(sample_kb):
    assert series(sample_kb, "country/viet-nam", "personnel @ UNISFA")[0] == [("2022-11-27", 184, "exact", False)]
    assert series(sample_kb, "country/viet-nam", "medical personnel")[0] == [("2022-11-27", 252, "exact", False)]
    # targets ("targeting a rate of over 20%") are goals, not figures
    assert all(p.value not in (20, 15) for s in sample_kb.series for p in s.points)


def test_conflicting_sources_are_flagged(tmp_path):
    write_article(tmp_path, "a.txt", "Ghana has sent more than 800 peacekeepers to UN missions.", date="2024-05-01")
    write_article(tmp_path, "b.txt", "Ghana has sent nearly 600 peacekeepers to UN missions.", date="2024-05-01")
    write_article(tmp_path, "c.txt", "Ghana has sent about 900 peacekeepers to UN missions.", date="2024-06-01")
    kb = load_knowledge([tmp_path], use_cache=False)
    pts = {(p.date, p.value): p.conflict for p in next(s for s in kb.series if s.subject == "country/ghana").points}
    assert pts == {("2024-05-01", 600): True, ("2024-05-01", 800): True, ("2024-06-01", 900): False}


@pytest.mark.parametrize(
    "a,b,compatible",
    [
        ((500, "more_than"), (512, "exact"), True),
        ((500, "more_than"), (500, "exact"), False),
        ((1100, "nearly"), (1050, "exact"), True),
        ((1100, "nearly"), (1200, "exact"), False),
        ((16, "over"), (20, "up_to"), True),
    ],
)
def test_qualifiers_define_what_agrees(a, b, compatible):
    from pktui.knowledge.figures import _compatible
    from pktui.model import SeriesPoint

    pa, pb = SeriesPoint("d", a[0], a[1], None), SeriesPoint("d", b[0], b[1], None)
    assert _compatible(pa, pb) is compatible
    assert interval(500, "more_than")[0] == 500


def test_export_and_figures_command():
    r = pktui("export", "--format", "json")
    doc = json.loads(r.stdout)
    s = next(s for s in doc["series"] if s["subject"] == "country/viet-nam" and s["measure"] == "hospital")
    assert s["unit"] == "hospital"
    assert [(p["date"], p["value"], p["qualifier"], p["derived"]) for p in s["points"]] == [
        ("2022-11-27", 4.0, "exact", False),
        ("2025-06-14", 6.0, "exact", False),
    ]
    assert all(p["fact"].startswith("f-") for p in s["points"])
    r = pktui("figures")
    assert r.returncode == 0
    line = next(ln for ln in r.stdout.splitlines() if " hospital " in ln)
    assert "2022-11-27 4" in line and "2025-06-14 6" in line
