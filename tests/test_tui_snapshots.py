"""Snapshots of the main views (pytest-textual-snapshot), over the hand-made knowledge base.

Deterministic: fixed sizes, the demo knowledge base and stand-in index (no cache, no clock),
no animation, no blinking cursor. Update with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pktui.tui.screens.figures import FiguresScreen
from pktui.tui.screens.help import HelpScreen
from tests.test_tui_support import demo_app, ready, settle, until

WIDE = (160, 45)
NARROW = (80, 24)


def run_before(*keys: str, search: bool = False):
    async def before(pilot) -> None:
        await ready(pilot)
        pilot.app.browser.query_one("#search-input").cursor_blink = False
        for key in keys:
            await pilot.press(key)
            if search:
                await settle(pilot)
        await settle(pilot)
        if isinstance(pilot.app.screen, FiguresScreen):  # its chart is drawn in a worker
            assert await until(pilot, lambda: pilot.app.screen.chart_drawn)
        if isinstance(pilot.app.screen, HelpScreen):  # its text is laid out in a worker
            assert await until(pilot, lambda: pilot.app.screen.text_drawn)

    return before


def test_overview_wide(snap_compare):
    assert snap_compare(demo_app(), terminal_size=WIDE, run_before=run_before())


def test_search_with_highlighted_passage(snap_compare):
    keys = ["slash", *"lacroix visit", "enter"]
    assert snap_compare(demo_app(), terminal_size=WIDE, run_before=run_before(*keys, search=True))


def test_results_dense_narrow(snap_compare):
    keys = ["slash", *"the", "down"]
    assert snap_compare(demo_app(), terminal_size=NARROW, run_before=run_before(*keys, search=True))


def test_entity_selected(snap_compare):
    keys = ["2", *"j" * 4, "enter"]  # from Jean-Pierre Lacroix, headings skipped: UNISFA
    assert snap_compare(demo_app(), terminal_size=WIDE, run_before=run_before(*keys))


def test_timeline_entry_open(snap_compare):
    keys = ["3", "j", "j", "enter", "3"]
    assert snap_compare(demo_app(), terminal_size=WIDE, run_before=run_before(*keys))


def test_narrow_overview(snap_compare):
    assert snap_compare(demo_app(), terminal_size=NARROW, run_before=run_before())


def test_narrow_source_with_fact(snap_compare):
    keys = ["j", "enter", "right_square_bracket", "right_square_bracket", "right_square_bracket"]
    assert snap_compare(demo_app(), terminal_size=NARROW, run_before=run_before(*keys))


def test_help(snap_compare, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", "/home/analyst/.config")  # the help shows the config path
    assert snap_compare(demo_app(), terminal_size=NARROW, run_before=run_before("question_mark"))


def test_figures(snap_compare):
    assert snap_compare(demo_app(), terminal_size=WIDE, run_before=run_before("f", "right"))


def test_figures_filtered_narrow(snap_compare):
    from tests.test_tui_browser import many_series_kb

    keys = ["f", *"contingent 03", "down", "right", "right"]
    assert snap_compare(demo_app(many_series_kb()), terminal_size=NARROW, run_before=run_before(*keys, search=True))


def test_hundred_thousand_articles_scrolled_narrow(snap_compare):
    from tests.test_tui_scale import big_kb, no_index

    app = demo_app(big_kb(), index_builder=no_index)
    assert snap_compare(app, terminal_size=NARROW, run_before=run_before("G", "k", "k"))


def test_hundred_thousand_timeline_scrolled_wide(snap_compare):
    from tests.test_tui_scale import big_kb, no_index

    app = demo_app(big_kb(), index_builder=no_index)
    assert snap_compare(app, terminal_size=WIDE, run_before=run_before("3", "G", "k"))


def test_metadata_and_why_narrow(snap_compare):
    from tests.test_tui_metadata import meta_kb

    keys = ["j", "enter", "right_square_bracket", "w"]
    assert snap_compare(demo_app(meta_kb()), terminal_size=NARROW, run_before=run_before(*keys))


def test_metadata_citation_wide(snap_compare):
    from tests.test_tui_metadata import meta_kb

    keys = ["5", "enter", "y"]
    assert snap_compare(demo_app(meta_kb()), terminal_size=WIDE, run_before=run_before(*keys))
