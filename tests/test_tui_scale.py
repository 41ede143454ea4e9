"""The browser at archive size: lists of a hundred thousand rows draw only what is on screen."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from pktui.knowledge.base import KnowledgeBase
from pktui.model import Article, Entity, Mention, TimelineEntry
from pktui.tui.screens.help import HelpScreen
from tests.test_tui_support import demo_app, ready, settle

N = 100_000


@functools.cache
def big_kb(n: int = N) -> KnowledgeBase:
    """``n`` small articles, ``n`` entities and ``n`` timeline entries (no extraction)."""
    day0 = date(2000, 1, 1)
    articles, entities, timeline = [], [], []
    for i in range(n):
        aid = f"a{i:06d}"
        text = f"Report {i} from camp {i % 97}."
        articles.append(
            Article(aid, f"{aid}.txt", text, day0 + timedelta(days=i % 9000), text, source=f"Outlet {i % 7}")
        )
        eid = f"location/camp-{i:06d}"
        entities.append(Entity(eid, f"Camp {i:06d}", "location", mentions=[Mention(aid, 0, 6, "Report", eid)]))
        when = (day0 + timedelta(days=i % 9000)).isoformat()
        timeline.append(TimelineEntry(when, "day", f"f{i}", f"Event {i:06d}", [eid], aid))
    timeline.sort(key=lambda t: t.sort_key)
    return KnowledgeBase(articles=articles, entities=entities, timeline=timeline)


def no_index(kb, progress=None):
    return None  # these tests do not search: no stand-in index over a hundred thousand articles


async def test_hundred_thousand_rows_reach_the_end_at_once():
    app = demo_app(big_kb(), index_builder=no_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot)
        for key, list_id, last in (("1", "articles", "a"), ("2", "entities", "Camp"), ("3", "timeline", "Event")):
            await pilot.press(key)
            await settle(pilot)
            lst = app.browser.query_one(f"#{list_id}")
            assert lst.row_count >= N
            await pilot.press("G")
            assert lst.highlighted == lst.row_count - 1
            # the last row is on screen: the rows drawn are made when drawn
            drawn = "".join(s.text for y in range(lst.size.height) for s in lst.render_line(y))
            assert last in drawn
            await pilot.press("k", "g")
            assert lst.highlighted is not None and lst.highlighted <= 1
        assert "100,000 articles" in str(app.browser.query_one("#panebar").render())


async def test_help_opens_at_once_after_the_palette():
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"unisfa")
        await pilot.pause(0.2)
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_ctrl_p_in_the_search_box_moves_through_the_results():
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"lacroix")
        await settle(pilot)
        results = app.browser.query_one("#results")
        await pilot.press("down", "down")
        at = results.highlighted
        await pilot.press("ctrl+p")
        assert app.screen is app.browser and app.focused.id == "search-input"
        assert results.highlighted < at
