"""The browser's pure parts: formatting, history, config, key table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pktui.model import Article, Fact, SeriesPoint
from pktui.tui import format as fmt
from pktui.tui.config import config_path, load_config
from pktui.tui.history import History, Location, Steps
from pktui.tui.keymap import BY_ID, KEYS, bindings


def test_dates_shown_with_their_precision():
    assert fmt.fmt_date("2022-11-26") == "2022-11-26"
    assert fmt.fmt_date("2018-09") == "2018-09"
    assert fmt.fmt_date("2014") == "2014"
    assert fmt.fmt_date("2021/2023") == "2021–2023"
    assert fmt.fmt_date(None) == "date unknown"


def test_quantities_in_words():
    f = Fact("f", "quantity", "a", 0, 1, "x", (0, 1), value=500, qualifier="more_than", unit="personnel")
    assert fmt.fact_value(f) == "more than 500 personnel"
    f = Fact("f", "quantity", "a", 0, 1, "x", (0, 1), value=1100, qualifier="nearly", unit="personnel")
    assert fmt.fact_value(f) == "nearly 1,100 personnel"
    f = Fact("f", "quantity", "a", 0, 1, "x", (0, 1), value=30, qualifier="more_than", unit="percent")
    assert fmt.fact_value(f) == "more than 30%"
    f = Fact("f", "quantity", "a", 0, 1, "x", (0, 1), value=2.5, qualifier="exact", unit="years")
    assert fmt.fact_value(f) == "2.5 years"


def test_role_and_event_values():
    role = Fact("f", "role", "a", 0, 1, "x", (0, 1), value="Director", entities=["person/p"])
    assert fmt.fact_value(role, lambda eid: "Phụng") == "Phụng: Director"
    event = Fact("f", "event", "a", 0, 1, "x", (0, 1), value="2022-11-26", summary="Lacroix visits")
    assert fmt.fact_value(event) == "Lacroix visits"


def test_untrusted_text_stays_literal_and_harmless():
    hostile = "[bold red]x[/] [@click=app.quit]q[/] \x1b[2J\x1b]52;c;AAAA\x07 \u202eevil"
    line = fmt.clip(hostile, 200)
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    assert "[bold red]x[/]" in line and "[@click=app.quit]" in line
    marked = fmt.marked(hostile, [(0, 4)])
    assert len(marked.plain) == len(hostile)  # offsets still valid
    assert not any(span.style and "link" in str(span.style) for span in marked.spans)


def test_snippet_marks_matches_and_cuts_at_words():
    text = "word " * 40 + "Jean-Pierre Lacroix on Saturday visited " + "tail " * 40
    start = text.index("Jean")
    snip = fmt.snippet(text, 0, len(text), [(start, start + 11)], width=60)
    assert "Jean-Pierre" in snip.plain
    assert snip.plain.startswith("…w") or snip.plain.startswith("…")
    styled = [snip.plain[s.start : s.end] for s in snip.spans]
    assert "Jean-Pierre" in styled


def test_citation_names_quote_title_date_and_place():
    a = Article("a", "data/a.txt", "One. The second sentence.", date(2022, 11, 27), "Title [b]x[/b]")
    cite = fmt.citation(a, 5, 25)
    assert cite.startswith("“The second sentence.”")
    assert "Title [b]x[/b]" in cite and "2022-11-27" in cite and "data/a.txt" in cite
    undated = Article("b", "b.txt", "Text.", None, "T")
    assert "date unknown" in fmt.citation(undated, 0, 5)


def test_sparkline_and_points():
    assert fmt.sparkline([1, 2, 3]) == "▁▅█"
    assert fmt.sparkline([5, 5]) == "▄▄"
    assert fmt.sparkline([]) == ""
    label = fmt.point_label(SeriesPoint("2022-11", 500, "more_than", "f-1")).plain
    assert "2022-11" in label and ">500" in label


def test_right_aligned_keeps_the_right_part_whole():
    left = fmt.Text("more than 500 personnel and a long tail of words")
    line = fmt.right_aligned(left, fmt.Text("2022-11-27 · VNA"), 40)
    assert line.plain.endswith(" 2022-11-27 · VNA") and len(line.plain) == 40
    assert "…" in line.plain  # the left part is cut, visibly
    assert fmt.right_aligned(fmt.Text("short"), fmt.Text("2022"), 20).plain == "short          " + " 2022"


def test_history_back_and_forward_like_a_browser():
    h = History()
    a, b, c = Location("a"), Location("b", (1, 2)), Location("c")
    for loc in (a, b, c):
        h.push(loc)
    assert h.back() == b and h.back() == a and h.back() is None
    assert h.forward() == b
    h.push(Location("d"))  # a new page drops the forward history
    assert not h.can_forward() and h.back() == b
    # a preview that strayed from the current location goes back to it first
    h2 = History()
    h2.push(a)
    h2.push(b)
    assert h2.back(shown=Location("b", (5, 6))) == b
    assert h2.back(shown=b) == a


def test_steps_find_their_place():
    steps = Steps("mentions", (("a", 1, 3), ("a", 7, 9), ("b", 0, 2)))
    assert steps.index_of("a", (7, 9)) == 1
    assert steps.index_of("b", (1, 3)) == -1
    assert steps.in_article("a") == [(1, 3), (7, 9)]


def test_every_binding_has_a_unique_id_and_description():
    ids = [k.id for k in KEYS]
    assert len(ids) == len(set(ids))
    for scope in ("app", "browser", "reading", "list", "source", "search", "figures", "help"):
        for b in bindings(scope):
            assert b.id and b.description


def test_config_path_follows_xdg(tmp_path):
    assert config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "pktui" / "config.yaml"
    assert config_path({}) == Path.home() / ".config" / "pktui" / "config.yaml"


def test_config_reads_theme_and_keys(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text('theme: nord\nkeys:\n  search: "ctrl+f, slash"\n  back: [backspace, b]\n', encoding="utf-8")
    cfg = load_config(path, known_ids=set(BY_ID))
    assert cfg.theme == "nord"
    assert cfg.keys == {"search": "ctrl+f,slash", "back": "backspace,b"}
    assert cfg.errors == []


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("theme: nord\nkeys: [unclosed\n", 3, "expected"),
        ("theme: nord\nkeys:\n  nosuch: x\n", 3, "unknown binding id 'nosuch'"),
        ("theme: nord\nkeys:\n  search: 3\n", 3, "search"),
        ("colour: red\n", 1, "unknown setting 'colour'"),
        ("- a\n- b\n", 1, "expected a mapping"),
    ],
)
def test_config_errors_name_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    cfg = load_config(path, known_ids=set(BY_ID))
    assert len(cfg.errors) == 1, cfg.errors
    assert f"{path}:{line}:" in cfg.errors[0]
    assert words in cfg.errors[0]
    assert "\n" not in cfg.errors[0]


def test_missing_or_unreadable_config(tmp_path):
    assert load_config(tmp_path / "none.yaml").errors == []
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00bad")
    assert "cannot read" in load_config(bad).errors[0]


def test_a_long_series_is_charted_from_its_lows_highs_conflicts_and_the_selected_point():
    """A series of an archive holds hundreds of points; plotext draws each in Python (a second a
    key): the chart draws the lowest and highest of each slice of time, every conflict and the
    point selected, in date order."""
    from pktui.model import SeriesPoint
    from pktui.tui.panes.figures import CHART_POINTS, thinned

    def point(i: int, value: int, conflict: bool = False) -> SeriesPoint:
        return SeriesPoint(f"{1990 + i // 12}-{i % 12 + 1:02d}", value, "exact", f"f{i}", conflict=conflict)

    values = [(i * 37) % 101 for i in range(1000)]
    values[500] = 10_000  # a spike: it is a slice's highest, so it stays
    points = [point(i, v, conflict=i in (3, 777)) for i, v in enumerate(values)]
    kept = thinned(points, keep=123)
    assert len(kept) <= CHART_POINTS + 3 and kept == sorted(kept)
    assert {3, 777, 123, 500} <= set(kept)
    assert min(values) in {values[i] for i in kept} and max(values) in {values[i] for i in kept}
    short = points[:50]
    assert thinned(short) == list(range(50))


def test_the_status_is_cut_between_its_parts_never_inside_one():
    from rich.text import Text

    from pktui.tui.widgets.bars import fit_parts

    status = Text("20,000 articles · 19,815 entities · 423,981 facts · 1 hidden file skipped", "dim")
    assert fit_parts(status, 200).plain == status.plain
    assert fit_parts(status, 40).plain == "20,000 articles · 19,815 entities"
    assert fit_parts(status, 33).plain == "20,000 articles · 19,815 entities"
    assert fit_parts(status, 32).plain == "20,000 articles"
    assert fit_parts(status, 20).plain == "20,000 articles"
    assert fit_parts(status, 10).plain == "20,000 ar…"
    assert fit_parts(status, 40).style == "dim"
