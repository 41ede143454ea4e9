"""Article metadata in the browser (source, author, URL), the citation, the load summary and
the "why" key."""

from __future__ import annotations

import dataclasses

from pktui.model import LoadProblem, LoadSummary
from tests.test_tui_support import A, B, demo_app, demo_kb, ready, settle

LONG_TITLE = "Deputy defence minister receives the UN Under-Secretary-General " + "and a very long tail " * 8
META = {
    A: dict(source="Nhân Dân", author="Minh Anh", url="https://example.org/news/lacroix-visit"),
    B: dict(source="QĐND", url="https://example.org/news/chien-lacroix", title=LONG_TITLE),
}


def meta_kb(**kwargs):
    kb = demo_kb(**kwargs)
    kb.articles = [dataclasses.replace(a, **META.get(a.id, {})) for a in kb.articles]
    kb.facts[0].why = "past-tense verb after a person"  # f-visit
    for m in kb.entities[0].mentions:  # Jean-Pierre Lacroix
        m.why = "gazetteer: people"
    kb.reindex()
    return kb


def last_note(app):
    return list(app._notifications)[-1]


def render(app, selector: str) -> str:
    return str(app.browser.query_one(selector).render())


async def test_source_beside_the_date_and_in_the_header_and_results():
    app = demo_app(meta_kb())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        rows = app.browser.query_one("#articles").texts()
        assert rows[0].startswith("2025-06-14 · QĐND") and rows[1].startswith("2022-11-27 · Nhân Dân")
        await pilot.press("j", "enter")
        header = render(app, "#source-meta")
        assert "Nhân Dân" in header and "Minh Anh" in header and "https://example.org/news/lacroix-visit" in header
        await pilot.press("slash", *"hospitals")
        await settle(pilot)
        assert "Nhân Dân" in app.browser.query_one("#results").texts()[0]


async def test_citation_has_source_whole_title_date_and_url():
    app = demo_app(meta_kb())
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("5", "enter", "y")  # the first fact of the newest article (B)
        cite = app.clipboard
        assert cite.startswith("“") and "” — QĐND, " in cite
        assert LONG_TITLE.strip() in cite and "…" not in cite
        assert cite.endswith(", 2025-06-14, https://example.org/news/chien-lacroix")


async def test_load_summary_counts_the_same_everywhere():
    problems = [
        LoadProblem("bad/a.bin", "not UTF-8 text"),
        LoadProblem("bad/b.txt", "empty file"),
        LoadProblem("x/c.txt", "no date", skipped=False),
    ]
    kb = meta_kb(problems=problems)
    kb.summary = LoadSummary(duplicates=3, hidden=2)
    app = demo_app(kb)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        status = render(app, "#panebar")
        for words in ("2 skipped", "1 warning", "3 duplicates skipped", "2 hidden files skipped"):
            assert words in status
        rows = app.browser.query_one("#articles").texts()
        assert "Skipped files · 2" in rows and "Warnings · 1" in rows
        assert any((n.title or "").startswith("2 file(s) not loaded") for n in app._notifications)


async def test_why_key_explains_the_fact_or_mention():
    app = demo_app(meta_kb())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("j", "enter", "right_square_bracket")  # the visit, in A
        assert app.browser.shown.fact == "f-visit"
        await pilot.press("w")
        note = last_note(app)
        assert note.title == "Why it was extracted" and "past-tense verb after a person" in note.message
        await pilot.press("right_square_bracket", "w")  # "on Saturday": no reason recorded
        assert "no reason recorded" in last_note(app).message
        # a mention: Lacroix's first, reached from the entity
        await pilot.press("2", "enter")
        assert app.browser.shown.highlight is not None
        await pilot.press("4", "w")
        assert "gazetteer: people" in last_note(app).message
        assert any(b.binding.id == "why" for b in app.screen.active_bindings.values())


async def test_fact_bar_key_hints_are_never_cut():
    app = demo_app(meta_kb())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("j", "enter", "right_square_bracket", "n")
        keys = app.browser.query_one("#factbar-keys")
        text = str(keys.render())
        assert text == "[ ] facts · y cite · w why"
        assert keys.region.width >= len(text) and keys.region.right <= app.browser.query_one("#reader").region.right


def test_one_skipped_file_is_counted_in_the_singular():
    from pktui.tui.format import load_summary

    kb = meta_kb(problems=[])
    kb.summary = LoadSummary(duplicates=1, hidden=1, other_files=1)
    assert load_summary(kb) == ["1 duplicate skipped", "1 hidden file skipped", "1 other file"]
