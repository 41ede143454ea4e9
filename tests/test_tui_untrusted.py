"""Article text is untrusted: markup and escape sequences must show literally and do nothing."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList

from pktui.tui.app import PktuiApp
from pktui.tui.config import Config
from tests.test_tui_support import ready, settle

HOSTILE = (
    "date 2024-01-02 [bold red]Red alert[/] [link=file:///etc/passwd]click me[/link] "
    "[@click=app.quit]quit[/] \x1b[2J\x1b]52;c;SGVsbG8=\x07 bidi \u202eevil\u202c zero\u200bwidth "
    "UNISFA sent 500 officers.\n\n"
    "Second [b]paragraph[/b] with $variable and :smile: and \x1b[31mred\x1b[0m UNISFA."
)


def corpus(tmp_path: Path) -> list[str]:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "a.txt").write_text(HOSTILE, encoding="utf-8")
    (folder / "b[bold]x[red].txt").write_text("date 2024-01-03 A calm [i]article[/i] about UNISFA.", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\xff\xfe\x1b[2J binary")
    return [str(folder)]


def make_app(paths: list[str]) -> PktuiApp:
    return PktuiApp(paths, use_cache=False, config=Config(Path("/nonexistent/config.yaml")))


def styles_are_harmless(strips) -> None:
    for strip in strips:
        for seg in strip:
            assert "\x1b" not in seg.text and "\x07" not in seg.text
            style = seg.style
            if style is not None:
                assert not style.link, seg
                assert not (style.meta or {}).get("@click"), seg


async def test_markup_and_escapes_render_literally(tmp_path):
    app = make_app(corpus(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.is_running
        rows = app.browser.query_one("#articles").texts()
        assert any("[bold red]Red alert[/]" in r for r in rows)
        assert any("binary.txt" in r for r in rows)  # the skipped file, named
        await pilot.press("j", "enter")  # the hostile article is the older one
        src = app.browser.query_one("#source")
        shown = "\n".join(src.lines())
        for literal in (
            "[bold red]Red alert[/]",
            "[link=file:///etc/passwd]",
            "[@click=app.quit]",
            "$variable",
            "[b]paragraph[/b]",
        ):
            assert literal in shown
        assert "\x1b" not in shown and "␛[2J" in shown and "␛]52;c;SGVsbG8=␇" in shown
        assert "\u202e" not in shown and "\u200b" not in shown
        styles_are_harmless(src.render_line(y) for y in range(src.size.height))
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x07" not in svg
        # clicking where the text says [@click=app.quit] does nothing
        await pilot.click("#source", offset=(10, 0))
        assert app.is_running
        # the citation is safe too
        await pilot.press("right_square_bracket", "y")
        assert "\x1b" not in app.clipboard


async def test_hostile_text_in_lists_results_and_palette(tmp_path):
    app = make_app(corpus(tmp_path))
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        for list_id in ("articles", "entities", "timeline", "facts"):
            lst = app.browser.query_one(f"#{list_id}")
            styles_are_harmless(lst.render_line(y) for y in range(lst.size.height))
        await pilot.press("slash", *"red alert")
        await settle(pilot)
        results = app.browser.query_one("#results")
        assert any("[bold red]" in r or "Red alert" in r for r in results.texts())
        styles_are_harmless(results.render_line(y) for y in range(results.size.height))
        await pilot.press("escape", "escape", "ctrl+p")
        await pilot.press(*"red alert")  # the palette searches the corpus
        await pilot.pause(0.3)
        options = app.screen.query_one(CommandList).options
        prompts = [str(getattr(o.prompt, "plain", o.prompt)) for o in options]
        assert any("[bold red]Red alert[/]" in p for p in prompts), prompts
        assert app.is_running
