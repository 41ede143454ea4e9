"""Acceptance: the real extraction and search engine on the bundled corpus, driven by keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from pktui.tui.app import PktuiApp, default_index
from pktui.tui.config import Config
from tests.conftest import LACROIX_2022
from tests.test_tui_support import ready, settle

SIZES = [(80, 24), (160, 45)]


@pytest.fixture
def app_factory(sample_kb):
    if not sample_kb.facts:
        pytest.xfail("waiting for extraction: the knowledge base has no facts yet")

    def make() -> PktuiApp:
        return PktuiApp(
            config=Config(Path("/nonexistent/config.yaml")),
            loader=lambda paths, progress=None, use_cache=True: sample_kb,
            index_builder=default_index,
        )

    return make


def highlighted(app) -> str:
    src = app.browser.query_one("#source")
    assert src.highlight is not None
    return src.article.text[src.highlight[0] : src.highlight[1]]


async def move_to(pilot, list_id: str, text: str) -> None:
    lst = pilot.app.browser.query_one(f"#{list_id}")
    for _ in range(80):
        if lst.highlighted is not None and text in lst.texts()[lst.highlighted]:
            return
        await pilot.press("j")
    raise AssertionError(f"{text!r} not in #{list_id}: {lst.texts()}")


@pytest.mark.parametrize("size", SIZES)
async def test_lacrox_visit_opens_the_visit(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        assert app.index is not None, app.index_error
        await pilot.press("slash", *"lacrox visit")
        await settle(pilot)
        await pilot.press("enter")
        src = app.browser.query_one("#source")
        assert src.article.id == LACROIX_2022
        text = highlighted(app)
        assert "Jean-Pierre Lacroix" in text and "on Saturday visited" in text
        assert text.index("Jean-Pierre Lacroix") < text.index("on Saturday visited")


async def test_hoang_kim_phung_without_diacritics(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"hoang kim phung")
        await settle(pilot)
        await pilot.press("enter")
        assert "Hoàng Kim Phụng" in highlighted(app)


async def test_unisfa_narrows_the_timeline(app_factory, sample_kb):
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        unisfa = next(e for e in sample_kb.entities if e.name == "UNISFA" or "UNISFA" in e.aliases)
        everything = app.browser.query_one("#timeline").texts()
        await pilot.press("2")
        await move_to(pilot, "entities", "UNISFA")
        await pilot.press("enter")
        assert app.browser.timeline_filter == unisfa.id
        rows = app.browser.query_one("#timeline").texts()
        expected = [e for e in sample_kb.timeline if unisfa.id in e.entities]
        assert expected and len(rows) == len(expected) < len(everything)


async def test_timeline_2018_09_opens_its_passage(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("3")
        await move_to(pilot, "timeline", "2018-09")
        await pilot.press("enter")
        assert app.browser.pane == "source"
        assert "September 2018" in highlighted(app)
