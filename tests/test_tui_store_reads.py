"""What the browser draws on its UI thread is read before, in workers: a search's result
lines never wait on the store (its reads queue behind a worker's: at 20,000 articles the
lines of one search held the screen 0.1-0.3 s)."""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

from pktui.archive import open_archive
from pktui.knowledge.store.reader import StoredKnowledgeBase
from tests.conftest import write_article
from tests.test_tui_support import until

BODY = "Ghana deployed {n} soldiers to UNIFIL in {y}. Brigadier General Kwame Asante said more would follow."


async def test_result_lines_are_drawn_from_what_the_search_worker_read(tmp_path, cache_home, monkeypatch):
    from pktui.tui.app import PktuiApp
    from pktui.tui.config import Config
    from pktui.tui.panes.results import ResultsPane

    folder = tmp_path / "corpus"
    for i in range(12):
        write_article(folder, f"a{i:03d}.txt", BODY.format(n=100 + i, y=2000 + i), date=f"2023-01-{i + 1:02d}")
    open_archive([folder]).close()
    drawing_reads: list[str] = []
    real_rows = StoredKnowledgeBase._rows

    def rows(self, sql, params=()):
        if threading.current_thread() is threading.main_thread():
            stack = [f.name for f in traceback.extract_stack(limit=12)]
            if "hit_line" in stack:
                drawing_reads.append(sql)
        return real_rows(self, sql, params)

    monkeypatch.setattr(StoredKnowledgeBase, "_rows", rows)
    app = PktuiApp([str(folder)], config=Config(Path("/nonexistent/pktui/config.yaml")))
    async with app.run_test(size=(120, 40)) as pilot:
        assert await until(pilot, lambda: app.ready and app.index is not None, seconds=15)
        await pilot.press("slash", *"asante unifil")
        pane = app.browser.query_one(ResultsPane)
        assert await until(pilot, lambda: pane.shown_query == "asante unifil" and len(pane.vlist.texts()) >= 10)
        await pilot.pause(0.1)
        lines = pane.vlist.texts()
        assert any("Kwame Asante" in line for line in lines) and any("UNIFIL" in line for line in lines)
    assert drawing_reads == []
