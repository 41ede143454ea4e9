"""The browser driven by keys, over a hand-made knowledge base (test_tui_support.demo_kb)."""

from __future__ import annotations

import itertools
import threading
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Article, LoadProblem
from pktui.tui.config import Config, load_config
from pktui.tui.keymap import BY_ID
from pktui.tui.screens.figures import FiguresScreen
from pktui.tui.screens.help import HelpScreen
from pktui.tui.widgets.source import SourceView
from pktui.tui.widgets.vlist import VirtualList
from tests.test_tui_support import A, B, FakeIndex, demo_app, demo_kb, ready, settle, until

WIDE = (128, 36)
NARROW = (80, 24)


def source(app) -> SourceView:
    return app.browser.query_one(SourceView)


def highlighted(app) -> str:
    src = source(app)
    assert src.highlight is not None, "nothing highlighted"
    s, e = src.highlight
    return src.article.text[s:e]


def texts(app, list_id: str) -> list[str]:
    return app.browser.query_one(f"#{list_id}").texts()


def shown(app, widget_id: str) -> bool:
    """Is the widget on screen (laid out with a size)?"""
    w = app.browser.query_one(f"#{widget_id}")
    return w.display and all(n.display for n in w.ancestors_with_self if hasattr(n, "display")) and w.region.area > 0


async def move_to(pilot, list_id: str, text: str) -> None:
    """Press j until the highlighted row of ``list_id`` contains ``text``."""
    lst = pilot.app.browser.query_one(f"#{list_id}")
    for _ in range(60):
        if lst.highlighted is not None and text in lst.texts()[lst.highlighted]:
            return
        await pilot.press("j")
    raise AssertionError(f"{text!r} not found in #{list_id}: {lst.texts()}")


# -- start-up, articles ------------------------------------------------------------------


async def test_articles_newest_first_and_newest_open():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        rows = texts(app, "articles")
        assert rows[0].startswith("2025-06-14") and rows[1].startswith("2022-11-27")
        assert source(app).article.id == B
        lines = source(app).lines()
        assert lines[0].startswith("Sen. Lieu. Gen.") and "" in lines
        assert all(a or b for a, b in itertools.pairwise(lines))  # blank runs show as one line
        assert app.focused.id == "articles"
        await pilot.press("j", "enter")
        assert source(app).article.id == A
        assert app.focused.id == "source"
        assert "2 articles" in str(app.browser.query_one("#panebar").render())


async def test_unknown_date_is_said():
    kb = demo_kb()
    undated = Article("undated", "x/undated.txt", "No date header here.", None, "No date header here.")
    kb.articles.append(undated)
    kb.reindex()
    app = demo_app(kb)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        rows = texts(app, "articles")
        assert rows[-1].startswith("date unknown")
        await pilot.press("G", "enter")
        assert source(app).article.id == "undated"
        assert "date unknown" in str(app.browser.query_one("#source-meta").render())


# -- entities ----------------------------------------------------------------------------


async def test_entities_grouped_with_counts_and_detail_filters_timeline():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("2")
        rows = texts(app, "entities")
        assert rows[0].startswith("People")
        assert any(r.startswith("Missions") for r in rows)
        assert "UNISFA  2" in rows
        all_timeline = texts(app, "timeline")
        await move_to(pilot, "entities", "UNISFA")
        await pilot.press("enter")
        assert app.browser.entity_id == "mission/unisfa"
        detail = texts(app, "entity")
        assert detail[0].startswith("UNISFA")
        assert any("184 personnel" in r for r in detail)
        assert any("figures about UNISFA" in r for r in detail)
        filtered = texts(app, "timeline")
        assert filtered == [r for r in all_timeline if "UNISFA" in r]
        assert highlighted(app) == "UN Interim Security Force for Abyei"  # its first mention
        # n steps through its mentions, the factbar says where
        await pilot.press("n")
        assert highlighted(app) == "UNISFA"
        await pilot.press("n")
        assert highlighted(app) == "UN Interim Security Force for Abyei"
        await pilot.press("N")
        assert highlighted(app) == "UNISFA"
        # x clears the filter
        await pilot.press("x")
        assert texts(app, "timeline") == all_timeline


async def test_entity_detail_opens_a_fact_and_offers_figures():
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await move_to(pilot, "entities", "Hoàng Kim Phụng")
        await pilot.press("enter")
        assert shown(app, "entity") and not shown(app, "entities")
        await move_to(pilot, "entity", "Director of the department")
        await pilot.press("enter")
        assert shown(app, "source")
        assert highlighted(app) == "Director of the department Maj. Gen. Hoàng Kim Phụng"
        await pilot.press("6")
        await move_to(pilot, "entity", "figures about")
        await pilot.press("enter")
        assert isinstance(app.screen, FiguresScreen)
        assert "No figures about Hoàng Kim Phụng" in str(app.screen.query_one("#figures-note").render())


async def test_clicking_a_pane_in_the_pane_bar_shows_it():
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        assert not shown(app, "entities")
        bar = app.browser.query_one("#panebar")
        start = next(s for s, _e, pane in bar._hits if pane == "entities")
        await pilot.click("#panebar", offset=(start + 1, 0))
        await settle(pilot)
        assert shown(app, "entities")


# -- timeline ----------------------------------------------------------------------------


async def test_timeline_in_order_with_precision_and_publication_dates():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("3")
        rows = texts(app, "timeline")
        dates = [r.split(" ", 1)[0] for r in rows]
        assert dates == [
            "2014",
            "2014-06",
            "2018-09",
            "2021",
            "2021–2023",
            "2022",
            "2022-11-26",
            "2022-11-27",
            "2025-06-13",
            "2025-06-14",
        ]
        assert "published" in rows[7]
        await move_to(pilot, "timeline", "2018-09")
        await pilot.press("enter")
        assert source(app).article.id == A
        assert "September 2018" in highlighted(app)
        assert app.focused.id == "source"
        # its sentence is the passage, and the highlight is scrolled into view
        src = source(app)
        assert src.passage[0] <= src.highlight[0] < src.highlight[1] <= src.passage[1]
        line = src.line_of(src.highlight[0])
        assert src.scroll_offset.y <= line < src.scroll_offset.y + src.scrollable_content_region.height


async def test_publication_row_opens_article_top():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("3")
        await move_to(pilot, "timeline", "published UN Under")
        await pilot.press("enter")
        assert source(app).article.id == A and source(app).highlight is None


# -- search ------------------------------------------------------------------------------


async def test_search_opens_passage_and_steps_through_matches():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"lacroix visit")
        await settle(pilot)
        rows = texts(app, "results")
        assert rows and "Lacroix visits the VDPO" in rows[0] and "2022-11-27" in rows[0]
        await pilot.press("enter")
        assert highlighted(app) == "Jean-Pierre Lacroix on Saturday visited"
        assert app.focused.id == "source"
        src = source(app)
        matched = [src.article.text[s:e] for s, e in src.marks]
        assert matched == ["Lacroix", "visit"]
        await pilot.press("n")
        assert highlighted(app) == "Lacroix"
        await pilot.press("n")
        assert highlighted(app) == "visit"
        # Esc goes back to the results, Esc again leaves search where we were
        await pilot.press("escape")
        assert app.focused.id == "results"
        await pilot.press("escape")
        assert not app.browser.searching and app.focused.id == "articles"
        # / again keeps the query; in the query, / and the other keys are typed
        await pilot.press("slash")
        assert app.focused.id == "search-input" and app.focused.value == "lacroix visit"
        await pilot.press("end", "space", "slash", "q", "question_mark", "n", "1")
        assert app.focused.value == "lacroix visit /q?n1" and app.is_running


async def test_search_results_preview_while_moving_and_narrow_enter():
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"phung")
        await settle(pilot)
        assert shown(app, "results") and not shown(app, "source")
        first = texts(app, "results")[0]
        assert "Hoàng Kim Phụng" in first
        await pilot.press("down")
        preview = highlighted(app)
        await pilot.press("enter")
        assert shown(app, "source") and not shown(app, "results")
        assert highlighted(app) == preview


async def test_no_results_says_so_with_the_suggestion():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"lacroxi")
        await settle(pilot)
        status = str(app.browser.query_one("#results-status").render())
        assert "No results for “lacroxi”" in status and "lacroix" in status
        await pilot.press("enter")  # Enter on the suggestion searches for it
        await settle(pilot)
        assert app.focused.value == "lacroix"
        assert texts(app, "results")


async def test_a_slow_search_never_blocks_keys_and_stale_results_are_dropped():
    release = threading.Event()
    calls: list[str] = []

    class SlowIndex(FakeIndex):
        def search(self, query, limit=50):
            calls.append(query)
            if query == "l":
                release.wait(5)  # stuck until the test says so
            return super().search(query, limit)

    app = demo_app(index_builder=SlowIndex.build)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("slash", "l")
        await pilot.pause(0.1)
        assert calls == ["l"]  # running, and stuck
        await pilot.press(*"acroix")  # keys still go through while it is stuck
        await pilot.pause(0.1)
        assert app.focused.value == "lacroix"
        await app.workers.wait_for_complete([w for w in app.browser.workers if w is not None][-1:])
        await pilot.pause(0.1)
        assert app.browser.results.shown_query == "lacroix" and texts(app, "results")
        release.set()  # the stale "l" search ends now: its results must not replace these
        await pilot.pause(0.2)
        assert app.browser.results.shown_query == "lacroix"


async def test_search_unavailable_is_explained():
    def broken(kb, progress=None):
        raise ImportError("No module named 'pktui.search'")

    app = demo_app(index_builder=broken)

    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"unisfa")
        await settle(pilot)
        assert "Search unavailable" in str(app.browser.query_one("#results-status").render())
        assert "search unavailable" in str(app.browser.query_one("#panebar").render())
        assert app.browser.query_one("#results", VirtualList).texts() == [
            "The articles, entities and timeline panes still work (1, 2, 3)."
        ]


# -- facts, history, citation ------------------------------------------------------------


async def test_fact_stepping_back_forward_and_citation():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("j", "enter")  # the 2022 article
        await pilot.press("right_square_bracket")
        assert highlighted(app) == "Jean-Pierre Lacroix on Saturday visited"
        await pilot.press("right_square_bracket")
        assert highlighted(app) == "on Saturday"
        await pilot.press("left_square_bracket")
        assert highlighted(app) == "Jean-Pierre Lacroix on Saturday visited"
        facts = app.browser.query_one("#facts")
        assert facts.current.id == "f-visit"  # the facts list follows
        await pilot.press("y")
        cite = app.clipboard
        assert "UN Under-Secretary-General for Peace Operations Jean-Pierre Lacroix on Saturday visited" in cite
        assert "2022-11-27" in cite and A in cite
        # back: from a stepped fact to the opened article, then the previous article
        await pilot.press("5")
        await move_to(pilot, "facts", "more than 500")
        await pilot.press("enter")
        assert highlighted(app) == "more than 500 officers and soldiers"
        await pilot.press("backspace")
        assert source(app).article.id == A and source(app).highlight is None
        await pilot.press("backspace")
        assert source(app).article.id == B
        await pilot.press("alt+right")
        assert source(app).article.id == A
        await pilot.press("alt+right")
        assert highlighted(app) == "more than 500 officers and soldiers"


# -- panes and sizes ---------------------------------------------------------------------


async def test_narrow_shows_one_pane_at_a_time_and_tab_cycles():
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        seen = []
        for _ in range(5):
            pane = app.browser.pane
            seen.append(pane)
            widget = {
                "articles": "articles",
                "entities": "entities",
                "timeline": "timeline",
                "source": "source",
                "facts": "facts",
            }[pane]
            assert shown(app, widget)
            others = {"lists", "reader", "side"} - {{"source": "reader", "facts": "side"}.get(pane, "lists")}
            assert not any(shown(app, o) for o in others)
            await pilot.press("tab")
        assert seen == ["articles", "entities", "timeline", "source", "facts"]
        assert app.browser.pane == "articles"
        await pilot.press("shift+tab")
        assert app.browser.pane == "facts"
        # the source view uses the whole width
        await pilot.press("4")
        assert source(app).region.width >= 74


async def test_wide_shows_three_columns():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        lists, reader, side = (app.browser.query_one(f"#{i}").region for i in ("lists", "reader", "side"))
        assert lists.width and reader.width and side.width
        assert lists.right <= reader.x and reader.right <= side.x
        assert reader.width > max(lists.width, side.width)


async def test_resize_switches_layout():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        assert shown(app, "source") and shown(app, "articles")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert shown(app, "articles") and not shown(app, "source")
        await pilot.press("4")
        assert shown(app, "source")


# -- help, palette, figures --------------------------------------------------------------


async def test_help_lists_keys_and_syntax_and_closes():
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, record=True)
        console.print(app.screen.help_text())
        out = console.export_text()
        for words in (
            "type:person",
            "after:2020",
            '"field hospital"',
            "next_mark",
            "back",
            "copy_citation",
            "config.yaml",
        ):
            assert words in out
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_is_laid_out_off_the_ui_thread_once_per_width(monkeypatch):
    """Rich lays out the help's tables in 0.2 s of pure Python: in a worker, then kept."""
    from rich.table import Table

    from pktui.tui.widgets.rendered import RenderedView

    real_render, on_ui_thread = Table.__rich_console__, []

    def render(self, console, options):
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        return real_render(self, console, options)

    monkeypatch.setattr(Table, "__rich_console__", render)
    monkeypatch.setattr(HelpScreen, "laid_out", {})
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert await until(pilot, lambda: app.screen.text_drawn)
        body = app.screen.query_one("#help-body", RenderedView)
        shown = "\n".join(body.render_line(y).text for y in range(body.size.height))
        assert "Anywhere" in shown and "search" in shown
        laid_out = len(on_ui_thread)
        await pilot.press("escape", "question_mark")
        assert app.screen.text_drawn  # at once: kept from the first opening
        assert len(on_ui_thread) == laid_out
    assert on_ui_thread and not any(on_ui_thread)


async def test_command_palette_goes_to_entity_and_jumps_to_date():
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"unisfa")  # the search index answers in the palette
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.browser.entity_id == "mission/unisfa"
        assert app.browser.timeline_filter == "mission/unisfa"
        await pilot.press("ctrl+p")
        await pilot.press(*"september 2018")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert "September 2018" in highlighted(app)


async def test_figures_rows_and_enter_opens_the_fact():
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FiguresScreen)
        table = app.screen.query_one("#figures-table")
        assert table.row_count == 2
        await pilot.press("right", "enter")  # the second point of Việt Nam: nearly 1,100
        assert not isinstance(app.screen, FiguresScreen)
        assert highlighted(app) == "nearly 1,100 personnel"


async def test_figures_empty_state_explains():
    app = demo_app(demo_kb(series=False))
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        await pilot.press("f")
        note = str(app.screen.query_one("#figures-note").render())
        assert "No figures yet" in note
        await pilot.press("escape")
        assert not isinstance(app.screen, FiguresScreen)


# -- loading, empty and error states -----------------------------------------------------


async def test_window_paints_and_keys_work_while_loading():
    release = threading.Event()
    kb = demo_kb()

    def slow_loader(paths, progress=None, use_cache=True):
        progress(1, 2)
        release.wait(5)
        progress(2, 2)
        return kb

    app = demo_app(loader=slow_loader)

    async with app.run_test(size=WIDE) as pilot:
        assert await until(pilot, lambda: "reading 1/2" in str(app.browser.query_one("#panebar").render()))
        assert not app.ready
        assert "Reading the corpus" in "\n".join(source(app).lines())
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "2")
        assert app.browser.pane == "entities"
        release.set()
        await ready(pilot)
        assert source(app).article.id == B


async def test_no_articles_and_skipped_files_are_explained():
    problems = [LoadProblem("bad/binary.txt", "not UTF-8 text"), LoadProblem("bad/empty.txt", "empty file")]
    kb = KnowledgeBase(problems=problems)
    app = demo_app(kb)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        text = "\n".join(source(app).lines())
        assert "No articles to show" in text and "skipped: bad/binary.txt: not UTF-8 text" in text
        rows = texts(app, "articles")
        assert "skipped: bad/empty.txt: empty file" in rows
        assert any("2 file(s) not loaded" in (n.title or "") for n in app._notifications)


async def test_load_failure_is_shown():
    def failing(paths, progress=None, use_cache=True):
        raise RuntimeError("disk on fire")

    app = demo_app(loader=failing)

    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        assert "disk on fire" in "\n".join(source(app).lines())


# -- config and theme --------------------------------------------------------------------


async def test_config_remaps_keys_and_sets_theme(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text('theme: nord\nkeys:\n  search: "ctrl+f"\n  next_pane: "tab,ctrl+l"\n', encoding="utf-8")
    app = demo_app(config=load_config(path, known_ids=set(BY_ID)))
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        assert app.theme == "nord"
        await pilot.press("ctrl+f")
        assert app.focused.id == "search-input"
        await pilot.press("escape", "ctrl+l")
        assert app.browser.pane == "entities"


async def test_malformed_config_one_line_error_and_defaults(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("theme: nord\nkeys: [oops\n", encoding="utf-8")
    app = demo_app(config=load_config(path, known_ids=set(BY_ID)))
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and f"{path}:" in errors[0] and "\n" not in errors[0]
        await pilot.press("slash")  # defaults still work
        assert app.focused.id == "search-input"


async def test_theme_argument_overrides_config_and_unknown_theme_is_reported():
    app = demo_app(theme="textual-light", config=Config(Path("/x"), theme="nord"))
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        assert app.theme == "textual-light"
    app = demo_app(theme="no-such-theme")
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        assert any("Unknown theme" in n.message for n in app._notifications)


@pytest.mark.parametrize("size", [NARROW, WIDE])
async def test_highlight_visible_without_colour(monkeypatch, size):
    monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        assert app.no_color
        await pilot.press("j", "enter", "right_square_bracket")
        src = source(app)
        start, _end = src.highlight
        line = src.line_of(start)
        strip = src.render_line(line - src.scroll_offset.y)
        styles = [
            seg.style for seg in strip if seg.text.strip() and seg.text in "Jean-Pierre Lacroix on Saturday visited"
        ]
        assert styles and all(s.reverse and s.bold for s in styles)


def test_demo_articles_are_the_bundled_ones():
    kb = demo_kb()
    assert {a.id for a in kb.articles} == {A, B}
    assert kb.articles[0].published in (date(2022, 11, 27), date(2025, 6, 14))


async def test_typing_while_the_index_is_built_then_results_arrive():
    release = threading.Event()

    def slow_build(kb, progress=None):
        release.wait(10)
        return FakeIndex.build(kb)

    app = demo_app(index_builder=slow_build)
    async with app.run_test(size=WIDE) as pilot:
        while app.kb is None:
            await pilot.pause(0.02)
        await pilot.press("slash", *"lacroix")
        await pilot.pause(0.1)
        assert "Building the search index" in str(app.browser.query_one("#results-status").render())
        assert app.browser.query_one("#results", VirtualList).texts() == [
            "Results appear here as soon as it is ready; keep typing."
        ]
        release.set()
        await ready(pilot)
        await settle(pilot)
        assert app.focused.value == "lacroix" and texts(app, "results")


# -- results: one line a hit, a preview, honest counts ----------------------------------


async def test_results_one_line_a_hit_with_preview_and_true_counts():
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"the")
        await settle(pilot)
        pane = app.browser.query_one("#results-pane")
        lst = app.browser.query_one("#results")
        hits, total = app.index.search_counted("the", 50)
        assert total >= 10 and lst.row_count == len(hits)
        assert str(pane.border_title) == f"Results · {len(hits)} of {total}"
        assert lst.row_height == 1 and lst.size.height >= 10  # at least ten hits on screen at 80x24
        rows = texts(app, "results")
        assert all("\n" not in r for r in rows)
        assert rows[0].split()[0] in ("QTY", "DATE", "ROLE", "EVT", "TEXT", "PER", "ORG", "MISN", "CTRY", "LOC")
        assert rows[0].rstrip().endswith(app.kb.article(hits[0].article).published_iso)
        preview = app.browser.query_one("#results-preview")
        assert preview.display and preview.region.y >= lst.region.bottom  # below the list
        await pilot.press("down")
        article = app.kb.article(hits[1].article)
        assert article.published_iso in str(preview.render())
        # the header follows every keystroke
        await pilot.press(*" hospitals")
        await settle(pilot)
        hits, total = app.index.search_counted("the hospitals", 50)
        assert str(pane.border_title) == f"Results · {len(hits)} of {total}"
        await pilot.press(*"xyzzy")
        await settle(pilot)
        assert str(pane.border_title) == "Results · 0"


async def test_results_preview_is_the_source_view_when_wide():
    app = demo_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"hospitals")
        await settle(pilot)
        assert not shown(app, "results-preview") and shown(app, "source")
        hit = app.index.search("hospitals")[0]
        assert source(app).highlight == (hit.start, hit.end)  # the selected hit, previewed beside
        lists, reader = app.browser.query_one("#lists").region, app.browser.query_one("#reader").region
        assert lists.width >= 60 and reader.width >= 40


# -- figures: filter, sort, chart ---------------------------------------------------------


def many_series_kb():
    from pktui.model import Series, SeriesPoint

    kb = demo_kb()
    for i in range(300):  # hundreds of series, the last ones with many points
        points = [
            SeriesPoint(f"{2000 + k}", 100 * i + k, "about" if k % 3 else "exact", "f-184") for k in range(i % 40)
        ]
        if points:
            points[-1].conflict = True
        kb.series.append(Series(f"country/c{i:03d}", f"troops of contingent {i:03d}", "personnel", points))
    return kb


async def test_figures_filter_sort_and_chart():
    from pktui.tui.panes.figures import SeriesTable

    app = demo_app(many_series_kb())
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        await pilot.press("f")
        await settle(pilot)
        table = app.screen.query_one(SeriesTable)
        assert table.row_count == 302
        assert len(table.current.series.points) == 39  # sorted by size first
        await pilot.press(*"viet")  # typing on the table filters (folded: Việt Nam)
        await settle(pilot)
        assert table.row_count == 1 and table.current.subject == "Việt Nam"
        assert "1 of 302 series" in str(app.screen.query_one("#figures-note").render())
        await pilot.press("escape", "escape")  # back to the table, then the filter cleared
        await settle(pilot)
        assert table.row_count == 302 and isinstance(app.screen, FiguresScreen)
        await pilot.press("ctrl+s")  # by recency
        await settle(pilot)
        assert table.current.last_date == max(r.last_date for r in table.rows)
        # the chart draws the selected series; the values are never cut at 80x24
        await pilot.press(*"contingent 039")
        await settle(pilot)
        await pilot.press("down")
        assert table.current.measure.startswith("troops of contingent 039")
        chart = app.screen.query_one("#figures-chart")
        assert chart.region.height >= 8
        drawn = "".join(s.text for y in range(1, table.size.height) for s in table.render_line(y))
        assert "≈3,901" in drawn and "2001" in drawn
        for _ in range(38):
            await pilot.press("right")
        assert table.point == 38
        drawn = "".join(s.text for s in table.render_line(1))
        assert "3,938!" in drawn  # the last point: scrolled into view whole, conflict marked


async def test_an_entitys_many_mentions_are_read_off_the_ui_thread(monkeypatch):
    """Past ``QUICK_STEPS`` mentions an entity's steps are read in a worker (a country's
    hundred thousand held the screen): its detail shows at once, its first mention opens once
    they are read, ``n`` steps through them; a search hit on it has them at once (read once for
    every widget), a hit on another entity gains them in its preview when read."""
    from pktui.tui import locations
    from pktui.tui.panes import results
    from pktui.tui.screens import browser_reading

    monkeypatch.setattr(locations, "QUICK_STEPS", 0)
    gate, on_ui_thread = threading.Event(), []

    def slow_steps(kb, entity):
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        gate.wait(5)
        return locations.read_mention_steps(kb, entity)

    monkeypatch.setattr(browser_reading, "read_mention_steps", slow_steps)
    monkeypatch.setattr(results, "read_mention_steps", slow_steps)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await move_to(pilot, "entities", "UNISFA")
        await pilot.press("enter")
        assert texts(app, "entity")[0].startswith("UNISFA")  # at once, while the steps are read
        assert app.browser.shown is None or app.browser.shown.steps is None
        gate.set()
        assert await until(pilot, lambda: source(app).highlight is not None)
        assert highlighted(app) == "UN Interim Security Force for Abyei"  # its first mention, once read
        await pilot.press("n")
        assert highlighted(app) == "UNISFA"
        gate.clear()
        await pilot.press("slash", *"unisfa")
        await pilot.pause(0.3)
        hit = app.browser.query_one(results.ResultsPane).vlist.current
        assert hit is not None and hit.kind == "entity"
        assert "mentions of UNISFA" in app.browser.shown.steps.label  # read once, for every widget
        await pilot.press(*["backspace"] * 6, *"lacroix")
        await pilot.pause(0.3)
        hit = app.browser.query_one(results.ResultsPane).vlist.current
        assert hit is not None and hit.kind == "entity" and "Lacroix" in app.kb.entity(hit.id).name
        assert app.browser.shown is not None and app.browser.shown.steps is None
        gate.set()
        assert await until(pilot, lambda: app.browser.shown is not None and app.browser.shown.steps is not None)
        assert "mentions of Jean-Pierre Lacroix" in app.browser.shown.steps.label
    assert on_ui_thread and not any(on_ui_thread)


async def test_the_figures_chart_is_built_off_the_ui_thread(monkeypatch):
    """plotext builds a wide chart in 0.1-0.2 s of pure Python: never on the UI thread."""
    from textual_plotext.plot import Plot

    from pktui.tui.panes.figures import SeriesTable

    real_build, on_ui_thread = Plot.build, []

    def build(self):
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        return real_build(self)

    monkeypatch.setattr(Plot, "build", build)
    app = demo_app(many_series_kb())
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert await until(pilot, lambda: app.screen.chart_drawn)
        first = list(app.screen.query_one("#figures-chart").render().plain.splitlines())
        await pilot.press("down")
        assert await until(pilot, lambda: app.screen.chart_drawn)
        assert app.screen.query_one(SeriesTable).row == 1
        assert app.screen.query_one("#figures-chart").render().plain.splitlines() != first  # the next series
    assert len(on_ui_thread) >= 2 and not any(on_ui_thread)


async def test_the_figures_points_are_measured_off_the_ui_thread(monkeypatch):
    """The points' column is as wide as the longest of 3,000 cells, each made as Text (~90 ms):
    measured in the worker that selects the series, never on the UI thread."""
    from pktui.tui.panes import figures
    from pktui.tui.screens import figures as figures_screen

    real_width, on_ui_thread = figures.cell_width, []

    def cell_width(rows):
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        return real_width(rows)

    monkeypatch.setattr(figures, "cell_width", cell_width)
    monkeypatch.setattr(figures_screen, "cell_width", cell_width)
    app = demo_app(many_series_kb())
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("f")
        assert await until(pilot, lambda: app.screen.query_one(figures.SeriesTable).row_count > 0)
        await pilot.press(*"a")  # filtered: measured again
        assert await until(pilot, lambda: len(on_ui_thread) >= 2)
        await settle(pilot)
    assert not any(on_ui_thread)


@pytest.mark.parametrize(("key", "pane", "list_id"), [("2", "entities", "entities"), ("3", "timeline", "timeline")])
async def test_esc_and_a_key_typed_as_one_leave_the_search_then_act(key, pane, list_id):
    """A terminal sends Esc and the next key typed quickly as one alt+key: the search box
    never takes it as text (Textual read Esc 2 as Option+2: "™" in the query), it leaves the
    search and the key does what it does."""
    from textual import events

    from pktui.tui.app import read_escape_digits_as_alt
    from pktui.tui.widgets.bars import SearchInput

    read_escape_digits_as_alt()
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS

    assert f"\x1b{key}" not in ANSI_SEQUENCES_KEYS  # Esc + digit reaches the app as alt+digit
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"lac")
        await settle(pilot)
        app._driver.send_message(events.Key(f"alt+{key}", key))  # as the parser makes it
        await settle(pilot)
        await pilot.pause(0.1)
        assert app.browser.query_one(SearchInput).value == "lac"
        assert not app.browser.searching and app.browser.pane == pane
        assert app.focused is app.browser.query_one(f"#{list_id}")


@pytest.mark.parametrize("searching", [False, True])
async def test_ctrl_c_quits_as_in_any_terminal_program(searching):
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        if searching:
            await pilot.press("slash", *"lac")
        await pilot.press("ctrl+c")
        await pilot.pause(0.1)
        assert not app.is_running
