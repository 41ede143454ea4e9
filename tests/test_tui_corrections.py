"""Corrections in the browser, driven by keys: the real loader and search engine over a copy
of the bundled corpus (its own cache and ledger in tmp), each operation checked in what the
panes, the search results and the figures view show, and in the ledger."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pktui.corpus import bundled_corpus_dir
from pktui.knowledge.ledger import read_ledger
from pktui.tui.config import Config
from pktui.tui.screens.choose import ChoiceScreen
from pktui.tui.screens.corrections import CorrectionsScreen
from pktui.tui.screens.figures import FiguresScreen
from pktui.tui.screens.help import HelpScreen
from tests.test_tui_support import until

DEPT = "organization/viet-nam-department-of-peacekeeping-operations"
MND = "organization/ministry-of-national-defence"
LACROIX = "person/jean-pierre-lacroix"
NEARLY_1100 = "nearly 1,100 personnel"
WIDE = (160, 45)
NARROW = (80, 24)


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "corpus"
    shutil.copytree(bundled_corpus_dir(), folder)
    return folder


def make_app(corpus: Path, **kwargs):
    from pktui.tui.app import PktuiApp

    return PktuiApp([str(corpus)], config=Config(Path("/nonexistent/pktui/config.yaml")), **kwargs)


async def loaded(pilot) -> None:
    app = pilot.app
    assert await until(pilot, lambda: app.ready, seconds=12) and app.archive is not None, "the corpus never loaded"
    await settle(pilot)


async def settle(pilot) -> None:
    """Let pickers, the correction worker and the panes' workers finish."""
    app = pilot.app
    for _ in range(500):
        await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        if not app.correcting:
            break
    await pilot.pause(0.05)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def move_to(pilot, widget, text: str) -> None:
    for _ in range(80):
        if widget.highlighted is not None and text in widget.texts()[widget.highlighted]:
            return
        await pilot.press("j")
    raise AssertionError(f"{text!r} not in {widget.texts()}")


async def search(pilot, query: str) -> list:
    app = pilot.app
    await pilot.press("slash")
    box = app.browser.query_one("#search-input")
    box.value = ""
    await type_text(pilot, query)
    await settle(pilot)
    hits = app.browser.results.vlist.payloads()
    await pilot.press("escape")
    return hits


def ledger_ops(corpus: Path) -> list[tuple[str, dict]]:
    return [(e.op, e.targets) for e in read_ledger(corpus / "pktui-corrections.yaml").entries]


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_merge_rename_retype_split_and_undo_by_keys(corpus):
    app = make_app(corpus)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot)
        await pilot.press("2")
        entities = app.browser.query_one("#entities")
        await move_to(pilot, entities, "Việt Nam Department of Peacekeeping Operations")
        await pilot.press("m")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ChoiceScreen)
        await app.workers.wait_for_complete()
        offered = [e.id for e in app.screen.list.payloads()]
        assert DEPT not in offered and MND in offered  # never the entity itself
        await type_text(pilot, "ministry national defence")
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.list.current.id == MND
        await pilot.press("enter")
        await settle(pilot)
        assert ledger_ops(corpus)[-1] == ("merge", {"entity": DEPT, "into": MND})
        assert app.kb.entity(DEPT) is None
        # the selection is on the entity merged into, marked, and the detail shows it
        assert entities.current.id == MND and "✎" in entities.texts()[entities.highlighted]
        assert app.browser.entity_id == MND
        assert "✎ corrected by entry 1" in "\n".join(app.browser.query_one("#entity").texts())
        # the merged entity's old alias finds the target
        hits = await search(pilot, "VDPO")
        assert any(h.kind == "entity" and h.id == MND for h in hits)

        # rename: an input prefilled with the name
        await pilot.press("2")
        await pilot.press("r")
        await pilot.pause(0.1)
        assert app.screen.query_one("#choose-input").value == "Ministry of National Defence"
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Defence Ministry")
        await pilot.press("enter")
        await settle(pilot)
        assert app.kb.entity(MND).name == "Defence Ministry"
        assert "Defence Ministry" in entities.texts()[entities.highlighted]

        # retype: a list of the types, the current one highlighted
        await pilot.press("t")
        await pilot.pause(0.1)
        assert app.screen.list.current == "organization"
        await pilot.press("k")  # person comes before organisation
        await pilot.press("enter")
        await settle(pilot)
        assert app.kb.entity(MND).type == "person"

        # split a name off: its names, then the new one's name and type left as they are
        await move_to(pilot, entities, "Jean-Pierre Lacroix")
        await pilot.press("s")
        await pilot.pause(0.1)
        assert app.screen.list.payloads() == ["Lacroix"]
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.screen.query_one("#choose-input").value == "Lacroix"
        await pilot.press("enter")
        await settle(pilot)
        assert ledger_ops(corpus)[-1] == (
            "split",
            {"entity": LACROIX, "alias": "Lacroix", "name": None, "type": None},
        )
        assert any(e.name == "Lacroix" and e.id != LACROIX for e in app.kb.entities)
        assert entities.current.id == LACROIX

        # u undoes the newest correction in effect, anywhere
        await pilot.press("u")
        await settle(pilot)
        assert not any(e.name == "Lacroix" and e.id != LACROIX for e in app.kb.entities)
        assert [op for op, _ in ledger_ops(corpus)] == ["merge", "rename", "retype", "split", "undo"]


async def test_reject_and_edit_a_fact_in_lists_search_and_figures(corpus):
    app = make_app(corpus)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot)
        # the figures view: reject a point with delete and watch it leave its series
        await pilot.press("f")
        await settle(pilot)
        figures = app.screen
        assert isinstance(figures, FiguresScreen)
        table = figures.query_one("#figures-table")
        personnel = next(r for r in table.rows if r.series.measure == "personnel")
        before = [p.value for p in personnel.series.points]
        assert 1100 in before
        table._move(table.rows.index(personnel), before.index(1100))
        await pilot.press("delete")
        await settle(pilot)
        row = table.current
        assert row.series.measure == "personnel"  # the cursor stays on its series
        assert sorted(p.value for p in row.series.points) == sorted(v for v in before if v != 1100)
        await pilot.press("escape")
        await settle(pilot)
        rejected = ledger_ops(corpus)[-1][1]["target"]
        assert app.kb.fact(rejected) is None
        # a rejected fact is never a search hit
        hits = await search(pilot, "1,100 personnel")
        assert rejected not in {h.id for h in hits}

        # the facts pane: d rejects, the cursor moves to the next row
        await pilot.press("1")
        articles = app.browser.query_one("#articles")
        await move_to(pilot, articles, "2022-11-27")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("5")
        facts = app.browser.query_one("#facts")
        await move_to(pilot, facts, "four hospitals")
        row_before, count_before = facts.highlighted, len(facts.payloads())
        next_fact = facts.payload(facts.nearest_selectable(row_before + 1)).id
        await pilot.press("d")
        await settle(pilot)
        assert len(facts.payloads()) == count_before - 1
        assert facts.current.id == next_fact
        assert not any("four hospitals" in t for t in facts.texts())

        # e edits the value: the form is prefilled, the row shows the new value, marked
        await move_to(pilot, facts, "252 medical staff")
        await pilot.press("e")
        await pilot.pause(0.1)
        box = app.screen.query_one("#choose-input")
        assert box.value == "value=252 qualifier=exact unit=medical personnel"
        box.value = "value=260 qualifier=about unit=medical personnel"
        await pilot.press("enter")
        await settle(pilot)
        op, targets = ledger_ops(corpus)[-1]
        assert op == "set" and targets["fields"] == {"value": 260, "qualifier": "about"}
        assert "about 260 medical personnel (medical staff) ✎" in facts.texts()[facts.highlighted]
        # the timeline and the results mark corrected items too
        hits = await search(pilot, "260 medical")
        assert any(h.id == targets["fact"] for h in hits)
        marked = [t for t in app.browser.results.vlist.texts() if "260" in t]
        assert marked and "✎" in marked[0]
        # an event's date edited from the timeline: the row moves to its new date, marked
        await pilot.press("3")
        timeline = app.browser.query_one("#timeline")
        await move_to(pilot, timeline, "engineering teams have been dispatched")
        await pilot.press("e")
        await pilot.pause(0.1)
        assert app.screen.query_one("#choose-input").value == "value=2022-05"
        app.screen.query_one("#choose-input").value = "value=2022-07"
        await pilot.press("enter")
        await settle(pilot)
        rows = [t for t in timeline.texts() if "engineering teams have been dispatched" in t]
        assert rows and rows[0].startswith("2022-07") and "✎" in rows[0]


async def test_add_an_alias_reject_a_mention_and_note_an_entry_by_keys(corpus):
    from pktui.commands.export import export_document

    app = make_app(corpus)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot)
        before = len(app.kb.entity(MND).mentions)
        await pilot.press("2")
        entities = app.browser.query_one("#entities")
        await move_to(pilot, entities, "Ministry of National Defence")
        # ; a note for the next correction, then a: a name the extractor missed
        await pilot.press("semicolon")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ChoiceScreen)
        await type_text(pilot, "short form in two articles")
        await pilot.press("enter")
        await pilot.pause(0.1)
        await pilot.press("a")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ChoiceScreen)
        await type_text(pilot, "National Defence")
        await pilot.press("enter")
        await settle(pilot)
        entry = read_ledger(corpus / "pktui-corrections.yaml").entries[-1]
        assert (entry.op, entry.targets) == ("alias", {"entity": MND, "name": "National Defence"})
        assert entry.note == "short form in two articles" and app.next_note is None
        exported = next(e for e in export_document(app.kb)["entities"] if e["id"] == MND)
        added = [m for m in exported["mentions"] if m["text"] == "National Defence"]
        assert len(exported["mentions"]) == before + 2 and len(added) == 2
        hits = await search(pilot, "national defence")
        assert any(h.kind == "entity" and h.id == MND for h in hits)

        # D: the highlighted mention (Enter on the entity opens its first) is not this entity
        await pilot.press("2")
        await move_to(pilot, entities, "Ministry of National Defence")
        await pilot.press("enter")
        await settle(pilot)
        loc = app.browser.shown
        first = (loc.article, *loc.highlight)
        assert any((m.article, m.start, m.end) == first for m in app.kb.entity(MND).mentions)
        await pilot.press("D")
        await settle(pilot)
        entry = read_ledger(corpus / "pktui-corrections.yaml").entries[-1]
        assert (entry.op, entry.targets) == ("reject", {"target": "{}:{}-{}".format(*first)})
        assert entry.note is None  # the note went with the alias only
        exported = next(e for e in export_document(app.kb)["entities"] if e["id"] == MND)
        assert len(exported["mentions"]) == before + 1
        assert not any((m["article"], m["start"], m["end"]) == first for m in exported["mentions"])

        # D where no mention is highlighted (a fact is) does nothing, and is not in the footer
        await pilot.press("5")
        await pilot.press("enter")
        await settle(pilot)
        assert app.browser.mention_at_cursor() is None
        assert app.browser.check_action("fix", ("reject_mention",)) is False
        await pilot.press("D")
        await settle(pilot)
        assert len(read_ledger(corpus / "pktui-corrections.yaml").entries) == 2


async def test_the_corrections_view_names_what_is_gone_also_without_the_cache(corpus):
    from pktui.knowledge.loader import load_knowledge

    fact = next(f for f in load_knowledge([corpus]).facts if f.text == "nearly 50 years")
    (corpus / "pktui-corrections.yaml").write_text(
        f"- n: 1\n  op: merge\n  entity: {DEPT}\n  into: {MND}\n  at: '2026-01-02T03:04:05+00:00'\n"
        f"- n: 2\n  op: reject\n  target: {fact.id}\n  at: '2026-01-02T03:05:05+00:00'\n",
        encoding="utf-8",
    )
    for use_cache in (True, False):
        app = make_app(corpus, use_cache=use_cache)
        async with app.run_test(size=WIDE) as pilot:
            await loaded(pilot)
            await pilot.press("c")
            await settle(pilot)
            rows = [r.strip() for r in app.screen.list.texts()]
            assert rows[0].startswith("2 reject nearly 50 years"), (use_cache, rows)
            assert rows[1].startswith(
                "1 merge Việt Nam Department of Peacekeeping Operations into Ministry of National Defence"
            ), (use_cache, rows)
            await pilot.press("enter")  # the rejected fact's passage, in its source
            await settle(pilot)
            src = app.browser.reader.source
            assert src.article.text[slice(*src.highlight)] == "nearly 50 years"


async def test_corrections_view_lists_opens_and_undoes(corpus):
    app = make_app(corpus)
    async with app.run_test(size=NARROW) as pilot:
        await loaded(pilot)
        facts = app.browser.query_one("#facts")
        await pilot.press("5")
        await move_to(pilot, facts, "nearly 50 years")
        fact = facts.current
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, CorrectionsScreen)
        rows = view.list.texts()
        assert rows[0].strip().startswith("1 reject nearly 50 years")  # by name, not id
        await pilot.press("enter")  # opens the rejected fact's passage in its source
        await settle(pilot)
        assert app.screen is app.browser and app.browser.pane == "source"
        src = app.browser.reader.source
        assert src.article.text[slice(*src.highlight)] == fact.text
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("u")  # undoes the selected entry
        await settle(pilot)
        rows = app.screen.list.texts()
        assert rows[0].strip().startswith("2 undo entry 1") and "[undone by 2]" in rows[1]
        assert app.kb.fact(fact.id) is not None


async def test_a_refused_correction_and_an_unwritable_ledger_are_one_line(corpus, tmp_path):
    app = make_app(corpus)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot)
        await pilot.press("5")
        facts = app.browser.query_one("#facts")
        await move_to(pilot, facts, "nearly 50 years")
        await pilot.press("e")
        await pilot.pause(0.1)
        app.screen.query_one("#choose-input").value = "value=many"
        await pilot.press("enter")
        await settle(pilot)
        refused = [m for m in notices(app) if "value is a number" in m]
        assert len(refused) == 1 and "\n" not in refused[0]
        assert not (corpus / "pktui-corrections.yaml").exists()
        await pilot.press("u")
        await settle(pilot)
        assert any("nothing to undo" in m for m in notices(app))

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = make_app(corpus, corrections=blocker / "ledger.yaml")
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot)
        await pilot.press("5")
        await pilot.press("d")
        await settle(pilot)
        unwritable = [m for m in notices(app) if "cannot write the ledger" in m]
        assert len(unwritable) == 1 and str(blocker) in unwritable[0] and "\n" not in unwritable[0]
        assert len(app.kb.facts) == len(app.archive.kb.facts)  # nothing lost, nothing changed


async def test_stale_entries_are_reported_once_after_loading(corpus):
    (corpus / "pktui-corrections.yaml").write_text(
        "- n: 1\n  op: reject\n  target: f-nosuchfact\n  at: '2026-01-02T03:04:05+00:00'\n", encoding="utf-8"
    )
    app = make_app(corpus)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot)
        stale = [m for m in notices(app) if "stale" in m]
        assert len(stale) == 1 and "1 correction is stale" in stale[0]


async def test_help_lists_the_correction_keys():
    from tests.test_tui_support import demo_app, ready

    app = demo_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        console = Console(width=100, record=True)
        console.print(app.screen.help_text())
        shown = console.export_text()
        for key_id in (
            "merge",
            "rename",
            "retype",
            "split",
            "alias",
            "reject",
            "reject_mention",
            "edit_value",
            "note",
            "undo",
            "corrections",
        ):
            assert key_id in shown


LEDGER = """\
- n: 1
  op: merge
  entity: person/hoang-xuan-chien
  into: person/hoang-kim-phung
  at: '2026-03-01T09:00:00+00:00'
  note: the same general
- n: 2
  op: rename
  entity: mission/unisfa
  name: UN Interim Security Force for Abyei
  at: '2026-03-01T09:05:00+00:00'
- n: 3
  op: reject
  target: f-nosuchfact
  at: '2026-03-01T09:10:00+00:00'
- n: 4
  op: undo
  entry: 2
  at: '2026-03-01T09:12:00+00:00'
"""


def test_corrections_view_snapshot(snap_compare, tmp_path, monkeypatch):
    from tests.test_tui_support import demo_app, ready

    monkeypatch.chdir(tmp_path)
    Path("pktui-corrections.yaml").write_text(LEDGER, encoding="utf-8")

    async def before(pilot) -> None:
        await ready(pilot)
        await pilot.press("c")
        await pilot.pause(0.1)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = demo_app(corrections=Path("pktui-corrections.yaml"))
    assert snap_compare(app, terminal_size=NARROW, run_before=before)
